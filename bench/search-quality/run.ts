// Search relevance over the demo knowledge base: for every labelled question (a customer's own
// wording → the article that answers it) run the public search and report recall@1, recall@3 and
// MRR, overall and per language, for several strategies side by side, plus the misses.
//   npx tsx bench/search-quality/run.ts            (fresh PGlite in memory)
//   DATABASE_URL=postgres://… npx tsx bench/search-quality/run.ts   (a database you created, emptied first)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import { createSearchService, type SearchOptions } from '../../apps/server/src/modules/search/search.service.ts';
import { hashPassword } from '../../apps/server/src/platform/passwords.ts';
import { bootstrapInstallation } from '../../apps/server/src/seed/bootstrap.ts';
import { KB_ARTICLES } from '../../apps/server/src/seed/knowledge-content/articles.ts';
import { kbArticleId } from '../../apps/server/src/seed/knowledge-content/ids.ts';
import { seedKnowledge } from '../../apps/server/src/seed/knowledge.seed.ts';
import { writeResults } from '../lib.ts';

type Labelled = { q: string; expected: string; language: 'zh-CN' | 'en-US' };

const here = path.dirname(fileURLToPath(import.meta.url));

async function loadQuestions(): Promise<Labelled[]> {
  const file = path.join(here, 'labelled-questions.ts');
  if (!existsSync(file)) throw new Error('bench/search-quality/labelled-questions.ts is missing');
  const mod = (await import(pathToFileURL(file).href)) as { LABELLED_QUESTIONS: Labelled[] };
  return mod.LABELLED_QUESTIONS;
}

// The instant searches run at: the validity windows of the demo articles are judged against it.
const AT = new Date(process.env.SEARCH_AT ?? '2026-11-23T02:00:00.000Z');

export const STRATEGIES: { name: string; options: SearchOptions; note: string }[] = [
  { name: 'default', options: {}, note: 'AND of groups, OR to fill up; synonyms, typos, stop words, blended score' },
  { name: 'no-vocabulary', options: { vocabulary: false }, note: 'as default, without splitting unknown words and IDF weights' },
  { name: 'no-synonyms', options: { synonyms: false }, note: 'as default, without the synonym dictionary' },
  { name: 'or-only', options: { strategy: 'or' }, note: 'OR of groups only (no AND pass)' },
  { name: 'and-only', options: { strategy: 'and' }, note: 'AND of groups only (no OR fallback)' },
  { name: 'ts-rank-only', options: { blend: false }, note: 'AND-then-OR, ordered by ts_rank alone (no blend)' },
  { name: 'no-stopwords', options: { stopwords: false }, note: 'as default, stop words kept in the query' },
];

type Metrics = { n: number; recall1: number; recall3: number; mrr: number };
type StrategyResult = { name: string; note: string; overall: Metrics; byLanguage: Record<string, Metrics>; misses: { q: string; expected: string; got: string[]; rank: number | null }[] };

function metrics(ranks: (number | null)[]): Metrics {
  const n = ranks.length;
  const r = (k: number) => ranks.filter((x) => x !== null && x <= k).length / Math.max(1, n);
  const mrr = ranks.reduce<number>((s, x) => s + (x === null ? 0 : 1 / x), 0) / Math.max(1, n);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { n, recall1: round(r(1)), recall3: round(r(3)), mrr: round(mrr) };
}

async function openBenchDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ kind: 'postgres', url });
  return openDatabase({ kind: 'pglite' });
}

export async function runQuality(): Promise<StrategyResult[]> {
  const questions = await loadQuestions();
  const database = await openBenchDatabase();
  try {
    await migrateToLatest(database.db);
    const { brandId } = await bootstrapInstallation(database.db, { adminPasswordHash: await hashPassword('bench-only-password-1'), now: AT });
    await seedKnowledge(database.db, brandId, { now: AT });
    const keyOf = new Map(KB_ARTICLES.map((a) => [kbArticleId(a.key), a.key]));
    const unknown = questions.filter((q) => !KB_ARTICLES.some((a) => a.key === q.expected));
    if (unknown.length > 0) console.warn(`labelled questions naming unknown articles: ${unknown.map((u) => u.expected).join(', ')}`);

    const results: StrategyResult[] = [];
    for (const s of STRATEGIES) {
      const search = createSearchService({ db: database.db, clock: () => AT }, s.options);
      const ranks: (number | null)[] = [];
      const byLang = new Map<string, (number | null)[]>();
      const misses: StrategyResult['misses'] = [];
      for (const item of questions) {
        const hits = await search.search({ brandIds: [brandId], q: item.q, audience: 'public', limit: 10, at: AT });
        const keys = hits.map((h) => keyOf.get(h.id) ?? h.id);
        const at = keys.indexOf(item.expected);
        const rank = at < 0 ? null : at + 1;
        ranks.push(rank);
        byLang.set(item.language, [...(byLang.get(item.language) ?? []), rank]);
        if (rank !== 1) misses.push({ q: item.q, expected: item.expected, got: keys.slice(0, 3), rank });
      }
      results.push({ name: s.name, note: s.note, overall: metrics(ranks), byLanguage: Object.fromEntries([...byLang].map(([k, v]) => [k, metrics(v)])), misses });
      const m = metrics(ranks);
      console.log(`${s.name.padEnd(14)} n=${m.n} recall@1=${m.recall1} recall@3=${m.recall3} MRR=${m.mrr}`);
    }
    return results;
  } finally {
    await database.close();
  }
}

function report(results: StrategyResult[], articles: number): string {
  const lines = [
    '# Search quality (bench/search-quality)',
    '',
    `${results[0]?.overall.n ?? 0} labelled customer questions against ${articles} demo articles (public search, limit 10, at ${AT.toISOString()}), database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}.`,
    '',
    '| strategy | recall@1 | recall@3 | MRR | zh-CN MRR | en-US MRR | what it is |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) => `| ${r.name} | ${r.overall.recall1} | ${r.overall.recall3} | ${r.overall.mrr} | ${r.byLanguage['zh-CN']?.mrr ?? '–'} | ${r.byLanguage['en-US']?.mrr ?? '–'} | ${r.note} |`,
    ),
    '',
    '## Per language (default strategy)',
    '',
    '| language | n | recall@1 | recall@3 | MRR |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(results[0]?.byLanguage ?? {}).map(([lang, m]) => `| ${lang} | ${m.n} | ${m.recall1} | ${m.recall3} | ${m.mrr} |`),
    '',
    '## Misses of the default strategy (expected article not first)',
    '',
    '| question | expected | rank | top 3 |',
    '| --- | --- | --- | --- |',
    ...(results[0]?.misses ?? []).map((m) => `| ${m.q.replaceAll('|', '/')} | ${m.expected} | ${m.rank ?? '—'} | ${m.got.join(', ')} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runQuality();
  writeResults('search-quality', { at: AT.toISOString(), articles: KB_ARTICLES.length, results }, report(results, KB_ARTICLES.length));
  console.log('wrote bench/results/search-quality.md');
}
