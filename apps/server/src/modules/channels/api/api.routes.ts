// POST /channels/api/:channelId/messages — the generic API channel: any platform (a marketplace's
// customer-service messaging, a mobile app) posts its customers' messages here, signed with the
// channel's secret (signing.ts), idempotent by the platform's messageId.
import { normalizeIdentity } from '@kefu/domain';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import type { InboundMessage, InboundResult, LoadedChannel, Receive } from '../types.ts';
import { ZApiChannelConfig, ZApiChannelSecrets } from './api.config.ts';
import { createMemoryReplayGuard, keepRawBody, parseJson, type ReplayGuard, verifySignature } from './signing.ts';

export const API_BODY_LIMIT = 8 * 1024 * 1024;
export const DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const ZAttachment = z.strictObject({
  name: z.string().trim().min(1).max(200),
  contentType: z.string().trim().toLowerCase().regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a MIME type such as image/png'),
  base64: z.string().min(1),
});
/** The message a platform posts. */
export const ZApiInboundMessage = z.strictObject({
  messageId: z.string().trim().min(1).max(200),
  from: z.strictObject({
    /** The platform's own user id: the customer's `external` identity. */
    id: z.string().trim().min(1).max(200),
    name: z.string().trim().max(100).nullish(),
    phone: z.string().trim().max(32).nullish(),
    email: z.string().trim().max(254).nullish(),
  }),
  text: z.string().max(10_000).default(''),
  attachments: z.array(ZAttachment).max(10).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
export type TApiInboundMessage = z.infer<typeof ZApiInboundMessage>;

export type ApiIdentity = { kind: 'phone' | 'email'; value: string };
type Log = { info: (obj: object, msg?: string) => void; warn: (obj: object, msg?: string) => void };

export type ApiRoutesDeps = {
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  receive: Receive;
  clock: () => Date;
  log: Log;
  /** The phone/email the platform knows for its user, normalised: extra identities for the customer archive. */
  onIdentities?: (result: InboundResult, identities: ApiIdentity[], message: InboundMessage) => Promise<void>;
  replayGuard?: ReplayGuard;
  bodyLimit?: number;
};

const ZParams = z.strictObject({ channelId: z.string().min(1).max(64) });

export const apiChannelRoutes: FastifyPluginAsync<ApiRoutesDeps> = async (app, deps) => {
  const bodyLimit = deps.bodyLimit ?? API_BODY_LIMIT;
  keepRawBody(app, bodyLimit);
  const replayGuard = deps.replayGuard ?? createMemoryReplayGuard();
  app.post('/channels/api/:channelId/messages', { config: { access: 'public' }, bodyLimit }, (req, reply) => receiveMessage(deps, replayGuard, req, reply));
};

async function receiveMessage(deps: ApiRoutesDeps, replayGuard: ReplayGuard, req: FastifyRequest, reply: FastifyReply) {
  const params = ZParams.safeParse(req.params);
  if (!params.success) throw new AppError('api_channel.unknown_channel', 'No such API channel');
  const channel = await deps.loadChannel(params.data.channelId);
  if (channel?.type !== 'api' || !channel.enabled) throw new AppError('api_channel.unknown_channel', 'No such API channel');
  const config = ZApiChannelConfig.safeParse(channel.config);
  const secrets = ZApiChannelSecrets.safeParse(channel.secrets);
  if (!config.success || !secrets.success) {
    deps.log.warn({ channelId: channel.id }, 'api channel misconfigured');
    throw new AppError('api_channel.unknown_channel', 'The API channel is not configured');
  }
  const now = deps.clock();
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const check = verifySignature({ secret: secrets.data.signingSecret, headers: req.headers, rawBody: raw, now, windowSeconds: config.data.replayWindowSeconds, replayGuard, scope: `api:${channel.id}` });
  if (!check.ok) throw new AppError('api_channel.invalid_signature', 'The request signature is not valid', { reason: check.reason });

  const json = parseJson(raw);
  if (!json.ok) throw new AppError('api_channel.invalid_payload', 'The body is not JSON');
  const remote = Array.isArray((json.value as { attachments?: unknown })?.attachments)
    ? ((json.value as { attachments: unknown[] }).attachments.findIndex((a) => !!a && typeof a === 'object' && 'url' in a))
    : -1;
  // Fetching a URL the caller names would let it make us call anywhere (SSRF) and stall the request.
  if (remote >= 0) throw new AppError('api_channel.invalid_payload', 'Attachments are sent as base64; remote URLs are not fetched', { issues: [`attachments.${remote}.url: not supported, send base64`] });
  const parsed = ZApiInboundMessage.safeParse(json.value);
  if (!parsed.success) {
    throw new AppError('api_channel.invalid_payload', 'The body is not a valid message', { issues: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) });
  }
  const body = parsed.data;
  const attachments = decodeAttachments(body.attachments ?? [], config.data.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES);
  if (!body.text.trim() && attachments.length === 0) throw new AppError('api_channel.invalid_payload', 'A message needs text or an attachment', { issues: ['text: empty'] });
  const identities = readIdentities(body.from);

  const message: InboundMessage = {
    channelId: channel.id,
    from: { kind: 'external', value: body.from.id, name: body.from.name ?? null },
    externalId: body.messageId,
    text: body.text,
    kind: attachments.length === 0 ? 'text' : attachments.every((a) => a.contentType.startsWith('image/')) ? 'image' : 'file',
    ...(attachments.length ? { attachments } : {}),
    at: body.sentAt ? new Date(body.sentAt) : now,
  };
  const result = await deps.receive(message);
  if (identities.length && deps.onIdentities && !result.duplicate) await deps.onIdentities(result, identities, message);
  // A repeat gets the same body as the first delivery; only the header tells them apart.
  reply.header('x-kefu-duplicate', result.duplicate ? 'true' : 'false');
  return reply.code(200).send({ messageId: body.messageId, kefuMessageId: result.messageId, conversationId: result.conversationId });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeAttachments(list: z.infer<typeof ZAttachment>[], maxBytes: number) {
  let total = 0;
  return list.map((a, i) => {
    const b64 = a.base64.replace(/\s+/g, '');
    if (!BASE64.test(b64) || b64.length % 4 === 1) throw new AppError('api_channel.invalid_payload', 'An attachment is not valid base64', { issues: [`attachments.${i}.base64: not base64`] });
    // Checked on the encoded length before decoding, then exactly.
    if (Math.floor((b64.length * 3) / 4) - 2 > maxBytes) throw new AppError('api_channel.attachment_too_large', 'The attachments are too large', { maxBytes });
    const data = Buffer.from(b64, 'base64');
    total += data.length;
    if (total > maxBytes) throw new AppError('api_channel.attachment_too_large', 'The attachments are too large', { maxBytes });
    // Only the last path segment: a name is never a path on our side.
    const fileName = a.name.split(/[/\\]/).pop()?.replace(/\p{Cc}/gu, '') || 'attachment';
    return { fileName, contentType: a.contentType, data };
  });
}

function readIdentities(from: TApiInboundMessage['from']): ApiIdentity[] {
  const out: ApiIdentity[] = [];
  const issues: string[] = [];
  for (const kind of ['phone', 'email'] as const) {
    const raw = from[kind];
    if (!raw) continue;
    const n = normalizeIdentity(kind, raw);
    if (n.ok) out.push({ kind, value: n.value });
    else issues.push(`from.${kind}: ${n.reason}`);
  }
  if (issues.length) throw new AppError('api_channel.invalid_payload', 'from.phone or from.email is not valid', { issues });
  return out;
}
