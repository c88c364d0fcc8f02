import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AbuseAction,
  type AbuseActor,
  type AbuseProtocolState,
  advanceAbuseProtocol,
  startAbuseProtocol,
} from './abuse-protocol.ts';

const T0 = new Date('2026-03-02T02:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const AGENT: AbuseActor = { userId: 'agent-1', role: 'agent' };
const OTHER_AGENT: AbuseActor = { userId: 'agent-2', role: 'agent' };
const LEAD: AbuseActor = { userId: 'lead-1', role: 'supervisor' };
const ADMIN: AbuseActor = { userId: 'admin-1', role: 'admin' };

function step(state: AbuseProtocolState, action: AbuseAction, actor: AbuseActor, s: number): AbuseProtocolState {
  const r = advanceAbuseProtocol(state, action, actor, at(s));
  if (!r.ok) throw new Error(`${action.type} refused: ${r.reason}`);
  return r.state;
}

const warnedTwice = () => step(step(startAbuseProtocol('agent-1'), { type: 'warn', level: 1 }, AGENT, 10), { type: 'warn', level: 2 }, AGENT, 40);
const requested = () => step(warnedTwice(), { type: 'request_closure' }, AGENT, 60);

describe('abuse protocol: the path', () => {
  it('sends warning 1, warning 2, then the closing script once the team lead approves', () => {
    const start = startAbuseProtocol('agent-1');
    const w1 = advanceAbuseProtocol(start, { type: 'warn', level: 1 }, AGENT, at(10));
    expect(w1).toMatchObject({ ok: true, scriptKey: 'abuse.warning_1', event: { type: 'warned', from: 'none', to: 'warned_once', by: 'agent-1' } });
    const w2 = w1.ok ? advanceAbuseProtocol(w1.state, { type: 'warn', level: 2 }, AGENT, at(40)) : w1;
    expect(w2).toMatchObject({ ok: true, scriptKey: 'abuse.warning_2' });
    const req = w2.ok ? advanceAbuseProtocol(w2.state, { type: 'request_closure', note: '辱骂' }, AGENT, at(60)) : w2;
    expect(req).toMatchObject({ ok: true, scriptKey: null, event: { type: 'closure_requested', details: { note: '辱骂' } } });
    const approved = req.ok ? advanceAbuseProtocol(req.state, { type: 'approve_closure' }, LEAD, at(75)) : req;
    expect(approved).toMatchObject({
      ok: true,
      scriptKey: 'abuse.closing',
      state: { stage: 'closed', decidedBy: 'lead-1', closedAt: at(75), warnedAt: [at(10), at(40)], closureRequestedAt: at(60) },
      event: { type: 'closure_approved', by: 'lead-1' },
    });
  });

  it('returns a rejected request to the agent, who may ask again', () => {
    const rejected = step(requested(), { type: 'reject_closure', note: '再沟通' }, LEAD, 70);
    expect(rejected).toMatchObject({ stage: 'warned_twice', rejections: 1, closureRequestedAt: null, decidedBy: 'lead-1' });
    expect(step(rejected, { type: 'request_closure' }, AGENT, 120)).toMatchObject({ stage: 'closure_requested', closureRequestedAt: at(120) });
  });
});

describe('abuse protocol: refusals', () => {
  it('refuses to skip steps', () => {
    const start = startAbuseProtocol('agent-1');
    expect(advanceAbuseProtocol(start, { type: 'warn', level: 2 }, AGENT, at(1))).toEqual({ ok: false, reason: 'step_skipped' });
    expect(advanceAbuseProtocol(start, { type: 'request_closure' }, AGENT, at(1))).toEqual({ ok: false, reason: 'step_skipped' });
    const once = step(start, { type: 'warn', level: 1 }, AGENT, 1);
    expect(advanceAbuseProtocol(once, { type: 'request_closure' }, AGENT, at(2))).toEqual({ ok: false, reason: 'step_skipped' });
  });

  it('refuses a warning already given', () => {
    const once = step(startAbuseProtocol('agent-1'), { type: 'warn', level: 1 }, AGENT, 1);
    expect(advanceAbuseProtocol(once, { type: 'warn', level: 1 }, AGENT, at(2))).toEqual({ ok: false, reason: 'already_warned' });
    expect(advanceAbuseProtocol(warnedTwice(), { type: 'warn', level: 2 }, AGENT, at(50))).toEqual({ ok: false, reason: 'already_warned' });
  });

  it('lets only the contact agent warn and request closure, not another agent nor a team lead', () => {
    const start = startAbuseProtocol('agent-1');
    expect(advanceAbuseProtocol(start, { type: 'warn', level: 1 }, OTHER_AGENT, at(1))).toEqual({ ok: false, reason: 'not_contact_agent' });
    expect(advanceAbuseProtocol(start, { type: 'warn', level: 1 }, LEAD, at(1))).toEqual({ ok: false, reason: 'not_contact_agent' });
    expect(advanceAbuseProtocol(warnedTwice(), { type: 'request_closure' }, OTHER_AGENT, at(50))).toEqual({ ok: false, reason: 'not_contact_agent' });
  });

  it('lets only a team lead approve or reject, never the agent or an admin', () => {
    for (const actor of [AGENT, OTHER_AGENT, ADMIN]) {
      expect(advanceAbuseProtocol(requested(), { type: 'approve_closure' }, actor, at(70))).toEqual({ ok: false, reason: 'not_supervisor' });
      expect(advanceAbuseProtocol(requested(), { type: 'reject_closure' }, actor, at(70))).toEqual({ ok: false, reason: 'not_supervisor' });
    }
  });

  it('refuses a team lead approving the closure of their own contact', () => {
    const leadLed = step(
      step(step(startAbuseProtocol('lead-1'), { type: 'warn', level: 1 }, LEAD, 1), { type: 'warn', level: 2 }, LEAD, 2),
      { type: 'request_closure' },
      LEAD,
      3,
    );
    expect(advanceAbuseProtocol(leadLed, { type: 'approve_closure' }, LEAD, at(4))).toEqual({ ok: false, reason: 'self_approval' });
  });

  it('refuses a decision without a pending request and new steps while one is pending', () => {
    expect(advanceAbuseProtocol(warnedTwice(), { type: 'approve_closure' }, LEAD, at(50))).toEqual({ ok: false, reason: 'no_pending_request' });
    expect(advanceAbuseProtocol(requested(), { type: 'request_closure' }, AGENT, at(61))).toEqual({ ok: false, reason: 'request_pending' });
    expect(advanceAbuseProtocol(requested(), { type: 'warn', level: 2 }, AGENT, at(61))).toEqual({ ok: false, reason: 'request_pending' });
  });

  it('refuses everything once closed, and steps dated before the last one', () => {
    const closed = step(requested(), { type: 'approve_closure' }, LEAD, 70);
    expect(advanceAbuseProtocol(closed, { type: 'reject_closure' }, LEAD, at(80))).toEqual({ ok: false, reason: 'terminal' });
    expect(advanceAbuseProtocol(requested(), { type: 'approve_closure' }, LEAD, at(59))).toEqual({ ok: false, reason: 'before_last_change' });
  });
});

describe('abuse protocol: properties', () => {
  // Mostly plausible steps (the right actor for the action), with some noise from anyone.
  const plausible = fc.constantFrom<[AbuseAction, AbuseActor]>(
    [{ type: 'warn', level: 1 }, AGENT],
    [{ type: 'warn', level: 2 }, AGENT],
    [{ type: 'request_closure' }, AGENT],
    [{ type: 'approve_closure' }, LEAD],
    [{ type: 'reject_closure' }, LEAD],
  );
  const noise = fc.tuple(
    fc.constantFrom<AbuseAction>({ type: 'warn', level: 1 }, { type: 'warn', level: 2 }, { type: 'request_closure' }, { type: 'approve_closure' }, { type: 'reject_closure' }),
    fc.constantFrom(AGENT, OTHER_AGENT, LEAD, ADMIN),
  );
  const arbSteps = fc.array(fc.oneof({ arbitrary: plausible, weight: 6 }, { arbitrary: noise, weight: 1 }), { minLength: 8, maxLength: 40 });
  const WARNINGS_BY_STAGE = { none: 0, warned_once: 1, warned_twice: 2, closure_requested: 2, closed: 2 } as const;

  it('closes a session only after two warnings by its agent and a request approved by another user who is a team lead', () => {
    fc.assert(
      fc.property(arbSteps, (steps) => {
        let state = startAbuseProtocol('agent-1');
        const events: { type: string; by: string }[] = [];
        steps.forEach(([action, actor], i) => {
          const r = advanceAbuseProtocol(state, action, actor, at(i));
          if (!r.ok) return;
          state = r.state;
          events.push(r.event);
          expect(state.warnedAt).toHaveLength(WARNINGS_BY_STAGE[state.stage]);
          expect(r.scriptKey !== null).toBe(r.event.type === 'warned' || r.event.type === 'closure_approved');
        });
        if (state.stage !== 'closed') return;
        const warnings = events.filter((e) => e.type === 'warned');
        expect(warnings.map((e) => e.by)).toEqual(['agent-1', 'agent-1']);
        expect(events.at(-1)).toMatchObject({ type: 'closure_approved', by: 'lead-1' });
        expect(events.at(-2)).toMatchObject({ type: 'closure_requested', by: 'agent-1' });
      }),
    );
  });
});
