import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Channel adapters, second part (issue 5).
//
// - CTI: cti_call_events is the PBX's event log, unique per (channel, eventId) so retries are no-ops;
//   cti_calls is one row per PBX call with the contact its events build (packages/domain/src/cti
//   reduces the log; the contact row holds the exact timestamps analytics read). routed_agent_id is
//   the agent a routing answer sent the call to, held for that agent until answered or ended.
// - cti_originations: click-to-call / callback requests sent to the PBX (idempotent by request_id).
// - ivr_documents / ivr_versions: the IVR designer's draft per channel and its immutable published
//   versions (the PBX fetches the latest).
// - wechat_bindings_attempts: proofs of an account number by a WeChat follower (rate limit, audit);
//   the binding itself is a customer_identities row of kind wechat_openid.
// - sms_opt_outs: numbers that answered TD/退订 (notices are not sent to them until they opt in again);
//   sms_receipts: delivery receipts per provider message id; messages may now be 'delivered'.
// - messages.delivery_attempts / delivery_claimed_at: an outbound send is claimed by a conditional
//   update, so the retry job and the first attempt never send one reply twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table cti_calls (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      channel_id uuid not null references channels(id),
      call_id text not null,
      contact_id uuid references contacts(id),
      customer_id uuid references customers(id),
      caller text,
      called text,
      direction text not null default 'inbound',
      ivr_path text,
      routed_queue_id uuid references queues(id),
      routed_agent_id uuid references users(id),
      routed_at timestamptz,
      routed_overflow jsonb,
      callback_task_id uuid references callback_tasks(id),
      end_reason text,
      recording_urls jsonb not null default '[]',
      ivr_inputs jsonb not null default '[]',
      ignored jsonb not null default '[]',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (channel_id, call_id)
    );
    create index cti_calls_contact_idx on cti_calls (contact_id);
    create index cti_calls_routed_idx on cti_calls (routed_agent_id, routed_at) where routed_agent_id is not null;
    create table cti_call_events (
      channel_id uuid not null references channels(id),
      event_id text not null,
      call_id text not null,
      type text not null,
      at timestamptz not null,
      seq integer,
      payload jsonb not null,
      received_at timestamptz not null default now(),
      primary key (channel_id, event_id)
    );
    create index cti_call_events_call_idx on cti_call_events (channel_id, call_id, at);
    create table cti_originations (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      channel_id uuid not null references channels(id),
      agent_id uuid not null references users(id),
      request_id text not null unique,
      number text not null,
      customer_id uuid references customers(id),
      callback_task_id uuid references callback_tasks(id),
      status text not null default 'requested' check (status in ('requested','accepted','failed')),
      pbx_call_id text,
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index cti_originations_agent_idx on cti_originations (agent_id, created_at desc);
    create table ivr_documents (
      channel_id uuid primary key references channels(id),
      draft jsonb,
      version integer not null default 1,
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    );
    create table ivr_versions (
      channel_id uuid not null references channels(id),
      version integer not null,
      tree jsonb not null,
      published_by uuid references users(id),
      published_at timestamptz not null default now(),
      primary key (channel_id, version)
    );
    create table wechat_binding_attempts (
      id bigserial primary key,
      channel_id uuid not null references channels(id),
      openid text not null,
      account text not null,
      ok boolean not null,
      customer_id uuid references customers(id),
      at timestamptz not null default now()
    );
    create index wechat_binding_attempts_idx on wechat_binding_attempts (channel_id, openid, at desc);
    create table sms_opt_outs (
      brand_id uuid not null references brands(id),
      phone text not null,
      channel_id uuid references channels(id),
      keyword text not null,
      opted_out_at timestamptz not null,
      opted_in_at timestamptz,
      primary key (brand_id, phone)
    );
    create table sms_receipts (
      channel_id uuid not null references channels(id),
      external_id text not null,
      status text not null,
      error_code text,
      at timestamptz not null,
      received_at timestamptz not null default now(),
      primary key (channel_id, external_id, status)
    );
    alter table messages drop constraint messages_delivery_status_check;
    alter table messages add constraint messages_delivery_status_check check (delivery_status in ('pending','sent','delivered','failed'));
    alter table messages add column delivery_attempts integer not null default 0;
    alter table messages add column delivery_claimed_at timestamptz;
    create index messages_external_idx on messages (external_id) where external_id is not null
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop index messages_external_idx;
    alter table messages drop column delivery_claimed_at;
    alter table messages drop column delivery_attempts;
    alter table messages drop constraint messages_delivery_status_check;
    alter table messages add constraint messages_delivery_status_check check (delivery_status in ('pending','sent','failed'));
    drop table sms_receipts;
    drop table sms_opt_outs;
    drop table wechat_binding_attempts;
    drop table ivr_versions;
    drop table ivr_documents;
    drop table cti_originations;
    drop table cti_call_events;
    drop table cti_calls
  `);
}
