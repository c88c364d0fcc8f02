import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Channel secrets (WeChat app secret and token, SMTP/IMAP passwords, webhook signing secrets) are
// stored encrypted: AES-256-GCM under a key derived from the installation's session secret
// (HKDF-SHA256, info "kefu channel secrets"), with a fresh 12-byte IV per write. The stored JSON
// is { "_enc": "v1:<base64 iv|tag|ciphertext>", "_masked": { name: "••••1a2b" } }, so lists and
// the admin UI show masked values without decrypting. Rows written before encryption (the
// web chat channel's identity secret of issue 4) hold plain values and are read as they are.

export type SecretKey = Buffer;

/** The key for a session secret; derive once per process. */
export function deriveSecretKey(sessionSecret: string): SecretKey {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'kefu', 'kefu channel secrets', 32));
}

export function maskSecret(value: string): string {
  return `••••${value.slice(-4)}`;
}

export type StoredSecrets = { _enc: string; _masked: Record<string, string> };

export function sealSecrets(key: SecretKey, secrets: Record<string, string>): StoredSecrets {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  return { _enc: `v1:${sealed}`, _masked: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, maskSecret(v)])) };
}

function isSealed(stored: unknown): stored is StoredSecrets {
  return typeof stored === 'object' && stored !== null && typeof (stored as { _enc?: unknown })._enc === 'string';
}

/** The plain secrets of a stored value; throws when the ciphertext was tampered with or the key changed. */
export function openSecrets(key: SecretKey, stored: unknown): Record<string, string> {
  if (!isSealed(stored)) {
    const plain = (stored ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(plain).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  const [version, data] = [stored._enc.slice(0, 3), stored._enc.slice(3)];
  if (version !== 'v1:') throw new Error(`unknown secret format ${version}`);
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(json) as Record<string, string>;
}

/** Masked values for display, from either format, without decrypting. */
export function maskedSecrets(stored: unknown): Record<string, string> {
  if (isSealed(stored)) return { ...stored._masked };
  const plain = (stored ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, maskSecret(String(v))]));
}
