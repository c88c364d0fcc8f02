// Search latency over 100,000 knowledge articles and 1,000,000 work orders on PostgreSQL (and a
// smaller PGlite run): p50/p99 of the search service for a mix of 200+ queries (common words, rare
// words, long colloquial questions, pinyin script queries), a smaller sample through HTTP, and the
// query plans' use of the GIN indexes.
//   npx tsx bench/search-latency.ts [--engines postgres,pglite] [--articles 100000] [--orders 1000000] [--pglite-articles 10000] [--pglite-orders 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { DB } from '@kefu/db';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { createSearchService, type SearchQuery } from '../apps/server/src/modules/search/search.service.ts';
import { hashPassword } from '../apps/server/src/platform/passwords.ts';
import { toSearchDocument } from '../apps/server/src/platform/text-search.ts';
import { bootstrapInstallation } from '../apps/server/src/seed/bootstrap.ts';
import { KB_ARTICLES } from '../apps/server/src/seed/knowledge-content/articles.ts';
import { LABELLED_QUESTIONS } from './search-quality/labelled-questions.ts';
import { seedKnowledge } from '../apps/server/src/seed/knowledge.seed.ts';
import { DESCRIPTION_TEMPLATES, fillTemplate } from '../apps/server/src/seed/ticket-texts.ts';
import { TEST_CONFIG } from '../apps/server/src/testing/test-app.ts';
import { type LatencyFigures, measure, writeResults } from './lib.ts';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const engines = (args.get('--engines') || 'postgres,pglite').split(',') as ('pglite' | 'postgres')[];
const SIZES = {
  postgres: { articles: Number(args.get('--articles') || 100_000), orders: Number(args.get('--orders') || 1_000_000) },
  pglite: { articles: Number(args.get('--pglite-articles') || 10_000), orders: Number(args.get('--pglite-orders') || 100_000) },
};
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AT = new Date('2026-11-23T02:00:00.000Z');
const STATUSES = ['accepted', 'dispatched', 'in_progress', 'handled', 'replied', 'followed_up', 'archived', 'resolved', 'returned'];
const REGIONS = ['城中区', '城东区', '城西区', '城北区', '湟中区', '大通县', '湟源县', '格尔木市', '德令哈市', '海东市', '玉树市', '共和县'];
const PLACES = ['幸福小区', '南山路', '五四大街', '朝阳村', '新宁路', '康乐小区', '昆仑路', '七一路', '光明村', '祁连路'];

async function openFresh(engine: 'pglite' | 'postgres'): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-search-bench-'));
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    return { database, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = 'kefu_bench_search';
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: 4 });
  return {
    database,
    cleanup: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Pieces of text with their jieba documents, recombined in SQL so millions of rows need no JS tokenizing. */
async function loadPools(db: Kysely<DB>) {
  await sql`create temp table pool_title (i int primary key, txt text, doc text)`.execute(db);
  await sql`create temp table pool_body (i int primary key, txt text, doc text)`.execute(db);
  await sql`create temp table pool_ticket (i int primary key, title text, txt text, doc text)`.execute(db);
  const titles = KB_ARTICLES.flatMap((a) => REGIONS.map((r) => `${a.title}（${r}）`));
  const bodies = KB_ARTICLES.flatMap((a) => [a.summary, ...a.body.split('\n').filter((l) => l.trim().length > 8)]);
  const tickets = Object.values(DESCRIPTION_TEMPLATES).flat().flatMap((tpl, k) =>
    PLACES.map((p, j) => {
      const text = fillTemplate(tpl.text, { addr: `${REGIONS[(k + j) % REGIONS.length]}${p}${(j * 7) % 30}号`, area: REGIONS[j % REGIONS.length] ?? '', time: '今天上午', month: '10月', amount: '386.50', n: '3', staff: '王师傅', kva: '50' });
      return { title: tpl.summary, text };
    }),
  );
  const insert = async (table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 500) {
      await sql`insert into ${sql.table(table)} select * from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows.slice(i, i + 500))}::jsonb)`.execute(db);
    }
  };
  await insert('pool_title', titles.map((t, i) => ({ i, txt: t, doc: toSearchDocument([t]) })));
  await insert('pool_body', bodies.map((t, i) => ({ i, txt: t, doc: toSearchDocument([t]) })));
  await insert('pool_ticket', tickets.map((t, i) => ({ i, title: t.title, txt: t.text, doc: toSearchDocument([t.title, t.text]) })));
  return { titles: titles.length, bodies: bodies.length, tickets: tickets.length };
}

async function generate(db: Kysely<DB>, brandId: string, articles: number, orders: number, log: (s: string) => void) {
  const pools = await loadPools(db);
  const category = await db.selectFrom('ticket_categories').select('code').where('brand_id', '=', brandId).limit(1).executeTakeFirstOrThrow();
  const customer = await db
    .insertInto('customers')
    .values({ brand_id: brandId, name: '压测客户', addresses: '[]', attributes: '{}', preferred_language: 'zh-CN', search_text: sql<string>`to_tsvector('simple', '压测 客户')` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batch = 50_000;
  let t = performance.now();
  for (let from = 0; from < articles; from += batch) {
    const to = Math.min(articles, from + batch);
    // Title from one article (with a region), summary and three body lines from others; 10% internal,
    // 5% drafts, 3% expired: the filters have something to filter.
    await sql`
      insert into kb_articles (brand_id, language, title, summary, body, audience, status, tags, valid_to, search_text, views, helpful_yes)
      select ${brandId}::uuid, 'zh-CN', left(t.txt, 200), b1.txt, b2.txt || E'\n' || b3.txt || E'\n' || b4.txt,
        case when g % 10 = 0 then 'internal' else 'public' end,
        case when g % 20 = 1 then 'draft' else 'published' end,
        '{}', case when g % 33 = 2 then ${new Date(AT.getTime() - 86_400_000)}::timestamptz else null end,
        setweight(to_tsvector('simple', t.doc), 'A') || setweight(to_tsvector('simple', b1.doc), 'B') || setweight(to_tsvector('simple', b2.doc || ' ' || b3.doc || ' ' || b4.doc), 'C'),
        g % 97, g % 13
      from generate_series(${from}::int, ${to - 1}::int) g
      join pool_title t on t.i = g % ${pools.titles}
      join pool_body b1 on b1.i = (g * 7) % ${pools.bodies}
      join pool_body b2 on b2.i = (g * 13 + 1) % ${pools.bodies}
      join pool_body b3 on b3.i = (g * 31 + 2) % ${pools.bodies}
      join pool_body b4 on b4.i = (g * 53 + 3) % ${pools.bodies}`.execute(db);
  }
  log(`  ${articles} articles in ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  for (let from = 0; from < orders; from += batch) {
    const to = Math.min(orders, from + batch);
    await sql`
      insert into tickets (brand_id, number, category_code, status, customer_id, title, description, search_text, created_at)
      select ${brandId}::uuid, 'B' || lpad(g::text, 9, '0'), ${category.code}, (${sql.val(STATUSES)}::text[])[1 + g % 9], ${customer.id}::uuid,
        p.title, p.txt, to_tsvector('simple', 'b' || lpad(g::text, 9, '0') || ' ' || p.doc), ${AT}::timestamptz - (g % 90) * interval '1 day'
      from generate_series(${from}::int, ${to - 1}::int) g
      join pool_ticket p on p.i = ((g::bigint * 7919) % ${pools.tickets})::int`.execute(db);
  }
  log(`  ${orders} orders in ${Math.round(performance.now() - t)} ms`);
}

function queryMix(): { q: string; kind: string; kinds: SearchQuery['kinds'] }[] {
  const common = ['停电', '电费', '缴费', '报修', '电表', '发票', '户号', '怎么', '查询', '电价', 'app', '网上国网', '跳闸', '欠费', '光伏'];
  const rare = ['违约金', '漏电保护器', '峰谷电价', '增值税专用发票', '三相电', '充电桩报装', '低保', '过户', '销户', '电梯困人', '变压器异响', '格尔木市'];
  const colloquial = LABELLED_QUESTIONS.filter((q) => q.q.length >= 10).map((q) => q.q);
  const english = ['power outage', 'pay my bill', 'electricity meter reading', 'elecricity bill', 'solar panel connection'];
  const pinyin = ['whY', 'why', 'qr', 'fw', 'bq', 'dd', 'xz'];
  const out: { q: string; kind: string; kinds: SearchQuery['kinds'] }[] = [];
  for (const q of common) out.push({ q, kind: 'common', kinds: ['article'] }, { q, kind: 'common-orders', kinds: ['ticket'] });
  for (const q of rare) out.push({ q, kind: 'rare', kinds: ['article'] }, { q, kind: 'rare-orders', kinds: ['ticket'] });
  for (const q of colloquial.slice(0, 110)) out.push({ q, kind: 'colloquial', kinds: ['article'] });
  for (const q of colloquial.slice(0, 20)) out.push({ q, kind: 'colloquial-all', kinds: ['article', 'script', 'ticket'] });
  for (const q of english) out.push({ q, kind: 'english', kinds: ['article'] });
  for (const q of pinyin) out.push({ q, kind: 'pinyin', kinds: ['script'] });
  return out;
}

async function explain(db: Kysely<DB>, brandId: string): Promise<{ articles: string; orders: string }> {
  const q = "'停电':* & '报修':*";
  const plan = async (text: string) => (await sql.raw<{ 'QUERY PLAN': string }>(text).execute(db)).rows.map((r) => r['QUERY PLAN']).join('\n');
  return {
    articles: await plan(`explain select id from kb_articles a where a.brand_id = '${brandId}' and a.status = 'published' and a.search_text @@ to_tsquery('simple', $$${q}$$) limit 2000`),
    orders: await plan(`explain select id from tickets t where t.brand_id = '${brandId}' and t.status in ('replied','followed_up','archived','resolved') and t.search_text @@ to_tsquery('simple', $$${q}$$) limit 2000`),
  };
}

type Row = { engine: string; articles: number; orders: number; seedSeconds: number; overall: LatencyFigures; byKind: Record<string, LatencyFigures>; http: LatencyFigures; vocabularyMs: number; plans: { articles: string; orders: string } };
const rows: Row[] = [];

for (const engine of engines) {
  const size = SIZES[engine];
  console.log(`▶ ${engine}: ${size.articles} articles, ${size.orders} orders`);
  const { database, cleanup } = await openFresh(engine);
  try {
    const db = database.db;
    await migrateToLatest(db);
    const { brandId } = await bootstrapInstallation(db, { adminPasswordHash: await hashPassword('bench-only-password-1'), now: AT });
    await seedKnowledge(db, brandId, { now: AT });
    const t0 = performance.now();
    await generate(db, brandId, size.articles, size.orders, console.log);
    if (engine === 'postgres') await sql`analyze`.execute(db);
    else await sql`analyze kb_articles`.execute(db).then(() => sql`analyze tickets`.execute(db));
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const search = createSearchService({ db, clock: () => AT });
    const mix = queryMix();
    // The first query loads the synonym and vocabulary caches (ts_stat over the articles): timed apart.
    const tv = performance.now();
    await search.search({ brandIds: [brandId], q: '停电', audience: 'public', at: AT });
    const vocabularyMs = Math.round(performance.now() - tv);
    const byKindSamples = new Map<string, number[]>();
    const overall = await measure(mix.length * 2, async (i) => {
      const item = mix[i % mix.length] ?? mix[0];
      if (!item) return;
      const t = performance.now();
      await search.search({ brandIds: [brandId], q: item.q, audience: 'internal', kinds: item.kinds, at: AT, limit: 10 });
      const ms = performance.now() - t;
      byKindSamples.set(item.kind, [...(byKindSamples.get(item.kind) ?? []), ms]);
    });
    const byKind: Record<string, LatencyFigures> = {};
    for (const [kind, samples] of byKindSamples) {
      const s = [...samples].sort((a, b) => a - b);
      const at = (p: number) => Math.round((s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0) * 100) / 100;
      byKind[kind] = { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: at(100), mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100 };
    }
    const app = await buildApp({ config: TEST_CONFIG, database, webDistDir: null, jobs: false, clock: () => AT });
    await app.ready();
    const admin = await db.selectFrom('users').select('username').where('role', '=', 'admin').executeTakeFirstOrThrow();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: admin.username, password: 'bench-only-password-1' } });
    const cookie = `kefu_sid=${login.cookies.find((c) => c.name === 'kefu_sid')?.value}`;
    const httpMix = mix.filter((m) => m.kind === 'colloquial' || m.kind === 'common');
    const http = await measure(Math.min(200, httpMix.length * 2), async (i) => {
      const item = httpMix[i % httpMix.length];
      const res = await app.inject({ method: 'GET', url: `/api/v1/kb/search?q=${encodeURIComponent(item?.q ?? '停电')}&audience=internal`, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
    });
    await app.close();
    const plans = await explain(db, brandId);
    rows.push({ engine, ...size, seedSeconds, overall, byKind, http, vocabularyMs, plans });
    console.log(`  service p50 ${overall.p50} ms, p99 ${overall.p99} ms (n=${overall.n}); HTTP p50 ${http.p50} ms, p99 ${http.p99} ms; first query (caches) ${vocabularyMs} ms`);
  } finally {
    await database.close();
    await cleanup();
  }
}

const md = [
  '# Search latency (bench/search-latency)',
  '',
  'Generated knowledge articles (demo article texts recombined: title of one with a region, summary and body lines of others; 10% internal, 5% drafts, 3% expired) and work orders (demo order descriptions at many addresses, all nine statuses). Mix of ' +
    `${queryMix().length} queries, each run twice: common and rare words over articles and over orders, long colloquial questions (articles; a few over all kinds), English, pinyin initials over scripts. Timed through the search service; a smaller sample through HTTP (Fastify inject, GET /api/v1/kb/search). The first query of a process loads the synonym and vocabulary caches and is reported apart.`,
  '',
  '| engine | articles | orders | data load s | service p50 ms | p90 | p99 | max | HTTP p50 ms | HTTP p99 | first query (cache load) ms |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.engine} | ${r.articles} | ${r.orders} | ${r.seedSeconds} | ${r.overall.p50} | ${r.overall.p90} | ${r.overall.p99} | ${r.overall.max} | ${r.http.p50} | ${r.http.p99} | ${r.vocabularyMs} |`),
  '',
  ...rows.flatMap((r) => [
    `## ${r.engine}: by query kind`,
    '',
    '| kind | n | p50 ms | p90 | p99 | max |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(r.byKind).map(([k, f]) => `| ${k} | ${f.n} | ${f.p50} | ${f.p90} | ${f.p99} | ${f.max} |`),
    '',
    `### ${r.engine}: plan of the candidate query (articles)`,
    '',
    '```',
    r.plans.articles,
    '```',
    '',
    `### ${r.engine}: plan of the candidate query (orders)`,
    '',
    '```',
    r.plans.orders,
    '```',
    '',
  ]),
].join('\n');
writeResults('search-latency', rows, md);
console.log('wrote bench/results/search-latency.md');
