import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Knowledge: articles with versions and a review trail, standard scripts (话术), a synonym
// dictionary for search, the self-service bot's turns and unanswered questions, and trained
// contact-reason classifier models.
//
// Search columns hold jieba tokens joined by spaces, turned into a weighted tsvector
// (title A, tags/summary B, body C) with to_tsvector('simple', …), so PGlite and PostgreSQL
// behave the same (DESIGN.md "Chinese first").
//
// canned_replies (issue 4) become scripts: the same rows, with situation, tags, pinyin initials,
// usage counts and a search column.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create table kb_categories (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      parent_id uuid references kb_categories(id),
      code text not null check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      name_zh text not null,
      name_en text not null,
      position integer not null default 0,
      unique (brand_id, code)
    );
    create table kb_articles (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      category_id uuid references kb_categories(id),
      language text not null default 'zh-CN' check (language in ('zh-CN','en-US')),
      title text not null check (length(title) between 1 and 200),
      summary text not null default '',
      body text not null default '',
      audience text not null check (audience in ('public','internal')),
      status text not null default 'draft' check (status in ('draft','review','published','archived')),
      tags text[] not null default '{}',
      valid_from timestamptz,
      valid_to timestamptz,
      related_ids uuid[] not null default '{}',
      version integer not null default 1,
      search_text tsvector not null default ''::tsvector,
      views integer not null default 0,
      used_in_reply integer not null default 0,
      helpful_yes integer not null default 0,
      helpful_no integer not null default 0,
      bot_answers integer not null default 0,
      bot_resolutions integer not null default 0,
      created_by uuid references users(id),
      updated_by uuid references users(id),
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (valid_to is null or valid_from is null or valid_to > valid_from)
    );
    create index kb_articles_search_idx on kb_articles using gin (search_text);
    create index kb_articles_brand_idx on kb_articles (brand_id, status, updated_at desc, id desc);
    create index kb_articles_category_idx on kb_articles (category_id);
    create table kb_article_versions (
      id bigint generated always as identity primary key,
      article_id uuid not null references kb_articles(id) on delete cascade,
      version integer not null,
      title text not null,
      summary text not null,
      body text not null,
      tags text[] not null default '{}',
      category_id uuid,
      audience text not null,
      language text not null,
      valid_from timestamptz,
      valid_to timestamptz,
      author_id uuid references users(id),
      note text,
      created_at timestamptz not null default now(),
      unique (article_id, version)
    );
    create table kb_article_events (
      id bigint generated always as identity primary key,
      article_id uuid not null references kb_articles(id) on delete cascade,
      action text not null,
      from_status text,
      to_status text,
      version integer,
      actor_id uuid references users(id),
      note text,
      created_at timestamptz not null default now()
    );
    create index kb_article_events_article_idx on kb_article_events (article_id, id);
    create table kb_attachments (
      id uuid primary key default gen_random_uuid(),
      article_id uuid not null references kb_articles(id) on delete cascade,
      file_name text not null,
      content_type text not null,
      size_bytes bigint not null check (size_bytes >= 0),
      storage_key text not null unique,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid references users(id),
      created_at timestamptz not null default now()
    );
    create index kb_attachments_article_idx on kb_attachments (article_id, created_at);
    create table kb_usage (
      id bigint generated always as identity primary key,
      brand_id uuid not null references brands(id),
      article_id uuid not null references kb_articles(id) on delete cascade,
      kind text not null check (kind in ('view','used_in_reply','helpful','unhelpful','bot_answer','bot_resolved','bot_handoff','suggested')),
      channel text,
      actor_id uuid,
      created_at timestamptz not null default now()
    );
    create index kb_usage_article_idx on kb_usage (article_id, created_at);
    create table kb_synonyms (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      terms text[] not null check (cardinality(terms) >= 2),
      created_at timestamptz not null default now()
    );
    create index kb_synonyms_brand_idx on kb_synonyms (brand_id);

    alter table canned_replies rename to scripts;
    alter table scripts add column situation text not null default 'general';
    alter table scripts add column tags text[] not null default '{}';
    alter table scripts add column pinyin text not null default '';
    alter table scripts add column usage_count integer not null default 0;
    alter table scripts add column active boolean not null default true;
    alter table scripts add column search_text tsvector not null default ''::tsvector;
    alter table scripts add column created_at timestamptz not null default now();
    alter table scripts add column updated_at timestamptz not null default now();
    create index scripts_search_idx on scripts using gin (search_text);
    create index scripts_situation_idx on scripts (brand_id, situation, position);

    create table bot_turns (
      id bigint generated always as identity primary key,
      brand_id uuid not null references brands(id),
      conversation_id uuid references conversations(id),
      contact_id uuid references contacts(id),
      question text not null,
      kind text not null check (kind in ('answer','clarify','fallback','flow','handoff','greeting')),
      article_id uuid references kb_articles(id) on delete set null,
      candidate_ids uuid[] not null default '{}',
      confidence real not null default 0,
      outcome text not null default 'pending' check (outcome in ('pending','resolved','handed_off','abandoned','continued')),
      handoff_reason text,
      created_at timestamptz not null default now()
    );
    create index bot_turns_conversation_idx on bot_turns (conversation_id, id);
    create index bot_turns_brand_idx on bot_turns (brand_id, created_at desc);
    create table bot_unanswered (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      normalized text not null,
      sample text not null,
      ask_count integer not null default 1,
      first_asked_at timestamptz not null default now(),
      last_asked_at timestamptz not null default now(),
      status text not null default 'open' check (status in ('open','answered','ignored')),
      article_id uuid references kb_articles(id) on delete set null,
      resolved_by uuid references users(id),
      unique (brand_id, normalized)
    );
    create index bot_unanswered_open_idx on bot_unanswered (brand_id, status, ask_count desc);
    alter table conversations add column bot_state jsonb;

    create table classifier_models (
      id uuid primary key default gen_random_uuid(),
      brand_id uuid not null references brands(id),
      target text not null check (target in ('reason_code','ticket_category')),
      trained_at timestamptz not null default now(),
      trained_by uuid references users(id),
      sample_count integer not null,
      holdout_count integer not null,
      accuracy real not null,
      labels text[] not null,
      confusion jsonb not null,
      model jsonb not null,
      active boolean not null default true
    );
    create index classifier_models_active_idx on classifier_models (brand_id, target, trained_at desc);

    update roles set permissions = array(select distinct unnest(permissions || array['kb:read'])) where code in ('agent','supervisor','dispatcher','qa','account_manager','manager','department_member');
    update roles set permissions = array(select distinct unnest(permissions || array['kb:write','kb:publish'])) where code = 'supervisor';
    update roles set permissions = array(select distinct unnest(permissions || array['kb:read','kb:write','kb:publish','bot:manage'])) where code = 'admin'
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop table classifier_models;
    alter table conversations drop column bot_state;
    drop table bot_unanswered;
    drop table bot_turns;
    drop index scripts_situation_idx;
    drop index scripts_search_idx;
    alter table scripts drop column situation, drop column tags, drop column pinyin, drop column usage_count,
      drop column active, drop column search_text, drop column created_at, drop column updated_at;
    alter table scripts rename to canned_replies;
    drop table kb_synonyms;
    drop table kb_usage;
    drop table kb_attachments;
    drop table kb_article_events;
    drop table kb_article_versions;
    drop table kb_articles;
    drop table kb_categories
  `);
}
