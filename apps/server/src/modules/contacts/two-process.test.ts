import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../../testing/ws-client.ts';

// Two real server processes on one PostgreSQL, joined by Redis pub/sub, as behind a load balancer:
// the customer's widget talks to process A, the agent's desktop to process B, and every message,
// offer and read receipt still reaches the right browser.

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');
const pgUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const dbName = `kefu_twoproc_${process.pid}`;
const ADMIN_PASSWORD = 'Admin@TwoProc-2026';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function dbUrl(): string {
  const u = new URL(pgUrl as string);
  u.pathname = `/${dbName}`;
  return u.toString();
}

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl(),
      REDIS_URL: redisUrl,
      KEFU_SEED: 'none',
      KEFU_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KEFU_SESSION_SECRET: 'two-process-secret-0123456789-abcdefghijklmnop',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(port: number, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] as string };
}

describe.skipIf(!pgUrl || !redisUrl)('two server processes behind a load balancer', () => {
  const children: ChildProcess[] = [];
  let a = 0;
  let b = 0;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    a = await freePort();
    children.push(await start(a)); // migrates and bootstraps first
    b = await freePort();
    children.push(await start(b));
  }, 200_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }, 60_000);

  it('delivers offers and chat messages across processes through Redis', async () => {
    const adminCookie = (await call(a, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).cookie;
    const asAdmin = { cookie: adminCookie };
    const user = await call(a, 'POST', '/api/v1/users', { username: 'chatagent', displayName: '跨进程坐席', password: 'Agent@TwoProc-2026', role: 'agent', skills: ['twoproc'] }, asAdmin);
    expect(user.status).toBe(201);
    const queue = await call(a, 'POST', '/api/v1/queues', { code: 'twoproc', nameZh: '跨进程', nameEn: 'Two process', requiredSkills: ['twoproc'] }, asAdmin);
    expect(queue.status).toBe(201);
    const channel = await call(a, 'POST', '/api/v1/channels', { type: 'webchat', name: '跨进程渠道', queueId: queue.body.id, config: {} }, asAdmin);
    expect(channel.status).toBe(201);

    // The agent signs in and goes online on process B and keeps their socket there.
    const agentCookie = (await call(b, 'POST', '/api/v1/auth/login', { username: 'chatagent', password: 'Agent@TwoProc-2026' })).cookie;
    expect((await call(b, 'PUT', '/api/v1/agent/presence', { state: 'online' }, { cookie: agentCookie })).status).toBe(200);
    const agentSocket = await TestSocket.open(`ws://127.0.0.1:${b}/ws`, { cookie: agentCookie });

    // The customer's widget talks to process A only.
    const session = await call(a, 'POST', '/api/v1/widget/sessions', { channelId: channel.body.id, name: '跨进程客户' });
    const token = session.body.visitorToken as string;
    const customerSocket = await TestSocket.open(`ws://127.0.0.1:${a}/ws?visitorToken=${encodeURIComponent(token)}`);
    const started = await call(a, 'POST', '/api/v1/widget/conversations', { text: '你好' }, { 'x-visitor-token': token });
    expect(started.status).toBe(200);
    const conversationId = started.body.id as string;
    const contactId = started.body.currentContactId as string;

    await agentSocket.next('offer.created', (p) => (p.contact as { id: string }).id === contactId, 10_000);
    expect((await call(b, 'POST', `/api/v1/contacts/${contactId}/accept`, {}, { cookie: agentCookie })).status).toBe(200);
    await customerSocket.next('conversation.updated', (p) => p.status === 'active', 10_000);

    for (let i = 0; i < 20; i++) customerSocket.send({ type: 'message.send', conversationId, clientMsgId: `m-${i}`, text: `第${i}条` });
    for (let i = 0; i < 20; i++) await agentSocket.next('message.created', (p) => p.clientMsgId === `m-${i}`, 10_000);
    agentSocket.send({ type: 'message.send', conversationId, clientMsgId: 'reply', text: '收到' });
    const reply = await customerSocket.next('message.created', (p) => p.clientMsgId === 'reply', 10_000);
    expect(reply.payload).toMatchObject({ senderType: 'agent', senderName: '跨进程坐席' });
    agentSocket.send({ type: 'typing', conversationId });
    await customerSocket.next('typing', (p) => p.from === 'agent', 10_000);

    // Every message arrived exactly once, in sequence order.
    const seqs = agentSocket.all('message.created').filter((f) => f.payload.senderType === 'customer').map((f) => Number(f.payload.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    await customerSocket.close();
    await agentSocket.close();
  }, 60_000);
});
