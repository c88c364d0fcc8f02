import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Landed migrations are never edited; add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table brands (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    );
    create table roles (
      code text primary key,
      name_zh text not null,
      name_en text not null,
      permissions text[] not null default '{}',
      scope text not null check (scope in ('all','department','areas','self')),
      builtin boolean not null default false,
      updated_at timestamptz not null default now()
    );
    create table departments (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      kind text not null,
      created_at timestamptz not null default now()
    );
    create table teams (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    );
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      display_name text not null,
      password_hash text not null,
      role text not null references roles(code),
      work_number text,
      team_id uuid references teams(id),
      department_id uuid references departments(id),
      customer_id uuid,
      skills text[] not null default '{}',
      languages text[] not null default '{}',
      disabled boolean not null default false,
      password_changed_at timestamptz not null default now(),
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index users_username_key on users (lower(username));
    create table areas (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      kind text not null check (kind in ('urban','rural','remote')),
      district text not null,
      account_manager_id uuid references users(id)
    );
    create index areas_account_manager_idx on areas (account_manager_id);
    create table user_brands (
      user_id uuid not null references users(id) on delete cascade,
      brand_id uuid not null references brands(id) on delete cascade,
      primary key (user_id, brand_id)
    );
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions (user_id);
    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      scopes text[] not null default '{}',
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    create table login_throttle (
      key text primary key,
      failures integer not null,
      first_failure_at timestamptz not null,
      locked_until timestamptz
    );
    create table customers (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      name text not null,
      id_number text,
      area_id uuid references areas(id),
      addresses jsonb not null default '[]',
      preferred_language text not null default 'zh-CN',
      flags text[] not null default '{}',
      tags text[] not null default '{}',
      attributes jsonb not null default '{}',
      notes text,
      search_text tsvector not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index customers_brand_created_idx on customers (brand_id, created_at desc, id desc);
    create index customers_area_idx on customers (area_id);
    create index customers_search_idx on customers using gin (search_text);
    create index customers_flags_idx on customers using gin (flags);
    create index customers_tags_idx on customers using gin (tags);
    alter table users add constraint users_customer_fk foreign key (customer_id) references customers(id);
    create table customer_identities (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      customer_id uuid not null references customers(id) on delete cascade,
      kind text not null,
      value text not null,
      verified boolean not null default false,
      created_at timestamptz not null default now(),
      unique (brand_id, kind, value)
    );
    create index customer_identities_value_idx on customer_identities (value);
    create index customer_identities_customer_idx on customer_identities (customer_id);
    create table attribute_definitions (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      key text not null,
      label_zh text not null,
      label_en text not null,
      type text not null check (type in ('text','number','date','boolean','enum')),
      options jsonb not null default '[]',
      required boolean not null default false,
      position integer not null default 0,
      unique (brand_id, key)
    );
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_name text,
      action text not null,
      entity_type text not null,
      entity_id text,
      brand_id uuid,
      before jsonb,
      after jsonb,
      request_id text,
      ip text
    );
    create index audit_log_at_idx on audit_log (at desc, id desc);
    create index audit_log_entity_idx on audit_log (entity_type, entity_id);
    create index audit_log_actor_idx on audit_log (actor_id);
    create table outbox (
      id bigint generated always as identity primary key,
      created_at timestamptz not null default now(),
      topic text not null,
      aggregate_type text not null,
      aggregate_id text not null,
      payload jsonb not null,
      published_at timestamptz
    );
    create index outbox_unpublished_idx on outbox (id) where published_at is null;
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema public cascade; create schema public;`.execute(db);
}
