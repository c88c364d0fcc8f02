import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../../seed/index.ts';
import { createTestApp, type TestContext } from '../../../testing/test-app.ts';
import { TestSocket } from '../../../testing/ws-client.ts';
import { type FakeRequest, platformVerifies, startFakeServer } from '../api/fake-server.testing.ts';
import { signRequest } from '../api/signing.ts';

// Phone calls through the whole product: a PBX posts signed call events to the CTI endpoint; the
// answer to `offered` routes the call (agent with an extension, queue, or overflow); the events
// build the call's contact with the PBX's timestamps (duplicates and late events included); the
// answering agent's browser socket gets the screen pop with the caller's archive and open orders;
// the agent wraps up in Kefu; click-to-call reaches the PBX as a signed webhook.

let t: TestContext;
let admin = '';
let agent = '';
let agent02 = '';
let agentId = '';
let agent02Id = '';
let channelId = '';
let secret = '';
let wsBase = '';
let pbx: Awaited<ReturnType<typeof startFakeServer>>;
const originates: FakeRequest[] = [];
let pbxStatus = 200;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

let seq = 0;
const T0 = Math.floor(Date.now() / 1000);
/** Posts one event signed as the PBX does; `at` in seconds after T0. */
async function event(body: Record<string, unknown>, opts: { sign?: string } = {}) {
  const raw = JSON.stringify({ eventId: `ev-${++seq}`, ...body, at: T0 + Number(body.at ?? 0) });
  const headers = signRequest(opts.sign ?? secret, raw, new Date());
  const res = await t.app.inject({ method: 'POST', url: `/channels/cti/${channelId}`, headers: { 'content-type': 'application/json', ...headers }, payload: raw });
  return { status: res.statusCode, body: JSON.parse(res.body) as Body, raw };
}
async function replay(raw: string) {
  const res = await t.app.inject({ method: 'POST', url: `/channels/cti/${channelId}`, headers: { 'content-type': 'application/json', ...signRequest(secret, raw, new Date()) }, payload: raw });
  return { status: res.statusCode, body: JSON.parse(res.body) as Body };
}

const contactOf = async (callId: string) => {
  const k = await t.database.db.selectFrom('cti_calls').selectAll().where('channel_id', '=', channelId).where('call_id', '=', callId).executeTakeFirstOrThrow();
  const c = k.contact_id ? await t.database.db.selectFrom('contacts').selectAll().where('id', '=', k.contact_id).executeTakeFirstOrThrow() : null;
  return { call: k, contact: c };
};

beforeAll(async () => {
  pbx = await startFakeServer('', (_n, req) => {
    originates.push(req);
    return pbxStatus === 200 ? { status: 200, body: { callId: `pbx-${originates.length}` } } : { status: pbxStatus, body: { error: 'busy' } };
  });
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  wsBase = `ws://127.0.0.1:${address.port}`;
  admin = await t.login('admin');
  agent = await t.login('agent');
  agent02 = await t.login('agent02');
  const users = await t.database.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['agent', 'agent02']).execute();
  agentId = users.find((u) => u.username === 'agent')?.id ?? '';
  agent02Id = users.find((u) => u.username === 'agent02')?.id ?? '';
  const created = await call(admin, 'POST', '/api/v1/channels', { type: 'cti', name: '95598 热线', config: { agentExtensions: { [agentId]: '8001', [agent02Id]: '8002' }, originateUrl: pbx.url } });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  secret = created.body.generatedSecrets.signingSecret;
  expect(secret.length).toBeGreaterThanOrEqual(16);
});
afterAll(async () => {
  await t?.close();
  await pbx?.close();
});

describe('CTI calls', () => {
  it('refuses a CTI channel whose config is not the documented one', async () => {
    const bad = await call(admin, 'POST', '/api/v1/channels', { type: 'cti', name: 'x', config: { agentExtensions: { a: 'not an extension!' } } });
    expect(bad.status).toBe(400);
  });

  it('routes a known caller to the online agent with an extension, builds the contact from the events and pops the archive at the agent', async () => {
    const fixture = getDemoCustomerFixture('repeatComplainer');
    const phone = fixture.phones[0] as string;
    await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' });
    const socket = await TestSocket.open(`${wsBase}/ws`, { cookie: agent });
    try {
      const offered = await event({ type: 'offered', callId: 'call-1', caller: phone, called: '95598', at: 0 });
      expect(offered.status).toBe(200);
      expect(offered.body).toMatchObject({ ok: true, action: 'agent', extension: '8001' });
      // WeChat-style retries: the same event again answers the same and stores nothing more.
      const again = await replay(offered.raw);
      expect(again.body).toMatchObject({ action: 'agent', extension: '8001' });
      const stored = await t.database.db.selectFrom('cti_call_events').select('event_id').where('channel_id', '=', channelId).where('call_id', '=', 'call-1').execute();
      expect(stored).toHaveLength(2); // the PBX's offered + Kefu's own queued
      let s = await contactOf('call-1');
      expect(s.call.routed_agent_id).toBe(agentId);
      expect(s.call.customer_id).toBe(fixture.id);
      expect(s.contact).toMatchObject({ channel: 'call', status: 'queued', customer_id: fixture.id, from_address: phone, to_address: '95598' });

      // A second caller meanwhile: the only agent is being rung, so the call waits in the queue.
      const second = await event({ type: 'offered', callId: 'call-2', caller: '13900000077', called: '95598', at: 1 });
      expect(second.body).toMatchObject({ action: 'queue', queueId: expect.any(String) });

      const ans = await event({ type: 'answered', callId: 'call-1', agentExtension: '8001', at: 12 });
      expect(ans.status).toBe(200);
      const pop = await socket.next('call.screen_pop', (p) => p.contactId === s.contact?.id);
      expect(pop.payload).toMatchObject({ callId: 'call-1', customerId: fixture.id, status: 'active', channelName: '95598 热线' });
      expect((pop.payload.customers as Body[]).map((c) => c.name)).toEqual([fixture.name]);
      expect(pop.payload.caller).not.toBe(phone); // masked in the push
      const open = await t.database.db.selectFrom('tickets').select('number').where('customer_id', '=', fixture.id).where('status', 'in', ['accepted', 'dispatched', 'in_progress', 'handled', 'returned']).execute();
      expect((pop.payload.openTickets as Body[]).map((o) => o.number).sort()).toEqual(open.map((o) => o.number).sort());

      const current = await call(agent, 'GET', '/api/v1/calls/current');
      expect(current.body.items).toEqual([expect.objectContaining({ contactId: s.contact?.id, callId: 'call-1', status: 'active', customerName: fixture.name })]);
      // Someone else's call is not theirs to read.
      expect((await call(agent02, 'GET', `/api/v1/calls/${s.contact?.id}/screen-pop`)).status).toBe(404);

      await event({ type: 'held', callId: 'call-1', at: 60 });
      await event({ type: 'resumed', callId: 'call-1', at: 90 });
      const ended = await event({ type: 'ended', callId: 'call-1', reason: 'customer_hangup', at: 150 });
      expect(ended.status).toBe(200);
      const update = await socket.next('call.updated', (p) => p.contactId === s.contact?.id && p.status === 'wrap_up');
      expect(update.payload.endedAt).toBe(new Date((T0 + 150) * 1000).toISOString());
      s = await contactOf('call-1');
      expect(s.contact?.queued_at?.getTime()).toBe(T0 * 1000);
      expect(s.contact?.answered_at?.getTime()).toBe((T0 + 12) * 1000);
      expect(Number(s.contact?.hold_ms)).toBe(30_000);
      expect(Number(s.contact?.talk_ms)).toBe(108_000);

      // The agent wraps up in Kefu; a late recording link keeps the contact closed with its reason.
      const reason = await t.database.db.selectFrom('reason_codes').select('code').where('parent_code', 'is not', null).executeTakeFirstOrThrow();
      const wrapped = await call(agent, 'POST', `/api/v1/contacts/${s.contact?.id}/wrap-up`, { reasonCode: reason.code });
      expect(wrapped.status, JSON.stringify(wrapped.body)).toBe(200);
      await event({ type: 'recording_ready', callId: 'call-1', url: 'https://pbx.example.cn/rec/call-1.wav', at: 155 });
      s = await contactOf('call-1');
      expect(s.contact).toMatchObject({ status: 'closed', reason_code: reason.code });
      expect(s.call.recording_urls).toEqual(['https://pbx.example.cn/rec/call-1.wav']);
      const timeline = await t.database.db.selectFrom('contact_events').select('type').where('contact_id', '=', s.contact?.id as string).orderBy('id').execute();
      expect(timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered', 'held', 'resumed', 'ended', 'wrapped_up']);
    } finally {
      socket.ws.close();
    }
  });

  it('gives the same contact whatever order the events arrive in', async () => {
    const posts = [
      { type: 'offered', callId: 'x-in-order', caller: '13900000011', called: '95598', at: 0 },
      { type: 'queued', callId: 'x-in-order', queueId: '', at: 5 },
      { type: 'answered', callId: 'x-in-order', agentExtension: '8002', at: 20 },
      { type: 'ended', callId: 'x-in-order', reason: 'agent_hangup', at: 80 },
    ];
    const queue = await t.database.db.selectFrom('queues').select('id').where('code', '=', 'general').executeTakeFirstOrThrow();
    for (const p of posts) if (p.type === 'queued') p.queueId = queue.id;
    for (const p of posts) expect((await event(p)).status).toBe(200);
    for (const p of [...posts].reverse()) expect((await event({ ...p, callId: 'x-reversed' })).status).toBe(200);
    const a = (await contactOf('x-in-order')).contact;
    const b = (await contactOf('x-reversed')).contact;
    for (const key of ['status', 'agent_id', 'queued_at', 'answered_at', 'ended_at', 'talk_ms', 'end_reason'] as const) expect(b?.[key]).toEqual(a?.[key]);
    expect(a).toMatchObject({ status: 'wrap_up', agent_id: agent02Id, end_reason: 'completed' });
  });

  it('overflows when no agent with an extension is logged in, and the voicemail becomes a callback task', async () => {
    expect((await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'offline' })).status).toBe(200);
    const offered = await event({ type: 'offered', callId: 'night-1', caller: '0971-8812345', called: '95598', at: 0 });
    expect(offered.body).toMatchObject({ action: 'overflow', overflowAction: expect.stringMatching(/leave_message|callback/) });
    await event({ type: 'ended', callId: 'night-1', reason: 'timeout', overflowAction: 'leave_message', at: 40 });
    const { contact } = await contactOf('night-1');
    expect(contact).toMatchObject({ status: 'closed', end_reason: 'overflowed', overflow_action: 'leave_message' });
    const tasks = await t.database.db.selectFrom('callback_tasks').selectAll().where('contact_id', '=', contact?.id as string).execute();
    expect(tasks).toEqual([expect.objectContaining({ kind: 'leave_message', phone: '0971-8812345' })]);
  });

  it('follows the published IVR: the keys pressed choose the queue', async () => {
    const billing = await t.database.db.selectFrom('queues').select('id').where('code', '=', 'billing').executeTakeFirstOrThrow();
    const general = await t.database.db.selectFrom('queues').select('id').where('code', '=', 'general').executeTakeFirstOrThrow();
    const tree = {
      root: 'main',
      defaultLanguage: 'zh-CN',
      languages: ['zh-CN'],
      nodes: [
        { id: 'main', kind: 'menu', prompt: { text: { 'zh-CN': '电费请按1，人工请按0' } }, options: { '0': 'agent', '1': 'billing' }, timeoutSeconds: 5, maxRetries: 1, fallback: 'agent' },
        { id: 'billing', kind: 'queue', queueId: billing.id },
        { id: 'agent', kind: 'queue', queueId: general.id },
      ],
    };
    await t.database.db.insertInto('ivr_versions').values({ channel_id: channelId, version: 1, tree: JSON.stringify(tree) }).execute();
    await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' });
    const offered = await event({ type: 'offered', callId: 'ivr-1', caller: '13900000012', called: '95598', ivrPath: '1', at: 0 });
    expect(offered.status).toBe(200);
    expect((await contactOf('ivr-1')).call.routed_queue_id).toBe(billing.id);
    expect((await contactOf('ivr-1')).contact?.queue_id).toBe(billing.id);
    const ivr = await t.app.inject({ method: 'GET', url: `/channels/cti/${channelId}/ivr`, headers: signRequest(secret, `/channels/cti/${channelId}/ivr`, new Date()) });
    expect(ivr.statusCode).toBe(200);
    expect(JSON.parse(ivr.body)).toMatchObject({ format: 'kefu-ivr/1', version: 1, root: 'main' });
  });

  it('lets the agent create the archive entry for an unknown caller, with the number they never see', async () => {
    await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' });
    await event({ type: 'offered', callId: 'new-1', caller: '13912340001', called: '95598', at: 0 });
    await event({ type: 'answered', callId: 'new-1', agentExtension: '8001', at: 10 });
    const { contact } = await contactOf('new-1');
    const pop = await call(agent, 'GET', `/api/v1/calls/${contact?.id}/screen-pop`);
    expect(pop.body).toMatchObject({ customers: [], customerId: null, openTickets: [] });
    const linked = await call(agent, 'POST', `/api/v1/calls/${contact?.id}/customer`, { newCustomer: { name: '马德福', address: '西宁市城中区南大街12号' } });
    expect(linked.status).toBe(200);
    expect(linked.body.customerId).toEqual(expect.any(String));
    const identity = await t.database.db.selectFrom('customer_identities').select('value').where('customer_id', '=', linked.body.customerId).where('kind', '=', 'phone').execute();
    expect(identity.map((i) => i.value)).toEqual(['13912340001']);
    expect((await contactOf('new-1')).contact?.customer_id).toBe(linked.body.customerId);
    expect((await call(agent, 'POST', `/api/v1/calls/${contact?.id}/customer`, { newCustomer: { name: '' } })).status).toBe(400);
  });

  it('refuses unsigned, malformed or unknown references without storing anything', async () => {
    const forged = await event({ type: 'offered', callId: 'bad-1', caller: '1', called: '2' }, { sign: 'not-the-secret-0123456789' });
    expect(forged.status).toBe(401);
    expect((await event({ type: 'answered', callId: 'bad-2', agentExtension: '9999' })).body.error.code).toBe('cti.unknown_extension');
    expect((await event({ type: 'queued', callId: 'bad-3', queueId: '00000000-0000-4000-8000-000000000000' })).body.error.code).toBe('cti.unknown_queue');
    expect((await event({ type: 'answered', callId: 'bad-4', agentId: 'someone' })).body.error.code).toBe('cti.unknown_agent');
    const rows = await t.database.db.selectFrom('cti_call_events').select('event_id').where('call_id', 'like', 'bad-%').execute();
    expect(rows).toEqual([]);
  });

  it('asks the PBX to place a click-to-call as a signed webhook, and reports a PBX that refuses', async () => {
    const fixture = getDemoCustomerFixture('elderlyAlone');
    const placed = await call(agent, 'POST', '/api/v1/calls/originate', { customerId: fixture.id, channelId });
    expect(placed.status).toBe(202);
    expect(placed.body).toMatchObject({ status: 'accepted', pbxCallId: expect.stringMatching(/^pbx-/), customerId: fixture.id });
    const last = originates.at(-1);
    expect(last?.json).toMatchObject({ action: 'originate', agentExtension: '8001', number: fixture.phones[0] });
    expect(last && platformVerifies(secret, last.headers, last.body)).toBe(true);
    expect(last && platformVerifies('another-secret-0123456789', last.headers, last.body)).toBe(false);

    pbxStatus = 503;
    const failed = await call(agent, 'POST', '/api/v1/calls/originate', { number: '13900001111', channelId });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('cti.originate_failed');
    pbxStatus = 200;
    const rows = await t.database.db.selectFrom('cti_originations').select(['status', 'number']).where('agent_id', '=', agentId).orderBy('created_at').execute();
    expect(rows.map((r) => r.status)).toEqual(['accepted', 'failed']);
    // The channels page shows the line's health: calls came in, the last originate failed.
    const health = await t.database.db.selectFrom('channels').select('health').where('id', '=', channelId).executeTakeFirstOrThrow();
    expect(health.health).toMatchObject({ lastInboundAt: expect.any(String), lastOutboundAt: expect.any(String), lastOutboundError: 'cti.originate_failed' });

    // A supervisor without an extension has no line to call from.
    const sup = await t.login('supervisor');
    const none = await call(sup, 'POST', '/api/v1/calls/originate', { number: '13900001111' });
    expect(none.body.error?.code).toBe('cti.not_configured');
    expect((await call(agent, 'POST', '/api/v1/calls/originate', {})).status).toBe(400);
  }, 30_000);

  it('lets an administrator give agents their extensions, one agent per extension, audited', async () => {
    const sup = await t.login('supervisor');
    const supId = (await t.database.db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow()).id;
    const url = `/api/v1/channels/${channelId}/cti-settings`;
    const clash = await call(admin, 'PUT', url, { originateUrl: pbx.url, agentExtensions: { [agentId]: '8001', [supId]: '8001' } });
    expect(clash.status).toBe(400);
    const stranger = await call(admin, 'PUT', url, { originateUrl: pbx.url, agentExtensions: { '00000000-0000-4000-8000-000000000000': '8100' } });
    expect(stranger.status).toBe(400);
    expect((await call(agent, 'PUT', url, { originateUrl: null, agentExtensions: {} })).status).toBe(403);
    const ok = await call(admin, 'PUT', url, { originateUrl: pbx.url, agentExtensions: { [agentId]: '8001', [agent02Id]: '8002', [supId]: '8009' } });
    expect(ok.status).toBe(200);
    expect(ok.body.config).toMatchObject({ originateUrl: pbx.url, agentExtensions: { [supId]: '8009' } });
    const placed = await call(sup, 'POST', '/api/v1/calls/originate', { number: '13900002222', channelId });
    expect(placed.status).toBe(202);
    expect(originates.at(-1)?.json).toMatchObject({ agentExtension: '8009', number: '13900002222' });
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', channelId).where('action', '=', 'channel.cti_settings').execute();
    expect(audit).toHaveLength(1);
  });
});
