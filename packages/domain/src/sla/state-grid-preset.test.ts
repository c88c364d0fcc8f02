import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar, WorkingHours } from '../calendar/business-calendar.ts';
import { CN_2026_HOLIDAYS, CN_2026_WORKDAYS } from '../calendar/cn-public-holidays.ts';
import { computeDueTimes, SLA_MILESTONES } from './sla.ts';
import {
  AREA_TYPES,
  getRepairArrivalMinutes,
  getRepairRestoreMinutes,
  getStateGridSlaTargets,
  SLA_PRIORITIES,
  STATE_GRID_SLA_PRESET,
  TICKET_CATEGORY_CODES,
} from './state-grid-preset.ts';

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

describe('repair commitments (十项承诺 art. 3)', () => {
  it('puts a crew on site within 45 / 90 / 120 minutes', () => {
    expect(AREA_TYPES.map(getRepairArrivalMinutes)).toEqual([45, 90, 120]);
  });

  it('restores supply within 3 h urban and 4 h rural (remote as rural)', () => {
    expect(AREA_TYPES.map(getRepairRestoreMinutes)).toEqual([180, 240, 240]);
  });

  it('counts repair limits around the clock, even on an office calendar and a holiday night', () => {
    const t = getStateGridSlaTargets('fault-repair', { area: 'urban' });
    expect(t.arrive).toEqual({ amount: 45, unit: 'minutes', clock: 'natural' });
    const due = computeDueTimes(t, CN_OFFICE, cst('2026-10-03 23:30'));
    expect(due.arriveDueAt).toEqual(cst('2026-10-04 00:15'));
    expect(due.handleDueAt).toEqual(cst('2026-10-04 02:30'));
    expect(due.replyDueAt).toBeUndefined(); // counted from the restoration
  });

  it('uses the area type, defaulting to urban', () => {
    expect(getStateGridSlaTargets('fault-repair', { area: 'remote' }).arrive?.amount).toBe(120);
    expect(getStateGridSlaTargets('fault-repair').arrive?.amount).toBe(45);
  });
});

describe('complaints and reports', () => {
  it('contacts a complainant within 24 h and replies within 4 working days', () => {
    const due = computeDueTimes(getStateGridSlaTargets('complaint'), CN_OFFICE, cst('2026-09-30 10:00'));
    expect(due.contactDueAt).toEqual(cst('2026-10-01 10:00'));
    expect(due.replyDueAt).toEqual(cst('2026-10-12 17:30'));
  });

  it('replies to a report (举报) within 9 working days', () => {
    expect(getStateGridSlaTargets('report').reply).toEqual({ amount: 9, unit: 'working_days' });
  });
});

describe('priorities', () => {
  it('never change limits fixed by a commitment', () => {
    for (const category of ['fault-repair', 'complaint', 'report'] as const) {
      for (const priority of SLA_PRIORITIES) {
        expect(getStateGridSlaTargets(category, { priority })).toEqual(getStateGridSlaTargets(category));
      }
    }
  });

  it('tighten the reply of other categories: urgent 4 business hours, high half the days', () => {
    expect(getStateGridSlaTargets('inquiry', { priority: 'urgent' }).reply).toEqual({ amount: 4, unit: 'hours' });
    expect(getStateGridSlaTargets('opinion', { priority: 'high' }).reply).toEqual({ amount: 4, unit: 'working_days' });
    expect(getStateGridSlaTargets('inquiry', { priority: 'high' }).reply).toEqual({ amount: 1, unit: 'working_days' });
    expect(getStateGridSlaTargets('opinion', { priority: 'low' })).toEqual(getStateGridSlaTargets('opinion'));
  });
});

describe('the preset table', () => {
  it('covers every category, agreeing with getStateGridSlaTargets', () => {
    expect(Object.keys(STATE_GRID_SLA_PRESET).sort()).toEqual([...TICKET_CATEGORY_CODES].sort());
    for (const code of TICKET_CATEGORY_CODES) {
      expect(STATE_GRID_SLA_PRESET[code]()).toEqual(getStateGridSlaTargets(code));
      expect(STATE_GRID_SLA_PRESET[code]({ area: 'rural', priority: 'high' })).toEqual(
        getStateGridSlaTargets(code, { area: 'rural', priority: 'high' }),
      );
    }
  });

  it('gives every category a dispatch and a reply target, and only well-formed targets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TICKET_CATEGORY_CODES),
        fc.constantFrom(...AREA_TYPES),
        fc.constantFrom(...SLA_PRIORITIES),
        (category, area, priority) => {
          const targets = getStateGridSlaTargets(category, { area, priority });
          expect(targets.dispatch).toBeDefined();
          expect(targets.reply).toBeDefined();
          for (const [milestone, target] of Object.entries(targets)) {
            expect(SLA_MILESTONES).toContain(milestone);
            expect(target.amount).toBeGreaterThan(0);
            if (target.unit === 'working_days') expect(Number.isInteger(target.amount)).toBe(true);
            // a chained target waits for a milestone that has its own target
            if (target.after !== undefined) expect(targets[target.after]).toBeDefined();
          }
          // every due time lies after the start
          const from = cst('2026-02-13 16:00');
          for (const due of Object.values(computeDueTimes(targets, CN_OFFICE, from))) {
            expect(due.getTime()).toBeGreaterThan(from.getTime());
          }
        },
      ),
    );
  });
});
