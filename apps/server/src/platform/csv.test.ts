import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv.ts';

describe('csv', () => {
  it('parses quoted fields with commas, quotes and newlines', () => {
    expect(parseCsv('name,note\r\n"张三","说""你好"",\n再见"\n')).toEqual([
      ['name', 'note'],
      ['张三', '说"你好",\n再见'],
    ]);
  });
  it('skips a BOM and blank lines', () => {
    expect(parseCsv('\ufeffa,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
  it('defuses spreadsheet formulas on export', () => {
    expect(toCsv([['=HYPERLINK("x")']])).toBe('\ufeff"\'=HYPERLINK(""x"")"\r\n');
  });
  it('round-trips any text that does not start like a formula', () => {
    const field = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const nonBlank = rows.filter((r) => r.some((f) => f.trim() !== ''));
        expect(parseCsv(toCsv(nonBlank))).toEqual(nonBlank);
      }),
    );
  });
});
