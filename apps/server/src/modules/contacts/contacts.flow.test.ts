import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { settle, TestSocket } from '../../testing/ws-client.ts';
import { signIdentityToken } from './visitor-tokens.ts';

// The whole live-chat loop over real sockets: a visitor opens the widget's session, an agent goes
// online and is offered the chat, accepts, both talk, the customer reconnects without losing
// anything, the chat is transferred, ended and wrapped up, and lands on the customer's timeline.

let t: TestContext;
// Real time (the seeded presence rows start at seeding time), moved forward by hand.
let now = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
const tick = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
let base = '';
let wsBase = '';
let queueId = '';
let channelId = '';
let identitySecret = '';
const REASON = 'test-flow.question';

async function api(method: string, url: string, cookie: string | null, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the schemas are tested by the routes.
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : null };
}

async function online(user: string) {
  const cookie = await t.login(user);
  const me = await api('PUT', '/api/v1/agent/presence', cookie, { state: 'online' });
  if (me.status !== 200 && me.body?.error?.details?.reason !== 'unchanged') throw new Error(JSON.stringify(me.body));
  return cookie;
}

async function staffSocket(user: string) {
  return TestSocket.open(`${wsBase}/ws`, { cookie: await t.login(user) });
}

async function visitorSession(extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/v1/widget/sessions', null, { channelId, name: '访客', ...extra });
  expect(res.status).toBe(200);
  return res.body as { visitorToken: string; visitorId: string; verified: boolean };
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  wsBase = base.replace('http', 'ws');
  const admin = await t.login('admin');
  // A queue of its own (24×7, skill electricity) so seeded queues and calendars do not matter.
  const q = await api('POST', '/api/v1/queues', admin, { code: 'test-flow', nameZh: '测试队列', nameEn: 'Test queue', requiredSkills: ['electricity'], maxWaitSeconds: 120, offerTimeoutSeconds: 20, maxOffers: 3, overflowAction: 'callback' });
  expect(q.status).toBe(201);
  queueId = q.body?.id;
  const ch = await api('POST', '/api/v1/channels', admin, {
    type: 'webchat',
    name: '测试渠道',
    queueId,
    config: { greeting: '您好', preChat: { enabled: true, fields: [{ name: 'name', required: false }] }, topics: [{ code: 'power', labelZh: '用电', labelEn: 'Power', queueCode: 'test-flow' }] },
  });
  expect(ch.status).toBe(201);
  channelId = ch.body?.id;
  identitySecret = ch.body?.identitySecret;
  expect(ch.body?.secrets.identitySecret).toMatch(/^••••/);
  await api('POST', '/api/v1/reason-codes', admin, { code: 'test-flow', nameZh: '测试', nameEn: 'Test' });
  const rc = await api('POST', '/api/v1/reason-codes', admin, { code: REASON, nameZh: '咨询', nameEn: 'Question' });
  expect(rc.status).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

describe('web chat through routing to an agent and back', () => {
  let conversationId = '';
  let contactId = '';
  let visitor: { visitorToken: string; visitorId: string; verified: boolean };
  let customerSocket: TestSocket;
  let agentSocket: TestSocket;
  const fixture = getDemoCustomerFixture('portal');
  const fixturePhone = fixture.phones[0] as string;

  it('serves the widget config and refuses an unknown channel', async () => {
    const cfg = await api('GET', `/api/v1/widget/channels/${channelId}/config`, null);
    expect(cfg.status).toBe(200);
    expect(cfg.body).toMatchObject({ channelId, name: '测试渠道', open: true, topics: [{ code: 'power', labelZh: '用电' }] });
    const missing = await api('GET', '/api/v1/widget/channels/00000000-0000-4000-8000-000000000000/config', null);
    expect(missing.status).toBe(404);
    expect(missing.body?.error.code).toBe('widget.channel_unavailable');
  });

  it('links a visitor with a valid identity token to the archive and refuses a forged one', async () => {
    const token = signIdentityToken(identitySecret, { sub: 'portal-1', name: fixture.name, phone: fixturePhone, exp: Math.floor(now.getTime() / 1000) + 600 });
    visitor = await visitorSession({ identityToken: token });
    expect(visitor.verified).toBe(true);
    const forged = await api('POST', '/api/v1/widget/sessions', null, { channelId, identityToken: signIdentityToken('wrong-secret', { sub: 'x', exp: 9_999_999_999 }) });
    expect(forged.status).toBe(401);
    expect(forged.body?.error.code).toBe('widget.invalid_identity');
  });

  it('offers a new chat to the online qualified agent over the socket', async () => {
    await online('agent');
    agentSocket = await staffSocket('agent');
    customerSocket = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(visitor.visitorToken)}`);
    const started = await api('POST', '/api/v1/widget/conversations', null, { topic: 'power', text: '我家停电了', clientMsgId: 'c-1' }, { 'x-visitor-token': visitor.visitorToken });
    expect(started.status).toBe(200);
    conversationId = started.body?.id;
    contactId = started.body?.currentContactId;
    expect(started.body?.customerId).toBe(fixture.id);
    const offer = await agentSocket.next('offer.created', (p) => (p.contact as { id: string }).id === contactId);
    expect(offer.payload.contact).toMatchObject({ status: 'offered', queueId, customerId: fixture.id, channel: 'chat' });
    expect(offer.payload.expiresAt).toBe(new Date(now.getTime() + 20_000).toISOString());
  });

  it('lets only the offered agent accept; the customer sees the agent join', async () => {
    await online('agent02');
    const other = await api('POST', `/api/v1/contacts/${contactId}/accept`, await t.login('agent02'), {});
    expect(other.status).toBe(409);
    expect(other.body?.error.details.reason).toBe('not_offered_to_you');
    tick(3);
    const accepted = await api('POST', `/api/v1/contacts/${contactId}/accept`, await t.login('agent'), {});
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'active', agentName: '王晓燕', waitSeconds: 3 });
    const joined = await customerSocket.next('message.created', (p) => p.senderType === 'system' && String(p.body).includes('王晓燕'));
    expect(joined.payload.internal).toBe(false);
    await customerSocket.next('conversation.updated', (p) => p.status === 'active');
  });

  it('delivers messages both ways, idempotent on clientMsgId', async () => {
    customerSocket.send({ type: 'message.send', conversationId, clientMsgId: 'c-2', text: '<b>还没来电</b>' });
    const ack = await customerSocket.next('message.ack', (p) => p.clientMsgId === 'c-2');
    const got = await agentSocket.next('message.created', (p) => p.clientMsgId === 'c-2');
    expect(got.payload).toMatchObject({ body: '<b>还没来电</b>', senderType: 'customer', seq: ack.payload.seq });
    // A resend after a lost ack: same message, nothing new for the agent.
    customerSocket.send({ type: 'message.send', conversationId, clientMsgId: 'c-2', text: '<b>还没来电</b>' });
    const again = await customerSocket.next('message.ack', (p) => p.clientMsgId === 'c-2');
    expect(again.payload.seq).toBe(ack.payload.seq);
    await settle(100);
    expect(agentSocket.all('message.created').filter((f) => f.payload.clientMsgId === 'c-2')).toHaveLength(1);

    const reply = await api('POST', `/api/v1/conversations/${conversationId}/messages`, await t.login('agent'), { text: '您好，正在为您查询', clientMsgId: 'a-1' });
    expect(reply.status).toBe(201);
    const seen = await customerSocket.next('message.created', (p) => p.clientMsgId === 'a-1');
    expect(seen.payload).toMatchObject({ senderType: 'agent', senderName: '王晓燕' });

    customerSocket.send({ type: 'typing', conversationId });
    await agentSocket.next('typing', (p) => p.conversationId === conversationId && p.from === 'customer');
  });

  it('takes a photo from the customer within the channel limits and serves it back safely', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const upload = async (name: string, data: Buffer) => {
      const boundary = '----kefutest';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: image/png\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/widget/conversations/${conversationId}/attachments`, headers: { 'x-visitor-token': visitor.visitorToken, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const ok = await upload('电表.png', png);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'image', senderType: 'customer', attachment: { name: '电表.png', contentType: 'image/png', size: png.length } });
    await agentSocket.next('message.created', (p) => p.id === ok.body.id);
    const file = await t.app.inject({ method: 'GET', url: ok.body.attachment.url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-security-policy']).toContain('sandbox');
    expect(file.rawPayload.equals(png)).toBe(true);
    const disguised = await upload('x.png', Buffer.from('<html><script>alert(1)</script></html>'));
    expect(disguised.status).toBe(415);
    const tooBig = await upload('big.png', Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024)]));
    expect(tooBig.status).toBe(413);
  });

  it('refuses a socket without identity and frames for someone else’s conversation', async () => {
    await expect(TestSocket.open(`${wsBase}/ws`)).rejects.toThrow(/401/);
    await expect(TestSocket.open(`${wsBase}/ws?visitorToken=forged.token`)).rejects.toThrow(/401/);

    const stranger = await visitorSession({ name: '陌生人' });
    const strangerSocket = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(stranger.visitorToken)}`);
    strangerSocket.send({ type: 'message.send', conversationId, clientMsgId: 's-1', text: '偷看' });
    const refused = await strangerSocket.next('error', (p) => p.ref === 's-1');
    expect(refused.payload.code).toBe('auth.forbidden');
    strangerSocket.send({ type: 'resume', conversationId, afterSeq: 0 });
    const refusedResume = await strangerSocket.next('error');
    expect(refusedResume.payload.code).toBe('auth.forbidden');
    expect(strangerSocket.all('message.created')).toHaveLength(0);
    // The REST fallback answers the same.
    const rest = await api('GET', `/api/v1/widget/conversations/${conversationId}/messages`, null, undefined, { 'x-visitor-token': stranger.visitorToken });
    expect(rest.status).toBe(404);
    await strangerSocket.close();

    // An agent who does not hold the chat may read it but not write or type into it.
    const agent02 = await staffSocket('agent02');
    agent02.send({ type: 'message.send', conversationId, clientMsgId: 'x-1', text: '插话' });
    expect((await agent02.next('error', (p) => p.ref === 'x-1')).payload.code).toBe('auth.forbidden');
    agent02.send({ type: 'watch', conversationId });
    expect((await agent02.next('error')).payload.code).toBe('auth.forbidden');
    const post = await api('POST', `/api/v1/conversations/${conversationId}/messages`, await t.login('agent02'), { text: '插话' });
    expect(post.status).toBe(403);
    agent02.send({ type: 'nonsense' });
    expect((await agent02.next('error', (p) => p.code === 'ws.unknown_type')).payload.code).toBe('ws.unknown_type');
    agent02.send('not json');
    expect((await agent02.next('error', (p) => p.code === 'ws.invalid_frame')).payload.code).toBe('ws.invalid_frame');
    await agent02.close();
  });

  it('loses nothing across a dropped connection: resume replays what was missed, in order', async () => {
    const before = Math.max(...customerSocket.all('message.created').map((f) => Number(f.payload.seq)));
    await customerSocket.close();
    const agent = await t.login('agent');
    await api('POST', `/api/v1/conversations/${conversationId}/messages`, agent, { text: '抢修人员已出发' });
    await api('POST', `/api/v1/conversations/${conversationId}/messages`, agent, { text: '预计30分钟到达' });
    customerSocket = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(visitor.visitorToken)}`);
    customerSocket.send({ type: 'resume', conversationId, afterSeq: before });
    const done = await customerSocket.next('resume.done');
    const replayed = customerSocket.all('message.created').map((f) => f.payload.body);
    expect(replayed).toEqual(['抢修人员已出发', '预计30分钟到达']);
    expect(done.payload.lastSeq).toBe(before + 2);
    // A reloaded page resumes the same visitor and finds the open conversation.
    const reloaded = await api('POST', '/api/v1/widget/sessions', null, { channelId, visitorToken: visitor.visitorToken });
    expect(reloaded.body).toMatchObject({ visitorId: visitor.visitorId, conversation: { id: conversationId, status: 'open' } });
  });

  it('lets a supervisor listen and whisper without the customer seeing it', async () => {
    const sup = await staffSocket('supervisor');
    sup.send({ type: 'watch', conversationId });
    await sup.next('watch.started');
    const whisper = await api('POST', `/api/v1/conversations/${conversationId}/messages`, await t.login('supervisor'), { text: '先安抚客户情绪', internal: true });
    expect(whisper.status).toBe(201);
    await agentSocket.next('message.created', (p) => p.body === '先安抚客户情绪' && p.internal === true);
    await sup.next('message.created', (p) => p.body === '先安抚客户情绪');
    await settle(100);
    expect(customerSocket.frames.some((f) => f.payload?.body === '先安抚客户情绪')).toBe(false);
    const visible = await api('GET', `/api/v1/widget/conversations/${conversationId}/messages`, null, undefined, { 'x-visitor-token': visitor.visitorToken });
    expect(visible.body?.items.some((m: { internal: boolean }) => m.internal)).toBe(false);
    await sup.close();
  });

  it('transfers to another agent, who accepts; ends; wrap-up needs a known reason', async () => {
    const agent02 = await staffSocket('agent02');
    const agent02Id = (await api('GET', '/api/v1/agent/desk', await t.login('agent02'))).body?.presence.agentId;
    tick(60);
    const moved = await api('POST', `/api/v1/contacts/${contactId}/transfer`, await t.login('agent'), { to: { kind: 'agent', agentId: agent02Id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'offered', offerAgentId: agent02Id, transferCount: 1 });
    await agentSocket.next('offer.withdrawn', (p) => p.contactId === contactId && p.reason === 'transferred');
    await agent02.next('offer.created', (p) => (p.contact as { id: string }).id === contactId);
    tick(2);
    expect((await api('POST', `/api/v1/contacts/${contactId}/accept`, await t.login('agent02'), {})).status).toBe(200);
    tick(120);
    const ended = await api('POST', `/api/v1/contacts/${contactId}/end`, await t.login('agent02'), {});
    // Handle time counts both agents' talk: 60 s before the transfer and 120 s after.
    expect(ended.body).toMatchObject({ status: 'wrap_up', handleSeconds: 180 });
    await customerSocket.next('conversation.ended', (p) => p.conversationId === conversationId && p.survey === null);
    const closedSend = await api('POST', '/api/v1/widget/messages', null, { conversationId, clientMsgId: 'late', text: '还在吗' }, { 'x-visitor-token': visitor.visitorToken });
    expect(closedSend.status).toBe(409);
    const bad = await api('POST', `/api/v1/contacts/${contactId}/wrap-up`, await t.login('agent02'), { reasonCode: 'no-such-reason' });
    expect(bad.status).toBe(422);
    expect(bad.body?.error.code).toBe('contact.unknown_reason_code');
    // A work order created from the conversation links both ways.
    const order = await api('POST', '/api/v1/tickets', await t.login('agent02'), {
      customerId: fixture.id,
      categoryCode: 'fault-repair.low-voltage',
      channel: 'web',
      description: '在线客服：客户家中停电',
      fields: { outageScope: 'single-household', safetyHazard: false, faultAddress: '西宁市城中区南大街18号' },
      originContactId: contactId,
    });
    expect(order.status).toBe(201);
    tick(15);
    const wrapped = await api('POST', `/api/v1/contacts/${contactId}/wrap-up`, await t.login('agent02'), { reasonCode: REASON, note: '已派抢修' });
    expect(wrapped.body).toMatchObject({ status: 'closed', reasonCode: REASON, outcome: 'ticket_created', ticketIds: [order.body?.id] });
    await agent02.close();
  });

  it('shows the contact on the customer timeline with its events, and the conversation in the contract API', async () => {
    const sup = await t.login('supervisor');
    const timeline = await api('GET', `/api/v1/customers/${fixture.id}/contacts?limit=5`, sup);
    expect(timeline.status).toBe(200);
    expect(timeline.body?.items[0]).toMatchObject({ id: contactId, channel: 'chat', reasonCode: REASON, conversationId });
    const detail = await api('GET', `/api/v1/contacts/${contactId}`, sup);
    expect(detail.body?.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'offered', 'answered', 'transferred', 'answered', 'ended', 'wrapped_up']);
    const list = await api('GET', `/api/v1/conversations?customerId=${fixture.id}&channelId=${channelId}&status=closed`, sup);
    expect(list.body?.items.map((c: { id: string }) => c.id)).toContain(conversationId);
    const page1 = await api('GET', `/api/v1/conversations/${conversationId}/messages?limit=3`, sup);
    expect(page1.body?.items.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3]);
    const page2 = await api('GET', `/api/v1/conversations/${conversationId}/messages?limit=3&cursor=${page1.body?.nextCursor}`, sup);
    expect(page2.body?.items[0].seq).toBe(4);
    const noPermission = await api('GET', `/api/v1/conversations/${conversationId}/messages`, await t.login('repair'));
    expect([401, 403]).toContain(noPermission.status);
    await customerSocket.close();
    await agentSocket.close();
  });
});

describe('routing timers, overflow and the abusive-contact protocol', () => {
  it('re-offers a chat that rang out and sets the agent away', async () => {
    // Only agent03 online with the skill; agent and agent02 log off after their chat.
    for (const u of ['agent', 'agent02']) await api('PUT', '/api/v1/agent/presence', await t.login(u), { state: 'offline' });
    await online('agent03');
    await online('agent04');
    const v = await visitorSession();
    const started = await api('POST', '/api/v1/widget/conversations', null, { text: '电费怎么交' }, { 'x-visitor-token': v.visitorToken });
    const contact = (await api('GET', `/api/v1/contacts/${started.body?.currentContactId}`, await t.login('supervisor'))).body;
    expect(contact?.status).toBe('offered');
    const first = contact?.offerAgentId;
    tick(21);
    const pass = await t.app.services.routing.tick(now);
    expect(pass.timeouts).toBe(1);
    const after = (await api('GET', `/api/v1/contacts/${contact?.id}`, await t.login('supervisor'))).body;
    expect(after?.status).toBe('offered');
    expect(after?.offerAgentId).not.toBe(first);
    expect(after?.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'offered', 'offer_timed_out', 'offered']);
    const wall = await api('GET', '/api/v1/routing/wall', await t.login('supervisor'));
    const missed = wall.body?.agents.find((a: { id: string }) => a.id === first);
    expect(missed).toMatchObject({ state: 'away', reason: 'missed_offer' });
    const q = wall.body?.queues.find((x: { id: string }) => x.id === queueId);
    expect(q).toMatchObject({ waiting: 1 });
    // The visitor gives up: abandoned, the offered agent's ring stops.
    await api('POST', `/api/v1/widget/conversations/${started.body?.id}/end`, null, {}, { 'x-visitor-token': v.visitorToken });
    const gone = (await api('GET', `/api/v1/contacts/${contact?.id}`, await t.login('supervisor'))).body;
    expect(gone).toMatchObject({ status: 'closed', endReason: 'abandoned' });
  });

  it('overflows to a callback task when nobody qualified is online; leave-message completes it', async () => {
    for (const u of ['agent03', 'agent04']) await api('PUT', '/api/v1/agent/presence', await t.login(u), { state: 'offline' });
    const v = await visitorSession();
    const sock = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(v.visitorToken)}`);
    const started = await api('POST', '/api/v1/widget/conversations', null, {}, { 'x-visitor-token': v.visitorToken });
    const update = await sock.next('conversation.updated', (p) => p.status === 'overflowed');
    expect(update.payload).toMatchObject({ action: 'callback', reason: 'no_qualified_agent' });
    const left = await api('POST', '/api/v1/widget/leave-message', null, { kind: 'callback', name: '张先生', phone: '13912345678', message: '请下午回电' }, { 'x-visitor-token': v.visitorToken });
    expect(left.status).toBe(201);
    expect(left.body?.id).toBe(update.payload.callbackId);
    const tasks = await api('GET', '/api/v1/callbacks?status=open&limit=500', await t.login('agent'));
    expect(tasks.body?.items.find((x: { id: string }) => x.id === left.body?.id)).toMatchObject({ name: '张先生', phone: '13912345678', message: '请下午回电', kind: 'callback' });
    const done = await api('POST', `/api/v1/callbacks/${left.body?.id}/complete`, await t.login('agent'), { outcome: '已回电，客户问题解决' });
    expect(done.body?.status).toBe('done');
    const twice = await api('POST', `/api/v1/callbacks/${left.body?.id}/complete`, await t.login('agent'), { outcome: '再次' });
    expect(twice.status).toBe(409);
    expect(started.status).toBe(200);
    await sock.close();
  });

  it('warns twice with scripted texts, then a team lead approves closing the chat live', async () => {
    await online('agent05');
    const v = await visitorSession();
    const sock = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(v.visitorToken)}`);
    const sup = await staffSocket('supervisor');
    const started = await api('POST', '/api/v1/widget/conversations', null, { text: '骂人的话' }, { 'x-visitor-token': v.visitorToken });
    const id = started.body?.currentContactId;
    const agent = await t.login('agent05');
    expect((await api('POST', `/api/v1/contacts/${id}/accept`, agent, {})).status).toBe(200);
    const early = await api('POST', `/api/v1/contacts/${id}/abuse`, agent, { action: 'request_closure' });
    expect(early.body?.error.details.reason).toBe('step_skipped');
    await api('POST', `/api/v1/contacts/${id}/abuse`, agent, { action: 'warn' });
    await sock.next('message.created', (p) => String(p.body).includes('文明用语'));
    const second = await api('POST', `/api/v1/contacts/${id}/abuse`, agent, { action: 'warn' });
    expect(second.body?.abuse).toEqual({ stage: 'warned_twice', warnings: 2 });
    await api('POST', `/api/v1/contacts/${id}/abuse`, agent, { action: 'request_closure' });
    await sup.next('abuse.closure_requested', (p) => (p.contact as { id: string }).id === id);
    const selfApprove = await api('POST', `/api/v1/contacts/${id}/abuse`, agent, { action: 'approve_closure' });
    expect(selfApprove.body?.error.details.reason).toBe('not_supervisor');
    const approved = await api('POST', `/api/v1/contacts/${id}/abuse`, await t.login('supervisor'), { action: 'approve_closure' });
    expect(approved.body).toMatchObject({ status: 'wrap_up', abuse: { stage: 'closed' } });
    await sock.next('conversation.ended');
    await sock.close();
    await sup.close();
  });

  it('refuses bad presence changes and validates input', async () => {
    const agent = await t.login('agent05');
    const noReason = await api('PUT', '/api/v1/agent/presence', agent, { state: 'away' });
    expect(noReason.body?.error).toMatchObject({ code: 'presence.refused', details: { reason: 'missing_reason' } });
    const holding = await api('PUT', '/api/v1/agent/presence', agent, { state: 'offline' });
    expect(holding.body?.error.details.reason).toBe('contacts_in_progress');
    const bad = await api('PUT', '/api/v1/agent/presence', agent, { state: 'asleep' });
    expect(bad.status).toBe(400);
    const extra = await api('POST', '/api/v1/widget/sessions', null, { channelId, isAdmin: true });
    expect(extra.status).toBe(400);
    const unauth = await api('POST', '/api/v1/widget/conversations', null, {}, { 'x-visitor-token': 'forged.token' });
    expect(unauth.status).toBe(401);
    expect(unauth.body?.error.code).toBe('widget.invalid_visitor');
  });
});
