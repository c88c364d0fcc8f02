import type { Database } from '@kefu/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weightedSearchVector } from '../../platform/text-search.ts';
import { kbArticleId } from '../../seed/knowledge-content/ids.ts';
import { TEST_NOW } from '../../testing/constants.ts';
import { openTestDatabase } from '../../testing/test-app.ts';
import { createSearchService, RESOLVED_TICKET_STATUSES, type SearchService } from './search.service.ts';

let database: Database;
let brandId: string;
let search: SearchService;
const ids: Record<string, string> = {};

type Fixture = { key: string; title: string; body: string; audience?: 'public' | 'internal'; status?: string; language?: 'zh-CN' | 'en-US'; validFrom?: Date; validTo?: Date; tags?: string[]; summary?: string };

// Made-up words (仙鹤湾, Zorblax) keep these fixtures apart from the demo articles.
const FIXTURES: Fixture[] = [
  { key: 'outage', title: '仙鹤湾小区断电说明', body: '仙鹤湾小区因线路改造没电，预计两小时恢复。' },
  { key: 'internal', title: '仙鹤湾抢修内部调度口径', body: '内部：仙鹤湾抢修车辆调度口径。', audience: 'internal' },
  { key: 'draft', title: '仙鹤湾电价草稿', body: '仙鹤湾草稿内容。', status: 'draft' },
  { key: 'expired', title: '仙鹤湾旧电价公告', body: '仙鹤湾已经过期的公告。', validTo: new Date(TEST_NOW.getTime() - 86_400_000) },
  { key: 'future', title: '仙鹤湾新电价公告', body: '仙鹤湾尚未生效的公告。', validFrom: new Date(TEST_NOW.getTime() + 86_400_000) },
  { key: 'current', title: '仙鹤湾现行电价公告', body: '仙鹤湾正在执行的公告。', validFrom: new Date(TEST_NOW.getTime() - 86_400_000), validTo: new Date(TEST_NOW.getTime() + 86_400_000) },
  { key: 'zorblax', title: 'Zorblax electricity meter replacement', body: 'How the Zorblax electricity meter is replaced <b>for free</b>.', language: 'en-US' },
  { key: 'html', title: '仙鹤湾 <script>alert(1)</script> 公告', body: '仙鹤湾 <img src=x onerror=alert(1)> & more' },
];

beforeAll(async () => {
  database = await openTestDatabase();
  const db = database.db;
  brandId = (await db.selectFrom('brands').select('id').executeTakeFirstOrThrow()).id;
  for (const f of FIXTURES) {
    const id = kbArticleId(`search-test-${f.key}`);
    ids[f.key] = id;
    await db
      .insertInto('kb_articles')
      .values({
        id,
        brand_id: brandId,
        language: f.language ?? 'zh-CN',
        title: f.title,
        summary: f.summary ?? '',
        body: f.body,
        audience: f.audience ?? 'public',
        status: f.status ?? 'published',
        tags: f.tags ?? [],
        valid_from: f.validFrom ?? null,
        valid_to: f.validTo ?? null,
        search_text: weightedSearchVector({ a: [f.title], b: [(f.tags ?? []).join(' '), f.summary], c: [f.body] }),
      })
      .execute();
  }
  search = createSearchService({ db, clock: () => TEST_NOW });
});
afterAll(() => database.close());

const find = (q: string, extra: Partial<Parameters<SearchService['search']>[0]> = {}) =>
  search.search({ brandIds: [brandId], q, audience: 'public', limit: 50, ...extra });
const idsOf = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('article search', () => {
  it('finds a Chinese article through a synonym: 停电 finds the 断电/没电 article', async () => {
    const hits = await find('仙鹤湾停电');
    expect(idsOf(hits)[0]).toBe(ids.outage);
    expect(hits[0]?.highlight).toContain('<mark>断电</mark>');
    const none = await createSearchService({ db: database.db, clock: () => TEST_NOW }, { synonyms: false, strategy: 'and' }).search({ brandIds: [brandId], q: '仙鹤湾停电', audience: 'public' });
    expect(idsOf(none)).not.toContain(ids.outage);
  });

  it('never returns internal articles to a public search, but does to an internal one', async () => {
    const pub = await find('仙鹤湾抢修调度');
    expect(idsOf(pub)).not.toContain(ids.internal);
    expect(pub.every((h) => h.audience === 'public')).toBe(true);
    const internal = await find('仙鹤湾抢修调度', { audience: 'internal' });
    expect(idsOf(internal)[0]).toBe(ids.internal);
    expect(internal[0]?.audience).toBe('internal');
  });

  it('returns only published articles in force at the given instant', async () => {
    const hits = idsOf(await find('仙鹤湾公告', { audience: 'internal' }));
    expect(hits).toContain(ids.current);
    expect(hits).not.toContain(ids.expired);
    expect(hits).not.toContain(ids.future);
    expect(idsOf(await find('仙鹤湾草稿', { audience: 'internal' }))).not.toContain(ids.draft);
    // Two days later the future notice is in force and the current one has ended.
    const later = idsOf(await find('仙鹤湾公告', { audience: 'internal', at: new Date(TEST_NOW.getTime() + 2 * 86_400_000) }));
    expect(later).toContain(ids.future);
    expect(later).not.toContain(ids.current);
  });

  it('finds English articles, tolerating a typo in a short query', async () => {
    expect(idsOf(await find('zorblax meter'))[0]).toBe(ids.zorblax);
    // "electricty" (one letter missing) is corrected to the known word "electricity".
    const typo = await find('zorblax electricty');
    expect(idsOf(typo)[0]).toBe(ids.zorblax);
    expect(typo[0]?.highlight).toContain('<mark>Zorblax</mark>');
    expect(idsOf(await find('zorblax meters', { language: 'en-US' }))[0]).toBe(ids.zorblax);
    expect(idsOf(await find('zorblax meter', { language: 'zh-CN' }))).not.toContain(ids.zorblax);
  });

  it('escapes HTML in highlights and snippets', async () => {
    const hit = (await find('仙鹤湾 script')).find((h) => h.id === ids.html);
    expect(hit?.highlight).toContain('&lt;<mark>script</mark>&gt;');
    expect(hit?.highlight).not.toContain('<script>');
    expect(hit?.snippet).not.toMatch(/<img/);
    expect(hit?.snippet).toContain('&amp;');
  });

  it('ranks a demo article answering a colloquial question first', async () => {
    const hits = await find('家里突然停电了怎么报修', { language: 'zh-CN' });
    expect(hits[0]?.id).toBe(kbArticleId('fault-outage-report'));
    expect(hits[0]?.summary).toBeTruthy();
    // Best first.
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('still finds something for a long question whose words are not all in one article (OR fallback)', async () => {
    const hits = await find('仙鹤湾那边是不是在搞线路改造啊，我们楼下好几户都没有电用');
    expect(idsOf(hits)).toContain(ids.outage);
  });
});

describe('order search', () => {
  it('returns only resolved orders, with their number', async () => {
    const db = database.db;
    const open = await db.selectFrom('tickets').select(['id', 'number', 'title', 'description']).where('status', 'in', ['accepted', 'dispatched', 'in_progress']).where('title', 'is not', null).limit(1).executeTakeFirstOrThrow();
    const done = await db.selectFrom('tickets').select(['id', 'number', 'title', 'status']).where('status', 'in', [...RESOLVED_TICKET_STATUSES]).where('title', 'is not', null).limit(1).executeTakeFirstOrThrow();
    const doneHits = await find(done.title ?? '', { kinds: ['ticket'] });
    expect(doneHits.length).toBeGreaterThan(0);
    expect(doneHits.every((h) => h.kind === 'ticket' && typeof h.number === 'string')).toBe(true);
    const openHits = await find(open.title ?? '', { kinds: ['ticket'] });
    expect(idsOf(openHits)).not.toContain(open.id);
    const found = [...idsOf(doneHits), ...idsOf(openHits)];
    const statuses = await db.selectFrom('tickets').select('status').where('id', 'in', found).execute();
    expect(statuses.every((s) => RESOLVED_TICKET_STATUSES.includes(s.status))).toBe(true);
  });

  it('needs every word of the query in an order (no OR fill-up over the order table)', async () => {
    const done = await database.db.selectFrom('tickets').select(['id', 'title']).where('status', 'in', [...RESOLVED_TICKET_STATUSES]).where('title', 'is not', null).limit(1).executeTakeFirstOrThrow();
    expect(idsOf(await find(done.title ?? '', { kinds: ['ticket'] }))).toContain(done.id);
    // A word the knowledge base knows (so the query keeps it) that no order contains.
    const words = await sql<{ word: string }>`select word from ts_stat('select search_text from kb_articles') where length(word) >= 2 and ndoc between 2 and 5 order by ndoc desc, word limit 300`.execute(database.db);
    let absent: string | undefined;
    for (const { word } of words.rows) {
      if (!/^\p{Script=Han}+$/u.test(word)) continue;
      const n = await sql<{ n: number }>`select count(*)::int as n from tickets where search_text @@ to_tsquery('simple', ${`'${word}'`})`.execute(database.db);
      if (n.rows[0]?.n === 0) {
        absent = word;
        break;
      }
    }
    expect(absent).toBeDefined();
    expect(await find(`${done.title} ${absent}`, { kinds: ['ticket'] })).toEqual([]);
    // Articles still fill up with OR for the same kind of question.
    expect((await find(`${absent} ${done.title}`, { kinds: ['article'] })).length).toBeGreaterThan(0);
  });
});

describe('scripts', () => {
  it('finds an active script by pinyin initials, in any case', async () => {
    const db = database.db;
    const row = await db
      .insertInto('scripts')
      .values({ brand_id: brandId, shortcut: 'zzqhy', title: '仙鹤湾专用问候语', body: '您好，这里是仙鹤湾服务台。', pinyin: 'xhwZYwhY', search_text: sql`to_tsvector('simple', '仙鹤 湾 专用 问候 问候语')` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inactive = await db
      .insertInto('scripts')
      .values({ brand_id: brandId, shortcut: 'zzqhy2', title: '仙鹤湾停用问候语', body: '停用', pinyin: 'xhwTYwhY', active: false, search_text: sql`to_tsvector('simple', '仙鹤 湾 停用 问候 问候语')` })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const q of ['xhwzywhy', 'XHWZY', 'whY']) {
      const hits = await find(q, { kinds: ['script'] });
      expect(idsOf(hits), q).toContain(row.id);
      expect(idsOf(hits), q).not.toContain(inactive.id);
    }
    const byText = await find('仙鹤湾问候语', { kinds: ['script'] });
    expect(byText[0]?.id).toBe(row.id);
    expect(byText[0]?.kind).toBe('script');
  });
});
