// Work-order throughput and latency through the real HTTP stack (Fastify inject, session auth):
// recording orders (sequential and 8 concurrent), the closed loop of actions, list pages and the
// SLA sweeper, over the seeded demo center on PGlite and PostgreSQL.
//   npx tsx bench/work-orders.ts [--engines pglite,postgres] [--tickets 20000] [--n 300]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { DEMO_PASSWORD } from '../apps/server/src/demo-password.ts';
import { hashPassword } from '../apps/server/src/platform/passwords.ts';
import { getDemoCustomerFixture, seedDemoCenter } from '../apps/server/src/seed/index.ts';
import { TEST_CONFIG } from '../apps/server/src/testing/test-app.ts';
import { type LatencyFigures, measure, writeResults } from './lib.ts';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const engines = (args.get('--engines') || 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const ticketCount = Number(args.get('--tickets') || 20000);
const n = Number(args.get('--n') || 300);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function openFresh(engine: 'pglite' | 'postgres'): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-'));
    return { database: await openDatabase({ kind: 'pglite', dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query('drop database if exists kefu_bench_orders with (force)');
  await admin.query('create database kefu_bench_orders');
  const u = new URL(PG_URL);
  u.pathname = '/kefu_bench_orders';
  return {
    database: await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: 10 }),
    cleanup: async () => {
      await admin.query('drop database if exists kefu_bench_orders with (force)');
      await admin.end();
    },
  };
}

type Row = Record<string, unknown> & { engine: string };
const rows: Row[] = [];
const REPAIR = { outageScope: 'single-household', safetyHazard: false, faultAddress: '西宁市城中区南大街18号' };

for (const engine of engines) {
  const { database, cleanup } = await openFresh(engine);
  await migrateToLatest(database.db);
  const t0 = performance.now();
  await seedDemoCenter(database.db, { demoPasswordHash: await hashPassword(DEMO_PASSWORD), now: new Date(), tickets: ticketCount });
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const app = await buildApp({ config: TEST_CONFIG, database, webDistDir: null, jobs: false });
  await app.ready();
  const cookie = async (u: string) => `kefu_sid=${(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: DEMO_PASSWORD } })).cookies[0]?.value}`;
  const agent = await cookie('agent');
  const crew = await cookie('repair');
  const customerId = getDemoCustomerFixture('portal').id;
  const create = async (dispatch: boolean) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { cookie: agent },
      payload: { customerId, categoryCode: 'fault-repair.low-voltage', description: '家中停电', fields: REPAIR, ...(dispatch ? { dispatch: {} } : {}) },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id as string;
  };
  const createOne: LatencyFigures = await measure(n, () => create(false));
  // Throughput with 8 requests in flight.
  const total = n * 2;
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < total) await create(true);
  }));
  const createPerSecond = Math.round((total / (performance.now() - started)) * 1000);
  const ids: string[] = [];
  for (let i = 0; i < Math.min(n, 100); i++) ids.push(await create(true));
  const act = (id: string, type: string) =>
    app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/actions`, headers: { cookie: crew }, payload: { action: { type } } });
  const action = await measure(ids.length, (i) => act(ids[i % ids.length] as string, 'accept_dispatch'));
  const get = (url: string, c = agent) => app.inject({ method: 'GET', url, headers: { cookie: c } });
  const listOpen = await measure(n, () => get('/api/v1/tickets?open=true&limit=50'));
  const listBreached = await measure(n, () => get('/api/v1/tickets?slaState=breached&limit=50'));
  const listCrew = await measure(n, () => get('/api/v1/tickets?open=true&limit=50', crew));
  const search = await measure(Math.min(n, 200), () => get(`/api/v1/tickets?q=${encodeURIComponent('停电')}&limit=50`));
  const detail = await measure(n, (i) => get(`/api/v1/tickets/${ids[i % ids.length]}`));
  const sweepStart = performance.now();
  let swept = 0;
  for (;;) {
    const r = await app.sweepSla(new Date(Date.now() + 86_400_000));
    swept += r.examined;
    if (r.examined === 0) break;
  }
  const sweepPerSecond = Math.round((swept / (performance.now() - sweepStart)) * 1000);
  const row = { engine, tickets: ticketCount, seedSeconds, createOne, createPerSecond, action, listOpen, listBreached, listCrew, search, detail, swept, sweepPerSecond };
  rows.push(row);
  console.log(JSON.stringify(row));
  await app.close();
  await database.close();
  await cleanup();
}

const f = (x: unknown) => {
  const l = x as LatencyFigures;
  return `${l.p50} / ${l.p99}`;
};
const md = [
  '# Work orders (ms, p50 / p99 through Fastify inject incl. session auth)',
  '',
  `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; seeded demo center with the given number of orders; n=${n}.`,
  '',
  '| engine | seeded orders | seed s | create | creates/s (8 in flight, with dispatch) | action | list open | list breached | crew list | text search | detail | SLA sweep orders/s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.engine} | ${Number(r.tickets).toLocaleString('en')} | ${r.seedSeconds} | ${f(r.createOne)} | ${r.createPerSecond} | ${f(r.action)} | ${f(r.listOpen)} | ${f(r.listBreached)} | ${f(r.listCrew)} | ${f(r.search)} | ${f(r.detail)} | ${r.sweepPerSecond} |`),
].join('\n');
writeResults('work-orders', { n, rows }, md);
console.log(md);
