import { assertNever } from '../tickets/assert-never.ts';

// A contact (联络) is one interaction on any channel: a call, a chat, a WeChat conversation, an
// SMS or email thread, a customer at the counter, an outbound call. This file holds its pure
// lifecycle: the statuses it moves through, the timestamps the KPIs are computed from
// (REFERENCE.md "Service KPI definitions") and the derived measures.

/** Channels a contact arrives on (or leaves by). The codes are stored and sent over the API. */
export const CONTACT_CHANNELS = [
  'chat', // 在线客服 (web chat widget)
  'call', // 电话 (hotline, CTI)
  'wechat', // 微信公众号
  'sms', // 短信
  'email', // 邮件
  'walk_in', // 营业厅/柜台 (walk-in customer)
  'outbound', // 外呼 (outbound call by an agent or campaign)
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const CONTACT_STATUSES = [
  'created', // exists (IVR, bot, a dialled number) but has not asked for a person yet
  'queued', // waiting in a queue for an agent (排队)
  'offered', // ringing at one agent (振铃/分配中)
  'active', // answered: talking or chatting (通话中)
  'on_hold', // answered, customer on hold (保持)
  'wrap_up', // conversation over, after-contact work running (话后处理)
  'closed', // terminal
] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** Why a contact was closed. */
export const CONTACT_END_REASONS = [
  'completed', // answered, ended and wrapped up
  'abandoned', // the customer left while waiting (放弃)
  'overflowed', // the queue sent it to leave-a-message / callback (closed hours, waited too long)
  'not_routed', // ended before reaching a person: self-service, outbound call not connected
] as const;
export type ContactEndReason = (typeof CONTACT_END_REASONS)[number];

/** What a queue offers instead of a person: leave a message (留言) or request a callback (预约回呼). */
export const OVERFLOW_ACTIONS = ['leave_message', 'callback'] as const;
export type OverflowAction = (typeof OVERFLOW_ACTIONS)[number];

/** Abandons after at most this many seconds in queue are "short" and left out of KPIs (REFERENCE.md). */
export const DEFAULT_SHORT_ABANDON_SECONDS = 5;

/** Where a transfer sends a contact: to a named agent (offered at once) or back into a queue. */
export type TransferTarget = { kind: 'agent'; agentId: string } | { kind: 'queue'; queueId: string };

/** The slice of a contact the lifecycle rules need; the service stores the rest (customer, links, messages). */
export type ContactState = {
  channel: ContactChannel;
  direction: ContactDirection;
  status: ContactStatus;
  queueId: string | null;
  /** The agent holding the contact, or the last one who did. */
  agentId: string | null;
  /** The offer ringing right now. */
  offer: { agentId: string; offeredAt: Date } | null;
  createdAt: Date;
  /** First time it entered a queue; wait-time KPIs count from here. */
  queuedAt: Date | null;
  /** Since when it waits in its current queue (reset by a transfer); null when not waiting. */
  waitingSince: Date | null;
  /** First offer to an agent. */
  offeredAt: Date | null;
  /** First answer by an agent. */
  answeredAt: Date | null;
  endedAt: Date | null;
  wrappedUpAt: Date | null;
  lastChangedAt: Date;
  /** Finished talk and hold segments; the running one starts at segmentStartedAt. */
  talkMs: number;
  holdMs: number;
  segmentStartedAt: Date | null;
  /** Offers made since it last entered a queue (for max offers, see offer.ts). */
  offerCount: number;
  /** Agents who declined or let the offer time out since it last entered a queue: routing skips them. */
  declinedAgentIds: readonly string[];
  transferCount: number;
  endReason: ContactEndReason | null;
  overflowAction: OverflowAction | null;
  /** Wrap-up reason code (来电原因) from the configurable tree. */
  reasonCode: string | null;
  outcome: string | null;
};

export type ContactAction =
  | { type: 'queue'; queueId: string }
  | { type: 'offer'; agentId: string }
  /** agentId, when given, must be the agent the contact is offered to. */
  | { type: 'decline'; agentId?: string }
  /** The offer rang out (RONA); see offer.ts for the deadline. */
  | { type: 'timeout' }
  /**
   * From `offered`: the offered agent answers (agentId, when given, must match). From `created`:
   * direct assignment without a queue (outbound dial, walk-in at the counter); agentId required.
   */
  | { type: 'answer'; agentId?: string }
  /**
   * To an agent: offered to them at once; if they decline, the contact waits in its current queue
   * (a contact that never had a queue then waits with queueId null: transfer it to a queue).
   */
  | { type: 'transfer'; to: TransferTarget }
  | { type: 'hold' }
  | { type: 'resume' }
  /** Either party ends the conversation; from `created` it closes a contact that never reached a queue. */
  | { type: 'end' }
  | { type: 'abandon' }
  | { type: 'overflow'; action: OverflowAction }
  | { type: 'wrap_up'; reasonCode: string; outcome?: string };
export type ContactActionType = ContactAction['type'];

export type ContactEventType =
  | 'queued'
  | 'offered'
  | 'declined'
  | 'offer_timed_out'
  | 'answered'
  | 'transferred'
  | 'held'
  | 'resumed'
  | 'ended'
  | 'abandoned'
  | 'overflowed'
  | 'wrapped_up';

/** A timeline entry (contact_events row) describing one change. */
export type ContactEvent = {
  type: ContactEventType;
  from: ContactStatus;
  to: ContactStatus;
  at: Date;
  details: Readonly<Record<string, string | number | boolean | null>>;
};

export const CONTACT_REFUSALS = [
  'terminal', // closed contacts accept nothing
  'not_allowed_in_status',
  'before_last_change', // `now` is earlier than the contact's last change
  'missing_queue',
  'missing_agent',
  'missing_reason', // wrap-up without a reason code
  'not_offered_to_agent', // answer/decline by someone the contact is not ringing at
  'same_agent', // transfer to the agent who already holds it
] as const;
export type ContactRefusal = (typeof CONTACT_REFUSALS)[number];

export type ContactTransitionResult =
  | { ok: true; contact: ContactState; event: ContactEvent }
  | { ok: false; reason: ContactRefusal };

const ALLOWED: Readonly<Record<ContactStatus, readonly ContactActionType[]>> = {
  created: ['queue', 'answer', 'end'],
  queued: ['offer', 'abandon', 'overflow'],
  offered: ['answer', 'decline', 'timeout', 'abandon', 'overflow'],
  active: ['transfer', 'hold', 'end'],
  on_hold: ['transfer', 'resume', 'end'],
  wrap_up: ['wrap_up'],
  closed: [],
};

/** Actions a status permits in principle (payload checked by `advanceContact`). */
export function listContactActions(status: ContactStatus): readonly ContactActionType[] {
  return ALLOWED[status];
}

/** The direction a channel implies: outbound for 'outbound', inbound for the others. */
export function getDefaultDirection(channel: ContactChannel): ContactDirection {
  return channel === 'outbound' ? 'outbound' : 'inbound';
}

export type CreateContactInput = {
  channel: ContactChannel;
  createdAt: Date;
  /** Default from the channel; an SMS or email sent by an agent is outbound. */
  direction?: ContactDirection;
};

/** A fresh contact in `created`. RangeError for an 'outbound' channel marked inbound. */
export function createContact(input: CreateContactInput): ContactState {
  const direction = input.direction ?? getDefaultDirection(input.channel);
  if (input.channel === 'outbound' && direction !== 'outbound') throw new RangeError('An outbound contact cannot be inbound');
  return {
    channel: input.channel,
    direction,
    status: 'created',
    queueId: null,
    agentId: null,
    offer: null,
    createdAt: input.createdAt,
    queuedAt: null,
    waitingSince: null,
    offeredAt: null,
    answeredAt: null,
    endedAt: null,
    wrappedUpAt: null,
    lastChangedAt: input.createdAt,
    talkMs: 0,
    holdMs: 0,
    segmentStartedAt: null,
    offerCount: 0,
    declinedAgentIds: [],
    transferCount: 0,
    endReason: null,
    overflowAction: null,
    reasonCode: null,
    outcome: null,
  };
}

/**
 * Applies one action to a contact at `now`. Refuses with a reason code instead of throwing; the
 * input is never mutated. Each accepted action yields exactly one timeline event.
 */
export function advanceContact(contact: ContactState, action: ContactAction, now: Date): ContactTransitionResult {
  const refusal = checkStatus(contact.status, action.type) ?? checkClock(contact, now) ?? checkPayload(contact, action);
  if (refusal !== null) return { ok: false, reason: refusal };
  return { ok: true, ...applyAction(contact, action, now) };
}

function checkStatus(status: ContactStatus, type: ContactActionType): ContactRefusal | null {
  if (ALLOWED[status].includes(type)) return null;
  return status === 'closed' ? 'terminal' : 'not_allowed_in_status';
}

function checkClock(contact: ContactState, now: Date): ContactRefusal | null {
  return now.getTime() < contact.lastChangedAt.getTime() ? 'before_last_change' : null;
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

function checkPayload(c: ContactState, action: ContactAction): ContactRefusal | null {
  switch (action.type) {
    case 'queue':
      return isBlank(action.queueId) ? 'missing_queue' : null;
    case 'offer':
      return isBlank(action.agentId) ? 'missing_agent' : null;
    case 'decline':
      return action.agentId !== undefined && action.agentId !== c.offer?.agentId ? 'not_offered_to_agent' : null;
    case 'answer':
      if (c.status === 'created') return isBlank(action.agentId) ? 'missing_agent' : null;
      return action.agentId !== undefined && action.agentId !== c.offer?.agentId ? 'not_offered_to_agent' : null;
    case 'transfer':
      switch (action.to.kind) {
        case 'agent':
          if (isBlank(action.to.agentId)) return 'missing_agent';
          return action.to.agentId === c.agentId ? 'same_agent' : null;
        case 'queue':
          return isBlank(action.to.queueId) ? 'missing_queue' : null;
        default:
          return assertNever(action.to);
      }
    case 'wrap_up':
      return isBlank(action.reasonCode) ? 'missing_reason' : null;
    case 'timeout':
    case 'hold':
    case 'resume':
    case 'end':
    case 'abandon':
    case 'overflow':
      return null;
    default:
      return assertNever(action);
  }
}

// Adds the running talk or hold segment to its total and stops it.
function closeSegment(c: ContactState, now: Date): Pick<ContactState, 'talkMs' | 'holdMs' | 'segmentStartedAt'> {
  if (c.segmentStartedAt === null) return { talkMs: c.talkMs, holdMs: c.holdMs, segmentStartedAt: null };
  const ms = Math.max(0, now.getTime() - c.segmentStartedAt.getTime());
  return {
    talkMs: c.talkMs + (c.status === 'active' ? ms : 0),
    holdMs: c.holdMs + (c.status === 'on_hold' ? ms : 0),
    segmentStartedAt: null,
  };
}

function withDeclined(ids: readonly string[], agentId: string | undefined): readonly string[] {
  return agentId === undefined || ids.includes(agentId) ? ids : [...ids, agentId];
}

// Assumes the checks passed.
function applyAction(c: ContactState, action: ContactAction, now: Date): { contact: ContactState; event: ContactEvent } {
  const moved = (type: ContactEventType, patch: Partial<ContactState>, details: ContactEvent['details'] = {}) => {
    const contact: ContactState = { ...c, ...patch, lastChangedAt: now };
    return { contact, event: { type, from: c.status, to: contact.status, at: now, details } };
  };
  switch (action.type) {
    case 'queue':
      return moved(
        'queued',
        { status: 'queued', queueId: action.queueId, queuedAt: now, waitingSince: now, offerCount: 0, declinedAgentIds: [] },
        { queueId: action.queueId },
      );
    case 'offer':
      return moved(
        'offered',
        {
          status: 'offered',
          offer: { agentId: action.agentId, offeredAt: now },
          offeredAt: c.offeredAt ?? now,
          offerCount: c.offerCount + 1,
        },
        { agentId: action.agentId, offerCount: c.offerCount + 1 },
      );
    case 'decline':
    case 'timeout': {
      const agentId = c.offer?.agentId;
      return moved(
        action.type === 'decline' ? 'declined' : 'offer_timed_out',
        { status: 'queued', offer: null, declinedAgentIds: withDeclined(c.declinedAgentIds, agentId) },
        { agentId: agentId ?? null },
      );
    }
    case 'answer': {
      const agentId = c.status === 'offered' ? (c.offer?.agentId ?? null) : (action.agentId ?? null);
      const waitedMs = c.waitingSince === null ? null : now.getTime() - c.waitingSince.getTime();
      return moved(
        'answered',
        { status: 'active', agentId, offer: null, answeredAt: c.answeredAt ?? now, waitingSince: null, segmentStartedAt: now },
        { agentId, waitedMs, direct: c.status === 'created' },
      );
    }
    case 'transfer': {
      const segments = closeSegment(c, now);
      // A new routing episode: earlier declines no longer apply, but the transferring agent
      // should not get the contact straight back.
      const declinedAgentIds = c.agentId === null ? [] : [c.agentId];
      const common = { ...segments, declinedAgentIds, transferCount: c.transferCount + 1, waitingSince: now };
      switch (action.to.kind) {
        case 'agent':
          return moved(
            'transferred',
            { ...common, status: 'offered', offer: { agentId: action.to.agentId, offeredAt: now }, offerCount: 1 },
            { fromAgentId: c.agentId, toAgentId: action.to.agentId, toQueueId: null },
          );
        case 'queue':
          return moved(
            'transferred',
            { ...common, status: 'queued', queueId: action.to.queueId, offerCount: 0 },
            { fromAgentId: c.agentId, toAgentId: null, toQueueId: action.to.queueId },
          );
        default:
          return assertNever(action.to);
      }
    }
    case 'hold':
      return moved('held', { ...closeSegment(c, now), status: 'on_hold', segmentStartedAt: now });
    case 'resume':
      return moved('resumed', { ...closeSegment(c, now), status: 'active', segmentStartedAt: now });
    case 'end':
      if (c.status === 'created') return moved('ended', { status: 'closed', endedAt: now, endReason: 'not_routed' });
      return moved('ended', { ...closeSegment(c, now), status: 'wrap_up', endedAt: now, endReason: 'completed' }, { agentId: c.agentId });
    case 'abandon':
      return moved(
        'abandoned',
        { status: 'closed', offer: null, waitingSince: null, endedAt: now, endReason: 'abandoned' },
        { waitedMs: c.waitingSince === null ? null : now.getTime() - c.waitingSince.getTime() },
      );
    case 'overflow':
      return moved(
        'overflowed',
        { status: 'closed', offer: null, waitingSince: null, endedAt: now, endReason: 'overflowed', overflowAction: action.action },
        { action: action.action },
      );
    case 'wrap_up':
      return moved(
        'wrapped_up',
        { status: 'closed', wrappedUpAt: now, reasonCode: action.reasonCode, outcome: action.outcome ?? null },
        { reasonCode: action.reasonCode, outcome: action.outcome ?? null },
      );
    default:
      return assertNever(action);
  }
}

/** True while the contact waits for a person: in a queue or ringing at an agent. */
export function isContactWaiting(contact: Pick<ContactState, 'status'>): boolean {
  return contact.status === 'queued' || contact.status === 'offered';
}

type Timestamps = Pick<ContactState, 'queuedAt' | 'answeredAt' | 'endedAt'>;

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

/**
 * Seconds from first entering a queue to the first answer (or to leaving the queue unanswered,
 * or to `now` while still waiting). Null when the contact never queued, or still waits and no
 * `now` was given. Waits after a transfer are not included: the KPIs measure the first answer.
 */
export function getWaitSeconds(contact: Timestamps, now?: Date): number | null {
  if (contact.queuedAt === null) return null;
  const until = contact.answeredAt ?? contact.endedAt ?? now;
  return until === undefined ? null : Math.max(0, seconds(contact.queuedAt, until));
}

type HandleFields = Pick<ContactState, 'status' | 'talkMs' | 'holdMs' | 'segmentStartedAt' | 'endedAt' | 'wrappedUpAt' | 'answeredAt'>;

export type HandleTime = {
  talkSeconds: number;
  holdSeconds: number;
  /** After-contact work (话后处理): from the end of the conversation to wrap-up. */
  afterContactWorkSeconds: number;
  handleSeconds: number;
};

/**
 * Handle time split into talk, hold and after-contact work; transfers are summed into the one
 * contact ("transfers counted once"). With `now`, a running segment or wrap-up counts up to `now`;
 * without it only finished parts count.
 */
export function getHandleTime(contact: HandleFields, now?: Date): HandleTime {
  let { talkMs, holdMs } = contact;
  if (now !== undefined && contact.segmentStartedAt !== null) {
    const running = Math.max(0, now.getTime() - contact.segmentStartedAt.getTime());
    if (contact.status === 'active') talkMs += running;
    if (contact.status === 'on_hold') holdMs += running;
  }
  let acwMs = 0;
  if (contact.answeredAt !== null && contact.endedAt !== null) {
    const until = contact.wrappedUpAt ?? (contact.status === 'wrap_up' ? now : undefined);
    if (until !== undefined) acwMs = Math.max(0, until.getTime() - contact.endedAt.getTime());
  }
  const talkSeconds = talkMs / 1000;
  const holdSeconds = holdMs / 1000;
  const afterContactWorkSeconds = acwMs / 1000;
  return { talkSeconds, holdSeconds, afterContactWorkSeconds, handleSeconds: (talkMs + holdMs + acwMs) / 1000 };
}

/** Talk + hold + after-contact work in seconds (AHT numerator); see getHandleTime. */
export function getHandleSeconds(contact: HandleFields, now?: Date): number {
  return getHandleTime(contact, now).handleSeconds;
}

type AbandonFields = Timestamps & Pick<ContactState, 'endReason'>;

// Left the queue by hanging up / closing the chat before anyone answered.
function isUnansweredAbandon(contact: AbandonFields): boolean {
  return contact.endReason === 'abandoned' && contact.queuedAt !== null && contact.answeredAt === null;
}

/**
 * True for an abandon within the short-abandon threshold (≤ `shortAbandonSeconds` in queue,
 * default 5 s): misdials and instant hang-ups that KPIs leave out of both terms.
 */
export function isShortAbandon(contact: AbandonFields, shortAbandonSeconds = DEFAULT_SHORT_ABANDON_SECONDS): boolean {
  if (!isUnansweredAbandon(contact)) return false;
  return (getWaitSeconds(contact) ?? 0) <= shortAbandonSeconds;
}

/**
 * True when the customer left the queue before any answer after waiting longer than the
 * short-abandon threshold (default 5 s, REFERENCE.md). An answered contact that was later
 * transferred and then left is not abandoned; an overflow to leave-a-message is not either.
 */
export function isAbandoned(contact: AbandonFields, shortAbandonSeconds = DEFAULT_SHORT_ABANDON_SECONDS): boolean {
  return isUnansweredAbandon(contact) && !isShortAbandon(contact, shortAbandonSeconds);
}

/** True when the contact was answered at most `thresholdSeconds` after it first queued (service level X/T). */
export function isAnsweredWithin(contact: Timestamps, thresholdSeconds: number): boolean {
  if (contact.answeredAt === null || contact.queuedAt === null) return false;
  return seconds(contact.queuedAt, contact.answeredAt) <= thresholdSeconds;
}
