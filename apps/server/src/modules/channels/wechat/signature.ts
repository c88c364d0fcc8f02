import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's signature: SHA-1 (lower-case hex) of the parts sorted as strings and concatenated.
 * URL verification and plaintext callbacks sign [token, timestamp, nonce]; safe-mode callbacks
 * and passive replies also sign the Encrypt payload (`msg_signature`).
 */
export function wechatSignature(parts: readonly string[]): string {
  // WeChat sorts by code unit (PHP sort / Java Arrays.sort), which is JavaScript's default sort.
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** `signature` of the URL verification (GET) and of every callback: SHA1(sort(token, timestamp, nonce)). */
export function urlSignature(token: string, timestamp: string, nonce: string): string {
  return wechatSignature([token, timestamp, nonce]);
}

/** `msg_signature` of a safe-mode message or reply: SHA1(sort(token, timestamp, nonce, Encrypt)). */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return wechatSignature([token, timestamp, nonce, encrypt]);
}

/** Compares two strings in time that does not depend on where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers always, so a length mismatch costs the same as a content mismatch.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** True when `given` (any case) is the expected SHA-1 hex; false for missing or malformed input. */
export function verifySignature(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{40}$/.test(given)) return false;
  return safeEqual(expected, given.toLowerCase());
}
