import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, businessMinutesBetween, CALENDAR_24X7, type WorkingHours } from '../calendar/business-calendar.ts';
import { CN_2026_HOLIDAYS, CN_2026_WORKDAYS } from '../calendar/cn-public-holidays.ts';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket-status.ts';
import {
  computeDueAt,
  computeDueTimes,
  evaluateSla,
  nextMilestone,
  SLA_STATES,
  type SlaTargets,
  shiftForPause,
} from './sla.ts';

const OFFICE: WorkingHours[] = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '17:30' },
];
const CN_OFFICE: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { 0: [], 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [] },
  holidays: CN_2026_HOLIDAYS,
  workdays: CN_2026_WORKDAYS,
};
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

describe('computeDueAt', () => {
  it('counts minutes and hours on the calendar', () => {
    expect(computeDueAt({ amount: 90, unit: 'minutes' }, CN_OFFICE, cst('2026-03-02 11:30'))).toEqual(cst('2026-03-02 14:30'));
    expect(computeDueAt({ amount: 4, unit: 'hours' }, CN_OFFICE, cst('2026-03-06 16:00'))).toEqual(cst('2026-03-09 11:00'));
  });

  it('counts natural time around the clock, whatever the calendar', () => {
    expect(computeDueAt({ amount: 45, unit: 'minutes', clock: 'natural' }, CN_OFFICE, cst('2026-10-03 23:30'))).toEqual(
      cst('2026-10-04 00:15'),
    );
    expect(computeDueAt({ amount: 24, unit: 'hours', clock: 'natural' }, CN_OFFICE, cst('2026-09-30 10:00'))).toEqual(
      cst('2026-10-01 10:00'),
    );
  });

  it('ends working days at closing time, and natural days at local midnight', () => {
    expect(computeDueAt({ amount: 4, unit: 'working_days' }, CN_OFFICE, cst('2026-03-02 10:00'))).toEqual(cst('2026-03-06 17:30'));
    expect(computeDueAt({ amount: 2, unit: 'working_days', clock: 'natural' }, CN_OFFICE, cst('2026-10-01 10:00'))).toEqual(
      cst('2026-10-04 00:00'),
    );
  });

  it('refuses negative or non-finite amounts', () => {
    expect(() => computeDueAt({ amount: -1, unit: 'minutes' }, CN_OFFICE, cst('2026-03-02 10:00'))).toThrow(RangeError);
    expect(() => computeDueAt({ amount: Number.POSITIVE_INFINITY, unit: 'hours' }, CN_OFFICE, cst('2026-03-02 10:00'))).toThrow(
      RangeError,
    );
  });
});

describe('computeDueTimes', () => {
  const complaint: SlaTargets = {
    contact: { amount: 24, unit: 'hours', clock: 'natural' },
    dispatch: { amount: 60, unit: 'minutes' },
    reply: { amount: 4, unit: 'working_days' },
    followUp: { amount: 1, unit: 'working_days', after: 'reply' },
  };

  it('computes every target counted from the start, through the National Day break', () => {
    expect(computeDueTimes(complaint, CN_OFFICE, cst('2026-09-30 10:00'))).toEqual({
      contactDueAt: cst('2026-10-01 10:00'),
      dispatchDueAt: cst('2026-09-30 11:00'),
      replyDueAt: cst('2026-10-12 17:30'),
    });
  });

  it('computes a chained target once its milestone is reached', () => {
    const due = computeDueTimes(complaint, CN_OFFICE, cst('2026-09-30 10:00'), { reply: cst('2026-10-09 15:00') });
    expect(due.followUpDueAt).toEqual(cst('2026-10-10 17:30')); // Saturday 10-10 is a 调休 working day
  });

  it('returns nothing for no targets', () => {
    expect(computeDueTimes({}, CN_OFFICE, cst('2026-03-02 10:00'))).toEqual({});
  });

  it('names every milestone', () => {
    const all: SlaTargets = Object.fromEntries(
      (['accept', 'contact', 'dispatch', 'arrive', 'handle', 'reply', 'followUp'] as const).map((m) => [m, { amount: 1, unit: 'minutes' }]),
    );
    expect(Object.keys(computeDueTimes(all, CALENDAR_24X7, cst('2026-03-02 10:00'))).sort()).toEqual(
      ['acceptDueAt', 'arriveDueAt', 'contactDueAt', 'dispatchDueAt', 'followUpDueAt', 'handleDueAt', 'replyDueAt'].sort(),
    );
  });
});

describe('evaluateSla', () => {
  const startedAt = cst('2026-03-02 10:00');
  const dueAt = cst('2026-03-02 11:40'); // 100-minute window
  const at = (minutes: number) => new Date(startedAt.getTime() + minutes * 60_000);

  it('is ok before the at-risk share, at risk from it, breached after the deadline', () => {
    expect(evaluateSla({ dueAt, startedAt, now: at(79) })).toBe('ok');
    expect(evaluateSla({ dueAt, startedAt, now: at(80) })).toBe('at_risk');
    expect(evaluateSla({ dueAt, startedAt, now: at(100) })).toBe('at_risk');
    expect(evaluateSla({ dueAt, startedAt, now: new Date(dueAt.getTime() + 1) })).toBe('breached');
  });

  it('takes a custom ratio', () => {
    expect(evaluateSla({ dueAt, startedAt, now: at(50), atRiskRatio: 0.5 })).toBe('at_risk');
    expect(evaluateSla({ dueAt, startedAt, now: at(0), atRiskRatio: 0 })).toBe('at_risk');
    expect(() => evaluateSla({ dueAt, startedAt, now: at(0), atRiskRatio: 1.5 })).toThrow(RangeError);
    expect(() => evaluateSla({ dueAt, startedAt, now: at(0), atRiskRatio: Number.NaN })).toThrow(RangeError);
  });

  it('leaves past pauses out of both the window and the elapsed time', () => {
    // 100-minute window pushed by a 100-minute pause: due at 200, 60 active minutes used at 160
    const shifted = at(200);
    expect(evaluateSla({ dueAt: shifted, startedAt, now: at(160), pausedMinutes: 100 })).toBe('ok');
    expect(evaluateSla({ dueAt: shifted, startedAt, now: at(180), pausedMinutes: 100 })).toBe('at_risk');
  });

  it('freezes the clock while paused', () => {
    expect(evaluateSla({ dueAt, startedAt, now: at(500), pausedSince: at(30) })).toBe('ok');
    expect(evaluateSla({ dueAt, startedAt, now: at(500), pausedSince: at(90) })).toBe('at_risk');
  });

  it('judges a met milestone when it was met', () => {
    expect(evaluateSla({ dueAt, startedAt, now: at(500), completedAt: at(99) })).toBe('ok');
    expect(evaluateSla({ dueAt, startedAt, now: at(50), completedAt: at(101) })).toBe('breached');
  });

  it('measures in business minutes when given a calendar', () => {
    // 4-working-day reply window: Monday 10:00 → Friday 17:30 = 2160 business minutes; 80 % = 1728
    const reply = { startedAt, dueAt: cst('2026-03-06 17:30'), calendar: CN_OFFICE };
    expect(evaluateSla({ ...reply, now: cst('2026-03-05 17:30') })).toBe('ok'); // 1710 used
    expect(evaluateSla({ ...reply, now: cst('2026-03-06 08:30') })).toBe('ok'); // the night adds nothing
    expect(evaluateSla({ ...reply, now: cst('2026-03-06 09:00') })).toBe('at_risk'); // 1740 used
    // measured in elapsed time the same order would have been at risk since Thursday night
    expect(evaluateSla({ startedAt, dueAt: reply.dueAt, now: cst('2026-03-05 22:00') })).toBe('at_risk');
  });

  it('calls a zero-length window at risk until it passes', () => {
    expect(evaluateSla({ dueAt: startedAt, startedAt, now: startedAt })).toBe('at_risk');
    expect(evaluateSla({ dueAt: startedAt, startedAt, now: at(1) })).toBe('breached');
  });

  it('is ok before the clock started', () => {
    expect(evaluateSla({ dueAt, startedAt, now: at(-10) })).toBe('ok');
  });

  it('never improves as time passes (no pauses)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: -100, max: 800 }), fc.integer({ min: 0, max: 800 }), (window, t1, dt) => {
        const due = at(window);
        const rank = (now: Date) => SLA_STATES.indexOf(evaluateSla({ dueAt: due, startedAt, now }));
        expect(rank(at(t1 + dt))).toBeGreaterThanOrEqual(rank(at(t1)));
      }),
    );
  });
});

describe('shiftForPause', () => {
  it('gives back the business time the pause took', () => {
    // due 17:00, paused 16:00 (60 minutes left), resumed 10:00 the next day → due 11:00
    expect(shiftForPause(cst('2026-03-02 17:00'), CN_OFFICE, cst('2026-03-02 16:00'), cst('2026-03-03 10:00'))).toEqual(
      cst('2026-03-03 11:00'),
    );
  });

  it('ignores pause time outside working hours', () => {
    const due = cst('2026-03-03 10:00');
    expect(shiftForPause(due, CN_OFFICE, cst('2026-03-02 18:00'), cst('2026-03-03 08:00'))).toEqual(due);
  });

  it('does not cure a breach: pauses begun after the deadline change nothing', () => {
    const due = cst('2026-03-02 11:00');
    expect(shiftForPause(due, CN_OFFICE, cst('2026-03-02 11:00'), cst('2026-03-02 15:00'))).toEqual(due);
  });

  it('ignores a resume recorded before the pause', () => {
    const due = cst('2026-03-04 11:00');
    expect(shiftForPause(due, CN_OFFICE, cst('2026-03-02 11:00'), cst('2026-03-02 10:00'))).toEqual(due);
  });

  it('shifts by elapsed time on 24x7', () => {
    expect(shiftForPause(cst('2026-03-02 12:00'), CALENDAR_24X7, cst('2026-03-02 11:00'), cst('2026-03-02 11:45'))).toEqual(
      cst('2026-03-02 12:45'),
    );
  });

  it('keeps the business time left at the pause (property)', () => {
    const minute = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2026-12-01T00:00:00Z') / 60_000 });
    fc.assert(
      fc.property(fc.constantFrom(CN_OFFICE, CALENDAR_24X7), minute, fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), (cal, p, left, length) => {
        const pausedFrom = new Date(p * 60_000);
        const dueAt = new Date((p + left) * 60_000);
        const resumedAt = new Date((p + length) * 60_000);
        const shifted = shiftForPause(dueAt, cal, pausedFrom, resumedAt);
        expect(shifted.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
        expect(businessMinutesBetween(cal, resumedAt, shifted)).toBe(businessMinutesBetween(cal, pausedFrom, dueAt));
      }),
      { numRuns: 200 },
    );
  });
});

describe('nextMilestone', () => {
  const expected: Record<TicketStatus, string | null> = {
    accepted: 'dispatch',
    returned: 'dispatch',
    dispatched: 'handle',
    in_progress: 'handle',
    handled: 'reply',
    replied: 'followUp',
    followed_up: null,
    resolved: null,
    archived: null,
  };

  for (const status of TICKET_STATUSES) {
    it(`${status} → ${expected[status]}`, () => {
      expect(nextMilestone(status)).toBe(expected[status]);
    });
  }

  it('makes the arrival govern a repair until the crew is on site', () => {
    expect(nextMilestone('dispatched', { requiresArrival: true })).toBe('arrive');
    expect(nextMilestone('in_progress', { requiresArrival: true, arrived: false })).toBe('arrive');
    expect(nextMilestone('in_progress', { requiresArrival: true, arrived: true })).toBe('handle');
    expect(nextMilestone('handled', { requiresArrival: true })).toBe('reply');
  });
});
