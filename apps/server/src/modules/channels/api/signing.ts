// The Kefu webhook signature (docs/channels-sms-and-api.md), shared by the API channel, the generic
// SMS format and our outbound webhooks:
//   X-Kefu-Timestamp: <unix seconds>
//   X-Kefu-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
// Verified on the raw bytes (never on re-serialised JSON), in constant time, within a replay window.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const TIMESTAMP_HEADER = 'x-kefu-timestamp';
export const SIGNATURE_HEADER = 'x-kefu-signature';
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch' | 'replayed';
export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

/** Remembers signatures already accepted, so one captured request cannot be played twice inside the window. */
export type ReplayGuard = { seen: (key: string, expiresAtMs: number, nowMs: number) => boolean };

/** hex HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function computeSignature(secret: string, timestamp: string | number, body: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The two headers for an outbound webhook (or a test) signing `body` at `now`. */
export function signRequest(secret: string, body: Buffer | string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'X-Kefu-Timestamp': timestamp, 'X-Kefu-Signature': `v1=${computeSignature(secret, timestamp, body)}` };
}

/** Constant-time comparison of two strings of any length (hashing first hides the length too). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** An in-memory replay guard (per process; a second server instance keeps its own). */
export function createMemoryReplayGuard(maxEntries = 50_000): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    seen(key, expiresAtMs, nowMs) {
      const until = seen.get(key);
      if (until !== undefined && until > nowMs) return true;
      if (seen.size >= maxEntries) {
        for (const [k, exp] of seen) if (exp <= nowMs) seen.delete(k);
        // Still full of live entries: drop the oldest rather than grow without bound.
        if (seen.size >= maxEntries) seen.delete(seen.keys().next().value as string);
      }
      seen.set(key, expiresAtMs);
      return false;
    },
  };
}

type HeaderValue = string | string[] | undefined;
const first = (v: HeaderValue) => (Array.isArray(v) ? v[0] : v);

/**
 * Checks the Kefu signature headers against the raw body. Several `v1=` values separated by commas
 * are accepted (secret rotation: the sender signs with old and new secret).
 */
export function verifySignature(input: {
  secret: string;
  headers: Record<string, HeaderValue>;
  rawBody: Buffer;
  now: Date;
  windowSeconds?: number;
  replayGuard?: ReplayGuard;
  /** Distinguishes channels in the replay guard. */
  scope?: string;
}): SignatureCheck {
  const timestamp = first(input.headers[TIMESTAMP_HEADER])?.trim();
  const signature = first(input.headers[SIGNATURE_HEADER])?.trim();
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const candidates = signature
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3).toLowerCase());
  if (candidates.length === 0 || candidates.some((c) => !/^[0-9a-f]{64}$/.test(c))) return { ok: false, reason: 'malformed' };
  const window = input.windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > window) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(computeSignature(input.secret, timestamp, input.rawBody), 'hex');
  // Compare every candidate (no early exit), each in constant time.
  let match = false;
  for (const c of candidates) match = timingSafeEqual(expected, Buffer.from(c, 'hex')) || match;
  if (!match) return { ok: false, reason: 'mismatch' };
  if (input.replayGuard) {
    const key = `${input.scope ?? ''}:${timestamp}:${expected.toString('hex')}`;
    // Kept a little past the window so a timestamp at the window's far edge is still remembered.
    if (input.replayGuard.seen(key, (Number(timestamp) + window + 1) * 1000, input.now.getTime())) return { ok: false, reason: 'replayed' };
  }
  return { ok: true };
}

/**
 * Makes every body of this plugin scope arrive as the raw Buffer (any content type), limited to
 * `bodyLimit` bytes (Fastify answers 413 beyond it). Call inside the adapter's own plugin only.
 */
export function keepRawBody(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

/** Parses a raw JSON body; null when it is not JSON. */
export function parseJson(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
