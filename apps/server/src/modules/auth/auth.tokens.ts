import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Random secret shown to the client once; only its hash is stored. */
export function generateSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Session tokens are stored as HMAC(secret, token) so a database copy alone cannot mint cookies. */
export function hashSessionToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
