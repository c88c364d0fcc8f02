import { describe, expect, it } from 'vitest';
import { deriveSecretKey, maskedSecrets, openSecrets, sealSecrets } from './secret-box.ts';

const key = deriveSecretKey('a-session-secret-of-the-installation-0123456789');

describe('channel secret box', () => {
  it('round-trips secrets and never stores them in the clear', () => {
    const secrets = { appSecret: 'wx-app-secret-9f8e7d6c', token: 'pamtest', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
    const sealed = sealSecrets(key, secrets);
    const json = JSON.stringify(sealed);
    for (const v of Object.values(secrets)) expect(json).not.toContain(v);
    expect(openSecrets(key, sealed)).toEqual(secrets);
    expect(maskedSecrets(sealed)).toEqual({ appSecret: '••••7d6c', token: '••••test', encodingAESKey: '••••DEFG' });
  });

  it('uses a fresh IV per write', () => {
    expect(sealSecrets(key, { a: 'x' })._enc).not.toBe(sealSecrets(key, { a: 'x' })._enc);
  });

  it('refuses a tampered ciphertext or another installation key', () => {
    const sealed = sealSecrets(key, { token: 'secret-token' });
    const raw = Buffer.from(sealed._enc.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => openSecrets(key, { ...sealed, _enc: `v1:${raw.toString('base64')}` })).toThrow();
    expect(() => openSecrets(deriveSecretKey('another-installation-secret-0123456789abcdef'), sealed)).toThrow();
  });

  it('reads the plain secrets of rows written before encryption', () => {
    expect(openSecrets(key, { identitySecret: 'abcd1234' })).toEqual({ identitySecret: 'abcd1234' });
    expect(maskedSecrets({ identitySecret: 'abcd1234' })).toEqual({ identitySecret: '••••1234' });
  });
});
