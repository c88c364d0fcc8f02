import type { ContactChannel } from '../contacts/contact.ts';
import { assertNever } from '../tickets/assert-never.ts';

// Agent presence (座席状态) and capacity: whether routing may offer an agent another contact,
// and the time-in-state log that workforce management compares with the roster.

export const PRESENCE_STATES = [
  'online', // 空闲/就绪: available, receives offers while capacity is free
  'busy', // 忙碌: working outside routing (outbound, work orders), no offers
  'away', // 小休/话后处理: not taking contacts (break, meal, after-call work…), no offers
  'offline', // 签出: logged out
] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** The away reason used for after-call work (话后处理). */
export const AFTER_CALL_WORK_REASON = 'after_call_work';
/** The away reason set when an agent lets an offer ring out (see offer.ts). */
export const MISSED_OFFER_REASON = 'missed_offer';

/** Default reason codes for the states that need one; centers edit their own list. */
export const DEFAULT_PRESENCE_REASONS: Readonly<Record<'busy' | 'away', readonly string[]>> = {
  busy: ['outbound', 'work_order', 'callback', 'coaching'],
  away: [AFTER_CALL_WORK_REASON, MISSED_OFFER_REASON, 'break', 'meal', 'training', 'meeting', 'system_issue'],
};

/**
 * How many contacts of each channel an agent may hold at once. 'shared' (default): the channels
 * share one capacity, each contact using 1/limit of it — `{ call: 1, chat: 3 }` means one call
 * or three chats, or two chats and nothing else, never a call beside a chat. 'per_channel': each
 * channel counts on its own (a call and three emails together). A channel without a positive
 * limit is never offered.
 */
export type CapacityProfile = {
  limits: Readonly<Partial<Record<ContactChannel, number>>>;
  blending: 'shared' | 'per_channel';
};

export const DEFAULT_CAPACITY_PROFILE: CapacityProfile = {
  limits: { call: 1, chat: 3, wechat: 3, sms: 5, email: 5, walk_in: 1, outbound: 1 },
  blending: 'shared',
};

export type AgentPresence = {
  agentId: string;
  state: PresenceState;
  /** Reason code of busy/away (and optionally offline, e.g. 'end_of_shift'); null when online. */
  reason: string | null;
  /** When the current state began. */
  since: Date;
  capacity: CapacityProfile;
  /** Contacts per channel that are offered to or held by the agent (ringing, active, on hold, in wrap-up). */
  load: Readonly<Partial<Record<ContactChannel, number>>>;
  /** Last offer to the agent, answered or not. */
  lastOfferedAt: Date | null;
  lastContactEndedAt: Date | null;
};

/** One line of the presence log: a state that ended, with its duration. */
export type PresenceRecord = {
  agentId: string;
  state: PresenceState;
  reason: string | null;
  from: Date;
  to: Date;
  seconds: number;
};

export const PRESENCE_REFUSALS = [
  'before_last_change', // `now` is earlier than the current state's start
  'unchanged', // same state and reason
  'missing_reason', // busy and away need a reason code
  'unknown_reason', // not in the configured reason list
  'contacts_in_progress', // cannot log out while holding contacts
] as const;
export type PresenceRefusal = (typeof PRESENCE_REFUSALS)[number];

export type PresenceChange = { state: PresenceState; reason?: string };

export type ChangePresenceResult =
  | { ok: true; agent: AgentPresence; record: PresenceRecord }
  | { ok: false; reason: PresenceRefusal };

// Float tolerance for the shared-capacity sum: 1 − 2/3 is 0.3333…, times 3 is 0.9999….
const EPSILON = 1e-9;

/** Problems that make a capacity profile unusable; empty when valid. */
export function validateCapacityProfile(profile: CapacityProfile): string[] {
  const problems: string[] = [];
  for (const [channel, limit] of Object.entries(profile.limits)) {
    if (limit === undefined) continue;
    if (!Number.isInteger(limit) || limit < 0) problems.push(`${channel}: limit must be an integer ≥ 0, got ${limit}`);
  }
  return problems;
}

/** A logged-out agent with no contacts. */
export function createAgentPresence(agentId: string, now: Date, capacity: CapacityProfile = DEFAULT_CAPACITY_PROFILE): AgentPresence {
  return { agentId, state: 'offline', reason: null, since: now, capacity, load: {}, lastOfferedAt: null, lastContactEndedAt: null };
}

function getLimit(profile: CapacityProfile, channel: ContactChannel): number {
  const limit = profile.limits[channel];
  return limit !== undefined && Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0;
}

/** Total contacts the agent holds across channels. */
export function getTotalLoad(agent: Pick<AgentPresence, 'load'>): number {
  return Object.values(agent.load).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/**
 * Share of the agent's capacity in use, 0…1 (above 1 only when limits were lowered under a
 * running load). A contact on a channel the agent has no limit for fills the agent.
 */
export function getLoadFraction(agent: Pick<AgentPresence, 'capacity' | 'load'>): number {
  let shared = 0;
  let widest = 0;
  for (const [channel, count] of Object.entries(agent.load) as [ContactChannel, number | undefined][]) {
    if (count === undefined || count <= 0) continue;
    const limit = getLimit(agent.capacity, channel);
    const used = limit === 0 ? 1 : count / limit;
    shared += used;
    widest = Math.max(widest, used);
  }
  switch (agent.capacity.blending) {
    case 'shared':
      return shared;
    case 'per_channel':
      return widest;
    default:
      return assertNever(agent.capacity.blending);
  }
}

/**
 * How many more contacts of `channel` the agent can be offered now: 0 unless online, else what
 * the capacity profile leaves free (see CapacityProfile).
 */
export function getFreeCapacity(agent: Pick<AgentPresence, 'state' | 'capacity' | 'load'>, channel: ContactChannel): number {
  if (agent.state !== 'online') return 0;
  const limit = getLimit(agent.capacity, channel);
  const own = Math.max(0, limit - (agent.load[channel] ?? 0));
  switch (agent.capacity.blending) {
    case 'per_channel':
      return own;
    case 'shared': {
      const left = 1 - getLoadFraction(agent);
      return Math.min(own, Math.max(0, Math.floor(left * limit + EPSILON)));
    }
    default:
      return assertNever(agent.capacity.blending);
  }
}

/** Seconds the agent has been in the current state. */
export function getTimeInStateSeconds(agent: Pick<AgentPresence, 'since'>, now: Date): number {
  return Math.max(0, (now.getTime() - agent.since.getTime()) / 1000);
}

/**
 * Since when the agent has been idle for routing purposes: the latest of the state change, the
 * last contact's end and the last offer (so an agent does not get every chat in a row while
 * others wait, and declining does not keep someone first in line).
 */
export function getIdleSince(agent: Pick<AgentPresence, 'since' | 'lastOfferedAt' | 'lastContactEndedAt'>): Date {
  let latest = agent.since;
  for (const d of [agent.lastOfferedAt, agent.lastContactEndedAt]) {
    if (d !== null && d.getTime() > latest.getTime()) latest = d;
  }
  return latest;
}

export type ChangePresenceOptions = {
  /** Allowed reason codes for busy and away; default DEFAULT_PRESENCE_REASONS. */
  reasons?: Readonly<Record<'busy' | 'away', readonly string[]>>;
};

function checkReason(change: PresenceChange, options: ChangePresenceOptions): PresenceRefusal | null {
  const reasons = options.reasons ?? DEFAULT_PRESENCE_REASONS;
  const blank = change.reason === undefined || change.reason.trim() === '';
  switch (change.state) {
    case 'busy':
    case 'away':
      if (blank) return 'missing_reason';
      return reasons[change.state].includes(change.reason as string) ? null : 'unknown_reason';
    case 'online':
    case 'offline':
      return null;
    default:
      return assertNever(change.state);
  }
}

/**
 * Moves an agent to another presence state at `now`, returning the new presence and the log
 * record of the state that ended. Busy and away need a known reason code; online drops any
 * reason; logging out is refused while the agent still holds contacts. Changing only the reason
 * (break → meal) is a change and closes a record.
 */
export function changePresence(
  agent: AgentPresence,
  change: PresenceChange,
  now: Date,
  options: ChangePresenceOptions = {},
): ChangePresenceResult {
  if (now.getTime() < agent.since.getTime()) return { ok: false, reason: 'before_last_change' };
  const refusal = checkReason(change, options);
  if (refusal !== null) return { ok: false, reason: refusal };
  const reason = change.state === 'online' || change.reason === undefined || change.reason.trim() === '' ? null : change.reason;
  if (change.state === agent.state && reason === agent.reason) return { ok: false, reason: 'unchanged' };
  if (change.state === 'offline' && getTotalLoad(agent) > 0) return { ok: false, reason: 'contacts_in_progress' };
  const record: PresenceRecord = {
    agentId: agent.agentId,
    state: agent.state,
    reason: agent.reason,
    from: agent.since,
    to: now,
    seconds: getTimeInStateSeconds(agent, now),
  };
  return { ok: true, agent: { ...agent, state: change.state, reason, since: now }, record };
}

/** The agent after a contact of `channel` is offered to them: one more in load, last offer now. */
export function recordOffer(agent: AgentPresence, channel: ContactChannel, now: Date): AgentPresence {
  return { ...agent, load: { ...agent.load, [channel]: (agent.load[channel] ?? 0) + 1 }, lastOfferedAt: now };
}

/**
 * The agent after a contact of `channel` leaves their load: 'declined' (offer declined or rang
 * out) or 'ended' (finished; the idle clock restarts). The load never goes below zero.
 */
export function releaseContact(agent: AgentPresence, channel: ContactChannel, now: Date, how: 'declined' | 'ended'): AgentPresence {
  const load = { ...agent.load, [channel]: Math.max(0, (agent.load[channel] ?? 0) - 1) };
  switch (how) {
    case 'declined':
      return { ...agent, load };
    case 'ended':
      return { ...agent, load, lastContactEndedAt: now };
    default:
      return assertNever(how);
  }
}

/** True when the agent has been in after-call work for at least `maxSeconds` (time to return them online). */
export function isAfterCallWorkOverdue(agent: Pick<AgentPresence, 'state' | 'reason' | 'since'>, now: Date, maxSeconds: number): boolean {
  return agent.state === 'away' && agent.reason === AFTER_CALL_WORK_REASON && getTimeInStateSeconds(agent, now) >= maxSeconds;
}
