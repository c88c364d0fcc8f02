import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../calendar/business-calendar.ts';
import {
  DEFAULT_ESCALATION_POLICY,
  ESCALATION_LEVELS,
  type EscalationPolicy,
  escalationOnBreach,
  getEscalationHandler,
  getEscalationLevelAt,
  getEscalationLevelIndex,
  getSlaMarkerKey,
  isEscalatableCategory,
  nextEscalationLevel,
  raiseEscalation,
  type SlaFiredMarkers,
  type SweepTicketSnapshot,
  sweepDecision,
} from './complaint-escalation.ts';

const MIN = 60_000;
const T0 = new Date('2026-11-23T01:00:00Z'); // Monday 09:00 in Shanghai
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

// A complaint whose reply is due 100 minutes after T0.
function snapshot(patch: Partial<SweepTicketSnapshot> = {}): SweepTicketSnapshot {
  return {
    categoryCode: 'complaint.service-attitude',
    status: 'dispatched',
    priority: 'normal',
    escalationLevel: 'agent',
    departmentCode: 'yingye-1',
    assigneeId: null,
    slaState: 'ok',
    clocks: [{ milestone: 'reply', startedAt: T0, dueAt: at(100) }],
    pausedSince: null,
    ...patch,
  };
}

describe('the escalation ladder', () => {
  it('climbs agent → team lead → local complaint line → provincial → national', () => {
    expect([...ESCALATION_LEVELS]).toEqual(['agent', 'team_lead', 'local_complaint_line', 'provincial_supervision', 'national_supervision']);
    const climbed: string[] = [];
    for (let l: (typeof ESCALATION_LEVELS)[number] | null = 'agent'; l !== null; l = nextEscalationLevel(l)) climbed.push(l);
    expect(climbed).toEqual([...ESCALATION_LEVELS]);
  });

  it('stores levels as indexes', () => {
    ESCALATION_LEVELS.forEach((level, i) => {
      expect(getEscalationLevelIndex(level)).toBe(i);
      expect(getEscalationLevelAt(i)).toBe(level);
    });
    for (const bad of [-1, 5, 1.5]) expect(() => getEscalationLevelAt(bad)).toThrow(RangeError);
  });

  it('names who handles each level', () => {
    expect(ESCALATION_LEVELS.map((l) => getEscalationHandler(l).role)).toEqual(['agent', 'supervisor', 'manager', 'manager', 'manager']);
    expect(ESCALATION_LEVELS.map((l) => getEscalationHandler(l).external)).toEqual([false, false, false, true, true]);
    expect(getEscalationHandler('team_lead').nameZh).toBe('值班长');
  });

  it('applies to complaints only', () => {
    expect(isEscalatableCategory('complaint')).toBe(true);
    expect(isEscalatableCategory('complaint.tariff')).toBe(true);
    expect(isEscalatableCategory('fault-repair.low-voltage')).toBe(false);
  });
});

describe('raiseEscalation', () => {
  const complaint = { categoryCode: 'complaint.tariff', status: 'in_progress' as const, escalationLevel: 'agent' as const };

  it('raises one rung, records the reason and names whom to notify', () => {
    const r = raiseEscalation(complaint, { reason: ' 客户情绪激动，要求找领导 ' }, T0);
    expect(r).toEqual({
      ok: true,
      level: 'team_lead',
      event: { type: 'escalated', at: T0, details: { from: 'agent', to: 'team_lead', reason: '客户情绪激动，要求找领导', automatic: false } },
      notify: getEscalationHandler('team_lead'),
    });
  });

  it('jumps straight to a higher rung when asked', () => {
    const r = raiseEscalation(complaint, { reason: '客户已拨打12398', to: 'national_supervision', automatic: true }, T0);
    expect(r.ok && [r.level, r.event.details.automatic]).toEqual(['national_supervision', true]);
  });

  it('refuses what it cannot do', () => {
    expect(raiseEscalation({ ...complaint, categoryCode: 'inquiry.tariff' }, { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'not_escalatable' });
    expect(raiseEscalation({ ...complaint, status: 'archived' }, { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'terminal' });
    expect(raiseEscalation(complaint, { reason: '  ' }, T0)).toEqual({ ok: false, reason: 'missing_reason' });
    expect(raiseEscalation({ ...complaint, escalationLevel: 'national_supervision' }, { reason: 'x' }, T0)).toEqual({ ok: false, reason: 'at_top' });
    expect(raiseEscalation({ ...complaint, escalationLevel: 'team_lead' }, { reason: 'x', to: 'agent' }, T0)).toEqual({ ok: false, reason: 'not_higher' });
    expect(raiseEscalation({ ...complaint, escalationLevel: 'team_lead' }, { reason: 'x', to: 'team_lead' }, T0)).toEqual({ ok: false, reason: 'not_higher' });
  });
});

describe('escalationOnBreach', () => {
  const policy = DEFAULT_ESCALATION_POLICY;

  it('does nothing before the deadline', () => {
    expect(escalationOnBreach(policy, snapshot(), at(100)).steps).toEqual([]);
  });

  it('notifies the supervisor and lifts a complaint to the team lead at the breach', () => {
    const plan = escalationOnBreach(policy, snapshot(), at(101));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ ruleId: 'breach', milestone: 'reply', overdueMinutes: 1, skipped: [] });
    expect(plan.steps[0].actions).toEqual([
      { type: 'notify', audience: 'supervisor' },
      { type: 'raise_escalation_level', from: 'agent', to: 'team_lead', notify: getEscalationHandler('team_lead') },
    ]);
    expect(plan.escalationLevel).toBe('team_lead');
  });

  it('fires later rules once their overdue time is reached', () => {
    const plan = escalationOnBreach(policy, snapshot(), at(100 + 240));
    expect(plan.steps.map((s) => s.ruleId)).toEqual(['breach', 'overdue-4h']);
    expect(plan.priority).toBe('high');
    expect(plan.steps[1].actions).toContainEqual({ type: 'notify', audience: 'manager' });
  });

  it('skips steps already fired and folds the rest', () => {
    const twice: EscalationPolicy = { rules: [{ id: 'a', overdueMinutes: 0, actions: [{ type: 'raise_priority' }] }, { id: 'b', overdueMinutes: 10, actions: [{ type: 'raise_priority' }] }] };
    const all = escalationOnBreach(twice, snapshot({ priority: 'low' }), at(200));
    expect(all.steps.flatMap((s) => s.actions)).toEqual([
      { type: 'raise_priority', from: 'low', to: 'normal' },
      { type: 'raise_priority', from: 'normal', to: 'high' },
    ]);
    const fired = { [all.steps[0].key]: T0.toISOString() };
    const rest = escalationOnBreach(twice, snapshot({ priority: 'normal' }), at(200), fired);
    expect(rest.steps.map((s) => s.ruleId)).toEqual(['b']);
    expect(rest.priority).toBe('high');
  });

  it('reports no-op actions as skipped', () => {
    const p: EscalationPolicy = { rules: [{ overdueMinutes: 0, actions: [{ type: 'raise_priority' }, { type: 'raise_escalation_level' }, { type: 'reassign', departmentCode: 'yingye-1' }] }] };
    const top = escalationOnBreach(p, snapshot({ priority: 'urgent', escalationLevel: 'national_supervision' }), at(101));
    expect(top.steps[0].actions).toEqual([]);
    expect(top.steps[0].skipped).toEqual([
      { type: 'raise_priority', reason: 'at_top_priority' },
      { type: 'raise_escalation_level', reason: 'at_top_level' },
      { type: 'reassign', reason: 'already_assigned' },
    ]);
    const repair = escalationOnBreach(p, snapshot({ categoryCode: 'fault-repair.low-voltage' }), at(101));
    expect(repair.steps[0].skipped).toContainEqual({ type: 'raise_escalation_level', reason: 'not_escalatable' });
    expect(repair.escalationLevel).toBe('agent');
  });

  it('reassigns only an order the state machine lets it re-dispatch', () => {
    const p: EscalationPolicy = { rules: [{ overdueMinutes: 0, actions: [{ type: 'reassign', departmentCode: 'qiangxiu-2', assigneeId: 'u-9' }] }] };
    const ok = escalationOnBreach(p, snapshot({ status: 'dispatched' }), at(101));
    expect(ok.steps[0].actions).toEqual([{ type: 'reassign', departmentCode: 'qiangxiu-2', assigneeId: 'u-9', previousDepartmentCode: 'yingye-1' }]);
    expect([ok.departmentCode, ok.assigneeId]).toEqual(['qiangxiu-2', 'u-9']);
    const busy = escalationOnBreach(p, snapshot({ status: 'in_progress' }), at(101));
    expect(busy.steps[0].skipped).toEqual([{ type: 'reassign', reason: 'not_allowed_in_status' }]);
    expect(busy.departmentCode).toBe('yingye-1');
  });

  it('applies a rule to its milestone only', () => {
    const p: EscalationPolicy = { rules: [{ milestone: 'arrive', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'manager' }] }] };
    expect(escalationOnBreach(p, snapshot(), at(500)).steps).toEqual([]);
    const clocks = [{ milestone: 'arrive' as const, startedAt: T0, dueAt: at(45) }];
    expect(escalationOnBreach(p, snapshot({ clocks }), at(46)).steps).toHaveLength(1);
  });

  it('freezes overdue time while paused', () => {
    const paused = snapshot({ pausedSince: at(110) });
    const plan = escalationOnBreach(DEFAULT_ESCALATION_POLICY, paused, at(100 + 600));
    expect(plan.steps.map((s) => [s.ruleId, s.overdueMinutes])).toEqual([['breach', 10]]);
  });
});

describe('sweepDecision', () => {
  it('fires nothing while the clock is fine and says when to look again', () => {
    const d = sweepDecision(snapshot(), at(10), {});
    expect(d).toMatchObject({ slaState: 'ok', events: [], changed: false });
    expect(d.nextCheckAt?.getTime()).toBe(at(80).getTime() + 1); // just past 80 % of the 100-minute window
  });

  it('fires at-risk once, then the breach once', () => {
    const risk = sweepDecision(snapshot(), at(85), {});
    expect(risk.events).toEqual([{ kind: 'at_risk', key: getSlaMarkerKey({ milestone: 'reply', startedAt: T0 }, 'at_risk'), milestone: 'reply', dueAt: at(100), notify: ['owner'] }]);
    expect(risk).toMatchObject({ slaState: 'at_risk', changed: true });
    expect(risk.nextCheckAt?.getTime()).toBe(at(100).getTime() + 1);

    const again = sweepDecision(snapshot({ slaState: 'at_risk' }), at(90), risk.fired);
    expect(again).toMatchObject({ events: [], changed: false, fired: risk.fired });

    const breach = sweepDecision(snapshot({ slaState: 'at_risk' }), at(101), again.fired);
    expect(breach.events.map((e) => e.kind)).toEqual(['breached']);
    expect(breach.events[0]).toMatchObject({ notify: ['owner', 'supervisor'] });
    expect(breach.nextCheckAt).toBeNull();
  });

  it('fires only the breach for an order found already breached, and supersedes its at-risk event', () => {
    const d = sweepDecision(snapshot(), at(300), {});
    expect(d.events.map((e) => e.kind)).toEqual(['breached']);
    expect(Object.keys(d.fired).sort()).toEqual(
      [getSlaMarkerKey({ milestone: 'reply', startedAt: T0 }, 'at_risk'), getSlaMarkerKey({ milestone: 'reply', startedAt: T0 }, 'breached')].sort(),
    );
    expect(sweepDecision(snapshot({ slaState: 'breached' }), at(400), d.fired).events).toEqual([]);
  });

  it('includes the policy escalation steps, each once', () => {
    const first = sweepDecision(snapshot(), at(101), {}, DEFAULT_ESCALATION_POLICY);
    expect(first.events.map((e) => (e.kind === 'escalation' ? `esc:${e.step.ruleId}` : e.kind))).toEqual(['breached', 'esc:breach']);
    expect(first.escalation.escalationLevel).toBe('team_lead');
    expect(first.nextCheckAt).toEqual(at(100 + 240));
    const later = snapshot({ slaState: 'breached', escalationLevel: 'team_lead' });
    const second = sweepDecision(later, at(400), first.fired, DEFAULT_ESCALATION_POLICY);
    expect(second.events.map((e) => (e.kind === 'escalation' ? `esc:${e.step.ruleId}` : e.kind))).toEqual(['esc:overdue-4h']);
    expect(second.escalation).toMatchObject({ priority: 'high', escalationLevel: 'team_lead' });
    expect(second.nextCheckAt).toBeNull();
    expect(sweepDecision(later, at(900), second.fired, DEFAULT_ESCALATION_POLICY).events).toEqual([]);
  });

  it('fires anew for a new cycle of the same milestone (reopened order)', () => {
    const first = sweepDecision(snapshot(), at(300), {});
    const reopened = snapshot({ slaState: 'breached', clocks: [{ milestone: 'reply', startedAt: at(500), dueAt: at(600) }] });
    expect(sweepDecision(reopened, at(700), first.fired).events.map((e) => e.kind)).toEqual(['breached']);
  });

  it('judges several clocks and reports the worst state', () => {
    const clocks = [
      { milestone: 'reply' as const, startedAt: T0, dueAt: at(1000) },
      { milestone: 'contact' as const, startedAt: T0, dueAt: at(100) },
    ];
    const d = sweepDecision(snapshot({ clocks }), at(90), {});
    expect(d.slaState).toBe('at_risk');
    expect(d.events.map((e) => (e.kind === 'escalation' ? e.kind : `${e.kind}:${e.milestone}`))).toEqual(['at_risk:contact']);
    expect(d.nextCheckAt?.getTime()).toBe(at(100).getTime() + 1);
  });

  it('freezes while paused and sets no next check', () => {
    const d = sweepDecision(snapshot({ pausedSince: at(50) }), at(5000), {});
    expect(d).toMatchObject({ slaState: 'ok', events: [], nextCheckAt: null });
  });

  it('has nothing to do without running clocks', () => {
    expect(sweepDecision(snapshot({ clocks: [], slaState: 'breached' }), at(1), {})).toMatchObject({ slaState: 'ok', events: [], nextCheckAt: null, changed: true });
  });

  it('measures the at-risk point in business minutes when given a calendar', () => {
    // 09:00–17:00 on weekdays; the clock starts Monday 09:00 and is due Tuesday 17:00 (16 business hours).
    const nine2five = { start: '09:00', end: '17:00' };
    const calendar: BusinessCalendar = {
      timeZone: 'Asia/Shanghai',
      alwaysOpen: false,
      weekly: { 0: [], 1: [nine2five], 2: [nine2five], 3: [nine2five], 4: [nine2five], 5: [nine2five], 6: [] },
      holidays: [],
      workdays: [],
    };
    const clocks = [{ milestone: 'reply' as const, startedAt: T0, dueAt: new Date('2026-11-24T09:00:00Z') }];
    const d = sweepDecision(snapshot({ clocks, calendar }), at(60), {});
    // 80 % of 960 business minutes = 768 = Monday's 480 + 288 on Tuesday → Tuesday 13:48 local.
    expect(d.nextCheckAt?.getTime()).toBe(Date.parse('2026-11-24T05:48:00Z') + 1);
    expect(sweepDecision(snapshot({ clocks, calendar }), d.nextCheckAt as Date, {}).events.map((e) => e.kind)).toEqual(['at_risk']);
  });
});

describe('sweepDecision (properties)', () => {
  const arbClock = fc.record({
    milestone: fc.constantFrom('contact' as const, 'dispatch' as const, 'handle' as const, 'reply' as const),
    start: fc.integer({ min: 0, max: 500 }),
    window: fc.integer({ min: 0, max: 600 }),
  });
  const arbPolicy: fc.Arbitrary<EscalationPolicy> = fc
    .array(fc.integer({ min: 0, max: 300 }), { maxLength: 3 })
    .map((mins) => ({ rules: mins.map((m, i) => ({ id: `r${i}`, overdueMinutes: m, actions: [{ type: 'raise_priority' as const }, { type: 'raise_escalation_level' as const }] })) }));
  const arbCase = fc.record({
    // An order runs at most one clock per milestone (the event keys are per milestone).
    clocks: fc.uniqueArray(arbClock, { minLength: 1, maxLength: 3, selector: (k) => k.milestone }),
    policy: arbPolicy,
    times: fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 12 }),
  });

  type ClockCase = { clocks: { milestone: 'contact' | 'dispatch' | 'handle' | 'reply'; start: number; window: number }[] };
  const toSnapshot = (c: ClockCase) =>
    snapshot({ clocks: c.clocks.map((k) => ({ milestone: k.milestone, startedAt: at(k.start), dueAt: at(k.start + k.window) })) });

  it('fires each event at most once over any sequence of sweeps, and ends with the markers of one late sweep', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const times = [...c.times].sort((a, b) => a - b);
        let fired: SlaFiredMarkers = {};
        let t = toSnapshot(c);
        const seen = new Set<string>();
        for (const m of times) {
          const d = sweepDecision(t, at(m), fired, c.policy);
          for (const e of d.events) {
            expect(seen.has(e.key)).toBe(false);
            expect(Object.hasOwn(fired, e.key)).toBe(false);
            seen.add(e.key);
          }
          // A second worker (or a restart) deciding again from the stored markers fires nothing.
          expect(sweepDecision({ ...t, slaState: d.slaState }, at(m), d.fired, c.policy).events).toEqual([]);
          fired = d.fired;
          t = { ...t, slaState: d.slaState, priority: d.escalation.priority, escalationLevel: d.escalation.escalationLevel };
        }
        const once = sweepDecision(toSnapshot(c), at(times[times.length - 1]), {}, c.policy);
        expect(Object.keys(fired).sort()).toEqual(Object.keys(once.fired).sort());
      }),
    );
  });

  it('schedules the next check no earlier than the next event, and something fires there', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const now = at(c.times[0]);
        const d = sweepDecision(toSnapshot(c), now, {}, c.policy);
        if (d.nextCheckAt === null) return;
        expect(d.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
        const justBefore = new Date(Math.max(now.getTime(), d.nextCheckAt.getTime() - 1001));
        const before = sweepDecision(toSnapshot(c), justBefore, d.fired, c.policy);
        expect(before.events).toEqual([]);
        const there = sweepDecision(toSnapshot(c), d.nextCheckAt, d.fired, c.policy);
        expect(there.events.length).toBeGreaterThan(0);
      }),
    );
  });
});
