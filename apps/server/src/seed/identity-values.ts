import type { Rng } from './rng.ts';

// Well-formed but invented identifiers. Every generator is pure over the rng.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 resident ID: region (6) + birth date (8) + sequence (3, odd for men) + ISO 7064 check char. */
export function residentIdNumber(regionCode: string, birth: Date, sequence: number, gender: 'male' | 'female'): string {
  const seq = sequence % 500;
  const order = seq * 2 + (gender === 'male' ? 1 : 0);
  const date = `${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}`;
  const body = `${regionCode}${date}${pad(order, 3)}`;
  return body + idCheckChar(body);
}

export function idCheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '170', '173', '176', '177', '178', '180', '181', '182', '183', '185',
  '186', '187', '188', '189', '191', '198', '199',
];

export function mobilePhone(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

/** A 10-digit meter (电能表) number; the 63 prefix reads as Qinghai. */
export function meterNumber(rng: Rng): string {
  return `63${rng.digits(8)}`;
}

export function contractNumber(rng: Rng, year: number): string {
  return `QH-GD-${year}-${rng.digits(6)}`;
}

const SYLLABLES = ['zhang', 'wang', 'li', 'liu', 'chen', 'yang', 'ma', 'han', 'xiao', 'ming', 'hua', 'jun', 'lei', 'ling', 'fang', 'hong', 'yun', 'tian', 'qing', 'hai', 'xue', 'bo', 'kai', 'xin', 'dorje', 'tashi'];
const MAIL_DOMAINS: readonly (readonly [string, number])[] = [['163.com', 5], ['126.com', 2], ['sina.com', 1], ['foxmail.com', 1], ['outlook.com', 1]];

export function emailAddress(rng: Rng): string {
  if (rng.chance(0.35)) return `${rng.int(10_000_000, 2_999_999_999)}@qq.com`;
  const local = rng.pick(SYLLABLES) + rng.pick(SYLLABLES) + (rng.chance(0.7) ? String(rng.int(1, 9999)) : '');
  return `${local}@${rng.weighted(MAIL_DOMAINS)}`;
}

const OPENID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
// Open ids of one official account share their first characters.
export const OPENID_PREFIX = 'oKf95';

/** A 28-character WeChat open id of the demo official account. */
export function wechatOpenid(rng: Rng): string {
  let out = OPENID_PREFIX;
  while (out.length < 28) out += OPENID_CHARS[Math.floor(rng.next() * OPENID_CHARS.length)];
  return out;
}

/** Draws from `make` until the value is new to `taken`, then records it. */
export function uniqueValue(taken: Set<string>, make: () => string): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
  throw new Error('could not draw a unique value in 1000 attempts');
}
