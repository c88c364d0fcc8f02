import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import { weightedSearchVector } from '../platform/text-search.ts';
import { KB_ARTICLES, KB_CATEGORIES, type KbArticleSeed, type KbCategorySeed } from './knowledge-content/articles.ts';
import { kbArticleId } from './knowledge-content/ids.ts';
import { KB_SYNONYMS } from './knowledge-content/synonyms.ts';

// Knowledge for search: the synonym defaults every installation gets (installSearchDefaults, from
// bootstrap) and the demo knowledge base (seedKnowledge, from the demo seed).

/**
 * Synonyms every installation starts with: how customers of a power utility say the same thing
 * differently. Editable (and deletable) on the search page afterwards.
 */
export const DEFAULT_SYNONYMS: readonly (readonly string[])[] = [
  ['停电', '断电', '没电', '掉电'],
  ['电费', '费用', '电钱'],
  ['缴费', '交费', '交电费', '缴电费', '充值'],
  ['报修', '维修', '修理', '抢修'],
  ['电表', '电能表', '表计'],
  ['跳闸', '跳电', '闸跳了'],
  ['发票', '电子发票', '开票'],
  ['过户', '更名', '改名'],
  ['户号', '用户编号', '客户编号'],
  ['投诉', '举报', '意见'],
  ['outage', 'power cut', 'blackout', 'no power', 'no electricity'],
  ['bill', 'invoice', 'statement'],
  ['pay', 'payment', 'top up'],
  ['meter', 'electricity meter'],
  ['repair', 'fix', 'fault'],
];

const SEARCH_DEFAULTS_LOCK = 955_980_007;

/** Installs DEFAULT_SYNONYMS for a brand that has no synonyms yet (idempotent). */
export async function installSearchDefaults(db: Kysely<DB>, brandId: string, options: { now?: Date } = {}): Promise<{ installed: boolean; synonyms: number }> {
  if (!db.isTransaction) return db.transaction().execute((trx) => installSearchDefaults(trx, brandId, options));
  await sql`select pg_advisory_xact_lock(${SEARCH_DEFAULTS_LOCK}, hashtext(${brandId}))`.execute(db);
  const existing = await db.selectFrom('kb_synonyms').select('id').where('brand_id', '=', brandId).limit(1).executeTakeFirst();
  if (existing) return { installed: false, synonyms: 0 };
  const now = options.now ?? new Date();
  await db
    .insertInto('kb_synonyms')
    .values(DEFAULT_SYNONYMS.map((terms) => ({ brand_id: brandId, terms: [...terms], created_at: now })))
    .execute();
  return { installed: true, synonyms: DEFAULT_SYNONYMS.length };
}

export type SeedKnowledgeOptions = {
  now: Date;
  categories?: readonly KbCategorySeed[];
  articles?: readonly KbArticleSeed[];
  synonyms?: readonly (readonly string[])[];
  /** The author recorded on versions and events (default none: the system). */
  authorId?: string | null;
};

export type SeedKnowledgeResult = { categories: number; articles: number; synonyms: number };

function sameTerms(a: readonly string[], b: readonly string[]): boolean {
  const norm = (x: readonly string[]) => [...new Set(x.map((t) => t.trim().toLowerCase()))].sort().join('\u0000');
  return norm(a) === norm(b);
}

/**
 * The demo knowledge base: categories, published articles (ids from kbArticleId(key)) with their
 * search vectors, a v1 version row and a 'created' event each, related articles resolved from keys,
 * and the demo synonyms not already present. Does nothing when the brand has articles already.
 */
export async function seedKnowledge(db: Kysely<DB>, brandId: string, options: SeedKnowledgeOptions): Promise<SeedKnowledgeResult> {
  if (!db.isTransaction) return db.transaction().execute((trx) => seedKnowledge(trx, brandId, options));
  const categories = options.categories ?? KB_CATEGORIES;
  const articles = options.articles ?? KB_ARTICLES;
  const synonyms = options.synonyms ?? KB_SYNONYMS;
  const now = options.now;
  const authorId = options.authorId ?? null;

  const already = await db.selectFrom('kb_articles').select('id').where('brand_id', '=', brandId).limit(1).executeTakeFirst();
  if (already) return { categories: 0, articles: 0, synonyms: 0 };

  // Parents first, so parent_id can be resolved.
  const categoryIds = new Map<string, string>();
  const existing = await db.selectFrom('kb_categories').select(['id', 'code']).where('brand_id', '=', brandId).execute();
  for (const c of existing) categoryIds.set(c.code, c.id);
  let insertedCategories = 0;
  const ordered = [...categories.filter((c) => !c.parentCode), ...categories.filter((c) => c.parentCode)];
  for (const [position, c] of ordered.entries()) {
    if (categoryIds.has(c.code)) continue;
    const row = await db
      .insertInto('kb_categories')
      .values({ brand_id: brandId, parent_id: c.parentCode ? (categoryIds.get(c.parentCode) ?? null) : null, code: c.code, name_zh: c.nameZh, name_en: c.nameEn, position })
      .returning('id')
      .executeTakeFirstOrThrow();
    categoryIds.set(c.code, row.id);
    insertedCategories++;
  }

  const keys = new Set(articles.map((a) => a.key));
  for (const a of articles) {
    const id = kbArticleId(a.key);
    const categoryId = categoryIds.get(a.categoryCode) ?? null;
    const related = (a.related ?? []).filter((k) => keys.has(k) && k !== a.key).map(kbArticleId);
    await db
      .insertInto('kb_articles')
      .values({
        id,
        brand_id: brandId,
        category_id: categoryId,
        language: a.language,
        title: a.title,
        summary: a.summary,
        body: a.body,
        audience: a.audience,
        status: 'published',
        tags: [...a.tags],
        valid_from: a.validFrom ?? null,
        valid_to: a.validTo ?? null,
        related_ids: related,
        version: 1,
        search_text: weightedSearchVector({ a: [a.title], b: [a.tags.join(' '), a.summary], c: [a.body] }),
        created_by: authorId,
        updated_by: authorId,
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto('kb_article_versions')
      .values({
        article_id: id,
        version: 1,
        title: a.title,
        summary: a.summary,
        body: a.body,
        tags: [...a.tags],
        category_id: categoryId,
        audience: a.audience,
        language: a.language,
        valid_from: a.validFrom ?? null,
        valid_to: a.validTo ?? null,
        author_id: authorId,
        note: 'demo content',
        created_at: now,
      })
      .execute();
    await db
      .insertInto('kb_article_events')
      .values({ article_id: id, action: 'created', from_status: null, to_status: 'published', version: 1, actor_id: authorId, note: 'demo content', created_at: now })
      .execute();
  }

  const present = await db.selectFrom('kb_synonyms').select('terms').where('brand_id', '=', brandId).execute();
  const fresh = synonyms.filter((terms) => terms.length >= 2 && !present.some((p) => sameTerms(p.terms, terms)));
  if (fresh.length > 0) {
    await db
      .insertInto('kb_synonyms')
      .values(fresh.map((terms) => ({ brand_id: brandId, terms: [...terms], created_at: now })))
      .execute();
  }
  return { categories: insertedCategories, articles: articles.length, synonyms: fresh.length };
}
