// Phone lookup (screen pop) and one-box search latency through the real HTTP stack (Fastify inject),
// over the seeded demo center and over a generated archive of 1,000,000 customers,
// on PGlite and on PostgreSQL.
//   npx tsx bench/customer-lookup.ts [--engines pglite,postgres] [--sizes 5000,1000000] [--n 1000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { DEMO_PASSWORD } from '../apps/server/src/demo-password.ts';
import { hashPassword } from '../apps/server/src/platform/passwords.ts';
import { seedDemoCenter } from '../apps/server/src/seed/index.ts';
import { TEST_CONFIG } from '../apps/server/src/testing/test-app.ts';
import { type LatencyFigures, measure, RESULTS_DIR, writeResults } from './lib.ts';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const engines = (args.get('--engines') || 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const sizes = (args.get('--sizes') || '5000,1000000').split(',').map(Number);
const n = Number(args.get('--n') || 1000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function openFresh(engine: 'pglite' | 'postgres', size: number): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-'));
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    return { database, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `kefu_bench_${size}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: u.toString() });
  return {
    database,
    cleanup: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

type Row = { engine: string; customers: number; seedSeconds: number; phoneLookup: LatencyFigures; searchPhone: LatencyFigures; searchName: LatencyFigures; searchAddress: LatencyFigures; searchMeter: LatencyFigures };
const rows: Row[] = [];

for (const engine of engines) {
  for (const size of sizes) {
    const { database, cleanup } = await openFresh(engine, size);
    await migrateToLatest(database.db);
    const t0 = performance.now();
    await seedDemoCenter(database.db, { demoPasswordHash: await hashPassword(DEMO_PASSWORD), now: new Date(), customers: size });
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    if (engine === 'postgres') await pg_analyze(database);
    const app = await buildApp({ config: TEST_CONFIG, database, webDistDir: null, jobs: false });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: DEMO_PASSWORD } });
    const cookie = `kefu_sid=${login.cookies[0]?.value}`;
    const sample = await database.db
      .selectFrom('customers')
      .innerJoin('customer_identities as p', (j) => j.onRef('p.customer_id', '=', 'customers.id').on('p.kind', '=', 'phone'))
      .innerJoin('customer_identities as m', (j) => j.onRef('m.customer_id', '=', 'customers.id').on('m.kind', '=', 'meter'))
      .select(['customers.name', 'customers.addresses', 'p.value as phone', 'm.value as meter'])
      .orderBy('customers.id')
      .limit(500)
      .execute();
    const pick = (i: number) => sample[(i * 7919) % sample.length]!;
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
      return res;
    };
    const street = (i: number) => ((pick(i).addresses as { text: string }[])[0]?.text ?? '').replace(/\d.*$/, '');
    const row: Row = {
      engine,
      customers: size,
      seedSeconds,
      phoneLookup: await measure(n, (i) => get(`/api/v1/customers/lookup?phone=${pick(i).phone}`)),
      searchPhone: await measure(n, (i) => get(`/api/v1/customers?q=${pick(i).phone}&limit=20`)),
      searchMeter: await measure(n, (i) => get(`/api/v1/customers?q=${pick(i).meter}&limit=20`)),
      searchName: await measure(Math.min(n, 300), (i) => get(`/api/v1/customers?q=${encodeURIComponent(pick(i).name)}&limit=20`)),
      searchAddress: await measure(Math.min(n, 300), (i) => get(`/api/v1/customers?q=${encodeURIComponent(street(i))}&limit=20`)),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    await app.close();
    await database.close();
    await cleanup();
  }
}

async function pg_analyze(database: Database) {
  const { sql } = await import('kysely');
  await sql`analyze`.execute(database.db);
}

// Rows of engines/sizes not run this time are kept from the previous results file.
try {
  const previous = JSON.parse(readFileSync(path.join(RESULTS_DIR, 'customer-lookup.json'), 'utf8')) as { rows: Row[] };
  for (const old of previous.rows) if (!rows.some((r) => r.engine === old.engine && r.customers === old.customers)) rows.push(old);
  rows.sort((a, b) => a.engine.localeCompare(b.engine) || a.customers - b.customers);
} catch {}

const fmt = (f: LatencyFigures) => `${f.p50} / ${f.p99}`;
const md = [
  '# Customer lookup latency (ms, p50 / p99, through Fastify inject incl. session auth)',
  '',
  `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. n=${n} per phone/meter figure, 300 for name/address.`,
  '',
  '| engine | customers | seed s | phone lookup | search by phone | by meter no. | by name | by address street |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.engine} | ${r.customers.toLocaleString('en')} | ${r.seedSeconds} | ${fmt(r.phoneLookup)} | ${fmt(r.searchPhone)} | ${fmt(r.searchMeter)} | ${fmt(r.searchName)} | ${fmt(r.searchAddress)} |`),
].join('\n');
writeResults('customer-lookup', { n, rows }, md);
console.log(md);
