import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

// The contract outside tooling relies on (issue 3): keep these shapes stable.
let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2026-11-24T02:00:00.000Z') });
});
afterAll(() => t.close());

async function call(user: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const cookie = await t.login(user);
  return t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('work-order API contract', () => {
  it('records an order with the minimal body and a top-level category, answering id, number, status and dueAt', async () => {
    const res = await call('agent', 'POST', '/api/v1/tickets', { customerId: getDemoCustomerFixture('portal').id, categoryCode: 'fault-repair', description: '停电了', channel: 'phone' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ id: expect.any(String), number: expect.stringMatching(/^GD/), status: 'accepted', dueAt: expect.any(String) });
  });

  it('moves an order by target status, dispatches and urges through the contract routes, with the timeline on GET', async () => {
    const created = (await call('agent', 'POST', '/api/v1/tickets', { customerId: getDemoCustomerFixture('amdo').id, categoryCode: 'complaint', description: '抄表员态度不好' })).json();
    const dept = (await call('dispatcher', 'GET', '/api/v1/departments')).json().items.find((d: { kind: string }) => d.kind === 'complaint');
    const dispatched = await call('dispatcher', 'POST', `/api/v1/tickets/${created.id}/dispatch`, { departmentId: dept.id, instructions: '24小时内联系客户' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect(dispatched.json().status).toBe('dispatched');
    const urged = await call('agent', 'POST', `/api/v1/tickets/${created.id}/urge`, { note: '客户再次来电' });
    expect(urged.json()).toMatchObject({ counters: { urges: 1 }, urgency: 'high' });
    expect((await call('dispatcher', 'POST', `/api/v1/tickets/${created.id}/transitions`, { to: 'in_progress' })).json().status).toBe('in_progress');
    const noNote = await call('dispatcher', 'POST', `/api/v1/tickets/${created.id}/transitions`, { to: 'handled' });
    expect(noNote.statusCode).toBe(400);
    expect((await call('dispatcher', 'POST', `/api/v1/tickets/${created.id}/transitions`, { to: 'handled', note: '已向客户致歉并约谈抄表员' })).json().status).toBe('handled');
    const jump = await call('agent', 'POST', `/api/v1/tickets/${created.id}/transitions`, { to: 'archived' });
    expect(jump.statusCode).toBe(409);
    expect(jump.json().error.code).toBe('ticket.transition_refused');
    const detail = (await call('agent', 'GET', `/api/v1/tickets/${created.id}`)).json();
    expect(detail.timeline.map((e: { type: string }) => e.type)).toEqual(['created', 'dispatched', 'urged', 'dispatch_accepted', 'handled']);
    expect(detail.timeline[1].body).toBe('24小时内联系客户');
  });

  it('lists the stable category codes with both names', async () => {
    const items = (await call('agent', 'GET', '/api/v1/ticket-categories')).json().items;
    expect(items.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['fault-repair', 'complaint', 'report', 'opinion', 'suggestion', 'praise', 'service-request', 'subscription', 'inquiry', 'urging']),
    );
    expect(items.find((c: { code: string }) => c.code === 'fault-repair')).toMatchObject({ nameZh: '故障报修', nameEn: expect.any(String) });
  });
});

describe('dispatcher and supervisor views', () => {
  it('bulk-dispatches orders, reporting each refusal without blocking the rest', async () => {
    const customer = getDemoCustomerFixture('english').id;
    const a = (await call('agent', 'POST', '/api/v1/tickets', { customerId: customer, categoryCode: 'inquiry.billing', description: 'a' })).json();
    const b = (await call('agent', 'POST', '/api/v1/tickets', { customerId: customer, categoryCode: 'inquiry.billing', description: 'b', resolveAtFirstContact: { resolution: '已解答' } })).json();
    const hall = (await call('dispatcher', 'GET', '/api/v1/departments')).json().items.find((d: { kind: string }) => d.kind === 'business_hall');
    const res = await call('dispatcher', 'POST', '/api/v1/tickets/bulk-dispatch', { ticketIds: [a.id, b.id], departmentId: hall.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().dispatched).toBe(1);
    expect(res.json().results.find((r: { ticketId: string }) => r.ticketId === b.id).error.code).toBe('ticket.transition_refused');
    expect((await call('agent', 'POST', '/api/v1/tickets/bulk-dispatch', { ticketIds: [a.id] })).statusCode).toBe(403);
  });

  it('counts open orders by SLA state and department for the board, within the caller scope', async () => {
    const board = (await call('supervisor', 'GET', '/api/v1/tickets/board')).json();
    const total = Object.values(board.byStatus as Record<string, number>).reduce((x, y) => x + y, 0);
    const open = await t.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['accepted', 'dispatched', 'in_progress', 'handled', 'returned', 'replied'])
      .where('merged_into_id', 'is', null)
      .executeTakeFirstOrThrow();
    expect(total).toBe(Number(open.n));
    expect(board.bySla.breached).toBeGreaterThan(0);
    const crew = (await call('repair', 'GET', '/api/v1/tickets/board')).json();
    expect(crew.byDepartment.length).toBe(1);
  });
});

describe('queue filters', () => {
  it('lists the orders I recorded and the orders held by a person', async () => {
    const me = (await call('agent', 'GET', '/api/v1/me')).json();
    const mine = (await call('agent', 'GET', `/api/v1/tickets?createdBy=${me.id}&limit=200`)).json().items as { id: string }[];
    const rows = await t.database.db.selectFrom('tickets').select('created_by').where('id', 'in', mine.map((m) => m.id)).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.created_by === me.id)).toBe(true);
    const crew = (await call('repair', 'GET', '/api/v1/me')).json();
    const held = (await call('repair', 'GET', `/api/v1/tickets?assigneeId=${crew.id}&limit=200`)).json().items as { id: string }[];
    const heldRows = await t.database.db.selectFrom('tickets').select(['assignee_id', 'dispatched_to_user_id']).where('id', 'in', held.length ? held.map((h) => h.id) : ['00000000-0000-4000-8000-000000000000']).execute();
    expect(heldRows.every((r) => r.assignee_id === crew.id || r.dispatched_to_user_id === crew.id)).toBe(true);
  });
});

describe('category filter', () => {
  it('matches a category with its sub-categories, by whole segments only', async () => {
    const parent = (await call('supervisor', 'GET', '/api/v1/tickets?categoryCode=fault-repair&limit=100')).json().items as { categoryCode: string }[];
    expect(parent.length).toBeGreaterThan(0);
    expect(parent.every((i) => i.categoryCode === 'fault-repair' || i.categoryCode.startsWith('fault-repair.'))).toBe(true);
    expect(new Set(parent.map((i) => i.categoryCode)).size).toBeGreaterThan(1);
    const leaf = (await call('supervisor', 'GET', '/api/v1/tickets?categoryCode=fault-repair.low-voltage&limit=100')).json().items as { categoryCode: string }[];
    expect(leaf.every((i) => i.categoryCode === 'fault-repair.low-voltage')).toBe(true);
    expect((await call('supervisor', 'GET', '/api/v1/tickets?categoryCode=fault&limit=10')).json().items).toEqual([]);
  });
});

describe('order area', () => {
  it("takes the customer's area unless one is given, and refuses an unknown one", async () => {
    const portal = getDemoCustomerFixture('portal');
    const own = (await call('agent', 'POST', '/api/v1/tickets', { customerId: portal.id, categoryCode: 'inquiry.billing', description: 'x' })).json();
    const customerArea = (await t.database.db.selectFrom('customers').select('area_id').where('id', '=', portal.id).executeTakeFirstOrThrow()).area_id;
    expect(own.area.id).toBe(customerArea);
    const other = (await t.database.db.selectFrom('areas').select('id').where('id', '!=', customerArea as string).executeTakeFirstOrThrow()).id;
    const given = (await call('agent', 'POST', '/api/v1/tickets', { customerId: portal.id, categoryCode: 'inquiry.billing', description: 'x', areaId: other })).json();
    expect(given.area.id).toBe(other);
    const bad = await call('agent', 'POST', '/api/v1/tickets', { customerId: portal.id, categoryCode: 'inquiry.billing', description: 'x', areaId: '00000000-0000-4000-8000-000000000009' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('customer.unknown_area');
  });
});

describe('languages', () => {
  it('names categories in the language the client asks for', async () => {
    const cookie = await t.login('agent');
    const zh = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?categoryCode=fault-repair&limit=1', headers: { cookie } })).json().items[0];
    const en = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?categoryCode=fault-repair&limit=1', headers: { cookie, 'accept-language': 'en-US' } })).json().items[0];
    expect(zh.categoryName).toMatch(/^故障报修( \/|$)/);
    expect(en.categoryName).toMatch(/^Fault repair( \/|$)/);
  });
});
