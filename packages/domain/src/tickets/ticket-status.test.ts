import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  createTicketState,
  findActionTo,
  isOpen,
  listAvailableActions,
  maxUrgency,
  TARGET_STATUS_FOR,
  TICKET_ACTIONS,
  TICKET_STATUSES,
  TICKET_URGENCIES,
  type TicketAction,
  type TicketActionType,
  type TicketState,
  type TicketStatus,
  transition,
} from './ticket-status.ts';

const T0 = new Date('2026-03-02T01:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function validAction(type: TicketActionType): TicketAction {
  switch (type) {
    case 'dispatch':
      return { type, departmentId: 'dept-1' };
    case 'handle':
      return { type, result: '已更换熔断器，恢复供电' };
    case 'return':
      return { type, reason: '不属于本单位辖区' };
    case 'reopen':
      return { type, reason: '客户反映问题未解决' };
    case 'resolve_at_first_contact':
      return { type, resolution: '已解答电价政策' };
    case 'follow_up':
      return { type, satisfied: true };
    default:
      return { type } as TicketAction;
  }
}

function mustTransition(t: TicketState, action: TicketAction, now = T0): TicketState {
  const r = transition(t, action, now);
  if (!r.ok) throw new Error(`${action.type} from ${t.status} refused: ${r.reason}`);
  return r.ticket;
}

// The shortest path of actions leading from a fresh order to each status.
const PATH_TO: Record<TicketStatus, TicketActionType[]> = {
  accepted: [],
  dispatched: ['dispatch'],
  in_progress: ['dispatch', 'accept_dispatch'],
  handled: ['dispatch', 'accept_dispatch', 'handle'],
  replied: ['dispatch', 'accept_dispatch', 'handle', 'reply'],
  followed_up: ['dispatch', 'accept_dispatch', 'handle', 'reply', 'follow_up'],
  archived: ['resolve_at_first_contact', 'archive'],
  resolved: ['resolve_at_first_contact'],
  returned: ['dispatch', 'return'],
};

function ticketIn(status: TicketStatus, opts: { paused?: boolean } = {}): TicketState {
  let t = createTicketState();
  for (const a of PATH_TO[status]) t = mustTransition(t, validAction(a));
  if (opts.paused) t = mustTransition(t, { type: 'pause', reason: '等待客户提供资料' });
  return t;
}

// Written out independently of the implementation's table: status → action → resulting status.
const EXPECTED: Record<TicketStatus, Partial<Record<TicketActionType, TicketStatus>>> = {
  accepted: { dispatch: 'dispatched', resolve_at_first_contact: 'resolved', urge: 'accepted', pause: 'accepted', resume: 'accepted' },
  dispatched: {
    dispatch: 'dispatched',
    accept_dispatch: 'in_progress',
    return: 'returned',
    urge: 'dispatched',
    pause: 'dispatched',
    resume: 'dispatched',
  },
  in_progress: {
    arrive: 'in_progress',
    handle: 'handled',
    return: 'returned',
    urge: 'in_progress',
    pause: 'in_progress',
    resume: 'in_progress',
  },
  handled: { reply: 'replied', urge: 'handled', pause: 'handled', resume: 'handled' },
  returned: { dispatch: 'dispatched', urge: 'returned', pause: 'returned', resume: 'returned' },
  replied: { follow_up: 'followed_up', reopen: 'accepted' },
  followed_up: { archive: 'archived', reopen: 'accepted' },
  resolved: { archive: 'archived', reopen: 'accepted' },
  archived: {},
};

describe('transition: every (status, action) pair', () => {
  for (const status of TICKET_STATUSES) {
    for (const action of TICKET_ACTIONS) {
      const expected = EXPECTED[status][action];
      if (expected !== undefined) {
        it(`${status} --${action}--> ${expected}`, () => {
          // resume needs a paused order to be meaningful
          const t = ticketIn(status, { paused: action === 'resume' });
          const r = transition(t, validAction(action), at(5));
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.ticket.status).toBe(expected);
          const last = r.events[r.events.length - 1];
          expect(last.from).toBe(status);
          expect(last.to).toBe(expected);
          expect(last.at).toEqual(at(5));
        });
      } else {
        it(`${status} refuses ${action}`, () => {
          const r = transition(ticketIn(status), validAction(action), at(5));
          expect(r.ok).toBe(false);
          if (r.ok) return;
          const reason =
            status === 'archived' ? 'terminal' : status === 'replied' && action === 'archive' ? 'not_followed_up' : 'not_allowed_in_status';
          expect(r.reason).toBe(reason);
        });
      }
    }
  }

  it('allowedActions agrees with the expected table', () => {
    for (const status of TICKET_STATUSES) {
      expect([...allowedActions(status)].sort()).toEqual(Object.keys(EXPECTED[status]).sort());
    }
  });
});

describe('isOpen', () => {
  it('is true exactly until the customer is answered', () => {
    const open = TICKET_STATUSES.filter(isOpen);
    expect(open.sort()).toEqual(['accepted', 'dispatched', 'handled', 'in_progress', 'returned']);
  });

  it('urge and pause are allowed exactly in open statuses', () => {
    for (const s of TICKET_STATUSES) {
      expect(allowedActions(s).includes('urge')).toBe(isOpen(s));
      expect(allowedActions(s).includes('pause')).toBe(isOpen(s));
    }
  });
});

describe('findActionTo', () => {
  it('finds the single action reaching each target, and only allowed ones', () => {
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) {
        const candidates = allowedActions(from).filter((a) => TARGET_STATUS_FOR[a] === to);
        expect(candidates.length).toBeLessThanOrEqual(1);
        expect(findActionTo(from, to)).toBe(candidates[0] ?? null);
      }
    }
  });

  it('maps the common API moves', () => {
    expect(findActionTo('accepted', 'dispatched')).toBe('dispatch');
    expect(findActionTo('dispatched', 'dispatched')).toBe('dispatch');
    expect(findActionTo('dispatched', 'in_progress')).toBe('accept_dispatch');
    expect(findActionTo('handled', 'replied')).toBe('reply');
    expect(findActionTo('followed_up', 'accepted')).toBe('reopen');
    expect(findActionTo('accepted', 'replied')).toBeNull();
    expect(findActionTo('replied', 'archived')).toBeNull();
    expect(findActionTo('archived', 'accepted')).toBeNull();
  });
});

describe('payload rules', () => {
  it('refuses a dispatch without a department', () => {
    expect(transition(ticketIn('accepted'), { type: 'dispatch', departmentId: '  ' }, T0)).toEqual({
      ok: false,
      reason: 'missing_department',
    });
  });

  it('refuses handling without a result', () => {
    expect(transition(ticketIn('in_progress'), { type: 'handle', result: '' }, T0)).toEqual({ ok: false, reason: 'missing_result' });
  });

  it('refuses a return without a reason', () => {
    expect(transition(ticketIn('dispatched'), { type: 'return', reason: ' ' }, T0)).toEqual({ ok: false, reason: 'missing_reason' });
  });

  it('refuses a reopen without a reason', () => {
    expect(transition(ticketIn('replied'), { type: 'reopen', reason: '' }, T0)).toEqual({ ok: false, reason: 'missing_reason' });
  });

  it('refuses a first-contact resolution without a resolution', () => {
    expect(transition(ticketIn('accepted'), { type: 'resolve_at_first_contact', resolution: '' }, T0)).toEqual({
      ok: false,
      reason: 'missing_resolution',
    });
  });

  it('checks the status before the payload', () => {
    expect(transition(ticketIn('archived'), { type: 'reopen', reason: '' }, T0)).toEqual({ ok: false, reason: 'terminal' });
  });
});

describe('dispatch, return and arrival', () => {
  it('records the department and counts dispatches', () => {
    const t = mustTransition(ticketIn('accepted'), { type: 'dispatch', departmentId: 'A', note: '加急' }, at(1));
    expect(t).toMatchObject({ status: 'dispatched', departmentId: 'A', dispatchCount: 1 });
    const r = transition(t, { type: 'dispatch', departmentId: 'B' }, at(2));
    expect(r.ok && r.ticket).toMatchObject({ departmentId: 'B', dispatchCount: 2 });
    expect(r.ok && r.events[0].details).toMatchObject({ departmentId: 'B', previousDepartmentId: 'A', redispatch: true });
  });

  it('marks the first dispatch as not a re-dispatch', () => {
    const r = transition(ticketIn('accepted'), { type: 'dispatch', departmentId: 'A', note: '加急' }, at(1));
    expect(r.ok && r.events[0].details).toMatchObject({ redispatch: false, note: '加急', previousDepartmentId: null });
  });

  it('returns to the center with the reason and the returning department', () => {
    const r = transition(ticketIn('in_progress'), { type: 'return', reason: '非我单位' }, at(3));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ticket).toMatchObject({ status: 'returned', returnCount: 1, departmentId: null });
    expect(r.events[0].details).toEqual({ reason: '非我单位', departmentId: 'dept-1' });
    const again = mustTransition(r.ticket, { type: 'dispatch', departmentId: 'dept-2' });
    expect(again).toMatchObject({ status: 'dispatched', departmentId: 'dept-2', returnCount: 1 });
  });

  it('records one arrival per dispatch and keeps the status', () => {
    const t = mustTransition(ticketIn('in_progress'), { type: 'arrive' }, at(40));
    expect(t).toMatchObject({ status: 'in_progress', arrivedAt: at(40) });
    expect(transition(t, { type: 'arrive' }, at(41))).toEqual({ ok: false, reason: 'already_arrived' });
    const back = mustTransition(t, { type: 'return', reason: '需其他班组' });
    expect(back.arrivedAt).toBeNull();
  });

  it('refuses arrival before the department accepted the dispatch', () => {
    expect(transition(ticketIn('dispatched'), { type: 'arrive' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });
});

describe('reply, first-contact resolution, follow-up and archive', () => {
  it('sets resolvedAt on reply and closedAt on archive', () => {
    let t = mustTransition(ticketIn('handled'), { type: 'reply', message: '已处理' }, at(10));
    expect(t.resolvedAt).toEqual(at(10));
    t = mustTransition(t, { type: 'follow_up', satisfied: false, note: '一般' }, at(20));
    t = mustTransition(t, { type: 'archive' }, at(30));
    expect(t).toMatchObject({ status: 'archived', closedAt: at(30), resolvedAtFirstContact: false });
  });

  it('lets the front line close an inquiry at first contact and archive it without follow-up', () => {
    let t = mustTransition(ticketIn('accepted'), { type: 'resolve_at_first_contact', resolution: '已解答' }, at(2));
    expect(t).toMatchObject({ status: 'resolved', resolvedAt: at(2), resolvedAtFirstContact: true });
    t = mustTransition(t, { type: 'archive' }, at(3));
    expect(t.status).toBe('archived');
  });

  it('refuses to archive an order that was never followed up', () => {
    expect(transition(ticketIn('replied'), { type: 'archive' }, T0)).toEqual({ ok: false, reason: 'not_followed_up' });
  });

  it('refuses to reply before the department handled the order', () => {
    expect(transition(ticketIn('accepted'), { type: 'reply' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
    expect(transition(ticketIn('in_progress'), { type: 'reply' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });

  it('records the follow-up outcome, null when unknown', () => {
    const r = transition(ticketIn('replied'), { type: 'follow_up' }, T0);
    expect(r.ok && r.events[0].details).toEqual({ satisfied: null, note: null });
  });
});

describe('reopen', () => {
  for (const from of ['replied', 'followed_up', 'resolved'] as const) {
    it(`reopens a ${from} order to accepted and starts a new cycle`, () => {
      const before = ticketIn(from);
      const r = transition(before, { type: 'reopen', reason: '问题复发' }, at(60));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.ticket).toMatchObject({
        status: 'accepted',
        reopenCount: 1,
        departmentId: null,
        handledAt: null,
        resolvedAt: null,
        resolvedAtFirstContact: false,
      });
      expect(r.ticket.dispatchCount).toBe(before.dispatchCount);
      expect(r.events).toEqual([{ type: 'reopened', from, to: 'accepted', at: at(60), details: { reason: '问题复发' } }]);
    });
  }

  it('never reopens an archived order (a new linked order is created instead)', () => {
    expect(transition(ticketIn('archived'), { type: 'reopen', reason: 'x' }, T0)).toEqual({ ok: false, reason: 'terminal' });
  });

  it('refuses to reopen an order that is still open', () => {
    expect(transition(ticketIn('handled'), { type: 'reopen', reason: 'x' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });
});

describe('urge', () => {
  it('counts urges and raises urgency up to critical', () => {
    let t = ticketIn('dispatched');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      t = mustTransition(t, { type: 'urge', note: '客户催办' }, at(i));
      seen.push(t.urgency);
    }
    expect(seen).toEqual(['high', 'critical', 'critical', 'critical']);
    expect(t.urgeCount).toBe(4);
    expect(t.status).toBe('dispatched');
  });

  it('refuses to urge an answered order', () => {
    expect(transition(ticketIn('replied'), { type: 'urge' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });
});

describe('pause and resume', () => {
  it('pauses and resumes, reporting the paused duration', () => {
    const paused = mustTransition(ticketIn('in_progress'), { type: 'pause', reason: '等待客户' }, at(0));
    expect(paused.pausedAt).toEqual(at(0));
    const r = transition(paused, { type: 'resume' }, at(90));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ticket.pausedAt).toBeNull();
    expect(r.events[0]).toMatchObject({ type: 'resumed', details: { pausedAt: at(0).toISOString(), pausedMs: 90 * 60_000 } });
  });

  it('refuses double pause and resume without pause', () => {
    expect(transition(ticketIn('accepted', { paused: true }), { type: 'pause' }, T0)).toEqual({ ok: false, reason: 'already_paused' });
    expect(transition(ticketIn('accepted'), { type: 'resume' }, T0)).toEqual({ ok: false, reason: 'not_paused' });
  });

  it('refuses pausing an answered order', () => {
    expect(transition(ticketIn('resolved'), { type: 'pause' }, T0)).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });

  it('lets a paused order be urged without resuming it', () => {
    const t = mustTransition(ticketIn('handled', { paused: true }), { type: 'urge' }, at(5));
    expect(t.pausedAt).toEqual(T0);
    expect(t.urgeCount).toBe(1);
  });

  it('resumes automatically before any other action, emitting resumed first', () => {
    const r = transition(ticketIn('handled', { paused: true }), { type: 'reply' }, at(30));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ticket).toMatchObject({ status: 'replied', pausedAt: null });
    expect(r.events.map((e) => e.type)).toEqual(['resumed', 'replied']);
    expect(r.events[0]).toMatchObject({ from: 'handled', to: 'handled', details: { automatic: true, pausedMs: 30 * 60_000 } });
  });

  it('never reports a negative pause when the clock went backwards', () => {
    const r = transition(ticketIn('accepted', { paused: true }), { type: 'resume' }, at(-5));
    expect(r.ok && r.events[0].details.pausedMs).toBe(0);
  });
});

describe('listAvailableActions', () => {
  it('hides resume unless paused, pause while paused, and a second arrival', () => {
    expect(listAvailableActions(ticketIn('in_progress'))).toEqual(['arrive', 'handle', 'return', 'urge', 'pause']);
    expect(listAvailableActions(ticketIn('in_progress', { paused: true }))).toEqual(['arrive', 'handle', 'return', 'urge', 'resume']);
    expect(listAvailableActions(ticketIn('archived'))).toEqual([]);
  });
});

describe('properties', () => {
  const blankable = (s: string) => fc.constantFrom(s, '', '  ');
  const arbAction: fc.Arbitrary<TicketAction> = fc.oneof(
    blankable('dept-A').map((departmentId) => ({ type: 'dispatch' as const, departmentId })),
    fc.constant({ type: 'accept_dispatch' as const }),
    fc.constant({ type: 'arrive' as const }),
    blankable('done').map((result) => ({ type: 'handle' as const, result })),
    blankable('wrong dept').map((reason) => ({ type: 'return' as const, reason })),
    fc.constant({ type: 'reply' as const }),
    blankable('answered').map((resolution) => ({ type: 'resolve_at_first_contact' as const, resolution })),
    fc.option(fc.boolean(), { nil: undefined }).map((satisfied) => ({ type: 'follow_up' as const, satisfied })),
    fc.constant({ type: 'archive' as const }),
    blankable('again').map((reason) => ({ type: 'reopen' as const, reason })),
    fc.constant({ type: 'urge' as const }),
    fc.constant({ type: 'pause' as const }),
    fc.constant({ type: 'resume' as const }),
  );
  const arbSteps = fc.array(fc.tuple(arbAction, fc.integer({ min: 0, max: 600 })), { maxLength: 60 });

  it('keeps every invariant over random action sequences', () => {
    fc.assert(
      fc.property(arbSteps, (steps) => {
        let t = createTicketState();
        let clock = T0.getTime();
        let urges = 0;
        let reopens = 0;
        for (const [action, gap] of steps) {
          clock += gap * 60_000;
          const now = new Date(clock);
          const r = transition(t, action, now);
          if (!r.ok) {
            if (t.status === 'archived') expect(r.reason).toBe('terminal');
            if (r.reason === 'not_allowed_in_status') expect(allowedActions(t.status)).not.toContain(action.type);
            continue;
          }
          const next = r.ticket;
          expect(TICKET_STATUSES).toContain(next.status);
          expect(t.status).not.toBe('archived');
          expect(allowedActions(t.status)).toContain(action.type);
          // counters never decrease
          for (const k of ['urgeCount', 'reopenCount', 'returnCount', 'dispatchCount'] as const) {
            expect(next[k]).toBeGreaterThanOrEqual(t[k]);
          }
          expect(TICKET_URGENCIES.indexOf(next.urgency)).toBeGreaterThanOrEqual(TICKET_URGENCIES.indexOf(t.urgency));
          // a paused order is always open; events chain and end at the new status
          if (next.pausedAt !== null) expect(isOpen(next.status)).toBe(true);
          expect(r.events[0].from).toBe(t.status);
          expect(r.events[r.events.length - 1].to).toBe(next.status);
          for (const e of r.events) expect(e.at).toEqual(now);
          const target = TARGET_STATUS_FOR[action.type];
          expect(next.status).toBe(target ?? t.status);
          if (action.type === 'urge') urges++;
          if (action.type === 'reopen') reopens++;
          t = next;
        }
        expect(t.urgeCount).toBe(urges);
        expect(t.reopenCount).toBe(reopens);
        expect(t.urgency).toBe(TICKET_URGENCIES[Math.min(urges, TICKET_URGENCIES.length - 1)]);
      }),
      { numRuns: 500 },
    );
  });

  it('archived is terminal: no action ever leaves it', () => {
    fc.assert(
      fc.property(fc.array(arbAction, { maxLength: 20 }), (actions) => {
        const archived = ticketIn('archived');
        for (const a of actions) expect(transition(archived, a, T0)).toEqual({ ok: false, reason: 'terminal' });
      }),
    );
  });

  it('never mutates the input ticket', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATUSES), arbAction, fc.boolean(), (status, action, paused) => {
        const t = ticketIn(status, { paused: paused && isOpen(status) });
        const copy = structuredClone(t);
        transition(t, action, at(1));
        expect(t).toEqual(copy);
      }),
    );
  });

  it('findActionTo always yields an action that reaches the target', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_STATUSES), fc.constantFrom(...TICKET_STATUSES), (from, to) => {
        const action = findActionTo(from, to);
        if (action === null) return;
        const r = transition(ticketIn(from), validAction(action), at(1));
        expect(r.ok && r.ticket.status).toBe(to);
      }),
    );
  });
});

describe('urge with a policy-decided urgency', () => {
  it('takes the given urgency but never lowers the current one', () => {
    const t = ticketIn('dispatched');
    const kept = transition(t, { type: 'urge', urgency: 'normal' }, T0);
    expect(kept.ok && [kept.ticket.urgeCount, kept.ticket.urgency]).toEqual([1, 'normal']);
    const jumped = transition(t, { type: 'urge', urgency: 'critical' }, T0);
    expect(jumped.ok && jumped.ticket.urgency).toBe('critical');
    const high = { ...t, urgency: 'high' as const };
    const lower = transition(high, { type: 'urge', urgency: 'normal' }, T0);
    expect(lower.ok && [lower.ticket.urgency, lower.events[0].details.urgency]).toEqual(['high', 'high']);
  });

  it('orders urgencies', () => {
    expect(maxUrgency('normal', 'high')).toBe('high');
    expect(maxUrgency('critical', 'high')).toBe('critical');
    expect(maxUrgency('normal', 'normal')).toBe('normal');
  });
});
