// Pure SMS text rules: phone numbers in the archive's format, unsubscribe keywords, segment counting.
import { normalizeIdentity, normalizePhone } from '@kefu/domain';

/**
 * A phone number in the customer archive's format (domain `normalizeIdentity('phone')`: a Chinese
 * number without +86, e.g. `13812345678`), accepting the shapes gateways send (`+86…`, `0086…`,
 * `86138…`, a separate nation code). Other countries keep an E.164-like `+<code><number>`.
 * Null when it is not a phone number at all.
 */
export function toArchivePhone(raw: string, nationCode?: string | null): string | null {
  const code = (nationCode ?? '').replace(/\D/g, '');
  let value = raw.trim();
  if (code && code !== '86') {
    const digits = normalizePhone(value).replace(/^\+/, '');
    return /^\d{4,15}$/.test(digits) ? `+${code}${digits.replace(new RegExp(`^${code}`), '')}` : null;
  }
  // Gateways often write the Chinese country code without the plus: 8613812345678.
  const bare = value.replace(/[\s\-()（）]/g, '');
  if (/^861[3-9]\d{9}$/.test(bare)) value = bare.slice(2);
  const normalized = normalizeIdentity('phone', value);
  if (normalized.ok) return normalized.value;
  const intl = value.replace(/[\s\-()（）]/g, '');
  if (/^\+[1-9]\d{6,14}$/.test(intl)) return intl;
  if (/^00[1-9]\d{6,14}$/.test(intl)) return `+${intl.slice(2)}`;
  return null;
}

/** E.164 for a gateway: `13812345678` → `+8613812345678`; numbers already international stay. */
export function toE164(archivePhone: string): string {
  if (archivePhone.startsWith('+')) return archivePhone;
  const v = normalizePhone(archivePhone);
  return /^1[3-9]\d{9}$/.test(v) ? `+86${v}` : `+86${v.replace(/^0/, '')}`;
}

export const DEFAULT_UNSUBSCRIBE_KEYWORDS = ['TD', '退订', 'T', 'STOP'];

/**
 * True when the whole message is an unsubscribe keyword (TD / 退订 / T / STOP), ignoring case,
 * surrounding spaces and punctuation, and full-width letters (ＴＤ). "TD是什么意思" is not one.
 */
export function isUnsubscribeKeyword(text: string, keywords: readonly string[] = DEFAULT_UNSUBSCRIBE_KEYWORDS): boolean {
  const folded = foldKeyword(text);
  if (!folded) return false;
  return keywords.some((k) => foldKeyword(k) === folded);
}

/** A number that unsubscribed opts back in with exactly one of these (same folding as the unsubscribe keywords). */
export const DEFAULT_RESUBSCRIBE_KEYWORDS = ['订阅', '恢复', 'START'];

/** True when the whole message is an opt-in keyword (订阅 / 恢复 / START). */
export function isResubscribeKeyword(text: string, keywords: readonly string[] = DEFAULT_RESUBSCRIBE_KEYWORDS): boolean {
  return isUnsubscribeKeyword(text, keywords);
}

const UNSUBSCRIBE_HINT = /退订|unsubscribe/i;

/**
 * A notice ends with how to unsubscribe (carriers require it for notification SMS): `回复TD退订`
 * after Chinese text, `Reply TD to unsubscribe` otherwise; a text that already says so is kept.
 */
export function withUnsubscribeHint(text: string): string {
  const trimmed = text.trim();
  if (UNSUBSCRIBE_HINT.test(trimmed)) return trimmed;
  if (/[\u3400-\u9fff]/.test(trimmed)) return `${trimmed}${/[。！？!?.]$/.test(trimmed) ? '' : '。'}回复TD退订`;
  return `${trimmed}${/[.!?]$/.test(trimmed) ? '' : '.'} Reply TD to unsubscribe`;
}

function foldKeyword(text: string): string {
  // NFKC turns full-width ＴＤ and ideographic spaces into their ASCII forms.
  return text
    .normalize('NFKC')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .toUpperCase();
}

// GSM 03.38 basic set (one septet each) and the extension table (escape + char = two septets).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export type SmsSegments = { encoding: 'gsm7' | 'ucs2'; units: number; segments: number; perSegment: number };

/**
 * How many SMS a text takes: GSM-7 160 per message (153 per part when split), otherwise UCS-2,
 * the case of any Chinese text, 70 per message (67 per part). Characters outside the BMP (emoji)
 * take two UCS-2 units.
 */
export function countSmsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const segments = septets <= 160 ? 1 : Math.ceil(septets / 153);
    return { encoding: 'gsm7', units: septets, segments: septets === 0 ? 1 : segments, perSegment: septets <= 160 ? 160 : 153 };
  }
  const units = text.length; // UTF-16 code units = UCS-2 units
  const segments = units <= 70 ? 1 : Math.ceil(units / 67);
  return { encoding: 'ucs2', units, segments, perSegment: units <= 70 ? 70 : 67 };
}
