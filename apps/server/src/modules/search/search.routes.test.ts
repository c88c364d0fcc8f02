import { ZKbSearchResponse, ZSearchResponse } from '@kefu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weightedSearchVector } from '../../platform/text-search.ts';
import { kbArticleId } from '../../seed/knowledge-content/ids.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
const internalId = kbArticleId('search-routes-internal');
beforeAll(async () => {
  t = await createTestApp();
  const brand = await t.database.db.selectFrom('brands').select('id').executeTakeFirstOrThrow();
  await t.database.db
    .insertInto('kb_articles')
    .values({
      id: internalId,
      brand_id: brand.id,
      title: '青稞岭停电内部处置口径',
      body: '内部口径：青稞岭停电时的统一答复。',
      audience: 'internal',
      status: 'published',
      tags: [],
      search_text: weightedSearchVector({ a: ['青稞岭停电内部处置口径'], c: ['内部口径：青稞岭停电时的统一答复。'] }),
    })
    .execute();
});
afterAll(() => t.close());

const get = async (url: string, user = 'agent') => t.app.inject({ method: 'GET', url, headers: { cookie: await t.login(user) } });

describe('GET /api/v1/kb/search', () => {
  it('answers the stable contract shape, best first, in Chinese and English', async () => {
    const zh = await get(`/api/v1/kb/search?q=${encodeURIComponent('电费怎么交')}&limit=5`);
    expect(zh.statusCode).toBe(200);
    const body = ZKbSearchResponse.parse(zh.json());
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThanOrEqual(5);
    for (const item of body.items) expect(item).toMatchObject({ id: expect.any(String), title: expect.any(String), score: expect.any(Number) });
    const scores = body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.items[0]?.highlight).toMatch(/<mark>/);

    const en = await get(`/api/v1/kb/search?q=${encodeURIComponent('pay electricity bill')}&language=en-US`);
    expect(en.statusCode).toBe(200);
    expect(en.json().items.length).toBeGreaterThan(0);
  });

  it('keeps internal articles out of public searches', async () => {
    const q = encodeURIComponent('青稞岭停电处置口径');
    const pub = await get(`/api/v1/kb/search?q=${q}&audience=public`);
    expect(pub.json().items.map((i: { id: string }) => i.id)).not.toContain(internalId);
    const byDefault = await get(`/api/v1/kb/search?q=${q}`);
    expect(byDefault.json().items.map((i: { id: string }) => i.id)).not.toContain(internalId);
    const internal = await get(`/api/v1/kb/search?q=${q}&audience=internal`);
    expect(internal.json().items[0]?.id).toBe(internalId);
  });

  it('refuses an empty, blank or too long query and unknown parameters with 400', async () => {
    for (const url of ['/api/v1/kb/search', '/api/v1/kb/search?q=', '/api/v1/kb/search?q=%20%20', `/api/v1/kb/search?q=${'电'.repeat(201)}`, '/api/v1/kb/search?q=a&limit=0', '/api/v1/kb/search?q=a&audience=everyone', '/api/v1/kb/search?q=a&bogus=1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('validation.failed');
    }
  });

  it('needs a signed-in user with kb:read', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/kb/search?q=abc' });
    expect(res.statusCode).toBe(401);
    const customer = await get('/api/v1/kb/search?q=abc', 'customer');
    expect(customer.statusCode).toBe(403);
  });
});

describe('GET /api/v1/search', () => {
  it('searches articles, scripts and past orders, with the kind of each hit', async () => {
    const res = await get(`/api/v1/search?q=${encodeURIComponent('停电')}&kinds=article,ticket&limit=20`);
    expect(res.statusCode).toBe(200);
    const body = ZSearchResponse.parse(res.json());
    const kinds = new Set(body.items.map((i) => i.kind));
    expect(kinds.has('article')).toBe(true);
    expect([...kinds].every((k) => k === 'article' || k === 'ticket')).toBe(true);
    const onlyOrders = ZSearchResponse.parse((await get(`/api/v1/search?q=${encodeURIComponent('停电')}&kinds=ticket`)).json());
    expect(onlyOrders.items.every((i) => i.kind === 'ticket' && i.number)).toBe(true);
  });

  it('refuses unknown kinds and orders to callers limited to part of the orders', async () => {
    expect((await get('/api/v1/search?q=abc&kinds=article,poem')).statusCode).toBe(400);
    expect((await get('/api/v1/search?q=abc&kinds=ticket', 'repair')).statusCode).toBe(403);
    const mixed = await get(`/api/v1/search?q=${encodeURIComponent('停电')}`, 'repair');
    expect(mixed.statusCode).toBe(200);
    expect(mixed.json().items.every((i: { kind: string }) => i.kind !== 'ticket')).toBe(true);
  });
});

describe('/api/v1/kb/synonyms', () => {
  it('lets a publisher add and remove synonyms, which search uses at once', async () => {
    const cookie = await t.login('supervisor');
    const before = await get(`/api/v1/kb/search?q=${encodeURIComponent('断供')}&audience=internal`, 'supervisor');
    expect(before.json().items.map((i: { id: string }) => i.id)).not.toContain(internalId);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: { cookie }, payload: { terms: ['断供', '停电'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().terms).toEqual(['断供', '停电']);
    const after = await get(`/api/v1/kb/search?q=${encodeURIComponent('断供')}&audience=internal&limit=50`, 'supervisor');
    expect(after.json().items.map((i: { id: string }) => i.id)).toContain(internalId);
    const list = await get('/api/v1/kb/synonyms', 'supervisor');
    expect(list.json().items.some((g: { id: string }) => g.id === created.json().id)).toBe(true);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/synonyms/${created.json().id}`, headers: { cookie } });
    expect(removed.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/kb/synonyms/${created.json().id}`, headers: { cookie } });
    expect(again.statusCode).toBe(404);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', created.json().id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['kb.synonyms.create', 'kb.synonyms.delete']);
  });

  it('validates synonym groups and refuses agents', async () => {
    const cookie = await t.login('supervisor');
    for (const terms of [['停电'], ['停电', '停电'], ['停电', ' '], ['停电', 'x'.repeat(21)], Array.from({ length: 21 }, (_, i) => `词${i}`), ['Outage', 'outage']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: { cookie }, payload: { terms } });
      expect(res.statusCode, JSON.stringify(terms)).toBe(400);
    }
    const agent = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: { cookie: await t.login('agent') }, payload: { terms: ['a1', 'b1'] } });
    expect(agent.statusCode).toBe(403);
  });
});
