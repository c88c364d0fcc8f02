import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeMessage } from '../../../platform/realtime.ts';
import { createTestApp, type TestContext } from '../../../testing/test-app.ts';
import { until } from '../../../testing/wait.ts';
import { startFakeServer } from '../api/fake-server.testing.ts';
import { signRequest } from '../api/signing.ts';
import { listOptOuts } from './sms.notices.ts';
import { isOptedOut } from './sms.store.ts';

// SMS receipts, opt-outs and notices through the whole product: the gateway's signed callbacks on
// the real route, agents' replies leaving through a local gateway, and the notice API.

let t: TestContext;
let admin = '';
let agent = '';
let channelId = '';
let brandId = '';
let secret = '';
let gateway: Awaited<ReturnType<typeof startFakeServer>>;
const pushes: RealtimeMessage[] = [];

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

// Each callback is signed anew (a repeat of the same signed request would be refused as a replay).
let signedAt = 0;
let replies = 0;
async function callback(payload: unknown, opts: { unsigned?: boolean } = {}) {
  const body = JSON.stringify(payload);
  const headers = opts.unsigned ? {} : signRequest(secret, body, new Date(Date.now() + (signedAt++ % 250) * 1000));
  const res = await t.app.inject({ method: 'POST', url: `/channels/sms/${channelId}`, headers: { 'content-type': 'application/json', ...headers }, payload: body });
  return { status: res.statusCode, body: res.json() as Body };
}

const db = () => t.database.db;
const receiptsOf = (externalId: string) => db().selectFrom('sms_receipts').selectAll().where('channel_id', '=', channelId).where('external_id', '=', externalId).execute();
const deliveryOf = (messageId: string) => db().selectFrom('messages').select(['delivery_status', 'external_id', 'delivery_error']).where('id', '=', messageId).executeTakeFirstOrThrow();
const optOutOf = (phone: string) => db().selectFrom('sms_opt_outs').selectAll().where('brand_id', '=', brandId).where('phone', '=', phone).executeTakeFirst();

beforeAll(async () => {
  t = await createTestApp();
  t.app.bus.subscribe((m) => void pushes.push(m));
  admin = await t.login('admin');
  agent = await t.login('agent');
  expect((await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' })).status).toBe(200);
  gateway = await startFakeServer('', (n) => ({ status: 200, body: { providerMessageId: `gw-out-${n + 1}` } }));
  const created = await call(admin, 'POST', '/api/v1/channels', { type: 'sms', name: '95598短信', config: { provider: 'generic', signName: '国网青海电力', sendUrl: gateway.url } });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  secret = created.body.generatedSecrets.signingSecret;
  brandId = (await db().selectFrom('channels').select('brand_id').where('id', '=', channelId).executeTakeFirstOrThrow()).brand_id;
});
afterAll(async () => {
  await t?.close();
  await gateway?.close();
});

describe('SMS delivery receipts', () => {
  let conversationId = '';
  let contactId = '';

  /** An agent's reply in the customer's SMS conversation, once the gateway accepted it. */
  async function reply(text: string) {
    const res = await call(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text, clientMsgId: `r-${++replies}` });
    expect(res.status).toBe(201);
    return until('the gateway to accept the reply', async () => {
      const d = await deliveryOf(res.body.id);
      return d.delivery_status === 'sent' ? { id: res.body.id as string, externalId: d.external_id ?? '' } : null;
    });
  }

  beforeAll(async () => {
    expect((await callback({ messageId: 'in-1', from: '+8613712340001', text: '我家电表没电了' })).status).toBe(200);
    const contact = await until('the contact', () =>
      db().selectFrom('contacts as c').innerJoin('conversations as v', 'v.id', 'c.conversation_id').select(['c.id', 'c.conversation_id']).where('v.channel_id', '=', channelId).executeTakeFirst(),
    );
    contactId = contact.id;
    conversationId = contact.conversation_id ?? '';
    await t.app.services.routing.routeBrand(brandId);
    await until('the offer', async () => (await db().selectFrom('contacts').select('status').where('id', '=', contactId).executeTakeFirstOrThrow()).status === 'offered');
    expect((await call(agent, 'POST', `/api/v1/contacts/${contactId}/accept`, {})).status).toBe(200);
  });

  it('moves a reply to delivered, pushes it to the desk, and stores a repeated receipt once', async () => {
    const sent = await reply('您好，已为您登记报修');
    expect(sent.externalId).toMatch(/^gw-out-\d+$/);
    const before = pushes.length;
    const res = await callback({ messageId: sent.externalId, status: 'delivered', at: '2026-03-01T08:00:05+08:00' });
    expect(res).toEqual({ status: 200, body: { ok: true, results: [{ externalId: sent.externalId, outcome: 'receipt' }] } });
    expect(await deliveryOf(sent.id)).toEqual({ delivery_status: 'delivered', external_id: sent.externalId, delivery_error: null });
    const pushed = pushes.slice(before).filter((m) => m.topic === 'message.delivery');
    expect(pushed).toEqual([{ topic: 'message.delivery', payload: { conversationId, messageId: sent.id, status: 'delivered', error: null }, userIds: [expect.any(String)], conversationId }]);
    // The desk reads the new state through the API (the contract knows 'delivered').
    const listed = await call(agent, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(listed.body.items.find((m: Body) => m.id === sent.id)?.delivery).toEqual({ status: 'delivered', error: null });

    // The provider retries the same receipt: one row, no second push.
    expect((await callback({ messageId: sent.externalId, status: 'delivered' })).status).toBe(200);
    expect(await receiptsOf(sent.externalId)).toHaveLength(1);
    expect(pushes.slice(before).filter((m) => m.topic === 'message.delivery')).toHaveLength(1);
    // A late failure report does not undo a delivery.
    expect((await callback({ messageId: sent.externalId, status: 'failed', error: 'UNDELIV' })).status).toBe(200);
    expect((await deliveryOf(sent.id)).delivery_status).toBe('delivered');
    expect((await receiptsOf(sent.externalId)).map((r) => r.status).sort()).toEqual(['delivered', 'failed']);
  });

  it('stores a failed receipt with the provider error on the reply', async () => {
    const sent = await reply('您好，请提供户号');
    expect((await callback({ messageId: sent.externalId, status: 'failed', error: 'MK:0001 空号' })).status).toBe(200);
    expect(await deliveryOf(sent.id)).toEqual({ delivery_status: 'failed', external_id: sent.externalId, delivery_error: 'MK:0001 空号' });
    expect(await receiptsOf(sent.externalId)).toMatchObject([{ status: 'failed', error_code: 'MK:0001 空号' }]);
    expect(pushes.filter((m) => m.topic === 'message.delivery').at(-1)?.payload).toEqual({ conversationId, messageId: sent.id, status: 'failed', error: 'MK:0001 空号' });
  });

  it('acknowledges and stores a receipt for an id it never sent', async () => {
    const before = await db().selectFrom('messages').select(['id', 'delivery_status']).where('conversation_id', '=', conversationId).orderBy('id').execute();
    const res = await callback({ messageId: 'gw-never-sent', status: 'delivered' });
    expect(res.status).toBe(200);
    expect(await receiptsOf('gw-never-sent')).toMatchObject([{ status: 'delivered', error_code: null }]);
    expect(await db().selectFrom('messages').select(['id', 'delivery_status']).where('conversation_id', '=', conversationId).orderBy('id').execute()).toEqual(before);
  });

  it('refuses an unsigned receipt and stores nothing', async () => {
    const res = await callback({ messageId: 'gw-forged', status: 'delivered' }, { unsigned: true });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('sms.invalid_signature');
    expect(await receiptsOf('gw-forged')).toHaveLength(0);
  });
});

describe('SMS unsubscribes and notices', () => {
  const PHONE = '13712340002';
  const notice = (cookie: string, payload: unknown, id = channelId) => call(cookie, 'POST', `/api/v1/channels/${id}/notices`, payload);

  it('sends a notice with the unsubscribe hint, refuses it after TD without calling the gateway, and sends it again after 订阅', async () => {
    const first = await notice(admin, { to: `+86 ${PHONE}`, text: '因线路检修，明日9:00至12:00停电', reference: 'outage-42' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ externalId: expect.stringMatching(/^gw-out-\d+$/), status: 'sent', to: PHONE, text: '因线路检修，明日9:00至12:00停电。回复TD退订', reference: 'outage-42' });
    const toGateway = gateway.requests.at(-1)?.json as Body;
    expect(toGateway).toMatchObject({ to: `+86${PHONE}`, text: '因线路检修，明日9:00至12:00停电。回复TD退订', signName: '国网青海电力' });
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'channel.sms_notice').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ to: '137****0002', reference: 'outage-42' });

    const td = await callback({ messageId: 'in-td-1', from: `+86${PHONE}`, text: 'ＴＤ' });
    expect(td.body.results).toEqual([{ externalId: 'in-td-1', outcome: 'unsubscribed' }]);
    expect(await optOutOf(PHONE)).toMatchObject({ channel_id: channelId, keyword: 'TD', opted_in_at: null });
    expect(await isOptedOut(db(), brandId, `0086 ${PHONE}`)).toBe(true);
    // The keyword is not a conversation message.
    expect(await db().selectFrom('visitors').select('id').where('channel_id', '=', channelId).where('external_id', '=', `phone:${PHONE}`).executeTakeFirst()).toBeUndefined();

    const sentBefore = gateway.requests.length;
    const refused = await notice(admin, { to: PHONE, text: '明日停电通知' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('sms.unsubscribed');
    expect(gateway.requests).toHaveLength(sentBefore);

    const back = await callback({ messageId: 'in-sub-1', from: PHONE, text: '订阅' });
    expect(back.body.results).toEqual([{ externalId: 'in-sub-1', outcome: 'resubscribed' }]);
    expect((await optOutOf(PHONE))?.opted_in_at).toBeInstanceOf(Date);
    expect(await isOptedOut(db(), brandId, PHONE)).toBe(false);
    const again = await notice(admin, { to: PHONE, text: 'Planned outage tomorrow 9-12' });
    expect(again.status).toBe(202);
    expect(again.body.text).toBe('Planned outage tomorrow 9-12. Reply TD to unsubscribe');
    expect(gateway.requests).toHaveLength(sentBefore + 1);

    // TD again opts out again.
    await callback({ messageId: 'in-td-2', from: PHONE, text: '退订' });
    expect(await optOutOf(PHONE)).toMatchObject({ keyword: '退订', opted_in_at: null });
  });

  it('treats 恢复 from a number that never opted out as an ordinary message', async () => {
    const res = await callback({ messageId: 'in-restore-1', from: '13712340003', text: '恢复' });
    expect(res.body.results).toEqual([{ externalId: 'in-restore-1', outcome: 'received' }]);
    expect(await optOutOf('13712340003')).toBeUndefined();
  });

  it('keeps a text that already says how to unsubscribe', async () => {
    const res = await notice(admin, { to: '13712340004', text: '您的电费账单已出，回复TD退订' });
    expect(res.status).toBe(202);
    expect(res.body.text).toBe('您的电费账单已出，回复TD退订');
  });

  it('answers 400 to a bad body, 404 to a channel that is not SMS, 403 without the channel permission', async () => {
    const before = gateway.requests.length;
    for (const payload of [{ text: '停电通知' }, { to: PHONE }, { to: PHONE, text: '   ' }, { to: PHONE, text: 'x', extra: 1 }]) {
      const res = await notice(admin, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.code).toBe('validation.failed');
    }
    const notPhone = await notice(admin, { to: 'not-a-phone', text: '停电通知' });
    expect(notPhone.status).toBe(400);
    expect(notPhone.body.error.code).toBe('validation.failed');
    const webchat = await db().selectFrom('channels').select('id').where('type', '=', 'webchat').executeTakeFirstOrThrow();
    expect((await notice(admin, { to: PHONE, text: '停电通知' }, webchat.id)).status).toBe(404);
    expect((await notice(admin, { to: PHONE, text: '停电通知' }, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await notice(agent, { to: PHONE, text: '停电通知' })).status).toBe(403);
    expect(gateway.requests).toHaveLength(before);
  });

  it('lists opted-out numbers, masked for a reader without customer:unmask', async () => {
    await callback({ messageId: 'in-td-3', from: '13712340005', text: 'STOP' });
    const full = await call(admin, 'GET', `/api/v1/channels/${channelId}/opt-outs`);
    expect(full.status).toBe(200);
    expect(full.body.masked).toBe(false);
    const phones = full.body.items.map((i: Body) => i.phone);
    expect(phones).toEqual(expect.arrayContaining(['13712340005', PHONE]));
    expect(phones).not.toContain('13712340003');
    expect(full.body.items.find((i: Body) => i.phone === '13712340005')).toMatchObject({ channelId, channelName: '95598短信', keyword: 'STOP' });

    // A planner allowed to manage channels, but not to see numbers in full.
    const roles = await call(admin, 'GET', '/api/v1/roles');
    const planner = roles.body.items.find((r: Body) => r.code === 'planner');
    expect((await call(admin, 'PATCH', '/api/v1/roles/planner', { permissions: [...planner.permissions, 'routing:manage'] })).status).toBe(200);
    const masked = await call(await t.login('planner'), 'GET', `/api/v1/channels/${channelId}/opt-outs`);
    expect(masked.status).toBe(200);
    expect(masked.body.masked).toBe(true);
    expect(masked.body.items.map((i: Body) => i.phone)).toEqual(expect.arrayContaining(['137****0005']));
    expect(JSON.stringify(masked.body)).not.toContain('13712340005');
    expect((await listOptOuts(db(), { brandId, reveal: false, limit: 1 })).items).toHaveLength(1);
  });
});
