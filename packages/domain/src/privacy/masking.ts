/**
 * Masks a phone number for display: keeps the first 3 and last 4 digits
 * of mainland mobiles (138****5678); shorter numbers keep their last 2.
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\s+/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** Masks a resident ID number: first 6 (region) and last 4 stay, the birth date is hidden. */
export function maskIdNumber(value: string): string {
  if (value.length <= 8) return `${value.slice(0, 1)}${'*'.repeat(Math.max(0, value.length - 2))}${value.slice(-1)}`;
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** Masks an email address: first character of the local part stays, the domain stays. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskGeneric(value);
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

/** Masks a personal name: 张三丰 → 张**; single-character names stay. */
export function maskName(value: string): string {
  const chars = [...value];
  if (chars.length <= 1) return value;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Masks an address after its first 6 characters (district stays readable for routing). */
export function maskAddress(value: string): string {
  const chars = [...value];
  if (chars.length <= 6) return value;
  return `${chars.slice(0, 6).join('')}****`;
}

export function maskGeneric(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

export const IDENTITY_KINDS = ['phone', 'email', 'wechat_openid', 'meter', 'policy', 'contract', 'account'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** Masks one customer identity by its kind; account numbers are not personal data and stay visible. */
export function maskIdentity(kind: IdentityKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'email':
      return maskEmail(value);
    case 'wechat_openid':
      return maskGeneric(value);
    case 'meter':
    case 'policy':
    case 'contract':
    case 'account':
      return value;
  }
}
