import type { ColumnType, Generated, Selectable } from 'kysely';

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

type Instant = ColumnType<Date, Date | string, Date | string>;
type JsonArray = ColumnType<unknown[], unknown[] | string | undefined, unknown[] | string>;
type NullableJsonValue = ColumnType<unknown | null, unknown | string | null | undefined, unknown | string | null>;

// Migration 20261128_0008_channel_adapters: CTI calls, IVR, WeChat binding, SMS opt-outs and receipts.

export type CtiCallsTable = {
  id: Generated<string>;
  brand_id: string;
  channel_id: string;
  /** The PBX's call id. */
  call_id: string;
  contact_id: string | null;
  customer_id: string | null;
  caller: string | null;
  called: string | null;
  /** inbound | outbound */
  direction: Generated<string>;
  ivr_path: string | null;
  routed_queue_id: string | null;
  routed_agent_id: string | null;
  routed_at: NullableInstant;
  /** When the routing answer was an overflow: { action, queueId, reason }. */
  routed_overflow: NullableJsonValue;
  callback_task_id: string | null;
  end_reason: string | null;
  recording_urls: JsonArray;
  ivr_inputs: JsonArray;
  /** Events the lifecycle refused: [{ eventId, type, reason }]. */
  ignored: JsonArray;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type CtiCallEventsTable = {
  channel_id: string;
  event_id: string;
  call_id: string;
  type: string;
  at: Instant;
  seq: number | null;
  /** The domain CallEvent as JSON (dates as ISO strings). */
  payload: ColumnType<Record<string, unknown>, Record<string, unknown> | string, Record<string, unknown> | string>;
  received_at: Generated<Date>;
};

export type CtiOriginationsTable = {
  id: Generated<string>;
  brand_id: string;
  channel_id: string;
  agent_id: string;
  request_id: string;
  number: string;
  customer_id: string | null;
  callback_task_id: string | null;
  /** requested | accepted | failed */
  status: Generated<string>;
  pbx_call_id: string | null;
  error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type IvrDocumentsTable = {
  channel_id: string;
  /** The editable IvrTree, or null before the first save. */
  draft: NullableJsonValue;
  /** Optimistic concurrency for the draft. */
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Generated<Date>;
};

export type IvrVersionsTable = {
  channel_id: string;
  version: number;
  tree: ColumnType<unknown, unknown, unknown>;
  published_by: string | null;
  published_at: Generated<Date>;
};

export type WechatBindingAttemptsTable = {
  id: Generated<number>;
  channel_id: string;
  openid: string;
  account: string;
  ok: boolean;
  customer_id: string | null;
  at: Generated<Date>;
};

export type SmsOptOutsTable = {
  brand_id: string;
  /** Normalised (normalizeIdentity('phone')). */
  phone: string;
  channel_id: string | null;
  keyword: string;
  opted_out_at: Instant;
  /** Set when the number opts in again; null while opted out. */
  opted_in_at: NullableInstant;
};

export type SmsReceiptsTable = {
  channel_id: string;
  external_id: string;
  /** delivered | failed */
  status: string;
  error_code: string | null;
  at: Instant;
  received_at: Generated<Date>;
};

export type ChannelTables = {
  cti_calls: CtiCallsTable;
  cti_call_events: CtiCallEventsTable;
  cti_originations: CtiOriginationsTable;
  ivr_documents: IvrDocumentsTable;
  ivr_versions: IvrVersionsTable;
  wechat_binding_attempts: WechatBindingAttemptsTable;
  sms_opt_outs: SmsOptOutsTable;
  sms_receipts: SmsReceiptsTable;
  email_imap_cursors: EmailImapCursorsTable;
  email_imap_imports: EmailImapImportsTable;
  channel_inbound: ChannelInboundTable;
  channel_quarantine: ChannelQuarantineTable;
};

export type CtiCallRow = Selectable<CtiCallsTable>;
export type CtiOriginationRow = Selectable<CtiOriginationsTable>;
