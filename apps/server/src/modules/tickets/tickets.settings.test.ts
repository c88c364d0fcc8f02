import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2026-11-24T03:00:00.000Z') });
});
afterAll(() => t.close());

async function call(user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const cookie = await t.login(user);
  return t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const newRepair = async () =>
  (
    await call('agent', 'POST', '/api/v1/tickets', {
      customerId: getDemoCustomerFixture('portal').id,
      categoryCode: 'fault-repair.low-voltage',
      description: '停电',
      fields: { outageScope: 'single-household', safetyHazard: false, faultAddress: '南大街18号' },
    })
  ).json();

describe('editable SLA policies', () => {
  it('applies an edited target to new orders only', async () => {
    const before = await newRepair();
    expect(before.sla.due.arrive).toBe('2026-11-24T03:45:00.000Z');
    const policies = (await call('admin', 'GET', '/api/v1/sla-policies')).json().items;
    const used = (await t.database.db.selectFrom('tickets').select('sla_policy_id').where('id', '=', before.id).executeTakeFirstOrThrow()).sla_policy_id;
    const policy = policies.find((p: { id: string }) => p.id === used);
    const res = await call('admin', 'PATCH', `/api/v1/sla-policies/${policy.id}`, { targets: { ...policy.targets, arrive: { amount: 30, unit: 'minutes', clock: 'natural' } } });
    expect(res.statusCode, res.body).toBe(200);
    const after = await newRepair();
    expect(after.sla.due.arrive).toBe('2026-11-24T03:30:00.000Z');
    const old = (await call('agent', 'GET', `/api/v1/tickets/${before.id}`)).json();
    expect(old.sla.due.arrive).toBe('2026-11-24T03:45:00.000Z');
  });

  it('refuses malformed targets and non-admins', async () => {
    const policy = (await call('admin', 'GET', '/api/v1/sla-policies')).json().items[0];
    const bad = await call('admin', 'PATCH', `/api/v1/sla-policies/${policy.id}`, { targets: { reply: { amount: 4, unit: 'weeks' } } });
    expect(bad.statusCode).toBe(400);
    const agent = await call('agent', 'PATCH', `/api/v1/sla-policies/${policy.id}`, { active: false });
    expect(agent.statusCode).toBe(403);
  });

  it('validates calendars as data (holidays and swapped workdays)', async () => {
    const calendars = (await call('admin', 'GET', '/api/v1/calendars')).json().items;
    const workdays = calendars.find((c: { definition: { alwaysOpen: boolean } }) => !c.definition.alwaysOpen);
    expect(workdays.definition.holidays.length).toBeGreaterThan(5);
    const broken = { ...workdays.definition, timeZone: 'Mars/Olympus' };
    const res = await call('admin', 'PATCH', `/api/v1/calendars/${workdays.id}`, { definition: broken });
    expect(res.statusCode).toBe(400);
    const ok = await call('admin', 'PATCH', `/api/v1/calendars/${workdays.id}`, { definition: { ...workdays.definition, holidays: [...workdays.definition.holidays, '2026-12-31'] } });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
