import { describe, expect, it } from 'vitest';
import { emailAddress, idCheckChar, meterNumber, mobilePhone, residentIdNumber, uniqueValue, wechatOpenid } from './identity-values.ts';
import { createRng } from './rng.ts';

describe('seed identity values', () => {
  it('computes the GB 11643 check character of the standard example', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
  });

  it('builds 18-character ID numbers with region, birth date and gender parity', () => {
    const id = residentIdNumber('630103', new Date(Date.UTC(1978, 4, 12)), 17, 'male');
    expect(id).toMatch(/^63010319780512\d{3}[\dX]$/);
    expect(Number(id[16]) % 2).toBe(1);
    expect(id[17]).toBe(idCheckChar(id.slice(0, 17)));
    const female = residentIdNumber('630103', new Date(Date.UTC(1978, 4, 12)), 17, 'female');
    expect(Number(female[16]) % 2).toBe(0);
  });

  it('draws mainland mobile numbers, 10-digit meters, emails and 28-character open ids', () => {
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) {
      expect(mobilePhone(rng)).toMatch(/^1[35789]\d{9}$/);
      expect(meterNumber(rng)).toMatch(/^63\d{8}$/);
      expect(emailAddress(rng)).toMatch(/^[a-z0-9]+@[a-z0-9.]+$/);
      expect(wechatOpenid(rng)).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    }
  });

  it('redraws until a value is new and records it', () => {
    const taken = new Set(['a']);
    const values = ['a', 'a', 'b'];
    expect(uniqueValue(taken, () => values.shift() ?? 'z')).toBe('b');
    expect(taken.has('b')).toBe(true);
  });
});
