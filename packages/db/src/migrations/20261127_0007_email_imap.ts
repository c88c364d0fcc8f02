import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// The IMAP poller's state (channels/email/imap-poller.ts): a cursor per mailbox (UIDVALIDITY and
// the last UID done) and one row per imported message, unique on (mailbox, UIDVALIDITY, UID), so a
// fetcher that dies mid-batch never imports a message twice (Message-ID dedupe in channel_inbound
// covers a renumbered mailbox).
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table email_imap_cursors (
      mailbox_key text primary key,
      uid_validity text not null,
      last_uid bigint not null,
      updated_at timestamptz not null default now()
    );
    create table email_imap_imports (
      mailbox_key text not null,
      uid_validity text not null,
      uid bigint not null,
      message_id text,
      imported_at timestamptz not null default now(),
      primary key (mailbox_key, uid_validity, uid)
    )
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop table email_imap_imports;
    drop table email_imap_cursors
  `);
}
