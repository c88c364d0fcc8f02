import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { TEST_CONFIG, createTestApp, type TestContext } from '../../testing/test-app.ts';
import { until } from '../../testing/wait.ts';
import { createOutbound } from './outbound.ts';
import type { InboundMessage, OutboundMessage } from './types.ts';

// The channel pipeline on the real database: outside messages land on the customer's timeline
// once, open a routed contact, join threads, go to quarantine when unverified, and agents'
// replies leave through the channel's sender with their delivery state stored.

let t: TestContext;
const now = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
let channelId = '';
let brandId = '';
let agentCookie = '';
let n = 0;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function api(method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie: agentCookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

function message(over: Partial<InboundMessage> = {}): InboundMessage {
  n += 1;
  return { channelId, from: { kind: 'external', value: `user-${n}` }, externalId: `m-${n}`, text: `消息 ${n}`, at: now, ...over };
}

const countMessages = async (conversationId: string) =>
  Number((await t.database.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const db = t.database.db;
  const agent = await db.selectFrom('users').innerJoin('user_brands', 'user_brands.user_id', 'users.id').select('user_brands.brand_id').where('users.username', '=', 'agent').executeTakeFirstOrThrow();
  brandId = agent.brand_id;
  const queue = await db.selectFrom('queues').select('id').where('brand_id', '=', brandId).where('code', '=', 'general').executeTakeFirstOrThrow();
  // A channel type the app registers no sender for, so only this file's own outbound instances
  // (with recording senders) deliver its replies: the app's fire-and-forget delivery would race them.
  const ch = await db.insertInto('channels').values({ brand_id: brandId, type: 'webchat', name: '电商平台客服', config: '{}', secrets: '{}', queue_id: queue.id }).returning('id').executeTakeFirstOrThrow();
  channelId = ch.id;
  agentCookie = await t.login('agent');
  await api('PUT', '/api/v1/agent/presence', { state: 'online' });
});
afterAll(() => t?.close());

describe('inbound pipeline', () => {
  it('puts a message from a known phone on that customer, opens a contact and routes it', async () => {
    const fixture = getDemoCustomerFixture('elderlyAlone');
    const r = await t.app.services.inbound.receive(message({ from: { kind: 'phone', value: `+86 ${fixture.phones[0]}`, name: '刘大爷' }, text: '家里没电了' }));
    expect(r).toMatchObject({ duplicate: false, customerId: fixture.id, quarantined: false });
    const contact = await t.database.db.selectFrom('contacts').selectAll().where('id', '=', r.contactId ?? '').executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ channel: 'chat', direction: 'inbound', customer_id: fixture.id, from_address: fixture.phones[0], conversation_id: r.conversationId });
    expect(['queued', 'offered']).toContain(contact.status);
    const conversation = await api('GET', `/api/v1/conversations/${r.conversationId}/messages`);
    expect(conversation.body.items.map((m: Body) => [m.senderType, m.body])).toEqual([['customer', '家里没电了']]);
    const health = await t.database.db.selectFrom('channels').select('health').where('id', '=', channelId).executeTakeFirstOrThrow();
    expect(health.health).toMatchObject({ lastInboundAt: now.toISOString() });
  });

  it('stores a redelivered message once, even when the deliveries race', async () => {
    const first = message();
    const a = await t.app.services.inbound.receive(first);
    const again = await t.app.services.inbound.receive({ ...first, text: 'changed on the retry' });
    expect(again).toMatchObject({ duplicate: true, conversationId: a.conversationId, messageId: a.messageId, contactId: a.contactId });
    const racing = message();
    const results = await Promise.all(Array.from({ length: 5 }, () => t.app.services.inbound.receive(racing)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(await countMessages(results[0]?.conversationId ?? '')).toBe(1);
  });

  it('keeps writing into the open conversation and contact of the same sender', async () => {
    const from = { kind: 'external' as const, value: 'shopper-42', name: '买家42' };
    const one = await t.app.services.inbound.receive(message({ from, text: '我的订单还没发货' }));
    const two = await t.app.services.inbound.receive(message({ from, text: '订单号 8899' }));
    expect(two.conversationId).toBe(one.conversationId);
    expect(two.contactId).toBe(one.contactId);
    expect(two.customerId).toBeNull();
    expect(await countMessages(one.conversationId ?? '')).toBe(2);
  });

  it('joins the conversation an adapter names by thread (its ref or its id), reopening it, for its participant only', async () => {
    const li = { kind: 'email' as const, value: 'Li.Ming@Example.com' };
    const one = await t.app.services.inbound.receive(message({ threadRef: 'thread-a', subject: '电费发票', from: li }));
    await t.database.db.updateTable('conversations').set({ status: 'closed', closed_at: now }).where('id', '=', one.conversationId ?? '').execute();
    const two = await t.app.services.inbound.receive(message({ threadRef: 'thread-a', from: { kind: 'email', value: 'li.ming@example.com' } }));
    expect(two.conversationId).toBe(one.conversationId);
    const conv = await t.database.db.selectFrom('conversations').select(['status', 'subject', 'thread_ref']).where('id', '=', one.conversationId ?? '').executeTakeFirstOrThrow();
    expect(conv).toEqual({ status: 'open', subject: '电费发票', thread_ref: 'thread-a' });
    // An email reply token carries the conversation id itself.
    const three = await t.app.services.inbound.receive(message({ threadRef: one.conversationId, from: li }));
    expect(three.conversationId).toBe(one.conversationId);
    // Someone else writing with the thread's token is not a participant: quarantine.
    const stranger = await t.app.services.inbound.receive(message({ threadRef: 'thread-a', from: { kind: 'email', value: 'forwarded-to@example.com' } }));
    expect(stranger).toMatchObject({ quarantined: true, conversationId: null });
    const q = await t.database.db.selectFrom('channel_quarantine').select('reason').where('id', '=', stranger.messageId).executeTakeFirstOrThrow();
    expect(q.reason).toBe('channel.not_participant');
  });

  it('quarantines an unverified message: no conversation, kept for an agent', async () => {
    const r = await t.app.services.inbound.receive(message({ from: { kind: 'email', value: 'stranger@example.com' }, subject: 'Re: 工单 GD20261127000001', quarantine: { reason: 'reply token missing' } }));
    expect(r).toMatchObject({ quarantined: true, conversationId: null, contactId: null });
    const row = await t.database.db.selectFrom('channel_quarantine').selectAll().where('id', '=', r.messageId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'open', reason: 'reply token missing', from_value: 'stranger@example.com', subject: 'Re: 工单 GD20261127000001' });
  });

  it('refuses an unknown or disabled channel', async () => {
    await expect(t.app.services.inbound.receive({ ...message(), channelId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(/unknown or disabled/);
  });
});

describe('outbound delivery', () => {
  it("sends the agent's reply through the channel's sender and stores the outcome", async () => {
    const sent: OutboundMessage[] = [];
    let fail = false;
    const outbound = createOutbound({
      db: t.database.db,
      clock: () => now,
      sessionSecret: TEST_CONFIG.sessionSecret,
      publish: async () => {},
      senders: {
        webchat: async (_channel, m) => {
          if (fail) throw new Error('platform answered 503');
          sent.push(m);
          return { externalId: `platform-${sent.length}` };
        },
      },
    });
    const r = await t.app.services.inbound.receive(message({ from: { kind: 'external', value: 'buyer-7', name: '买家7' }, text: '能开发票吗' }));
    // Earlier tests' contacts on this channel are done with, so the agent is free for this one.
    const earlier = t.database.db.selectFrom('conversations').select('id').where('channel_id', '=', channelId);
    await t.database.db.updateTable('contacts').set({ status: 'closed', offer_agent_id: null, offer_at: null }).where('conversation_id', 'in', earlier).where('id', '!=', r.contactId ?? '').execute();
    // The agent gets the offer, accepts and replies.
    await t.app.services.routing.routeBrand(brandId);
    const accepted = await api('POST', `/api/v1/contacts/${r.contactId}/accept`, {});
    expect(accepted.status).toBe(200);
    const reply = await api('POST', `/api/v1/conversations/${r.conversationId}/messages`, { text: '可以的，请提供抬头和税号', clientMsgId: 'reply-1' });
    expect(reply.status).toBe(201);
    expect(await outbound.deliver(reply.body.id)).toBe('sent');
    expect(sent).toEqual([expect.objectContaining({ conversationId: r.conversationId, messageId: reply.body.id, text: '可以的，请提供抬头和税号', to: { kind: 'external', value: 'buyer-7', name: '买家7' } })]);
    const stored = await t.database.db.selectFrom('messages').select(['delivery_status', 'external_id', 'delivery_error']).where('id', '=', reply.body.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ delivery_status: 'sent', external_id: 'platform-1', delivery_error: null });
    // Delivered once: a second call does not send again.
    expect(await outbound.deliver(reply.body.id)).toBe('skipped');

    fail = true;
    const second = await api('POST', `/api/v1/conversations/${r.conversationId}/messages`, { text: '稍等', clientMsgId: 'reply-2' });
    expect(await outbound.deliver(second.body.id)).toBe('failed');
    const failed = await t.database.db.selectFrom('messages').select(['delivery_status', 'delivery_error']).where('id', '=', second.body.id).executeTakeFirstOrThrow();
    expect(failed).toEqual({ delivery_status: 'failed', delivery_error: 'platform answered 503' });
    const health = await t.database.db.selectFrom('channels').select('health').where('id', '=', channelId).executeTakeFirstOrThrow();
    expect(health.health).toMatchObject({ lastOutboundAt: expect.any(String), lastOutboundError: 'platform answered 503' });

    // Whispers and customer messages never leave.
    const whisper = await api('POST', `/api/v1/conversations/${r.conversationId}/messages`, { text: '内部备注', internal: true, clientMsgId: 'w-1' });
    expect(await outbound.deliver(whisper.body.id)).toBe('skipped');
    expect(await outbound.deliver(r.messageId)).toBe('skipped');
    await api('POST', `/api/v1/contacts/${r.contactId}/end`, {});
  });

  it('retries replies left pending and gives up after ten minutes', async () => {
    const calls: string[] = [];
    const outbound = createOutbound({ db: t.database.db, clock: () => now, sessionSecret: TEST_CONFIG.sessionSecret, publish: async () => {}, senders: {
        webchat: async (_c, m) => {
          calls.push(m.messageId);
          return {};
        },
      },
    });
    const r = await t.app.services.inbound.receive(message({ from: { kind: 'external', value: 'buyer-8' } }));
    const conv = r.conversationId ?? '';
    const db = t.database.db;
    const pending = await db.insertInto('messages').values({ conversation_id: conv, seq: 90, sender_type: 'agent', body: '待发送', created_at: new Date(now.getTime() - 2 * 60_000), delivery_status: 'pending' }).returning('id').executeTakeFirstOrThrow();
    const ancient = await db.insertInto('messages').values({ conversation_id: conv, seq: 91, sender_type: 'agent', body: '太久了', created_at: new Date(now.getTime() - 11 * 60_000), delivery_status: 'pending' }).returning('id').executeTakeFirstOrThrow();
    await outbound.retryPending();
    expect(calls).toEqual([pending.id]);
    const states = await db.selectFrom('messages').select(['id', 'delivery_status']).where('id', 'in', [pending.id, ancient.id]).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.delivery_status]))).toEqual({ [pending.id]: 'sent', [ancient.id]: 'failed' });
  });

  it('sends a reply once when the first attempt and the retry job race, and takes over a claim whose attempt died', async () => {
    const sends: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const outbound = createOutbound({ db: t.database.db, clock: () => now, sessionSecret: TEST_CONFIG.sessionSecret, publish: async () => {}, senders: {
        webchat: async (_c, m) => {
          sends.push(m.messageId);
          await gate; // a slow platform: the first attempt is still sending when the others arrive
          return {};
        },
      },
    });
    const r = await t.app.services.inbound.receive(message({ from: { kind: 'external', value: 'buyer-9' } }));
    const db = t.database.db;
    const reply = await db.insertInto('messages').values({ conversation_id: r.conversationId ?? '', seq: 95, sender_type: 'agent', body: '马上处理', created_at: now }).returning('id').executeTakeFirstOrThrow();
    const first = outbound.deliver(reply.id);
    await until('the first attempt to send', async () => sends.length === 1);
    expect(await Promise.all([outbound.deliver(reply.id), outbound.deliver(reply.id)])).toEqual(['skipped', 'skipped']);
    release();
    expect(await first).toBe('sent');
    expect(sends).toEqual([reply.id]);
    expect(await db.selectFrom('messages').select(['delivery_attempts', 'delivery_claimed_at']).where('id', '=', reply.id).executeTakeFirstOrThrow()).toEqual({ delivery_attempts: 1, delivery_claimed_at: null });

    // An attempt that died mid-send leaves its claim: after a minute another process may take it over.
    const orphan = await db
      .insertInto('messages')
      .values({ conversation_id: r.conversationId ?? '', seq: 96, sender_type: 'agent', body: '请稍候', created_at: now, delivery_status: 'pending', delivery_claimed_at: new Date(now.getTime() - 30_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await outbound.deliver(orphan.id)).toBe('skipped');
    await db.updateTable('messages').set({ delivery_claimed_at: new Date(now.getTime() - 61_000) }).where('id', '=', orphan.id).execute();
    expect(await outbound.deliver(orphan.id)).toBe('sent');
  });
});
