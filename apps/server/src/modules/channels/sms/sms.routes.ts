// POST /channels/sms/:channelId — SMS callbacks (inbound messages and delivery receipts) in the
// channel's provider format. Public route: authenticated by our signature (generic) or by the
// channel's callback token (Alibaba Cloud, Tencent Cloud, which do not sign their callbacks).
import type { DB } from '@kefu/db';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import type { RealtimeMessage } from '../../../platform/realtime.ts';
import { createMemoryReplayGuard, keepRawBody, parseJson, type ReplayGuard, safeEqual, verifySignature } from '../api/signing.ts';
import type { LoadedChannel, Receive } from '../types.ts';
import { type TSmsChannelConfig, ZSmsChannelConfig, ZSmsChannelSecrets } from './sms.config.ts';
import { parseSmsCallback } from './sms.formats.ts';
import { createSmsCallbackStore } from './sms.store.ts';
import { isResubscribeKeyword, isUnsubscribeKeyword, toArchivePhone } from './sms.text.ts';

export const SMS_BODY_LIMIT = 64 * 1024;

/** A delivery receipt (状态报告) for a message we sent; `providerMessageId` is what `send` returned. */
export type SmsReceipt = {
  channelId: string;
  brandId: string;
  providerMessageId: string;
  /** Archive format (see toArchivePhone) when the provider names the number. */
  phone: string | null;
  status: 'delivered' | 'failed';
  error: string | null;
  at: Date;
};
export type SmsUnsubscribeContext = { channelId: string; brandId: string; text: string; at: Date };
type Log = { info: (obj: object, msg?: string) => void; warn: (obj: object, msg?: string) => void };

export type SmsRoutesDeps = {
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  receive: Receive;
  clock: () => Date;
  log: Log;
  /** Delivery receipts; without it receipts are acknowledged and dropped. */
  onReceipt?: (receipt: SmsReceipt) => Promise<void>;
  /** TD / 退订: the number opts out of notices. The message does not become a conversation message. */
  onUnsubscribe?: (phone: string, context: SmsUnsubscribeContext) => Promise<void>;
  /**
   * 订阅 / 恢复 / START: true when the number had opted out (it opts in again and the text does not
   * become a conversation message); false = an ordinary message.
   */
  onResubscribe?: (phone: string, context: SmsUnsubscribeContext) => Promise<boolean>;
  /** With the database, receipts and opt-outs are stored (sms.store.ts) unless the callbacks above are given. */
  db?: Kysely<DB>;
  /** Pushes delivery changes to the desk (`message.delivery`). */
  publish?: (m: RealtimeMessage) => Promise<void>;
  replayGuard?: ReplayGuard;
  bodyLimit?: number;
};

const ZParams = z.strictObject({ channelId: z.string().min(1).max(64), token: z.string().min(1).max(200).optional() });

export const smsChannelRoutes: FastifyPluginAsync<SmsRoutesDeps> = async (app, options) => {
  const store = options.db ? createSmsCallbackStore({ db: options.db, publish: options.publish }) : null;
  const deps: SmsRoutesDeps = {
    ...options,
    onReceipt: options.onReceipt ?? store?.onReceipt,
    onUnsubscribe: options.onUnsubscribe ?? store?.onUnsubscribe,
    onResubscribe: options.onResubscribe ?? store?.onResubscribe,
  };
  keepRawBody(app, deps.bodyLimit ?? SMS_BODY_LIMIT);
  const replayGuard = deps.replayGuard ?? createMemoryReplayGuard();
  const handler = (req: FastifyRequest, reply: FastifyReply) => handleCallback(deps, replayGuard, req, reply);
  const config = { access: 'public' as const };
  app.post('/channels/sms/:channelId', { config }, handler);
  // For consoles that take a bare URL without a query string: the token as the last path segment.
  app.post('/channels/sms/:channelId/:token', { config }, handler);
};

async function handleCallback(deps: SmsRoutesDeps, replayGuard: ReplayGuard, req: FastifyRequest, reply: FastifyReply) {
  const params = ZParams.safeParse(req.params);
  if (!params.success) throw new AppError('sms.unknown_channel', 'No such SMS channel');
  const channel = await deps.loadChannel(params.data.channelId);
  if (channel?.type !== 'sms' || !channel.enabled) throw new AppError('sms.unknown_channel', 'No such SMS channel');
  const config = ZSmsChannelConfig.safeParse(channel.config);
  const secrets = ZSmsChannelSecrets.safeParse(channel.secrets);
  if (!config.success || !secrets.success) {
    deps.log.warn({ channelId: channel.id }, 'sms channel misconfigured');
    throw new AppError('sms.unknown_channel', 'The SMS channel is not configured');
  }
  const now = deps.clock();
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  authenticate(config.data, secrets.data, channel.id, req, params.data.token, raw, now, replayGuard);

  const json = parseJson(raw);
  if (!json.ok) throw new AppError('sms.invalid_payload', 'The body is not JSON');
  const parsed = parseSmsCallback(config.data.provider, json.value, now);
  if (!parsed.ok) throw new AppError('sms.invalid_payload', `The body is not a ${config.data.provider} SMS callback`, { issues: parsed.issues });
  if (parsed.skipped > 0) deps.log.warn({ channelId: channel.id, skipped: parsed.skipped }, 'sms callback items not recognised');

  const results: { externalId: string; outcome: 'received' | 'duplicate' | 'unsubscribed' | 'resubscribed' | 'receipt' | 'skipped' }[] = [];
  // In order: a customer's two replies in one batch stay in the order they were sent.
  for (const event of parsed.events) {
    if (event.type === 'receipt') {
      const phone = event.phone ? toArchivePhone(event.phone, event.nationCode) : null;
      if (deps.onReceipt) {
        await deps.onReceipt({ channelId: channel.id, brandId: channel.brandId, providerMessageId: event.providerMessageId, phone, status: event.status, error: event.error, at: event.at });
      }
      results.push({ externalId: event.providerMessageId, outcome: 'receipt' });
      continue;
    }
    const phone = toArchivePhone(event.phone, event.nationCode);
    if (!phone) {
      if (config.data.provider === 'generic') throw new AppError('sms.invalid_payload', 'from is not a phone number', { issues: ['from: not a phone number'] });
      deps.log.warn({ channelId: channel.id, externalId: event.externalId }, 'sms from an unreadable number skipped');
      results.push({ externalId: event.externalId, outcome: 'skipped' });
      continue;
    }
    if (isUnsubscribeKeyword(event.text, config.data.unsubscribeKeywords)) {
      await deps.onUnsubscribe?.(phone, { channelId: channel.id, brandId: channel.brandId, text: event.text, at: event.at });
      deps.log.info({ channelId: channel.id, externalId: event.externalId }, 'sms unsubscribe');
      results.push({ externalId: event.externalId, outcome: 'unsubscribed' });
      continue;
    }
    if (deps.onResubscribe && isResubscribeKeyword(event.text) && (await deps.onResubscribe(phone, { channelId: channel.id, brandId: channel.brandId, text: event.text, at: event.at }))) {
      deps.log.info({ channelId: channel.id, externalId: event.externalId }, 'sms resubscribe');
      results.push({ externalId: event.externalId, outcome: 'resubscribed' });
      continue;
    }
    const result = await deps.receive({ channelId: channel.id, from: { kind: 'phone', value: phone }, externalId: event.externalId, text: event.text, kind: 'text', at: event.at });
    results.push({ externalId: event.externalId, outcome: result.duplicate ? 'duplicate' : 'received' });
  }

  // Each provider checks its own acknowledgement body; anything else makes it retry.
  switch (config.data.provider) {
    case 'aliyun':
      return reply.code(200).send({ code: 0, msg: '接收成功' });
    case 'tencent':
      return reply.code(200).send({ result: 0, errmsg: 'OK' });
    case 'generic':
      return reply.code(200).send({ ok: true, results });
  }
}

function authenticate(
  config: TSmsChannelConfig,
  secrets: z.infer<typeof ZSmsChannelSecrets>,
  channelId: string,
  req: FastifyRequest,
  pathToken: string | undefined,
  raw: Buffer,
  now: Date,
  replayGuard: ReplayGuard,
) {
  if (config.provider === 'generic') {
    if (!secrets.signingSecret) throw new AppError('sms.invalid_signature', 'The channel has no signing secret', { reason: 'missing' });
    const check = verifySignature({ secret: secrets.signingSecret, headers: req.headers, rawBody: raw, now, windowSeconds: config.replayWindowSeconds, replayGuard, scope: `sms:${channelId}` });
    if (!check.ok) throw new AppError('sms.invalid_signature', 'The request signature is not valid', { reason: check.reason });
    return;
  }
  const query = (req.query ?? {}) as Record<string, unknown>;
  const header = req.headers['x-kefu-token'];
  const given = pathToken ?? (typeof query.token === 'string' ? query.token : undefined) ?? (typeof header === 'string' ? header : undefined);
  if (!given || !secrets.callbackToken || !safeEqual(given, secrets.callbackToken)) {
    throw new AppError('sms.invalid_signature', 'The callback token is missing or wrong', { reason: given ? 'mismatch' : 'missing' });
  }
}
