import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage, LoadedChannel, OutboundMessage } from '../types.ts';
import { type ApiIdentity, apiChannelRoutes } from './api.routes.ts';
import { createApiSender } from './api.sender.ts';
import { buildAdapterApp, silentLog, startFakeServer } from './fake-server.testing.ts';
import { computeSignature } from './signing.ts';

const SECRET = 'api-signing-secret-0123456789';
const channel = (id: string, config: Record<string, unknown> = {}, extra: Partial<LoadedChannel> = {}): LoadedChannel => ({
  id,
  brandId: 'brand-1',
  type: 'api',
  name: id,
  enabled: true,
  config,
  secrets: { signingSecret: SECRET },
  ...extra,
});
const channels = new Map<string, LoadedChannel>([
  ['shop', channel('shop', { maxAttachmentBytes: 4096 })],
  ['off', channel('off', {}, { enabled: false })],
]);

let app: FastifyInstance;
let now = new Date('2026-03-01T08:00:00Z');
const received: InboundMessage[] = [];
const identities: ApiIdentity[][] = [];

beforeAll(async () => {
  app = await buildAdapterApp(async (a) => {
    await a.register(apiChannelRoutes, {
      loadChannel: async (id) => channels.get(id) ?? null,
      // Dedupes by externalId like the pipeline does.
      receive: async (m) => {
        const index = received.findIndex((r) => r.externalId === m.externalId);
        if (index < 0) received.push(m);
        const n = index < 0 ? received.length : index + 1;
        return { duplicate: index >= 0, conversationId: 'conv-9', contactId: null, messageId: `kefu-msg-${n}`, customerId: null };
      },
      clock: () => now,
      log: silentLog,
      onIdentities: async (_result, ids) => {
        identities.push(ids);
      },
    });
  });
});
afterAll(() => app.close());
beforeEach(() => {
  received.length = 0;
  identities.length = 0;
  now = new Date(now.getTime() + 1000);
});

const post = (payload: unknown, opts: { secret?: string; at?: Date; channelId?: string } = {}) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const ts = Math.floor((opts.at ?? now).getTime() / 1000);
  return app.inject({
    method: 'POST',
    url: `/channels/api/${opts.channelId ?? 'shop'}/messages`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-kefu-timestamp': String(ts), 'x-kefu-signature': `v1=${computeSignature(opts.secret ?? SECRET, ts, body)}` },
  });
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('API channel inbound', () => {
  it('turns a signed message into an InboundMessage from the platform user id, with attachments and identities', async () => {
    const res = await post({
      messageId: 'tb-1001',
      from: { id: 'buyer-42', name: '张三', phone: '+86 139 1234 5678', email: 'Zhang.San@Example.com' },
      text: '订单 123 还没发货',
      attachments: [{ name: '../../etc/截图.png', contentType: 'image/png', base64: PNG.toString('base64') }],
      sentAt: '2026-03-01T16:00:00+08:00',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-kefu-duplicate']).toBe('false');
    expect(res.json()).toEqual({ messageId: 'tb-1001', kefuMessageId: 'kefu-msg-1', conversationId: 'conv-9' });
    expect(received).toEqual([
      {
        channelId: 'shop',
        from: { kind: 'external', value: 'buyer-42', name: '张三' },
        externalId: 'tb-1001',
        text: '订单 123 还没发货',
        kind: 'image',
        attachments: [{ fileName: '截图.png', contentType: 'image/png', data: PNG }],
        at: new Date('2026-03-01T08:00:00Z'),
      },
    ]);
    expect(identities).toEqual([
      [
        { kind: 'phone', value: '13912345678' },
        { kind: 'email', value: 'zhang.san@example.com' },
      ],
    ]);
  });

  it('is idempotent by messageId: a re-signed repeat gets 200 and the same body', async () => {
    const message = { messageId: 'tb-2002', from: { id: 'buyer-7' }, text: 'Where is my parcel?' };
    const first = await post(message);
    now = new Date(now.getTime() + 2000);
    const repeat = await post(message);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.body).toBe(first.body);
    expect(repeat.headers['x-kefu-duplicate']).toBe('true');
    expect(received).toHaveLength(1);
    expect(identities).toHaveLength(0);
  });

  it('refuses forged, stale and replayed requests with 401', async () => {
    const message = { messageId: 'tb-3003', from: { id: 'buyer-8' }, text: 'hi' };
    expect((await post(message, { secret: 'someone-elses-secret-000' })).json().error).toMatchObject({ code: 'api_channel.invalid_signature', details: { reason: 'mismatch' } });
    expect((await post(message, { at: new Date(now.getTime() - 10 * 60_000) })).json().error.details.reason).toBe('stale');
    const body = JSON.stringify(message);
    const ts = String(Math.floor(now.getTime() / 1000));
    const headers = { 'content-type': 'application/json', 'x-kefu-timestamp': ts, 'x-kefu-signature': `v1=${computeSignature(SECRET, ts, body)}` };
    expect((await app.inject({ method: 'POST', url: '/channels/api/shop/messages', payload: body, headers })).statusCode).toBe(200);
    const replay = await app.inject({ method: 'POST', url: '/channels/api/shop/messages', payload: body, headers });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.details.reason).toBe('replayed');
    expect(received).toHaveLength(1);
  });

  it('answers 400 to malformed JSON, wrong shapes, remote attachment URLs and bad base64; 413 to big attachments; 404 to unknown channels', async () => {
    const broken = await post('{"messageId":');
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'api_channel.invalid_payload']);
    expect((await post({ messageId: 'x', from: 'buyer', text: 'hi' })).json().error.details.issues.join()).toMatch(/from/);
    expect((await post({ messageId: 'x', from: { id: 'b' }, text: '  ' })).json().error.code).toBe('api_channel.invalid_payload');
    expect((await post({ messageId: 'x', from: { id: 'b', phone: '12345' }, text: 'hi' })).json().error.details.issues).toEqual(['from.phone: not a phone number']);
    const remote = await post({ messageId: 'x', from: { id: 'b' }, text: 'hi', attachments: [{ url: 'http://169.254.169.254/latest', name: 'a.png', contentType: 'image/png' }] });
    expect(remote.statusCode).toBe(400);
    expect(remote.json().error.message).toMatch(/base64/);
    expect((await post({ messageId: 'x', from: { id: 'b' }, text: 'hi', attachments: [{ name: 'a.txt', contentType: 'text/plain', base64: '***' }] })).statusCode).toBe(400);
    const big = await post({ messageId: 'x', from: { id: 'b' }, text: 'hi', attachments: [{ name: 'a.bin', contentType: 'application/octet-stream', base64: Buffer.alloc(5000).toString('base64') }] });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'api_channel.attachment_too_large']);
    const hugeBody = await post({ messageId: 'x', from: { id: 'b' }, text: 'y'.repeat(9 * 1024 * 1024) });
    expect([hugeBody.statusCode, hugeBody.json().error.code]).toEqual([413, 'request.too_large']);
    expect((await post({ messageId: 'x', from: { id: 'b' }, text: 'hi' }, { channelId: 'off' })).statusCode).toBe(404);
    expect(received).toHaveLength(0);
  });
});

describe('API channel outbound webhook', () => {
  const reply: OutboundMessage = { conversationId: 'conv-9', messageId: 'kefu-msg-5', text: '您好,已为您催促发货', to: { kind: 'external', value: 'buyer-42' } };
  const sleeps: number[] = [];
  const sender = createApiSender({ clock: () => new Date(), retryDelaysMs: [10, 20], sleep: async (ms) => void sleeps.push(ms) });
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('retries 5xx with backoff, then succeeds; every attempt is signed and verifiable', async () => {
    const platform = await startFakeServer(SECRET, [{ status: 500 }, { status: 503 }, { status: 200, body: { id: 'platform-msg-1' } }]);
    try {
      const result = await sender.sendApiWebhook(channel('shop', { webhookUrl: `${platform.url}/kefu/webhook` }), reply);
      expect(result).toEqual({ externalId: 'platform-msg-1' });
      expect(platform.requests).toHaveLength(3);
      expect(sleeps).toEqual([10, 20]);
      for (const req of platform.requests) {
        expect(req.signatureValid).toBe(true);
        expect(req.path).toBe('/kefu/webhook');
        expect(req.headers['x-kefu-event']).toBe('message.created');
        expect(req.headers['x-kefu-delivery']).toBe('kefu-msg-5');
      }
      expect(platform.requests[0]!.json).toEqual({ event: 'message.created', conversationId: 'conv-9', messageId: 'kefu-msg-5', to: { id: 'buyer-42' }, text: '您好,已为您催促发货', sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      await platform.close();
    }
  });

  it('reports an error when the webhook keeps answering non-2xx, without retrying a 4xx', async () => {
    const down = await startFakeServer(SECRET, [{ status: 502 }]);
    const refuses = await startFakeServer(SECRET, [{ status: 404 }]);
    try {
      await expect(sender.sendApiWebhook(channel('shop', { webhookUrl: down.url }), reply)).rejects.toMatchObject({ code: 'api_channel.webhook_failed', details: { status: 502, attempts: 3 } });
      expect(down.requests).toHaveLength(3);
      await expect(sender.sendApiWebhook(channel('shop', { webhookUrl: refuses.url }), reply)).rejects.toMatchObject({ code: 'api_channel.webhook_failed', details: { status: 404, attempts: 1 } });
      expect(refuses.requests).toHaveLength(1);
    } finally {
      await down.close();
      await refuses.close();
    }
  });

  it('times out a hanging webhook, reports an unreachable one, and refuses a channel without a webhook URL', async () => {
    const slow = await startFakeServer(SECRET, [{ status: 200, delayMs: 2000 }]);
    try {
      await expect(sender.sendApiWebhook(channel('shop', { webhookUrl: slow.url, webhookTimeoutMs: 500 }), reply)).rejects.toMatchObject({ code: 'api_channel.webhook_failed', details: { cause: 'timeout', attempts: 3 } });
    } finally {
      await slow.close();
    }
    const gone = await startFakeServer(SECRET, [{ status: 200 }]);
    await gone.close();
    await expect(sender.sendApiWebhook(channel('shop', { webhookUrl: gone.url }), reply)).rejects.toMatchObject({ code: 'api_channel.webhook_failed', details: { cause: 'network' } });
    await expect(sender.sendApiWebhook(channel('shop'), reply)).rejects.toMatchObject({ code: 'api_channel.not_configured' });
  });
});
