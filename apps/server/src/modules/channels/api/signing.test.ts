import { describe, expect, it } from 'vitest';
import { computeSignature, createMemoryReplayGuard, safeEqual, signRequest, verifySignature } from './signing.ts';

const secret = 'kefu-test-secret-0123456789';
// The worked example of docs/channels-sms-and-api.md, computed there with `openssl dgst -sha256 -hmac`.
const body = Buffer.from('{"messageId":"m-1","from":{"id":"u-42"},"text":"你好"}');
const ts = 1767225600;
const now = new Date(ts * 1000);
const headersFor = (sig: string, timestamp: string | number = ts) => ({ 'x-kefu-timestamp': String(timestamp), 'x-kefu-signature': sig });

describe('Kefu webhook signature', () => {
  it('matches the documented openssl example byte for byte (UTF-8 body)', () => {
    expect(computeSignature(secret, ts, body)).toBe('027008e7de2f8cd739da76ecbdd3c2993a3b47eb7b48ab2a26f12a44cfaaedc9');
    expect(signRequest(secret, body, now)).toEqual({ 'X-Kefu-Timestamp': String(ts), 'X-Kefu-Signature': 'v1=027008e7de2f8cd739da76ecbdd3c2993a3b47eb7b48ab2a26f12a44cfaaedc9' });
  });

  it('accepts a correct signature and refuses a forged one, a changed body and a wrong secret', () => {
    const good = `v1=${computeSignature(secret, ts, body)}`;
    expect(verifySignature({ secret, headers: headersFor(good), rawBody: body, now })).toEqual({ ok: true });
    expect(verifySignature({ secret, headers: headersFor(`v1=${'0'.repeat(64)}`), rawBody: body, now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret, headers: headersFor(good), rawBody: Buffer.from(body.toString().replace('你好', '您好')), now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret: `${secret}x`, headers: headersFor(good), rawBody: body, now })).toEqual({ ok: false, reason: 'mismatch' });
    // Re-serialised JSON is a different byte string: the signature is over the raw body only.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifySignature({ secret, headers: headersFor(good), rawBody: reserialised, now }).ok).toBe(false);
  });

  it('refuses missing and malformed headers', () => {
    expect(verifySignature({ secret, headers: {}, rawBody: body, now })).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature({ secret, headers: headersFor('sha256=abc'), rawBody: body, now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature({ secret, headers: headersFor(`v1=${computeSignature(secret, ts, body)}`, '17672256OO'), rawBody: body, now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a timestamp outside the window (either side) and honours a configured window', () => {
    const at = (t: number) => headersFor(`v1=${computeSignature(secret, t, body)}`, t);
    expect(verifySignature({ secret, headers: at(ts - 300), rawBody: body, now }).ok).toBe(true);
    expect(verifySignature({ secret, headers: at(ts - 301), rawBody: body, now })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature({ secret, headers: at(ts + 301), rawBody: body, now })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature({ secret, headers: at(ts - 100), rawBody: body, now, windowSeconds: 60 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses the same signed request twice within the window, but not a fresh signature of the same body', () => {
    const guard = createMemoryReplayGuard();
    const h = headersFor(`v1=${computeSignature(secret, ts, body)}`);
    expect(verifySignature({ secret, headers: h, rawBody: body, now, replayGuard: guard, scope: 'c1' })).toEqual({ ok: true });
    expect(verifySignature({ secret, headers: h, rawBody: body, now, replayGuard: guard, scope: 'c1' })).toEqual({ ok: false, reason: 'replayed' });
    const resigned = headersFor(`v1=${computeSignature(secret, ts + 1, body)}`, ts + 1);
    expect(verifySignature({ secret, headers: resigned, rawBody: body, now, replayGuard: guard, scope: 'c1' })).toEqual({ ok: true });
    // A forged request does not poison the guard for the real one.
    const guard2 = createMemoryReplayGuard();
    expect(verifySignature({ secret, headers: headersFor(`v1=${'a'.repeat(64)}`), rawBody: body, now, replayGuard: guard2 }).ok).toBe(false);
    expect(verifySignature({ secret, headers: h, rawBody: body, now, replayGuard: guard2 }).ok).toBe(true);
  });

  it('accepts either of two signatures during secret rotation', () => {
    const both = `v1=${computeSignature('old-secret-0123456789', ts, body)}, v1=${computeSignature(secret, ts, body)}`;
    expect(verifySignature({ secret, headers: headersFor(both), rawBody: body, now }).ok).toBe(true);
  });

  it('compares tokens exactly', () => {
    expect(safeEqual('token-0123456789abcdef', 'token-0123456789abcdef')).toBe(true);
    expect(safeEqual('token-0123456789abcdef', 'token-0123456789abcdeF')).toBe(false);
    expect(safeEqual('token', 'token-longer')).toBe(false);
  });
});
