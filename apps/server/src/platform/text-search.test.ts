import { describe, expect, it } from 'vitest';
import { tokenize, toPrefixQuery, toSearchDocument } from './text-search.ts';

describe('text search tokens', () => {
  it('keeps 报修 as one word and also indexes its parts for search', () => {
    const tokens = tokenize('故障报修');
    expect(tokens).toContain('报修');
  });
  it('keeps digits and latin words whole', () => {
    expect(tokenize('表号 6300012345 Zhang')).toEqual(expect.arrayContaining(['6300012345', 'zhang']));
  });
  it('quotes tokens so operators in user input stay literal', () => {
    expect(toPrefixQuery("x'y | z")).toBe("'x':* & 'y':* & 'z':*");
  });
  it('returns null for a query with no tokens', () => {
    expect(toPrefixQuery(' ,， ')).toBeNull();
  });
  it('joins the parts of a document', () => {
    expect(toSearchDocument(['西宁市', null, '城中区'])).toContain('西宁');
  });
});
