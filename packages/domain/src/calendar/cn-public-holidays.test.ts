import { describe, expect, it } from 'vitest';
import { CN_2026_HOLIDAYS, CN_2026_WORKDAYS } from './cn-public-holidays.ts';
import { parseDayNumber, weekdayOfDayNumber } from './time-zone.ts';

const weekday = (date: string) => weekdayOfDayNumber(parseDayNumber(date));

describe('CN 2026 holidays (国办发明电 2025-11-04)', () => {
  it('lists 33 distinct real dates in 2026', () => {
    expect(CN_2026_HOLIDAYS).toHaveLength(33);
    expect(new Set(CN_2026_HOLIDAYS).size).toBe(33);
    for (const d of CN_2026_HOLIDAYS) {
      expect(parseDayNumber(d)).not.toBeNaN();
      expect(d.startsWith('2026-')).toBe(true);
    }
  });

  it('matches the weekdays printed in the notice', () => {
    const printed: [string, number][] = [
      ['2026-01-01', 4],
      ['2026-01-03', 6],
      ['2026-02-15', 0],
      ['2026-02-23', 1],
      ['2026-04-04', 6],
      ['2026-04-06', 1],
      ['2026-05-01', 5],
      ['2026-05-05', 2],
      ['2026-06-19', 5],
      ['2026-06-21', 0],
      ['2026-09-25', 5],
      ['2026-09-27', 0],
      ['2026-10-01', 4],
      ['2026-10-07', 3],
    ];
    for (const [date, day] of printed) {
      expect(CN_2026_HOLIDAYS).toContain(date);
      expect(weekday(date)).toBe(day);
    }
  });

  it('has the Spring Festival break 2026-02-15..23 and National Day 10-01..07', () => {
    expect(CN_2026_HOLIDAYS.filter((d) => d.startsWith('2026-02-'))).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(CN_2026_HOLIDAYS.filter((d) => d.startsWith('2026-10-'))).toHaveLength(7);
  });

  it('swaps six weekend days into working days, none of them a holiday', () => {
    expect(CN_2026_WORKDAYS).toHaveLength(6);
    for (const d of CN_2026_WORKDAYS) {
      expect([0, 6]).toContain(weekday(d));
      expect(CN_2026_HOLIDAYS).not.toContain(d);
    }
  });
});
