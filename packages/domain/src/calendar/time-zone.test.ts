import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  formatDayNumber,
  getInstantOfWallTime,
  getLocalDayNumber,
  getOffsetMs,
  getUtcOffsetMinutes,
  getWallClock,
  parseDayNumber,
  weekdayOfDayNumber,
} from './time-zone.ts';

const NY = 'America/New_York';
const SH = 'Asia/Shanghai';
const day = (date: string) => parseDayNumber(date);
const iso = (ms: number) => new Date(ms).toISOString();

describe('offsets', () => {
  it('Asia/Shanghai is UTC+8 all year (no DST)', () => {
    for (const d of ['2026-01-15T00:00:00Z', '2026-07-15T12:00:00Z', '1999-12-31T23:59:59Z']) {
      expect(getUtcOffsetMinutes(new Date(d), SH)).toBe(480);
    }
  });

  it('America/New_York switches at 2:00 local on 2026-03-08 and 2026-11-01', () => {
    expect(getUtcOffsetMinutes(new Date('2026-03-08T06:59:59Z'), NY)).toBe(-300);
    expect(getUtcOffsetMinutes(new Date('2026-03-08T07:00:00Z'), NY)).toBe(-240);
    expect(getUtcOffsetMinutes(new Date('2026-11-01T05:59:59Z'), NY)).toBe(-240);
    expect(getUtcOffsetMinutes(new Date('2026-11-01T06:00:00Z'), NY)).toBe(-300);
  });

  it('handles zones with half-hour offsets and fractional-second instants', () => {
    expect(getUtcOffsetMinutes(new Date('2026-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(getOffsetMs(Date.parse('2026-06-01T00:00:00.999Z'), SH)).toBe(8 * 3_600_000);
  });

  it('rejects unknown zones', () => {
    expect(() => getOffsetMs(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('wall clock and day numbers', () => {
  it('reads the local wall clock', () => {
    expect(getWallClock(new Date('2026-02-16T16:30:05Z'), SH)).toEqual({
      year: 2026,
      month: 2,
      day: 17,
      hour: 0,
      minute: 30,
      second: 5,
      weekday: 2,
    });
  });

  it('puts an instant on its local date', () => {
    expect(formatDayNumber(getLocalDayNumber(Date.parse('2026-03-01T16:00:00Z'), SH))).toBe('2026-03-02');
    expect(formatDayNumber(getLocalDayNumber(Date.parse('2026-03-02T03:00:00Z'), NY))).toBe('2026-03-01');
  });

  it('parses only real dates', () => {
    expect(parseDayNumber('1970-01-01')).toBe(0);
    expect(formatDayNumber(parseDayNumber('2028-02-29'))).toBe('2028-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '20260101', '']) expect(parseDayNumber(bad)).toBeNaN();
  });

  it('computes weekdays, including before 1970', () => {
    expect(weekdayOfDayNumber(day('2026-01-01'))).toBe(4);
    expect(weekdayOfDayNumber(day('2026-02-14'))).toBe(6);
    expect(weekdayOfDayNumber(day('1969-12-28'))).toBe(0);
  });
});

describe('getInstantOfWallTime', () => {
  it('converts plain local times', () => {
    expect(iso(getInstantOfWallTime(day('2026-03-02'), 8 * 60 + 30, SH))).toBe('2026-03-02T00:30:00.000Z');
    expect(iso(getInstantOfWallTime(day('2026-07-01'), 9 * 60, NY))).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(getInstantOfWallTime(day('2026-03-02'), 1440, SH))).toBe('2026-03-02T16:00:00.000Z');
  });

  it('maps a time skipped by the spring-forward gap to the jump (02:30 → 03:00 EDT)', () => {
    expect(iso(getInstantOfWallTime(day('2026-03-08'), 2 * 60 + 30, NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(getInstantOfWallTime(day('2026-03-08'), 2 * 60, NY))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(getInstantOfWallTime(day('2026-03-08'), 3 * 60, NY))).toBe('2026-03-08T07:00:00.000Z');
  });

  it('takes the first occurrence of a time repeated by the fall-back overlap', () => {
    expect(iso(getInstantOfWallTime(day('2026-11-01'), 90, NY))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(iso(getInstantOfWallTime(day('2026-11-01'), 120, NY))).toBe('2026-11-01T07:00:00.000Z'); // 02:00 EST
  });

  it('round-trips every instant except the second pass through an overlap', () => {
    const arbInstant = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z') / 60_000, max: Date.parse('2028-12-31T00:00:00Z') / 60_000 });
    fc.assert(
      fc.property(arbInstant, fc.constantFrom(SH, NY, 'Europe/London', 'Australia/Sydney'), (minutes, tz) => {
        const t = minutes * 60_000;
        const w = getWallClock(new Date(t), tz);
        const back = getInstantOfWallTime(getLocalDayNumber(t, tz), w.hour * 60 + w.minute, tz);
        if (back !== t) {
          // only legal when the same wall time occurred earlier, one offset change ago
          expect(back).toBeLessThan(t);
          expect(getOffsetMs(back, tz)).not.toBe(getOffsetMs(t, tz));
          expect(t - back).toBeLessThanOrEqual(DAY_MS / 24);
        }
      }),
      { numRuns: 300 },
    );
  });
});
