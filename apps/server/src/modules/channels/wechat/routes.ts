import { randomBytes, randomInt } from 'node:crypto';
import type { DB } from '@kefu/db';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import type { WechatApiClient } from './api-client.ts';
import type { ChannelHealth, ChannelSender, InboundMessage, InboundResult, LoadedChannel, Receive } from '../types.ts';
import { BIND_MENU_KEY, type BindingCommand, createWechatBinding, parseBindingCommand, type WechatBinding } from './binding.ts';
import { readWechatSettings, type WechatSettings } from './config.ts';
import { decodeAesKey, decryptMessage, encryptMessage, WechatCryptoError } from './crypto.ts';
import { DEFAULT_MEDIA_BUDGET_MS, downloadWechatMedia, MAX_WECHAT_MEDIA_BYTES } from './media.ts';
import { createRecentAnswers } from './recent.ts';
import { sendWechat, wechatApiClient } from './sender.ts';
import { msgSignature, urlSignature, verifySignature } from './signature.ts';
import { buildEncryptedReply, buildTextReply, MAX_WECHAT_BODY_BYTES, mapWechatMessage, parseWechatXml, type WechatInbound, WechatXmlError } from './xml.ts';

/**
 * What the bot (or any automation) answers at once. Answered text within `replyWaitMs` goes back as
 * the passive XML reply; later text leaves through the sender as a customer-service message.
 */
export type WechatReplyHook = (message: InboundMessage, result: InboundResult) => Promise<{ text: string; messageId?: string | null } | null>;

export type WechatRoutesOptions = {
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  receive: Receive;
  clock: () => Date;
  log: FastifyBaseLogger;
  reply?: WechatReplyHook;
  /** Sends late automatic replies (default: sendWechat). */
  sender?: ChannelSender;
  /** Told about each accepted message (ok) and each refused signature (not ok), for the admin's health indicator. */
  onHealth?: (channelId: string, health: ChannelHealth) => void;
  /** How long the reply hook may take, counted from the request's arrival (default 4000 ms; WeChat gives up at 5 s). */
  replyWaitMs?: number;
  /** Callbacks whose timestamp is further than this from our clock are refused (default 300 s; 0 = no check). */
  maxSkewSeconds?: number;
  /** In-process memory of handled messages (default 10,000 keys for 60 s). */
  recent?: { max: number; ttlMs: number };
  /** With the database, followers can bind their openid to a customer (`绑定 户号 后四位`, `解绑`; binding.ts). */
  db?: Kysely<DB>;
  /** The binding service (default: one over `db`); neither = binding commands are ordinary messages. */
  binding?: WechatBinding;
  /**
   * Download incoming images and AMR voice (MediaId, cgi-bin/media/get) and pass them to the
   * pipeline as attachments (media.ts). Off when absent. `budgetMs` counts from the request's
   * arrival (default 3000); `maxBytes` defaults to the chat-file limit; `client` defaults to the
   * process-wide API client (shared access-token cache).
   */
  media?: { client?: WechatApiClient; budgetMs?: number; maxBytes?: number };
};

/** A passive reply must stay small; longer automatic answers go out as customer-service messages. */
export const MAX_PASSIVE_REPLY_BYTES = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Answer = { contentType: string; body: string };
const SUCCESS: Answer = { contentType: 'text/plain; charset=utf-8', body: 'success' };

function str(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : undefined;
}

/**
 * The WeChat official account callback (服务器配置 URL): `GET /channels/wechat/:channelId` answers
 * the URL verification, `POST` takes messages and events in plaintext or safe mode.
 * Register at the root (no /api/v1 prefix); the route is public and authenticates by signature.
 */
export const wechatRoutes: FastifyPluginAsync<WechatRoutesOptions> = async (app, opts) => {
  const { loadChannel, receive, clock, log } = opts;
  const sender = opts.sender ?? sendWechat;
  const replyWaitMs = opts.replyWaitMs ?? 4000;
  const maxSkewSeconds = opts.maxSkewSeconds ?? 300;
  const recent = createRecentAnswers<Answer>(opts.recent ?? { max: 10_000, ttlMs: 60_000 });
  const binding = opts.binding ?? (opts.db ? createWechatBinding({ db: opts.db, clock, log }) : null);
  const media = opts.media
    ? { client: opts.media.client ?? wechatApiClient, budgetMs: opts.media.budgetMs ?? DEFAULT_MEDIA_BUDGET_MS, maxBytes: opts.media.maxBytes ?? MAX_WECHAT_MEDIA_BYTES }
    : null;
  const health = (channelId: string, ok: boolean, detail?: string) => {
    try {
      opts.onHealth?.(channelId, { ok, checkedAt: clock(), ...(detail ? { detail } : {}) });
    } catch (e) {
      log.warn({ err: e, channelId }, 'wechat health callback failed');
    }
  };

  // WeChat posts text/xml; anything else is read as text too and refused by the XML check.
  app.addContentTypeParser(['text/xml', 'application/xml', '*'], { parseAs: 'string', bodyLimit: MAX_WECHAT_BODY_BYTES }, (_req, body, done) => done(null, body));

  async function channelOf(channelId: string): Promise<{ channel: LoadedChannel; settings: WechatSettings }> {
    const unavailable = () => new AppError('wechat.channel_unavailable', 'No enabled WeChat channel with this id', { channelId });
    if (!UUID.test(channelId)) throw unavailable();
    const channel = await loadChannel(channelId);
    if (channel?.type !== 'wechat' || !channel.enabled) throw unavailable();
    try {
      return { channel, settings: readWechatSettings(channel) };
    } catch (e) {
      log.error({ channelId, issues: e instanceof AppError ? e.details : undefined }, 'wechat channel settings are invalid');
      throw unavailable();
    }
  }

  /** Checks `signature` (and the timestamp's age); nothing else is looked at before it passes. */
  function checkUrlSignature(channelId: string, settings: WechatSettings, query: unknown): { timestamp: string; nonce: string } {
    const timestamp = str(query, 'timestamp');
    const nonce = str(query, 'nonce');
    if (!timestamp || !nonce || !verifySignature(urlSignature(settings.token, timestamp, nonce), str(query, 'signature'))) {
      health(channelId, false, 'invalid signature');
      throw new AppError('wechat.invalid_signature', 'The WeChat signature is invalid');
    }
    if (maxSkewSeconds > 0 && !(/^\d{1,12}$/.test(timestamp) && Math.abs(Number(timestamp) - clock().getTime() / 1000) <= maxSkewSeconds)) {
      health(channelId, false, 'timestamp outside the allowed window (check the server clock)');
      throw new AppError('wechat.invalid_signature', 'The WeChat timestamp is too old or in the future');
    }
    return { timestamp, nonce };
  }

  const malformed = (message: string) => new AppError('wechat.malformed_message', message);

  app.get<{ Params: { channelId: string } }>('/channels/wechat/:channelId', { schema: { hide: true }, config: { access: 'public' } }, async (req, reply) => {
    const { channel, settings } = await channelOf(req.params.channelId);
    // URL verification (接入验证) is plain in every mode: the signature over token, timestamp, nonce.
    checkUrlSignature(channel.id, settings, req.query);
    const echostr = str(req.query, 'echostr');
    if (!echostr) throw malformed('echostr is missing');
    return reply.type('text/plain; charset=utf-8').send(echostr);
  });

  app.post<{ Params: { channelId: string } }>(
    '/channels/wechat/:channelId',
    { schema: { hide: true }, config: { access: 'public' }, bodyLimit: MAX_WECHAT_BODY_BYTES },
    async (req, reply) => {
      const arrived = performance.now();
      const { channel, settings } = await channelOf(req.params.channelId);
      const { timestamp, nonce } = checkUrlSignature(channel.id, settings, req.query);
      if (typeof req.body !== 'string' || req.body.length === 0) throw malformed('The body must be WeChat XML');
      const safeMode = str(req.query, 'encrypt_type') === 'aes';
      const key = settings.encodingAESKey ? decodeAesKey(settings.encodingAESKey) : null;
      if (safeMode && !key) throw malformed('Encrypted message, but the channel has no EncodingAESKey');
      if (!safeMode && key) throw malformed('The channel is in safe mode; plaintext messages are refused');

      let fields: Record<string, string>;
      try {
        const outer = parseWechatXml(req.body);
        if (key) {
          const encrypt = outer.Encrypt?.trim();
          if (!encrypt) throw malformed('Encrypt is missing');
          if (!verifySignature(msgSignature(settings.token, timestamp, nonce, encrypt), str(req.query, 'msg_signature'))) {
            health(channel.id, false, 'invalid msg_signature');
            throw new AppError('wechat.invalid_signature', 'The WeChat msg_signature is invalid');
          }
          fields = parseWechatXml(decryptMessage(key, encrypt, settings.appId));
        } else {
          fields = outer;
        }
      } catch (e) {
        if (e instanceof WechatXmlError) throw malformed(e.message);
        if (e instanceof WechatCryptoError) {
          health(channel.id, false, `decryption failed: ${e.reason}`);
          throw new AppError('wechat.invalid_signature', 'The WeChat message could not be decrypted for this account', { reason: e.reason });
        }
        throw e;
      }

      let inbound: WechatInbound;
      try {
        inbound = mapWechatMessage(fields, channel.id, clock());
      } catch (e) {
        if (e instanceof WechatXmlError) throw malformed(e.message);
        throw e;
      }
      const message = inbound.message;
      if (!message) return send(reply, SUCCESS);

      // Binding commands are a self-service exchange: answered here, never a conversation message.
      const command = binding ? bindingCommandOf(inbound, fields) : null;
      if (binding && command) {
        const answer = recent.getOrStart(`${channel.id}\n${message.externalId}`, async () => {
          const result = await binding.handle(channel, { openid: inbound.openid, externalId: message.externalId, command });
          health(channel.id, true);
          return result.reply ? passiveReply(settings, key, inbound, result.reply) : SUCCESS;
        });
        return send(reply, await answer.value);
      }

      const { value, repeated } = recent.getOrStart(`${channel.id}\n${message.externalId}`, () => handle(channel, settings, key, inbound, message, arrived));
      if (repeated) log.info({ channelId: channel.id, externalId: message.externalId }, 'wechat retry answered from memory');
      return send(reply, await value);
    },
  );

  function bindingCommandOf(inbound: WechatInbound, fields: Record<string, string>): BindingCommand | null {
    if (inbound.msgType === 'text') return parseBindingCommand(fields.Content ?? '');
    if (inbound.event === 'CLICK' && fields.EventKey?.trim() === BIND_MENU_KEY) return { type: 'help', language: 'zh' };
    return null;
  }

  function send(reply: FastifyReply, answer: Answer) {
    return reply.type(answer.contentType).send(answer.body);
  }

  /** Already stored (a retry reaching another process, or after the in-memory window)? Then there is nothing to download. */
  async function alreadyStored(channelId: string, externalId: string): Promise<boolean> {
    if (!opts.db) return false;
    try {
      return !!(await opts.db.selectFrom('channel_inbound').select('external_id').where('channel_id', '=', channelId).where('external_id', '=', externalId).executeTakeFirst());
    } catch (e) {
      log.warn({ err: e, channelId }, 'wechat: could not check for an earlier delivery; downloading the media');
      return false;
    }
  }

  /** The message with its image or voice file attached, or unchanged (text with PicUrl) when the file cannot be kept in time. */
  async function withMedia(channel: LoadedChannel, settings: WechatSettings, inbound: WechatInbound, message: InboundMessage, arrived: number): Promise<InboundMessage> {
    if (!media || !inbound.media || (await alreadyStored(channel.id, message.externalId))) return message;
    const attachment = await downloadWechatMedia({
      client: media.client,
      creds: { appId: settings.appId, appSecret: settings.appSecret, apiBaseUrl: settings.apiBaseUrl },
      media: inbound.media,
      externalId: message.externalId,
      budgetMs: media.budgetMs - (performance.now() - arrived),
      maxBytes: media.maxBytes,
      log,
      channelId: channel.id,
    });
    return attachment ? { ...message, attachments: [attachment] } : message;
  }

  async function handle(channel: LoadedChannel, settings: WechatSettings, key: Buffer | null, inbound: WechatInbound, received: InboundMessage, arrived: number): Promise<Answer> {
    // Downloaded before the pipeline runs (the file is part of the message), within the budget.
    const message = await withMedia(channel, settings, inbound, received, arrived);
    const result = await receive(message);
    health(channel.id, true);
    const conversationId = result.conversationId;
    // Repeats and quarantined messages get no automatic answer.
    if (result.duplicate || result.quarantined || !conversationId || !opts.reply) return SUCCESS;
    const hook = Promise.resolve()
      .then(() => opts.reply!(message, result))
      .then((r) => (r?.text.trim() ? r : null));
    const left = replyWaitMs - (performance.now() - arrived);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, left), 'late');
    });
    const quick = await Promise.race([hook.catch(() => null), late]);
    clearTimeout(timer);
    if (quick !== 'late' && quick && Buffer.byteLength(quick.text, 'utf8') <= MAX_PASSIVE_REPLY_BYTES) {
      return passiveReply(settings, key, inbound, quick.text);
    }
    // Too slow or too long for a passive reply: answer "success" now and send it as a customer-service message.
    hook
      .then((r) => {
        if (!r) return;
        return sender(channel, { conversationId, messageId: r.messageId ?? result.messageId, text: r.text, to: message.from }).then(() => undefined);
      })
      .catch((e) => log.error({ err: e, channelId: channel.id, conversationId }, 'wechat automatic reply failed'));
    return SUCCESS;
  }

  function passiveReply(settings: WechatSettings, key: Buffer | null, inbound: WechatInbound, text: string): Answer {
    const now = Math.floor(clock().getTime() / 1000);
    const xml = buildTextReply({ toUser: inbound.openid, fromUser: inbound.accountId, createTime: now, content: text });
    if (!key) return { contentType: 'application/xml; charset=utf-8', body: xml };
    const encrypt = encryptMessage(key, settings.appId, xml, randomBytes(16));
    const timestamp = String(now);
    const nonce = String(randomInt(100_000_000, 1_000_000_000));
    return {
      contentType: 'application/xml; charset=utf-8',
      body: buildEncryptedReply({ encrypt, msgSignature: msgSignature(settings.token, timestamp, nonce, encrypt), timestamp, nonce }),
    };
  }
};
