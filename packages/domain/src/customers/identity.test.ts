import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikePhone, normalizeIdentity, normalizePhone } from './identity.ts';

describe('identity normalisation', () => {
  it('treats +86 138-1234-5678 and 13812345678 as the same phone', () => {
    expect(normalizeIdentity('phone', '+86 138-1234-5678')).toEqual({ ok: true, value: '13812345678' });
    expect(normalizeIdentity('phone', '13812345678')).toEqual({ ok: true, value: '13812345678' });
  });
  it('accepts landlines with and without the area code, not short codes', () => {
    expect(normalizeIdentity('phone', '0971-8123456')).toEqual({ ok: true, value: '09718123456' });
    expect(normalizeIdentity('phone', '8123456')).toEqual({ ok: true, value: '8123456' });
    expect(normalizeIdentity('phone', '12345').ok).toBe(false);
  });
  it('refuses text that is not a phone', () => {
    expect(normalizeIdentity('phone', '张三').ok).toBe(false);
    expect(normalizeIdentity('phone', '12812345678').ok).toBe(false);
  });
  it('lower-cases emails and refuses malformed ones', () => {
    expect(normalizeIdentity('email', 'Li.Na@Example.CN')).toEqual({ ok: true, value: 'li.na@example.cn' });
    expect(normalizeIdentity('email', 'li.na@').ok).toBe(false);
  });
  it('upper-cases account numbers', () => {
    expect(normalizeIdentity('contract', 'ht-2026 001')).toEqual({ ok: true, value: 'HT-2026001' });
    expect(normalizeIdentity('meter', '').ok).toBe(false);
  });
  it('recognises typed phone numbers in a search box', () => {
    expect(looksLikePhone(' 139 0000 0001 ')).toBe(true);
    expect(looksLikePhone('6300012345')).toBe(false);
    expect(looksLikePhone('南大街12号')).toBe(false);
  });
  it('normalises idempotently', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normalizePhone(normalizePhone(s))).toBe(normalizePhone(s));
      }),
    );
  });
});
