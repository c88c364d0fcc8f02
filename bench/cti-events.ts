// CTI call events (docs/cti.md): a PBX posting signed call events to POST /channels/cti/:channelId,
// through real HTTP (app.listen on a local port, keep-alive fetch), on PostgreSQL:
//   1. a demo center seeded small (5,000 customers, 3,000 contacts), one CTI channel created through
//      the admin API with extensions for agent, agent02 … agent30, ~20 of them set online with their
//      own sessions (PUT /api/v1/agent/presence), so offered calls really route;
//   2. the SQL round trips each event type costs (every query of the server's pg pool counted, BEGIN
//      and COMMIT included), posting a few calls one event at a time;
//   3. simulated PBX connections (1, 8, 32), each running calls back to back: offered (a demo
//      customer's phone, or a random number 30% of the time) → answered by the extension the routing
//      answer named (a random online agent's when the answer was `queue`) → held → resumed → ended
//      (agent_hangup), plus one replayed (duplicate) event per call, exactly the same signed request
//      again, right after the original. The load runs in a worker thread (its own event loop);
//      events/s, calls/s, per-type latency, lock waits in PostgreSQL (pg_stat_activity sampled),
//      the pg pool's acquire wait, the server's event loop and CPU;
//   4. optionally the same on PGlite with a smaller center.
//   npx tsx bench/cti-events.ts [--clients 1,8,32] [--seconds 15] [--max 1000000] [--customers 5000]
//        [--contacts 3000] [--tickets N] [--online 20] [--pglite yes|no] [--profile no] [--keep yes]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { signRequest } from '../apps/server/src/modules/channels/api/signing.ts';
import { DEMO_PASSWORD } from '../apps/server/src/demo-password.ts';
import { hashPassword } from '../apps/server/src/platform/passwords.ts';
import { seedDemoCenter } from '../apps/server/src/seed/index.ts';
import { TEST_CONFIG } from '../apps/server/src/testing/test-app.ts';
import { percentile, writeResults } from './lib.ts';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const num = (name: string, dflt: number) => {
  const v = args.get(name);
  const n = v === undefined || v === '' ? dflt : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return n;
};
const clientLevels = (args.get('--clients') || '1,8,32').split(',').map((x) => {
  const n = Number(x);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--clients must be positive integers, got ${x}`);
  return n;
});
const loadSeconds = num('--seconds', 15);
const maxCalls = Math.round(num('--max', 1_000_000));
const customerCount = Math.round(num('--customers', 5000));
const contactCount = Math.round(num('--contacts', 3000));
const ticketCount = args.get('--tickets') ? Math.round(num('--tickets', 1)) : undefined;
const onlineAgents = Math.min(30, Math.round(num('--online', 20)));
const withPglite = args.get('--pglite') === 'yes';
/** Leave the PostgreSQL database behind for a look with psql (dropped at the next run). */
const keep = args.get('--keep') === 'yes';
/** CPU-profile the server thread in an extra 8-client pass after the levels (not part of the figures); --profile no skips it. */
const profile = args.get('--profile') !== 'no';
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'kefu_bench_cti';
const SQL_CALLS = 5;
const SAMPLE_MS = 100;
/** Event offsets within a call, seconds after its offered instant. */
const AT = { offered: 0, answered: 15, held: 60, resumed: 90, ended: 150 } as const;
const EVENT_TYPES = ['offered', 'answered', 'held', 'resumed', 'ended'] as const;
type EventType = (typeof EVENT_TYPES)[number];

const started = performance.now();
const progress = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------
// What the server's pg pool does: queries counted (round trips per event type), their wall time and
// the time a transaction / query waited for a pool connection, during the load levels.
let counting = false;
let queryCount = 0;
let beginCount = 0;
let timing = false;
let dbMs = 0;
let dbQueries = 0;
let acquireMs = 0;
let acquires = 0;
let acquiresOver1ms = 0;
/** Clients of the bench itself (the pg_stat_activity sampler): not counted. */
const ownClients = new WeakSet<object>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  if (ownClients.has(this)) return (originalQuery as (...x: unknown[]) => unknown).apply(this, a);
  const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string } | undefined)?.text;
  if (counting) {
    queryCount++;
    if (text?.trim().toLowerCase() === 'begin') beginCount++;
  }
  const t = performance.now();
  const r = (originalQuery as (...x: unknown[]) => unknown).apply(this, a);
  if (timing && r && typeof (r as Promise<unknown>).then === 'function') {
    const done = () => {
      dbMs += performance.now() - t;
      dbQueries++;
    };
    (r as Promise<unknown>).then(done, done);
  }
  return r;
} as typeof pg.Client.prototype.query;
const originalConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function (this: pg.Pool, ...a: unknown[]) {
  const r = (originalConnect as (...x: unknown[]) => unknown).apply(this, a);
  if (timing && a.length === 0 && r && typeof (r as Promise<unknown>).then === 'function') {
    const t = performance.now();
    (r as Promise<unknown>).then(
      () => {
        const ms = performance.now() - t;
        acquireMs += ms;
        acquires++;
        if (ms > 1) acquiresOver1ms++;
      },
      () => {},
    );
  }
  return r;
} as typeof pg.Pool.prototype.connect;

// ---------------------------------------------------------------------------------------------
// HTTP

type Server = { app: Awaited<ReturnType<typeof buildApp>>; base: string };

async function startServer(database: Database): Promise<Server> {
  const app = await buildApp({ config: TEST_CONFIG, database, webDistDir: null, jobs: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const text = await res.text();
  const sid = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('kefu_sid='));
  if (!res.ok || !sid) throw new Error(`login ${username} → ${res.status} ${text}`);
  return sid;
}

async function sendJson(base: string, method: 'POST' | 'PUT', url: string, cookie: string, body: unknown, expect: number): Promise<Record<string, unknown>> {
  const res = await fetch(base + url, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The demo center with a CTI channel and agents online.

type Center = {
  server: Server;
  database: Database;
  brandId: string;
  channelId: string;
  secret: string;
  /** Extensions of the online agents (the PBX answers a queued call with one of them). */
  onlineExtensions: string[];
  phones: string[];
  seedSeconds: number;
  seeded: Record<string, number>;
};

const AGENT_USERNAMES = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'agent' : `agent${String(i + 1).padStart(2, '0')}`));

async function prepare(database: Database, customers: number, contacts: number, tickets: number | undefined): Promise<Center> {
  await migrateToLatest(database.db);
  const t0 = performance.now();
  const summary = await seedDemoCenter(database.db, {
    demoPasswordHash: await hashPassword(DEMO_PASSWORD),
    now: new Date(),
    customers,
    contacts,
    ...(tickets !== undefined ? { tickets } : {}),
  });
  const seedSeconds = round((performance.now() - t0) / 1000, 1);
  await sql`analyze`.execute(database.db);
  const server = await startServer(database);
  const admin = await login(server.base, 'admin');
  const users = await database.db.selectFrom('users').select(['id', 'username']).where('username', 'in', AGENT_USERNAMES).execute();
  const idOf = new Map(users.map((u) => [u.username, u.id]));
  const extensionOf = new Map<string, string>();
  const agentExtensions: Record<string, string> = {};
  AGENT_USERNAMES.forEach((username, i) => {
    const id = idOf.get(username);
    if (!id) return;
    agentExtensions[id] = String(8001 + i);
    extensionOf.set(username, String(8001 + i));
  });
  const created = await sendJson(server.base, 'POST', '/api/v1/channels', admin, { type: 'cti', name: '95598 热线 (bench)', config: { agentExtensions } }, 201);
  const channelId = created.id as string;
  const secret = (created.generatedSecrets as { signingSecret: string }).signingSecret;
  const onlineExtensions: string[] = [];
  for (const username of AGENT_USERNAMES.slice(0, onlineAgents)) {
    const ext = extensionOf.get(username);
    if (!ext) continue;
    const cookie = await login(server.base, username);
    await sendJson(server.base, 'PUT', '/api/v1/agent/presence', cookie, { state: 'online' }, 200);
    onlineExtensions.push(ext);
  }
  const brandId = (await database.db.selectFrom('channels').select('brand_id').where('id', '=', channelId).executeTakeFirstOrThrow()).brand_id;
  const phones = (
    await sql<{ value: string }>`select value from customer_identities where kind = 'phone' and brand_id = ${brandId} order by md5(value) limit 3000`.execute(database.db)
  ).rows.map((r) => r.value);
  if (phones.length === 0) throw new Error('the demo center has no customer phones');
  return {
    server,
    database,
    brandId,
    channelId,
    secret,
    onlineExtensions,
    phones,
    seedSeconds,
    seeded: { customers: summary.customers, identities: summary.identities, tickets: summary.tickets, contacts: summary.contacts, users: summary.users },
  };
}

// ---------------------------------------------------------------------------------------------
// SQL round trips per event type: a few calls posted one event at a time from this thread.

type SqlFigures = Record<string, { queries: number; transactions: number }>;

async function sqlPerEvent(c: Center): Promise<{ perType: SqlFigures; answers: Record<string, number> }> {
  const sums: Record<string, { queries: number; transactions: number; n: number }> = {};
  const answers: Record<string, number> = {};
  const at0 = Date.now() / 1000 - 7200;
  const post = async (kind: string, raw: string, headers?: Record<string, string>) => {
    const h = headers ?? { 'content-type': 'application/json', ...signRequest(c.secret, raw, new Date()) };
    queryCount = 0;
    beginCount = 0;
    counting = true;
    const res = await fetch(`${c.server.base}/channels/cti/${c.channelId}`, { method: 'POST', headers: h, body: raw });
    const text = await res.text();
    counting = false;
    if (res.status !== 200) throw new Error(`${kind} → ${res.status} ${text.slice(0, 500)}`);
    const s = (sums[kind] ??= { queries: 0, transactions: 0, n: 0 });
    s.queries += queryCount;
    s.transactions += beginCount;
    s.n++;
    return { json: JSON.parse(text) as Record<string, unknown>, headers: h };
  };
  for (let i = 0; i < SQL_CALLS; i++) {
    const callId = `sql-${i}`;
    const t0 = at0 + i * 200;
    const ev = (type: EventType, extra: Record<string, unknown> = {}) => JSON.stringify({ eventId: `${callId}:${type}`, callId, type, at: round(t0 + AT[type], 3), ...extra });
    // Half the calls from a known customer (routing reads the archive), half from unknown numbers.
    const caller = i % 2 === 0 ? (c.phones[i] as string) : `1990000${String(1000 + i)}`;
    const offered = ev('offered', { caller, called: '95598' });
    const o = await post('offered', offered);
    const action = String(o.json.action);
    answers[action] = (answers[action] ?? 0) + 1;
    await post('duplicate offered', offered, o.headers);
    const ext = action === 'agent' ? String(o.json.extension) : (c.onlineExtensions[i % c.onlineExtensions.length] as string);
    const answered = ev('answered', { agentExtension: ext });
    const a = await post('answered', answered);
    await post('duplicate answered', answered, a.headers);
    await post('held', ev('held'));
    await post('resumed', ev('resumed'));
    const ended = ev('ended', { reason: 'agent_hangup' });
    const e = await post('ended', ended);
    await post('duplicate ended', ended, e.headers);
  }
  const perType: SqlFigures = {};
  for (const [k, s] of Object.entries(sums)) perType[k] = { queries: round(s.queries / s.n, 1), transactions: round(s.transactions / s.n, 1) };
  return { perType, answers };
}

// ---------------------------------------------------------------------------------------------
// The PBX load, in a worker thread (its own event loop), keep-alive fetch, N connections in flight.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { base, channelId, secret, phones, extensions, clients, maxCalls, maxMs, prefix, atBase, seed, unknownShare } = workerData;
const url = base + '/channels/cti/' + channelId;
const TYPES = ['offered', 'answered', 'held', 'resumed', 'ended'];
const AT = { offered: 0, answered: 15, held: 60, resumed: 90, ended: 150 };
let state = seed >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const lat = {};
const statuses = {};
const errorSamples = [];
const answers = {};
let errors = 0, events = 0, duplicates = 0, callsStarted = 0, callsDone = 0, overflowed = 0, dupMismatch = 0;
const timeline = [];
const sign = (ts, body) => 'v1=' + createHmac('sha256', secret).update(ts + '.').update(body).digest('hex');
async function post(kind, body, headers) {
  const h = headers || (() => {
    const ts = String(Math.floor(Date.now() / 1000));
    return { 'content-type': 'application/json', 'x-kefu-timestamp': ts, 'x-kefu-signature': sign(ts, body) };
  })();
  const t = performance.now();
  let status = 0, text = '';
  try {
    const res = await fetch(url, { method: 'POST', headers: h, body });
    status = res.status;
    text = await res.text();
  } catch (e) {
    text = String(e && e.cause ? e.message + ': ' + e.cause : e);
  }
  const ms = performance.now() - t;
  (lat[kind] || (lat[kind] = [])).push(ms);
  const s = statuses[kind] || (statuses[kind] = {});
  s[status] = (s[status] || 0) + 1;
  events++;
  if (kind.startsWith('dup:')) duplicates++;
  if (kind === 'offered') timeline.push([t, ms]);
  if (status !== 200) {
    errors++;
    if (errorSamples.length < 20) errorSamples.push({ kind, status, body: text.slice(0, 800), request: body.slice(0, 400) });
    return { ok: false, headers: h, json: null };
  }
  return { ok: true, headers: h, json: JSON.parse(text) };
}
async function oneCall(i) {
  callsStarted++;
  const callId = prefix + i;
  const t0 = atBase + (i % 40000) * 0.05;
  const caller = rnd() < unknownShare ? '19' + String(Math.floor(rnd() * 1e9)).padStart(9, '0') : phones[Math.floor(rnd() * phones.length)];
  const dupType = TYPES[i % TYPES.length];
  const ev = (type, extra) => JSON.stringify(Object.assign({ eventId: callId + ':' + type, callId, type, at: Math.round((t0 + AT[type]) * 1000) / 1000 }, extra || {}));
  const step = async (type, extra) => {
    const body = ev(type, extra);
    const r = await post(type, body);
    if (r.ok && dupType === type) {
      const d = await post('dup:' + type, body, r.headers);
      if (d.ok && type === 'offered' && (d.json.action !== r.json.action || d.json.extension !== r.json.extension || d.json.queueId !== r.json.queueId)) dupMismatch++;
    }
    return r;
  };
  const o = await step('offered', { caller, called: '95598' });
  if (!o.ok) return;
  const action = String(o.json.action);
  answers[action] = (answers[action] || 0) + 1;
  if (action === 'overflow') {
    overflowed++;
    const e = await step('ended', { reason: 'timeout', overflowAction: o.json.overflowAction || 'leave_message' });
    if (e.ok) callsDone++;
    return;
  }
  const ext = action === 'agent' ? o.json.extension : extensions[Math.floor(rnd() * extensions.length)];
  if (!(await step('answered', { agentExtension: ext })).ok) return;
  if (!(await step('held')).ok) return;
  if (!(await step('resumed')).ok) return;
  if ((await step('ended', { reason: 'agent_hangup' })).ok) callsDone++;
}
(async () => {
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  async function client() {
    for (;;) {
      const i = next++;
      if (i >= maxCalls || performance.now() > deadline) return;
      await oneCall(i);
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedMs = performance.now() - t0;
  // offered latency over the level, in fifths (does the cost drift as calls pile up?)
  const fifths = [0, 1, 2, 3, 4].map((k) => {
    const xs = timeline.filter(([t]) => t - t0 >= (k * maxMs) / 5 && t - t0 < ((k + 1) * maxMs) / 5).map(([, ms]) => ms).sort((a, b) => a - b);
    return xs.length ? xs[Math.floor(xs.length / 2)] : null;
  });
  parentPort.postMessage({ lat, statuses, errors, errorSamples, answers, events, duplicates, callsStarted, callsDone, overflowed, dupMismatch, elapsedMs, offeredP50ByFifth: fifths });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

type WorkerMessage = {
  lat: Record<string, number[]>;
  statuses: Record<string, Record<string, number>>;
  errors: number;
  errorSamples: { kind: string; status: number; body: string; request: string }[];
  answers: Record<string, number>;
  events: number;
  duplicates: number;
  callsStarted: number;
  callsDone: number;
  overflowed: number;
  dupMismatch: number;
  elapsedMs: number;
  offeredP50ByFifth: (number | null)[];
  fatal?: string;
};

type Lat = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };
const figures = (xs: number[]): Lat => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? Number.NaN),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL sessions of the bench database, sampled: who waits on a lock, and on which.

type LockSampler = { stop: () => Promise<LockFigures> };
type LockFigures = {
  samples: number;
  /** Share of samples in which at least one backend waited on a heavyweight lock. */
  samplesWithLockWait: number;
  /** Sessions in a statement or an open transaction. */
  meanActive: number;
  meanLockWaiting: number;
  maxLockWaiting: number;
  /** wait_event_type:wait_event of active sessions ('CPU' when none), or 'idle in transaction' → session-samples. */
  waits: Record<string, number>;
  /** The statements seen waiting on a lock (first 160 characters) → backend-samples. */
  lockedStatements: Record<string, number>;
};

async function startLockSampler(url: string, datname: string): Promise<LockSampler> {
  const client = new pg.Client({ connectionString: url });
  ownClients.add(client);
  client.on('error', () => {});
  await client.connect();
  const f: LockFigures = { samples: 0, samplesWithLockWait: 0, meanActive: 0, meanLockWaiting: 0, maxLockWaiting: 0, waits: {}, lockedStatements: {} };
  let active = 0;
  let waiting = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      const { rows } = await client.query<{ state: string; wt: string | null; we: string | null; q: string }>(
        `select state, wait_event_type as wt, wait_event as we, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as q
           from pg_stat_activity where datname = $1 and state in ('active', 'idle in transaction') and pid <> pg_backend_pid()`,
        [datname],
      );
      f.samples++;
      active += rows.length;
      const locked = rows.filter((r) => r.wt === 'Lock');
      waiting += locked.length;
      if (locked.length > 0) f.samplesWithLockWait++;
      f.maxLockWaiting = Math.max(f.maxLockWaiting, locked.length);
      for (const r of rows) {
        const k = r.state !== 'active' ? 'idle in transaction' : r.wt ? `${r.wt}:${r.we}` : 'CPU';
        f.waits[k] = (f.waits[k] ?? 0) + 1;
      }
      for (const r of locked) f.lockedStatements[r.q] = (f.lockedStatements[r.q] ?? 0) + 1;
      const rest = SAMPLE_MS - (performance.now() - t);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      f.meanActive = round(active / Math.max(1, f.samples));
      f.meanLockWaiting = round(waiting / Math.max(1, f.samples));
      f.samplesWithLockWait = round(f.samplesWithLockWait / Math.max(1, f.samples), 3);
      return f;
    },
  };
}

/** Busy CPU of the whole machine (all processes), from /proc/stat; null off Linux. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

type LevelResult = {
  clients: number;
  seconds: number;
  calls: number;
  callsCompleted: number;
  callsPerSecond: number;
  events: number;
  duplicates: number;
  eventsPerSecond: number;
  errors: number;
  statuses: Record<string, Record<string, number>>;
  errorSamples: WorkerMessage['errorSamples'];
  routingAnswers: Record<string, number>;
  overflowed: number;
  duplicateAnswerMismatches: number;
  latency: Record<string, Lat>;
  offeredP50ByFifth: (number | null)[];
  serverEventLoopUtilization: number;
  nodeCpuCores: number;
  machineCpuCores: number | null;
  loadAvg: number[];
  pool: { acquiresPerEvent: number; meanAcquireWaitMs: number; acquiresOver1ms: number; queriesPerEvent: number; dbMsPerEvent: number } | null;
  locks: LockFigures | null;
  /** Contacts counting against agents' capacity (offered / active / on hold / wrap-up) when the level started. */
  loadContactsAtStart: number;
  check: { contacts: Record<string, number>; timingOk: number; storedEvents: number; expectedEvents: number };
};

let levelSeq = 0;

async function runLevel(c: Center, clients: number, seconds: number, max: number, lockDb: { url: string; name: string } | null): Promise<LevelResult> {
  const prefix = `L${++levelSeq}c${clients}-`;
  const loadContactsAtStart = Number(
    (await sql<{ n: number }>`select count(*)::int as n from contacts where brand_id = ${c.brandId} and status in ('offered','active','on_hold','wrap_up')`.execute(c.database.db)).rows[0]?.n,
  );
  const sampler = lockDb ? await startLockSampler(lockDb.url, lockDb.name) : null;
  dbMs = 0;
  dbQueries = 0;
  acquireMs = 0;
  acquires = 0;
  acquiresOver1ms = 0;
  timing = true;
  const elu0 = nodePerformance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const msg = await new Promise<WorkerMessage>((resolve, reject) => {
    const w = new Worker(WORKER, {
      eval: true,
      workerData: {
        base: c.server.base,
        channelId: c.channelId,
        secret: c.secret,
        phones: c.phones,
        extensions: c.onlineExtensions,
        clients,
        maxCalls: max,
        maxMs: seconds * 1000,
        prefix,
        atBase: Date.now() / 1000 - 3600,
        seed: 95598 + levelSeq,
        unknownShare: 0.3,
      },
    });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
  timing = false;
  const m1 = machineCpu();
  const elu = nodePerformance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const locks = sampler ? await sampler.stop() : null;
  if (msg.fatal) throw new Error(msg.fatal);
  const secs = msg.elapsedMs / 1000;
  const latency: Record<string, Lat> = {};
  for (const t of EVENT_TYPES) latency[t] = figures(msg.lat[t] ?? []);
  const dupAll = Object.entries(msg.lat)
    .filter(([k]) => k.startsWith('dup:'))
    .flatMap(([, v]) => v);
  latency['duplicate (any type)'] = figures(dupAll);
  for (const t of EVENT_TYPES) latency[`duplicate ${t}`] = figures(msg.lat[`dup:${t}`] ?? []);
  latency['all events'] = figures(Object.values(msg.lat).flat());

  // What the calls left behind: one contact each, in wrap-up with the PBX's times.
  const contacts = (
    await sql<{ status: string | null; n: number; timing_ok: number }>`
      select c.status, count(*)::int as n, count(*) filter (where c.hold_ms = 30000 and c.talk_ms = 105000)::int as timing_ok
        from cti_calls k left join contacts c on c.id = k.contact_id
       where k.channel_id = ${c.channelId} and k.call_id like ${`${prefix}%`} group by 1`.execute(c.database.db)
  ).rows;
  const storedEvents = Number(
    (await sql<{ n: number }>`select count(*)::int as n from cti_call_events where channel_id = ${c.channelId} and call_id like ${`${prefix}%`}`.execute(c.database.db)).rows[0]?.n,
  );
  const distinctPosted = msg.events - msg.duplicates - msg.errors;
  const routed = Object.entries(msg.answers).reduce((a, [k, v]) => a + (k === 'agent' || k === 'queue' || k === 'overflow' ? v : 0), 0);
  return {
    clients,
    seconds: round(secs, 1),
    calls: msg.callsStarted,
    callsCompleted: msg.callsDone,
    callsPerSecond: round(msg.callsDone / secs, 1),
    events: msg.events,
    duplicates: msg.duplicates,
    eventsPerSecond: round(msg.events / secs, 1),
    errors: msg.errors,
    statuses: msg.statuses,
    errorSamples: msg.errorSamples,
    routingAnswers: msg.answers,
    overflowed: msg.overflowed,
    duplicateAnswerMismatches: msg.dupMismatch,
    latency,
    offeredP50ByFifth: msg.offeredP50ByFifth.map((x) => (x === null ? null : round(x))),
    serverEventLoopUtilization: round(elu),
    nodeCpuCores: round((cpu.user + cpu.system) / 1000 / msg.elapsedMs),
    machineCpuCores: m0 && m1 ? round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * os.cpus().length) : null,
    loadAvg: load(),
    pool:
      c.database.kind === 'postgres'
        ? {
            acquiresPerEvent: round(acquires / Math.max(1, msg.events), 1),
            meanAcquireWaitMs: round(acquireMs / Math.max(1, acquires), 3),
            acquiresOver1ms,
            queriesPerEvent: round(dbQueries / Math.max(1, msg.events), 1),
            dbMsPerEvent: round(dbMs / Math.max(1, msg.events), 2),
          }
        : null,
    locks,
    loadContactsAtStart,
    check: {
      contacts: Object.fromEntries(contacts.map((r) => [r.status ?? '(none)', r.n])),
      timingOk: contacts.reduce((a, r) => a + r.timing_ok, 0),
      storedEvents,
      // every distinct event the PBX posted, plus Kefu's own queued event per routed offered
      expectedEvents: distinctPosted + routed,
    },
  };
}

function printLevel(r: LevelResult) {
  const l = r.latency;
  const f = (x: Lat | undefined) => (x?.n ? `${x.p50}/${x.p90}/${x.p99}` : '–');
  progress(
    `  ${r.clients} conn: ${r.callsCompleted} calls (${r.callsPerSecond}/s), ${r.events} events (${r.eventsPerSecond}/s), ${r.errors} errors; answers ${JSON.stringify(r.routingAnswers)}; server loop ${Math.round(r.serverEventLoopUtilization * 100)}% busy, node ${r.nodeCpuCores} cores, machine ${r.machineCpuCores ?? '–'} cores`,
  );
  progress(`    p50/p90/p99 ms: offered ${f(l.offered)}  answered ${f(l.answered)}  held ${f(l.held)}  resumed ${f(l.resumed)}  ended ${f(l.ended)}  duplicate ${f(l['duplicate (any type)'])}`);
  if (r.pool) progress(`    pool: ${r.pool.acquiresPerEvent} acquires/event, mean wait ${r.pool.meanAcquireWaitMs} ms; ${r.pool.queriesPerEvent} queries/event, ${r.pool.dbMsPerEvent} ms in queries/event`);
  if (r.locks) progress(`    locks: ${Math.round(r.locks.samplesWithLockWait * 100)}% of samples with a lock waiter, mean ${r.locks.meanLockWaiting} waiting of ${r.locks.meanActive} busy`);
  progress(`    check: contacts ${JSON.stringify(r.check.contacts)}, times ok ${r.check.timingOk}, events stored ${r.check.storedEvents} (expected ${r.check.expectedEvents})`);
  for (const e of r.errorSamples.slice(0, 5)) progress(`    ! ${e.kind} → ${e.status} ${e.body}`);
}

// ---------------------------------------------------------------------------------------------
// Optional CPU profile of the server thread (top self time), as bench/ticket-intake.ts.

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };

async function startProfile(): Promise<() => Promise<{ fn: string; selfPct: number }[]>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile: p } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[] } };
    session.disconnect();
    const byNode = new Map(p.nodes.map((nd) => [nd.id, nd]));
    const self = new Map<string, number>();
    let total = 0;
    for (const id of p.samples) {
      const nd = byNode.get(id);
      if (!nd || nd.callFrame.functionName === '(idle)') continue;
      total++;
      const where = nd.callFrame.url
        ? `${nd.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${nd.callFrame.lineNumber + 1}`
        : '';
      const key = `${nd.callFrame.functionName || '(anonymous)'} ${where}`.trim();
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    const area = new Map<string, number>();
    for (const [key, k] of self) {
      const m = /(?:^| )(@?[\w.-]+(?:\/[\w.-]+)?)\/|(apps\/server\/src\/[\w-]+(?:\/[\w-]+)?|packages\/[\w-]+)/.exec(key);
      const a = key.startsWith('(garbage collector)') ? 'GC' : key.startsWith('(program)') ? '(program)' : m ? (m[2] ?? m[1] ?? 'other') : 'node internals / native';
      area.set(a, (area.get(a) ?? 0) + k);
    }
    const pct = (k: number) => round((k / Math.max(1, total)) * 100, 1);
    const areas = [...area.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([fn, k]) => ({ fn: `[area] ${fn}`, selfPct: pct(k) }));
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([fn, k]) => ({ fn, selfPct: pct(k) }));
    console.log('  CPU profile of the server thread, top self time:');
    for (const t of [...areas, ...top]) console.log(`    ${String(t.selfPct).padStart(5)}%  ${t.fn}`);
    return [...areas, ...top];
  };
}

// ---------------------------------------------------------------------------------------------

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { platform: `${process.platform} ${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  params: { clientLevels, loadSeconds, maxCalls, customerCount, contactCount, ticketCount: ticketCount ?? 'seed default', onlineAgents, eventOffsetsSeconds: AT, unknownCallerShare: 0.3 },
  loadAvgStart: load(),
};
progress(`cti-events bench; load average ${load().join(' ')} on ${os.cpus().length} cores`);

// ---- PostgreSQL ----------------------------------------------------------------------------------
const admin = new pg.Client({ connectionString: PG_URL });
ownClients.add(admin);
admin.on('error', (e) => console.warn('admin connection:', e.message));
await admin.connect();
const settings: Record<string, string> = {};
for (const s of ['server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'max_connections']) settings[s] = (await admin.query(`show ${s}`)).rows[0][s];
results.postgresSettings = settings;
await admin.query(`drop database if exists ${DB_NAME} with (force)`);
await admin.query(`create database ${DB_NAME}`);
const dbUrl = new URL(PG_URL);
dbUrl.pathname = `/${DB_NAME}`;
const pgResults: Record<string, unknown> = {};
results.postgres = pgResults;
let pgDatabase: Database | undefined;
let pgCenter: Center | undefined;
let failure: unknown = null;
let closing = false;
try {
  pgDatabase = await openDatabase({ kind: 'postgres', url: dbUrl.toString(), onIdleError: (e) => {
      if (!closing) console.warn('idle pg connection:', e.message);
    },
  });
  progress(`PostgreSQL ${settings.server_version}: seeding ${customerCount.toLocaleString('en')} customers, ${contactCount.toLocaleString('en')} contacts`);
  pgCenter = await prepare(pgDatabase, customerCount, contactCount, ticketCount);
  const c = pgCenter;
  pgResults.seedSeconds = c.seedSeconds;
  pgResults.seeded = c.seeded;
  pgResults.poolSize = 10;
  progress(`  seeded in ${c.seedSeconds} s (${JSON.stringify(c.seeded)}); CTI channel ${c.channelId}, ${c.onlineExtensions.length} agents online, ${c.phones.length} caller phones`);

  const sqlFigures = await sqlPerEvent(c);
  pgResults.sqlPerEvent = sqlFigures.perType;
  pgResults.sqlRunRoutingAnswers = sqlFigures.answers;
  progress(`  SQL round trips per event: ${Object.entries(sqlFigures.perType).map(([k, v]) => `${k} ${v.queries} (${v.transactions} tx)`).join(', ')}; answers ${JSON.stringify(sqlFigures.answers)}`);

  progress('warm-up: 2 connections, 3 s');
  const warm = await runLevel(c, 2, 3, 200, null);
  if (warm.errors) progress(`  warm-up errors: ${JSON.stringify(warm.errorSamples.slice(0, 3))}`);
  pgResults.warmup = { calls: warm.callsCompleted, errors: warm.errors, errorSamples: warm.errorSamples };

  const levels: LevelResult[] = [];
  for (const clients of clientLevels) {
    progress(`${clients} PBX connection(s), ${loadSeconds} s (load avg ${load().join(' ')})`);
    const r = await runLevel(c, clients, loadSeconds, maxCalls, { url: dbUrl.toString(), name: DB_NAME });
    levels.push(r);
    printLevel(r);
  }
  pgResults.levels = levels;

  if (profile) {
    progress('profile: 8 connections, 8 s (extra pass, not in the figures above)');
    const stop = await startProfile();
    await runLevel(c, 8, 8, maxCalls, null);
    pgResults.profile = await stop();
  }
  const sizes = await sql<{ t: string; mb: number; rows: number }>`
    select relname as t, round(pg_total_relation_size(relid) / 1048576.0, 1)::float8 as mb, n_live_tup::int as rows
      from pg_stat_user_tables where relname in ('cti_call_events','cti_calls','contacts','contact_events') order by 1`.execute(c.database.db);
  pgResults.tablesAfter = sizes.rows;
} catch (e) {
  failure = e;
  console.error(e);
} finally {
  closing = true;
  if (pgCenter) await pgCenter.server.app.close().catch((e) => console.warn('app close:', e.message));
  if (pgDatabase) await pgDatabase.close().catch((e) => console.warn('db close:', e.message));
  if (keep) progress(`kept ${dbUrl.toString()}`);
  else await admin.query(`drop database if exists ${DB_NAME} with (force)`).catch((e) => console.warn('drop database:', e.message));
  await admin.end().catch(() => {});
}
if (failure) process.exit(1);

// ---- PGlite (embedded), a smaller center ---------------------------------------------------------
if (withPglite) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-cti-'));
  const pgl: Record<string, unknown> = {};
  results.pglite = pgl;
  let database: Database | undefined;
  let center: Center | undefined;
  try {
    database = await openDatabase({ kind: 'pglite', dataDir: dir });
    progress('PGlite: seeding 1,000 customers, 600 contacts, 2,000 orders');
    center = await prepare(database, 1000, 600, 2000);
    pgl.seedSeconds = center.seedSeconds;
    pgl.seeded = center.seeded;
    await runLevel(center, 2, 3, 100, null);
    const levels: LevelResult[] = [];
    for (const clients of clientLevels) {
      progress(`PGlite: ${clients} PBX connection(s), ${loadSeconds} s`);
      const r = await runLevel(center, clients, loadSeconds, maxCalls, null);
      levels.push(r);
      printLevel(r);
    }
    pgl.levels = levels;
  } finally {
    if (center) await center.server.app.close().catch((e) => console.warn('app close:', e.message));
    if (database) await database.close().catch((e) => console.warn('db close:', e.message));
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Report ----------------------------------------------------------------------------------------
results.loadAvgEnd = load();
results.totalSeconds = round((performance.now() - started) / 1000, 0);

const P = results.postgres as { seedSeconds: number; seeded: Record<string, number>; sqlPerEvent: SqlFigures; sqlRunRoutingAnswers: Record<string, number>; levels: LevelResult[]; profile?: { fn: string; selfPct: number }[]; tablesAfter: { t: string; mb: number; rows: number }[] };
const G = results.pglite as { seedSeconds: number; levels: LevelResult[] } | undefined;
const ROWS = ['offered', 'answered', 'held', 'resumed', 'ended', 'duplicate (any type)', 'duplicate offered', 'all events'];
const throughputTable = (levels: LevelResult[]) => [
  '| PBX connections | calls | calls/s | events | events/s | errors (non-2xx) | routing answers | server event loop busy | node CPU (cores) | machine CPU (cores) | load avg 1 min |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ...levels.map(
    (r) =>
      `| ${r.clients} | ${r.callsCompleted} | ${r.callsPerSecond} | ${r.events} | ${r.eventsPerSecond} | ${r.errors} | ${Object.entries(r.routingAnswers)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} | ${Math.round(r.serverEventLoopUtilization * 100)}% | ${r.nodeCpuCores} | ${r.machineCpuCores ?? '–'} | ${r.loadAvg[0]} |`,
  ),
];
const latencyTable = (levels: LevelResult[]) => [
  '| PBX connections | event | n | p50 | p90 | p99 | max | mean |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...levels.flatMap((r) =>
    ROWS.map((k) => {
      const f = r.latency[k];
      return f?.n ? `| ${r.clients} | ${k} | ${f.n} | ${f.p50} | ${f.p90} | ${f.p99} | ${f.max} | ${f.mean} |` : `| ${r.clients} | ${k} | 0 | – | – | – | – | – |`;
    }),
  ),
];
const errorLines = (levels: LevelResult[]) => {
  const bad = levels.filter((r) => r.errors > 0 || r.duplicateAnswerMismatches > 0);
  if (bad.length === 0) return ['Every request answered 200; every replayed `offered` answered what the original did.'];
  return bad.flatMap((r) => [
    `- ${r.clients} connection(s): ${r.errors} non-2xx (statuses per type ${JSON.stringify(r.statuses)}), ${r.duplicateAnswerMismatches} replayed offered answered differently. Samples:`,
    ...r.errorSamples.slice(0, 6).map((e) => `  - \`${e.kind}\` → ${e.status}: \`${e.body.replaceAll('`', "'")}\` (request \`${e.request.replaceAll('`', "'")}\`)`),
  ]);
};
const md = [
  '# CTI call events (PBX → Kefu)',
  '',
  `${String(results.date).slice(0, 10)} · ${(results.machine as { platform: string }).platform}, ${os.cpus().length} cores (${(results.machine as { cpuModel: string }).cpuModel}), ${(results.machine as { memGb: number }).memGb} GB, Node ${process.version} · PostgreSQL ${settings.server_version} (shared_buffers ${settings.shared_buffers}, synchronous_commit ${settings.synchronous_commit}, fsync ${settings.fsync}) on the same machine.`,
  `Load average (1/5/15 min) at start ${(results.loadAvgStart as number[]).join(' / ')}, at end ${(results.loadAvgEnd as number[]).join(' / ')}. Whole run ${results.totalSeconds} s.`,
  '',
  `A PBX posts signed call events to \`POST /channels/cti/:channelId\` over real HTTP (the server listens on a local port; keep-alive \`fetch\` from a worker thread of the same process, one call after another per simulated PBX connection). Demo center: ${P.seeded.customers.toLocaleString('en')} customers, ${P.seeded.contacts.toLocaleString('en')} contacts, ${P.seeded.tickets.toLocaleString('en')} orders (seeded in ${P.seedSeconds} s); one CTI channel created through the admin API with extensions for agent, agent02 … agent30; ${onlineAgents} of them online (their own sessions, \`PUT /api/v1/agent/presence\`); pg pool of 10 (the default).`,
  '',
  `Each call: \`offered\` (a demo customer's phone, a random mobile number 30% of the time) → \`answered\` by the extension the routing answer named, or by a random online agent's when the answer was \`queue\` → \`held\` → \`resumed\` → \`ended\` (\`agent_hangup\`), at +0/+15/+60/+90/+150 s of PBX time (calls start 1 h in the past, 0.05 s apart), plus one duplicate per call: the very same signed request again right after the original (the replayed type cycles through the five). So 6 requests per call; events/s counts all of them. Calls are not wrapped up, so after an agent's first call they stay in wrap-up and count against the call capacity of 1: most \`offered\` events answer \`queue\` (the routing pass still runs in full). Each level runs ${loadSeconds} s. Latencies in ms.`,
  '',
  '## Throughput, PostgreSQL',
  '',
  ...throughputTable(P.levels),
  '',
  '## Latency per event type, PostgreSQL',
  '',
  ...latencyTable(P.levels),
  '',
  '## Where the time goes, PostgreSQL',
  '',
  `SQL round trips per event as the server's pool sent them (BEGIN/COMMIT included; ${SQL_CALLS} calls posted one event at a time, routing answers ${JSON.stringify(P.sqlRunRoutingAnswers)}):`,
  '',
  '| event | queries | transactions |',
  '| --- | ---: | ---: |',
  ...Object.entries(P.sqlPerEvent).map(([k, v]) => `| ${k} | ${v.queries} | ${v.transactions} |`),
  '',
  `Under load, per level: the pool (connections acquired per event, mean wait for one; queries per event and their summed wall time as the pg client saw it, including time in PostgreSQL lock waits and in the server's busy event loop); PostgreSQL sessions of the bench database sampled every ${SAMPLE_MS} ms (share of samples with a session waiting on a lock; mean sessions waiting on a lock / busy, i.e. in a statement or an open transaction); offered p50 in each fifth of the level (drift as contacts pile up); contacts counting against agent capacity at the level's start.`,
  '',
  '| PBX connections | pool acquires/event | mean acquire wait | queries/event | ms in queries/event | samples with a lock waiter | lock-waiting / busy sessions | main waits | offered p50 by fifth | load contacts at start |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
  ...P.levels.map((r) => {
    const w = r.locks
      ? Object.entries(r.locks.waits)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([k, v]) => `${k} ${Math.round((v / Math.max(1, r.locks?.samples ?? 1)) * 10) / 10}`)
          .join(', ')
      : '–';
    return `| ${r.clients} | ${r.pool?.acquiresPerEvent ?? '–'} | ${r.pool?.meanAcquireWaitMs ?? '–'} ms | ${r.pool?.queriesPerEvent ?? '–'} | ${r.pool?.dbMsPerEvent ?? '–'} | ${r.locks ? `${Math.round(r.locks.samplesWithLockWait * 100)}%` : '–'} | ${r.locks ? `${r.locks.meanLockWaiting} / ${r.locks.meanActive}` : '–'} | ${w} | ${r.offeredP50ByFifth.join(' / ')} | ${r.loadContactsAtStart} |`;
  }),
  '',
  '"main waits": sessions per sample by what they were doing: `CPU` = running a statement, `idle in transaction` = an open transaction waiting for the server\'s next statement (its locks still held), `Lock:transactionid` / `Lock:tuple` = waiting for a row lock another transaction holds, `IO:WALSync` = commit flushing WAL.',
  ...(P.levels.some((r) => r.locks && Object.keys(r.locks.lockedStatements).length)
    ? [
        '',
        'Statements seen waiting on a lock (session-samples):',
        '',
        ...P.levels.flatMap((r) =>
          Object.entries(r.locks?.lockedStatements ?? {})
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([q, k]) => `- ${r.clients} connection(s), ${k}×: \`${q.replaceAll('`', "'")}\``),
        ),
      ]
    : []),
  ...(P.profile
    ? ['', 'CPU profile of the server thread (extra 8-connection pass, 8 s), self time:', '', ...P.profile.map((t) => `- ${t.selfPct}% ${t.fn}`)]
    : []),
  '',
  '## Checks and errors',
  '',
  ...errorLines(P.levels),
  '',
  'After each level, the calls it posted (PostgreSQL):',
  '',
  '| PBX connections | contacts by status | hold 30 s and talk 105 s | events stored | expected (distinct posted + Kefu\'s queued) |',
  '| ---: | --- | ---: | ---: | ---: |',
  ...P.levels.map((r) => `| ${r.clients} | ${Object.entries(r.check.contacts).map(([k, v]) => `${k} ${v}`).join(', ')} | ${r.check.timingOk} | ${r.check.storedEvents} | ${r.check.expectedEvents} |`),
  '',
  `Tables after the run: ${P.tablesAfter.map((t) => `${t.t} ${t.rows.toLocaleString('en')} rows, ${t.mb} MB`).join('; ')}.`,
  ...(G
    ? [
        '',
        `## PGlite (embedded), 1,000 customers, 600 contacts, 2,000 orders (seeded in ${G.seedSeconds} s)`,
        '',
        ...throughputTable(G.levels),
        '',
        ...latencyTable(G.levels),
        '',
        ...errorLines(G.levels),
      ]
    : []),
].join('\n');
writeResults('cti-events', results, md);
console.log(`\n${md}`);
process.exit(0);
