import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerAccessControl } from '../../../platform/access.ts';
import { registerErrorHandling } from '../../../platform/http.ts';
import type { InboundMessage, InboundResult, LoadedChannel } from '../types.ts';
import { createWechatApiClient } from './api-client.ts';
import { decodeAesKey, decryptMessage, encryptMessage } from './crypto.ts';
import { type FakeWechatApi, startFakeWechatApi } from './fake-wechat-api.ts';
import { type WechatReplyHook, wechatRoutes } from './routes.ts';
import { createWechatSender } from './sender.ts';
import { msgSignature, urlSignature } from './signature.ts';
import { parseWechatXml } from './xml.ts';

const NOW = new Date('2026-11-27T08:00:00Z');
const TS = String(NOW.getTime() / 1000);
const TOKEN = 'kefuToken1';
const AES = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const PLAIN_APP = 'wxplain000000001';
const SAFE_APP = 'wxsafe0000000001';
const SECRET = 'secret-0123456789';
const ID = {
  plain: '11111111-1111-4111-8111-111111111111',
  safe: '22222222-2222-4222-8222-222222222222',
  disabled: '33333333-3333-4333-8333-333333333333',
  email: '44444444-4444-4444-8444-444444444444',
  unknown: '55555555-5555-4555-8555-555555555555',
};

let fake: FakeWechatApi;
beforeAll(async () => {
  fake = await startFakeWechatApi({ [PLAIN_APP]: SECRET, [SAFE_APP]: SECRET });
});
afterAll(() => fake.close());

function channels(): Record<string, LoadedChannel> {
  const base = { brandId: 'brand-1', name: '服务号', enabled: true, type: 'wechat' as const };
  return {
    [ID.plain]: { ...base, id: ID.plain, config: { appId: PLAIN_APP, apiBaseUrl: fake.baseUrl }, secrets: { token: TOKEN, appSecret: SECRET } },
    [ID.safe]: { ...base, id: ID.safe, config: { appId: SAFE_APP, apiBaseUrl: fake.baseUrl }, secrets: { token: TOKEN, appSecret: SECRET, encodingAESKey: AES } },
    [ID.disabled]: { ...base, id: ID.disabled, enabled: false, config: { appId: PLAIN_APP }, secrets: { token: TOKEN, appSecret: SECRET } },
    [ID.email]: { ...base, id: ID.email, type: 'email', config: { appId: PLAIN_APP }, secrets: { token: TOKEN, appSecret: SECRET } },
  };
}

type Harness = { app: FastifyInstance; received: InboundMessage[]; lookups: string[] };
let h: Harness;
const apps: FastifyInstance[] = [];

async function start(opts: { reply?: WechatReplyHook; replyWaitMs?: number; receive?: (m: InboundMessage) => Promise<InboundResult> } = {}): Promise<Harness> {
  const received: InboundMessage[] = [];
  const lookups: string[] = [];
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  registerAccessControl(app);
  const all = channels();
  await app.register(wechatRoutes, {
    loadChannel: async (id) => {
      lookups.push(id);
      return all[id] ?? null;
    },
    receive:
      opts.receive ??
      (async (m) => {
        received.push(m);
        return { duplicate: false, conversationId: 'conv-1', contactId: 'contact-1', messageId: `msg-${received.length}`, customerId: null };
      }),
    clock: () => NOW,
    log: app.log,
    reply: opts.reply,
    sender: createWechatSender(createWechatApiClient()),
    replyWaitMs: opts.replyWaitMs,
  });
  await app.ready();
  apps.push(app);
  return { app, received, lookups };
}

beforeEach(async () => {
  fake.requests.length = 0;
  h = await start();
});
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

const signed = (nonce = 'n123') => `timestamp=${TS}&nonce=${nonce}&signature=${urlSignature(TOKEN, TS, nonce)}`;
const textXml = (content: string, msgId = '6054768590064713728', from = 'oUser_abc123') =>
  `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${TS}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const xmlOf = (inner: string, from = 'oUser_abc123') =>
  `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${TS}</CreateTime>${inner}</xml>`;

function postPlain(app: FastifyInstance, xml: string, query = signed(), channelId = ID.plain) {
  return app.inject({ method: 'POST', url: `/channels/wechat/${channelId}?${query}&openid=oUser_abc123`, headers: { 'content-type': 'text/xml' }, payload: xml });
}

/** What WeChat sends in safe mode: the envelope with Encrypt, signed with msg_signature. */
function postSafe(app: FastifyInstance, innerXml: string, over: { appId?: string; msgSig?: string } = {}) {
  const nonce = '987654321';
  const encrypt = encryptMessage(decodeAesKey(AES), over.appId ?? SAFE_APP, innerXml);
  const sig = over.msgSig ?? msgSignature(TOKEN, TS, nonce, encrypt);
  return app.inject({
    method: 'POST',
    url: `/channels/wechat/${ID.safe}?${signed(nonce)}&openid=oUser_abc123&encrypt_type=aes&msg_signature=${sig}`,
    headers: { 'content-type': 'text/xml' },
    payload: `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  });
}

describe('GET /channels/wechat/:channelId (URL verification)', () => {
  it('echoes echostr as plain text when the signature is right', async () => {
    const res = await h.app.inject({ url: `/channels/wechat/${ID.plain}?${signed()}&echostr=4075181314397890557` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('4075181314397890557');
  });

  it('answers 401 to a forged or missing signature and 404 to unknown, disabled, non-WeChat or malformed channel ids', async () => {
    const forged = await h.app.inject({ url: `/channels/wechat/${ID.plain}?timestamp=${TS}&nonce=n123&signature=${'0'.repeat(40)}&echostr=1` });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('wechat.invalid_signature');
    expect((await h.app.inject({ url: `/channels/wechat/${ID.plain}?echostr=1` })).statusCode).toBe(401);
    for (const id of [ID.unknown, ID.disabled, ID.email, 'not-a-uuid']) {
      const res = await h.app.inject({ url: `/channels/wechat/${id}?${signed()}&echostr=1` });
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe('wechat.channel_unavailable');
    }
    expect(h.lookups).not.toContain('not-a-uuid');
  });

  it('refuses a correctly signed but stale timestamp (a replayed verification URL)', async () => {
    const old = String(Number(TS) - 3600);
    const res = await h.app.inject({ url: `/channels/wechat/${ID.plain}?timestamp=${old}&nonce=n1&signature=${urlSignature(TOKEN, old, 'n1')}&echostr=1` });
    expect(res.statusCode).toBe(401);
  });
});

describe('POST /channels/wechat/:channelId (plaintext mode)', () => {
  it('passes a text message to receive and answers success', async () => {
    const res = await postPlain(h.app, textXml('你好，我的快递到哪了？ Where is my parcel?'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('success');
    expect(h.received).toEqual([
      {
        channelId: ID.plain,
        from: { kind: 'openid', value: 'oUser_abc123', name: null },
        externalId: '6054768590064713728',
        text: '你好，我的快递到哪了？ Where is my parcel?',
        kind: 'text',
        at: NOW,
      },
    ]);
  });

  it('answers 401 to a forged signature and never calls receive', async () => {
    const res = await postPlain(h.app, textXml('hi'), `timestamp=${TS}&nonce=n123&signature=${urlSignature('wrongToken', TS, 'n123')}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('wechat.invalid_signature');
    expect(h.received).toHaveLength(0);
  });

  it('answers 400 to broken XML, a DTD or a missing field, and 413 to an oversized body, storing nothing', async () => {
    for (const body of ['<xml><ToUserName>gh', '<!DOCTYPE x [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>', xmlOf('<Content>no type</Content>'), '']) {
      const res = await postPlain(h.app, body);
      expect(res.statusCode, body).toBe(400);
      expect(['wechat.malformed_message', 'request.malformed']).toContain(res.json().error.code);
    }
    const big = await postPlain(h.app, textXml('长'.repeat(30_000)));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('request.too_large');
    expect(h.received).toHaveLength(0);
  });

  it('refuses plaintext on a safe-mode channel', async () => {
    const res = await postPlain(h.app, textXml('hi'), signed(), ID.safe);
    expect(res.statusCode).toBe(400);
    expect(h.received).toHaveLength(0);
  });

  it('calls receive once for a message WeChat retries three times, answering each retry the same', async () => {
    const xml = textXml('重复消息 repeated', '7000000000000000001');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postPlain(h.app, xml, signed(`retry${i}`)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success']);
    expect(h.received).toHaveLength(1);
    // A different message from the same customer is not a retry.
    await postPlain(h.app, textXml('next', '7000000000000000002'));
    expect(h.received).toHaveLength(2);
  });

  it('forgets a failed attempt so WeChat\'s retry is processed again', async () => {
    let calls = 0;
    const flaky = await start({
      receive: async () => {
        calls++;
        if (calls === 1) throw new Error('database unavailable');
        return { duplicate: false, conversationId: 'c', contactId: null, messageId: 'm', customerId: null };
      },
    });
    expect((await postPlain(flaky.app, textXml('x', '42'))).statusCode).toBe(500);
    expect((await postPlain(flaky.app, textXml('x', '42'))).body).toBe('success');
    expect(calls).toBe(2);
  });

  it('maps subscribe and CLICK events, describes images and locations, and ignores location reports', async () => {
    await postPlain(h.app, xmlOf('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>'));
    await postPlain(h.app, xmlOf('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[TRANSFER_AGENT]]></EventKey>', 'oOther_1'));
    await postPlain(h.app, xmlOf('<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/abc]]></PicUrl><MediaId><![CDATA[media1]]></MediaId><MsgId>101</MsgId>'));
    await postPlain(h.app, xmlOf('<MsgType><![CDATA[location]]></MsgType><Location_X>31.2304</Location_X><Location_Y>121.4737</Location_Y><Scale>15</Scale><Label><![CDATA[上海市黄浦区]]></Label><MsgId>102</MsgId>'));
    const report = await postPlain(h.app, xmlOf('<MsgType>event</MsgType><Event>LOCATION</Event><Latitude>31.2</Latitude><Longitude>121.4</Longitude><Precision>65</Precision>', 'oThird'));
    expect(report.body).toBe('success');
    expect(h.received.map((m) => [m.kind, m.externalId, m.text])).toEqual([
      ['event', `oUser_abc123:${TS}`, '[事件] 关注了公众号'],
      ['event', `oOther_1:${TS}`, '[事件] 点击菜单：TRANSFER_AGENT'],
      ['image', '101', '[图片]\nhttp://mmbiz.qpic.cn/abc'],
      ['text', '102', '[位置] 上海市黄浦区（纬度 31.2304，经度 121.4737，缩放 15）'],
    ]);
  });

  it('answers a quick automatic reply as passive XML whose content cannot inject elements', async () => {
    const hostile = 'OK]]></Content><MsgType>news</MsgType><Content><![CDATA[pwned';
    const bot = await start({ reply: async () => ({ text: hostile }) });
    const res = await postPlain(bot.app, textXml('问题'));
    expect(res.headers['content-type']).toMatch(/xml/);
    const fields = parseWechatXml(res.body);
    expect(fields).toEqual({ ToUserName: 'oUser_abc123', FromUserName: 'gh_kefu', CreateTime: TS, MsgType: 'text', Content: hostile });
  });
});

describe('POST /channels/wechat/:channelId (safe mode)', () => {
  it('decrypts the message, and encrypts a passive reply that WeChat can verify', async () => {
    const bot = await start({ reply: async (m) => ({ text: `收到：${m.text}` }) });
    const res = await postSafe(bot.app, textXml('加密的问题 encrypted question'));
    expect(res.statusCode).toBe(200);
    expect(bot.received[0]).toMatchObject({ channelId: ID.safe, text: '加密的问题 encrypted question', from: { kind: 'openid', value: 'oUser_abc123' } });
    const env = parseWechatXml(res.body);
    expect(Object.keys(env).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    expect(env.MsgSignature).toBe(msgSignature(TOKEN, env.TimeStamp!, env.Nonce!, env.Encrypt!));
    const inner = parseWechatXml(decryptMessage(decodeAesKey(AES), env.Encrypt!, SAFE_APP));
    expect(inner).toMatchObject({ ToUserName: 'oUser_abc123', FromUserName: 'gh_kefu', MsgType: 'text', Content: '收到：加密的问题 encrypted question' });
  });

  it('answers 401 to a forged msg_signature or another account\'s ciphertext, never calling receive', async () => {
    const forged = await postSafe(h.app, textXml('x'), { msgSig: 'a'.repeat(40) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('wechat.invalid_signature');
    const other = await postSafe(h.app, textXml('x'), { appId: 'wxsomeoneelse0001' });
    expect(other.statusCode).toBe(401);
    expect(h.received).toHaveLength(0);
  });

  it('answers 400 when the decrypted message is broken XML', async () => {
    const res = await postSafe(h.app, '<xml><Content>');
    expect(res.statusCode).toBe(400);
    expect(h.received).toHaveLength(0);
  });
});

describe('the 5-second rule', () => {
  it('answers success in time when the reply is slow, then sends the reply as a customer-service message', async () => {
    let finish!: () => void;
    const done = new Promise<void>((r) => {
      finish = r;
    });
    const bot = await start({
      reply: async (m) => {
        await new Promise((r) => setTimeout(r, 5500));
        setTimeout(finish, 300);
        return { text: `稍等，已为您转人工 (${m.externalId})`, messageId: 'bot-msg-1' };
      },
    });
    const started = performance.now();
    const res = await postPlain(bot.app, textXml('人工', '8000000000000000001'));
    const elapsed = performance.now() - started;
    expect(res.body).toBe('success');
    expect(elapsed).toBeLessThan(4900);
    expect(fake.calls('/cgi-bin/message/custom/send')).toHaveLength(0);
    await done;
    const sends = fake.calls('/cgi-bin/message/custom/send');
    expect(sends.map((s) => s.body)).toEqual([{ touser: 'oUser_abc123', msgtype: 'text', text: { content: '稍等，已为您转人工 (8000000000000000001)' } }]);
  }, 15_000);

  it('sends a reply too long for a passive answer through the sender right away', async () => {
    const long = '这是一段很长的自动回复。'.repeat(100);
    const bot = await start({ reply: async () => ({ text: long }) });
    const res = await postPlain(bot.app, textXml('long'));
    expect(res.body).toBe('success');
    await expect.poll(() => fake.calls('/cgi-bin/message/custom/send').length).toBeGreaterThan(1);
  });

  it('gives no automatic reply to a duplicate the pipeline already stored', async () => {
    let asked = 0;
    const dup = await start({
      receive: async () => ({ duplicate: true, conversationId: 'c', contactId: null, messageId: 'm', customerId: null }),
      reply: async () => {
        asked++;
        return { text: 'again?' };
      },
    });
    expect((await postPlain(dup.app, textXml('x'))).body).toBe('success');
    expect(asked).toBe(0);
  });
});
