import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
let now = new Date('2026-11-24T02:00:00.000Z'); // Tuesday 10:00 in Xining
beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
});
afterAll(() => t.close());

const portal = getDemoCustomerFixture('portal');
const elderly = getDemoCustomerFixture('elderlyAlone');
const REPAIR_FIELDS = { outageScope: 'single-household', safetyHazard: false, faultAddress: '西宁市城中区南大街18号' };

async function as(user: string) {
  const cookie = await t.login(user);
  return {
    get: (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object }),
  };
}

async function createRepair(extra: Record<string, unknown> = {}, customerId = portal.id) {
  const agent = await as('agent');
  const res = await agent.post('/api/v1/tickets', { customerId, categoryCode: 'fault-repair.low-voltage', description: '家中突然停电，邻居家有电', fields: REPAIR_FIELDS, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const act = async (user: string, id: string, action: Record<string, unknown>, expectedVersion?: number) =>
  (await as(user)).post(`/api/v1/tickets/${id}/actions`, { action, ...(expectedVersion ? { expectedVersion } : {}) });

describe('recording a work order', () => {
  it('numbers it GD+date+sequence, computes its SLA deadlines and starts the timeline', async () => {
    const ticket = await createRepair();
    expect(ticket.number).toMatch(/^GD20261124\d{6}$/);
    expect(ticket).toMatchObject({ status: 'accepted', outcome: 'created', priority: 'normal', categoryCode: 'fault-repair.low-voltage' });
    expect(ticket.categoryPath.map((c: { nameZh: string }) => c.nameZh)).toEqual(['故障报修', '低压故障']);
    // Urban repairs: on site within 45 minutes, natural time.
    expect(ticket.sla.due.arrive).toBe('2026-11-24T02:45:00.000Z');
    expect(ticket.customer.phones).toEqual(['139****0001']);
    const events = (await (await as('agent')).get(`/api/v1/tickets/${ticket.id}/events`)).json().items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['created']);
    const next = await createRepair();
    expect(Number(next.number.slice(-6))).toBe(Number(ticket.number.slice(-6)) + 1);
  });

  it('raises priority for vulnerable customers', async () => {
    const ticket = await createRepair({}, elderly.id);
    expect(ticket.priority).toBe('high');
  });

  it('refuses unknown categories and bad custom fields with 422, writing nothing', async () => {
    const agent = await as('agent');
    const before = await t.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await agent.post('/api/v1/tickets', { customerId: portal.id, categoryCode: 'fault-repair.no-such-thing', description: 'x', fields: REPAIR_FIELDS });
    expect(bad.json().error.code).toBe('ticket.invalid_category');
    const fields = await agent.post('/api/v1/tickets', { customerId: portal.id, categoryCode: 'fault-repair.low-voltage', description: 'x', fields: { outageScope: 'galaxy' } });
    expect(fields.statusCode).toBe(422);
    expect(fields.json().error.code).toBe('ticket.invalid_fields');
    const mass = await agent.post('/api/v1/tickets', { customerId: portal.id, categoryCode: 'inquiry.billing', description: 'x', status: 'archived' });
    expect(mass.statusCode).toBe(400);
    const after = await t.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('closes at first contact and counts it as FCR', async () => {
    const agent = await as('agent');
    const res = await agent.post('/api/v1/tickets', { customerId: portal.id, categoryCode: 'inquiry.billing', description: '询问本月电费为何偏高', resolveAtFirstContact: { resolution: '解释了阶梯电价，客户认可' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'resolved', fcr: true });
  });
});

describe('the closed loop', () => {
  it('dispatches by rule, the crew accepts, arrives and handles, the agent replies, follows up and archives', async () => {
    const created = await createRepair({ dispatch: { note: '客户家中有老人，请尽快' } });
    expect(created.status).toBe('dispatched');
    expect(created.department.name).toMatch(/抢修/);
    const crew = await as('repair');
    const mine = (await crew.get('/api/v1/tickets?open=true&limit=200')).json().items.map((i: { id: string }) => i.id);
    expect(mine).toContain(created.id);
    now = new Date(now.getTime() + 5 * 60_000);
    expect((await act('repair', created.id, { type: 'accept_dispatch' })).json().status).toBe('in_progress');
    now = new Date(now.getTime() + 25 * 60_000);
    const arrived = (await act('repair', created.id, { type: 'arrive' })).json();
    expect(arrived.times.arrivedAt).toBe(now.toISOString());
    const handled = await act('repair', created.id, { type: 'handle', result: '更换熔断的进户保险，已恢复供电' });
    expect(handled.json().status).toBe('handled');
    expect((await act('agent', created.id, { type: 'reply', message: '您家的供电已恢复，原因是进户保险熔断' })).json().status).toBe('replied');
    expect((await act('agent', created.id, { type: 'follow_up', satisfied: true, note: '客户满意' })).json().status).toBe('followed_up');
    expect((await act('agent', created.id, { type: 'archive' })).json().status).toBe('archived');
    const events = (await (await as('agent')).get(`/api/v1/tickets/${created.id}/events`)).json().items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['created', 'dispatched', 'dispatch_accepted', 'arrived', 'handled', 'replied', 'followed_up', 'archived']);
    expect(events.find((e: { type: string }) => e.type === 'dispatched').body).toBe('客户家中有老人，请尽快');
    // The customer sees what was said to them, not internal notes.
    const own = (await (await as('customer')).get(`/api/v1/tickets/${created.id}/events`)).json().items;
    expect(own.map((e: { type: string }) => e.type)).toEqual(['created', 'replied']);
  });

  it('refuses moves the state machine does not allow with 409', async () => {
    const created = await createRepair();
    const res = await act('agent', created.id, { type: 'archive' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'ticket.transition_refused', details: { action: 'archive', status: 'accepted' } });
    expect((await act('agent', created.id, { type: 'handle' })).statusCode).toBe(400);
  });

  it('lets a crew return an order with a reason; it goes back to dispatch, counted', async () => {
    const created = await createRepair({ dispatch: {} });
    const res = await act('repair', created.id, { type: 'return', reason: '地址不在本班组辖区' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'returned', department: null, counters: { returns: 1 } });
    const redispatch = await act('dispatcher', created.id, { type: 'dispatch' });
    expect(redispatch.json()).toMatchObject({ status: 'dispatched', counters: { dispatches: 2 } });
  });

  it('refuses a stale expectedVersion', async () => {
    const created = await createRepair();
    await act('dispatcher', created.id, { type: 'dispatch' });
    const res = await act('agent', created.id, { type: 'pause', reason: '等待客户回电' }, created.version);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ticket.version_conflict');
  });

  it('does not let an agent dispatch or a crew reply', async () => {
    const created = await createRepair({ dispatch: {} });
    expect((await act('agent', created.id, { type: 'dispatch' })).statusCode).toBe(403);
    expect((await act('repair', created.id, { type: 'reply', message: 'x' })).statusCode).toBe(403);
  });
});

describe('urging (催办)', () => {
  it('urges the open order instead of creating a second one, raising its urgency', async () => {
    const customer = getDemoCustomerFixture('kham');
    const first = await createRepair({ dispatch: {} }, customer.id);
    const agent = await as('agent');
    const count = async () => Number((await t.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customer.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    const res = await agent.post('/api/v1/tickets', { customerId: customer.id, categoryCode: 'urging.repair-progress', description: '客户再次来电催促抢修' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: first.id, outcome: 'urged', urgency: 'high', counters: { urges: 1 } });
    expect(await count()).toBe(before);
    const again = await act('agent', first.id, { type: 'urge', note: '第三次来电' });
    expect(again.json()).toMatchObject({ urgency: 'critical', counters: { urges: 2 } });
  });
});

describe('data scopes', () => {
  it('shows a crew member only orders dispatched to their department', async () => {
    const other = await createRepair();
    const hall = (await t.database.db.selectFrom('departments').select('id').where('kind', '=', 'business_hall').executeTakeFirstOrThrow()).id;
    expect((await act('dispatcher', other.id, { type: 'dispatch', departmentId: hall })).statusCode).toBe(200);
    const crew = await as('repair');
    expect((await crew.get(`/api/v1/tickets/${other.id}`)).statusCode).toBe(403);
    const me = (await crew.get('/api/v1/me')).json();
    const list = (await crew.get('/api/v1/tickets?limit=200')).json().items;
    const ids = list.map((i: { id: string }) => i.id);
    const rows = await t.database.db.selectFrom('tickets').select(['id', 'department_id']).where('id', 'in', ids.length ? ids : ['00000000-0000-4000-8000-000000000000']).execute();
    expect(rows.every((r) => r.department_id === me.departmentId)).toBe(true);
  });

  it("shows a customer only their own orders; another customer's order is 403", async () => {
    const mine = await createRepair();
    const theirs = await createRepair({}, elderly.id);
    const customer = await as('customer');
    expect((await customer.get(`/api/v1/tickets/${mine.id}`)).statusCode).toBe(200);
    expect((await customer.get(`/api/v1/tickets/${theirs.id}`)).statusCode).toBe(403);
    const list = (await customer.get('/api/v1/tickets?limit=200')).json().items;
    expect(list.every((i: { customerId: string }) => i.customerId === portal.id)).toBe(true);
  });

  it('lets a crew member open the customer of an order dispatched to them', async () => {
    const created = await createRepair({ dispatch: {} }, elderly.id);
    const crew = await as('repair');
    expect((await crew.get(`/api/v1/customers/${elderly.id}`)).statusCode).toBe(200);
    expect(created.status).toBe('dispatched');
  });
});

describe('SLA sweeper', () => {
  it('marks breached orders once, notifies owner and supervisor, even with concurrent sweeps', async () => {
    const created = await createRepair();
    const later = new Date(now.getTime() + 3 * 3_600_000);
    // Two sweepers at once, then until nothing is due (the seeded orders are swept too).
    await Promise.all([t.app.sweepSla(later), t.app.sweepSla(later)]);
    for (let i = 0; i < 500; i++) if ((await t.app.sweepSla(later)).examined === 0) break;
    const events = await t.database.db.selectFrom('ticket_events').select(['type', 'data']).where('ticket_id', '=', created.id).where('type', 'like', 'sla_%').execute();
    const breaches = events.filter((e) => e.type === 'sla_breached').map((e) => (e.data as { milestone: string }).milestone);
    expect(new Set(breaches).size).toBe(breaches.length);
    expect(breaches).toContain('dispatch');
    const row = await t.database.db.selectFrom('tickets').select(['sla_state']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.sla_state).toBe('breached');
    const outbox = await t.database.db.selectFrom('outbox').select(['topic', 'payload']).where('aggregate_id', '=', created.id).where('topic', '=', 'ticket.sla_breached').execute();
    expect(outbox.length).toBe(breaches.length);
    const userIds = (outbox[0]?.payload as { userIds: string[] } | undefined)?.userIds ?? [];
    expect(userIds.length).toBeGreaterThan(0);
  });
});

describe('one-click dispatch at recording', () => {
  it('lets an agent use the dispatch rules but not pick another department', async () => {
    const hall = (await t.database.db.selectFrom('departments').select('id').where('kind', '=', 'business_hall').executeTakeFirstOrThrow()).id;
    const agent = await as('agent');
    const res = await agent.post('/api/v1/tickets', { customerId: portal.id, categoryCode: 'fault-repair.low-voltage', description: '停电', fields: REPAIR_FIELDS, dispatch: { departmentId: hall } });
    expect(res.statusCode).toBe(403);
    const members = (await (await as('dispatcher')).get(`/api/v1/departments/${hall}/members`)).json().items;
    expect(members.length).toBeGreaterThan(0);
  });
});
