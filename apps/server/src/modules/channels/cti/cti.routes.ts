// The PBX side of a CTI channel (docs/cti.md):
//   POST /channels/cti/:channelId                  call events (offered → routing answer)
//   GET  /channels/cti/:channelId/ivr              the published IVR as JSON
//   GET  /channels/cti/:channelId/ivr/self-service the text of a self-service action (balance, outage notice)
// Every request is signed with the channel's secret (the Kefu webhook signature, ../api/signing.ts).
// A GET signs its path and query instead of a body, and may carry the signature in the query.
import { IVR_SELF_SERVICE_ACTIONS, type IvrSelfServiceAction, type PublishedIvr, toPbxIvrJson } from '@kefu/domain';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { keepRawBody, parseJson, verifySignature } from '../api/signing.ts';
import type { LoadedChannel } from '../types.ts';
import { CTI_EVENT_SCHEMAS, CTI_EVENT_TYPES, type CtiRouteAnswer, getAgentExtension, isCtiEventType, type TCtiChannelConfig, type TCtiEvent, ZCtiChannelConfig, ZCtiChannelSecrets } from './cti.schemas.ts';

export const CTI_BODY_LIMIT = 64 * 1024;

type Log = { info: (obj: object, msg?: string) => void; warn: (obj: object, msg?: string) => void };

/** What the pipeline decides for an event; only `offered` answers it: route to a queue / agent, or overflow. */
export type CtiEventResult = {
  route?: { queueId?: string; agentId?: string };
  /** After hours, nobody qualified logged in, or the IVR led to voicemail / callback. */
  overflow?: { action: 'leave_message' | 'callback'; queueId: string | null; reason?: string };
};

export type CtiRoutesDeps = {
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  clock: () => Date;
  log: Log;
  /** Records the event (idempotent by eventId) and, for `offered`, asks the routing engine. */
  onEvent: (channel: LoadedChannel, event: TCtiEvent) => Promise<CtiEventResult>;
  /** The IVR version the PBX should run (the latest published one); null when none is published. */
  loadIvr?: (channel: LoadedChannel) => Promise<PublishedIvr | null>;
  /** Text for a self-service node, through the server's integration. */
  selfService?: (channel: LoadedChannel, input: { action: IvrSelfServiceAction; parameter: string | null; caller: string | null; callId: string | null; language: string | null }) => Promise<string>;
};

const ZParams = z.strictObject({ channelId: z.string().min(1).max(64) });
const ZSelfServiceQuery = z.object({
  action: z.enum(IVR_SELF_SERVICE_ACTIONS),
  parameter: z.string().max(200).optional(),
  caller: z.string().max(40).optional(),
  callId: z.string().max(128).optional(),
  lang: z.string().max(20).optional(),
});

/** Query parameters that carry a GET's signature (they are left out of the signed string). */
export const QUERY_TIMESTAMP = 'kefu_ts';
export const QUERY_SIGNATURE = 'kefu_sig';

/**
 * The string a GET signs in place of a body: the request path with its query string as sent,
 * minus kefu_ts / kefu_sig ("/channels/cti/ch-1/ivr?lang=zh-CN").
 */
export function getSignedTarget(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '' && !p.startsWith(`${QUERY_TIMESTAMP}=`) && !p.startsWith(`${QUERY_SIGNATURE}=`));
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

export const ctiRoutes: FastifyPluginAsync<CtiRoutesDeps> = async (app, deps) => {
  keepRawBody(app, CTI_BODY_LIMIT);
  app.post('/channels/cti/:channelId', { config: { access: 'public' }, bodyLimit: CTI_BODY_LIMIT }, async (req) => {
    const { channel, config, secret } = await loadCtiChannel(deps, req);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // No replay guard: events are idempotent by eventId, and a PBX retrying the very same signed request must succeed.
    const check = verifySignature({ secret, headers: req.headers, rawBody: raw, now: deps.clock(), windowSeconds: config.replayWindowSeconds });
    if (!check.ok) throw new AppError('cti.invalid_signature', 'The request signature is not valid', { reason: check.reason });
    const event = parseEvent(raw);
    const result = await deps.onEvent(channel, event);
    deps.log.info({ channelId: channel.id, callId: event.callId, eventId: event.eventId, type: event.type }, 'cti event');
    if (event.type !== 'offered') return { ok: true, eventId: event.eventId };
    return { ok: true, eventId: event.eventId, ...toRouteAnswer(config, result.route, deps.log, channel.id, result.overflow) };
  });

  app.get('/channels/cti/:channelId/ivr', { config: { access: 'public' } }, async (req) => {
    const { channel } = await loadSignedGet(deps, req);
    const published = deps.loadIvr ? await deps.loadIvr(channel) : null;
    if (published === null) throw new AppError('ivr.not_published', 'This CTI channel has no published IVR');
    return toPbxIvrJson(published);
  });

  app.get('/channels/cti/:channelId/ivr/self-service', { config: { access: 'public' } }, async (req) => {
    const { channel } = await loadSignedGet(deps, req);
    const query = ZSelfServiceQuery.safeParse(req.query);
    if (!query.success) throw new AppError('validation.failed', 'The request is invalid', { issues: query.error.issues.map((i) => ({ path: `querystring.${i.path.join('.')}`, message: i.message })) });
    if (!deps.selfService) throw new AppError('ivr.self_service_unavailable', 'No self-service integration is configured');
    const q = query.data;
    try {
      const text = await deps.selfService(channel, { action: q.action, parameter: q.parameter ?? null, caller: q.caller ?? null, callId: q.callId ?? null, language: q.lang ?? null });
      return { action: q.action, text };
    } catch (err) {
      if (err instanceof AppError) throw err;
      deps.log.warn({ channelId: channel.id, action: q.action, err: String(err) }, 'ivr self-service failed');
      throw new AppError('ivr.self_service_unavailable', 'The self-service integration failed');
    }
  });
};

async function loadCtiChannel(deps: CtiRoutesDeps, req: FastifyRequest): Promise<{ channel: LoadedChannel; config: TCtiChannelConfig; secret: string }> {
  const params = ZParams.safeParse(req.params);
  if (!params.success) throw new AppError('cti.unknown_channel', 'No such CTI channel');
  const channel = await deps.loadChannel(params.data.channelId);
  if (channel?.type !== 'cti' || !channel.enabled) throw new AppError('cti.unknown_channel', 'No such CTI channel');
  const config = ZCtiChannelConfig.safeParse(channel.config);
  const secrets = ZCtiChannelSecrets.safeParse(channel.secrets);
  if (!config.success || !secrets.success) {
    deps.log.warn({ channelId: channel.id }, 'cti channel misconfigured');
    throw new AppError('cti.unknown_channel', 'The CTI channel is not configured');
  }
  return { channel, config: config.data, secret: secrets.data.signingSecret };
}

// A GET is signed over its path + query: headers, or kefu_ts + kefu_sig (hex) in the query for PBX
// scripts that cannot set headers.
async function loadSignedGet(deps: CtiRoutesDeps, req: FastifyRequest) {
  const loaded = await loadCtiChannel(deps, req);
  const query = (req.query ?? {}) as Record<string, unknown>;
  const fromQuery = typeof query[QUERY_TIMESTAMP] === 'string' && typeof query[QUERY_SIGNATURE] === 'string';
  const headers = fromQuery
    ? { 'x-kefu-timestamp': query[QUERY_TIMESTAMP] as string, 'x-kefu-signature': `v1=${(query[QUERY_SIGNATURE] as string).replace(/^v1=/, '')}` }
    : req.headers;
  const check = verifySignature({ secret: loaded.secret, headers, rawBody: Buffer.from(getSignedTarget(req.url), 'utf8'), now: deps.clock(), windowSeconds: loaded.config.replayWindowSeconds });
  if (!check.ok) throw new AppError('cti.invalid_signature', 'The request signature is not valid', { reason: check.reason });
  return loaded;
}

function parseEvent(raw: Buffer): TCtiEvent {
  const json = parseJson(raw);
  if (!json.ok) throw new AppError('cti.invalid_event', 'The body is not JSON');
  const type = (json.value as { type?: unknown } | null)?.type;
  if (!isCtiEventType(type)) {
    throw new AppError('cti.unknown_event_type', `Unknown CTI event type; expected one of ${CTI_EVENT_TYPES.join(', ')}`, {
      type: typeof type === 'string' ? type.slice(0, 40) : null,
      allowed: [...CTI_EVENT_TYPES],
    });
  }
  const parsed = CTI_EVENT_SCHEMAS[type].safeParse(json.value);
  if (!parsed.success) {
    throw new AppError('cti.invalid_event', `Invalid ${type} event`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return parsed.data as TCtiEvent;
}

/** What the PBX does with an offered call: the pipeline's routing decision in PBX terms. */
export function toRouteAnswer(config: Pick<TCtiChannelConfig, 'agentExtensions'>, route: CtiEventResult['route'], log?: Log, channelId?: string, overflow?: CtiEventResult['overflow']): CtiRouteAnswer {
  if (overflow) return { action: 'overflow', overflowAction: overflow.action, queueId: overflow.queueId, ...(overflow.reason ? { reason: overflow.reason } : {}) };
  if (route?.agentId !== undefined) {
    const extension = getAgentExtension(config, route.agentId);
    if (extension !== null) return { action: 'agent', extension };
    log?.warn({ channelId, agentId: route.agentId }, 'cti routing chose an agent without an extension');
  }
  if (route?.queueId !== undefined) return { action: 'queue', queueId: route.queueId };
  return { action: 'continue' };
}
