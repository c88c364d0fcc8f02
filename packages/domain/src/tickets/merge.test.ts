import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLA_PRIORITIES } from '../sla/state-grid-preset.ts';
import { chooseMergeSurvivor, MAX_SPLIT_PARTS, type MergeableTicket, planMerge, planSplit } from './merge.ts';
import { createTicketState, OPEN_STATUSES, TICKET_URGENCIES, type TicketState } from './ticket-status.ts';

const T0 = new Date('2026-11-27T02:00:00Z');
const hoursAgo = (h: number) => new Date(T0.getTime() - h * 3_600_000);

const ticket = (id: string, patch: Partial<MergeableTicket> = {}, state: Partial<TicketState> = {}): MergeableTicket => ({
  id,
  number: `GD20261127${id.padStart(6, '0')}`,
  customerId: 'cust-1',
  createdAt: hoursAgo(1),
  priority: 'normal',
  escalationLevel: 0,
  tags: [],
  mergedIntoId: null,
  state: { ...createTicketState(), ...state },
  ...patch,
});

describe('chooseMergeSurvivor', () => {
  it('keeps the earliest order, ties by id', () => {
    expect(chooseMergeSurvivor([ticket('2', { createdAt: hoursAgo(1) }), ticket('1', { createdAt: hoursAgo(5) })])?.id).toBe('1');
    expect(chooseMergeSurvivor([ticket('b'), ticket('a')])?.id).toBe('a');
    expect(chooseMergeSurvivor([])).toBeNull();
  });
});

describe('planMerge', () => {
  it('sums the counters, keeps the highest urgency, priority and level, unions tags, and writes events on both sides', () => {
    const survivor = ticket('1', { tags: ['老人独居'] }, { status: 'dispatched', departmentId: 'qiangxiu-1', dispatchCount: 1, urgeCount: 1, urgency: 'high' });
    const dup = ticket('2', { priority: 'urgent', escalationLevel: 2, tags: ['老人独居', '重复来电'] }, { urgeCount: 2, reopenCount: 1, returnCount: 1, urgency: 'critical', dispatchCount: 3 });
    const plan = planMerge(survivor, [dup], { reason: ' 同一停电 ' }, T0);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.survivor).toEqual({
      id: '1',
      state: { ...survivor.state, urgeCount: 3, reopenCount: 1, returnCount: 1, urgency: 'critical' },
      priority: 'urgent',
      escalationLevel: 2,
      tags: ['老人独居', '重复来电'],
    });
    expect(plan.survivor.state.dispatchCount).toBe(1);
    expect(plan.duplicates).toEqual([{ id: '2', mergedIntoId: '1' }]);
    expect(plan.events).toEqual([
      { ticketId: '1', type: 'merged', at: T0, details: { duplicateId: '2', duplicateNumber: dup.number, duplicateStatus: 'accepted', reason: '同一停电' } },
      { ticketId: '2', type: 'merged_into', at: T0, details: { survivorId: '1', survivorNumber: survivor.number, reason: '同一停电' } },
    ]);
  });

  it('refuses what would lose or mix up history', () => {
    const s = ticket('1');
    const cases: [Parameters<typeof planMerge>, string, string?][] = [
      [[s, [ticket('2')], { reason: ' ' }, T0], 'missing_reason'],
      [[s, [], { reason: 'x' }, T0], 'no_duplicates'],
      [[s, [s], { reason: 'x' }, T0], 'survivor_listed_as_duplicate', '1'],
      [[s, [ticket('2'), ticket('2')], { reason: 'x' }, T0], 'duplicate_listed_twice', '2'],
      [[s, [ticket('2', { customerId: 'cust-2' })], { reason: 'x' }, T0], 'different_customers', '2'],
      [[s, [ticket('2', { mergedIntoId: '9' })], { reason: 'x' }, T0], 'already_merged', '2'],
      [[ticket('1', { mergedIntoId: '9' }), [ticket('2')], { reason: 'x' }, T0], 'already_merged', '1'],
      [[ticket('1', {}, { status: 'replied' }), [ticket('2')], { reason: 'x' }, T0], 'survivor_not_open', '1'],
      [[s, [ticket('2', {}, { status: 'archived' })], { reason: 'x' }, T0], 'duplicate_not_open', '2'],
    ];
    for (const [args, reason, ticketId] of cases) {
      expect(planMerge(...args), reason).toEqual(ticketId === undefined ? { ok: false, reason } : { ok: false, reason, ticketId });
    }
  });

  it('sums the counters of any number of duplicates (property)', () => {
    const arbState = fc.record({
      status: fc.constantFrom(...OPEN_STATUSES),
      urgeCount: fc.nat(20),
      reopenCount: fc.nat(5),
      returnCount: fc.nat(5),
      urgency: fc.constantFrom(...TICKET_URGENCIES),
    });
    const arbTicket = (id: string) =>
      fc.record({ state: arbState, priority: fc.constantFrom(...SLA_PRIORITIES), escalationLevel: fc.nat(4) }).map((p) => ticket(id, { priority: p.priority, escalationLevel: p.escalationLevel }, p.state));
    fc.assert(
      fc.property(arbTicket('s'), fc.array(fc.nat(1000), { minLength: 1, maxLength: 6 }).chain((ids) => fc.tuple(...[...new Set(ids)].map((i) => arbTicket(`d${i}`)))), (s, dups) => {
        const plan = planMerge(s, dups, { reason: '重复' }, T0);
        if (!plan.ok) throw new Error(plan.reason);
        const all = [s, ...dups];
        const sum = (k: 'urgeCount' | 'reopenCount' | 'returnCount') => all.reduce((n, t) => n + t.state[k], 0);
        expect(plan.survivor.state.urgeCount).toBe(sum('urgeCount'));
        expect(plan.survivor.state.reopenCount).toBe(sum('reopenCount'));
        expect(plan.survivor.state.returnCount).toBe(sum('returnCount'));
        expect(TICKET_URGENCIES.indexOf(plan.survivor.state.urgency)).toBe(Math.max(...all.map((t) => TICKET_URGENCIES.indexOf(t.state.urgency))));
        expect(SLA_PRIORITIES.indexOf(plan.survivor.priority)).toBe(Math.min(...all.map((t) => SLA_PRIORITIES.indexOf(t.priority))));
        expect(plan.survivor.state.status).toBe(s.state.status);
        expect(plan.events).toHaveLength(dups.length * 2);
      }),
    );
  });
});

describe('planSplit', () => {
  const parent = ticket('7', { priority: 'high', tags: ['重点客户'], createdAt: hoursAgo(3) }, { status: 'in_progress', urgency: 'high' });

  it('creates fresh orders of the same customer whose clocks start with the parent', () => {
    const plan = planSplit(parent, [{ categoryCode: 'complaint.tariff', description: ' 客户同时投诉电费偏高 ', title: ' ' }], { reason: '一单多诉求' }, T0);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.children).toEqual([
      {
        part: 0,
        parentId: '7',
        customerId: 'cust-1',
        categoryCode: 'complaint.tariff',
        description: '客户同时投诉电费偏高',
        title: null,
        priority: 'high',
        status: 'accepted',
        urgency: 'high',
        clockStartsAt: hoursAgo(3),
        tags: ['重点客户'],
      },
    ]);
    expect(plan.parentEvent).toEqual({ ticketId: '7', type: 'split', at: T0, details: { parts: 1, categoryCodes: ['complaint.tariff'], reason: '一单多诉求' } });
    expect(plan.events).toEqual([{ type: 'split_from', at: T0, details: { parentId: '7', parentNumber: parent.number, categoryCode: 'complaint.tariff', reason: '一单多诉求' } }]);
  });

  it('refuses empty, oversized or incomplete splits and closed or merged parents', () => {
    const part = { categoryCode: 'inquiry.billing', description: '咨询' };
    expect(planSplit(parent, [part], { reason: '' }, T0)).toEqual({ ok: false, reason: 'missing_reason' });
    expect(planSplit(parent, [], { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'no_parts' });
    expect(planSplit(parent, Array(MAX_SPLIT_PARTS + 1).fill(part), { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'too_many_parts' });
    expect(planSplit(ticket('1', {}, { status: 'archived' }), [part], { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'terminal' });
    expect(planSplit(ticket('1', { mergedIntoId: '2' }), [part], { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'already_merged' });
    expect(planSplit(parent, [part, { ...part, categoryCode: ' ' }], { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'missing_category', part: 1 });
    expect(planSplit(parent, [{ ...part, description: '' }], { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'missing_description', part: 0 });
  });
});
