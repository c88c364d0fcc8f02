import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const secretFile = () => 'generated-secret-from-data-dir-0123456789';

describe('configuration', () => {
  it('defaults to port 3000, ./data and PGlite', () => {
    const c = loadConfig({}, secretFile);
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, seed: 'demo', sessionSecretGenerated: true });
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it('refuses to start in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, secretFile)).toThrow(/KEFU_SESSION_SECRET: required/);
  });

  it('refuses a weak session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', KEFU_SESSION_SECRET: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, secretFile)).toThrow(/too weak/);
    const ok = loadConfig({ NODE_ENV: 'production', KEFU_SESSION_SECRET: 'Zq8v-3LmP0x_Rt7Yb2Nc9Wd4Ke6Hf1Ju5Sa' }, secretFile);
    expect(ok.sessionSecretGenerated).toBe(false);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' }, secretFile);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.join('\n')).toMatch(/PORT/);
      expect((e as ConfigError).problems.join('\n')).toMatch(/DATABASE_URL/);
    }
  });
});

describe('empty variables', () => {
  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }, secretFile)).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });
});
