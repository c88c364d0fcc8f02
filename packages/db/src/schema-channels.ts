import type { ColumnType, Generated } from 'kysely';

// Kysely types of the channel pipeline tables (migration 20261127_0006_channel_pipeline). Merged into `DB`.

type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ChannelInboundTable = {
  channel_id: string;
  external_id: string;
  conversation_id: string | null;
  message_id: string | null;
  received_at: Generated<Date>;
};

export type ChannelQuarantineTable = {
  id: Generated<string>;
  brand_id: string;
  channel_id: string;
  external_id: string;
  from_kind: string;
  from_value: string;
  from_name: string | null;
  subject: string | null;
  body: string;
  reason: string;
  /** open | accepted | rejected */
  status: Generated<string>;
  conversation_id: string | null;
  decided_by: string | null;
  decided_at: NullableInstant;
  created_at: Generated<Date>;
};

export type EmailImapCursorsTable = { mailbox_key: string; uid_validity: string; last_uid: ColumnType<number, number | bigint, number | bigint>; updated_at: Generated<Date> };
export type EmailImapImportsTable = { mailbox_key: string; uid_validity: string; uid: ColumnType<number, number | bigint, number | bigint>; message_id: string | null; imported_at: Generated<Date> };

export type ChannelTables = {
  email_imap_cursors: EmailImapCursorsTable;
  email_imap_imports: EmailImapImportsTable;
  channel_inbound: ChannelInboundTable;
  channel_quarantine: ChannelQuarantineTable;
};
