import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTicketState,
  TICKET_STATUSES,
  type TicketActionType,
  type TicketEvent,
  type TicketState,
  type TicketStatus,
  transition,
} from '../tickets/ticket-status.ts';
import {
  canChangeIncidentStatus,
  checkIncidentLink,
  findActionPath,
  INCIDENT_STATUSES,
  type Incident,
  type IncidentClosureRequest,
  isIncidentOverdue,
  matchIncidentForContact,
  planIncidentClosure,
} from './incident.ts';

const T0 = new Date('2026-11-27T06:00:00Z');
const min = (n: number) => new Date(T0.getTime() + n * 60_000);

const incident = (patch: Partial<Incident> = {}): Incident => ({
  id: 'inc-1',
  areaIds: ['area-dongcheng', 'area-xicheng'],
  startedAt: T0,
  expectedRestoreAt: min(180),
  status: 'active',
  ...patch,
});

describe('matchIncidentForContact', () => {
  const contact = { areaId: 'area-dongcheng', categoryCode: 'fault-repair.low-voltage', at: min(20) };

  it('offers an active incident of the contact area for a fault report', () => {
    expect(matchIncidentForContact([incident()], contact).map((i) => i.id)).toEqual(['inc-1']);
  });

  it('offers it for a question about the outage, not for other categories', () => {
    expect(matchIncidentForContact([incident()], { ...contact, categoryCode: 'inquiry.outage-info' })).toHaveLength(1);
    expect(matchIncidentForContact([incident()], { ...contact, categoryCode: 'complaint.outage' })).toEqual([]);
    expect(matchIncidentForContact([incident()], { ...contact, categoryCode: 'complaint.outage' }, ['complaint'])).toHaveLength(1);
  });

  it('leaves out other areas, contacts without an area, resolved incidents and contacts before the outage', () => {
    expect(matchIncidentForContact([incident()], { ...contact, areaId: 'area-chaoyang' })).toEqual([]);
    expect(matchIncidentForContact([incident()], { ...contact, areaId: null })).toEqual([]);
    expect(matchIncidentForContact([incident({ status: 'resolved' })], contact)).toEqual([]);
    expect(matchIncidentForContact([incident({ status: 'closed' })], contact)).toEqual([]);
    expect(matchIncidentForContact([incident()], { ...contact, at: min(-1) })).toEqual([]);
  });

  it('lists the most recent first', () => {
    const older = incident({ id: 'inc-0', startedAt: min(-60) });
    const newer = incident({ id: 'inc-2', startedAt: min(10) });
    expect(matchIncidentForContact([older, incident(), newer], contact).map((i) => i.id)).toEqual(['inc-2', 'inc-1', 'inc-0']);
  });
});

describe('incident status', () => {
  it('moves active → resolved → closed, may relapse, and never leaves closed', () => {
    const allowed = INCIDENT_STATUSES.flatMap((from) => INCIDENT_STATUSES.filter((to) => canChangeIncidentStatus(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(['active→resolved', 'active→closed', 'resolved→active', 'resolved→closed']);
  });

  it('flags an active incident past its expected restore time', () => {
    expect(isIncidentOverdue(incident(), min(181))).toBe(true);
    expect(isIncidentOverdue(incident(), min(180))).toBe(false);
    expect(isIncidentOverdue(incident({ status: 'resolved' }), min(999))).toBe(false);
    expect(isIncidentOverdue(incident({ expectedRestoreAt: null }), min(999))).toBe(false);
  });

  it('links only open orders to an active incident', () => {
    expect(checkIncidentLink(incident(), 'accepted')).toBeNull();
    expect(checkIncidentLink(incident(), 'replied')).toBe('ticket_not_open');
    expect(checkIncidentLink(incident({ status: 'resolved' }), 'accepted')).toBe('incident_not_active');
  });
});

describe('findActionPath', () => {
  it('walks the state machine forward, never through first-contact resolution or a return', () => {
    expect(findActionPath('accepted', 'replied')).toEqual(['dispatch', 'accept_dispatch', 'handle', 'reply']);
    expect(findActionPath('returned', 'replied')).toEqual(['dispatch', 'accept_dispatch', 'handle', 'reply']);
    expect(findActionPath('in_progress', 'replied')).toEqual(['handle', 'reply']);
    expect(findActionPath('accepted', 'archived')).toEqual(['dispatch', 'accept_dispatch', 'handle', 'reply', 'follow_up', 'archive']);
    expect(findActionPath('resolved', 'archived')).toEqual(['archive']);
    expect(findActionPath('handled', 'handled')).toEqual([]);
    expect(findActionPath('archived', 'replied')).toBeNull();
    expect(findActionPath('accepted', 'resolved')).toBeNull();
  });
});

// The shortest way to put a fresh order in each status.
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

function ticketIn(status: TicketStatus): TicketState {
  let t = createTicketState();
  for (const type of PATH_TO[status]) {
    const action =
      type === 'dispatch'
        ? { type, departmentId: 'qiangxiu-1' }
        : type === 'handle'
          ? { type, result: '已处理' }
          : type === 'return'
            ? { type, reason: '非本单位' }
            : type === 'resolve_at_first_contact'
              ? { type, resolution: '已解答' }
              : { type };
    const r = transition(t, action as Parameters<typeof transition>[1], min(-30));
    if (!r.ok) throw new Error(`${type}: ${r.reason}`);
    t = r.ticket;
  }
  return t;
}

const reply: IncidentClosureRequest = {
  mode: 'reply',
  departmentId: 'qiangxiu-2',
  result: '10kV 幸福线 12 号杆跌落式熔断器更换，14:20 恢复送电',
  message: '您所在区域的停电已于 14:20 恢复，感谢您的耐心等待。',
};

describe('planIncidentClosure', () => {
  it('answers every linked order through the state machine, each with its own events', () => {
    const linked = [
      { id: 't-accepted', state: ticketIn('accepted') },
      { id: 't-progress', state: ticketIn('in_progress') },
    ];
    const plan = planIncidentClosure(incident(), linked, min(200), reply);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.incident.status).toBe('resolved');
    expect(plan.counts).toEqual({ updated: 2, unchanged: 0, refused: 0 });
    const [first, second] = plan.tickets;
    expect(first.outcome === 'updated' && first.events.map((e) => e.type)).toEqual(['dispatched', 'dispatch_accepted', 'handled', 'replied']);
    expect(first.outcome === 'updated' && first.ticket).toMatchObject({ status: 'replied', departmentId: 'qiangxiu-2', resolvedAt: min(200), resolvedAtFirstContact: false });
    expect(first.outcome === 'updated' && first.events[0].details).toMatchObject({ departmentId: 'qiangxiu-2', note: 'incident:inc-1' });
    expect(second.outcome === 'updated' && second.events.map((e) => [e.type, e.details])).toEqual([
      ['handled', { result: reply.result }],
      ['replied', { message: reply.message }],
    ]);
    // The events are separate objects per order.
    expect(first.outcome === 'updated' && second.outcome === 'updated' && first.events.at(-1) !== second.events.at(-1)).toBe(true);
  });

  it('leaves answered and archived orders alone and reports them', () => {
    const linked = (['replied', 'followed_up', 'resolved', 'archived'] as const).map((s) => ({ id: s, state: ticketIn(s) }));
    const plan = planIncidentClosure(incident(), linked, min(200), reply);
    expect(plan.ok && plan.tickets).toEqual([
      { ticketId: 'replied', outcome: 'unchanged', reason: 'already_answered' },
      { ticketId: 'followed_up', outcome: 'unchanged', reason: 'already_answered' },
      { ticketId: 'resolved', outcome: 'unchanged', reason: 'already_answered' },
      { ticketId: 'archived', outcome: 'unchanged', reason: 'already_closed' },
    ]);
  });

  it('closes: follows up with the collective note and archives', () => {
    const linked = (['accepted', 'replied', 'resolved', 'archived'] as const).map((s) => ({ id: s, state: ticketIn(s) }));
    const plan = planIncidentClosure(incident({ status: 'resolved' }), linked, min(300), { ...reply, mode: 'close', followUpNote: '短信统一回访' });
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.incident.status).toBe('closed');
    expect(plan.tickets.map((t) => (t.outcome === 'updated' ? t.actions.join(',') : t.outcome))).toEqual([
      'dispatch,accept_dispatch,handle,reply,follow_up,archive',
      'follow_up,archive',
      'archive',
      'unchanged',
    ]);
    const first = plan.tickets[0];
    expect(first.outcome === 'updated' && first.events.find((e) => e.type === 'followed_up')?.details).toEqual({ satisfied: null, note: '短信统一回访' });
    expect(first.outcome === 'updated' && first.ticket).toMatchObject({ status: 'archived', closedAt: min(300) });
  });

  it('resumes a paused order before answering it, on its timeline', () => {
    const paused = { ...ticketIn('in_progress'), pausedAt: min(100) };
    const plan = planIncidentClosure(incident(), [{ id: 'p', state: paused }], min(200), reply);
    const t = plan.ok ? plan.tickets[0] : null;
    expect(t?.outcome === 'updated' && t.events.map((e) => e.type)).toEqual(['resumed', 'handled', 'replied']);
  });

  it('reports an order listed twice instead of answering it twice', () => {
    const state = ticketIn('handled');
    const plan = planIncidentClosure(incident(), [{ id: 'a', state }, { id: 'a', state }], min(200), reply);
    expect(plan.ok && plan.tickets.map((t) => t.outcome)).toEqual(['updated', 'refused']);
    expect(plan.ok && plan.tickets[1]).toEqual({ ticketId: 'a', outcome: 'refused', status: 'handled', reason: 'duplicate', action: null });
    expect(plan.ok && plan.counts).toEqual({ updated: 1, unchanged: 0, refused: 1 });
  });

  it('refuses a closed incident or an incomplete request', () => {
    expect(planIncidentClosure(incident({ status: 'closed' }), [], T0, reply)).toEqual({ ok: false, reason: 'incident_closed' });
    expect(planIncidentClosure(incident(), [], T0, { ...reply, departmentId: ' ' })).toEqual({ ok: false, reason: 'missing_department' });
    expect(planIncidentClosure(incident(), [], T0, { ...reply, result: '' })).toEqual({ ok: false, reason: 'missing_result' });
    expect(planIncidentClosure(incident(), [], T0, { ...reply, message: '' })).toEqual({ ok: false, reason: 'missing_message' });
    expect(planIncidentClosure(incident(), [], T0, { ...reply, mode: 'close' })).toEqual({ ok: false, reason: 'missing_follow_up_note' });
  });

  it('leaves every order answered or closed, and its events replay through transition (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TICKET_STATUSES), { maxLength: 20 }), fc.constantFrom('reply' as const, 'close' as const), (statuses, mode) => {
        const linked = statuses.map((s, i) => ({ id: `t${i}`, state: ticketIn(s) }));
        const plan = planIncidentClosure(incident(), linked, min(500), { ...reply, mode, followUpNote: '统一回访' });
        if (!plan.ok) throw new Error(plan.reason);
        expect(plan.tickets).toHaveLength(linked.length);
        plan.tickets.forEach((t, i) => {
          const before = linked[i].state;
          if (t.outcome === 'updated') {
            expect(t.ticket.status).toBe(mode === 'reply' ? 'replied' : 'archived');
            // Each event is a real state change from the previous one.
            let status = before.status;
            for (const e of t.events as TicketEvent[]) {
              expect(e.from).toBe(status);
              status = e.to;
            }
            expect(status).toBe(t.ticket.status);
          } else {
            expect(t.outcome).toBe('unchanged');
            expect(mode === 'reply' ? ['replied', 'followed_up', 'resolved', 'archived'] : ['archived']).toContain(before.status);
          }
        });
      }),
    );
  });
});
