import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Live contact handling: channels, queues, agent presence, contacts with their timeline,
// conversations with messages, wrap-up reason codes, callback tasks and canned replies.
//
// contacts keeps every KPI timestamp of the pure lifecycle in @kefu/domain (contacts/contact.ts):
// created, queued, waiting_since, offered, answered, ended, wrapped_up, plus talk/hold totals, so
// answer rate, wait, handle time and service level are computed from facts, never estimated.
// Routing reads the waiting contacts off contacts_waiting_idx and the agents' load off
// contacts_agent_load_idx (one partial index each), so a routing pass stays cheap with thousands
// of closed contacts.
//
// messages.seq is a per-conversation sequence taken by
//   update conversations set last_seq = last_seq + 1 where id = $1 returning last_seq
// inside the message's transaction: clients resume after a reconnect with "everything after seq
// N", and (conversation_id, client_msg_id) makes a resent message a no-op.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table queues (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      code text not null check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_zh text not null,
      name_en text not null,
      channels text[] not null default '{chat}',
      required_skills text[] not null default '{}',
      calendar_id uuid references calendars(id),
      max_wait_seconds integer not null default 300 check (max_wait_seconds > 0),
      account_manager_wait_seconds integer not null default 30 check (account_manager_wait_seconds >= 0),
      after_hours_action text not null default 'leave_message' check (after_hours_action in ('leave_message','callback')),
      overflow_action text not null default 'callback' check (overflow_action in ('leave_message','callback')),
      callback_within_minutes integer not null default 120 check (callback_within_minutes > 0),
      service_level_seconds integer not null default 20 check (service_level_seconds > 0),
      offer_timeout_seconds integer not null default 20 check (offer_timeout_seconds > 0),
      max_offers integer not null default 3 check (max_offers > 0),
      position integer not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (brand_id, code)
    );
    create table channels (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      type text not null check (type in ('webchat','wechat','email','sms','cti','api')),
      name text not null,
      config jsonb not null default '{}',
      secrets jsonb not null default '{}',
      queue_id uuid references queues(id),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index channels_brand_idx on channels (brand_id, type);
    create table agent_states (
      user_id uuid primary key references users(id),
      brand_id uuid not null references brands(id),
      state text not null default 'offline' check (state in ('online','busy','away','offline')),
      reason text,
      since timestamptz not null default now(),
      capacity jsonb not null default '{"limits":{"call":1,"chat":3,"wechat":3,"sms":5,"email":5,"walk_in":1,"outbound":1},"blending":"shared"}',
      last_offered_at timestamptz,
      last_contact_ended_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create index agent_states_brand_idx on agent_states (brand_id, state);
    create table presence_log (
      id bigserial primary key,
      user_id uuid not null references users(id),
      state text not null,
      reason text,
      started_at timestamptz not null,
      ended_at timestamptz not null,
      seconds integer not null
    );
    create index presence_log_user_idx on presence_log (user_id, started_at);
    create table reason_codes (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      code text not null check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*$'),
      parent_code text,
      name_zh text not null,
      name_en text not null,
      position integer not null default 0,
      active boolean not null default true,
      unique (brand_id, code),
      foreign key (brand_id, parent_code) references reason_codes (brand_id, code)
    );
    create table visitors (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      channel_id uuid not null references channels(id),
      customer_id uuid references customers(id),
      external_id text,
      verified boolean not null default false,
      name text,
      phone text,
      email text,
      language text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create unique index visitors_external_idx on visitors (channel_id, external_id) where external_id is not null;
    create table conversations (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      channel text not null,
      channel_id uuid references channels(id),
      customer_id uuid references customers(id),
      visitor_id uuid references visitors(id),
      status text not null default 'open' check (status in ('open','closed')),
      subject text,
      current_contact_id uuid,
      last_seq integer not null default 0,
      customer_delivered_seq integer not null default 0,
      customer_read_seq integer not null default 0,
      agent_read_seq integer not null default 0,
      last_message_at timestamptz,
      created_at timestamptz not null default now(),
      closed_at timestamptz
    );
    create index conversations_customer_idx on conversations (customer_id, created_at desc, id desc);
    create index conversations_brand_idx on conversations (brand_id, created_at desc, id desc);
    create index conversations_visitor_idx on conversations (visitor_id, created_at desc);
    create table contacts (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      conversation_id uuid references conversations(id),
      channel text not null check (channel in ('chat','call','wechat','sms','email','walk_in','outbound')),
      direction text not null check (direction in ('inbound','outbound')),
      status text not null check (status in ('created','queued','offered','active','on_hold','wrap_up','closed')),
      queue_id uuid references queues(id),
      agent_id uuid references users(id),
      offer_agent_id uuid references users(id),
      offer_at timestamptz,
      customer_id uuid references customers(id),
      priority text not null default 'normal' check (priority in ('vulnerable','key_account','normal')),
      required_skills text[] not null default '{}',
      account_manager_id uuid references users(id),
      requested_agent_id uuid references users(id),
      declined_agent_ids uuid[] not null default '{}',
      created_at timestamptz not null,
      queued_at timestamptz,
      waiting_since timestamptz,
      offered_at timestamptz,
      answered_at timestamptz,
      ended_at timestamptz,
      wrapped_up_at timestamptz,
      last_changed_at timestamptz not null,
      talk_ms bigint not null default 0,
      hold_ms bigint not null default 0,
      segment_started_at timestamptz,
      offer_count integer not null default 0,
      transfer_count integer not null default 0,
      end_reason text check (end_reason in ('completed','abandoned','overflowed','not_routed')),
      overflow_action text check (overflow_action in ('leave_message','callback')),
      reason_code text,
      outcome text,
      note text,
      from_address text,
      to_address text,
      abuse jsonb,
      bot boolean not null default false,
      version integer not null default 1
    );
    create index contacts_waiting_idx on contacts (brand_id, waiting_since) where status in ('queued','offered');
    create index contacts_agent_load_idx on contacts (agent_id) where status in ('offered','active','on_hold','wrap_up');
    create index contacts_offer_agent_idx on contacts (offer_agent_id) where status = 'offered';
    create index contacts_customer_idx on contacts (customer_id, created_at desc, id desc);
    create index contacts_created_idx on contacts (brand_id, created_at);
    create index contacts_agent_idx on contacts (agent_id, created_at desc);
    create index contacts_conversation_idx on contacts (conversation_id, created_at);
    create table contact_events (
      id bigserial primary key,
      contact_id uuid not null references contacts(id),
      type text not null,
      from_status text,
      to_status text,
      at timestamptz not null,
      actor_id uuid,
      details jsonb not null default '{}'
    );
    create index contact_events_contact_idx on contact_events (contact_id, id);
    create table contact_tickets (
      contact_id uuid not null references contacts(id),
      ticket_id uuid not null references tickets(id),
      created_at timestamptz not null default now(),
      primary key (contact_id, ticket_id)
    );
    create index contact_tickets_ticket_idx on contact_tickets (ticket_id);
    create table messages (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null references conversations(id),
      seq integer not null,
      contact_id uuid references contacts(id),
      sender_type text not null check (sender_type in ('customer','agent','system','bot')),
      sender_id uuid,
      sender_name text,
      kind text not null default 'text' check (kind in ('text','image','file','event')),
      body text not null default '',
      attachment jsonb,
      internal boolean not null default false,
      client_msg_id text,
      created_at timestamptz not null,
      unique (conversation_id, seq)
    );
    create unique index messages_client_idx on messages (conversation_id, client_msg_id) where client_msg_id is not null;
    create table chat_files (
      id uuid primary key,
      conversation_id uuid not null references conversations(id),
      file_name text not null,
      content_type text not null,
      size_bytes integer not null,
      sha256 text not null,
      uploaded_by_type text not null check (uploaded_by_type in ('customer','agent')),
      uploaded_by uuid,
      created_at timestamptz not null default now()
    );
    create table callback_tasks (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      contact_id uuid references contacts(id),
      customer_id uuid references customers(id),
      queue_id uuid references queues(id),
      kind text not null check (kind in ('leave_message','callback')),
      name text,
      phone text,
      message text,
      due_at timestamptz not null,
      status text not null default 'open' check (status in ('open','done','cancelled')),
      assignee_id uuid references users(id),
      outcome text,
      created_at timestamptz not null default now(),
      done_at timestamptz
    );
    create index callback_tasks_open_idx on callback_tasks (brand_id, due_at) where status = 'open';
    create table canned_replies (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      shortcut text not null,
      title text not null,
      body text not null,
      language text not null default 'zh-CN',
      position integer not null default 0,
      unique (brand_id, shortcut, language)
    );
    update roles set permissions = array(select distinct unnest(permissions || array['contact:read','contact:handle'])) where code in ('agent','supervisor','dispatcher');
    update roles set permissions = array(select distinct unnest(permissions || array['contact:read','contact:supervise'])) where code in ('supervisor','manager','qa');
    update roles set permissions = array(select distinct unnest(permissions || array['contact:read'])) where code in ('account_manager','planner');
    update roles set permissions = array(select distinct unnest(permissions || array['contact:handle'])) where code = 'account_manager';
    update roles set permissions = array(select distinct unnest(permissions || array['contact:read','contact:handle','contact:supervise','routing:manage'])) where code = 'admin'
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop table canned_replies;
    drop table callback_tasks;
    drop table chat_files;
    drop table messages;
    drop table contact_tickets;
    drop table contact_events;
    drop table contacts;
    drop table conversations;
    drop table visitors;
    drop table reason_codes;
    drop table presence_log;
    drop table agent_states;
    drop table channels;
    drop table queues
  `);
}
