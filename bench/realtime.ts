// Live chat at scale on ONE server process (buildApp + listen, background jobs on), PostgreSQL:
//   1. setup through the API where it matters: a queue without required skills and a webchat
//      channel (admin), N agents inserted by SQL (online, chat capacity 3) and signed in through
//      POST /auth/login, M visitors through POST /widget/sessions;
//   2. every socket connected (agents with the session cookie, visitors with ?visitorToken=), every
//      visitor starts a chat, agents accept their offers as they ring over the socket: connect time,
//      time-to-offer, time until all accepted;
//   3. steady two-way messaging over the sockets (message.send with clientMsgId, the holding agent
//      answers every customer message): end-to-end latency both ways, delivered messages/s, the
//      server's CPU and memory. The load generators run in worker threads (their own event loops);
//      the server owns the main thread;
//   4. routing decisions per second with 5,000 agents online: (a) the pure routeQueue/chooseAgent of
//      @kefu/domain, (b) the engine's routeBrand pass on PostgreSQL.
//   npx tsx bench/realtime.ts [--visitors 1500] [--agents 500] [--seconds 20] [--rate 0.5] [--workers 4]
//        [--start-concurrency 32] [--route-agents 5000] [--route-waiting 200] [--domain-waiting 1000]
//        [--passes 5] [--connect-concurrency 64] [--drain 120] [--start-timeout 900] [--timeout 1800]
//        [--profile yes] [--keep yes]
//   --rate takes a comma list (e.g. 0.1,0.5): one steady round per rate, in order.
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance as nodePerformance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import { CALENDAR_24X7, chooseAgent, type RoutableContact, type RoutingCandidate, type RoutingOptions, routeQueue } from '@kefu/domain';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.ts';
import { hashPassword } from '../apps/server/src/platform/passwords.ts';
import { bootstrapInstallation } from '../apps/server/src/seed/index.ts';
import { TEST_CONFIG } from '../apps/server/src/testing/test-app.ts';
import { percentile, writeResults } from './lib.ts';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const num = (name: string, dflt: number) => {
  const v = args.get(name);
  const n = v === undefined || v === '' ? dflt : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return n;
};
const VISITORS = Math.round(num('--visitors', 1500));
const AGENTS = Math.round(num('--agents', 500));
const SECONDS = num('--seconds', 20);
/** Messages per second per visitor; a comma list runs one steady round per rate, in order. */
const RATES = (args.get('--rate') || '0.5').split(',').map((x) => {
  const n = Number(x);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--rate must be positive numbers, got ${x}`);
  return n;
});
const WORKERS = Math.round(num('--workers', 4));
const START_CONCURRENCY = Math.round(num('--start-concurrency', 32));
const CONNECT_CONCURRENCY = Math.round(num('--connect-concurrency', 64));
const ROUTE_AGENTS = Math.round(num('--route-agents', 5000));
const ROUTE_WAITING = Math.round(num('--route-waiting', 200));
const DOMAIN_WAITING = Math.round(num('--domain-waiting', 1000));
const PASSES = Math.round(num('--passes', 5));
const keep = args.get('--keep') === 'yes';
/** CPU-profile the server's thread during the last steady round and one routeBrand offer pass (slows both). */
const profile = args.get('--profile') === 'yes';
const CHAT_CAPACITY = 3;
const DRAIN_MS = num('--drain', 120) * 1000;
const START_TIMEOUT_MS = num('--start-timeout', 900) * 1000;
/** The whole run is abandoned (scratch database dropped) after this long. */
const WATCHDOG_MS = num('--timeout', 1800) * 1000;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'kefu_bench_realtime';
const PASSWORD = 'Bench-Realtime-2026!';
const HERE = fileURLToPath(import.meta.url);

const started = performance.now();
const progress = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
/** Monotonic milliseconds shared by every thread of the process (CLOCK_MONOTONIC). */
const hr = () => {
  const t = process.hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
};

type SteadyDirection = { sent: number; delivered: number; undelivered: number; latencyMs: Dist; ackMs: Dist };
type SteadyRound = {
  rate: number;
  seconds: number;
  activeVisitors: number;
  drained: boolean;
  customerToAgent: SteadyDirection;
  agentToCustomer: SteadyDirection;
  roundTripMs: Dist;
  deliveredPerSecond: number;
  deliverySpanSeconds: number;
  offeredPerSecond: number;
  lateSends: number;
  errors: Record<string, number>;
  workerEventLoopUtilization: number[];
  sqlRoundTrips: number;
  sqlRoundTripsPerMessage: number;
  serverMainThreadCpuMsPerMessage: number;
  postgresCpuMsPerMessage: number;
  cpu: ReturnType<typeof cpuSince>;
  memory: { rssMbStart: number; rssMbPeak: number; rssMbEnd: number; mainHeapMbPeak: number };
  loadAvg: number[];
};
type Dist = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };
function dist(xs: number[]): Dist {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p90: round(percentile(s, 90)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? Number.NaN),
    mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}
const median = (xs: number[]) => dist(xs).p50;

// ---------------------------------------------------------------------------------------------
// SQL round trips of the server's pool (this process's pg clients; the workers use no pg).
let queryCount = 0;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  queryCount++;
  return (originalQuery as (...x: unknown[]) => unknown).apply(this, a);
} as typeof pg.Client.prototype.query;

// ---------------------------------------------------------------------------------------------
// CPU from /proc: the server's main thread alone, the whole process, and the PostgreSQL backends.
const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function statTicks(file: string): number {
  try {
    const s = readFileSync(file, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // utime + stime
  } catch {
    return 0;
  }
}
/** CPU seconds of the server's main thread (its tid is the pid). */
const mainThreadCpu = () => statTicks(`/proc/self/task/${process.pid}/stat`) / CLK_TCK;
/** CPU seconds of each PostgreSQL process, and whether it serves the scratch database. */
function postgresCpu(): Map<string, { t: number; ours: boolean }> {
  const out = new Map<string, { t: number; ours: boolean }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres')) continue;
    out.set(pid, { t: statTicks(`/proc/${pid}/stat`) / CLK_TCK, ours: cmd.includes(DB_NAME) });
  }
  return out;
}
/** PostgreSQL CPU seconds since `before` (processes that exited in between are not counted). */
function postgresCpuSince(before: Map<string, { t: number; ours: boolean }>): { ours: number; all: number } {
  let ours = 0;
  let all = 0;
  for (const [pid, p] of postgresCpu()) {
    const d = Math.max(0, p.t - (before.get(pid)?.t ?? 0));
    all += d;
    if (p.ours) ours += d;
  }
  return { ours, all };
}

type CpuMark = { t: number; proc: NodeJS.CpuUsage; main: number; pg: Map<string, { t: number; ours: boolean }>; elu: ReturnType<typeof nodePerformance.eventLoopUtilization> };
const cpuMark = (): CpuMark => ({ t: hr(), proc: process.cpuUsage(), main: mainThreadCpu(), pg: postgresCpu(), elu: nodePerformance.eventLoopUtilization() });
/** Cores used between two marks (CPU seconds per wall second). */
function cpuSince(m: CpuMark) {
  const wall = (hr() - m.t) / 1000;
  const proc = process.cpuUsage(m.proc);
  const pgUsed = postgresCpuSince(m.pg);
  const mainUsed = mainThreadCpu() - m.main;
  return {
    seconds: round(wall, 1),
    serverMainThreadCpuSeconds: round(mainUsed, 2),
    postgresCpuSeconds: round(pgUsed.ours, 2),
    serverMainThreadCores: round(mainUsed / wall),
    serverEventLoopUtilization: round(nodePerformance.eventLoopUtilization(m.elu).utilization),
    processCores: round((proc.user + proc.system) / 1e6 / wall),
    postgresCores: round(pgUsed.ours / wall),
    postgresAllCores: round(pgUsed.all / wall),
  };
}

/** RSS / heap samples of the process every 250 ms while running. */
function memorySampler() {
  const rss: number[] = [];
  const heap: number[] = [];
  const take = () => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  };
  take();
  const timer = setInterval(take, 250);
  return () => {
    clearInterval(timer);
    take();
    const mb = (b: number) => Math.round(b / 2 ** 20);
    return { rssMbStart: mb(rss[0] as number), rssMbPeak: mb(Math.max(...rss)), rssMbEnd: mb(rss.at(-1) as number), mainHeapMbPeak: mb(Math.max(...heap)) };
  };
}

// ---------------------------------------------------------------------------------------------
// V8 CPU profile of this (the server's) thread: self time by function and by area.

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type ProfileLine = { fn: string; selfPct: number };

async function startProfile(): Promise<() => Promise<ProfileLine[]>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
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
      const where = nd.callFrame.url ? `${nd.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${nd.callFrame.lineNumber + 1}` : '';
      const key = `${nd.callFrame.functionName || '(anonymous)'} ${where}`.trim();
      self.set(key, (self.get(key) ?? 0) + 1);
    }
    const pct = (k: number) => round((k / Math.max(1, total)) * 100, 1);
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([fn, k]) => ({ fn, selfPct: pct(k) }));
    const area = new Map<string, number>();
    for (const [key, k] of self) {
      const m = /(?:^| )(@?[\w.-]+(?:\/[\w.-]+)?)\/|(apps\/server\/src\/[\w-]+(?:\/[\w-]+)?|packages\/[\w-]+\/src\/[\w-]+)/.exec(key);
      const a = key.startsWith('(garbage collector)') ? 'GC' : key.startsWith('(program)') ? '(program)' : m ? (m[2] ?? m[1] ?? 'other') : 'node internals / native';
      area.set(a, (area.get(a) ?? 0) + k);
    }
    const areas = [...area.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([fn, k]) => ({ fn: `[area] ${fn}`, selfPct: pct(k) }));
    return [...areas, ...top];
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers (setup only; the measured traffic comes from the workers).

async function call(base: string, method: string, url: string, body: unknown, headers: Record<string, string> = {}, expect = 200): Promise<{ json: Record<string, unknown>; res: Response }> {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
  return { json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, res };
}

async function login(base: string, username: string): Promise<string> {
  const { res } = await call(base, 'POST', '/api/v1/auth/login', { username, password: PASSWORD });
  const sid = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('kefu_sid='));
  if (!sid) throw new Error(`login ${username}: no session cookie`);
  return sid;
}

async function pool<T, R>(items: readonly T[], concurrency: number, run: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await run(items[i] as T, i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// The load generator: one worker thread owns a slice of the agents and visitors. Plain JS (eval),
// `ws` resolved from this file's location. Times are process.hrtime milliseconds, which all
// threads share, so a timestamp written in one worker is compared with the clock of another.

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { performance } = require('node:perf_hooks');
const WebSocket = createRequire(workerData.requireFrom)('ws');
const { base, wsBase, index: W } = workerData;
const hr = () => { const t = process.hrtime(); return t[0] * 1e3 + t[1] / 1e6; };
const post = (m) => parentPort.postMessage(m);
let errors = {};
const bump = (k) => { errors[k] = (errors[k] || 0) + 1; };
const CUSTOMER = ['您好，我家停电了，请问什么时候能恢复供电？', '电费比上个月高了很多，能帮我查一下吗？', '我想办理过户，需要带什么材料？', '表箱那边有异响，需要派人来看吗？', '好的，谢谢，我再等等。'];
const AGENT = ['您好，正在为您查询，请稍候。', '已为您登记，抢修人员会尽快联系您。', '请提供一下户号，我帮您核对电费。', '好的，还有其他可以帮您的吗？'];
let closing = false;
let win = null;
let st = { sentC: 0, recvC: 0, sentA: 0, recvA: 0, latC: [], latA: [], rtt: [], ackC: [], ackA: [], late: 0, notActive: 0, lastRecv: 0 };

const visitors = workerData.visitors.map((v) => ({ ...v, ws: null, conversationId: null, active: false, n: 0, pending: new Map(), nextAt: 0 }));
const agents = workerData.agents.map((a) => ({ ...a, ws: null, n: 0, pending: new Map() }));

function onClose(code) { if (!closing) bump('socket.closed.' + code); }

function open(url, headers, onFrame) {
  return new Promise((resolve, reject) => {
    const t0 = hr();
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    let done = false;
    const timer = setTimeout(() => { if (!done) { done = true; ws.terminate(); reject(new Error('no hello within 30 s')); } }, 30000);
    ws.on('message', (raw) => {
      if (!done) {
        let f; try { f = JSON.parse(String(raw)); } catch { f = null; }
        if (f && f.topic === 'hello') { done = true; clearTimeout(timer); resolve({ ws, ms: hr() - t0 }); return; }
      }
      onFrame(raw);
    });
    ws.once('error', (e) => { if (!done) { done = true; clearTimeout(timer); reject(e); } else bump('socket.error'); });
    ws.on('close', (code) => { if (!done) { done = true; clearTimeout(timer); reject(new Error('closed ' + code)); } else onClose(code); });
  });
}

function agentFrame(a, raw) {
  const t = hr();
  let f; try { f = JSON.parse(String(raw)); } catch { bump('bad.json'); return; }
  const p = f.payload;
  switch (f.topic) {
    case 'offer.created': {
      const c = p.contact;
      post({ kind: 'offer', conversationId: c.conversationId, contactId: c.id, t });
      accept(a, c.id, c.conversationId, t);
      return;
    }
    case 'message.created': {
      if (p.senderType !== 'customer') return;
      const body = String(p.body);
      if (!body.startsWith('c|')) return;
      const ts = Number(body.slice(2, body.indexOf('|', 2)));
      const inWin = win !== null && ts >= win.start && ts < win.end;
      if (inWin) { st.recvC++; st.latC.push(t - ts); st.lastRecv = Math.max(st.lastRecv, t); }
      const tr = hr();
      const id = 'a' + W + '-' + a.i + '-' + (++a.n);
      a.pending.set(id, { tr, inWin });
      if (inWin) st.sentA++;
      a.ws.send(JSON.stringify({ type: 'message.send', conversationId: p.conversationId, clientMsgId: id, text: 'a|' + tr.toFixed(3) + '|' + ts.toFixed(3) + '|' + AGENT[a.n % AGENT.length] }));
      return;
    }
    case 'message.ack': {
      const s = a.pending.get(p.clientMsgId);
      if (s) { a.pending.delete(p.clientMsgId); if (s.inWin) st.ackA.push(t - s.tr); }
      return;
    }
    case 'error':
      bump('frame.' + p.code);
      if (p.ref) a.pending.delete(p.ref);
      return;
    default:
      return;
  }
}

function visitorFrame(v, raw) {
  const t = hr();
  let f; try { f = JSON.parse(String(raw)); } catch { bump('bad.json'); return; }
  const p = f.payload;
  switch (f.topic) {
    case 'conversation.updated':
      if (p.status === 'active' && !v.active) {
        v.active = true;
        // A start answered with an error may still have created the chat: the socket names it.
        if (!v.conversationId) v.conversationId = p.conversationId;
        post({ kind: 'joined', i: v.i, conversationId: p.conversationId, t });
      }
      return;
    case 'message.created': {
      if (p.senderType !== 'agent') return;
      const body = String(p.body);
      if (!body.startsWith('a|')) return;
      const parts = body.split('|');
      const tr = Number(parts[1]);
      const ts = Number(parts[2]);
      if (win !== null && ts >= win.start && ts < win.end) { st.recvA++; st.latA.push(t - tr); st.rtt.push(t - ts); st.lastRecv = Math.max(st.lastRecv, t); }
      return;
    }
    case 'message.ack': {
      const s = v.pending.get(p.clientMsgId);
      if (s !== undefined) { v.pending.delete(p.clientMsgId); st.ackC.push(t - s); }
      return;
    }
    case 'error':
      bump('frame.' + p.code);
      if (p.ref) v.pending.delete(p.ref);
      return;
    default:
      return;
  }
}

async function lanes(items, concurrency, run) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) { const i = next++; if (i >= items.length) return; await run(items[i]); }
  }));
}

async function connect(concurrency) {
  const ms = [];
  let failed = 0;
  let sample = null;
  const all = [...agents.map((a) => ['a', a]), ...visitors.map((v) => ['v', v])];
  await lanes(all, concurrency, async ([kind, x]) => {
    try {
      const r = kind === 'a'
        ? await open(wsBase + '/ws', { cookie: x.cookie }, (raw) => agentFrame(x, raw))
        : await open(wsBase + '/ws?visitorToken=' + encodeURIComponent(x.token), {}, (raw) => visitorFrame(x, raw));
      x.ws = r.ws;
      ms.push(r.ms);
    } catch (e) { failed++; sample = sample || String(e && e.message || e); }
  });
  post({ kind: 'connected', ms, failed, sample });
}

// Like an agent clicking again after an error toast: a 5xx answer is retried (up to 5 attempts).
async function accept(a, contactId, conversationId, tOffer) {
  const errs = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(base + '/api/v1/contacts/' + contactId + '/accept', { method: 'POST', headers: { cookie: a.cookie, 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(120000) });
      const text = await res.text();
      if (res.status === 200 || res.status < 500 || attempt === 5) {
        post({ kind: 'accepted', conversationId, contactId, tOffer, t: hr(), status: res.status, body: res.status === 200 ? null : text.slice(0, 300), failedAttempts: errs });
        return;
      }
      errs.push(res.status + ' ' + text.slice(0, 200));
    } catch (e) {
      errs.push('0 ' + String(e && e.message || e));
      if (attempt === 5) { post({ kind: 'accepted', conversationId, contactId, tOffer, t: hr(), status: 0, body: errs.at(-1), failedAttempts: errs }); return; }
    }
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

// A start answered with an error may or may not have created the chat. Like the widget after a
// reload, the visitor then asks POST /widget/sessions for its open conversation and starts again
// only when there is none (up to 3 attempts in all).
async function startAll(concurrency) {
  const json = async (res) => { const text = await res.text(); try { return { text, body: JSON.parse(text) }; } catch { return { text, body: null }; } };
  await lanes(visitors, concurrency, async (v) => {
    const t0 = hr();
    let first = null;
    let conversationId = null;
    let attempts = 0;
    let createdDespiteError = false;
    let lastError = null;
    while (attempts < 3 && !conversationId) {
      attempts++;
      try {
        const res = await fetch(base + '/api/v1/widget/conversations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-visitor-token': v.token },
          body: JSON.stringify({ text: '您好，我想咨询一下用电问题', clientMsgId: 'first-' + v.i }),
          signal: AbortSignal.timeout(120000),
        });
        const r = await json(res);
        if (!first) first = { t1: hr(), status: res.status, body: res.status === 200 ? null : r.text.slice(0, 300) };
        if (res.status === 200) { conversationId = r.body.id; break; }
        lastError = res.status + ' ' + r.text.slice(0, 200);
      } catch (e) {
        if (!first) first = { t1: hr(), status: 0, body: String(e && e.message || e) };
        lastError = '0 ' + String(e && e.message || e);
      }
      try {
        const res = await fetch(base + '/api/v1/widget/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: workerData.channelId, visitorToken: v.token }), signal: AbortSignal.timeout(120000) });
        const r = await json(res);
        if (res.status === 200 && r.body.conversation) { conversationId = r.body.conversation.id; createdDespiteError = true; break; }
      } catch {}
      await new Promise((r) => setTimeout(r, 250 * attempts));
    }
    if (conversationId && !v.conversationId) v.conversationId = conversationId;
    post({ kind: 'started', i: v.i, conversationId, t0, t1: first.t1, status: first.status, body: first.body, attempts, createdDespiteError, lastError: conversationId ? null : lastError });
  });
  post({ kind: 'startsDone' });
}

const newStats = () => ({ sentC: 0, recvC: 0, sentA: 0, recvA: 0, latC: [], latA: [], rtt: [], ackC: [], ackA: [], late: 0, notActive: 0, lastRecv: 0 });
let timer = null;
let elu0 = null;

// One round of steady messaging between start and end (process.hrtime ms); counted by the
// 'counts' command, reported by the 'report' command.
function steady({ start, end, period }) {
  st = newStats();
  errors = {};
  win = { start, end };
  const active = visitors.filter((v) => v.active && v.conversationId && v.ws);
  st.notActive = visitors.length - active.length;
  for (const v of active) v.nextAt = start + v.phase * period;
  elu0 = performance.eventLoopUtilization();
  const send = (v) => {
    const ts = hr();
    const id = 'c' + v.i + '-' + (++v.n);
    v.pending.set(id, ts);
    st.sentC++;
    v.ws.send(JSON.stringify({ type: 'message.send', conversationId: v.conversationId, clientMsgId: id, text: 'c|' + ts.toFixed(3) + '|' + CUSTOMER[v.n % CUSTOMER.length] }));
  };
  timer = setInterval(() => {
    const t = hr();
    if (t >= end) { clearInterval(timer); return; }
    for (const v of active) {
      if (v.nextAt <= t) {
        if (t - v.nextAt > 50) st.late++;
        send(v);
        v.nextAt += period;
        if (v.nextAt < t) v.nextAt = t + period; // never burst to catch up
      }
    }
  }, 2);
}

async function closeAll() {
  closing = true;
  const socks = [...agents, ...visitors].map((x) => x.ws).filter(Boolean);
  await Promise.all(socks.map((ws) => new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const t = setTimeout(() => { ws.terminate(); resolve(); }, 5000);
    ws.once('close', () => { clearTimeout(t); resolve(); });
    ws.close(1000, 'bench done');
  })));
  post({ kind: 'closed', errors });
}

parentPort.on('message', (m) => {
  const fail = (e) => post({ kind: 'fatal', error: String(e && e.stack || e) });
  if (m.cmd === 'connect') connect(m.concurrency).catch(fail);
  else if (m.cmd === 'start') startAll(m.concurrency).catch(fail);
  else if (m.cmd === 'steady') { try { steady(m); } catch (e) { fail(e); } }
  else if (m.cmd === 'counts') post({ kind: 'counts', sentC: st.sentC, recvC: st.recvC, sentA: st.sentA, recvA: st.recvA });
  else if (m.cmd === 'report') post({ kind: 'steadyDone', st, errors, elu: performance.eventLoopUtilization(elu0).utilization });
  else if (m.cmd === 'close') closeAll().catch(fail);
});
post({ kind: 'ready' });
`;

type WorkerStats = { sentC: number; recvC: number; sentA: number; recvA: number; latC: number[]; latA: number[]; rtt: number[]; ackC: number[]; ackA: number[]; late: number; notActive: number; lastRecv: number };
type FromWorker =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: string }
  | { kind: 'connected'; ms: number[]; failed: number; sample: string | null }
  | { kind: 'started'; i: number; conversationId: string | null; t0: number; t1: number; status: number; body: string | null; attempts: number; createdDespiteError: boolean; lastError: string | null }
  | { kind: 'counts'; sentC: number; recvC: number; sentA: number; recvA: number }
  | { kind: 'offer'; conversationId: string; contactId: string; t: number }
  | { kind: 'accepted'; conversationId: string; contactId: string; tOffer: number; t: number; status: number; body: string | null; failedAttempts: string[] }
  | { kind: 'joined'; i: number; conversationId: string; t: number }
  | { kind: 'startsDone' }
  | { kind: 'steadyDone'; st: WorkerStats; errors: Record<string, number>; elu: number }
  | { kind: 'closed'; errors: Record<string, number> };

class LoadWorkers {
  readonly workers: Worker[] = [];
  private readonly waiters = new Map<string, { need: number; got: FromWorker[]; resolve: (m: FromWorker[]) => void }>();
  readonly listeners: ((m: FromWorker) => void)[] = [];
  fatal: string | null = null;

  constructor(slices: { agents: unknown[]; visitors: unknown[] }[], base: string, channelId: string) {
    for (const [index, slice] of slices.entries()) {
      const w = new Worker(WORKER, {
        eval: true,
        workerData: { base, wsBase: base.replace('http', 'ws'), index, requireFrom: HERE, channelId, agents: slice.agents, visitors: slice.visitors },
      });
      w.on('message', (m: FromWorker) => this.onMessage(m));
      w.on('error', (e) => this.onMessage({ kind: 'fatal', error: String(e?.stack ?? e) }));
      this.workers.push(w);
    }
  }

  private onMessage(m: FromWorker) {
    if (m.kind === 'fatal') {
      this.fatal = m.error;
      console.error(`worker failed: ${m.error}`);
    }
    for (const l of this.listeners) l(m);
    const w = this.waiters.get(m.kind);
    if (w) {
      w.got.push(m);
      if (w.got.length >= w.need) {
        this.waiters.delete(m.kind);
        w.resolve(w.got);
      }
    }
  }

  /** Waits for one `kind` message from every worker. */
  collect<K extends FromWorker['kind']>(kind: K, timeoutMs: number): Promise<Extract<FromWorker, { kind: K }>[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(kind);
        reject(new Error(`workers: no "${kind}" from all workers within ${Math.round(timeoutMs / 1000)} s${this.fatal ? ` (${this.fatal})` : ''}`));
      }, timeoutMs);
      this.waiters.set(kind, {
        need: this.workers.length,
        got: [],
        resolve: (got) => {
          clearTimeout(timer);
          resolve(got as Extract<FromWorker, { kind: K }>[]);
        },
      });
    });
  }

  send(message: Record<string, unknown>, each?: (i: number) => Record<string, unknown>) {
    for (const [i, w] of this.workers.entries()) w.postMessage({ ...message, ...(each ? each(i) : {}) });
  }

  async terminate() {
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => 0)));
  }
}

// ---------------------------------------------------------------------------------------------
// 4a. The pure routing decision over 5,000 candidates.

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Skills of agent g (1-based), the same rule as the SQL agents of 4b. */
function agentSkills(g: number): string[] {
  const s: string[] = [];
  if (g % 10 !== 0) s.push('electricity');
  if (g % 5 < 3) s.push('billing');
  if (g % 20 === 0) s.push('tibetan-amdo');
  if (g % 33 === 0) s.push('english');
  if (g % 5 === 4) s.push('complaint');
  return s;
}
/** Required skills of waiting contact i: 60% electricity, 30% billing, 10% Amdo Tibetan (as the default queues). */
function contactSkills(i: number): string[] {
  const k = i % 10;
  return k < 6 ? ['electricity'] : k < 9 ? ['billing'] : ['tibetan-amdo'];
}

const ROUTING_OPTIONS: RoutingOptions = {
  calendar: CALENDAR_24X7,
  maxWaitSeconds: 3600,
  accountManagerWaitSeconds: 30,
  afterHoursAction: 'leave_message',
  overflowAction: 'callback',
  callbackWithinMinutes: 120,
};

function domainRouting() {
  const r = rng(95598);
  const now = new Date();
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const ids = Array.from({ length: ROUTE_AGENTS }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  const candidates = (full: boolean): RoutingCandidate[] =>
    ids.map((agentId, i) => ({
      agentId,
      state: 'online',
      reason: null,
      since: ago(600 + Math.floor(r() * 20_000)),
      capacity: { limits: { chat: CHAT_CAPACITY, call: 1 }, blending: 'shared' },
      load: { chat: full ? CHAT_CAPACITY : (i + 1) % CHAT_CAPACITY },
      lastOfferedAt: r() < 0.9 ? ago(Math.floor(r() * 3600)) : null,
      lastContactEndedAt: r() < 0.7 ? ago(Math.floor(r() * 3600)) : null,
      skills: agentSkills(i + 1),
    }));
  const waiting: RoutableContact[] = Array.from({ length: DOMAIN_WAITING }, (_, i) => ({
    channel: 'chat',
    waitingSince: ago(Math.floor(r() * 280)),
    requiredSkills: contactSkills(i),
    priority: i % 20 === 0 ? 'vulnerable' : i % 20 === 1 ? 'key_account' : 'normal',
    accountManagerId: i % 50 === 0 ? (ids[Math.floor(r() * ids.length)] as string) : null,
    requestedAgentId: null,
    declinedAgentIds: i % 25 === 0 ? [ids[Math.floor(r() * ids.length)] as string] : [],
  }));
  const free = candidates(false);
  const full = candidates(true);

  const timeRouteQueue = (pool: RoutingCandidate[]) => {
    routeQueue(waiting, pool, now, ROUTING_OPTIONS); // warm-up
    const ms: number[] = [];
    const cpuMs: number[] = [];
    let kinds: Record<string, number> = {};
    for (let k = 0; k < PASSES; k++) {
      const c = mainThreadCpu();
      const t = performance.now();
      const res = routeQueue(waiting, pool, now, ROUTING_OPTIONS);
      ms.push(performance.now() - t);
      cpuMs.push((mainThreadCpu() - c) * 1000);
      kinds = {};
      for (const d of res.decisions) kinds[d.decision.kind] = (kinds[d.decision.kind] ?? 0) + 1;
    }
    const m = median(ms);
    const cpu = median(cpuMs);
    return {
      waiting: waiting.length,
      candidates: pool.length,
      passMs: round(m, 1),
      passMsAll: ms.map((x) => round(x, 1)),
      decisionsPerSecond: Math.round((waiting.length / m) * 1000),
      /** CPU time of this thread for the pass (/proc, 10 ms ticks): the figure without the machine's other load. */
      passCpuMs: round(cpu, 0),
      decisionsPerCpuSecond: cpu > 0 ? Math.round((waiting.length / cpu) * 1000) : null,
      decisions: kinds,
    };
  };
  const timeChoose = (pool: RoutingCandidate[]) => {
    for (let i = 0; i < 50; i++) chooseAgent(waiting[i % waiting.length] as RoutableContact, pool, now, ROUTING_OPTIONS);
    let n = 0;
    const c = mainThreadCpu();
    const t = performance.now();
    while (performance.now() - t < 2000) {
      chooseAgent(waiting[n % waiting.length] as RoutableContact, pool, now, ROUTING_OPTIONS);
      n++;
    }
    const ms = performance.now() - t;
    const cpu = (mainThreadCpu() - c) * 1000;
    return { calls: n, perCallMs: round(ms / n, 3), decisionsPerSecond: Math.round((n / ms) * 1000), perCallCpuMs: round(cpu / n, 3), decisionsPerCpuSecond: cpu > 0 ? Math.round((n / cpu) * 1000) : null };
  };
  return {
    routeQueueFreeAgents: timeRouteQueue(free),
    routeQueueAllAgentsFull: timeRouteQueue(full),
    chooseAgentFreeAgents: timeChoose(free),
    chooseAgentAllAgentsFull: timeChoose(full),
  };
}

// ---------------------------------------------------------------------------------------------
// 4b. The engine's routeBrand on PostgreSQL: a brand of its own with 5,000 online agents.

async function engineRouting(database: Database, passwordHash: string) {
  const db = database.db;
  const now = new Date();
  const brandId = (await sql<{ id: string }>`insert into brands (code, name, created_at) values ('bench-routing', '路由压测', ${now}) returning id`.execute(db)).rows[0]?.id as string;
  const queues = (
    await sql<{ id: string; code: string }>`
      insert into queues (brand_id, code, name_zh, name_en, channels, required_skills, max_wait_seconds, offer_timeout_seconds, position, created_at, updated_at)
      values (${brandId}, 'r-general', '综合业务', 'General', '{chat}', '{electricity}', 3600, 120, 10, ${now}, ${now}),
             (${brandId}, 'r-billing', '电费业务', 'Billing', '{chat}', '{billing}', 3600, 120, 20, ${now}, ${now}),
             (${brandId}, 'r-amdo', '安多藏语', 'Amdo Tibetan', '{chat}', '{tibetan-amdo}', 3600, 120, 30, ${now}, ${now})
      returning id, code`.execute(db)
  ).rows;
  const queueFor = (skill: string) => (queues.find((q) => q.code === ({ electricity: 'r-general', billing: 'r-billing', 'tibetan-amdo': 'r-amdo' } as Record<string, string>)[skill]) as { id: string }).id;
  const t0 = performance.now();
  await sql`
    insert into users (username, display_name, password_hash, role, skills, work_number, created_at, updated_at)
    select 'route-agent-' || lpad(g::text, 5, '0'), '路由坐席' || g, ${passwordHash}, 'agent',
           array_remove(array[
             case when g % 10 <> 0 then 'electricity' end,
             case when g % 5 < 3 then 'billing' end,
             case when g % 20 = 0 then 'tibetan-amdo' end,
             case when g % 33 = 0 then 'english' end,
             case when g % 5 = 4 then 'complaint' end]::text[], null),
           'R' || lpad(g::text, 5, '0'), ${now}, ${now}
    from generate_series(1, ${ROUTE_AGENTS}::int) g`.execute(db);
  await sql`insert into user_brands (user_id, brand_id) select id, ${brandId} from users where username like 'route-agent-%'`.execute(db);
  await sql`
    insert into agent_states (user_id, brand_id, state, since, capacity, updated_at)
    select id, ${brandId}, 'online', ${now}::timestamptz - interval '2 hours', ${JSON.stringify({ limits: { chat: CHAT_CAPACITY }, blending: 'shared' })}::jsonb, ${now}
    from users where username like 'route-agent-%'`.execute(db);
  // Mixed loads: agent g already holds (g mod 3) active chats (0, 1 or 2 of 3).
  await sql`
    insert into contacts (brand_id, channel, direction, status, queue_id, agent_id, created_at, queued_at, waiting_since, offered_at, answered_at, last_changed_at, segment_started_at, offer_count)
    select ${brandId}, 'chat', 'inbound', 'active', ${queueFor('electricity')}, u.id, t, t, null, t, t, t, t, 1
    from (select id, right(username, 5)::int as g, ${now}::timestamptz - interval '10 minutes' as t from users where username like 'route-agent-%') u
    cross join lateral generate_series(1, u.g % 3) k`.execute(db);
  const resetAgents = () =>
    sql`update agent_states set last_offered_at = ${now}::timestamptz - (abs(hashtext(user_id::text)) % 3600) * interval '1 second',
          capacity = ${JSON.stringify({ limits: { chat: CHAT_CAPACITY }, blending: 'shared' })}::jsonb
        where brand_id = ${brandId}`.execute(db);
  await resetAgents();
  const activeLoad = Number((await sql<{ n: number }>`select count(*)::int as n from contacts where brand_id = ${brandId} and status = 'active'`.execute(db)).rows[0]?.n);
  const setupSeconds = round((performance.now() - t0) / 1000, 1);
  let waitingIds: string[] = [];
  const insertWaiting = async () => {
    if (waitingIds.length) {
      await sql`delete from contact_events where contact_id = any(${waitingIds}::uuid[])`.execute(db);
      await sql`delete from contacts where id = any(${waitingIds}::uuid[])`.execute(db);
    }
    const at = new Date();
    const rows = Array.from({ length: ROUTE_WAITING }, (_, i) => {
      const skills = contactSkills(i);
      const since = new Date(at.getTime() - (ROUTE_WAITING - i) * 500);
      return { brand_id: brandId, channel: 'chat', direction: 'inbound', status: 'queued', queue_id: queueFor(skills[0] as string), required_skills: skills, created_at: since, queued_at: since, waiting_since: since, last_changed_at: since, priority: i % 20 === 0 ? 'vulnerable' : 'normal' };
    });
    waitingIds = (await db.insertInto('contacts').values(rows).returning('id').execute()).map((r) => r.id);
  };
  await insertWaiting();
  await sql`analyze`.execute(db);

  const app = await buildApp({ config: TEST_CONFIG, database, webDistDir: null, jobs: false });
  try {
    await app.ready();
    const routing = app.services.routing;
    const pass = async () => {
      const q0 = queryCount;
      const c = mainThreadCpu();
      const p0 = postgresCpu();
      const t = performance.now();
      const s = await routing.routeBrand(brandId);
      const ms = performance.now() - t;
      return { ms, queries: queryCount - q0, summary: s, nodeCpuMs: (mainThreadCpu() - c) * 1000, pgCpuMs: postgresCpuSince(p0).ours * 1000 };
    };
    // Warm-up pass (plans, JIT), then measured passes, each on 200 freshly queued contacts.
    await pass();
    const offers: { ms: number; queries: number; offers: number; nodeCpuMs: number; pgCpuMs: number }[] = [];
    for (let k = 0; k < PASSES; k++) {
      await insertWaiting();
      await resetAgents();
      const r = await pass();
      if (r.summary.offers !== ROUTE_WAITING) throw new Error(`routeBrand offered ${r.summary.offers} of ${ROUTE_WAITING}: ${JSON.stringify(r.summary)}`);
      offers.push({ ms: r.ms, queries: r.queries, offers: r.summary.offers, nodeCpuMs: r.nodeCpuMs, pgCpuMs: r.pgCpuMs });
    }
    if (profile) {
      await insertWaiting();
      await resetAgents();
      const stop = await startProfile();
      await pass();
      profiles.routeBrandOfferPass = await stop();
    }
    // Nobody free: every agent's chat capacity set to 0, so each contact is examined and stays queued
    // (what the 1 s routing tick pays while a busy centre has a queue).
    await insertWaiting();
    await sql`update agent_states set capacity = ${JSON.stringify({ limits: { chat: 0 }, blending: 'shared' })}::jsonb where brand_id = ${brandId}`.execute(db);
    const noFree: { ms: number; queries: number; nodeCpuMs: number; pgCpuMs: number }[] = [];
    for (let k = 0; k < PASSES + 1; k++) {
      const r = await pass();
      if (r.summary.offers !== 0 || r.summary.waiting !== ROUTE_WAITING) throw new Error(`no-free pass: ${JSON.stringify(r.summary)}`);
      if (k > 0) noFree.push({ ms: r.ms, queries: r.queries, nodeCpuMs: r.nodeCpuMs, pgCpuMs: r.pgCpuMs });
    }
    // Nothing waiting: the floor of a pass (load the candidates of 5,000 agents and their loads).
    await sql`delete from contact_events where contact_id = any(${waitingIds}::uuid[])`.execute(db);
    await sql`delete from contacts where id = any(${waitingIds}::uuid[])`.execute(db);
    waitingIds = [];
    await resetAgents();
    const empty: { ms: number; queries: number; nodeCpuMs: number; pgCpuMs: number }[] = [];
    for (let k = 0; k < PASSES + 1; k++) {
      const r = await pass();
      if (k > 0) empty.push({ ms: r.ms, queries: r.queries, nodeCpuMs: r.nodeCpuMs, pgCpuMs: r.pgCpuMs });
    }
    const summarize = (xs: { ms: number; queries: number; nodeCpuMs: number; pgCpuMs: number }[], decisions: number | null) => {
      const m = median(xs.map((o) => o.ms));
      return {
        passMs: round(m, 1),
        passMsAll: xs.map((o) => round(o.ms, 1)),
        decisionsPerSecond: decisions === null ? null : Math.round((decisions / m) * 1000),
        sqlRoundTrips: median(xs.map((o) => o.queries)),
        /** CPU of the server's thread and of the PostgreSQL backends during the pass (/proc, 10 ms ticks). */
        nodeCpuMs: round(median(xs.map((o) => o.nodeCpuMs)), 0),
        postgresCpuMs: round(median(xs.map((o) => o.pgCpuMs)), 0),
      };
    };
    return {
      agents: ROUTE_AGENTS,
      waiting: ROUTE_WAITING,
      activeContactsHeld: activeLoad,
      setupSeconds,
      offerPass: summarize(offers, ROUTE_WAITING),
      noFreeAgentPass: summarize(noFree, ROUTE_WAITING),
      emptyPass: summarize(empty, null),
    };
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The run.

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { platform: `${process.platform} ${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  params: {
    visitors: VISITORS,
    agents: AGENTS,
    chatCapacity: CHAT_CAPACITY,
    seconds: SECONDS,
    ratesPerVisitor: RATES,
    workers: WORKERS,
    startConcurrency: START_CONCURRENCY,
    connectConcurrency: CONNECT_CONCURRENCY,
    drainMs: DRAIN_MS,
    routeAgents: ROUTE_AGENTS,
    routeWaiting: ROUTE_WAITING,
    domainWaiting: DOMAIN_WAITING,
    passes: PASSES,
  },
  loadAvgStart: load(),
};
progress(`realtime bench: ${VISITORS} visitors + ${AGENTS} agents = ${VISITORS + AGENTS} sockets, ${SECONDS} s at ${RATES.join(', ')} msg/s per visitor, ${WORKERS} load workers; load average ${load().join(' ')} on ${os.cpus().length} cores`);
if (AGENTS * CHAT_CAPACITY < VISITORS) console.warn(`warning: ${AGENTS} agents × ${CHAT_CAPACITY} chats < ${VISITORS} visitors: some chats will wait for an agent the whole run`);

const admin = new pg.Client({ connectionString: PG_URL });
admin.on('error', (e) => console.warn('admin connection:', e.message));
await admin.connect();
const settings: Record<string, string> = {};
for (const s of ['server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'max_connections']) settings[s] = (await admin.query(`show ${s}`)).rows[0][s];
results.postgresSettings = settings;
await admin.query(`drop database if exists ${DB_NAME} with (force)`);
await admin.query(`create database ${DB_NAME}`);
const dbUrl = new URL(PG_URL);
dbUrl.pathname = `/${DB_NAME}`;

let database: Database | undefined;
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
let workers: LoadWorkers | undefined;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (workers) await workers.terminate();
  if (app) await app.close().catch((e) => console.warn('app close:', e.message));
  if (database) await database.close().catch((e) => console.warn('db close:', e.message));
  if (keep) progress(`kept ${dbUrl.toString()}`);
  else await admin.query(`drop database if exists ${DB_NAME} with (force)`).catch((e) => console.warn('drop database:', e.message));
  await admin.end().catch(() => {});
}
const watchdog = setTimeout(() => {
  console.error(`watchdog: the run took longer than ${WATCHDOG_MS / 1000} s; cleaning up`);
  void cleanup().finally(() => process.exit(2));
}, WATCHDOG_MS);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Errors the server logged (500s, failed frames, failed jobs): counted by message, first few kept whole. */
const serverErrors = new Map<string, number>();
const serverErrorSamples: string[] = [];
const serverErrorStream = {
  write(line: string) {
    let key = line.slice(0, 200);
    try {
      const j = JSON.parse(line) as { msg?: string; err?: { message?: string; type?: string } };
      key = `${j.msg ?? ''}: ${j.err?.type ?? ''} ${j.err?.message ?? ''}`.slice(0, 300);
    } catch {}
    key = key.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '…');
    if (!serverErrors.has(key) && serverErrorSamples.length < 10) serverErrorSamples.push(line.slice(0, 4000));
    serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
  },
};

const profiles: Record<string, ProfileLine[]> = {};
let failure: unknown = null;
try {
  // Once cleanup starts, the forced DROP DATABASE may reach pool connections pg has not finished closing.
  database = await openDatabase({ kind: 'postgres', url: dbUrl.toString(), onIdleError: (e) => cleaned || console.warn('idle pg connection:', e.message) });
  const db = database.db;
  await migrateToLatest(db);
  const passwordHash = await hashPassword(PASSWORD);
  const boot = await bootstrapInstallation(db, { adminPasswordHash: passwordHash, now: new Date() });
  const brandId = boot.brandId;
  progress(`scratch database ${DB_NAME} migrated and bootstrapped (PostgreSQL ${settings.server_version}); server pool: the default 10 connections`);

  app = await buildApp({
    config: TEST_CONFIG,
    database,
    webDistDir: null,
    jobs: true,
    widgetLimits: { perMinute: 10_000_000, sessionsPerMinute: 10_000_000 },
    logger: { level: 'error', stream: serverErrorStream },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const server = app;

  // ---- 1. Setup ---------------------------------------------------------------------------------
  const t1 = performance.now();
  const adminCookie = await login(base, 'admin');
  const queue = (
    await call(base, 'POST', '/api/v1/queues', {
      code: 'bench-chat',
      nameZh: '压测在线客服',
      nameEn: 'Bench chat',
      channels: ['chat'],
      requiredSkills: [],
      maxWaitSeconds: 3600,
      offerTimeoutSeconds: 120,
      maxOffers: 3,
      overflowAction: 'callback',
    }, { cookie: adminCookie }, 201)
  ).json;
  const channel = (await call(base, 'POST', '/api/v1/channels', { type: 'webchat', name: '压测渠道', queueId: queue.id }, { cookie: adminCookie }, 201)).json;
  const channelId = channel.id as string;
  const now = new Date();
  const agentRows = (
    await sql<{ id: string; username: string }>`
      insert into users (username, display_name, password_hash, role, work_number, created_at, updated_at)
      select 'bench-agent-' || lpad(g::text, 5, '0'), '坐席' || lpad(g::text, 5, '0'), ${passwordHash}, 'agent', 'B' || lpad(g::text, 5, '0'), ${now}, ${now}
      from generate_series(1, ${AGENTS}::int) g
      returning id, username`.execute(db)
  ).rows.sort((a, b) => a.username.localeCompare(b.username));
  await sql`insert into user_brands (user_id, brand_id) select id, ${brandId} from users where username like 'bench-agent-%'`.execute(db);
  await sql`
    insert into agent_states (user_id, brand_id, state, since, capacity, updated_at)
    select id, ${brandId}, 'online', ${now}, ${JSON.stringify({ limits: { chat: CHAT_CAPACITY }, blending: 'shared' })}::jsonb, ${now}
    from users where username like 'bench-agent-%'`.execute(db);
  const sqlAgentsSeconds = round((performance.now() - t1) / 1000, 1);
  const tl = performance.now();
  const cookies = await pool(agentRows, 16, (a) => login(base, a.username));
  const loginSeconds = round((performance.now() - tl) / 1000, 1);
  progress(`  ${AGENTS} agents by SQL (online, chat capacity ${CHAT_CAPACITY}) in ${sqlAgentsSeconds} s; signed in through /auth/login (16 at a time, one shared argon2id hash) in ${loginSeconds} s`);
  const tv = performance.now();
  const visitorSessions = await pool(Array.from({ length: VISITORS }, (_, i) => i), 32, async (i) => {
    const { json } = await call(base, 'POST', '/api/v1/widget/sessions', { channelId, name: `访客${i + 1}`, language: 'zh-CN' });
    return { token: json.visitorToken as string, visitorId: json.visitorId as string };
  });
  const sessionSeconds = round((performance.now() - tv) / 1000, 1);
  progress(`  ${VISITORS} visitor sessions through /widget/sessions in ${sessionSeconds} s`);
  results.setup = { sqlAgentsSeconds, loginSeconds, visitorSessionsSeconds: sessionSeconds, queueId: queue.id, channelId };

  // ---- 2. Connect, start, offer, accept -----------------------------------------------------------
  const slices = Array.from({ length: WORKERS }, () => ({ agents: [] as unknown[], visitors: [] as unknown[] }));
  for (const [i, a] of agentRows.entries()) slices[i % WORKERS]?.agents.push({ i, userId: a.id, cookie: cookies[i] });
  for (const [i, v] of visitorSessions.entries()) slices[i % WORKERS]?.visitors.push({ i, ...v, phase: i / VISITORS });
  const lw = new LoadWorkers(slices, base, channelId);
  workers = lw;
  await lw.collect('ready', 30_000);

  const tc0 = hr();
  lw.send({ cmd: 'connect', concurrency: Math.max(1, Math.round(CONNECT_CONCURRENCY / WORKERS)) });
  const connected = await lw.collect('connected', 180_000);
  const connectSeconds = (hr() - tc0) / 1000;
  const connectMs = connected.flatMap((c) => c.ms);
  const connectFailed = connected.reduce((a, c) => a + c.failed, 0);
  results.connect = {
    sockets: connectMs.length,
    failed: connectFailed,
    failureSample: connected.find((c) => c.sample)?.sample ?? null,
    seconds: round(connectSeconds, 2),
    socketsPerSecond: Math.round(connectMs.length / connectSeconds),
    perSocketMs: dist(connectMs),
    serverHubSize: server.hub.size,
  };
  progress(`connected ${connectMs.length} sockets (${connectFailed} failed) in ${round(connectSeconds, 2)} s, ${CONNECT_CONCURRENCY} at a time: open→hello p50 ${dist(connectMs).p50} ms, p99 ${dist(connectMs).p99} ms; server holds ${server.hub.size}`);
  if (connectFailed) throw new Error(`socket connects failed: ${connected.find((c) => c.sample)?.sample}`);

  // Per visitor: its start request; per chat: offer, accept, visitor sees the agent. A chat is tied
  // to its visitor by the start answer or, when the start answered with an error after creating the
  // chat, by the visitor's "conversation.updated" frame.
  const startOf = new Map<number, { t0: number; t1: number; status: number }>();
  const visitorOf = new Map<string, number>();
  const offeredAt = new Map<string, number>();
  const acceptedAt = new Map<string, { tOffer: number; t: number }>();
  const joinedAt = new Map<string, number>();
  const startFailures: string[] = [];
  const acceptFailures: string[] = [];
  const acceptRetries: string[] = [];
  let startRetries = 0;
  let createdDespiteError = 0;
  const noChat: string[] = [];
  let offersTotal = 0;
  let resolveAllAccepted: () => void = () => {};
  const allAccepted = new Promise<void>((resolve) => {
    resolveAllAccepted = resolve;
  });
  lw.listeners.push((m) => {
    if (m.kind === 'started') {
      startOf.set(m.i, { t0: m.t0, t1: m.t1, status: m.status });
      if (m.conversationId) visitorOf.set(m.conversationId, m.i);
      if (m.status !== 200) startFailures.push(`${m.status} ${m.body ?? ''}`);
      if (m.attempts > 1) startRetries++;
      if (m.createdDespiteError) createdDespiteError++;
      if (!m.conversationId) noChat.push(m.lastError ?? '?');
    } else if (m.kind === 'offer') {
      offersTotal++;
      if (!offeredAt.has(m.conversationId)) offeredAt.set(m.conversationId, m.t);
    } else if (m.kind === 'accepted') {
      acceptRetries.push(...m.failedAttempts);
      if (m.status === 200) acceptedAt.set(m.conversationId, { tOffer: m.tOffer, t: m.t });
      else acceptFailures.push(`${m.status} ${m.body ?? ''}`);
      if (acceptedAt.size >= VISITORS) resolveAllAccepted();
    } else if (m.kind === 'joined') {
      joinedAt.set(m.conversationId, m.t);
      visitorOf.set(m.conversationId, m.i);
    }
  });
  const mark2 = cpuMark();
  const q2 = queryCount;
  const ts0 = hr();
  lw.send({ cmd: 'start', concurrency: Math.max(1, Math.round(START_CONCURRENCY / WORKERS)) });
  // Done when every chat that exists is accepted: all visitors, or (when some start requests failed
  // after creating their chat) as many as the database holds once every start has answered.
  const deadline = hr() + START_TIMEOUT_MS;
  const startsDone = lw.collect('startsDone', START_TIMEOUT_MS).then(() => true, () => false);
  let outcome: 'ok' | 'timeout' = 'timeout';
  let allStartsAnswered = false;
  void startsDone.then((ok) => {
    allStartsAnswered = ok;
  });
  while (hr() < deadline) {
    const wait = Promise.race([allAccepted.then(() => 'all'), new Promise((r) => setTimeout(() => r('tick'), 250))]);
    if ((await wait) === 'all') {
      outcome = 'ok';
      break;
    }
    if (allStartsAnswered) {
      const chats = Number((await sql<{ n: number }>`select count(*)::int as n from contacts where brand_id = ${brandId}`.execute(db)).rows[0]?.n);
      if (acceptedAt.size + acceptFailures.length >= chats) {
        outcome = 'ok';
        break;
      }
    }
  }
  const allAcceptedSeconds = (hr() - ts0) / 1000;
  // Let the last "agent joined" frames reach the visitors.
  const tj = hr();
  while (joinedAt.size < acceptedAt.size && hr() - tj < 10_000) await new Promise((r) => setTimeout(r, 50));
  const cpu2 = cpuSince(mark2);
  const q2n = queryCount - q2;
  const starts = [...startOf.values()];
  const okStarts = starts.filter((x) => x.status === 200);
  const firstStart = Math.min(...starts.map((x) => x.t0));
  const lastStartDone = Math.max(...starts.map((x) => x.t1));
  const timeToOffer: number[] = [];
  const timeToAccepted: number[] = [];
  const timeToJoined: number[] = [];
  const offerToAccepted: number[] = [];
  for (const [conv, i] of visitorOf) {
    const s0 = startOf.get(i);
    if (!s0) continue;
    const o = offeredAt.get(conv);
    if (o !== undefined) timeToOffer.push(o - s0.t0);
    const a = acceptedAt.get(conv);
    if (a !== undefined) {
      timeToAccepted.push(a.t - s0.t0);
      offerToAccepted.push(a.t - a.tOffer);
    }
    const j = joinedAt.get(conv);
    if (j !== undefined) timeToJoined.push(j - s0.t0);
  }
  const statusCounts = Object.fromEntries(
    (await sql<{ status: string; n: number }>`select status, count(*)::int as n from contacts where brand_id = ${brandId} group by status order by status`.execute(db)).rows.map((r) => [r.status, r.n]),
  );
  const startLatency = dist(starts.map((x) => x.t1 - x.t0));
  const startStatuses: Record<string, number> = {};
  for (const x of starts) startStatuses[x.status] = (startStatuses[x.status] ?? 0) + 1;
  results.startAndAccept = {
    outcome,
    startRequests: starts.length,
    startStatuses,
    startedOk: okStarts.length,
    startFailures: startFailures.length,
    startFailureSample: startFailures[0] ?? null,
    startErrorButChatCreated: createdDespiteError,
    startRetried: startRetries,
    visitorsWithoutChat: noChat.length,
    visitorsWithoutChatSample: noChat[0] ?? null,
    offers: offersTotal,
    accepted: acceptedAt.size,
    acceptFailures: acceptFailures.length,
    acceptFailureSample: acceptFailures[0] ?? null,
    acceptRetries: acceptRetries.length,
    acceptRetrySample: acceptRetries[0] ?? null,
    visitorsSawAgentJoin: joinedAt.size,
    startsPerSecond: Math.round(starts.length / ((lastStartDone - firstStart) / 1000)),
    startsSeconds: round((lastStartDone - firstStart) / 1000, 2),
    allAcceptedSeconds: round(allAcceptedSeconds, 2),
    startRequestMs: startLatency,
    timeToOfferMs: dist(timeToOffer),
    offerToAcceptedMs: dist(offerToAccepted),
    timeToAcceptedMs: dist(timeToAccepted),
    timeToVisitorSeesAgentMs: dist(timeToJoined),
    contactsByStatus: statusCounts,
    serverErrors: Object.fromEntries(serverErrors),
    sqlRoundTrips: q2n,
    sqlRoundTripsPerChat: round(q2n / Math.max(1, acceptedAt.size), 1),
    cpu: cpu2,
  };
  progress(
    `start/offer/accept (${START_CONCURRENCY} starts in flight): ${starts.length} start requests ${JSON.stringify(startStatuses)}, ${offersTotal} offers, ${acceptedAt.size} accepted (${acceptFailures.length} failed, ${acceptRetries.length} retried 5xx) — all accepted after ${round(allAcceptedSeconds, 2)} s [${outcome}]`,
  );
  progress(`  time to offer p50 ${dist(timeToOffer).p50} p99 ${dist(timeToOffer).p99} ms; start request p50 ${startLatency.p50} p99 ${startLatency.p99} ms; contacts ${JSON.stringify(statusCounts)}`);
  if (startFailures.length) console.warn(`  start failure sample: ${startFailures[0]}`);
  if (serverErrors.size) console.warn(`  server errors so far: ${JSON.stringify(Object.fromEntries(serverErrors))}`);
  if (acceptFailures.length) console.warn(`  accept failure sample: ${acceptFailures[0]}`);

  // ---- 3. Steady messaging, one round per rate ---------------------------------------------------
  const rounds: SteadyRound[] = [];
  results.steady = rounds;
  if (profile) results.profiles = profiles;
  for (const rate of RATES) {
    await new Promise((r) => setTimeout(r, 1000));
    const period = 1000 / rate;
    const steadyStart = hr() + 200;
    const steadyEnd = steadyStart + SECONDS * 1000;
    const mem = memorySampler();
    const mark3 = cpuMark();
    const q3 = queryCount;
    progress(`steady messaging at ${rate} msg/s per visitor for ${SECONDS} s: every active visitor sends every ${round(period / 1000, 2)} s, the agent answers each message (load average ${load().join(' ')})`);
    const profiling = profile && rate === RATES.at(-1) ? await startProfile() : null;
    lw.send({ cmd: 'steady', start: steadyStart, end: steadyEnd, period });
    await new Promise((r) => setTimeout(r, Math.max(0, steadyEnd - hr())));
    // Drain: until every message sent in the window (and every answer to one) has arrived, or --drain.
    const drainUntil = hr() + DRAIN_MS;
    let drained = false;
    for (;;) {
      lw.send({ cmd: 'counts' });
      const c = await lw.collect('counts', 30_000);
      const t = (k: 'sentC' | 'recvC' | 'sentA' | 'recvA') => c.reduce((x, w) => x + w[k], 0);
      if (t('recvC') >= t('sentC') && t('recvA') >= t('sentA')) {
        drained = true;
        break;
      }
      if (hr() > drainUntil) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (profiling) profiles.steady = await profiling();
    lw.send({ cmd: 'report' });
    const steadyDone = await lw.collect('steadyDone', 30_000);
    const cpu3 = cpuSince(mark3);
    const memory = mem();
    const q3n = queryCount - q3;
    const sum = (k: 'sentC' | 'recvC' | 'sentA' | 'recvA' | 'late' | 'notActive') => steadyDone.reduce((x, d) => x + d.st[k], 0);
    const all = (k: 'latC' | 'latA' | 'rtt' | 'ackC' | 'ackA') => steadyDone.flatMap((d) => d.st[k]);
    const errors: Record<string, number> = {};
    for (const d of steadyDone) for (const [k, v] of Object.entries(d.errors)) errors[k] = (errors[k] ?? 0) + v;
    const delivered = sum('recvC') + sum('recvA');
    const lastRecv = Math.max(steadyEnd, ...steadyDone.map((d) => d.st.lastRecv));
    const sent = sum('sentC') + sum('sentA');
    const r: SteadyRound = {
      rate,
      seconds: SECONDS,
      activeVisitors: VISITORS - sum('notActive'),
      drained,
      customerToAgent: { sent: sum('sentC'), delivered: sum('recvC'), undelivered: sum('sentC') - sum('recvC'), latencyMs: dist(all('latC')), ackMs: dist(all('ackC')) },
      agentToCustomer: { sent: sum('sentA'), delivered: sum('recvA'), undelivered: sum('sentA') - sum('recvA'), latencyMs: dist(all('latA')), ackMs: dist(all('ackA')) },
      roundTripMs: dist(all('rtt')),
      // Delivered over the span from the window's start to the last delivery (the drain included when
      // the server fell behind), beside the rate the clients offered within the window.
      deliveredPerSecond: Math.round((delivered / (lastRecv - steadyStart)) * 1000),
      deliverySpanSeconds: round((lastRecv - steadyStart) / 1000, 1),
      offeredPerSecond: Math.round(sent / SECONDS),
      lateSends: sum('late'),
      errors,
      workerEventLoopUtilization: steadyDone.map((d) => round(d.elu)),
      sqlRoundTrips: q3n,
      sqlRoundTripsPerMessage: round(q3n / Math.max(1, sent), 1),
      serverMainThreadCpuMsPerMessage: round((cpu3.serverMainThreadCpuSeconds * 1000) / Math.max(1, delivered), 2),
      postgresCpuMsPerMessage: round((cpu3.postgresCpuSeconds * 1000) / Math.max(1, delivered), 2),
      cpu: cpu3,
      memory,
      loadAvg: load(),
    };
    rounds.push(r);
    progress(`  customer→agent ${r.customerToAgent.delivered}/${r.customerToAgent.sent} delivered, p50 ${r.customerToAgent.latencyMs.p50} p99 ${r.customerToAgent.latencyMs.p99} max ${r.customerToAgent.latencyMs.max} ms`);
    progress(`  agent→customer ${r.agentToCustomer.delivered}/${r.agentToCustomer.sent} delivered, p50 ${r.agentToCustomer.latencyMs.p50} p99 ${r.agentToCustomer.latencyMs.p99} max ${r.agentToCustomer.latencyMs.max} ms`);
    progress(
      `  ${r.deliveredPerSecond} delivered messages/s (offered ${r.offeredPerSecond}/s); server main thread ${cpu3.serverMainThreadCores} cores (event loop ${Math.round(cpu3.serverEventLoopUtilization * 100)}% busy, ${r.serverMainThreadCpuMsPerMessage} ms CPU per message), whole process ${cpu3.processCores}, PostgreSQL ${cpu3.postgresCores} (${r.postgresCpuMsPerMessage} ms per message); RSS peak ${memory.rssMbPeak} MB; errors ${JSON.stringify(errors)}`,
    );
  }

  lw.send({ cmd: 'close' });
  await lw.collect('closed', 30_000).catch((e) => console.warn(e.message));
  await lw.terminate();
  workers = undefined;
  await server.close();
  app = undefined;

  // ---- 4. Routing decisions -----------------------------------------------------------------------
  progress(`routing (a): pure routeQueue / chooseAgent, ${ROUTE_AGENTS} candidates, ${DOMAIN_WAITING} waiting`);
  const domain = domainRouting();
  results.domainRouting = domain;
  progress(
    `  routeQueue ${DOMAIN_WAITING} contacts: ${domain.routeQueueFreeAgents.passMs} ms (CPU ${domain.routeQueueFreeAgents.passCpuMs} ms) → ${domain.routeQueueFreeAgents.decisionsPerSecond} decisions/s (agents free); ${domain.routeQueueAllAgentsFull.passMs} ms (CPU ${domain.routeQueueAllAgentsFull.passCpuMs} ms) → ${domain.routeQueueAllAgentsFull.decisionsPerSecond}/s (all full)`,
  );
  progress(`  chooseAgent: ${domain.chooseAgentFreeAgents.decisionsPerSecond}/s (free), ${domain.chooseAgentAllAgentsFull.decisionsPerSecond}/s (full)`);
  progress(`routing (b): routeBrand on PostgreSQL, ${ROUTE_AGENTS} online agents, ${ROUTE_WAITING} waiting`);
  const engine = await engineRouting(database, passwordHash);
  results.engineRouting = engine;
  progress(
    `  offer pass ${engine.offerPass.passMs} ms → ${engine.offerPass.decisionsPerSecond} decisions/s (${engine.offerPass.sqlRoundTrips} SQL round trips; CPU node ${engine.offerPass.nodeCpuMs} ms, PostgreSQL ${engine.offerPass.postgresCpuMs} ms); no free agent ${engine.noFreeAgentPass.passMs} ms (CPU node ${engine.noFreeAgentPass.nodeCpuMs} ms); nothing waiting ${engine.emptyPass.passMs} ms`,
  );
} catch (e) {
  failure = e;
  console.error(e);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}

if (failure) {
  results.failure = String((failure as Error)?.stack ?? failure);
}

// ---- Report ---------------------------------------------------------------------------------------
results.serverErrors = Object.fromEntries(serverErrors);
results.serverErrorSamples = serverErrorSamples;
results.loadAvgEnd = load();
results.totalSeconds = round((performance.now() - started) / 1000, 0);

type Cpu = ReturnType<typeof cpuSince>;
const R = results as {
  machine: { platform: string; cpus: number; cpuModel: string; memGb: number; node: string };
  setup?: { sqlAgentsSeconds: number; loginSeconds: number; visitorSessionsSeconds: number };
  connect?: { sockets: number; failed: number; seconds: number; socketsPerSecond: number; perSocketMs: Dist; serverHubSize: number };
  startAndAccept?: {
    outcome: string; startRequests: number; startStatuses: Record<string, number>; startedOk: number; startFailures: number; startFailureSample: string | null; offers: number; accepted: number;
    startErrorButChatCreated: number; startRetried: number; visitorsWithoutChat: number; visitorsWithoutChatSample: string | null;
    acceptFailures: number; acceptFailureSample: string | null; acceptRetries: number; acceptRetrySample: string | null; serverErrors: Record<string, number>;
    visitorsSawAgentJoin: number; startsPerSecond: number; startsSeconds: number; allAcceptedSeconds: number; startRequestMs: Dist; timeToOfferMs: Dist; offerToAcceptedMs: Dist;
    timeToAcceptedMs: Dist; timeToVisitorSeesAgentMs: Dist; contactsByStatus: Record<string, number>; sqlRoundTripsPerChat: number; cpu: Cpu;
  };
  steady?: SteadyRound[];
  domainRouting?: ReturnType<typeof domainRouting>;
  engineRouting?: Awaited<ReturnType<typeof engineRouting>>;
};
const row = (label: string, d: Dist | undefined) => (d ? `| ${label} | ${d.n} | ${d.p50} | ${d.p90} | ${d.p99} | ${d.max} |` : `| ${label} | – | – | – | – | – |`);
const cpuLine = (c: Cpu) =>
  `server main thread ${c.serverMainThreadCores} cores (event loop ${Math.round(c.serverEventLoopUtilization * 100)}% busy); whole Node process (server + load workers + libuv/GC threads) ${c.processCores} cores; PostgreSQL backends of the scratch database ${c.postgresCores} cores (all PostgreSQL processes ${c.postgresAllCores}); over ${c.seconds} s`;
const md: string[] = [
  '# Realtime: WebSocket chat and routing at scale',
  '',
  `${String(results.date).slice(0, 10)} · ${R.machine.platform}, ${R.machine.cpus} cores (${R.machine.cpuModel}), ${R.machine.memGb} GB, Node ${R.machine.node} · PostgreSQL ${settings.server_version} (shared_buffers ${settings.shared_buffers}, synchronous_commit ${settings.synchronous_commit}, fsync ${settings.fsync}) on the same machine.`,
  `Load average (1/5/15 min) at start ${(results.loadAvgStart as number[]).join(' / ')}, at end ${(results.loadAvgEnd as number[]).join(' / ')} — the machine is shared with other work, so treat the figures as a floor. Whole run ${results.totalSeconds} s.`,
  '',
  `One server process: \`buildApp\` + \`listen\` on a local port, background jobs on (outbox relay, SLA sweeper, 1 s routing tick), PostgreSQL pool of the default 10 connections, fresh scratch database \`${DB_NAME}\` (migrated, \`bootstrapInstallation\`, no demo seed). The server owns the main thread; the clients run in ${WORKERS} worker threads of the same process (own event loops, same CPU cores), sockets and agents spread round robin. Parameters: ${VISITORS} visitors, ${AGENTS} agents (online, chat capacity ${CHAT_CAPACITY}), ${VISITORS + AGENTS} sockets, ${SECONDS} s of messaging per round at ${RATES.join(', ')} message/s per visitor, each answered by its agent.`,
  '',
];
if (R.setup && R.connect) {
  md.push(
    '## Setup and connect',
    '',
    `Queue without required skills and webchat channel through the admin API; ${AGENTS} agents by SQL in ${R.setup.sqlAgentsSeconds} s, signed in through \`POST /auth/login\` (16 at a time; one argon2id hash shared by all, so each login costs one verification) in ${R.setup.loginSeconds} s; ${VISITORS} visitors through \`POST /widget/sessions\` in ${R.setup.visitorSessionsSeconds} s (widget rate limits raised with \`widgetLimits\`).`,
    '',
    `Connect: ${R.connect.sockets} sockets (${R.connect.failed} failed) in ${R.connect.seconds} s, ${CONNECT_CONCURRENCY} handshakes in flight → ${R.connect.socketsPerSecond} sockets/s; the server's hub held ${R.connect.serverHubSize}. Per socket, open → \`hello\` (ms):`,
    '',
    '| | n | p50 | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('connect (upgrade + auth + hello)', R.connect.perSocketMs),
    '',
  );
}
if (R.startAndAccept) {
  const s = R.startAndAccept;
  md.push(
    '## Start → offer → accept',
    '',
    `Every visitor starts a chat (\`POST /widget/conversations\` with a first text, ${START_CONCURRENCY} visitors starting at a time across the workers); each agent accepts every \`offer.created\` as it arrives on its socket (\`POST /contacts/:id/accept\`; a 5xx answer is retried, up to 5 attempts, like an agent clicking again). A visitor whose start is answered with an error asks \`POST /widget/sessions\` for its open conversation, as the widget does after a reload, and starts again only when there is none (up to 3 attempts). First start requests answered ${Object.entries(s.startStatuses).map(([k, v]) => `${k} × ${v}`).join(', ')}${s.startFailureSample ? ` (${s.startFailureSample.slice(0, 90)}…)` : ''}; of the failed ones ${s.startErrorButChatCreated} had created the chat anyway, ${s.startRetried} visitors started again, ${s.visitorsWithoutChat} ended without a chat${s.visitorsWithoutChatSample ? ` (${s.visitorsWithoutChatSample.slice(0, 90)})` : ''}. ${s.offers} offers; ${s.accepted} accepted (${s.acceptRetries} accept calls answered 5xx and retried, ${s.acceptFailures} given up); ${s.visitorsSawAgentJoin} visitors saw \`conversation.updated\` active. Start requests ran for ${s.startsSeconds} s (${s.startsPerSecond} visitors/s); **all ${s.accepted} chats accepted ${s.allAcceptedSeconds} s after the first start**${s.outcome === 'ok' ? '' : ' (timed out before all were accepted)'}. Contacts afterwards: ${Object.entries(s.contactsByStatus).map(([k, v]) => `${k} ${v}`).join(', ')}. ${s.sqlRoundTripsPerChat} SQL round trips per chat (starts + routing passes + accept + auth).`,
    ...(Object.keys(s.serverErrors).length ? ['', `Server errors logged in this phase: ${Object.entries(s.serverErrors).map(([k, v]) => `${v} × \`${k}\``).join('; ')}.`] : []),
    '',
    '| ms | n | p50 | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('start request (HTTP, routing pass included)', s.startRequestMs),
    row('**time to offer** (start sent → `offer.created` at the agent)', s.timeToOfferMs),
    row('offer → accept answered', s.offerToAcceptedMs),
    row('start sent → accept answered', s.timeToAcceptedMs),
    row('start sent → visitor sees the agent join', s.timeToVisitorSeesAgentMs),
    '',
    `CPU during this phase: ${cpuLine(s.cpu)}.`,
    '',
  );
}
if (R.steady?.length) {
  const rs = R.steady;
  const lat = (label: string, d: SteadyDirection | null, x: Dist, rate: number) =>
    `| ${rate} | ${label} | ${d ? d.sent : ''} | ${d ? d.delivered : x.n} | ${d ? d.undelivered : ''} | ${x.p50} | ${x.p90} | ${x.p99} | ${x.max} |`;
  md.push(
    '## Steady messaging',
    '',
    `${rs[0]?.activeVisitors} active chats; each visitor sends \`message.send\` (with \`clientMsgId\`) at the round's rate, phases spread evenly; the agent holding the chat answers each customer message at once over its socket. Latency is end to end: the sender's clock (process.hrtime, shared by all threads) written in the text, against the receiving socket's clock when the \`message.created\` frame is parsed. Messages sent within the ${SECONDS} s window count; afterwards the clients drain until every one (and every answer) has arrived, at most ${DRAIN_MS / 1000} s. ${rs.length > 1 ? `Rounds in this order: ${rs.map((r) => r.rate).join(', ')} message/s per visitor.` : ''}`,
    '',
    '| msg/s per visitor | ms | sent | delivered | not delivered by end of drain | p50 | p90 | p99 | max |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rs.flatMap((r) => [
      lat('**customer → agent**', r.customerToAgent, r.customerToAgent.latencyMs, r.rate),
      lat('**agent → customer**', r.agentToCustomer, r.agentToCustomer.latencyMs, r.rate),
      lat("customer send → agent's answer seen", null, r.roundTripMs, r.rate),
      lat('customer send → `message.ack`', null, r.customerToAgent.ackMs, r.rate),
      lat('agent send → `message.ack`', null, r.agentToCustomer.ackMs, r.rate),
    ]),
    '',
    '| msg/s per visitor | offered msg/s | **delivered msg/s** | delivery span | server main thread (cores) | event loop busy | CPU ms / message (server main thread) | PostgreSQL (cores) | CPU ms / message (PostgreSQL) | whole process (cores) | SQL / message | RSS start / peak (MB) | load workers busy | error frames |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...rs.map(
      (r) =>
        `| ${r.rate} | ${r.offeredPerSecond} | ${r.deliveredPerSecond} | ${r.deliverySpanSeconds} s${r.drained ? '' : ' (not drained)'} | ${r.cpu.serverMainThreadCores} | ${Math.round(r.cpu.serverEventLoopUtilization * 100)}% | ${r.serverMainThreadCpuMsPerMessage} | ${r.cpu.postgresCores} | ${r.postgresCpuMsPerMessage} | ${r.cpu.processCores} | ${r.sqlRoundTripsPerMessage} | ${r.memory.rssMbStart} / ${r.memory.rssMbPeak} | ${r.workerEventLoopUtilization.map((x) => `${Math.round(x * 100)}%`).join(' ')} | ${Object.keys(r.errors).length ? Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(', ') : 'none'} |`,
    ),
    '',
    `Delivered msg/s counts both directions over the span from the window's start to the last delivery (longer than ${SECONDS} s when the server fell behind); offered = the customer messages sent in the window plus the agents' answers to them, per second of window. CPU: the server's main thread from /proc (its own thread only), PostgreSQL = the backends serving the scratch database, whole process = server + the ${WORKERS} load workers + libuv/GC threads (process.cpuUsage). RSS is the whole process, the clients' sockets included.`,
    '',
  );
}
if (R.domainRouting) {
  const d = R.domainRouting;
  md.push(
    `## Routing decisions, ${ROUTE_AGENTS.toLocaleString('en')} agents online`,
    '',
    `**(a) Pure domain** (\`@kefu/domain\`, no I/O): ${ROUTE_AGENTS.toLocaleString('en')} \`RoutingCandidate\`s with mixed skills (90% electricity, 60% billing, 5% Amdo Tibetan, some English/complaint) and loads (0–2 of ${CHAT_CAPACITY} chats), ${DOMAIN_WAITING.toLocaleString('en')} waiting chats (60% electricity, 30% billing, 10% Amdo; 5% vulnerable, 5% key account, 2% with an account manager, 4% with a declined agent). Median of ${PASSES} runs after a warm-up.`,
    '',
    '| | wall time | decisions/s | thread CPU | decisions per CPU-second | outcome |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| \`routeQueue\`, ${DOMAIN_WAITING} contacts, agents with free capacity | ${d.routeQueueFreeAgents.passMs} ms | ${d.routeQueueFreeAgents.decisionsPerSecond.toLocaleString('en')} | ${d.routeQueueFreeAgents.passCpuMs} ms | ${d.routeQueueFreeAgents.decisionsPerCpuSecond?.toLocaleString('en') ?? '–'} | ${JSON.stringify(d.routeQueueFreeAgents.decisions)} |`,
    `| \`routeQueue\`, ${DOMAIN_WAITING} contacts, every agent full | ${d.routeQueueAllAgentsFull.passMs} ms | ${d.routeQueueAllAgentsFull.decisionsPerSecond.toLocaleString('en')} | ${d.routeQueueAllAgentsFull.passCpuMs} ms | ${d.routeQueueAllAgentsFull.decisionsPerCpuSecond?.toLocaleString('en') ?? '–'} | ${JSON.stringify(d.routeQueueAllAgentsFull.decisions)} |`,
    `| \`chooseAgent\`, one contact, agents free | ${d.chooseAgentFreeAgents.perCallMs} ms | ${d.chooseAgentFreeAgents.decisionsPerSecond.toLocaleString('en')} | ${d.chooseAgentFreeAgents.perCallCpuMs} ms | ${d.chooseAgentFreeAgents.decisionsPerCpuSecond?.toLocaleString('en') ?? '–'} | |`,
    `| \`chooseAgent\`, one contact, every agent full | ${d.chooseAgentAllAgentsFull.perCallMs} ms | ${d.chooseAgentAllAgentsFull.decisionsPerSecond.toLocaleString('en')} | ${d.chooseAgentAllAgentsFull.perCallCpuMs} ms | ${d.chooseAgentAllAgentsFull.decisionsPerCpuSecond?.toLocaleString('en') ?? '–'} | |`,
    '',
    'Thread CPU is this thread\'s own CPU time from /proc (10 ms ticks), so decisions per CPU-second is the figure without the time the shared machine gave to other work.',
    '',
  );
}
if (R.engineRouting) {
  const e = R.engineRouting;
  md.push(
    `**(b) Engine on PostgreSQL** (\`app.services.routing.routeBrand(brandId)\`, a second app on the same database with jobs off so the 1 s routing tick cannot take the contacts first): a brand of its own with ${e.agents.toLocaleString('en')} agents in \`agent_states\` (online, chat capacity ${CHAT_CAPACITY}, inserted by SQL, skills as in (a)), holding ${e.activeContactsHeld.toLocaleString('en')} active chats (0–2 each), three queues (electricity / billing / Amdo), ${e.waiting} chats queued by SQL before each pass (set up in ${e.setupSeconds} s). Median of ${PASSES} passes after a warm-up.`,
    '',
    '| pass | wall time | decisions/s | SQL round trips | server thread CPU | PostgreSQL CPU | runs (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    `| ${e.waiting} queued → ${e.waiting} offers | ${e.offerPass.passMs} ms | ${e.offerPass.decisionsPerSecond?.toLocaleString('en')} | ${e.offerPass.sqlRoundTrips} | ${e.offerPass.nodeCpuMs} ms | ${e.offerPass.postgresCpuMs} ms | ${e.offerPass.passMsAll.join(' / ')} |`,
    `| ${e.waiting} queued, no agent free (all stay queued) | ${e.noFreeAgentPass.passMs} ms | ${e.noFreeAgentPass.decisionsPerSecond?.toLocaleString('en')} | ${e.noFreeAgentPass.sqlRoundTrips} | ${e.noFreeAgentPass.nodeCpuMs} ms | ${e.noFreeAgentPass.postgresCpuMs} ms | ${e.noFreeAgentPass.passMsAll.join(' / ')} |`,
    `| nothing waiting (the floor: lock, load ${e.agents.toLocaleString('en')} candidates and loads) | ${e.emptyPass.passMs} ms | – | ${e.emptyPass.sqlRoundTrips} | ${e.emptyPass.nodeCpuMs} ms | ${e.emptyPass.postgresCpuMs} ms | ${e.emptyPass.passMsAll.join(' / ')} |`,
    '',
  );
}
for (const [name, lines] of Object.entries(profiles)) {
  md.push(
    `### CPU profile of the server thread: ${name === 'steady' ? `steady round at ${RATES.at(-1)} msg/s` : 'one routeBrand offer pass'} (self time; that run was slowed by the profiler)`,
    '',
    '| self % | function / area |',
    '| ---: | --- |',
    ...lines.map((l) => `| ${l.selfPct} | \`${l.fn}\` |`),
    '',
  );
}
if (failure) md.push('## Failure', '', '```', String(results.failure), '```', '');
writeResults('realtime', results, md.join('\n'));
console.log(`\n${md.join('\n')}`);
process.exit(failure ? 1 : 0);
