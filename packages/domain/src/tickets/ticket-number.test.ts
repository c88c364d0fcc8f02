import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findTicketNumbersInText,
  formatTicketNumber,
  formatTicketNumberForDate,
  getTicketNumberDate,
  isTicketNumber,
  MAX_TICKET_NUMBER_SEQUENCE,
  normalizeTicketNumber,
  parseTicketNumber,
} from './ticket-number.ts';

describe('formatTicketNumber', () => {
  it('writes GD + local date + 6-digit sequence', () => {
    expect(formatTicketNumber(new Date('2026-11-27T02:00:00Z'), 123)).toBe('GD20261127000123');
  });

  it('takes the date in Asia/Shanghai by default, so 00:30 local is already the next day', () => {
    // 2026-11-26T16:30Z is 2026-11-27 00:30 in Shanghai.
    expect(formatTicketNumber(new Date('2026-11-26T16:30:00Z'), 1)).toBe('GD20261127000001');
    expect(formatTicketNumber(new Date('2026-11-26T15:59:59Z'), 1)).toBe('GD20261126000001');
  });

  it('uses the given zone and prefix', () => {
    const at = new Date('2026-11-27T03:00:00Z'); // 22:00 on the 26th in New York
    expect(formatTicketNumber(at, 42, { timeZone: 'America/New_York' })).toBe('GD20261126000042');
    expect(formatTicketNumber(at, 7, { prefix: 'SJ' })).toBe('SJ20261127000007');
  });

  it('accepts the whole sequence range and refuses anything outside it', () => {
    expect(formatTicketNumberForDate('2026-01-01', MAX_TICKET_NUMBER_SEQUENCE)).toBe('GD20260101999999');
    for (const bad of [0, -1, 1.5, Number.NaN, MAX_TICKET_NUMBER_SEQUENCE + 1]) {
      expect(() => formatTicketNumberForDate('2026-01-01', bad)).toThrow(RangeError);
    }
  });

  it('refuses a bad prefix or date', () => {
    expect(() => formatTicketNumberForDate('2026-01-01', 1, 'gd')).toThrow(RangeError);
    expect(() => formatTicketNumberForDate('2026-01-01', 1, 'GDX')).toThrow(RangeError);
    expect(() => formatTicketNumberForDate('2026-02-30', 1)).toThrow(RangeError);
    expect(() => formatTicketNumber(new Date('2026-01-01'), 1, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('gives the counter key of the local day', () => {
    expect(getTicketNumberDate(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27');
    expect(getTicketNumberDate(new Date('2026-11-26T16:00:00Z'), 'UTC')).toBe('2026-11-26');
  });
});

describe('parseTicketNumber', () => {
  it('splits a well-formed number', () => {
    expect(parseTicketNumber('GD20261127000123')).toEqual({ prefix: 'GD', date: '2026-11-27', sequence: 123 });
    expect(parseTicketNumber('SJ20261127000001', 'SJ')).toEqual({ prefix: 'SJ', date: '2026-11-27', sequence: 1 });
  });

  it.each([
    ['', 'empty'],
    ['GD2026112700012', 'too short'],
    ['GD202611270001234', 'too long'],
    ['gd20261127000123', 'lower case'],
    ['GD20260230000001', 'no such date'],
    ['GD20261327000001', 'month 13'],
    ['GD20261127000000', 'sequence 0'],
    [' GD20261127000123', 'leading space'],
    ['GD2026-1127000123', 'punctuation'],
  ])('refuses %j (%s)', (value) => {
    expect(parseTicketNumber(value)).toBeNull();
    expect(isTicketNumber(value)).toBe(false);
  });

  it('refuses another prefix when one is expected', () => {
    expect(parseTicketNumber('SJ20261127000001', 'GD')).toBeNull();
    expect(isTicketNumber('SJ20261127000001')).toBe(true);
  });

  it('parses typed input once normalized', () => {
    expect(normalizeTicketNumber(' gd 2026 1127 000123 ')).toBe('GD20261127000123');
    expect(isTicketNumber(normalizeTicketNumber('gd20261127000123'))).toBe(true);
  });

  it('round-trips every date and sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: MAX_TICKET_NUMBER_SEQUENCE }),
        fc.constantFrom('Asia/Shanghai', 'UTC', 'Europe/Berlin', 'America/New_York'),
        (at, sequence, timeZone) => {
          const number = formatTicketNumber(at, sequence, { timeZone });
          expect(number).toHaveLength(16);
          expect(parseTicketNumber(number)).toEqual({ prefix: 'GD', date: getTicketNumberDate(at, timeZone), sequence });
        },
      ),
    );
  });

  it('sorts as text in the order of date, then sequence (property)', () => {
    const arbDate = fc.integer({ min: 0, max: 36_000 }).map((d) => new Date(Date.UTC(2000, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const arbSeq = fc.integer({ min: 1, max: MAX_TICKET_NUMBER_SEQUENCE });
    fc.assert(
      fc.property(arbDate, arbSeq, arbDate, arbSeq, (d1, s1, d2, s2) => {
        const [a, b] = [formatTicketNumberForDate(d1, s1), formatTicketNumberForDate(d2, s2)];
        const byParts = d1 === d2 ? Math.sign(s1 - s2) : d1 < d2 ? -1 : 1;
        expect(Math.sign(a.localeCompare(b, 'en'))).toBe(byParts);
      }),
    );
  });
});

describe('findTicketNumbersInText', () => {
  it('finds numbers quoted in Chinese text, once each, in order', () => {
    const text = '工单号GD20261127000123还没人来，之前那张gd20261126000009也是，GD20261127000123';
    expect(findTicketNumbersInText(text)).toEqual(['GD20261127000123', 'GD20261126000009']);
  });

  it('ignores numbers inside longer runs, bad dates and other prefixes', () => {
    expect(findTicketNumbersInText('XGD20261127000123 GD202611270001234 GD20260230000001 SJ20261127000001')).toEqual([]);
    expect(findTicketNumbersInText('事件SJ20261127000001', 'SJ')).toEqual(['SJ20261127000001']);
  });
});
