import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../seed/index.ts';
import { createTestApp, type TestContext } from '../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  // Configuration is reloaded on every use, so a load inside a transaction on the wrong handle would hang.
  t = await createTestApp({ configTtlMs: 0 });
});
afterAll(() => t.close());

const REPAIR = { outageScope: 'single-household', safetyHazard: false, faultAddress: '南大街18号' };

describe('concurrent requests', () => {
  it('keeps transactions of parallel requests apart: a failing one rolls back alone, nothing hangs', async () => {
    const cookie = await t.login('agent');
    const dispatcher = await t.login('dispatcher');
    const portal = getDemoCustomerFixture('portal').id;
    const jobs = [
      ...Array.from({ length: 8 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie }, payload: { name: `并发客户${i}`, phones: [`1360000${String(1000 + i)}`] } }),
      ),
      // Each of these fails inside its transaction (the phone already exists).
      ...Array.from({ length: 4 }, () => t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie }, payload: { name: '重复', phones: ['13900000001'] } })),
      ...Array.from({ length: 6 }, () =>
        t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { cookie }, payload: { customerId: portal, categoryCode: 'fault-repair.low-voltage', description: '并发', fields: REPAIR, dispatch: {} } }),
      ),
      ...Array.from({ length: 6 }, () => t.app.inject({ method: 'GET', url: '/api/v1/tickets?open=true&limit=20', headers: { cookie: dispatcher } })),
    ];
    const results = await Promise.all(jobs);
    const codes = results.map((r) => r.statusCode);
    expect(codes.slice(0, 8)).toEqual(Array(8).fill(201));
    expect(codes.slice(8, 12)).toEqual(Array(4).fill(409));
    expect(codes.slice(12, 18)).toEqual(Array(6).fill(201));
    expect(codes.slice(18)).toEqual(Array(6).fill(200));
    const made = await t.database.db.selectFrom('customers').select('name').where('name', 'like', '并发客户%').execute();
    expect(made).toHaveLength(8);
    const numbers = results.slice(12, 18).map((r) => r.json().number);
    expect(new Set(numbers).size).toBe(6);
  });

  it('runs every work-order path that reads configuration inside its transaction without waiting for itself', async () => {
    const cookie = await t.login('agent');
    const crew = await t.login('repair');
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { cookie },
        payload: { customerId: getDemoCustomerFixture('portal').id, categoryCode: 'fault-repair.low-voltage', description: '停电', fields: REPAIR, dispatch: {} },
      })
    ).json();
    const accept = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${created.id}/actions`, headers: { cookie: crew }, payload: { action: { type: 'accept_dispatch' } } });
    expect(accept.statusCode).toBe(200);
    const sweep = await t.app.sweepSla(new Date(Date.now() + 86_400_000));
    expect(sweep.examined).toBeGreaterThan(0);
  });
});
