import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  addWorkingDays,
  type BusinessCalendar,
  businessMinutesBetween,
  CALENDAR_24X7,
  getLocalDate,
  isWorkingDay,
  isWorkingTime,
  listWorkingIntervals,
  validateCalendar,
  type WorkingHours,
} from './business-calendar.ts';
import { CN_2026_HOLIDAYS, CN_2026_WORKDAYS } from './cn-public-holidays.ts';
import { getWallClock } from './time-zone.ts';

// A Chinese office: 08:30–12:00 and 13:30–17:30 Monday to Friday (450 minutes a day).
const OFFICE: WorkingHours[] = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '17:30' },
];
const SH_OFFICE: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { 0: [], 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [] },
  holidays: CN_2026_HOLIDAYS,
  workdays: CN_2026_WORKDAYS,
};
const NINE_TO_FIVE: WorkingHours[] = [{ start: '09:00', end: '17:00' }];
const NY_OFFICE: BusinessCalendar = {
  timeZone: 'America/New_York',
  alwaysOpen: false,
  weekly: { 0: [], 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE, 4: NINE_TO_FIVE, 5: NINE_TO_FIVE, 6: [] },
  holidays: [],
  workdays: [],
};
const ALL_DAY: WorkingHours[] = [{ start: '00:00', end: '24:00' }];
const NY_ALL_DAY: BusinessCalendar = {
  ...NY_OFFICE,
  weekly: { 0: ALL_DAY, 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY },
};

const cst = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const nyt = (local: string, offset: '-05:00' | '-04:00') => new Date(`${local.replace(' ', 'T')}:00${offset}`);

describe('isWorkingTime', () => {
  it('follows the weekly hours, start inclusive and end exclusive', () => {
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-02 08:29'))).toBe(false);
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-02 08:30'))).toBe(true);
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-02 12:00'))).toBe(false); // lunch
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-02 17:29'))).toBe(true);
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-02 17:30'))).toBe(false);
    expect(isWorkingTime(SH_OFFICE, cst('2026-03-07 10:00'))).toBe(false); // Saturday
  });

  it('is closed on holidays and open on swapped working days with Monday hours', () => {
    expect(isWorkingTime(SH_OFFICE, cst('2026-10-08 10:00'))).toBe(true);
    expect(isWorkingTime(SH_OFFICE, cst('2026-10-07 10:00'))).toBe(false); // 国庆节 Wednesday
    expect(isWorkingTime(SH_OFFICE, cst('2026-10-10 10:00'))).toBe(true); // 调休 Saturday
    expect(isWorkingTime(SH_OFFICE, cst('2026-10-10 12:30'))).toBe(false); // lunch applies too
    expect(isWorkingTime(SH_OFFICE, cst('2026-01-04 09:00'))).toBe(true); // 调休 Sunday
  });

  it('uses the local time of the calendar zone, not UTC', () => {
    // 2026-03-02T01:00Z is 09:00 in Shanghai but 20:00 the evening before in New York
    const t = new Date('2026-03-02T01:00:00Z');
    expect(isWorkingTime(SH_OFFICE, t)).toBe(true);
    expect(isWorkingTime(NY_OFFICE, t)).toBe(false);
  });

  it('is always true for 24x7', () => {
    expect(isWorkingTime(CALENDAR_24X7, cst('2026-02-17 03:00'))).toBe(true);
  });
});

describe('swapped working days', () => {
  it('use the template weekday hours, not the weekday of the date', () => {
    const saturdayMornings: BusinessCalendar = { ...SH_OFFICE, weekly: { ...SH_OFFICE.weekly, 6: [{ start: '09:00', end: '12:00' }] } };
    const hours = listWorkingIntervals(saturdayMornings, '2026-02-14');
    expect(hours.map((h) => [getLocalDate(SH_OFFICE, h.start), h.start.toISOString(), h.end.toISOString()])).toEqual([
      ['2026-02-14', '2026-02-14T00:30:00.000Z', '2026-02-14T04:00:00.000Z'],
      ['2026-02-14', '2026-02-14T05:30:00.000Z', '2026-02-14T09:30:00.000Z'],
    ]);
  });

  it('can take the hours of a configured template weekday', () => {
    const shortFriday: BusinessCalendar = { ...SH_OFFICE, weekly: { ...SH_OFFICE.weekly, 5: [{ start: '09:00', end: '15:00' }] }, workdayTemplate: 5 };
    expect(businessMinutesBetween(shortFriday, cst('2026-02-28 00:00'), cst('2026-03-01 00:00'))).toBe(360);
  });

  it('lose to a holiday listing the same date', () => {
    const clash: BusinessCalendar = { ...SH_OFFICE, holidays: ['2026-02-14'] };
    expect(isWorkingDay(clash, '2026-02-14')).toBe(false);
    expect(isWorkingDay(SH_OFFICE, '2026-02-14')).toBe(true);
  });
});

describe('addBusinessMinutes', () => {
  const add = (from: string, minutes: number) => addBusinessMinutes(SH_OFFICE, cst(from), minutes);

  it('counts from opening when started before opening', () => {
    expect(add('2026-03-02 07:00', 30)).toEqual(cst('2026-03-02 09:00'));
  });

  it('skips the lunch break', () => {
    expect(add('2026-03-02 12:30', 30)).toEqual(cst('2026-03-02 14:00'));
    expect(add('2026-03-02 11:30', 60)).toEqual(cst('2026-03-02 14:00'));
  });

  it('lands on the closing edge when an interval is used up exactly', () => {
    expect(add('2026-03-02 11:00', 60)).toEqual(cst('2026-03-02 12:00'));
    expect(add('2026-03-02 08:30', 450)).toEqual(cst('2026-03-02 17:30'));
  });

  it('carries over night to the next morning', () => {
    expect(add('2026-03-02 18:00', 60)).toEqual(cst('2026-03-03 09:30'));
    expect(add('2026-03-02 17:00', 60)).toEqual(cst('2026-03-03 09:00'));
  });

  it('skips the weekend', () => {
    expect(add('2026-03-06 17:00', 60)).toEqual(cst('2026-03-09 09:00'));
    expect(add('2026-03-07 10:00', 180)).toEqual(cst('2026-03-09 11:30'));
  });

  it('skips holidays (清明 Apr 4–6) and works swapped days (Feb 14)', () => {
    expect(add('2026-04-03 17:00', 60)).toEqual(cst('2026-04-07 09:00'));
    expect(add('2026-02-13 17:00', 60)).toEqual(cst('2026-02-14 09:00'));
    expect(add('2026-02-14 17:00', 60)).toEqual(cst('2026-02-24 09:00')); // 春节 15–23
  });

  it('spans several days in one go (3 working days = 1350 minutes)', () => {
    expect(add('2026-03-04 10:00', 1350)).toEqual(cst('2026-03-09 10:00'));
  });

  it('returns the same instant for zero minutes', () => {
    expect(add('2026-03-07 10:00', 0)).toEqual(cst('2026-03-07 10:00'));
  });

  it('is plain arithmetic on 24x7', () => {
    expect(addBusinessMinutes(CALENDAR_24X7, cst('2026-02-17 23:00'), 180)).toEqual(cst('2026-02-18 02:00'));
  });

  it('refuses negative or non-finite minutes', () => {
    expect(() => add('2026-03-02 09:00', -1)).toThrow(RangeError);
    expect(() => add('2026-03-02 09:00', Number.NaN)).toThrow(RangeError);
  });

  it('crosses the New York spring-forward weekend', () => {
    // Friday 16:00 EST + 2 h: one hour on Friday, one on Monday (now EDT)
    expect(addBusinessMinutes(NY_OFFICE, nyt('2026-03-06 16:00', '-05:00'), 120)).toEqual(nyt('2026-03-09 10:00', '-04:00'));
    expect(addBusinessMinutes(NY_OFFICE, nyt('2026-10-30 16:00', '-04:00'), 120)).toEqual(nyt('2026-11-02 10:00', '-05:00'));
  });

  it('counts real elapsed time through a DST night on a 24-hour schedule', () => {
    // Sat 23:00 EST + 3 h of working time = Sun 03:00 EDT (02:00–03:00 does not exist)
    expect(addBusinessMinutes(NY_ALL_DAY, nyt('2026-03-07 23:00', '-05:00'), 180)).toEqual(nyt('2026-03-08 03:00', '-04:00'));
  });

  it('stays fast for long spans (walks by interval, not by minute)', () => {
    const started = performance.now();
    const due = addBusinessMinutes(SH_OFFICE, cst('2026-01-05 09:00'), 450 * 240);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(isWorkingTime(SH_OFFICE, new Date(due.getTime() - 1))).toBe(true);
  });
});

describe('businessMinutesBetween', () => {
  const between = (a: string, b: string) => businessMinutesBetween(SH_OFFICE, cst(a), cst(b));

  it('counts only working hours within a day', () => {
    expect(between('2026-03-02 08:00', '2026-03-02 18:00')).toBe(450);
    expect(between('2026-03-02 11:00', '2026-03-02 14:00')).toBe(90);
  });

  it('spans nights, weekends and holidays', () => {
    expect(between('2026-03-06 17:00', '2026-03-09 09:00')).toBe(60);
    expect(between('2026-03-02 00:00', '2026-03-09 00:00')).toBe(5 * 450);
    expect(between('2026-09-30 00:00', '2026-10-12 00:00')).toBe(4 * 450); // Sep 30, Oct 8, 9, 10(调休); not Oct 1–7
  });

  it('is zero for equal instants and negative when reversed', () => {
    expect(between('2026-03-02 10:00', '2026-03-02 10:00')).toBe(0);
    expect(between('2026-03-09 09:00', '2026-03-06 17:00')).toBe(-60);
  });

  it('returns fractions of a minute', () => {
    expect(businessMinutesBetween(SH_OFFICE, cst('2026-03-02 09:00'), new Date(cst('2026-03-02 09:00').getTime() + 30_000))).toBe(0.5);
  });

  it('measures short and long DST days in New York', () => {
    expect(businessMinutesBetween(NY_ALL_DAY, nyt('2026-03-08 00:00', '-05:00'), nyt('2026-03-09 00:00', '-04:00'))).toBe(23 * 60);
    expect(businessMinutesBetween(NY_ALL_DAY, nyt('2026-11-01 00:00', '-04:00'), nyt('2026-11-02 00:00', '-05:00'))).toBe(25 * 60);
  });

  it('handles ranges whose edges fall into the DST gap or overlap', () => {
    const night: BusinessCalendar = { ...NY_OFFICE, weekly: { ...NY_OFFICE.weekly, 0: [{ start: '01:00', end: '04:00' }] } };
    const sunday = (date: string) => businessMinutesBetween(night, new Date(`${date}T00:00:00Z`), new Date(`${date}T23:59:00Z`));
    expect(sunday('2026-03-08')).toBe(120); // 02:00–03:00 skipped
    expect(sunday('2026-11-01')).toBe(240); // 01:00–02:00 lived twice
    const gapStart: BusinessCalendar = { ...NY_OFFICE, weekly: { ...NY_OFFICE.weekly, 0: [{ start: '02:30', end: '05:00' }] } };
    const [range] = listWorkingIntervals(gapStart, '2026-03-08');
    expect(range.start.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // open from the jump to 03:00 EDT
    const lost: BusinessCalendar = { ...NY_OFFICE, weekly: { ...NY_OFFICE.weekly, 0: [{ start: '02:10', end: '02:50' }] } };
    expect(isWorkingDay(lost, '2026-03-08')).toBe(false);
    expect(isWorkingDay(lost, '2026-03-15')).toBe(true);
  });

  it('is plain arithmetic on 24x7', () => {
    expect(businessMinutesBetween(CALENDAR_24X7, cst('2026-02-16 00:00'), cst('2026-02-17 00:00'))).toBe(1440);
  });
});

describe('addWorkingDays', () => {
  const due = (from: string, days: number) => addWorkingDays(SH_OFFICE, cst(from), days);

  it('does not count the day of receipt: Monday + 4 working days = Friday closing', () => {
    expect(due('2026-03-02 10:00', 4)).toEqual(cst('2026-03-06 17:30'));
    expect(due('2026-03-02 07:00', 4)).toEqual(cst('2026-03-06 17:30'));
    expect(due('2026-03-02 20:00', 4)).toEqual(cst('2026-03-06 17:30'));
  });

  it('starts counting after a weekend receipt', () => {
    expect(due('2026-03-07 10:00', 4)).toEqual(cst('2026-03-12 17:30'));
  });

  it('skips holidays and counts swapped working days', () => {
    expect(due('2026-04-02 10:00', 4)).toEqual(cst('2026-04-09 17:30')); // 清明 Apr 4–6
    expect(due('2026-09-30 10:00', 4)).toEqual(cst('2026-10-12 17:30')); // Oct 8, 9, 10(调休), 12
    expect(due('2026-02-12 10:00', 9)).toEqual(cst('2026-03-03 17:30')); // 举报: 13, 14(调休), 24–28(调休), Mar 2, 3
  });

  it('with zero days gives the end of the current or next working day', () => {
    expect(due('2026-03-02 10:00', 0)).toEqual(cst('2026-03-02 17:30'));
    expect(due('2026-03-02 17:30', 0)).toEqual(cst('2026-03-03 17:30'));
    expect(due('2026-03-07 10:00', 0)).toEqual(cst('2026-03-09 17:30'));
  });

  it('ends a 24x7 working day at the next local midnight', () => {
    expect(addWorkingDays(CALENDAR_24X7, cst('2026-03-02 10:00'), 1)).toEqual(cst('2026-03-04 00:00'));
    expect(addWorkingDays(CALENDAR_24X7, cst('2026-03-02 10:00'), 0)).toEqual(cst('2026-03-03 00:00'));
  });

  it('follows local days across DST', () => {
    expect(addWorkingDays(NY_OFFICE, nyt('2026-03-06 10:00', '-05:00'), 1)).toEqual(nyt('2026-03-09 17:00', '-04:00'));
  });

  it('refuses fractional or negative days', () => {
    expect(() => due('2026-03-02 10:00', 1.5)).toThrow(RangeError);
    expect(() => due('2026-03-02 10:00', -1)).toThrow(RangeError);
  });
});

describe('validateCalendar', () => {
  it('accepts the sample calendars', () => {
    for (const cal of [SH_OFFICE, NY_OFFICE, NY_ALL_DAY, CALENDAR_24X7]) expect(validateCalendar(cal)).toEqual([]);
  });

  it('reports bad zones, hours and dates, and functions refuse such calendars', () => {
    const bad: BusinessCalendar = {
      ...SH_OFFICE,
      timeZone: 'Asia/Atlantis',
      weekly: { ...SH_OFFICE.weekly, 1: [{ start: '09:00', end: '08:00' }], 2: [{ start: '9:00', end: '24:30' }] },
      holidays: ['2026-02-30'],
    };
    expect(validateCalendar(bad)).toHaveLength(4);
    expect(() => isWorkingTime(bad, cst('2026-03-02 10:00'))).toThrow(RangeError);
  });

  it('refuses a calendar without any working hours instead of searching forever', () => {
    const closed: BusinessCalendar = { ...SH_OFFICE, weekly: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] } };
    expect(validateCalendar(closed)).toEqual(['no working hours']);
    expect(() => addBusinessMinutes(closed, cst('2026-03-02 10:00'), 1)).toThrow(RangeError);
  });

  it('gives up when only holidays remain', () => {
    const onlyWeekends: BusinessCalendar = { ...SH_OFFICE, weekly: { ...SH_OFFICE.weekly, 1: [], 2: [], 3: [], 4: [], 5: [] }, workdays: [] };
    expect(() => addWorkingDays(onlyWeekends, cst('2026-03-02 10:00'), 1)).toThrow(RangeError);
  });

  it('gives up after the search horizon when every working day is a holiday', () => {
    const sundays = Array.from({ length: 31 * 53 }, (_, i) => new Date(Date.UTC(2026, 0, 4 + 7 * i)).toISOString().slice(0, 10));
    const sundaysOff: BusinessCalendar = { ...SH_OFFICE, weekly: { ...SH_OFFICE.weekly, 1: [], 2: [], 3: [], 4: [], 5: [], 0: OFFICE }, holidays: sundays, workdays: [] };
    expect(() => addBusinessMinutes(sundaysOff, cst('2026-03-02 10:00'), 1)).toThrow(RangeError);
    expect(() => addWorkingDays(sundaysOff, cst('2026-03-02 10:00'), 0)).toThrow(RangeError);
  });

  it('refuses an invalid date when listing intervals', () => {
    expect(() => listWorkingIntervals(SH_OFFICE, '2026-02-30')).toThrow(RangeError);
  });

  it('merges overlapping ranges', () => {
    const overlapping: BusinessCalendar = {
      ...SH_OFFICE,
      weekly: { ...SH_OFFICE.weekly, 3: [{ start: '10:00', end: '12:00' }, { start: '08:00', end: '11:00' }] },
    };
    expect(listWorkingIntervals(overlapping, '2026-03-04')).toHaveLength(1);
    expect(businessMinutesBetween(overlapping, cst('2026-03-04 00:00'), cst('2026-03-05 00:00'))).toBe(240);
  });
});

// Independent oracle: inspect the wall clock of every minute.
function countMinutesByWallClock(cal: BusinessCalendar, a: number, b: number): number {
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  let n = 0;
  for (let t = a; t < b; t += 60_000) {
    const w = getWallClock(new Date(t), cal.timeZone);
    const date = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
    if (cal.holidays.includes(date)) continue;
    const weekday = cal.workdays.includes(date) ? (cal.workdayTemplate ?? 1) : (w.weekday as 0);
    const m = w.hour * 60 + w.minute;
    if (cal.weekly[weekday].some((h) => toMin(h.start) <= m && m < toMin(h.end))) n++;
  }
  return n;
}

describe('properties', () => {
  const cals = fc.constantFrom(SH_OFFICE, NY_OFFICE, NY_ALL_DAY, CALENDAR_24X7);
  // whole minutes through 2026, which holds both New York switches and all Chinese holidays
  const arbInstant = fc
    .integer({ min: Date.parse('2026-01-01T00:00:00Z') / 60_000, max: Date.parse('2026-12-31T00:00:00Z') / 60_000 })
    .map((m) => new Date(m * 60_000));

  it('businessMinutesBetween(from, addBusinessMinutes(from, m)) === m', () => {
    fc.assert(
      fc.property(cals, arbInstant, fc.integer({ min: 0, max: 20_000 }), (cal, from, m) => {
        expect(businessMinutesBetween(cal, from, addBusinessMinutes(cal, from, m))).toBe(m);
      }),
      { numRuns: 300 },
    );
  });

  it('addBusinessMinutes is monotonic in minutes and never earlier than from', () => {
    fc.assert(
      fc.property(cals, arbInstant, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (cal, from, m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        const a = addBusinessMinutes(cal, from, lo).getTime();
        expect(a).toBeGreaterThanOrEqual(from.getTime());
        expect(addBusinessMinutes(cal, from, hi).getTime()).toBeGreaterThanOrEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('a positive deadline lands right after working time', () => {
    fc.assert(
      fc.property(cals, arbInstant, fc.integer({ min: 1, max: 10_000 }), (cal, from, m) => {
        expect(isWorkingTime(cal, new Date(addBusinessMinutes(cal, from, m).getTime() - 1))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('businessMinutesBetween is additive and antisymmetric', () => {
    fc.assert(
      fc.property(cals, arbInstant, arbInstant, arbInstant, (cal, a, b, c) => {
        const ab = businessMinutesBetween(cal, a, b);
        expect(ab + businessMinutesBetween(cal, b, c)).toBeCloseTo(businessMinutesBetween(cal, a, c), 9);
        expect(businessMinutesBetween(cal, b, a)).toBe(ab === 0 ? 0 : -ab);
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with a minute-by-minute wall-clock count', () => {
    fc.assert(
      fc.property(fc.constantFrom(SH_OFFICE, NY_OFFICE, NY_ALL_DAY), arbInstant, fc.integer({ min: 0, max: 4 * 1440 }), (cal, a, span) => {
        const b = a.getTime() + span * 60_000;
        expect(businessMinutesBetween(cal, a, new Date(b))).toBe(countMinutesByWallClock(cal, a.getTime(), b));
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with the wall-clock count across both 2026 New York switches', () => {
    for (const start of ['2026-03-06T00:00:00Z', '2026-10-30T00:00:00Z']) {
      const a = Date.parse(start);
      const b = a + 4 * 86_400_000;
      const nights = [
        { start: '01:00', end: '04:00' }, // starts in the repeated hour, ends after the gap
        { start: '02:30', end: '05:00' }, // starts inside the gap
      ].map((h): BusinessCalendar => ({ ...NY_OFFICE, weekly: { ...NY_OFFICE.weekly, 0: [h] } }));
      for (const cal of [NY_OFFICE, NY_ALL_DAY, ...nights]) {
        expect(businessMinutesBetween(cal, new Date(a), new Date(b))).toBe(countMinutesByWallClock(cal, a, b));
      }
    }
  });

  it('addWorkingDays ends a working day, after from, monotonic in days', () => {
    fc.assert(
      fc.property(fc.constantFrom(SH_OFFICE, NY_OFFICE), arbInstant, fc.integer({ min: 0, max: 15 }), (cal, from, days) => {
        const end = addWorkingDays(cal, from, days);
        expect(end.getTime()).toBeGreaterThan(from.getTime());
        expect(isWorkingTime(cal, new Date(end.getTime() - 1))).toBe(true);
        expect(isWorkingTime(cal, end)).toBe(false);
        // equal only from a non-working day, where "today" and "the first working day" coincide
        expect(addWorkingDays(cal, from, days + 1).getTime()).toBeGreaterThanOrEqual(end.getTime());
        expect(addWorkingDays(cal, from, days + 2).getTime()).toBeGreaterThan(end.getTime());
      }),
      { numRuns: 150 },
    );
  });
});
