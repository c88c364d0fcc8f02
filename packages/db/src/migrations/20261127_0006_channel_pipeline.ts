import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// The channel pipeline (issue 5): outside channels (WeChat, email, SMS, CTI, API) deliver into the
// same visitors → conversations → contacts → messages as web chat.
//
// - channel_inbound makes every outside message idempotent: (channel, the platform's message id)
//   is claimed in the transaction that stores the message, so WeChat's three retries, an IMAP
//   fetcher restarted mid-batch or a replayed webhook store it once.
// - conversations.thread_ref names a thread the adapter can recognise again (an email thread's
//   token); messages carry the outbound delivery state of agents' replies.
// - channel_quarantine keeps inbound mail whose thread could not be verified until an agent decides.
// - channels.health: last inbound/outbound success or error, shown in the admin UI.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table channel_inbound (
      channel_id uuid not null references channels(id),
      external_id text not null,
      conversation_id uuid references conversations(id),
      message_id uuid references messages(id),
      received_at timestamptz not null default now(),
      primary key (channel_id, external_id)
    );
    alter table conversations add column thread_ref text;
    create index conversations_thread_idx on conversations (channel_id, thread_ref) where thread_ref is not null;
    create index conversations_open_visitor_idx on conversations (visitor_id, channel_id) where status = 'open';
    alter table messages add column delivery_status text check (delivery_status in ('pending','sent','failed'));
    alter table messages add column external_id text;
    alter table messages add column delivery_error text;
    create table channel_quarantine (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      channel_id uuid not null references channels(id),
      external_id text not null,
      from_kind text not null,
      from_value text not null,
      from_name text,
      subject text,
      body text not null,
      reason text not null,
      status text not null default 'open' check (status in ('open','accepted','rejected')),
      conversation_id uuid references conversations(id),
      decided_by uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      unique (channel_id, external_id)
    );
    create index channel_quarantine_open_idx on channel_quarantine (brand_id, status, created_at desc);
    alter table channels add column health jsonb not null default '{}'
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    alter table channels drop column health;
    drop table channel_quarantine;
    alter table messages drop column delivery_error;
    alter table messages drop column external_id;
    alter table messages drop column delivery_status;
    drop index conversations_open_visitor_idx;
    drop index conversations_thread_idx;
    alter table conversations drop column thread_ref;
    drop table channel_inbound
  `);
}
