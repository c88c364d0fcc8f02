import {
  formatDayNumber,
  getInstantOfWallTime,
  getLocalDayNumber,
  getOffsetMs,
  MINUTE_MS,
  parseDayNumber,
  weekdayOfDayNumber,
} from './time-zone.ts';

/** 0 = Sunday … 6 = Saturday, in the calendar's local time. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Local wall-clock hours 'HH:mm'–'HH:mm' within one day; `end` may be '24:00'. */
export type WorkingHours = { start: string; end: string };

/**
 * Working time of a center or department (calendars table). Overnight shifts are written as two
 * ranges: '22:00'–'24:00' on one weekday and '00:00'–'06:00' on the next.
 */
export type BusinessCalendar = {
  /** IANA zone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  /** 24x7: every instant is working time; weekly, holidays and workdays are ignored. */
  alwaysOpen: boolean;
  weekly: Readonly<Record<Weekday, readonly WorkingHours[]>>;
  /** Local dates 'YYYY-MM-DD' without work (法定节假日). Wins over `workdays` if both list a date. */
  holidays: readonly string[];
  /**
   * Swapped working days (调休上班), 'YYYY-MM-DD'. The State Council notices turn a weekend day
   * into an ordinary working day, so such a date is worked with the hours of `workdayTemplate`
   * (default Monday), whatever its own weekday's hours are.
   */
  workdays: readonly string[];
  /** Weekday whose hours a swapped working day uses; default 1 (Monday). */
  workdayTemplate?: Weekday;
};

const NO_HOURS: BusinessCalendar['weekly'] = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };

/** Always open (24x7), e.g. fault repair. The zone still defines what a "day" is. */
export const CALENDAR_24X7: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: true,
  weekly: NO_HOURS,
  holidays: [],
  workdays: [],
};

// Don't search further than this for working time (a calendar without any hours).
const MAX_SEARCH_DAYS = 366 * 30;

type Compiled = {
  timeZone: string;
  alwaysOpen: boolean;
  weekly: [number, number][][]; // per weekday, sorted merged [startMinute, endMinute)
  holidays: Set<number>; // day numbers
  workdays: Set<number>;
  template: Weekday;
};

function parseMinute(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return Number.NaN;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return Number.NaN;
  return h * 60 + min;
}

/** Problems that make a calendar unusable; empty when it is valid. */
export function validateCalendar(cal: BusinessCalendar): string[] {
  const problems: string[] = [];
  try {
    getOffsetMs(0, cal.timeZone);
  } catch {
    problems.push(`unknown time zone ${cal.timeZone}`);
  }
  for (let d = 0; d < 7; d++) {
    for (const h of cal.weekly[d as Weekday] ?? []) {
      const [s, e] = [parseMinute(h.start), parseMinute(h.end)];
      if (Number.isNaN(s) || Number.isNaN(e) || s >= e) problems.push(`weekday ${d}: bad hours ${h.start}-${h.end}`);
    }
  }
  for (const date of [...cal.holidays, ...cal.workdays]) {
    if (Number.isNaN(parseDayNumber(date))) problems.push(`bad date ${date}`);
  }
  const hasHours = Object.values(cal.weekly).some((hours) => hours.length > 0);
  if (!cal.alwaysOpen && !hasHours) problems.push('no working hours');
  return problems;
}

// Calendars are treated as immutable values: the compiled form is memoized per object.
const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  let c = compiledCache.get(cal);
  if (c === undefined) {
    c = compileUncached(cal);
    compiledCache.set(cal, c);
  }
  return c;
}

function compileUncached(cal: BusinessCalendar): Compiled {
  const problems = validateCalendar(cal);
  if (problems.length > 0) throw new RangeError(`Invalid business calendar: ${problems.join('; ')}`);
  const weekly: [number, number][][] = [];
  for (let d = 0; d < 7; d++) {
    const ranges = (cal.weekly[d as Weekday] ?? [])
      .map((h): [number, number] => [parseMinute(h.start), parseMinute(h.end)])
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    weekly.push(merged);
  }
  return {
    timeZone: cal.timeZone,
    alwaysOpen: cal.alwaysOpen,
    weekly,
    holidays: new Set(cal.holidays.map(parseDayNumber)),
    workdays: new Set(cal.workdays.map(parseDayNumber)),
    template: cal.workdayTemplate ?? 1,
  };
}

function hoursOn(c: Compiled, day: number): [number, number][] {
  if (c.alwaysOpen) return [[0, 1440]];
  if (c.holidays.has(day)) return [];
  if (c.workdays.has(day)) return c.weekly[c.template];
  return c.weekly[weekdayOfDayNumber(day)];
}

// Working intervals of one local day as UTC ms [start, end), in order.
function intervalsOn(c: Compiled, day: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of hoursOn(c, day)) {
    const start = getInstantOfWallTime(day, s, c.timeZone);
    const end = getInstantOfWallTime(day, e, c.timeZone);
    if (end > start) out.push([start, end]); // a range wholly inside a DST gap is empty
  }
  return out;
}

/** The working intervals of a local date 'YYYY-MM-DD', as instants. */
export function listWorkingIntervals(cal: BusinessCalendar, date: string): { start: Date; end: Date }[] {
  const day = parseDayNumber(date);
  if (Number.isNaN(day)) throw new RangeError(`Invalid date ${date}`);
  return intervalsOn(compile(cal), day).map(([s, e]) => ({ start: new Date(s), end: new Date(e) }));
}

/** True when the local date 'YYYY-MM-DD' has any working hours. */
export function isWorkingDay(cal: BusinessCalendar, date: string): boolean {
  return listWorkingIntervals(cal, date).length > 0;
}

/** True when `at` falls inside working hours (start inclusive, end exclusive). */
export function isWorkingTime(cal: BusinessCalendar, at: Date): boolean {
  if (cal.alwaysOpen) return true;
  const c = compile(cal);
  const t = at.getTime();
  return intervalsOn(c, getLocalDayNumber(t, c.timeZone)).some(([s, e]) => s <= t && t < e);
}

/**
 * The instant `minutes` business minutes after `from`. Time before opening, at lunch, at night,
 * on weekends and holidays does not count; a deadline that uses up an interval exactly lands on
 * its end (12:00, not 13:30). Walks interval by interval, never minute by minute.
 */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be ≥ 0, got ${minutes}`);
  const fromMs = from.getTime();
  if (minutes === 0) return new Date(fromMs);
  if (cal.alwaysOpen) return new Date(fromMs + minutes * MINUTE_MS);
  const c = compile(cal);
  let remaining = minutes * MINUTE_MS;
  const first = getLocalDayNumber(fromMs, c.timeZone);
  for (let day = first; day < first + MAX_SEARCH_DAYS; day++) {
    for (const [s, e] of intervalsOn(c, day)) {
      const start = Math.max(s, fromMs);
      if (start >= e) continue;
      if (remaining <= e - start) return new Date(start + remaining);
      remaining -= e - start;
    }
  }
  throw new RangeError('No working time found within the search horizon');
}

/**
 * Business minutes between two instants; negative when `b` is before `a`, 0 when equal.
 * Fractional when the instants are not on whole minutes.
 */
export function businessMinutesBetween(cal: BusinessCalendar, a: Date, b: Date): number {
  const [aMs, bMs] = [a.getTime(), b.getTime()];
  if (bMs < aMs) {
    const reversed = businessMinutesBetween(cal, b, a);
    return reversed === 0 ? 0 : -reversed; // never -0
  }
  if (cal.alwaysOpen) return (bMs - aMs) / MINUTE_MS;
  const c = compile(cal);
  const last = getLocalDayNumber(bMs, c.timeZone);
  let total = 0;
  for (let day = getLocalDayNumber(aMs, c.timeZone); day <= last; day++) {
    for (const [s, e] of intervalsOn(c, day)) {
      const overlap = Math.min(e, bMs) - Math.max(s, aMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE_MS;
}

/**
 * End of working hours of the `days`-th working day after the local date of `from` — what
 * "within 4 working days" (4个工作日内) means: the day of receipt is not counted (as in the Civil
 * Code's period rule), so an order received on Monday is due at Friday's closing time. With
 * `days = 0`, the end of the current working day (or the next one if today's hours are over).
 * For a 24x7 calendar a working day ends at the next local midnight.
 */
export function addWorkingDays(cal: BusinessCalendar, from: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be an integer ≥ 0, got ${days}`);
  const c = compile(cal);
  const fromMs = from.getTime();
  const first = getLocalDayNumber(fromMs, c.timeZone);
  let counted = 0;
  for (let day = first; day < first + MAX_SEARCH_DAYS; day++) {
    const intervals = intervalsOn(c, day);
    if (intervals.length === 0) continue;
    const end = intervals[intervals.length - 1][1];
    if (days === 0) {
      if (end > fromMs) return new Date(end);
    } else if (day > first && ++counted === days) {
      return new Date(end);
    }
  }
  throw new RangeError('No working day found within the search horizon');
}

/** Local date 'YYYY-MM-DD' of an instant in the calendar's zone. */
export function getLocalDate(cal: BusinessCalendar, at: Date): string {
  return formatDayNumber(getLocalDayNumber(at.getTime(), cal.timeZone));
}
