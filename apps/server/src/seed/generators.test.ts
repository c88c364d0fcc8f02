import { describe, expect, it } from 'vitest';
import { AREA_SEEDS } from './areas.seed.ts';
import { createTakenValues, draftFixtureCustomers, generateCustomers } from './customer-generator.ts';
import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import { DEMO_LOGINS } from './demo-logins.ts';
import { idCheckChar } from './identity-values.ts';
import { planStaff } from './org.seed.ts';
import { createRng } from './rng.ts';

const NOW = new Date('2026-11-20T08:00:00Z');

function customers(seed: number, count = 300) {
  const rng = createRng(seed);
  const taken = createTakenValues();
  const fixtures = draftFixtureCustomers(rng.fork('fixtures'), NOW, taken);
  return [...fixtures, ...generateCustomers(rng.fork('generated'), { count, now: NOW, taken })];
}

describe('demo staff plan', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(planStaff(createRng(1))).toEqual(planStaff(createRng(1)));
    expect(planStaff(createRng(1))).not.toEqual(planStaff(createRng(2)));
  });

  it('has about sixty staff with unique usernames, names and work numbers', () => {
    const staff = planStaff(createRng(1));
    expect(staff.length).toBeGreaterThanOrEqual(55);
    expect(staff.length).toBeLessThanOrEqual(70);
    expect(new Set(staff.map((s) => s.username)).size).toBe(staff.length);
    expect(new Set(staff.map((s) => s.displayName)).size).toBe(staff.length);
    const numbers = staff.flatMap((s) => (s.workNumber ? [s.workNumber] : []));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(staff.find((s) => s.username === 'agent')?.workNumber).toBe('9559801');
  });

  it('gives every fixed demo staff login its role and display name', () => {
    const staff = planStaff(createRng(1));
    for (const login of DEMO_LOGINS.filter((l) => l.role !== 'customer')) {
      const user = staff.find((s) => s.username === login.username);
      expect(user, login.username).toMatchObject({ role: login.role, displayName: login.displayNameZh });
    }
  });

  it('staffs the two Tibetan language seats', () => {
    const staff = planStaff(createRng(1));
    expect(staff.find((s) => s.username === 'amdo')).toMatchObject({ languages: ['zh-CN', 'bo-amdo'], teamCode: 'team-ethnic' });
    expect(staff.find((s) => s.username === 'amdo')?.skills).toContain('tibetan-amdo');
    expect(staff.find((s) => s.username === 'kham')).toMatchObject({ languages: ['zh-CN', 'bo-kham'], teamCode: 'team-ethnic' });
    expect(staff.find((s) => s.username === 'kham')?.skills).toContain('tibetan-kham');
  });
});

describe('demo customer generator', () => {
  it('is the same for the same seed, ids included, and differs for another', () => {
    const a = customers(7);
    expect(customers(7)).toEqual(a);
    const b = customers(8);
    expect(b.slice(DEMO_CUSTOMER_FIXTURES.length).map((c) => c.id)).not.toEqual(a.slice(DEMO_CUSTOMER_FIXTURES.length).map((c) => c.id));
    expect(b.map((c) => c.name)).not.toEqual(a.map((c) => c.name));
  });

  it('keeps phone, meter, email and open id values unique across 5,000 customers', () => {
    const all = customers(95_598, 5_000 - DEMO_CUSTOMER_FIXTURES.length);
    expect(all).toHaveLength(5_000);
    for (const kind of ['phone', 'meter', 'email', 'wechat_openid', 'contract']) {
      const values = all.flatMap((c) => c.identities.filter((i) => i.kind === kind).map((i) => i.value));
      expect(new Set(values).size, kind).toBe(values.length);
    }
    const ids = all.flatMap((c) => [c.id, ...c.identities.map((i) => i.id)]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every customer one or two phones and a meter number', () => {
    for (const c of customers(3)) {
      const phones = c.identities.filter((i) => i.kind === 'phone');
      expect(phones.length).toBeGreaterThanOrEqual(1);
      expect(phones.length).toBeLessThanOrEqual(2);
      expect(c.identities.some((i) => i.kind === 'meter')).toBe(true);
    }
  });

  it('writes well-formed ID numbers whose region is the customer area', () => {
    for (const c of customers(4)) {
      if (!c.idNumber) continue;
      expect(c.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(c.idNumber[17]).toBe(idCheckChar(c.idNumber.slice(0, 17)));
      expect(c.idNumber.slice(0, 6)).toBe(AREA_SEEDS.find((a) => a.code === c.areaCode)?.regionCode);
    }
  });

  it('mixes in vulnerable, key-account and other-language customers in believable shares', () => {
    const all = customers(95_598, 5_000);
    const share = (test: (c: (typeof all)[number]) => boolean) => all.filter(test).length / all.length;
    expect(share((c) => c.tags.includes('独居老人'))).toBeGreaterThan(0.015);
    expect(share((c) => c.tags.includes('独居老人'))).toBeLessThan(0.05);
    expect(share((c) => c.tags.includes('低保户'))).toBeGreaterThan(0.02);
    expect(share((c) => c.flags.includes('key_account'))).toBeGreaterThan(0.01);
    expect(share((c) => c.flags.includes('key_account'))).toBeLessThan(0.04);
    expect(share((c) => c.preferredLanguage === 'zh-CN')).toBeGreaterThan(0.9);
    for (const lang of ['bo-amdo', 'bo-kham', 'en-US']) expect(all.some((c) => c.preferredLanguage === lang), lang).toBe(true);
    expect(share((c) => c.identities.some((i) => i.kind === 'email'))).toBeGreaterThan(0.25);
    expect(share((c) => c.identities.some((i) => i.kind === 'wechat_openid'))).toBeGreaterThan(0.15);
  });

  it('spreads creation over the past three years', () => {
    const times = customers(5, 2_000).map((c) => c.createdAt.getTime());
    const threeYears = 3 * 365 * 86_400_000;
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - threeYears);
    expect(Math.min(...times)).toBeLessThan(NOW.getTime() - threeYears * 0.9);
  });
});
