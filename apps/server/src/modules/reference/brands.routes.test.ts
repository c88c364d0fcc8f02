import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const cookie = await t.login(user);
  return t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('brands', () => {
  it("keeps a second brand's customers invisible to staff until they are assigned to it", async () => {
    const res = await call('admin', 'POST', '/api/v1/brands', { code: 'water', name: '西宁供水热线' });
    expect(res.statusCode, res.body).toBe(201);
    const brand = res.json();
    const created = await call('admin', 'POST', '/api/v1/customers', { name: '供水客户', phones: ['13812340000'], brandId: brand.id });
    expect(created.statusCode, created.body).toBe(201);
    expect((await call('agent', 'GET', `/api/v1/customers/${created.json().id}`)).statusCode).toBe(403);
    expect((await call('agent', 'GET', '/api/v1/brands')).json().items).toHaveLength(1);
    const agent = (await call('agent', 'GET', '/api/v1/me')).json();
    const assign = await call('admin', 'PUT', `/api/v1/users/${agent.id}/brands`, { brandIds: [...agent.brands.map((b: { id: string }) => b.id), brand.id] });
    expect(assign.statusCode).toBe(200);
    expect((await call('agent', 'GET', `/api/v1/customers/${created.json().id}`)).statusCode).toBe(200);
    // The new brand has its own work-order defaults.
    const categories = await t.database.db.selectFrom('ticket_categories').select('code').where('brand_id', '=', brand.id).execute();
    expect(categories.length).toBeGreaterThan(50);
  });

  it('lets only administrators add brands', async () => {
    expect((await call('supervisor', 'POST', '/api/v1/brands', { code: 'gas', name: '燃气' })).statusCode).toBe(403);
  });
});
