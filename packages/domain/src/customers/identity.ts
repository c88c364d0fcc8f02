import type { IdentityKind } from '../privacy/masking.ts';

export type NormalizedIdentity = { ok: true; value: string } | { ok: false; reason: string };

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{9,11}$/;
// A local landline dialled without its area code.
const LOCAL_LANDLINE = /^[2-9]\d{6,7}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Strips spaces, dashes, brackets and the +86/0086 country prefix from a phone number. */
export function normalizePhone(raw: string): string {
  let digits = raw.replace(/[\s\-()（）]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  return digits;
}

/** True when the text looks like a phone number someone typed into a search box. */
export function looksLikePhone(raw: string): boolean {
  const v = normalizePhone(raw.trim());
  return MOBILE.test(v) || LANDLINE.test(v);
}

/**
 * Normalises and validates one identity value so that the same phone typed two ways
 * (`+86 138-1234-5678`, `13812345678`) is one identity and duplicates are caught.
 */
export function normalizeIdentity(kind: IdentityKind, raw: string): NormalizedIdentity {
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, reason: 'empty' };
  switch (kind) {
    case 'phone': {
      const v = normalizePhone(trimmed);
      if (MOBILE.test(v) || LANDLINE.test(v) || LOCAL_LANDLINE.test(v)) return { ok: true, value: v };
      return { ok: false, reason: 'not a phone number' };
    }
    case 'email': {
      const v = trimmed.toLowerCase();
      return EMAIL.test(v) && v.length <= 254 ? { ok: true, value: v } : { ok: false, reason: 'not an email address' };
    }
    case 'wechat_openid':
      return /^[A-Za-z0-9_-]{16,64}$/.test(trimmed) ? { ok: true, value: trimmed } : { ok: false, reason: 'not a WeChat openid' };
    case 'meter':
    case 'policy':
    case 'contract':
    case 'account': {
      const v = trimmed.toUpperCase().replace(/\s+/g, '');
      return /^[A-Z0-9-]{4,40}$/.test(v) ? { ok: true, value: v } : { ok: false, reason: 'not an account number' };
    }
  }
}
