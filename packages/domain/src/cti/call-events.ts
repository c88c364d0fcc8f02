import { advanceContact, type ContactAction, type ContactEvent, type ContactRefusal, type ContactState, createContact, type OverflowAction, type TransferTarget } from '../contacts/contact.ts';
import { assertNever } from '../tickets/assert-never.ts';

// The CTI (computer telephony integration, 电话集成) event stream of one call, as a PBX or cloud
// call centre reports it, folded into the contact lifecycle of contacts/contact.ts. This file owns
// no lifecycle rule: every event maps onto advanceContact actions.
//
// PBXs retry (at-least-once delivery) and may post from several processes, so events arrive twice
// or out of order. Rules:
// - Idempotency: `id` names an event; a second event with a known id is a no-op (first wins).
// - Ordering: events apply in the order of `at` (ties: `seq` when the PBX sends it; events of the
//   same instant in the natural call order of the types, skipping ahead to one the lifecycle
//   accepts, since PBXs stamp whole seconds). An event older than the last applied one triggers a
//   replay of the whole (small) log, so a late event is applied when it is consistent with the
//   others and ignored (with a reason) when the lifecycle refuses it.
// - Hence the final state depends only on the set of distinct events, never on arrival order.

/** Why the PBX says a call ended (the lifecycle's end reason is derived from the call's state). */
export const CALL_END_REASONS = ['customer_hangup', 'agent_hangup', 'abandoned', 'timeout', 'failed'] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

export const CALL_EVENT_TYPES = ['offered', 'ivr_input', 'queued', 'answered', 'transferred', 'held', 'resumed', 'ended', 'recording_ready'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

type CallEventBase = {
  /** The PBX's unique id of this event (a retry repeats it). */
  id: string;
  callId: string;
  at: Date;
  /** Optional per-call sequence number from the PBX; orders events that share a timestamp. */
  seq?: number | null;
};

export type CallEvent = CallEventBase &
  (
    | {
        type: 'offered';
        /** Caller number (主叫), as the PBX saw it. */
        caller: string;
        /** Called number (被叫, the hotline / DID). */
        called: string;
        /** Digits chosen in the IVR before this event, encoded by encodeIvrPath ("1>3"). */
        ivrPath?: string | null;
        /** An outbound call (click-to-call, callback) is reported as offered with direction outbound. */
        direction?: 'inbound' | 'outbound';
      }
    | { type: 'ivr_input'; digits: string; nodeId: string }
    | { type: 'queued'; queueId: string }
    /** agentId: the Kefu agent the server resolved from the PBX extension. */
    | { type: 'answered'; agentId: string }
    | { type: 'transferred'; to: TransferTarget }
    | { type: 'held' }
    | { type: 'resumed' }
    /** overflowAction: where a queue timeout sent the caller (default leave_message). */
    | { type: 'ended'; reason: CallEndReason; overflowAction?: OverflowAction | null }
    | { type: 'recording_ready'; url: string }
  );

/** Why an event was not applied to the contact. */
export type CallEventRefusal = ContactRefusal | 'no_offer' | 'already_offered';

export type CallState = {
  callId: string;
  caller: string | null;
  called: string | null;
  ivrPath: string | null;
  ivrInputs: readonly { nodeId: string; digits: string; at: Date }[];
  /** Null until `offered` arrives. */
  contact: ContactState | null;
  /** The lifecycle events produced, for the contact timeline. */
  timeline: readonly ContactEvent[];
  endReason: CallEndReason | null;
  recordingUrls: readonly string[];
  /** Distinct events seen, in apply order. */
  events: readonly CallEvent[];
  /** Events that did not change the contact, with the reason. */
  ignored: readonly { eventId: string; type: CallEventType; reason: CallEventRefusal }[];
};

export type ApplyCallEventOutcome = 'applied' | 'ignored' | 'duplicate' | 'replayed';

// Natural order of the types inside one instant (a PBX often stamps whole seconds).
const TYPE_RANK: Readonly<Record<CallEventType, number>> = {
  offered: 0,
  ivr_input: 1,
  queued: 2,
  answered: 3,
  held: 4,
  resumed: 5,
  transferred: 6,
  ended: 7,
  recording_ready: 8,
};

/** The total order events apply in: at, then seq, then type, then id. */
export function compareCallEvents(a: CallEvent, b: CallEvent): number {
  return (
    a.at.getTime() - b.at.getTime() ||
    (a.seq ?? 0) - (b.seq ?? 0) ||
    TYPE_RANK[a.type] - TYPE_RANK[b.type] ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** A call that has seen no event yet. */
export function createCallState(callId: string): CallState {
  return { callId, caller: null, called: null, ivrPath: null, ivrInputs: [], contact: null, timeline: [], endReason: null, recordingUrls: [], events: [], ignored: [] };
}

/**
 * Applies one event (as it arrives). A known id is a duplicate; an event that sorts after every
 * known one is applied directly; any other is inserted and the log replayed. Never mutates.
 */
export function applyCallEvent(state: CallState, event: CallEvent): { state: CallState; outcome: ApplyCallEventOutcome } {
  if (event.callId !== state.callId) throw new RangeError(`Event ${event.id} belongs to call ${event.callId}, not ${state.callId}`);
  if (state.events.some((e) => e.id === event.id)) return { state, outcome: 'duplicate' };
  const last = state.events.at(-1);
  if (last === undefined || compareInstants(last, event) < 0) {
    const next = step({ ...state, events: [...state.events, event] }, event);
    return { state: next, outcome: next.ignored.length > state.ignored.length ? 'ignored' : 'applied' };
  }
  return { state: replay(state.callId, [...state.events, event]), outcome: 'replayed' };
}

/** The call's state from a stored log in any order, with duplicates. */
export function reduceCallEvents(callId: string, events: readonly CallEvent[]): CallState {
  const seen = new Set<string>();
  const distinct: CallEvent[] = [];
  for (const e of events) {
    if (e.callId !== callId) throw new RangeError(`Event ${e.id} belongs to call ${e.callId}, not ${callId}`);
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    distinct.push(e);
  }
  return replay(callId, distinct);
}

// Instants: events with the same `at` and `seq` form one group.
function compareInstants(a: CallEvent, b: CallEvent): number {
  return a.at.getTime() - b.at.getTime() || (a.seq ?? 0) - (b.seq ?? 0);
}

// Within one instant the order is unknown: apply first the (rank-first) event the lifecycle
// accepts, so "transferred" and the new agent's "answered" stamped in the same second both count.
function replay(callId: string, events: readonly CallEvent[]): CallState {
  const sorted = [...events].sort(compareCallEvents);
  let state: CallState = createCallState(callId);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && compareInstants(sorted[i]!, sorted[j]!) === 0) j++;
    const group = sorted.slice(i, j);
    while (group.length > 0) {
      let pick = 0;
      let next: CallState | null = null;
      for (let k = 0; k < group.length; k++) {
        const candidate = step({ ...state, events: [...state.events, group[k]!] }, group[k]!);
        if (candidate.ignored.length === state.ignored.length) {
          pick = k;
          next = candidate;
          break;
        }
      }
      state = next ?? step({ ...state, events: [...state.events, group[0]!] }, group[0]!);
      group.splice(pick, 1);
    }
    i = j;
  }
  return state;
}

// Applies `event` (already in state.events) to the derived fields.
function step(state: CallState, event: CallEvent): CallState {
  const ignore = (reason: CallEventRefusal): CallState => ({ ...state, ignored: [...state.ignored, { eventId: event.id, type: event.type, reason }] });
  if (event.type === 'offered') {
    if (state.contact !== null) return ignore('already_offered');
    const direction = event.direction ?? 'inbound';
    const contact = createContact({ channel: direction === 'outbound' ? 'outbound' : 'call', direction, createdAt: event.at });
    return { ...state, contact, caller: event.caller, called: event.called, ivrPath: event.ivrPath ?? null };
  }
  if (state.contact === null) return ignore('no_offer');
  switch (event.type) {
    case 'ivr_input':
      return { ...state, ivrInputs: [...state.ivrInputs, { nodeId: event.nodeId, digits: event.digits, at: event.at }] };
    case 'recording_ready':
      return state.recordingUrls.includes(event.url) ? state : { ...state, recordingUrls: [...state.recordingUrls, event.url] };
    case 'queued':
    case 'answered':
    case 'transferred':
    case 'held':
    case 'resumed':
    case 'ended': {
      const result = runActions(state.contact, toActions(state.contact, event), event.at);
      if (!result.ok) return ignore(result.reason);
      return {
        ...state,
        contact: result.contact,
        timeline: [...state.timeline, ...result.events],
        endReason: event.type === 'ended' ? event.reason : state.endReason,
      };
    }
    default:
      return assertNever(event);
  }
}

type Lifecycle = Exclude<CallEvent, { type: 'offered' | 'ivr_input' | 'recording_ready' }>;

// The lifecycle actions one CTI event stands for, given the contact's status.
function toActions(c: ContactState, event: Lifecycle): ContactAction[] {
  switch (event.type) {
    case 'queued':
      return [{ type: 'queue', queueId: event.queueId }];
    case 'answered':
      // PBXs do not report ringing: an answer from the queue is an offer and an answer at once.
      if (c.status === 'queued') return [{ type: 'offer', agentId: event.agentId }, { type: 'answer', agentId: event.agentId }];
      // Someone other than the agent it rang at picked up (group pickup): the first offer rang out.
      if (c.status === 'offered' && c.offer !== null && c.offer.agentId !== event.agentId) {
        return [{ type: 'timeout' }, { type: 'offer', agentId: event.agentId }, { type: 'answer', agentId: event.agentId }];
      }
      return [{ type: 'answer', agentId: event.agentId }];
    case 'transferred':
      return [{ type: 'transfer', to: event.to }];
    case 'held':
      return [{ type: 'hold' }];
    case 'resumed':
      return [{ type: 'resume' }];
    case 'ended':
      if (c.status === 'queued' || c.status === 'offered') {
        // A queue timeout sends the caller to voicemail / callback; every other end while waiting
        // (hang-up, failure) leaves the queue unanswered and counts as abandoned.
        if (event.reason === 'timeout') return [{ type: 'overflow', action: event.overflowAction ?? 'leave_message' }];
        return [{ type: 'abandon' }];
      }
      return [{ type: 'end' }];
    default:
      return assertNever(event);
  }
}

function runActions(
  contact: ContactState,
  actions: readonly ContactAction[],
  now: Date,
): { ok: true; contact: ContactState; events: ContactEvent[] } | { ok: false; reason: ContactRefusal } {
  let c = contact;
  const events: ContactEvent[] = [];
  for (const action of actions) {
    const r = advanceContact(c, action, now);
    if (!r.ok) return { ok: false, reason: r.reason };
    c = r.contact;
    events.push(r.event);
  }
  return { ok: true, contact: c, events };
}
