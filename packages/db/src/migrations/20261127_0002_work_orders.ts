import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Work orders (工单): categories, calendars, SLA policies, dispatch rules, numbering, incidents,
// tickets with their timeline and attachments. Landed migrations are never edited; add a new file.
//
// Numbering: one counter row per prefix ('GD' orders, 'SJ' incidents) and local day, taken with
//   insert into ticket_number_counters (prefix, day, last_value) values ($1, $2, 1)
//   on conflict (prefix, day) do update set last_value = ticket_number_counters.last_value + 1
//   returning last_value
// which is atomic under any concurrency (the upsert locks the day's row). Take it in its own short
// statement before the order's transaction so the row lock is not held for the whole create; a
// creation that then rolls back leaves a gap, as a sequence would. Numbers are unique and
// increasing per day, not gapless. The check caps a day at 999999 (the number has six digits).
//
// SLA: the *_due_at columns hold computed deadlines (pushed by pauses); sla_next_check_at is when
// the sweeper must look at the order again (sweepDecision in @kefu/domain), so the sweeper reads
//   … where sla_next_check_at <= now() order by sla_next_check_at for update skip locked limit n
// off one small partial index, and sla_fired holds the markers that stop an event firing twice.
// Merged duplicates keep their status but have merged_into_id set: open-order lists, boards and
// the sweeper exclude them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table calendars (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      code text not null,
      name text not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (brand_id, code)
    );
    create table ticket_categories (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      code text not null check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)*$'),
      parent_code text,
      name_zh text not null,
      name_en text not null,
      fields jsonb not null default '[]',
      position integer not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (brand_id, code),
      foreign key (brand_id, parent_code) references ticket_categories (brand_id, code)
    );
    create index ticket_categories_parent_idx on ticket_categories (brand_id, parent_code, position);
    create table sla_policies (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      name text not null default '',
      category_prefix text not null default '',
      priority text check (priority in ('urgent','high','normal','low')),
      area_kind text check (area_kind in ('urban','rural','remote')),
      targets jsonb not null,
      calendar_id uuid not null references calendars(id),
      escalation jsonb not null default '{"rules":[]}',
      at_risk_ratio real not null default 0.8 check (at_risk_ratio >= 0 and at_risk_ratio <= 1),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index sla_policies_scope_key on sla_policies (brand_id, category_prefix, coalesce(priority, ''), coalesce(area_kind, '')) where active;
    create table dispatch_rules (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      category_prefix text not null default '',
      area_ids uuid[] not null default '{}',
      area_kinds text[] not null default '{}' check (area_kinds <@ array['urban','rural','remote']),
      priority text check (priority in ('urgent','high','normal','low')),
      department_id uuid not null references departments(id),
      assignee_id uuid references users(id),
      position integer not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index dispatch_rules_brand_idx on dispatch_rules (brand_id, position) where active;
    create table ticket_number_counters (
      prefix text not null check (prefix ~ '^[A-Z]{2}$'),
      day date not null,
      last_value integer not null check (last_value between 0 and 999999),
      primary key (prefix, day)
    );
    create table incidents (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      number text not null unique,
      title text not null,
      area_ids uuid[] not null check (cardinality(area_ids) > 0),
      started_at timestamptz not null,
      expected_restore_at timestamptz,
      status text not null default 'active' check (status in ('active','resolved','closed')),
      description text not null default '',
      resolution text,
      department_id uuid references departments(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      resolved_at timestamptz,
      closed_at timestamptz
    );
    create index incidents_brand_status_idx on incidents (brand_id, status, started_at desc);
    create index incidents_active_areas_idx on incidents using gin (area_ids) where status = 'active';
    create table tickets (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      number text not null unique,
      category_code text not null,
      priority text not null default 'normal' check (priority in ('urgent','high','normal','low')),
      urgency text not null default 'normal' check (urgency in ('normal','high','critical')),
      status text not null default 'accepted' check (status in ('accepted','dispatched','in_progress','handled','replied','followed_up','archived','resolved','returned')),
      customer_id uuid not null references customers(id),
      origin_contact_id uuid,
      channel text not null default 'phone',
      title text,
      description text not null,
      fields jsonb not null default '{}',
      tags text[] not null default '{}',
      area_id uuid references areas(id),
      department_id uuid references departments(id),
      assignee_id uuid references users(id),
      dispatched_to_user_id uuid references users(id),
      incident_id uuid references incidents(id),
      merged_into_id uuid references tickets(id) check (merged_into_id <> id),
      parent_id uuid references tickets(id) check (parent_id <> id),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      accepted_at timestamptz,
      contacted_at timestamptz,
      dispatched_at timestamptz,
      arrived_at timestamptz,
      handled_at timestamptz,
      replied_at timestamptz,
      followed_up_at timestamptz,
      archived_at timestamptz,
      resolved_at timestamptz,
      urge_count integer not null default 0 check (urge_count >= 0),
      reopen_count integer not null default 0 check (reopen_count >= 0),
      return_count integer not null default 0 check (return_count >= 0),
      dispatch_count integer not null default 0 check (dispatch_count >= 0),
      escalation_level smallint not null default 0 check (escalation_level between 0 and 4),
      fcr boolean not null default false,
      sla_policy_id uuid references sla_policies(id),
      accept_due_at timestamptz,
      contact_due_at timestamptz,
      dispatch_due_at timestamptz,
      arrive_due_at timestamptz,
      handle_due_at timestamptz,
      reply_due_at timestamptz,
      follow_up_due_at timestamptz,
      sla_state text not null default 'ok' check (sla_state in ('ok','at_risk','breached')),
      sla_paused_at timestamptz,
      sla_paused_minutes double precision not null default 0 check (sla_paused_minutes >= 0),
      sla_fired jsonb not null default '{}',
      sla_next_check_at timestamptz,
      version integer not null default 1,
      search_text tsvector not null default ''::tsvector,
      foreign key (brand_id, category_code) references ticket_categories (brand_id, code)
    );
    create index tickets_brand_created_idx on tickets (brand_id, created_at desc, id desc);
    create index tickets_brand_status_created_idx on tickets (brand_id, status, created_at desc, id desc);
    create index tickets_brand_category_idx on tickets (brand_id, category_code, created_at desc);
    create index tickets_department_status_idx on tickets (department_id, status, created_at desc, id desc) where department_id is not null;
    create index tickets_customer_status_idx on tickets (customer_id, status, created_at desc);
    create index tickets_assignee_status_idx on tickets (assignee_id, status, created_at desc) where assignee_id is not null;
    create index tickets_dispatched_to_idx on tickets (dispatched_to_user_id, status) where dispatched_to_user_id is not null;
    create index tickets_area_status_idx on tickets (area_id, status, created_at desc) where area_id is not null;
    create index tickets_incident_idx on tickets (incident_id) where incident_id is not null;
    create index tickets_merged_into_idx on tickets (merged_into_id) where merged_into_id is not null;
    create index tickets_parent_idx on tickets (parent_id) where parent_id is not null;
    create index tickets_sla_check_idx on tickets (sla_next_check_at) where sla_next_check_at is not null;
    create index tickets_open_sla_state_idx on tickets (brand_id, sla_state, created_at desc)
      where status in ('accepted','dispatched','in_progress','handled','returned') and merged_into_id is null;
    create index tickets_open_dispatch_due_idx on tickets (brand_id, dispatch_due_at)
      where status in ('accepted','returned') and merged_into_id is null;
    create index tickets_open_reply_due_idx on tickets (brand_id, reply_due_at)
      where status in ('accepted','dispatched','in_progress','handled','returned') and merged_into_id is null;
    create index tickets_follow_up_due_idx on tickets (brand_id, follow_up_due_at) where status = 'replied' and merged_into_id is null;
    create index tickets_search_idx on tickets using gin (search_text);
    create index tickets_tags_idx on tickets using gin (tags);
    create table ticket_events (
      id bigint generated always as identity primary key,
      ticket_id uuid not null references tickets(id) on delete cascade,
      at timestamptz not null default now(),
      actor_id uuid references users(id),
      type text not null,
      visibility text not null default 'internal' check (visibility in ('internal','customer')),
      body text,
      data jsonb not null default '{}'
    );
    create index ticket_events_ticket_idx on ticket_events (ticket_id, at, id);
    create table ticket_attachments (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id) on delete cascade,
      event_id bigint references ticket_events(id),
      file_name text not null,
      content_type text not null,
      size_bytes bigint not null check (size_bytes >= 0),
      storage_key text not null unique,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index ticket_attachments_ticket_idx on ticket_attachments (ticket_id, created_at);
    comment on column tickets.escalation_level is 'index into ESCALATION_LEVELS: 0 agent, 1 team_lead, 2 local_complaint_line, 3 provincial_supervision, 4 national_supervision';
    comment on column tickets.sla_paused_minutes is 'elapsed minutes of finished pauses already added to the due times (evaluateSla pausedMinutes)';
    comment on column tickets.sla_fired is 'sweeper markers: key milestone@cycleStart:event -> ISO time fired';
    comment on column tickets.sla_next_check_at is 'when the SLA sweeper must look at the order again; null when nothing can fire';
    comment on column tickets.merged_into_id is 'set on a merged duplicate: it keeps its status and history but is no longer worked';
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop table ticket_attachments;
    drop table ticket_events;
    drop table tickets;
    drop table incidents;
    drop table ticket_number_counters;
    drop table dispatch_rules;
    drop table sla_policies;
    drop table ticket_categories;
    drop table calendars;
  `);
}
