import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { until } from '../../testing/wait.ts';
import { startFakeServer } from './api/fake-server.testing.ts';
import { signRequest } from './api/signing.ts';
import { startFakeWechatApi } from './wechat/fake-wechat-api.ts';
import { urlSignature } from './wechat/signature.ts';

// Outside channels through the whole product: a WeChat message and an SMS from the same customer
// arrive over their real inbound endpoints and land on that customer's one timeline; the agent
// replies to each and each reply leaves through its own channel (WeChat's customer-service API and
// the SMS gateway, both local servers speaking the published protocols); a signed API-channel
// message round-trips through the platform's webhook.

const APP_ID = 'wx5d3f1e7a9b2c4d6e';
const APP_SECRET = 'f3a9c1e7b5d2a8c4e6f0b1d3a5c7e9f2';
const TOKEN = 'kefu2026';
const OPENID = 'oGZUI0egBJY1zhBYw2KhdUfwVJJE';

let t: TestContext;
let admin = '';
let agent = '';
let wechat: Awaited<ReturnType<typeof startFakeWechatApi>>;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

/** Accepts whatever is ringing at the agent for this contact and returns when it is active. */
async function answer(contactId: string) {
  await t.app.services.routing.routeBrand((await t.database.db.selectFrom('contacts').select('brand_id').where('id', '=', contactId).executeTakeFirstOrThrow()).brand_id);
  await until('the offer', async () => (await t.database.db.selectFrom('contacts').select('status').where('id', '=', contactId).executeTakeFirstOrThrow()).status === 'offered');
  const accepted = await call(agent, 'POST', `/api/v1/contacts/${contactId}/accept`, {});
  expect(accepted.status).toBe(200);
}

const deliveryOf = (messageId: string) => t.database.db.selectFrom('messages').select(['delivery_status', 'external_id', 'delivery_error']).where('id', '=', messageId).executeTakeFirstOrThrow();

beforeAll(async () => {
  wechat = await startFakeWechatApi({ [APP_ID]: APP_SECRET });
  t = await createTestApp();
  admin = await t.login('admin');
  agent = await t.login('agent');
  await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' });
});
afterAll(async () => {
  await t?.close();
  await wechat?.close();
});

describe('outside channels end to end', () => {
  it('puts a WeChat message and an SMS of one customer on one timeline and answers each through its own channel', async () => {
    const fixture = getDemoCustomerFixture('lowIncome');
    const phone = fixture.phones[0] ?? '';
    const brand = await t.database.db.selectFrom('customers').select('brand_id').where('id', '=', fixture.id).executeTakeFirstOrThrow();
    // The customer bound their WeChat account earlier (openid ↔ customer).
    await t.database.db.insertInto('customer_identities').values({ brand_id: brand.brand_id, customer_id: fixture.id, kind: 'wechat_openid', value: OPENID, verified: true }).execute();

    const wx = await call(admin, 'POST', '/api/v1/channels', { type: 'wechat', name: '公众号', config: { token: TOKEN, appId: APP_ID, appSecret: APP_SECRET, apiBaseUrl: wechat.baseUrl } });
    expect(wx.status).toBe(201);
    const gateway = await startFakeServer('', () => ({ status: 200, body: { providerMessageId: 'gw-out-1' } }));
    const sms = await call(admin, 'POST', '/api/v1/channels', { type: 'sms', name: '短信', config: { provider: 'generic', signName: '国网青海电力', sendUrl: gateway.url } });
    expect(sms.status).toBe(201);
    const smsSecret = sms.body.generatedSecrets.signingSecret as string;

    // WeChat verifies the callback URL, then delivers a text message (plaintext mode).
    const ts = String(Math.floor(Date.now() / 1000));
    const verify = await t.app.inject({ method: 'GET', url: `/channels/wechat/${wx.body.id}?signature=${urlSignature(TOKEN, ts, 'n1')}&timestamp=${ts}&nonce=n1&echostr=hello-wechat` });
    expect(verify.body).toBe('hello-wechat');
    const xml = `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${OPENID}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[电费怎么突然这么高]]></Content><MsgId>24312345678901234</MsgId></xml>`;
    const post = await t.app.inject({ method: 'POST', url: `/channels/wechat/${wx.body.id}?signature=${urlSignature(TOKEN, ts, 'n2')}&timestamp=${ts}&nonce=n2&openid=${OPENID}`, headers: { 'content-type': 'text/xml' }, payload: xml });
    expect(post.statusCode).toBe(200);
    // A forged one is refused and stores nothing.
    const forged = await t.app.inject({ method: 'POST', url: `/channels/wechat/${wx.body.id}?signature=0000&timestamp=${ts}&nonce=n3`, headers: { 'content-type': 'text/xml' }, payload: xml.replace('24312345678901234', '24312345678901299') });
    expect(forged.statusCode).toBe(401);

    // The gateway delivers an SMS from the customer's phone (our signed JSON).
    const smsBody = JSON.stringify({ messageId: 'gw-in-1', from: `+86${phone}`, to: '106900009559', text: '上个月的电费账单能寄给我吗' });
    const smsPost = await t.app.inject({ method: 'POST', url: `/channels/sms/${sms.body.id}`, headers: { 'content-type': 'application/json', ...signRequest(smsSecret, smsBody, new Date()) }, payload: smsBody });
    expect(smsPost.statusCode).toBe(200);

    // One timeline: both conversations belong to the customer.
    const timeline = await call(agent, 'GET', `/api/v1/conversations?customerId=${fixture.id}&limit=50`);
    const byChannel = Object.fromEntries(timeline.body.items.filter((c: Body) => [wx.body.id, sms.body.id].includes(c.channelId)).map((c: Body) => [c.channel, c]));
    expect(Object.keys(byChannel).sort()).toEqual(['sms', 'wechat']);
    const contacts = await t.database.db.selectFrom('contacts').select(['id', 'channel', 'conversation_id']).where('customer_id', '=', fixture.id).where('conversation_id', 'in', [byChannel.wechat.id, byChannel.sms.id]).execute();
    expect(contacts.map((c) => c.channel).sort()).toEqual(['sms', 'wechat']);

    // The agent answers each; each reply leaves the way the customer came.
    for (const contact of contacts) {
      await answer(contact.id);
      const text = contact.channel === 'wechat' ? '您好，电费偏高可能是进入了第二档电价，我帮您查一下' : '您好，账单已发送到您的邮箱';
      const reply = await call(agent, 'POST', `/api/v1/conversations/${contact.conversation_id}/messages`, { text, clientMsgId: `r-${contact.id}` });
      expect(reply.status).toBe(201);
      const delivered = await until('delivery', async () => {
        const d = await deliveryOf(reply.body.id);
        return d.delivery_status === 'sent' || d.delivery_status === 'failed' ? d : null;
      });
      expect(delivered).toMatchObject({ delivery_status: 'sent', delivery_error: null });
      const listed = await call(agent, 'GET', `/api/v1/conversations/${contact.conversation_id}/messages`);
      expect(listed.body.items.find((m: Body) => m.id === reply.body.id)?.delivery).toEqual({ status: 'sent', error: null });
      await call(agent, 'POST', `/api/v1/contacts/${contact.id}/end`, {});
    }
    const sent = wechat.calls('/cgi-bin/message/custom/send');
    expect(sent.map((r) => r.body)).toEqual([{ touser: OPENID, msgtype: 'text', text: { content: '您好，电费偏高可能是进入了第二档电价，我帮您查一下' } }]);
    expect(gateway.requests).toHaveLength(1);
    expect(gateway.requests[0]).toMatchObject({ json: { to: expect.stringContaining(phone), text: '您好，账单已发送到您的邮箱', signName: '国网青海电力' } });
    await gateway.close();
  });

  it('lets the self-service bot answer on WeChat first, through the customer-service API, and hand off to a person', async () => {
    const appId = 'wx7e1d3c5b9a2f4e6d';
    const secret = 'b2d4f6a8c0e1f3a5b7c9d1e3f5a7b9c1';
    await wechat.close();
    wechat = await startFakeWechatApi({ [appId]: secret });
    const wx = await call(admin, 'POST', '/api/v1/channels', { type: 'wechat', name: '服务号', config: { token: TOKEN, appId, appSecret: secret, apiBaseUrl: wechat.baseUrl } });
    const on = await call(admin, 'PATCH', `/api/v1/bot/channels/${wx.body.id}`, { enabled: true });
    expect(on.status).toBe(200);
    const openid = 'oBotTestOpenid0000000000001';
    const say = async (text: string, msgId: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const xml = `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId></xml>`;
      const res = await t.app.inject({ method: 'POST', url: `/channels/wechat/${wx.body.id}?signature=${urlSignature(TOKEN, ts, msgId)}&timestamp=${ts}&nonce=${msgId}`, headers: { 'content-type': 'text/xml' }, payload: xml });
      expect(res.statusCode).toBe(200);
    };
    await say('电费可以用微信交吗', '7100000000000000001');
    const contact = await until('the bot-held contact', () =>
      t.database.db.selectFrom('contacts as c').innerJoin('conversations as v', 'v.id', 'c.conversation_id').select(['c.id', 'c.status', 'c.bot', 'c.conversation_id']).where('v.channel_id', '=', wx.body.id).executeTakeFirst(),
    );
    expect(contact).toMatchObject({ status: 'created', bot: true });
    // The greeting and the answer leave through WeChat's customer-service API.
    const sent = await until('the bot answer on WeChat', async () => {
      const calls = wechat.calls('/cgi-bin/message/custom/send');
      return calls.length >= 2 ? calls : null;
    });
    const texts = sent.map((r) => (r.body as { text: { content: string } }).text.content);
    expect(texts.some((x) => x.includes('微信'))).toBe(true);
    expect(sent.every((r) => (r.body as { touser: string }).touser === openid)).toBe(true);
    // 转人工: the contact goes to the queue for a person.
    await say('转人工', '7100000000000000002');
    await until('the hand-off', async () => ['queued', 'offered'].includes((await t.database.db.selectFrom('contacts').select('status').where('id', '=', contact.id).executeTakeFirstOrThrow()).status));
    await call(admin, 'PATCH', `/api/v1/bot/channels/${wx.body.id}`, { enabled: false });
    // Leave the agent free for the next test: this contact is done with.
    await t.database.db.updateTable('contacts').set({ status: 'closed', offer_agent_id: null, offer_at: null }).where('id', '=', contact.id).execute();
  });

  it('round-trips a signed API-channel message through the platform webhook', async () => {
    let secret = '';
    const platform = await startFakeServer('', () => ({ status: 200, body: { ok: true } }));
    const ch = await call(admin, 'POST', '/api/v1/channels', { type: 'api', name: '电商平台', config: { webhookUrl: platform.url } });
    secret = ch.body.generatedSecrets.signingSecret;
    const body = JSON.stringify({ messageId: 'shop-1', from: { id: 'buyer-1001', name: '买家1001' }, text: '充值缴费后多久到账？' });
    const post = await t.app.inject({ method: 'POST', url: `/channels/api/${ch.body.id}/messages`, headers: { 'content-type': 'application/json', ...signRequest(secret, body, new Date()) }, payload: body });
    expect(post.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: `/channels/api/${ch.body.id}/messages`, headers: { 'content-type': 'application/json', ...signRequest(secret, body, new Date(Date.now() + 1000)) }, payload: body });
    expect(again.statusCode).toBe(200);
    const unsigned = await t.app.inject({ method: 'POST', url: `/channels/api/${ch.body.id}/messages`, headers: { 'content-type': 'application/json' }, payload: body });
    expect(unsigned.statusCode).toBe(401);
    const contact = await until('the contact', () =>
      t.database.db.selectFrom('contacts as c').innerJoin('conversations as v', 'v.id', 'c.conversation_id').select(['c.id', 'c.conversation_id']).where('v.channel_id', '=', ch.body.id).executeTakeFirst(),
    );
    expect(await t.database.db.selectFrom('messages').select('id').where('conversation_id', '=', contact.conversation_id ?? '').where('sender_type', '=', 'customer').execute()).toHaveLength(1);
    await answer(contact.id);
    const reply = await call(agent, 'POST', `/api/v1/conversations/${contact.conversation_id}/messages`, { text: '一般几分钟内到账', clientMsgId: 'api-r1' });
    await until('delivery', async () => (await deliveryOf(reply.body.id)).delivery_status === 'sent');
    expect(platform.requests).toHaveLength(1);
    const hook = platform.requests[0];
    // The platform can verify our signature with the channel's secret.
    const { platformVerifies } = await import('./api/fake-server.testing.ts');
    expect(platformVerifies(secret, hook?.headers ?? {}, hook?.body ?? Buffer.alloc(0))).toBe(true);
    expect(hook?.json).toMatchObject({ event: 'message.created', conversationId: contact.conversation_id, to: { id: 'buyer-1001' }, text: '一般几分钟内到账' });
    await call(agent, 'POST', `/api/v1/contacts/${contact.id}/end`, {});
    await platform.close();
  });
});
