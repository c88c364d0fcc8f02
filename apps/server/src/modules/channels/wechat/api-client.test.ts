import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedChannel, OutboundMessage } from '../types.ts';
import { createWechatApiClient, type WechatCredentials } from './api-client.ts';
import { type FakeWechatApi, startFakeWechatApi } from './fake-wechat-api.ts';
import { createWechatSender } from './sender.ts';

const APP_ID = 'wxfake00000000001';
const SECRET = 'fake-secret-0123456789';
let fake: FakeWechatApi;
let creds: WechatCredentials;

beforeAll(async () => {
  fake = await startFakeWechatApi({ [APP_ID]: SECRET });
  creds = { appId: APP_ID, appSecret: SECRET, apiBaseUrl: fake.baseUrl };
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.outsideWindow.clear();
});

describe('WeChat API client', () => {
  it('fetches one access token for many concurrent and later sends', async () => {
    const client = createWechatApiClient();
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.sendCustomText(creds, `oUser${i}`, `您好 ${i}`)));
    await client.sendCustomText(creds, 'oUser', 'hello again');
    const tokenCalls = fake.calls('/cgi-bin/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.query).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: SECRET });
    const sends = fake.calls('/cgi-bin/message/custom/send');
    expect(sends).toHaveLength(11);
    expect(sends[0]!.body).toEqual({ touser: 'oUser0', msgtype: 'text', text: { content: '您好 0' } });
    expect(new Set(sends.map((s) => s.query.access_token)).size).toBe(1);
  });

  it('refreshes once and retries when WeChat says the token is invalid (40001) or expired (42001)', async () => {
    const client = createWechatApiClient();
    await client.sendCustomText(creds, 'oUser', 'one');
    fake.revokeTokens();
    await client.sendCustomText(creds, 'oUser', 'two');
    fake.expireTokens();
    await client.sendCustomText(creds, 'oUser', 'three');
    expect(fake.calls('/cgi-bin/token')).toHaveLength(3);
    const sends = fake.calls('/cgi-bin/message/custom/send');
    // one, two (refused), two (retried), three (refused), three (retried)
    expect(sends.map((s) => (s.body as { text: { content: string } }).text.content)).toEqual(['one', 'two', 'two', 'three', 'three']);
  });

  it('refreshes the token ahead of expires_in, by the clock', async () => {
    let now = Date.parse('2026-11-27T08:00:00Z');
    const client = createWechatApiClient({ now: () => now, refreshMarginSeconds: 300 });
    await client.getAccessToken(creds);
    now += (7200 - 301) * 1000;
    await client.getAccessToken(creds);
    expect(fake.calls('/cgi-bin/token')).toHaveLength(1);
    now += 2000;
    await client.getAccessToken(creds);
    expect(fake.calls('/cgi-bin/token')).toHaveLength(2);
  });

  it('sends a template message in the published shape and returns its msgid', async () => {
    const client = createWechatApiClient();
    const out = await client.sendTemplate(creds, {
      touser: 'oUser',
      templateId: 'tpl_repair_done',
      url: 'https://kefu.example.com/t/1',
      data: { first: { value: '您的报修已处理', color: '#173177' }, keyword1: { value: 'WO-20261127-0001' }, remark: { value: 'Thanks' } },
      clientMsgId: 'wo-1-done',
    });
    expect(out.msgid).toMatch(/^\d+$/);
    expect(fake.calls('/cgi-bin/message/template/send')[0]!.body).toEqual({
      touser: 'oUser',
      template_id: 'tpl_repair_done',
      url: 'https://kefu.example.com/t/1',
      data: { first: { value: '您的报修已处理', color: '#173177' }, keyword1: { value: 'WO-20261127-0001' }, remark: { value: 'Thanks' } },
      client_msg_id: 'wo-1-done',
    });
  });

  it('maps WeChat errors to clear errors carrying errcode and errmsg, never the secret', async () => {
    const client = createWechatApiClient();
    const wrong = { ...creds, appSecret: 'wrong-secret-000000' };
    const e1 = await client.sendCustomText(wrong, 'oUser', 'x').catch((e) => e);
    expect(e1).toMatchObject({ code: 'wechat.api_error', details: { api: 'cgi-bin/token', errcode: 40125, errmsg: 'invalid appsecret' } });
    expect(e1.message).not.toContain('wrong-secret');
    fake.outsideWindow.add('oLate');
    await expect(client.sendCustomText(creds, 'oLate', 'x')).rejects.toMatchObject({ code: 'wechat.reply_window_closed', details: { errcode: 45015 } });
    const down = await createWechatApiClient({ timeoutMs: 500 })
      .sendCustomText({ ...creds, apiBaseUrl: 'http://127.0.0.1:9' }, 'oUser', 'x')
      .catch((e) => e);
    expect(down).toMatchObject({ code: 'wechat.api_error', details: { errcode: null } });
    expect(JSON.stringify(down.details)).not.toContain(SECRET);
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    let calls = 0;
    const alwaysInvalid: typeof fetch = async (input, init) => {
      calls++;
      if (String(input).includes('/cgi-bin/token')) return fetch(input, init);
      return new Response(JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }), { status: 200 });
    };
    const client = createWechatApiClient({ fetch: alwaysInvalid });
    await expect(client.sendCustomText(creds, 'oUser', 'x')).rejects.toMatchObject({ code: 'wechat.api_error', details: { errcode: 40001 } });
    expect(calls).toBe(4); // token, send, token, send
  });
});

describe('sendWechat (the ChannelSender)', () => {
  const channel = (): LoadedChannel => ({
    id: '00000000-0000-4000-8000-000000000001',
    brandId: 'b',
    type: 'wechat',
    name: '公众号',
    enabled: true,
    config: { appId: APP_ID, apiBaseUrl: fake.baseUrl },
    secrets: { token: 'kefuToken1', appSecret: SECRET },
  });
  const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ conversationId: 'c', messageId: 'm', text: '您好，已为您处理。', to: { kind: 'openid', value: 'oUser' }, ...over });

  it('sends the reply as a customer-service text message to the openid', async () => {
    const send = createWechatSender(createWechatApiClient());
    await expect(send(channel(), msg())).resolves.toEqual({ externalId: null });
    expect(fake.calls('/cgi-bin/message/custom/send')[0]!.body).toEqual({ touser: 'oUser', msgtype: 'text', text: { content: '您好，已为您处理。' } });
  });

  it('splits a long reply into parts, in order', async () => {
    const send = createWechatSender(createWechatApiClient());
    const text = `${'第一段。'.repeat(200)}\n${'second part. '.repeat(100)}`;
    await send(channel(), msg({ text }));
    const parts = fake.calls('/cgi-bin/message/custom/send').map((s) => (s.body as { text: { content: string } }).text.content);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(text);
  });

  it('refuses non-openid recipients and attachments before calling WeChat', async () => {
    const send = createWechatSender(createWechatApiClient());
    await expect(send(channel(), msg({ to: { kind: 'email', value: 'a@example.com' } }))).rejects.toMatchObject({ code: 'wechat.recipient_unsupported' });
    await expect(send(channel(), msg({ attachments: [{ fileName: 'a.png', contentType: 'image/png', data: Buffer.from('x') }] }))).rejects.toMatchObject({ code: 'wechat.attachments_unsupported' });
    expect(fake.requests).toHaveLength(0);
  });
});
