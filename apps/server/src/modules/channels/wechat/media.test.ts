import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerAccessControl } from '../../../platform/access.ts';
import { AppError } from '../../../platform/errors.ts';
import { registerErrorHandling } from '../../../platform/http.ts';
import { createTestApp, type TestContext } from '../../../testing/test-app.ts';
import type { InboundMessage, InboundResult } from '../types.ts';
import { createWechatApiClient, type WechatCredentials } from './api-client.ts';
import { type FakeWechatApi, startFakeWechatApi } from './fake-wechat-api.ts';
import { checkWechatMedia, DEFAULT_MEDIA_BUDGET_MS, sniffMediaType, WechatMediaRefused } from './media.ts';
import { wechatRoutes } from './routes.ts';
import { urlSignature } from './signature.ts';

// Incoming media: an image (or AMR voice) message's MediaId is downloaded through cgi-bin/media/get
// within the callback's budget and handed to the pipeline as an attachment; anything that goes
// wrong leaves today's text (with PicUrl). Over the real pipeline and database, against the fake
// WeChat API serving files the test generates.

/** A valid 8×8 grey baseline JPEG (JFIF): one DC coefficient, Huffman tables of one code each. */
function tinyJpeg(): Buffer {
  const seg = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  const oneCodeTable = (tableClass: number) => Buffer.from([tableClass, 1, ...new Array<number>(15).fill(0), 0x00]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    seg(0xdb, Buffer.from([0x00, ...new Array<number>(64).fill(1)])),
    seg(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
    seg(0xc4, oneCodeTable(0x00)),
    seg(0xc4, oneCodeTable(0x10)),
    seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    // DC category 0, then end-of-block, padded with ones; end of image.
    Buffer.from([0x3f, 0xff, 0xd9]),
  ]);
}
const JPEG = tinyJpeg();
/** AMR-NB: the magic line, then NO_DATA frames. */
const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(8, 0x7c)]);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');

const TOKEN = 'kefuMedia2026';
const APP_ID = 'wx3ed1a0000000000a';
const APP_SECRET = 'media-app-secret-0123456789';
const PIC_URL = 'http://mmbiz.qpic.cn/mmbiz_jpg/meter-photo/0';

let fake: FakeWechatApi;
let t: TestContext;
let channelId = '';
let creds: WechatCredentials;

beforeAll(async () => {
  fake = await startFakeWechatApi({ [APP_ID]: APP_SECRET });
  creds = { appId: APP_ID, appSecret: APP_SECRET, apiBaseUrl: fake.baseUrl };
  t = await createTestApp();
  const admin = await t.login('admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: { cookie: admin },
    payload: { type: 'wechat', name: '服务号（图片）', config: { token: TOKEN, appId: APP_ID, appSecret: APP_SECRET, apiBaseUrl: fake.baseUrl } },
  });
  expect(res.statusCode, res.body).toBe(201);
  channelId = (res.json() as { id: string }).id;
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.media.clear();
  fake.mediaDelayMs = 0;
});

/** One "process": the callback over the real pipeline, with its own in-memory retry memory and token cache. */
type Callback = { app: FastifyInstance; received: InboundMessage[]; results: InboundResult[]; warnings: () => Record<string, unknown>[] };
const apps: FastifyInstance[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

async function callback(media: { budgetMs?: number } | null = {}): Promise<Callback> {
  const received: InboundMessage[] = [];
  const results: InboundResult[] = [];
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'warn', stream } });
  registerErrorHandling(app);
  registerAccessControl(app);
  await app.register(wechatRoutes, {
    loadChannel: (id) => t.app.services.outbound.channels.load(id),
    receive: async (m) => {
      received.push(m);
      const r = await t.app.services.inbound.receive(m);
      results.push(r);
      return r;
    },
    clock: () => new Date(),
    log: app.log,
    db: t.database.db,
    ...(media ? { media: { client: createWechatApiClient(), ...media } } : {}),
  });
  await app.ready();
  apps.push(app);
  return { app, received, results, warnings: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40) };
}

let seq = 0;
const nextMsgId = () => String(8_300_000_000_000_000_000n + BigInt(++seq));
const openidOf = (tag: string) => `oMedia_${tag}`.padEnd(28, '0');

/** A signed plaintext-mode delivery, as WeChat posts it. */
function deliver(app: FastifyInstance, openid: string, inner: string, nonce = String(100_000 + ++seq)) {
  const ts = String(Math.floor(Date.now() / 1000));
  const xml = `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime>${inner}</xml>`;
  return app.inject({
    method: 'POST',
    url: `/channels/wechat/${channelId}?signature=${urlSignature(TOKEN, ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=${openid}`,
    headers: { 'content-type': 'text/xml' },
    payload: xml,
  });
}
const imageXml = (mediaId: string, msgId: string) =>
  `<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[${PIC_URL}]]></PicUrl><MediaId><![CDATA[${mediaId}]]></MediaId><MsgId>${msgId}</MsgId>`;

const storedBody = async (messageId: string) => (await t.database.db.selectFrom('messages').select(['body', 'kind']).where('id', '=', messageId).executeTakeFirstOrThrow());

describe('WeChat API client: cgi-bin/media/get', () => {
  it('downloads the file with the cached access token, declared type and file name', async () => {
    fake.media.set('MEDIA_jpeg_1', { data: JPEG, contentType: 'image/jpeg', fileName: 'MEDIA_jpeg_1.jpg' });
    const client = createWechatApiClient();
    const file = await client.getMedia(creds, 'MEDIA_jpeg_1', { maxBytes: 1024 });
    expect(file.data.equals(JPEG)).toBe(true);
    expect(file).toMatchObject({ contentType: 'image/jpeg', fileName: 'MEDIA_jpeg_1.jpg' });
    await client.getMedia(creds, 'MEDIA_jpeg_1', { maxBytes: 1024 });
    expect(fake.calls('/cgi-bin/token')).toHaveLength(1);
    const gets = fake.calls('/cgi-bin/media/get');
    expect(gets.map((g) => g.query.media_id)).toEqual(['MEDIA_jpeg_1', 'MEDIA_jpeg_1']);
    expect(new Set(gets.map((g) => g.query.access_token)).size).toBe(1);
  });

  it('refreshes the token once when WeChat says it expired (42001) or is invalid (40001), then downloads', async () => {
    fake.media.set('MEDIA_jpeg_2', { data: JPEG, contentType: 'image/jpeg' });
    const client = createWechatApiClient();
    await client.getMedia(creds, 'MEDIA_jpeg_2', { maxBytes: 1024 });
    fake.expireTokens();
    expect((await client.getMedia(creds, 'MEDIA_jpeg_2', { maxBytes: 1024 })).data.equals(JPEG)).toBe(true);
    fake.revokeTokens();
    expect((await client.getMedia(creds, 'MEDIA_jpeg_2', { maxBytes: 1024 })).data.equals(JPEG)).toBe(true);
    expect(fake.calls('/cgi-bin/token')).toHaveLength(3);
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(5);
  });

  it('reports errcode answers (served as text/plain), refuses too large files and stops at the caller\'s signal', async () => {
    const client = createWechatApiClient();
    const invalid = await client.getMedia(creds, 'no_such_media', { maxBytes: 1024 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AppError);
    expect(invalid).toMatchObject({ code: 'wechat.api_error', details: { api: 'cgi-bin/media/get', errcode: 40007, errmsg: 'invalid media_id' } });
    expect(String((invalid as Error).message)).not.toContain('access_token');

    fake.media.set('MEDIA_big', { data: Buffer.concat([JPEG, Buffer.alloc(4096)]), contentType: 'image/jpeg' });
    await expect(client.getMedia(creds, 'MEDIA_big', { maxBytes: 1024 })).rejects.toMatchObject({ code: 'attachment.too_large' });

    fake.media.set('MEDIA_slow', { data: JPEG, contentType: 'image/jpeg' });
    fake.mediaDelayMs = 3000;
    const started = performance.now();
    await expect(client.getMedia(creds, 'MEDIA_slow', { maxBytes: 1024, signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ code: 'wechat.api_error', details: { errmsg: 'timed out' } });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('checkWechatMedia (magic bytes and the shared upload check)', () => {
  it('keeps JPEG, PNG and GIF images and AMR voice under the type the bytes have', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(sniffMediaType(JPEG)).toBe('image/jpeg');
    expect(checkWechatMedia('image', { data: JPEG, contentType: 'image/jpeg', fileName: null }, 'wechat-1')).toMatchObject({ fileName: 'wechat-1.jpg', contentType: 'image/jpeg' });
    // A declared type of the right family but the wrong kind: served as what the bytes are.
    expect(checkWechatMedia('image', { data: png, contentType: 'image/jpeg', fileName: null }, 'wechat-2')).toMatchObject({ fileName: 'wechat-2.png', contentType: 'image/png' });
    expect(checkWechatMedia('voice', { data: AMR, contentType: 'audio/amr', fileName: null }, 'wechat-3')).toMatchObject({ fileName: 'wechat-3.amr', contentType: 'audio/amr' });
  });

  it('refuses HTML posing as a JPEG, a declared text/html, an image in a voice message and empty files', () => {
    const refused = (f: () => unknown) => expect(f).toThrow(WechatMediaRefused);
    refused(() => checkWechatMedia('image', { data: HTML, contentType: 'image/jpeg', fileName: 'x.jpg' }, 'w'));
    refused(() => checkWechatMedia('image', { data: Buffer.concat([Buffer.from([0xff, 0xd8]), HTML]), contentType: 'image/jpeg', fileName: null }, 'w'));
    refused(() => checkWechatMedia('image', { data: JPEG, contentType: 'text/html', fileName: null }, 'w'));
    refused(() => checkWechatMedia('voice', { data: JPEG, contentType: 'audio/amr', fileName: null }, 'w'));
    refused(() => checkWechatMedia('image', { data: Buffer.alloc(0), contentType: 'image/jpeg', fileName: null }, 'w'));
    refused(() => checkWechatMedia('image', { data: JPEG, contentType: 'image/jpeg', fileName: null }, 'w', 10));
  });
});

describe('incoming images and voice over the callback', () => {
  it('passes a signed image message to the pipeline with the served file attached, keeping the text', async () => {
    fake.media.set('MEDIA_meter_photo', { data: JPEG, contentType: 'image/jpeg', fileName: 'MEDIA_meter_photo.jpg' });
    const cb = await callback();
    const msgId = nextMsgId();
    const res = await deliver(cb.app, openidOf('photo'), imageXml('MEDIA_meter_photo', msgId));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('success');
    expect(fake.calls('/cgi-bin/media/get').map((g) => g.query.media_id)).toEqual(['MEDIA_meter_photo']);
    const m = cb.received[0]!;
    expect(m).toMatchObject({ externalId: msgId, kind: 'image', text: `[图片]\n${PIC_URL}` });
    expect(m.attachments?.map((a) => [a.fileName, a.contentType])).toEqual([[`wechat-${msgId}.jpg`, 'image/jpeg']]);
    expect(m.attachments?.[0]?.data.equals(JPEG)).toBe(true);
    expect(cb.results[0]).toMatchObject({ duplicate: false });
    expect((await storedBody(cb.results[0]!.messageId)).body).toContain(PIC_URL);
  });

  it('attaches an AMR voice message and leaves Speex voice as text', async () => {
    fake.media.set('MEDIA_voice_amr', { data: AMR, contentType: 'audio/amr', fileName: 'MEDIA_voice_amr.amr' });
    const cb = await callback();
    await deliver(cb.app, openidOf('voice'), `<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[MEDIA_voice_amr]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>${nextMsgId()}</MsgId>`);
    await deliver(cb.app, openidOf('voice'), `<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[MEDIA_voice_spx]]></MediaId><Format><![CDATA[speex]]></Format><MsgId>${nextMsgId()}</MsgId>`);
    expect(cb.received.map((m) => [m.kind, m.text, m.attachments?.map((a) => a.contentType) ?? null])).toEqual([
      ['file', '[语音消息，格式 amr]', ['audio/amr']],
      ['file', '[语音消息，格式 speex]', null],
    ]);
    expect(cb.received[0]!.attachments![0]!.data.equals(AMR)).toBe(true);
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(1);
  });

  it('keeps the text with PicUrl when WeChat answers invalid media_id', async () => {
    const cb = await callback();
    const res = await deliver(cb.app, openidOf('expired'), imageXml('MEDIA_gone', nextMsgId()));
    expect(res.body).toBe('success');
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(1);
    expect(cb.received[0]).toMatchObject({ kind: 'image', text: `[图片]\n${PIC_URL}` });
    expect(cb.received[0]!.attachments).toBeUndefined();
    expect(await storedBody(cb.results[0]!.messageId)).toEqual({ body: `[图片]\n${PIC_URL}`, kind: 'image' });
    expect(cb.warnings()).toEqual([expect.objectContaining({ msg: 'wechat media not kept; the message is stored as text', errcode: 40007, mediaKind: 'image' })]);
    // The access token never reaches the log.
    const token = fake.calls('/cgi-bin/media/get')[0]!.query.access_token!;
    expect(JSON.stringify(cb.warnings())).not.toContain(token);
  });

  it('refuses a "JPEG" that is really HTML and keeps the text with PicUrl', async () => {
    fake.media.set('MEDIA_disguised', { data: HTML, contentType: 'image/jpeg', fileName: 'photo.jpg' });
    const cb = await callback();
    const res = await deliver(cb.app, openidOf('html'), imageXml('MEDIA_disguised', nextMsgId()));
    expect(res.body).toBe('success');
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(1);
    expect(cb.received[0]!.attachments).toBeUndefined();
    expect(await storedBody(cb.results[0]!.messageId)).toEqual({ body: `[图片]\n${PIC_URL}`, kind: 'image' });
    expect(cb.warnings()).toEqual([expect.objectContaining({ reason: expect.stringMatching(/content is not image/) })]);
  });

  it('stores the text when the media server is slower than the budget, answering well within WeChat\'s 5 seconds', async () => {
    fake.media.set('MEDIA_slow_photo', { data: JPEG, contentType: 'image/jpeg' });
    fake.mediaDelayMs = 6000;
    const cb = await callback();
    const started = performance.now();
    const res = await deliver(cb.app, openidOf('slow'), imageXml('MEDIA_slow_photo', nextMsgId()));
    const elapsed = performance.now() - started;
    expect(res.body).toBe('success');
    expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_MEDIA_BUDGET_MS - 100);
    expect(elapsed).toBeLessThan(4900);
    expect(cb.received[0]!.attachments).toBeUndefined();
    expect(await storedBody(cb.results[0]!.messageId)).toEqual({ body: `[图片]\n${PIC_URL}`, kind: 'image' });
    expect(cb.warnings()).toEqual([expect.objectContaining({ reason: expect.stringMatching(/timed out/) })]);
  }, 20_000);

  it('downloads a retried delivery of the same MsgId once: concurrent and later retries, and in another process', async () => {
    fake.media.set('MEDIA_retried', { data: JPEG, contentType: 'image/jpeg' });
    const msgId = nextMsgId();
    const openid = openidOf('retry');
    const first = await callback();
    const answers = await Promise.all([1, 2, 3].map(() => deliver(first.app, openid, imageXml('MEDIA_retried', msgId))));
    answers.push(await deliver(first.app, openid, imageXml('MEDIA_retried', msgId)));
    expect(answers.map((a) => a.body)).toEqual(['success', 'success', 'success', 'success']);
    expect(first.received).toHaveLength(1);
    // Another process (no shared memory) gets WeChat's next retry: the database says it is stored.
    const other = await callback();
    expect((await deliver(other.app, openid, imageXml('MEDIA_retried', msgId))).body).toBe('success');
    expect(other.results).toEqual([expect.objectContaining({ duplicate: true, messageId: first.results[0]!.messageId })]);
    expect(other.received[0]!.attachments).toBeUndefined();
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(1);
    const visitor = await t.database.db.selectFrom('visitors').select('id').where('external_id', '=', `openid:${openid}`).executeTakeFirstOrThrow();
    const conversations = await t.database.db.selectFrom('conversations').select('id').where('visitor_id', '=', visitor.id).execute();
    const fromCustomer = await t.database.db.selectFrom('messages').select('kind').where('conversation_id', 'in', conversations.map((c) => c.id)).where('sender_type', '=', 'customer').orderBy('seq').execute();
    // Stored once: the text line and the kept photo.
    expect(fromCustomer.map((m) => m.kind)).toEqual(['image', 'image']);
  });

  it('downloads nothing when the option is off (the default)', async () => {
    fake.media.set('MEDIA_off', { data: JPEG, contentType: 'image/jpeg' });
    const cb = await callback(null);
    await deliver(cb.app, openidOf('off'), imageXml('MEDIA_off', nextMsgId()));
    expect(fake.calls('/cgi-bin/media/get')).toHaveLength(0);
    expect(cb.received[0]).toMatchObject({ kind: 'image', text: `[图片]\n${PIC_URL}` });
    expect(cb.received[0]!.attachments).toBeUndefined();
  });

  it('keeps the photo as a chat file on the customer timeline: an image message after the text, downloadable byte for byte', async () => {
    fake.media.set('MEDIA_meter_photo_2', { data: JPEG, contentType: 'image/jpeg', fileName: 'MEDIA_meter_photo_2.jpg' });
    const cb = await callback();
    const res = await deliver(cb.app, openidOf('keeps'), imageXml('MEDIA_meter_photo_2', nextMsgId()));
    expect(res.statusCode, res.body).toBe(200);
    const conversationId = cb.results[0]?.conversationId as string;
    const rows = await t.database.db.selectFrom('messages').select(['kind', 'body', 'attachment']).where('conversation_id', '=', conversationId).where('sender_type', '=', 'customer').orderBy('seq').execute();
    expect(rows.map((r) => r.kind)).toEqual(['image', 'image']);
    const attachment = rows[1]?.attachment as { url: string; contentType: string; size: number };
    expect(attachment).toMatchObject({ contentType: 'image/jpeg', size: JPEG.length, url: expect.stringMatching(/^\/api\/v1\/chat-files\//) });
    const download = await t.app.inject({ method: 'GET', url: attachment.url });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(JPEG)).toBe(true);
  });
});
