import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { openSecrets } from './secret-box.ts';

// Channel administration for every type: the issue-5 contract, secrets sealed at rest and shown
// masked, generated secrets shown once; the quarantine of unverified inbound messages.

let t: TestContext;
let admin = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const WECHAT = { token: 'pamtest', appId: 'wxb11529c136998cb6', appSecret: 'a7b3c5d9e1f2a4b6c8d0e2f4a6b8c0d2', encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

describe('channel administration', () => {
  it('creates a WeChat channel from the contract: secrets sealed at rest, masked in lists', async () => {
    const created = await call(admin, 'POST', '/api/v1/channels', { type: 'wechat', name: '国网青海电力公众号', config: WECHAT });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), type: 'wechat', config: { appId: WECHAT.appId, safeMode: true }, secrets: { token: '••••test', appSecret: '••••c0d2', encodingAESKey: '••••DEFG' }, generatedSecrets: {} });
    expect(JSON.stringify(created.body.config)).not.toContain(WECHAT.appSecret);
    const row = await t.database.db.selectFrom('channels').select('secrets').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    const raw = JSON.stringify(row.secrets);
    for (const v of [WECHAT.appSecret, WECHAT.token, WECHAT.encodingAESKey]) expect(raw).not.toContain(v);
    expect(openSecrets(t.app.services.outbound.channels.key, row.secrets)).toEqual({ token: WECHAT.token, appSecret: WECHAT.appSecret, encodingAESKey: WECHAT.encodingAESKey });
    const loaded = await t.app.services.outbound.channels.load(created.body.id);
    expect(loaded?.secrets.appSecret).toBe(WECHAT.appSecret);
    const list = await call(admin, 'GET', '/api/v1/channels');
    const listed = list.body.items.find((c: Body) => c.id === created.body.id);
    expect(listed.secrets).toEqual({ token: '••••test', appSecret: '••••c0d2', encodingAESKey: '••••DEFG' });
    expect(listed.health).toEqual({});
  });

  it('generates signing secrets for API, SMS and CTI channels and shows them once', async () => {
    const api = await call(admin, 'POST', '/api/v1/channels', { type: 'api', name: '电商平台', config: { webhookUrl: 'https://shop.example.com/kefu/webhook' } });
    expect(api.status).toBe(201);
    expect(api.body.generatedSecrets.signingSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(api.body.secrets.signingSecret).toBe(`••••${api.body.generatedSecrets.signingSecret.slice(-4)}`);
    const sms = await call(admin, 'POST', '/api/v1/channels', { type: 'sms', name: '短信', config: { provider: 'aliyun', signName: '国网青海电力' } });
    expect(Object.keys(sms.body.generatedSecrets).sort()).toEqual(['callbackToken', 'signingSecret']);
    const cti = await call(admin, 'POST', '/api/v1/channels', { type: 'cti', name: '95598 热线' });
    expect(cti.status).toBe(201);
    const email = await call(admin, 'POST', '/api/v1/channels', {
      type: 'email',
      name: '客服邮箱',
      config: { address: 'service@qh.example.cn', imap: { host: 'imap.example.cn', user: 'service', password: 'imap-pass-2026' }, smtp: { host: 'smtp.example.cn', user: 'service', password: 'smtp-pass-2026' } },
    });
    expect(email.status).toBe(201);
    expect(email.body.config.imap).toMatchObject({ host: 'imap.example.cn', port: 993, secure: true, user: 'service', mailbox: 'INBOX' });
    expect(JSON.stringify(email.body.config)).not.toContain('pass-2026');
    expect(email.body.secrets).toMatchObject({ imapPassword: '••••2026', smtpPassword: '••••2026' });
  });

  it('refuses bad input with 400 and nothing stored; agents may not manage channels', async () => {
    const before = (await call(admin, 'GET', '/api/v1/channels')).body.items.length;
    for (const bad of [
      { type: 'wechat', name: 'x', config: { ...WECHAT, appId: 'not-an-app-id' } },
      { type: 'wechat', name: 'x', config: { ...WECHAT, encodingAESKey: 'short' } },
      { type: 'wechat', name: 'x', config: { ...WECHAT, extra: true } },
      { type: 'api', name: 'x', config: { webhookUrl: 'javascript:alert(1)' } },
      { type: 'sms', name: 'x', config: { provider: 'carrier-pigeon' } },
      { type: 'fax', name: 'x', config: {} },
    ]) {
      const res = await call(admin, 'POST', '/api/v1/channels', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call(admin, 'GET', '/api/v1/channels')).body.items.length).toBe(before);
    expect((await call(await t.login('agent'), 'POST', '/api/v1/channels', { type: 'api', name: 'x' })).status).toBe(403);
  });

  it('disables a channel: the pipeline then refuses its traffic', async () => {
    const api = await call(admin, 'POST', '/api/v1/channels', { type: 'api', name: '临时渠道' });
    const off = await call(admin, 'PATCH', `/api/v1/channels/${api.body.id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, name: '临时渠道' });
    await expect(t.app.services.inbound.receive({ channelId: api.body.id, from: { kind: 'external', value: 'u1' }, externalId: 'x1', text: 'hi', at: new Date() })).rejects.toThrow(/disabled/);
  });
});

describe('quarantine', () => {
  it('lets an agent accept a quarantined message into a conversation, or reject it, once', async () => {
    const api = await call(admin, 'POST', '/api/v1/channels', { type: 'api', name: '隔离测试' });
    const channelId = api.body.id;
    const receive = t.app.services.inbound.receive;
    const q1 = await receive({ channelId, from: { kind: 'email', value: 'li.ming@example.com', name: '李明' }, externalId: '<a@example.com>', text: '上次的发票还没收到', subject: 'Re: 发票', quarantine: { reason: 'no reply token' }, at: new Date() });
    const q2 = await receive({ channelId, from: { kind: 'email', value: 'spam@example.com' }, externalId: '<b@example.com>', text: '中奖通知', quarantine: { reason: 'no reply token' }, at: new Date() });
    const agent = await t.login('agent');
    const open = await call(agent, 'GET', '/api/v1/channel-quarantine');
    expect(open.body.items.map((i: Body) => i.id)).toEqual(expect.arrayContaining([q1.messageId, q2.messageId]));
    const accepted = await call(agent, 'POST', `/api/v1/channel-quarantine/${q1.messageId}/decision`, { decision: 'accept' });
    expect(accepted.body).toMatchObject({ status: 'accepted', conversationId: expect.any(String), channelName: '隔离测试' });
    const messages = await call(agent, 'GET', `/api/v1/conversations/${accepted.body.conversationId}/messages`);
    // (Nobody is online in this test: routing answers the contact with its overflow notice.)
    expect(messages.body.items.filter((m: Body) => m.senderType === 'customer').map((m: Body) => m.body)).toEqual(['上次的发票还没收到']);
    const rejected = await call(agent, 'POST', `/api/v1/channel-quarantine/${q2.messageId}/decision`, { decision: 'reject' });
    expect(rejected.body).toMatchObject({ status: 'rejected', conversationId: null });
    const again = await call(agent, 'POST', `/api/v1/channel-quarantine/${q1.messageId}/decision`, { decision: 'reject' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('channel.quarantine_decided');
    // The platform redelivering the accepted message does not store it twice.
    const redelivered = await receive({ channelId, from: { kind: 'email', value: 'li.ming@example.com' }, externalId: '<a@example.com>', text: '上次的发票还没收到', at: new Date() });
    expect(redelivered.duplicate).toBe(true);
    const after = (await call(agent, 'GET', `/api/v1/conversations/${accepted.body.conversationId}/messages`)).body.items;
    expect(after.filter((m: Body) => m.senderType === 'customer')).toHaveLength(1);
  });
});
