import type { ColumnType, Generated, Selectable } from 'kysely';
import type { JsonObject } from './schema-work-orders.ts';

// Kysely types of the knowledge tables (migration 20261127_0005_knowledge). Merged into `DB`.

type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json<T> = ColumnType<T, T | string, T | string>;
type Int8 = ColumnType<number, number | bigint | undefined, number | bigint>;

export type KbCategoriesTable = {
  id: Generated<string>;
  brand_id: string;
  parent_id: string | null;
  code: string;
  name_zh: string;
  name_en: string;
  position: Generated<number>;
};

export type KbArticlesTable = {
  id: Generated<string>;
  brand_id: string;
  category_id: string | null;
  /** zh-CN | en-US */
  language: Generated<string>;
  title: string;
  /** The short answer the bot and the assist panel show. */
  summary: Generated<string>;
  /** Markdown. */
  body: Generated<string>;
  /** public | internal */
  audience: string;
  /** draft | review | published | archived */
  status: Generated<string>;
  tags: TextArray;
  valid_from: NullableInstant;
  valid_to: NullableInstant;
  related_ids: TextArray;
  /** Content version: bumped by every saved change, one kb_article_versions row each. */
  version: Generated<number>;
  search_text: ColumnType<string, string | undefined, string>;
  views: Generated<number>;
  used_in_reply: Generated<number>;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  bot_answers: Generated<number>;
  bot_resolutions: Generated<number>;
  created_by: string | null;
  updated_by: string | null;
  published_at: NullableInstant;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type KbArticleVersionsTable = {
  id: Generated<Int8>;
  article_id: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  tags: TextArray;
  category_id: string | null;
  audience: string;
  language: string;
  valid_from: NullableInstant;
  valid_to: NullableInstant;
  author_id: string | null;
  note: string | null;
  created_at: Generated<Date>;
};

export type KbArticleEventsTable = {
  id: Generated<Int8>;
  article_id: string;
  /** created | edited | submitted | approved | rejected | published | archived | rolled_back */
  action: string;
  from_status: string | null;
  to_status: string | null;
  version: number | null;
  actor_id: string | null;
  note: string | null;
  created_at: Generated<Date>;
};

export type KbAttachmentsTable = {
  id: Generated<string>;
  article_id: string;
  file_name: string;
  content_type: string;
  size_bytes: Int8;
  storage_key: string;
  sha256: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
};

export type KbUsageTable = {
  id: Generated<Int8>;
  brand_id: string;
  article_id: string;
  /** view | used_in_reply | helpful | unhelpful | bot_answer | bot_resolved | bot_handoff | suggested */
  kind: string;
  channel: string | null;
  actor_id: string | null;
  created_at: Generated<Date>;
};

export type KbSynonymsTable = {
  id: Generated<string>;
  brand_id: string;
  terms: string[];
  created_at: Generated<Date>;
};

export type BotTurnsTable = {
  id: Generated<Int8>;
  brand_id: string;
  conversation_id: string | null;
  contact_id: string | null;
  question: string;
  /** answer | clarify | fallback | flow | handoff | greeting */
  kind: string;
  article_id: string | null;
  candidate_ids: TextArray;
  confidence: Generated<number>;
  /** pending | resolved | handed_off | abandoned | continued */
  outcome: Generated<string>;
  handoff_reason: string | null;
  created_at: Generated<Date>;
};

export type BotUnansweredTable = {
  id: Generated<string>;
  brand_id: string;
  normalized: string;
  sample: string;
  ask_count: Generated<number>;
  first_asked_at: Generated<Date>;
  last_asked_at: Generated<Date>;
  /** open | answered | ignored */
  status: Generated<string>;
  article_id: string | null;
  resolved_by: string | null;
};

export type ClassifierModelsTable = {
  id: Generated<string>;
  brand_id: string;
  /** reason_code | ticket_category */
  target: string;
  trained_at: Generated<Date>;
  trained_by: string | null;
  sample_count: number;
  holdout_count: number;
  accuracy: number;
  labels: string[];
  confusion: Json<JsonObject>;
  model: Json<JsonObject>;
  active: Generated<boolean>;
};

export type KnowledgeTables = {

  kb_categories: KbCategoriesTable;
  kb_articles: KbArticlesTable;
  kb_article_versions: KbArticleVersionsTable;
  kb_article_events: KbArticleEventsTable;
  kb_attachments: KbAttachmentsTable;
  kb_usage: KbUsageTable;
  kb_synonyms: KbSynonymsTable;
  bot_turns: BotTurnsTable;
  bot_unanswered: BotUnansweredTable;
  classifier_models: ClassifierModelsTable;
};

export type KbArticleRow = Selectable<KbArticlesTable>;
