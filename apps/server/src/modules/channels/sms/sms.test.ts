import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAdapterApp, silentLog, startFakeServer } from '../api/fake-server.testing.ts';
import { computeSignature } from '../api/signing.ts';
import type { InboundMessage, LoadedChannel } from '../types.ts';
import { type SmsReceipt, smsChannelRoutes } from './sms.routes.ts';
import { createSmsSender } from './sms.sender.ts';
import { countSmsSegments, isResubscribeKeyword, isUnsubscribeKeyword, toArchivePhone, toE164, withUnsubscribeHint } from './sms.text.ts';

const SECRET = 'sms-signing-secret-0123456789';
const TOKEN = 'callback-token-0123456789abcdef';
const NOW = new Date('2026-03-01T08:00:00Z');
const channel = (id: string, config: Record<string, unknown>, secrets: Record<string, string>, extra: Partial<LoadedChannel> = {}): LoadedChannel => ({
  id,
  brandId: 'brand-1',
  type: 'sms',
  name: id,
  enabled: true,
  config: { signName: '某某燃气', ...config },
  secrets,
  ...extra,
});
const channels = new Map<string, LoadedChannel>([
  ['generic', channel('generic', { provider: 'generic' }, { signingSecret: SECRET })],
  ['ali', channel('ali', { provider: 'aliyun' }, { callbackToken: TOKEN })],
  ['tc', channel('tc', { provider: 'tencent' }, { callbackToken: TOKEN })],
  ['off', channel('off', { provider: 'generic' }, { signingSecret: SECRET }, { enabled: false })],
  ['webchat', channel('webchat', { provider: 'generic' }, { signingSecret: SECRET }, { type: 'webchat' })],
]);

let app: FastifyInstance;
let now = NOW;
const received: InboundMessage[] = [];
const receipts: SmsReceipt[] = [];
const unsubscribed: { phone: string; text: string }[] = [];
const resubscribed: string[] = [];
/** Numbers that opted out before (only these opt in again with 订阅 / 恢复 / START). */
const optedOut = new Set<string>();

beforeAll(async () => {
  app = await buildAdapterApp(async (a) => {
    await a.register(smsChannelRoutes, {
      loadChannel: async (id) => channels.get(id) ?? null,
      receive: async (m) => {
        const duplicate = received.some((r) => r.externalId === m.externalId);
        if (!duplicate) received.push(m);
        return { duplicate, conversationId: 'conv-1', contactId: null, messageId: `msg-${m.externalId}`, customerId: null };
      },
      clock: () => now,
      log: silentLog,
      onReceipt: async (r) => {
        receipts.push(r);
      },
      onUnsubscribe: async (phone, ctx) => {
        unsubscribed.push({ phone, text: ctx.text });
      },
      onResubscribe: async (phone) => {
        if (!optedOut.has(phone)) return false;
        resubscribed.push(phone);
        return true;
      },
    });
  });
});
afterAll(() => app.close());
beforeEach(() => {
  received.length = 0;
  receipts.length = 0;
  unsubscribed.length = 0;
  resubscribed.length = 0;
  now = new Date(now.getTime() + 1000);
});

const signed = (body: string, at = now, secret = SECRET) => {
  const ts = Math.floor(at.getTime() / 1000);
  return { 'content-type': 'application/json', 'x-kefu-timestamp': String(ts), 'x-kefu-signature': `v1=${computeSignature(secret, ts, body)}` };
};
const postGeneric = (payload: unknown, headers?: Record<string, string>) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return app.inject({ method: 'POST', url: '/channels/sms/generic', payload: body, headers: headers ?? signed(body) });
};

describe('SMS callbacks: generic signed format', () => {
  it('maps a signed inbound message to the pipeline with the archive phone format', async () => {
    const res = await postGeneric({ messageId: 'g-1', from: '+86 138-1234-5678', to: '106900001234', text: '燃气表不走了', receivedAt: '2026-03-01T15:59:00+08:00' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, results: [{ externalId: 'g-1', outcome: 'received' }] });
    expect(received).toEqual([{ channelId: 'generic', from: { kind: 'phone', value: '13812345678' }, externalId: 'g-1', text: '燃气表不走了', kind: 'text', at: new Date('2026-03-01T07:59:00Z') }]);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = JSON.stringify({ messageId: 'g-2', from: '13812345678', text: 'hi' });
    const res = await postGeneric(body, signed(body, now, 'not-the-channel-secret-000'));
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'sms.invalid_signature', details: { reason: 'mismatch' } });
    const unsigned = await app.inject({ method: 'POST', url: '/channels/sms/generic', payload: body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.json().error).toMatchObject({ code: 'sms.invalid_signature', details: { reason: 'missing' } });
    expect(received).toHaveLength(0);
  });

  it('refuses a stale timestamp and a replayed request', async () => {
    const body = JSON.stringify({ messageId: 'g-3', from: '13812345678', text: 'hello' });
    const stale = await postGeneric(body, signed(body, new Date(now.getTime() - 301_000)));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.details.reason).toBe('stale');
    const headers = signed(body);
    expect((await postGeneric(body, headers)).statusCode).toBe(200);
    const replay = await postGeneric(body, headers);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.details.reason).toBe('replayed');
    expect(received).toHaveLength(1);
  });

  it('answers 413 to an oversized body and 400 to malformed JSON, signed or not', async () => {
    const big = JSON.stringify({ messageId: 'g-4', from: '13812345678', text: 'x'.repeat(70 * 1024) });
    const tooBig = await postGeneric(big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.code).toBe('request.too_large');
    const broken = await postGeneric('{"messageId": "g-5", "from": ');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('sms.invalid_payload');
    const wrongShape = await postGeneric({ messageId: 'g-6', sender: '13812345678', text: 'hi' });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().error.details.issues.join()).toMatch(/from/);
    const notPhone = await postGeneric({ messageId: 'g-7', from: 'abc-def', text: 'hi' });
    expect(notPhone.json().error.code).toBe('sms.invalid_payload');
    expect(received).toHaveLength(0);
  });

  it('passes delivery receipts to onReceipt, not to the conversation', async () => {
    expect((await postGeneric({ messageId: 'prov-9', status: 'failed', error: 'UNDELIV 空号' })).statusCode).toBe(200);
    expect(receipts).toEqual([{ channelId: 'generic', brandId: 'brand-1', providerMessageId: 'prov-9', phone: null, status: 'failed', error: 'UNDELIV 空号', at: now }]);
    expect(received).toHaveLength(0);
  });

  it('answers 404 for unknown, disabled and non-SMS channels', async () => {
    for (const id of ['nope', 'off', 'webchat']) {
      const body = '{}';
      const res = await app.inject({ method: 'POST', url: `/channels/sms/${id}`, payload: body, headers: signed(body) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('sms.unknown_channel');
    }
  });
});

describe('SMS callbacks: unsubscribe keywords', () => {
  it.each(['TD', 'td', ' 退订 ', 'ＴＤ', 'T', 'stop', 'STOP!', '退订。'])('treats %j as an unsubscribe, not a message', async (text) => {
    const res = await postGeneric({ messageId: `u-${text}`, from: '13812345678', text });
    expect(res.json().results[0].outcome).toBe('unsubscribed');
    expect(unsubscribed).toEqual([{ phone: '13812345678', text }]);
    expect(received).toHaveLength(0);
  });

  it('keeps messages that merely contain a keyword', async () => {
    for (const text of ['TD是什么意思?', 'stop the bill please', '不要退订']) expect(isUnsubscribeKeyword(text)).toBe(false);
    await postGeneric({ messageId: 'u-keep', from: '13812345678', text: '请问怎么退订?' });
    expect(received).toHaveLength(1);
    expect(unsubscribed).toHaveLength(0);
  });
});

describe('SMS callbacks: opting in again', () => {
  it('treats 订阅 / 恢复 / START as an opt-in only from a number that opted out', async () => {
    optedOut.add('13812340000');
    try {
      const back = await postGeneric({ messageId: 'r-1', from: '13812340000', text: ' 订阅 ' });
      expect(back.json().results).toEqual([{ externalId: 'r-1', outcome: 'resubscribed' }]);
      expect(resubscribed).toEqual(['13812340000']);
      expect(received).toHaveLength(0);
      // 恢复 from anyone else is a customer's word (power restored?) for an agent to read.
      const other = await postGeneric({ messageId: 'r-2', from: '13812349999', text: '恢复' });
      expect(other.json().results).toEqual([{ externalId: 'r-2', outcome: 'received' }]);
      expect(received.map((m) => m.text)).toEqual(['恢复']);
    } finally {
      optedOut.clear();
    }
  });

  it('recognises the opt-in keywords and adds the unsubscribe hint to notices', () => {
    for (const text of ['订阅', ' 恢复 ', 'start', 'ＳＴＡＲＴ!']) expect(isResubscribeKeyword(text), text).toBe(true);
    for (const text of ['恢复供电了吗', 'TD', 'restart']) expect(isResubscribeKeyword(text), text).toBe(false);
    expect(withUnsubscribeHint('明日停电')).toBe('明日停电。回复TD退订');
    expect(withUnsubscribeHint('明日停电！')).toBe('明日停电！回复TD退订');
    expect(withUnsubscribeHint('电费已出，回复TD退订')).toBe('电费已出，回复TD退订');
    expect(withUnsubscribeHint('Outage tomorrow')).toBe('Outage tomorrow. Reply TD to unsubscribe');
    expect(withUnsubscribeHint('Reply STOP to unsubscribe.')).toBe('Reply STOP to unsubscribe.');
  });
});

describe('SMS callbacks: Alibaba Cloud format (HTTP 批量推送)', () => {
  it('maps an SmsUp batch, authenticated by the callback token, and answers {code:0}', async () => {
    const batch = [
      { phone_number: '13912345678', send_time: '2026-03-01 10:00:00', content: '我家停气了', sign_name: '某某燃气', dest_code: '1234', sequence_id: 1234567890 },
      { phone_number: '8613912345678', send_time: '2026-03-01 10:00:05', content: '退订', sign_name: '某某燃气', dest_code: '1234', sequence_id: '1234567891' },
    ];
    const res = await app.inject({ method: 'POST', url: `/channels/sms/ali?token=${TOKEN}`, payload: batch });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(received).toEqual([{ channelId: 'ali', from: { kind: 'phone', value: '13912345678' }, externalId: '1234567890', text: '我家停气了', kind: 'text', at: new Date('2026-03-01T02:00:00Z') }]);
    expect(unsubscribed).toEqual([{ phone: '13912345678', text: '退订' }]);
  });

  it('maps an SmsReport batch to receipts', async () => {
    const batch = [
      { phone_number: '13912345678', send_time: '2026-03-01 10:00:00', report_time: '2026-03-01 10:00:08', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: '12345^0', out_id: 'msg-7' },
      { phone_number: '13900000000', send_time: '2026-03-01 10:00:00', report_time: '2026-03-01 10:00:09', success: false, err_code: 'MK:0001', err_msg: '空号', sms_size: '2', biz_id: '12345^1', out_id: '' },
    ];
    const res = await app.inject({ method: 'POST', url: `/channels/sms/ali/${TOKEN}`, payload: batch });
    expect(res.statusCode).toBe(200);
    expect(receipts.map((r) => [r.providerMessageId, r.phone, r.status, r.error, r.at.toISOString()])).toEqual([
      ['12345^0', '13912345678', 'delivered', null, '2026-03-01T02:00:08.000Z'],
      ['12345^1', '13900000000', 'failed', 'MK:0001 空号', '2026-03-01T02:00:09.000Z'],
    ]);
  });

  it('refuses a missing or wrong token with 401, and a body that is not an Alibaba Cloud array with 400', async () => {
    const batch = [{ phone_number: '13912345678', content: 'x', sequence_id: 1 }];
    expect((await app.inject({ method: 'POST', url: '/channels/sms/ali', payload: batch })).json().error).toMatchObject({ code: 'sms.invalid_signature', details: { reason: 'missing' } });
    expect((await app.inject({ method: 'POST', url: '/channels/sms/ali?token=wrong-token-0123456789', payload: batch })).statusCode).toBe(401);
    const header = await app.inject({ method: 'POST', url: '/channels/sms/ali', payload: batch, headers: { 'x-kefu-token': TOKEN } });
    expect(header.statusCode).toBe(200);
    const notArray = await app.inject({ method: 'POST', url: `/channels/sms/ali?token=${TOKEN}`, payload: { phone_number: '13912345678', content: 'x' } });
    expect(notArray.statusCode).toBe(400);
    expect(notArray.json().error.code).toBe('sms.invalid_payload');
  });
});

describe('SMS callbacks: Tencent Cloud format', () => {
  it('maps a reply callback (one object) and answers {result:0}; a retry is the same externalId', async () => {
    const reply = { extend: '', mobile: '13712345678', nationcode: '86', sign: '某某燃气', text: 'Meter reading is wrong', time: 1772352000 };
    const res = await app.inject({ method: 'POST', url: `/channels/sms/tc?token=${TOKEN}`, payload: reply });
    expect(res.json()).toEqual({ result: 0, errmsg: 'OK' });
    expect(received[0]).toMatchObject({ from: { kind: 'phone', value: '13712345678' }, text: 'Meter reading is wrong', at: new Date(1772352000 * 1000) });
    const again = await app.inject({ method: 'POST', url: `/channels/sms/tc?token=${TOKEN}`, payload: reply });
    expect(again.statusCode).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('keeps a foreign number international and maps status reports', async () => {
    await app.inject({ method: 'POST', url: `/channels/sms/tc?token=${TOKEN}`, payload: { mobile: '91234567', nationcode: '852', sign: 's', text: 'hello', time: 1772352001 } });
    expect(received[0]!.from.value).toBe('+85291234567');
    const reports = [
      { user_receive_time: '2026-03-01 10:00:08', nationcode: '86', mobile: '13712345678', report_status: 'SUCCESS', errmsg: 'DELIVRD', description: '用户短信送达成功', sid: 'sid-1' },
      { user_receive_time: '2026-03-01 10:00:09', nationcode: '86', mobile: '13712345678', report_status: 'FAIL', errmsg: 'MK:0005', description: '关机', sid: 'sid-2' },
    ];
    expect((await app.inject({ method: 'POST', url: `/channels/sms/tc?token=${TOKEN}`, payload: reports })).statusCode).toBe(200);
    expect(receipts.map((r) => [r.providerMessageId, r.status, r.error])).toEqual([
      ['sid-1', 'delivered', null],
      ['sid-2', 'failed', 'MK:0005 关机'],
    ]);
  });
});

describe('SMS text rules', () => {
  it('normalises phone numbers to the archive format', () => {
    expect(toArchivePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(toArchivePhone('008613812345678')).toBe('13812345678');
    expect(toArchivePhone('8613812345678')).toBe('13812345678');
    expect(toArchivePhone('13812345678', '86')).toBe('13812345678');
    expect(toArchivePhone('010-8888 6666')).toBe('01088886666');
    expect(toArchivePhone('+1 415 555 0100')).toBe('+14155550100');
    expect(toArchivePhone('not a phone')).toBeNull();
    expect(toE164('13812345678')).toBe('+8613812345678');
    expect(toE164('+14155550100')).toBe('+14155550100');
  });

  it('counts segments: 70/67 for Chinese (UCS-2), 160/153 for GSM-7', () => {
    expect(countSmsSegments('你'.repeat(70))).toMatchObject({ encoding: 'ucs2', segments: 1 });
    expect(countSmsSegments('你'.repeat(71))).toMatchObject({ encoding: 'ucs2', segments: 2, perSegment: 67 });
    expect(countSmsSegments('你'.repeat(134))).toMatchObject({ segments: 2 });
    expect(countSmsSegments('你'.repeat(135))).toMatchObject({ segments: 3 });
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', segments: 1 });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', segments: 2 });
    // An extension character takes two septets; one Chinese character switches the whole text to UCS-2.
    expect(countSmsSegments(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
    expect(countSmsSegments(`${'a'.repeat(69)}好`)).toMatchObject({ encoding: 'ucs2', segments: 1 });
  });
});

describe('SMS outbound', () => {
  const reply = (text: string, to = '13812345678') => ({ conversationId: 'conv-1', messageId: 'msg-out-1', text, to: { kind: 'phone' as const, value: to } });

  it('POSTs signed JSON to the generic gateway, which can verify it, and returns its id', async () => {
    const gateway = await startFakeServer(SECRET, [{ status: 200, body: { providerMessageId: 'gw-77' } }]);
    try {
      const ch = channel('out', { provider: 'generic', sendUrl: `${gateway.url}/send` }, { signingSecret: SECRET });
      const { sendSms } = createSmsSender({ clock: () => new Date() });
      const result = await sendSms(ch, reply('您好,您的燃气表已恢复供气。'));
      expect(result).toMatchObject({ externalId: 'gw-77', segments: { encoding: 'ucs2', segments: 1 } });
      const req = gateway.requests[0]!;
      expect(req.signatureValid).toBe(true);
      expect(req.path).toBe('/send');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.json).toEqual({ messageId: 'msg-out-1', to: '+8613812345678', text: '您好,您的燃气表已恢复供气。', signName: '某某燃气', segments: 1 });
    } finally {
      await gateway.close();
    }
  });

  it('refuses notices to an unsubscribed number but still sends replies to it', async () => {
    const gateway = await startFakeServer(SECRET, [{ status: 200, body: {} }]);
    try {
      const ch = channel('out', { provider: 'generic', sendUrl: gateway.url }, { signingSecret: SECRET });
      const { sendSms } = createSmsSender({ clock: () => new Date(), isUnsubscribed: async (phone) => phone === '13812345678' });
      await expect(sendSms(ch, reply('停气通知:明日9点至12点'), { notice: true })).rejects.toMatchObject({ code: 'sms.unsubscribed' });
      expect(gateway.requests).toHaveLength(0);
      const sent = await sendSms(ch, reply('已为您登记报修'));
      expect(sent.externalId).toBe('msg-out-1');
      expect(gateway.requests).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('refuses a text longer than maxSegments, reports a gateway error, and refuses a channel that cannot send', async () => {
    const gateway = await startFakeServer(SECRET, [{ status: 503, body: { error: 'busy' } }]);
    try {
      const ch = channel('out', { provider: 'generic', sendUrl: gateway.url, maxSegments: 2 }, { signingSecret: SECRET });
      const { sendSms } = createSmsSender({ clock: () => new Date() });
      await expect(sendSms(ch, reply('长'.repeat(200)))).rejects.toMatchObject({ code: 'sms.too_long', details: { segments: 4, maxSegments: 2 } });
      await expect(sendSms(ch, reply('short'))).rejects.toMatchObject({ code: 'sms.send_failed', details: { status: 503 } });
      const ali = channel('ali-out', { provider: 'aliyun' }, { callbackToken: TOKEN });
      await expect(sendSms(ali, reply('hi'))).rejects.toMatchObject({ code: 'sms.provider_unsupported' });
      await expect(sendSms(ch, { ...reply('hi'), to: { kind: 'email', value: 'a@b.cn' } })).rejects.toMatchObject({ code: 'validation.failed' });
    } finally {
      await gateway.close();
    }
  });
});
