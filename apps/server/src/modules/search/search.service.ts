import type { DB } from '@kefu/db';
import {
  addTypoAlternatives,
  applyVocabulary,
  buildSearchPlan,
  chineseSubwordGroups,
  highlightSnippet,
  highlightTerms,
  highlightText,
  isPinyinInitialsQuery,
  markdownToPlain,
  OPEN_STATUSES,
  parseTsVector,
  pinyinInitialsMatch,
  type SearchTermGroup,
  type SearchVocabulary,
  scoreSearchHit,
  type SynonymTerm,
  TICKET_STATUSES,
  toGroupsTsQuery,
} from '@kefu/domain';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { tokenize } from '../../platform/text-search.ts';

// One Chinese-aware search over knowledge articles, scripts (话术) and resolved work orders.
//
// Strategy (measured in bench/search-quality): the question becomes groups of alternatives
// (synonyms, sub-words, typo fixes); the database first looks for documents holding every group
// (AND); when that finds fewer than `limit`, documents holding any group (OR) fill up the list, so
// a long colloquial question still finds something. At most SEARCH_CANDIDATES matches per query
// are ranked by ts_rank, the best few dozen are re-scored by the explainable blend of
// packages/domain/src/search/scoring.ts.

export type SearchKind = 'article' | 'script' | 'ticket';
export type SearchHit = {
  kind: SearchKind;
  id: string;
  title: string;
  score: number;
  /** HTML-escaped title with <mark>…</mark> around matched words. */
  highlight?: string;
  /** HTML-escaped window of the body around the first match, matches in <mark>. */
  snippet?: string;
  /** Article summary (the short answer). */
  summary?: string;
  /** Ticket number. */
  number?: string;
  categoryId?: string | null;
  audience?: 'public' | 'internal';
};
export type SearchQuery = {
  brandIds: readonly string[];
  q: string;
  /** public: only public articles; internal: both. */
  audience: 'public' | 'internal';
  /** Default ['article']. */
  kinds?: SearchKind[];
  language?: 'zh-CN' | 'en-US';
  categoryId?: string;
  tags?: string[];
  /** Default 10, max 50. */
  limit?: number;
  at?: Date;
};
export type SearchService = { search(q: SearchQuery): Promise<SearchHit[]> };

/** Knobs for the quality bench; production uses the defaults. */
export type SearchOptions = {
  /** 'and-then-or' (default), 'and' only, or 'or' only. */
  strategy?: 'and-then-or' | 'and' | 'or';
  synonyms?: boolean;
  typos?: boolean;
  /** Split unknown Chinese words and weigh groups by IDF from the articles' vocabulary (default true). */
  vocabulary?: boolean;
  /** Re-score with the domain blend (default) or keep the database's ts_rank order. */
  blend?: boolean;
  /** Drop stop words from questions (default true). */
  stopwords?: boolean;
  synonymTtlMs?: number;
};

/** How many full-text matches one query ranks at most, so a common word never scans the world. */
export const SEARCH_CANDIDATES = 2000;
/** How many of the best-ranked candidates are re-scored. */
const RESCORE = 60;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;
const VOCABULARY_TTL_MS = 10 * 60_000;

/** Orders the customer has had an answer for: every status that is not open. */
export const RESOLVED_TICKET_STATUSES: readonly string[] = TICKET_STATUSES.filter((s) => !OPEN_STATUSES.includes(s));

type Cached<T> = { at: number; value: T };

const synonymCaches = new Set<Map<string, Cached<SynonymTerm[][]>>>();

/** Forgets the cached synonyms of a brand in every search service of this process (after a write). */
export function invalidateSynonymCache(brandId: string): void {
  for (const cache of synonymCaches) cache.delete(brandId);
}

/** Turns synonym rows into groups of terms with their tokens. */
export function toSynonymTerms(rows: readonly (readonly string[])[]): SynonymTerm[][] {
  return rows.map((terms) => terms.map((text) => ({ text: text.toLowerCase(), tokens: tokenize(text) })));
}

type ArticleRow = {
  id: string;
  title: string;
  summary: string;
  body: string;
  category_id: string | null;
  audience: string;
  search_text: string;
  rank: number;
  helpful_yes: number;
  helpful_no: number;
  used_in_reply: number;
  views: number;
};

type Candidate = { id: string; title: string; score: number; matchedAll: boolean; hit: SearchHit; body: string };

export function createSearchService(deps: { db: Kysely<DB>; clock: () => Date }, options: SearchOptions = {}): SearchService {
  const { db, clock } = deps;
  const strategy = options.strategy ?? 'and-then-or';
  const useSynonyms = options.synonyms ?? true;
  const useTypos = options.typos ?? true;
  const useVocabulary = options.vocabulary ?? true;
  const blend = options.blend ?? true;
  const synonymTtl = options.synonymTtlMs ?? 60_000;
  const synonymCache = new Map<string, Cached<SynonymTerm[][]>>();
  synonymCaches.add(synonymCache);
  const vocabularyCache = new Map<string, Cached<SearchVocabulary>>();

  async function synonymsOf(brandIds: readonly string[]): Promise<SynonymTerm[][]> {
    const out: SynonymTerm[][] = [];
    const now = Date.now();
    for (const brandId of brandIds) {
      let cached = synonymCache.get(brandId);
      if (!cached || now - cached.at > synonymTtl) {
        const rows = await db.selectFrom('kb_synonyms').select('terms').where('brand_id', '=', brandId).orderBy('created_at').execute();
        cached = { at: now, value: toSynonymTerms(rows.map((r) => r.terms)) };
        synonymCache.set(brandId, cached);
      }
      out.push(...cached.value);
    }
    return out;
  }

  // The words of the published articles with their document frequencies (ts_stat), for typo
  // tolerance, splitting unknown Chinese words and IDF weights; cached per brand set.
  async function vocabularyOf(brandIds: readonly string[]): Promise<SearchVocabulary> {
    const key = [...brandIds].sort().join(',');
    const cached = vocabularyCache.get(key);
    if (cached && Date.now() - cached.at < VOCABULARY_TTL_MS) return cached.value;
    const ids = brandIds.filter((b) => /^[0-9a-f-]{36}$/i.test(b));
    const words = new Map<string, number>();
    let documents = 0;
    if (ids.length > 0) {
      // ts_stat takes the query as text: the brand ids are checked uuids, never user input.
      const inner = `select search_text from kb_articles where status = 'published' and brand_id in (${ids.map((b) => `'${b}'`).join(',')})`;
      const rows = await sql<{ word: string; ndoc: number }>`select word, ndoc from ts_stat(${inner})`.execute(db);
      for (const r of rows.rows) words.set(r.word, Number(r.ndoc));
      const count = await sql<{ n: number }>`select count(*)::int as n from kb_articles where status = 'published' and brand_id in (${sql.join(ids.map((b) => sql`${b}::uuid`))})`.execute(db);
      documents = Number(count.rows[0]?.n ?? 0);
    }
    const value = { words, documents };
    vocabularyCache.set(key, { at: Date.now(), value });
    return value;
  }

  async function plan(q: SearchQuery): Promise<SearchTermGroup[]> {
    const synonyms = useSynonyms ? await synonymsOf(q.brandIds) : [];
    let groups = buildSearchPlan({ text: q.q, tokens: tokenize(q.q), synonyms, dropStopwords: options.stopwords ?? true });
    if (!useVocabulary && !useTypos) return groups;
    const vocabulary = await vocabularyOf(q.brandIds);
    if (vocabulary.documents === 0) return groups;
    if (useTypos) groups = addTypoAlternatives(groups, vocabulary.words);
    if (useVocabulary) groups = applyVocabulary(groups, vocabulary);
    return groups;
  }

  function articleFilter(q: SearchQuery, at: Date): RawBuilder<boolean> {
    const parts: RawBuilder<unknown>[] = [
      sql`a.brand_id in (${sql.join(q.brandIds.map((b) => sql`${b}::uuid`))})`,
      sql`a.status = 'published'`,
      sql`(a.valid_from is null or a.valid_from <= ${at})`,
      sql`(a.valid_to is null or a.valid_to > ${at})`,
    ];
    if (q.audience === 'public') parts.push(sql`a.audience = 'public'`);
    if (q.language) parts.push(sql`a.language = ${q.language}`);
    if (q.categoryId) parts.push(sql`a.category_id in (select c.id from kb_categories c where c.id = ${q.categoryId}::uuid or c.parent_id = ${q.categoryId}::uuid)`);
    if (q.tags && q.tags.length > 0) parts.push(sql`a.tags @> ${q.tags}::text[]`);
    return sql<boolean>`${sql.join(parts, sql` and `)}`;
  }

  async function articleRows(q: SearchQuery, at: Date, tsQuery: string): Promise<ArticleRow[]> {
    const result = await sql<ArticleRow>`
      with cand as (
        select a.id from kb_articles a
        where ${articleFilter(q, at)} and a.search_text @@ to_tsquery('simple', ${tsQuery})
        limit ${SEARCH_CANDIDATES}
      )
      select a.id, a.title, a.summary, a.body, a.category_id, a.audience, a.search_text::text as search_text,
        ts_rank('{0.1, 0.35, 0.6, 1.0}', a.search_text, to_tsquery('simple', ${tsQuery}), 1) as rank,
        a.helpful_yes, a.helpful_no, a.used_in_reply, a.views
      from kb_articles a
      where a.id in (select id from cand)
      order by rank desc, a.id
      limit ${RESCORE}`.execute(db);
    return result.rows.map((r) => ({ ...r, rank: Number(r.rank) }));
  }

  function scoreArticles(rows: ArticleRow[], groups: SearchTermGroup[], q: string, matchedAll: boolean): Candidate[] {
    return rows.map((r, i) => {
      const s = blend
        ? scoreSearchHit({ groups, lexemes: parseTsVector(r.search_text), rank: r.rank, query: q, title: r.title, helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no, usedInReply: r.used_in_reply, views: r.views }).score
        : r.rank + (matchedAll ? 10 : 0) - i * 1e-6;
      return {
        id: r.id,
        title: r.title,
        score: s,
        matchedAll,
        body: `${r.summary}\n${r.body}`,
        hit: { kind: 'article', id: r.id, title: r.title, score: s, summary: r.summary, categoryId: r.category_id, audience: r.audience === 'internal' ? 'internal' : 'public' },
      };
    });
  }

  /**
   * AND first, OR to fill up; then the Chinese sub-word retry when nothing matched at all. Without
   * `fallbacks` only the AND pass runs: over a million orders an OR of common words builds a bitmap
   * of most of the table (the latency bench measured 1.1–1.6 s for such queries).
   */
  async function collect(
    groups: SearchTermGroup[],
    limit: number,
    run: (tsQuery: string, matchedAll: boolean) => Promise<Candidate[]>,
    rawQuery: string,
    fallbacks = true,
  ): Promise<Candidate[]> {
    const found = new Map<string, Candidate>();
    const add = (cs: Candidate[]) => {
      for (const c of cs) if (!found.has(c.id)) found.set(c.id, c);
    };
    const andQuery = toGroupsTsQuery(groups, 'and');
    if (andQuery && (strategy !== 'or' || !fallbacks)) add(await run(andQuery, true));
    if (!fallbacks) return [...found.values()];
    if (strategy !== 'and' && found.size < limit && groups.length > 1) {
      const orQuery = toGroupsTsQuery(groups, 'or');
      if (orQuery) add(await run(orQuery, false));
    }
    if (strategy === 'or' && groups.length === 1 && andQuery && found.size === 0) add(await run(andQuery, true));
    if (found.size === 0) {
      const sub = chineseSubwordGroups(rawQuery);
      const subQuery = sub ? toGroupsTsQuery(sub, 'or') : null;
      if (subQuery) add(await run(subQuery, false));
    }
    return [...found.values()];
  }

  async function searchArticles(q: SearchQuery, groups: SearchTermGroup[], limit: number, at: Date): Promise<SearchHit[]> {
    const candidates = await collect(groups, limit, async (tsQuery, matchedAll) => scoreArticles(await articleRows(q, at, tsQuery), groups, q.q, matchedAll), q.q);
    const terms = highlightTerms(groups);
    return rankAndCut(candidates, limit).map((c) => ({ ...c.hit, highlight: highlightText(c.title, terms), snippet: highlightSnippet(markdownToPlain(c.body), terms) }));
  }

  async function searchScripts(q: SearchQuery, groups: SearchTermGroup[], limit: number): Promise<SearchHit[]> {
    const tsQuery = toGroupsTsQuery(groups, 'or');
    const initials = isPinyinInitialsQuery(q.q) ? q.q.trim().toLowerCase() : null;
    const conditions: RawBuilder<unknown>[] = [];
    if (tsQuery) conditions.push(sql`s.search_text @@ to_tsquery('simple', ${tsQuery})`);
    if (initials) conditions.push(sql`position(${initials} in lower(s.pinyin)) > 0`, sql`lower(s.shortcut) like ${`${initials}%`}`);
    if (conditions.length === 0) return [];
    const rows = await sql<{ id: string; title: string; body: string; pinyin: string; shortcut: string; search_text: string; rank: number; usage_count: number }>`
      select s.id, s.title, s.body, s.pinyin, s.shortcut, s.search_text::text as search_text, s.usage_count,
        ${tsQuery ? sql`ts_rank(s.search_text, to_tsquery('simple', ${tsQuery}), 1)` : sql`0`} as rank
      from scripts s
      where s.brand_id in (${sql.join(q.brandIds.map((b) => sql`${b}::uuid`))}) and s.active
        ${q.language ? sql`and s.language = ${q.language}` : sql``}
        and (${sql.join(conditions, sql` or `)})
      order by rank desc, s.usage_count desc, s.id
      limit ${SEARCH_CANDIDATES}`.execute(db);
    const terms = highlightTerms(groups);
    const scored = rows.rows.map((r) => {
      const text = scoreSearchHit({ groups, lexemes: parseTsVector(r.search_text), rank: Number(r.rank), query: q.q, title: r.title, usedInReply: r.usage_count }).score;
      const pinyin = initials ? Math.max(pinyinInitialsMatch(r.pinyin, initials), pinyinInitialsMatch(r.shortcut, initials)) * 2 : 0;
      const score = Math.round((text + pinyin) * 10000) / 10000;
      const hit: SearchHit = { kind: 'script', id: r.id, title: r.title, score, highlight: highlightText(r.title, terms), snippet: highlightSnippet(r.body, terms) };
      return { id: r.id, title: r.title, score, matchedAll: true, body: r.body, hit };
    });
    return rankAndCut(scored, limit).map((c) => c.hit);
  }

  async function ticketRows(q: SearchQuery, tsQuery: string, groups: SearchTermGroup[], matchedAll: boolean): Promise<Candidate[]> {
    const result = await sql<{ id: string; number: string; title: string | null; description: string; search_text: string; rank: number }>`
      with cand as (
        select t.id from tickets t
        where t.brand_id in (${sql.join(q.brandIds.map((b) => sql`${b}::uuid`))})
          and t.status in (${sql.join(RESOLVED_TICKET_STATUSES)})
          and t.search_text @@ to_tsquery('simple', ${tsQuery})
        limit ${SEARCH_CANDIDATES}
      )
      select t.id, t.number, t.title, t.description, t.search_text::text as search_text,
        ts_rank(t.search_text, to_tsquery('simple', ${tsQuery}), 1) as rank
      from tickets t where t.id in (select id from cand)
      order by rank desc, t.id
      limit ${RESCORE}`.execute(db);
    return result.rows.map((r) => {
      const title = r.title ?? r.description.slice(0, 40);
      const score = scoreSearchHit({ groups, lexemes: parseTsVector(r.search_text), rank: Number(r.rank), query: q.q, title }).score;
      return { id: r.id, title, score, matchedAll, body: r.description, hit: { kind: 'ticket', id: r.id, title, score, number: r.number } };
    });
  }

  async function searchTickets(q: SearchQuery, groups: SearchTermGroup[], limit: number): Promise<SearchHit[]> {
    const candidates = await collect(groups, limit, (tsQuery, matchedAll) => ticketRows(q, tsQuery, groups, matchedAll), q.q, false);
    const terms = highlightTerms(groups);
    return rankAndCut(candidates, limit).map((c) => ({ ...c.hit, highlight: highlightText(c.title, terms), snippet: highlightSnippet(c.body, terms) }));
  }

  return {
    async search(q) {
      const text = q.q.trim();
      if (!text || q.brandIds.length === 0) return [];
      const limit = Math.min(MAX_LIMIT, Math.max(1, q.limit ?? DEFAULT_LIMIT));
      const at = q.at ?? clock();
      const kinds = q.kinds && q.kinds.length > 0 ? [...new Set(q.kinds)] : (['article'] as SearchKind[]);
      const query = { ...q, q: text };
      const groups = await plan(query);
      const lists: SearchHit[][] = [];
      // Document frequencies come from the articles: scripts and orders keep every group, unweighted.
      const unweighted = groups.map(({ df: _df, weight: _weight, ...g }) => g);
      for (const kind of kinds) {
        if (kind === 'article') lists.push(await searchArticles(query, groups, limit, at));
        else if (kind === 'script') lists.push(await searchScripts(query, unweighted, limit));
        else lists.push(await searchTickets(query, unweighted, limit));
      }
      if (lists.length === 1) return lists[0] ?? [];
      return lists
        .flat()
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
  };
}

function rankAndCut(candidates: Candidate[], limit: number): Candidate[] {
  return [...candidates].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}
