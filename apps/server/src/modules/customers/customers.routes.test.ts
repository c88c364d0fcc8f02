import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const portal = getDemoCustomerFixture('portal');
const elderly = getDemoCustomerFixture('elderlyAlone');

async function get(url: string, cookie: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie } });
}

describe('customer lookup and search', () => {
  it('finds a caller by exact phone, in any spelling, masked', async () => {
    const cookie = await t.login('agent');
    const res = await get('/api/v1/customers/lookup?phone=%2B86%20139-0000-0001', cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(1);
    expect(res.json().items[0]).toMatchObject({ id: portal.id, name: portal.name, phones: ['139****0001'] });
  });

  it('searches one box by phone, name, meter number and address', async () => {
    const cookie = await t.login('agent');
    const byPhone = await get('/api/v1/customers?q=13900000003', cookie);
    expect(byPhone.json().items.map((c: { id: string }) => c.id)).toEqual([elderly.id]);
    const byMeter = await get(`/api/v1/customers?q=${elderly.meter}`, cookie);
    expect(byMeter.json().items[0].id).toBe(elderly.id);
    const byName = await get(`/api/v1/customers?q=${encodeURIComponent(elderly.name)}`, cookie);
    expect(byName.json().items.map((c: { id: string }) => c.id)).toContain(elderly.id);
    const byAddress = await get(`/api/v1/customers?q=${encodeURIComponent('东关大街 电力家属院')}`, cookie);
    expect(byAddress.json().items.map((c: { id: string }) => c.id)).toContain(elderly.id);
  });

  it('pages through the whole list with cursors without repeats', async () => {
    const cookie = await t.login('supervisor');
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res = await get(`/api/v1/customers?limit=50${cursor ? `&cursor=${cursor}` : ''}`, cookie);
      expect(res.statusCode).toBe(200);
      for (const c of res.json().items) seen.add(c.id);
      cursor = res.json().nextCursor;
      expect(cursor).toBeTruthy();
    }
    expect(seen.size).toBe(150);
  });

  it('filters by flag and tag', async () => {
    const cookie = await t.login('agent');
    const res = await get(`/api/v1/customers?flag=vulnerable&tag=${encodeURIComponent('独居老人')}&limit=200`, cookie);
    const items = res.json().items as { flags: string[]; tags: string[] }[];
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((c) => c.flags.includes('vulnerable') && c.tags.includes('独居老人'))).toBe(true);
  });

  it('rejects a forged cursor with 400', async () => {
    const res = await get('/api/v1/customers?cursor=not-a-cursor', await t.login('agent'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
  });
});

describe('masking and reveal', () => {
  it('masks phone and ID number on the detail by default', async () => {
    const res = await get(`/api/v1/customers/${portal.id}`, await t.login('agent'));
    const body = res.json();
    expect(body.masked).toBe(true);
    expect(body.identities.find((i: { kind: string }) => i.kind === 'phone').value).toBe('139****0001');
    expect(body.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(res.body).not.toContain('13900000001');
  });

  it('lets a supervisor reveal one record and audits it; an agent may not', async () => {
    const denied = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${portal.id}/reveal`, headers: { cookie: await t.login('agent') } });
    expect(denied.statusCode).toBe(403);
    const cookie = await t.login('supervisor');
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${portal.id}/reveal`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().masked).toBe(false);
    expect(res.body).toContain('13900000001');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.reveal').where('entity_id', '=', portal.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_name).toBe('supervisor');
  });
});

describe('create and update', () => {
  it('creates a customer with phones, writes audit and outbox in the same transaction', async () => {
    const cookie = await t.login('agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { cookie },
      payload: { name: '卓玛', phones: ['+86 137 1234 5678'], addresses: [{ text: '海东市平安区平安大道8号', primary: true }], tags: ['新装用户'], attributes: { meter_type: '单相' } },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect(res.json().identities[0]).toMatchObject({ kind: 'phone', value: '137****5678' });
    const audit = await t.database.db.selectFrom('audit_log').select(['action']).where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(['customer.create']);
    const events = await t.database.db.selectFrom('outbox').select(['topic']).where('aggregate_id', '=', id).execute();
    expect(events.map((e) => e.topic)).toEqual(['customer.created']);
    const found = await get('/api/v1/customers?q=13712345678', cookie);
    expect(found.json().items[0].id).toBe(id);
  });

  it('refuses a duplicate phone with 409 and writes nothing', async () => {
    const cookie = await t.login('agent');
    const before = await t.database.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie }, payload: { name: '重复', phones: ['13800009999', '139 0000 0001'] } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'customer.duplicate_identity', details: { kind: 'phone', customerId: portal.id } });
    const after = await t.database.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses mass assignment and unknown attributes', async () => {
    const cookie = await t.login('agent');
    const extra = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${portal.id}`, headers: { cookie }, payload: { name: '张明远', brandId: 'x', search_text: 'x' } });
    expect(extra.statusCode).toBe(400);
    const attr = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${portal.id}`, headers: { cookie }, payload: { attributes: { favourite_colour: 'red' } } });
    expect(attr.statusCode).toBe(422);
    expect(attr.json().error.code).toBe('customer.unknown_attribute');
  });

  it('updates tags and re-indexes search', async () => {
    const cookie = await t.login('agent');
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${elderly.id}`, headers: { cookie }, payload: { tags: ['独居老人', '助老服务'], notes: '每月回访' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().tags).toEqual(['独居老人', '助老服务']);
    const found = await get(`/api/v1/customers?q=${encodeURIComponent('助老服务')}`, cookie);
    expect(found.json().items.map((c: { id: string }) => c.id)).toContain(elderly.id);
  });

  it('adds and removes identities but keeps the last one', async () => {
    const cookie = await t.login('agent');
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie }, payload: { name: '李四', phones: ['13655550000'] } })).json();
    const added = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${created.id}/identities`, headers: { cookie }, payload: { kind: 'meter', value: '6399990001' } });
    expect(added.statusCode).toBe(201);
    const phone = added.json().identities.find((i: { kind: string }) => i.kind === 'phone');
    const meter = added.json().identities.find((i: { kind: string }) => i.kind === 'meter');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/customers/${created.id}/identities/${phone.id}`, headers: { cookie } })).statusCode).toBe(204);
    const last = await t.app.inject({ method: 'DELETE', url: `/api/v1/customers/${created.id}/identities/${meter.id}`, headers: { cookie } });
    expect(last.statusCode).toBe(409);
  });
});

describe('data scopes (IDOR)', () => {
  it('shows a customer-role user only their own record', async () => {
    const cookie = await t.login('customer');
    const own = await get(`/api/v1/customers/${portal.id}`, cookie);
    expect(own.statusCode).toBe(200);
    const other = await get(`/api/v1/customers/${elderly.id}`, cookie);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('auth.forbidden');
    const list = await get('/api/v1/customers?limit=200', cookie);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([portal.id]);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${elderly.id}`, headers: { cookie }, payload: { notes: 'x' } });
    expect(patch.statusCode).toBe(403);
  });

  it("limits an account manager to their areas' customers", async () => {
    const cookie = await t.login('accountmgr');
    const me = (await get('/api/v1/me', cookie)).json();
    const areas = (await get('/api/v1/areas', cookie)).json().items as { id: string; accountManager: { id: string } | null }[];
    const mine = new Set(areas.filter((a) => a.accountManager?.id === me.id).map((a) => a.id));
    expect(mine.size).toBeGreaterThan(0);
    const list = (await get('/api/v1/customers?limit=200', cookie)).json().items as { areaId: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c) => mine.has(c.areaId))).toBe(true);
    const outside = await t.database.db.selectFrom('customers').select('id').where('area_id', 'not in', [...mine]).limit(1).executeTakeFirstOrThrow();
    expect((await get(`/api/v1/customers/${outside.id}`, cookie)).statusCode).toBe(403);
  });

  it('shows a department member only the customers of orders dispatched to their department', async () => {
    const cookie = await t.login('dispatcher');
    expect((await get('/api/v1/customers?limit=5', cookie)).json().items.length).toBe(5);
    const crew = await t.login('repair');
    const me = (await get('/api/v1/me', crew)).json();
    const list = (await get('/api/v1/customers?limit=100', crew)).json().items as { id: string }[];
    expect(list.length).toBeGreaterThan(0);
    const linked = await t.database.db.selectFrom('tickets').select('customer_id').where('department_id', '=', me.departmentId).execute();
    const allowed = new Set(linked.map((r) => r.customer_id));
    expect(list.every((c) => allowed.has(c.id))).toBe(true);
    const stranger = await t.database.db.selectFrom('customers').select('id').where('id', 'not in', [...allowed]).limit(1).executeTakeFirstOrThrow();
    expect((await get(`/api/v1/customers/${stranger.id}`, crew)).statusCode).toBe(403);
  });

  it('answers 404 for an id that does not exist and 400 for a malformed one', async () => {
    const cookie = await t.login('agent');
    expect((await get('/api/v1/customers/00000000-0000-4000-8000-000000000000', cookie)).statusCode).toBe(404);
    expect((await get('/api/v1/customers/123', cookie)).statusCode).toBe(400);
  });

  it('hides a brand the user does not serve', async () => {
    const db = t.database.db;
    const brand = await db.insertInto('brands').values({ code: 'other', name: '另一品牌' }).returning('id').executeTakeFirstOrThrow();
    const c = await db
      .insertInto('customers')
      .values({ brand_id: brand.id, name: '他牌客户', addresses: '[]', preferred_language: 'zh-CN', attributes: '{}', search_text: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cookie = await t.login('supervisor');
    expect((await get(`/api/v1/customers/${c.id}`, cookie)).statusCode).toBe(403);
  });
});
