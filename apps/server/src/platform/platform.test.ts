import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestContext } from '../testing/test-app.ts';
import { createLocalBus } from './realtime.ts';
import { relayOutbox } from './outbox-relay.ts';

let t: TestContext;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `127.0.0.1:${addr.port}`;
});
afterAll(() => t.close());

function open(cookie?: string): Promise<{ ws: WebSocket; messages: { topic: string; payload: unknown }[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}/ws`, cookie ? { headers: { cookie } } : {});
    const messages: { topic: string; payload: unknown }[] = [];
    ws.on('message', (raw) => messages.push(JSON.parse(String(raw))));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

const waitFor = async (check: () => boolean, ms = 3000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('health', () => {
  it('answers /healthz and /readyz with JSON', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(h.json()).toMatchObject({ status: 'ok' });
    const r = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready' });
  });

  it('serves the OpenAPI document with the customer routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/customers/{id}', '/api/v1/auth/login']));
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  it('answers unknown API routes and bad JSON in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route.not_found');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.malformed');
    expect(bad.headers['x-request-id']).toBe(bad.json().error.requestId);
  });
});

describe('realtime', () => {
  it('refuses a WebSocket without a session', async () => {
    await expect(open()).rejects.toThrow(/401/);
  });

  it('pushes committed events of the brand to signed-in browsers through the outbox', async () => {
    const cookie = await t.login('supervisor');
    const { ws, messages } = await open(cookie);
    await waitFor(() => messages.some((m) => m.topic === 'hello'));
    // The realtime event for password changes is addressed to the one user only.
    const agentCookie = await t.login('agent');
    const agentSocket = await open(agentCookie);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: agentCookie },
      payload: { currentPassword: 'Kefu@95598', newPassword: 'Another-Pass-2026' },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.app.relayOutbox()).toBeGreaterThan(0);
    await waitFor(() => agentSocket.messages.some((m) => m.topic === 'user.password_changed'));
    expect(messages.some((m) => m.topic === 'user.password_changed')).toBe(false);
    ws.close();
    agentSocket.ws.close();
  });

  it('broadcasts order changes to the brand staff who watch the board, not to customers', async () => {
    const supervisor = await open(await t.login('supervisor'));
    const customer = await open(await t.login('customer'));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { cookie: await t.login('agent') },
      payload: { customerId: 'de000000-0000-4000-8000-000000000003', categoryCode: 'inquiry.billing', description: '电费查询' },
    });
    expect(res.statusCode).toBe(201);
    await t.app.relayOutbox();
    await waitFor(() => supervisor.messages.some((m) => m.topic === 'ticket.created'));
    await new Promise((r) => setTimeout(r, 100));
    expect(customer.messages.some((m) => m.topic === 'ticket.created')).toBe(false);
    const event = supervisor.messages.find((m) => m.topic === 'ticket.created')?.payload as Record<string, unknown>;
    expect(event).not.toHaveProperty('userIds');
    supervisor.ws.close();
    customer.ws.close();
  });

  it('publishes each outbox event once even when relays run concurrently', async () => {
    const bus = createLocalBus();
    const seen: string[] = [];
    bus.subscribe((m) => seen.push(m.topic));
    const db = t.database.db;
    await db.insertInto('outbox').values(Array.from({ length: 50 }, (_, i) => ({ topic: `test.${i}`, aggregate_type: 't', aggregate_id: String(i), payload: '{}' }))).execute();
    const counts = await Promise.all([relayOutbox(db, bus, 20), relayOutbox(db, bus, 20), relayOutbox(db, bus, 20), relayOutbox(db, bus, 20)]);
    await relayOutbox(db, bus);
    const testTopics = seen.filter((s) => s.startsWith('test.'));
    expect(new Set(testTopics).size).toBe(50);
    expect(testTopics.length).toBe(50);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(80);
  });
});
