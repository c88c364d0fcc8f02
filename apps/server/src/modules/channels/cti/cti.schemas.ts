// The CTI wire format (docs/cti.md): the JSON a PBX posts to POST /channels/cti/:channelId, the
// channel's config and secrets, and the conversion to the domain's CallEvent.
import { CALL_END_REASONS, CALL_EVENT_TYPES, type CallEvent, OVERFLOW_ACTIONS } from '@kefu/domain';
import { z } from 'zod';

/** A CTI channel's `config`. */
export const ZCtiChannelConfig = z.strictObject({
  /** Where click-to-call / callback `originate` requests are POSTed (the PBX's webhook). */
  originateUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Kefu agent id → PBX extension (分机号), both ways: answered/transferred events and routing answers. */
  agentExtensions: z.record(z.string().min(1).max(64), z.string().regex(/^[0-9A-Za-z*#_-]{1,32}$/)).default({}),
  /** Seconds a signed request stays valid; default 300. */
  replayWindowSeconds: z.number().int().min(30).max(3600).optional(),
  /** Per originate attempt; default 5000 ms. */
  originateTimeoutMs: z.number().int().min(500).max(30_000).optional(),
});
export type TCtiChannelConfig = z.infer<typeof ZCtiChannelConfig>;

/** A CTI channel's `secrets`: one HMAC secret signs both directions. */
export const ZCtiChannelSecrets = z.strictObject({ signingSecret: z.string().min(16).max(200) });
export type TCtiChannelSecrets = z.infer<typeof ZCtiChannelSecrets>;

/** ISO 8601 with a zone ("2026-11-27T09:00:05+08:00") or Unix seconds (fractions allowed, as Asterisk's ${EPOCH}). */
const ZAt = z.union([z.iso.datetime({ offset: true }), z.number().positive().max(1e11)]).transform((v) => (typeof v === 'number' ? new Date(Math.round(v * 1000)) : new Date(v)));
const ZId = z.string().trim().min(1).max(128);
const ZPhone = z.string().trim().min(1).max(40);
const ZExtension = z.string().trim().regex(/^[0-9A-Za-z*#_-]{1,32}$/);

// An agent as the PBX names it: by extension (usual) or by Kefu agent id.
const ZAgentRef = { agentExtension: ZExtension.optional(), agentId: ZId.optional() };
const hasAgent = (v: { agentExtension?: string; agentId?: string }) => v.agentExtension !== undefined || v.agentId !== undefined;

const base = { eventId: ZId, callId: ZId, at: ZAt, seq: z.number().int().min(0).max(1e9).optional() };

export const ZCtiOffered = z.strictObject({
  ...base,
  type: z.literal('offered'),
  caller: ZPhone,
  called: ZPhone,
  ivrPath: z
    .string()
    .regex(/^([0-9*#](>[0-9*#])*)?$/, 'expected keys joined by ">", e.g. "1>3"')
    .optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  /** Set on an outbound call Kefu asked for (originate). */
  callbackTaskId: ZId.optional(),
});
export const ZCtiIvrInput = z.strictObject({ ...base, type: z.literal('ivr_input'), digits: z.string().regex(/^[0-9*#]{0,32}$/, 'expected keys 0-9 * # ("" = timeout)'), nodeId: ZId });
export const ZCtiQueued = z.strictObject({ ...base, type: z.literal('queued'), queueId: ZId });
export const ZCtiAnswered = z.strictObject({ ...base, type: z.literal('answered'), ...ZAgentRef }).refine(hasAgent, 'answered needs agentExtension or agentId');
export const ZCtiTransferred = z.strictObject({
  ...base,
  type: z.literal('transferred'),
  to: z.union([z.strictObject({ kind: z.literal('queue'), queueId: ZId }), z.strictObject({ kind: z.literal('agent'), ...ZAgentRef }).refine(hasAgent, 'to needs agentExtension or agentId')]),
});
export const ZCtiHeld = z.strictObject({ ...base, type: z.literal('held') });
export const ZCtiResumed = z.strictObject({ ...base, type: z.literal('resumed') });
export const ZCtiEnded = z.strictObject({ ...base, type: z.literal('ended'), reason: z.enum(CALL_END_REASONS), overflowAction: z.enum(OVERFLOW_ACTIONS).optional() });
export const ZCtiRecordingReady = z.strictObject({
  ...base,
  type: z.literal('recording_ready'),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  durationSeconds: z.number().min(0).max(86_400).optional(),
});

/** One schema per event type (the route picks it by `type`, so errors name the right fields). */
export const CTI_EVENT_SCHEMAS = {
  offered: ZCtiOffered,
  ivr_input: ZCtiIvrInput,
  queued: ZCtiQueued,
  answered: ZCtiAnswered,
  transferred: ZCtiTransferred,
  held: ZCtiHeld,
  resumed: ZCtiResumed,
  ended: ZCtiEnded,
  recording_ready: ZCtiRecordingReady,
} as const satisfies Record<(typeof CALL_EVENT_TYPES)[number], z.ZodType>;

export type TCtiEvent = { [K in keyof typeof CTI_EVENT_SCHEMAS]: z.output<(typeof CTI_EVENT_SCHEMAS)[K]> }[keyof typeof CTI_EVENT_SCHEMAS];
export const CTI_EVENT_TYPES = CALL_EVENT_TYPES;

export function isCtiEventType(type: unknown): type is keyof typeof CTI_EVENT_SCHEMAS {
  return typeof type === 'string' && Object.hasOwn(CTI_EVENT_SCHEMAS, type);
}

/** The PBX's routing instruction in the answer to `offered`. */
export type CtiRouteAnswer =
  | { action: 'queue'; queueId: string }
  | { action: 'agent'; extension: string }
  /** Voicemail or a callback promise (after hours, nobody qualified logged in, or the IVR chose it); then post `ended` with reason timeout and this overflowAction. */
  | { action: 'overflow'; overflowAction: 'leave_message' | 'callback'; queueId: string | null; reason?: string }
  | { action: 'continue' };

/** The Kefu agent id an event names: agentId as given, or the agent whose extension it is (null: unknown extension). */
export function resolveAgentId(config: Pick<TCtiChannelConfig, 'agentExtensions'>, ref: { agentExtension?: string; agentId?: string }): string | null {
  if (ref.agentId !== undefined) return ref.agentId;
  const found = Object.entries(config.agentExtensions).find(([, ext]) => ext === ref.agentExtension);
  return found?.[0] ?? null;
}

/** The extension of a Kefu agent, or null. */
export function getAgentExtension(config: Pick<TCtiChannelConfig, 'agentExtensions'>, agentId: string): string | null {
  return config.agentExtensions[agentId] ?? null;
}

/**
 * The domain's CallEvent for a wire event (contacts/contact.ts lifecycle via reduceCallEvents).
 * Null when it names an agent by an extension the channel does not know.
 */
export function toCallEvent(event: TCtiEvent, config: Pick<TCtiChannelConfig, 'agentExtensions'>): CallEvent | null {
  const common = { id: event.eventId, callId: event.callId, at: event.at, seq: event.seq ?? null };
  switch (event.type) {
    case 'offered':
      return { ...common, type: 'offered', caller: event.caller, called: event.called, ivrPath: event.ivrPath ?? null, direction: event.direction ?? 'inbound' };
    case 'ivr_input':
      return { ...common, type: 'ivr_input', digits: event.digits, nodeId: event.nodeId };
    case 'queued':
      return { ...common, type: 'queued', queueId: event.queueId };
    case 'answered': {
      const agentId = resolveAgentId(config, event);
      return agentId === null ? null : { ...common, type: 'answered', agentId };
    }
    case 'transferred': {
      if (event.to.kind === 'queue') return { ...common, type: 'transferred', to: { kind: 'queue', queueId: event.to.queueId } };
      const agentId = resolveAgentId(config, event.to);
      return agentId === null ? null : { ...common, type: 'transferred', to: { kind: 'agent', agentId } };
    }
    case 'held':
    case 'resumed':
      return { ...common, type: event.type };
    case 'ended':
      return { ...common, type: 'ended', reason: event.reason, overflowAction: event.overflowAction ?? null };
    case 'recording_ready':
      return { ...common, type: 'recording_ready', url: event.url };
    default: {
      const never: never = event;
      throw new Error(`Unexpected CTI event ${JSON.stringify(never)}`);
    }
  }
}
