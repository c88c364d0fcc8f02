import { createHmac, timingSafeEqual } from 'node:crypto';

// Widget visitor tokens: stateless, `base64url(JSON) + "." + base64url(HMAC-SHA256)`, signed with
// the server's session secret and a purpose label so no other token can pass for one.

export type VisitorClaims = { v: string; c: string; b: string; e: number };

const PURPOSE = 'kefu.visitor.v1';
export const VISITOR_TOKEN_DAYS = 30;

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}.${body}`).digest('base64url');
}

export function issueVisitorToken(secret: string, claims: Omit<VisitorClaims, 'e'>, now: Date): string {
  const body = Buffer.from(JSON.stringify({ ...claims, e: Math.floor(now.getTime() / 1000) + VISITOR_TOKEN_DAYS * 86_400 })).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyVisitorToken(secret: string, token: string, now: Date): VisitorClaims | null {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || !safeEqual(sig, sign(secret, body))) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as VisitorClaims;
    if (typeof claims.v !== 'string' || typeof claims.c !== 'string' || typeof claims.b !== 'string' || typeof claims.e !== 'number') return null;
    return claims.e * 1000 > now.getTime() ? claims : null;
  } catch {
    return null;
  }
}

export type IdentityClaims = { sub: string; name?: string; phone?: string; email?: string; exp: number };

/**
 * A host site's identity token (docs/realtime.md): `base64url(payload).base64url(HMAC-SHA256(secret,
 * base64url(payload)))`, payload `{sub, name?, phone?, email?, exp}`. Null when forged or expired.
 */
export function verifyIdentityToken(secret: string, token: string, now: Date): IdentityClaims | null {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return null;
  const expected = createHmac('sha256', secret).update(body).digest('base64url');
  if (!safeEqual(sig, expected)) return null;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as IdentityClaims;
    if (typeof c.sub !== 'string' || !c.sub || c.sub.length > 120 || typeof c.exp !== 'number') return null;
    return c.exp * 1000 > now.getTime() ? c : null;
  } catch {
    return null;
  }
}

/** What a host site runs to sign an identity token (also used by tests and the demo page). */
export function signIdentityToken(secret: string, claims: IdentityClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
