import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTicketState, TICKET_STATUSES, TICKET_URGENCIES, type TicketState, type TicketStatus, transition } from './ticket-status.ts';
import {
  DEFAULT_URGING_POLICY,
  decideUrging,
  detectUrgingIntent,
  getUrgedCategoryPrefix,
  getUrgencyForUrgeCount,
  type OpenTicketSummary,
  planUrge,
  validateUrgingPolicy,
} from './urging.ts';

const T0 = new Date('2026-11-27T02:00:00Z');
const day = (n: number) => new Date(T0.getTime() - n * 86_400_000);

const order = (id: string, categoryCode: string, ageDays: number, status: TicketStatus = 'dispatched'): OpenTicketSummary => ({
  id,
  number: `GD2026112${ageDays}00000${id.length}`,
  categoryCode,
  status,
  createdAt: day(ageDays),
});

describe('urging policy', () => {
  it('raises urgency at the thresholds', () => {
    expect([0, 1, 2, 3].map((n) => getUrgencyForUrgeCount(n))).toEqual(['normal', 'high', 'critical', 'critical']);
    const lenient = { highAfter: 2, criticalAfter: 4 };
    expect([0, 1, 2, 3, 4].map((n) => getUrgencyForUrgeCount(n, lenient))).toEqual(['normal', 'normal', 'high', 'high', 'critical']);
  });

  it('validates the thresholds', () => {
    expect(validateUrgingPolicy(DEFAULT_URGING_POLICY)).toEqual([]);
    expect(validateUrgingPolicy({ highAfter: 0, criticalAfter: 0 })).toEqual(['highAfter must be an integer ≥ 1']);
    expect(validateUrgingPolicy({ highAfter: 3, criticalAfter: 2 })).toEqual(['criticalAfter must be an integer ≥ highAfter']);
    expect(validateUrgingPolicy({ highAfter: 1.5, criticalAfter: 2.5 })).toHaveLength(2);
  });
});

describe('detectUrgingIntent', () => {
  it.each(['怎么还没来人修？', '催一下我的工单', '什么时候能来电', 'When will the crew arrive?'])('hears chasing in %j', (text) => {
    expect(detectUrgingIntent(text)).toBe(true);
  });

  it('hears none in a first report', () => {
    expect(detectUrgingIntent('家里停电了，麻烦派人来看看')).toBe(false);
  });
});

describe('decideUrging', () => {
  const repair = order('r1', 'fault-repair.low-voltage', 1);
  const olderRepair = order('r2', 'fault-repair.high-voltage', 3);
  const complaint = order('c1', 'complaint.tariff', 2);

  it('creates a new order when the customer has none open', () => {
    expect(decideUrging([], { categoryHint: 'fault-repair.low-voltage', text: '还没来电' })).toEqual({ kind: 'new_ticket', reason: 'no_open_orders', intent: true });
    const replied = order('x', 'fault-repair.low-voltage', 1, 'replied');
    expect(decideUrging([replied], { categoryHint: 'fault-repair.low-voltage' })).toEqual({ kind: 'new_ticket', reason: 'no_open_orders', intent: false });
  });

  it('urges the order whose number the customer quotes, if it is open', () => {
    const text = `我的工单${olderRepair.number}怎么还没处理`;
    expect(decideUrging([repair, olderRepair, complaint], { categoryHint: 'complaint', text })).toEqual({ kind: 'urge', ticketId: 'r2', basis: 'ticket_number', intent: true });
    const closed = { ...olderRepair, status: 'archived' as const };
    expect(decideUrging([repair, closed], { text })).toMatchObject({ kind: 'urge', ticketId: 'r1', basis: 'only_open_order' });
  });

  it('urges the most recent open order of the hinted category', () => {
    const d = decideUrging([olderRepair, complaint, repair], { categoryHint: 'fault-repair' });
    expect(d).toEqual({ kind: 'urge', ticketId: 'r1', basis: 'matching_category', intent: false });
  });

  it('prefers an order on the same branch of the tree over a more recent cousin', () => {
    expect(decideUrging([repair, olderRepair], { categoryHint: 'fault-repair.high-voltage' })).toMatchObject({ ticketId: 'r2' });
  });

  it('files a new order when the hint matches none of the open ones', () => {
    expect(decideUrging([repair], { categoryHint: 'inquiry.billing' })).toEqual({ kind: 'new_ticket', reason: 'no_matching_order', intent: false });
  });

  it('without a hint, urges the only open order or lets the agent choose, most recent first', () => {
    expect(decideUrging([repair], {})).toEqual({ kind: 'urge', ticketId: 'r1', basis: 'only_open_order', intent: false });
    expect(decideUrging([olderRepair, complaint, repair], { text: '进度如何' })).toEqual({ kind: 'choose', candidateIds: ['r1', 'c1', 'r2'], intent: true });
  });

  it('reads an urging sub-category as the category it chases', () => {
    expect(getUrgedCategoryPrefix('urging.repair-progress')).toBe('fault-repair');
    expect(getUrgedCategoryPrefix('urging.refund-progress')).toBeNull();
    expect(decideUrging([complaint, repair], { categoryHint: 'urging.complaint-progress' })).toEqual({ kind: 'urge', ticketId: 'c1', basis: 'matching_category', intent: true });
    expect(decideUrging([complaint], { categoryHint: 'urging.repair-progress' })).toMatchObject({ kind: 'new_ticket', reason: 'no_matching_order' });
    expect(decideUrging([complaint, repair], { categoryHint: 'urging.refund-progress' })).toMatchObject({ kind: 'choose' });
    expect(decideUrging([complaint], { categoryHint: 'urging' })).toMatchObject({ kind: 'urge', ticketId: 'c1', basis: 'only_open_order', intent: true });
  });

  it('breaks ties of equal age by id', () => {
    const a = order('a', 'complaint.tariff', 1);
    const b = order('b', 'complaint.tariff', 1);
    expect(decideUrging([b, a], { categoryHint: 'complaint' })).toMatchObject({ ticketId: 'a' });
  });
});

function dispatched(): TicketState {
  const r = transition(createTicketState(), { type: 'dispatch', departmentId: 'qiangxiu-1' }, T0);
  if (!r.ok) throw new Error(r.reason);
  return r.ticket;
}

describe('planUrge', () => {
  it('counts the urge, raises urgency and notifies the handler', () => {
    const r = planUrge(dispatched(), { note: '客户第二次来电' }, T0);
    expect(r.ok && [r.ticket.urgeCount, r.ticket.urgency, r.urgencyRaised, r.notify]).toEqual([1, 'high', true, ['handler']]);
    expect(r.ok && r.events).toEqual([
      { type: 'urged', from: 'dispatched', to: 'dispatched', at: T0, details: { urgeCount: 1, urgency: 'high', note: '客户第二次来电' } },
    ]);
  });

  it('follows the configured thresholds', () => {
    const lenient = { highAfter: 2, criticalAfter: 3 };
    let t = dispatched();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = planUrge(t, {}, T0, lenient);
      if (!r.ok) throw new Error(r.reason);
      seen.push(`${r.ticket.urgency}:${r.notify.join('+')}`);
      t = r.ticket;
    }
    expect(seen).toEqual(['normal:handler', 'high:handler', 'critical:handler+supervisor', 'critical:handler']);
  });

  it('never lowers an urgency set before', () => {
    const r = planUrge({ ...dispatched(), urgency: 'critical' }, {}, T0, { highAfter: 5, criticalAfter: 9 });
    expect(r.ok && [r.ticket.urgency, r.urgencyRaised]).toEqual(['critical', false]);
  });

  it('refuses an order that is no longer open', () => {
    expect(planUrge({ ...createTicketState(), status: 'replied' }, {}, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
    expect(planUrge({ ...createTicketState(), status: 'archived' }, {}, T0)).toEqual({ ok: false, reason: 'terminal' });
  });

  it('leaves a paused order paused', () => {
    const paused = { ...dispatched(), pausedAt: T0 };
    const r = planUrge(paused, {}, new Date(T0.getTime() + 60_000));
    expect(r.ok && [r.ticket.pausedAt, r.events.map((e) => e.type)]).toEqual([T0, ['urged']]);
  });

  it('reaches the urgency of its total urge count, never below the start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((h) => fc.record({ highAfter: fc.constant(h), criticalAfter: fc.integer({ min: h, max: 8 }) })),
        fc.constantFrom(...TICKET_URGENCIES),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(...TICKET_STATUSES.filter((s) => ['accepted', 'dispatched', 'in_progress', 'handled', 'returned'].includes(s))),
        (policy, start, urges, status) => {
          let t: TicketState = { ...createTicketState(), status, urgency: start };
          for (let i = 0; i < urges; i++) {
            const r = planUrge(t, {}, T0, policy);
            if (!r.ok) throw new Error(r.reason);
            t = r.ticket;
          }
          const expected = Math.max(TICKET_URGENCIES.indexOf(start), TICKET_URGENCIES.indexOf(getUrgencyForUrgeCount(urges, policy)));
          expect(t.urgeCount).toBe(urges);
          expect(TICKET_URGENCIES.indexOf(t.urgency)).toBe(expected);
          expect(t.status).toBe(status);
        },
      ),
    );
  });
});
