import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ clock: () => new Date('2026-11-24T03:00:00.000Z') });
});
afterAll(() => t.close());

const REPAIR_FIELDS = { outageScope: 'area', safetyHazard: false, faultAddress: '西宁市城东区东关大街' };

async function call(user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const cookie = await t.login(user);
  return t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function repairFor(customerId: string, extra: Record<string, unknown> = {}) {
  const res = await call('agent', 'POST', '/api/v1/tickets', { customerId, categoryCode: 'fault-repair.high-voltage', description: '整片停电', fields: REPAIR_FIELDS, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('mass incidents', () => {
  it('offers an active incident to new contacts of its area and closes every linked order in one action', async () => {
    const elderly = getDemoCustomerFixture('elderlyAlone'); // 城东区
    const area = (await t.database.db.selectFrom('customers').select('area_id').where('id', '=', elderly.id).executeTakeFirstOrThrow()).area_id as string;
    const created = await call('dispatcher', 'POST', '/api/v1/incidents', { title: '10kV 东关线跳闸', areaIds: [area], expectedRestoreAt: '2026-11-24T07:00:00.000Z', description: '东关大街一带停电' });
    expect(created.statusCode, created.body).toBe(201);
    const incident = created.json();
    expect(incident.number).toMatch(/^SJ20261124\d{6}$/);
    const offered = (await call('agent', 'GET', `/api/v1/incidents/match?areaId=${area}&categoryCode=fault-repair.high-voltage`)).json().items;
    expect(offered.map((i: { id: string }) => i.id)).toContain(incident.id);
    const notOffered = (await call('agent', 'GET', `/api/v1/incidents/match?areaId=${area}&categoryCode=complaint.service-attitude`)).json().items;
    expect(notOffered).toEqual([]);

    const others = await t.database.db.selectFrom('customers').select('id').where('area_id', '=', area).where('id', '!=', elderly.id).limit(2).execute();
    const a = await repairFor(elderly.id, { incidentId: incident.id });
    const b = await repairFor(others[0]?.id as string, { incidentId: incident.id, dispatch: {} });
    const c = await repairFor(others[1]?.id as string);
    const linked = await call('agent', 'POST', `/api/v1/tickets/${c.id}/incident`, { incidentId: incident.id });
    expect(linked.statusCode).toBe(200);

    const dept = (await t.database.db.selectFrom('departments').select('id').where('kind', '=', 'repair').executeTakeFirstOrThrow()).id;
    const missingNote = await call('dispatcher', 'POST', `/api/v1/incidents/${incident.id}/resolve`, { mode: 'close', departmentId: dept, result: '线路修复', message: '已恢复供电' });
    expect(missingNote.statusCode).toBe(409);
    expect(missingNote.json().error.details.reason).toBe('missing_follow_up_note');
    const res = await call('dispatcher', 'POST', `/api/v1/incidents/${incident.id}/resolve`, {
      mode: 'close',
      departmentId: dept,
      result: '10kV 东关线故障点已隔离修复，14:20 恢复送电',
      message: '您所在片区的停电已于14:20恢复，给您带来不便深表歉意',
      followUpNote: '短信集中回访',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', counts: { updated: 3, refused: 0 } });
    for (const ticket of [a, b, c]) {
      const after = (await call('agent', 'GET', `/api/v1/tickets/${ticket.id}`)).json();
      expect(after.status).toBe('archived');
      const events = (await call('agent', 'GET', `/api/v1/tickets/${ticket.id}/events`)).json().items.map((e: { type: string }) => e.type);
      expect(events).toEqual(expect.arrayContaining(['handled', 'replied', 'followed_up', 'archived']));
    }
    const closed = (await call('agent', 'GET', `/api/v1/incidents/${incident.id}`)).json();
    expect(closed).toMatchObject({ status: 'closed', linkedTickets: 3, openTickets: 0 });
  });

  it('does not let an agent declare an incident', async () => {
    const res = await call('agent', 'POST', '/api/v1/incidents', { title: 'x', areaIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(res.statusCode).toBe(403);
  });
});

describe('merge and split', () => {
  it('merges a duplicate into the earlier order, summing urges and keeping both histories', async () => {
    const customer = getDemoCustomerFixture('english');
    const first = await repairFor(customer.id);
    const second = await repairFor(customer.id);
    await call('agent', 'POST', `/api/v1/tickets/${second.id}/actions`, { action: { type: 'urge', note: '再次来电' } });
    const res = await call('agent', 'POST', `/api/v1/tickets/${first.id}/merge`, { duplicateIds: [second.id], reason: '同一故障重复受理' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counters.urges).toBe(1);
    const dup = (await call('agent', 'GET', `/api/v1/tickets/${second.id}`)).json();
    expect(dup.mergedIntoId).toBe(first.id);
    expect(dup.allowedActions).toEqual([]);
    const blocked = await call('agent', 'POST', `/api/v1/tickets/${second.id}/actions`, { action: { type: 'urge' } });
    expect(blocked.statusCode).toBe(409);
    const types = (await call('agent', 'GET', `/api/v1/tickets/${second.id}/events`)).json().items.map((e: { type: string }) => e.type);
    expect(types).toContain('merged_into');
  });

  it("refuses to merge different customers' orders", async () => {
    const a = await repairFor(getDemoCustomerFixture('portal').id);
    const b = await repairFor(getDemoCustomerFixture('amdo').id);
    const res = await call('agent', 'POST', `/api/v1/tickets/${a.id}/merge`, { duplicateIds: [b.id], reason: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ticket.merge_refused');
  });

  it('splits an order into new ones whose clocks start at the original registration', async () => {
    const parent = await repairFor(getDemoCustomerFixture('lowIncome').id);
    const res = await call('agent', 'POST', `/api/v1/tickets/${parent.id}/split`, {
      reason: '一次来电两个诉求',
      parts: [{ categoryCode: 'inquiry.billing', description: '同时询问电费账单' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const child = res.json().items[0];
    expect(child).toMatchObject({ parentId: parent.id, categoryCode: 'inquiry.billing', status: 'accepted' });
    expect(child.number).not.toBe(parent.number);
  });
});

describe('complaint escalation', () => {
  it('raises a complaint one rung and refuses non-complaints', async () => {
    const customer = getDemoCustomerFixture('repeatComplainer');
    const res = await call('agent', 'POST', '/api/v1/tickets', {
      customerId: customer.id,
      categoryCode: 'complaint.service-attitude',
      description: '营业厅工作人员态度恶劣',
      fields: { demand: '要求道歉' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const up = await call('supervisor', 'POST', `/api/v1/tickets/${res.json().id}/escalate`, { reason: '客户要求升级处理' });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().escalationLevel).toBe(1);
    const repair = await repairFor(customer.id);
    const refused = await call('supervisor', 'POST', `/api/v1/tickets/${repair.id}/escalate`, { reason: 'x' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('ticket.escalation_refused');
  });
});
