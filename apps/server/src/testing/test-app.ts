import { readFileSync } from 'node:fs';
import { type Database, openDatabase } from '@kefu/db';
import pg from 'pg';
import { inject } from 'vitest';
import { type App, buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { DEMO_PASSWORD } from '../demo-password.ts';
import { TEST_ADMIN_PASSWORD, TEST_SESSION_SECRET } from './constants.ts';

export const TEST_CONFIG: Config = Object.freeze({
  env: 'test',
  port: 0,
  host: '127.0.0.1',
  dataDir: '/tmp/kefu-test-unused',
  databaseUrl: undefined,
  redisUrl: undefined,
  adminPassword: undefined,
  sessionSecret: TEST_SESSION_SECRET,
  sessionSecretGenerated: false,
  seed: 'demo',
  publicUrl: undefined,
  sessionTtlHours: 12,
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
});

let counter = 0;

/** A private copy of the seeded database for one test file. */
export async function openTestDatabase(): Promise<Database> {
  const tpl = inject('kefuTemplate');
  if (tpl.kind === 'pglite') {
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([readFileSync(tpl.dumpFile)]) });
  }
  // Clones carry the run id so the global teardown can drop any a crashed worker left behind.
  const name = `kefu_c_${tpl.runId}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: tpl.url });
  await admin.connect();
  await admin.query(`create database ${name} template ${tpl.template}`);
  await admin.end();
  const u = new URL(tpl.url);
  u.pathname = `/${name}`;
  const d = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: 4 });
  return {
    ...d,
    close: async () => {
      await d.close();
      const a = new pg.Client({ connectionString: tpl.url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export type TestContext = {
  app: App;
  database: Database;
  /** Signs in and returns the session cookie header value. */
  login: (username: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
};

export async function createTestApp(options: { clock?: () => Date; configTtlMs?: number } = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const app = await buildApp({
    config: TEST_CONFIG,
    database,
    webDistDir: null,
    jobs: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.configTtlMs !== undefined ? { configTtlMs: options.configTtlMs } : {}),
  });
  await app.ready();
  const cookies = new Map<string, string>();
  return {
    app,
    database,
    async login(username, password) {
      const key = `${username}:${password ?? ''}`;
      const cached = cookies.get(key);
      if (cached) return cached;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: password ?? (username === 'admin' ? TEST_ADMIN_PASSWORD : DEMO_PASSWORD) },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.cookies.find((c) => c.name === 'kefu_sid');
      if (!setCookie) throw new Error('no session cookie');
      const header = `kefu_sid=${setCookie.value}`;
      cookies.set(key, header);
      return header;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
