import { addBusinessMinutes, type BusinessCalendar, isWorkingTime } from '../calendar/business-calendar.ts';
import type { ContactChannel, OverflowAction } from '../contacts/contact.ts';
import { assertNever } from '../tickets/assert-never.ts';
import { type AgentPresence, AFTER_CALL_WORK_REASON, getFreeCapacity, getIdleSince, getLoadFraction, recordOffer } from './presence.ts';

// The routing decision (ACD, 自动话务分配): which agent gets a waiting contact, or why it waits,
// or where it overflows. Called whenever a contact queues, an agent frees up or a timer fires;
// the service applies the decision through advanceContact / recordOffer.

/** Priority classes, highest first: vulnerable customers (独居老人, 低保户…) and key accounts jump the queue. */
export const CONTACT_PRIORITIES = ['vulnerable', 'key_account', 'normal'] as const;
export type ContactPriority = (typeof CONTACT_PRIORITIES)[number];

/** The priority class of a customer from the archive's flags ('vulnerable', 'key_account', …). */
export function getContactPriority(customerFlags: readonly string[]): ContactPriority {
  return CONTACT_PRIORITIES.find((p) => p !== 'normal' && customerFlags.includes(p)) ?? 'normal';
}

/** What routing needs to know about a waiting contact (ContactState plus the customer and queue facts). */
export type RoutableContact = {
  channel: ContactChannel;
  /** Since when it waits in its current queue (ContactState.waitingSince). */
  waitingSince: Date;
  /** Every skill an agent must hold: business line, language ('tibetan-amdo'), 'vip'… */
  requiredSkills: readonly string[];
  priority: ContactPriority;
  /** The customer's own account manager (台区客服经理), tried first. */
  accountManagerId?: string | null;
  /** An agent the customer asked for (e.g. by work number). */
  requestedAgentId?: string | null;
  /** Agents who declined or let it ring out: never offered again in this queue episode. */
  declinedAgentIds: readonly string[];
};

export type RoutingCandidate = AgentPresence & { skills: readonly string[] };

export type RoutingOptions = {
  /** The queue's business hours (the work-order calendars). */
  calendar: BusinessCalendar;
  /** Waiting longer than this without an offer overflows. */
  maxWaitSeconds: number;
  /** How long to hold a contact for its account manager while they are busy. */
  accountManagerWaitSeconds: number;
  /** Same for a requested agent; default 0: offered when free, otherwise no waiting. */
  requestedAgentWaitSeconds?: number;
  afterHoursAction: OverflowAction;
  /** What to offer when the queue waits too long. */
  overflowAction: OverflowAction;
  /** The callback task's deadline, in business minutes on the queue's calendar. */
  callbackWithinMinutes: number;
  /** Overflow at once when no agent with the skills is logged in at all; default true. */
  overflowWhenNobodyQualified?: boolean;
};

/** Defaults for a queue's timings; the calendar and actions are the queue's own. */
export const DEFAULT_QUEUE_TIMINGS = {
  maxWaitSeconds: 300,
  accountManagerWaitSeconds: 30,
  requestedAgentWaitSeconds: 0,
  callbackWithinMinutes: 120,
} as const;

export type OfferReason = 'account_manager' | 'requested_agent' | 'longest_idle';
export type QueueReason = 'waiting_for_account_manager' | 'waiting_for_requested_agent' | 'no_free_agent';
export type OverflowReason = 'outside_business_hours' | 'max_wait_exceeded' | 'no_qualified_agent';

export type RoutingDecision =
  | { kind: 'offer'; agentId: string; reason: OfferReason }
  | { kind: 'queue'; reason: QueueReason }
  /** The left message or callback request becomes a callback task due at callbackDueAt. */
  | { kind: 'overflow'; action: OverflowAction; reason: OverflowReason; callbackDueAt: Date };

/** True when the agent holds every required skill and has not declined this contact. */
export function isAgentQualified(agent: Pick<RoutingCandidate, 'agentId' | 'skills'>, contact: Pick<RoutableContact, 'requiredSkills' | 'declinedAgentIds'>): boolean {
  return !contact.declinedAgentIds.includes(agent.agentId) && contact.requiredSkills.every((s) => agent.skills.includes(s));
}

/** True when the contact may be offered to the agent right now: qualified, online and with free capacity. */
export function canOfferContact(agent: RoutingCandidate, contact: RoutableContact): boolean {
  return isAgentQualified(agent, contact) && getFreeCapacity(agent, contact.channel) >= 1;
}

// Worth holding the contact for: working and likely to free up soon.
function isExpectedSoon(agent: RoutingCandidate): boolean {
  return agent.state === 'online' || (agent.state === 'away' && agent.reason === AFTER_CALL_WORK_REASON);
}

type Preferred = { kind: 'offer'; agent: RoutingCandidate } | { kind: 'wait' } | { kind: 'skip' };

// The account manager or requested agent: offer when free, hold while they are expected soon
// and the contact has waited less than `waitSeconds`, else fall through.
function tryPreferred(
  agentId: string | null | undefined,
  candidates: readonly RoutingCandidate[],
  contact: RoutableContact,
  waitedSeconds: number,
  waitSeconds: number,
): Preferred {
  if (agentId === null || agentId === undefined) return { kind: 'skip' };
  // A linear find, not a map: most contacts name no preferred agent, and building a map of
  // thousands of candidates per decision cost more than the decision itself.
  const agent = candidates.find((c) => c.agentId === agentId);
  if (agent === undefined || !isAgentQualified(agent, contact)) return { kind: 'skip' };
  if (canOfferContact(agent, contact)) return { kind: 'offer', agent };
  return isExpectedSoon(agent) && waitedSeconds < waitSeconds ? { kind: 'wait' } : { kind: 'skip' };
}

// Longest idle first; on a tie the less loaded, then by agent id so the decision is deterministic.
function compareIdle(a: RoutingCandidate, b: RoutingCandidate): number {
  return (
    getIdleSince(a).getTime() - getIdleSince(b).getTime() ||
    getLoadFraction(a) - getLoadFraction(b) ||
    (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0)
  );
}

/**
 * The routing decision for one waiting contact at `now`:
 * 1. outside the queue's business hours → overflow to `afterHoursAction`;
 * 2. the account manager when qualified, online and free; held for them up to
 *    `accountManagerWaitSeconds` while they are online or in after-call work;
 * 3. likewise a requested agent (`requestedAgentWaitSeconds`);
 * 4. otherwise the longest-idle qualified agent with free capacity (see getIdleSince; ties go
 *    to the less loaded, then the lower agent id);
 * 5. nobody: overflow once the wait reaches `maxWaitSeconds`, or at once when no agent with the
 *    skills is logged in; else keep queueing.
 * Every offer goes to an agent holding all required skills, with free capacity for the channel,
 * who has not declined this contact — preferred agents included.
 */
export function chooseAgent(
  contact: RoutableContact,
  candidates: readonly RoutingCandidate[],
  now: Date,
  options: RoutingOptions,
): RoutingDecision {
  const overflow = (action: OverflowAction, reason: OverflowReason): RoutingDecision => ({
    kind: 'overflow',
    action,
    reason,
    callbackDueAt: addBusinessMinutes(options.calendar, now, options.callbackWithinMinutes),
  });
  if (!isWorkingTime(options.calendar, now)) return overflow(options.afterHoursAction, 'outside_business_hours');

  const waited = Math.max(0, (now.getTime() - contact.waitingSince.getTime()) / 1000);
  const withinMaxWait = waited < options.maxWaitSeconds;
  const preferences: [string | null | undefined, number, OfferReason, QueueReason][] = [
    [contact.accountManagerId, options.accountManagerWaitSeconds, 'account_manager', 'waiting_for_account_manager'],
    [contact.requestedAgentId, options.requestedAgentWaitSeconds ?? 0, 'requested_agent', 'waiting_for_requested_agent'],
  ];
  for (const [agentId, waitSeconds, offerReason, queueReason] of preferences) {
    const preferred = tryPreferred(agentId, candidates, contact, waited, waitSeconds);
    switch (preferred.kind) {
      case 'offer':
        return { kind: 'offer', agentId: preferred.agent.agentId, reason: offerReason };
      case 'wait':
        if (withinMaxWait) return { kind: 'queue', reason: queueReason };
        break;
      case 'skip':
        break;
      default:
        return assertNever(preferred);
    }
  }

  let best: RoutingCandidate | null = null;
  for (const agent of candidates) {
    if (canOfferContact(agent, contact) && (best === null || compareIdle(agent, best) < 0)) best = agent;
  }
  if (best !== null) return { kind: 'offer', agentId: best.agentId, reason: 'longest_idle' };

  if (!withinMaxWait) return overflow(options.overflowAction, 'max_wait_exceeded');
  const anyoneQualified = candidates.some((a) => a.state !== 'offline' && contact.requiredSkills.every((s) => a.skills.includes(s)));
  if (!anyoneQualified && (options.overflowWhenNobodyQualified ?? true)) return overflow(options.overflowAction, 'no_qualified_agent');
  return { kind: 'queue', reason: 'no_free_agent' };
}

export type PrioritiseOptions = {
  /**
   * Anti-starvation: a contact rises one priority class per this many seconds of waiting (never
   * above the top). Default: no ageing.
   */
  promoteAfterSeconds?: number;
};

function getEffectiveRank(contact: Pick<RoutableContact, 'priority' | 'waitingSince'>, now: Date, options: PrioritiseOptions): number {
  const rank = CONTACT_PRIORITIES.indexOf(contact.priority);
  const step = options.promoteAfterSeconds;
  if (step === undefined || !(step > 0)) return rank;
  const waited = Math.max(0, (now.getTime() - contact.waitingSince.getTime()) / 1000);
  return Math.max(0, rank - Math.floor(waited / step));
}

/**
 * The waiting contacts in the order they should be served: priority class first (vulnerable,
 * then key account, then normal), then the longest wait. Stable: contacts equal in both keep
 * their input order. Returns a new array; `now` only matters with `promoteAfterSeconds`.
 */
export function prioritiseQueue<T extends Pick<RoutableContact, 'priority' | 'waitingSince'>>(
  waiting: readonly T[],
  now: Date,
  options: PrioritiseOptions = {},
): T[] {
  return waiting
    .map((contact, index) => ({ contact, index, rank: getEffectiveRank(contact, now, options), since: contact.waitingSince.getTime() }))
    .sort((a, b) => a.rank - b.rank || a.since - b.since || a.index - b.index)
    .map((e) => e.contact);
}

export type QueueRoutingResult<T> = {
  /** One decision per waiting contact, in service order (prioritiseQueue). */
  decisions: { contact: T; decision: RoutingDecision }[];
  /** The candidates with the offers made recorded (load and last offer). */
  candidates: RoutingCandidate[];
};

/**
 * Routes a whole queue at `now`: contacts in priority order each get chooseAgent's decision
 * against the candidates as updated by the offers already made in this pass, so no agent is
 * offered more than their capacity.
 */
export function routeQueue<T extends RoutableContact>(
  waiting: readonly T[],
  candidates: readonly RoutingCandidate[],
  now: Date,
  options: RoutingOptions & PrioritiseOptions,
): QueueRoutingResult<T> {
  // One copy for the whole pass; an offer replaces only the chosen agent's entry.
  const pool = [...candidates];
  const decisions: { contact: T; decision: RoutingDecision }[] = [];
  for (const contact of prioritiseQueue(waiting, now, options)) {
    const decision = chooseAgent(contact, pool, now, options);
    decisions.push({ contact, decision });
    if (decision.kind === 'offer') {
      const i = pool.findIndex((a) => a.agentId === decision.agentId);
      const chosen = pool[i] as RoutingCandidate;
      pool[i] = { ...recordOffer(chosen, contact.channel, now), skills: chosen.skills };
    }
  }
  return { decisions, candidates: pool };
}
