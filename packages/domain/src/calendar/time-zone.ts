// IANA time-zone arithmetic with nothing but Intl.DateTimeFormat (no tz library, no clock reads).
// Local dates are handled as "day numbers": days since 1970-01-01 of the proleptic Gregorian
// calendar, so stepping a day is `+ 1` and the weekday is a modulo.

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Local wall-clock reading of an instant in a time zone. */
export type WallClock = {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number; // 0..23
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Wall clock as if it were UTC, in ms (seconds precision, like the zone data itself).
function wallClockMs(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of getFormatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
}

/** UTC offset in ms in force at instant `ms` (positive east of Greenwich). */
export function getOffsetMs(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / 1000) * 1000;
  return wallClockMs(floored, timeZone) - floored;
}

/** UTC offset in minutes at an instant, e.g. 480 for Asia/Shanghai. */
export function getUtcOffsetMinutes(at: Date, timeZone: string): number {
  return getOffsetMs(at.getTime(), timeZone) / MINUTE_MS;
}

export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The local date (as a day number) on which instant `ms` falls. */
export function getLocalDayNumber(ms: number, timeZone: string): number {
  return Math.floor(wallClockMs(ms, timeZone) / DAY_MS);
}

export function getWallClock(at: Date, timeZone: string): WallClock {
  const wall = new Date(wallClockMs(at.getTime(), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
  };
}

/** 'YYYY-MM-DD' of a day number. */
export function formatDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a 'YYYY-MM-DD' string; NaN when it is not a real date. */
export function parseDayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return Number.NaN;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  return formatDayNumber(day) === date ? day : Number.NaN;
}

/**
 * The first instant at which the local wall clock of `timeZone` reads `minuteOfDay` (0..1440) of
 * local day `day`, or a later time. So a wall time repeated by a DST overlap takes its first
 * occurrence, and a wall time skipped by a DST gap (02:30 on a spring-forward night) maps to the
 * moment the clock jumps (03:00): a shift "opening at 02:30" is open from then on.
 */
export function getInstantOfWallTime(day: number, minuteOfDay: number, timeZone: string): number {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  const steady = getSteadyOffset(day, timeZone);
  if (steady !== null) return wall - steady;
  // Real zones never change offset twice within two days, so the offsets one day either side
  // are the only candidates.
  const before = getOffsetMs(wall - DAY_MS, timeZone);
  const after = getOffsetMs(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  const valid = [wall - before, wall - after].filter((t, i) => getOffsetMs(t, timeZone) === (i === 0 ? before : after));
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: binary-search the transition (zone data changes on whole seconds).
  let lo = (wall - after) / 1000; // still the old offset
  let hi = (wall - before) / 1000; // already the new offset
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (getOffsetMs(mid * 1000, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

// Offset of a local day and the days either side when it does not change there, else null.
// Memoized: calendars convert the same few days over and over, and Intl calls dominate the cost.
const steadyOffsets = new Map<string, number | null>();

function getSteadyOffset(day: number, timeZone: string): number | null {
  const key = `${timeZone}|${day}`;
  let steady = steadyOffsets.get(key);
  if (steady === undefined) {
    const before = getOffsetMs((day - 1) * DAY_MS, timeZone);
    steady = before === getOffsetMs((day + 2) * DAY_MS, timeZone) ? before : null;
    if (steadyOffsets.size >= 50_000) steadyOffsets.clear(); // bound memory in long-lived servers
    steadyOffsets.set(key, steady);
  }
  return steady;
}
