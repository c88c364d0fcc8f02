import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateToLatest, openDatabase } from '@kefu/db';
import { sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { DEMO_PASSWORD } from '../demo-password.ts';
import { deriveSecretKey } from '../modules/channels/secret-box.ts';
import { hashPassword } from '../platform/passwords.ts';
import { bootstrapInstallation } from '../seed/bootstrap.ts';
import { seedDemoCenter } from '../seed/index.ts';
import { TEST_ADMIN_PASSWORD, TEST_NOW, TEST_SESSION_SECRET } from './constants.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kefuTemplate: { kind: 'pglite'; dumpFile: string } | { kind: 'postgres'; url: string; template: string; runId: string };
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Migrates and seeds one database per test run; every test file then gets its own copy
 * (a PGlite data-dir dump, or a PostgreSQL database cloned from a template).
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const url = process.env.TEST_DATABASE_URL;
  const seedAll = async (db: Parameters<typeof migrateToLatest>[0]) => {
    await migrateToLatest(db);
    await bootstrapInstallation(db, { adminPasswordHash: await hashPassword(TEST_ADMIN_PASSWORD), now: TEST_NOW });
    // The full archive and orders, but a tenth of the demo contacts: every test file loads a copy
    // of this database, and contact volume only matters to the seed's own tests and the benches.
    await seedDemoCenter(db, { demoPasswordHash: await hashPassword(DEMO_PASSWORD), now: TEST_NOW, contacts: 3_000, channelSecretKey: deriveSecretKey(TEST_SESSION_SECRET) });
  };
  if (url) {
    const runId = `${process.pid}${Date.now() % 1_000_000}`;
    const template = `kefu_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const d = await openDatabase({ kind: 'postgres', url: withDatabase(url, template), poolSize: 2 });
    await seedAll(d.db);
    await d.close();
    project.provide('kefuTemplate', { kind: 'postgres', url, template, runId });
    console.log(`[kefu] PostgreSQL template ${template} seeded in ${Date.now() - started} ms`);
    return async () => {
      // Drop the template and any per-file clones left behind.
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`kefu_c_${runId}_%`]);
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const d = await openDatabase({ kind: 'pglite' });
  await seedAll(d.db);
  await sql`checkpoint`.execute(d.db);
  const pglite = (d as unknown as { pglite: { dumpDataDir: (c: 'none') => Promise<Blob> } }).pglite;
  const dump = await pglite.dumpDataDir('none');
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-test-'));
  const dumpFile = path.join(dir, 'seeded.tar');
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await d.close();
  project.provide('kefuTemplate', { kind: 'pglite', dumpFile });
  console.log(`[kefu] PGlite template seeded in ${Date.now() - started} ms`);
  return () => rmSync(dir, { recursive: true, force: true });
}
