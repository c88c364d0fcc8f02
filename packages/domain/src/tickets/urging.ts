import { getTopLevelCategoryCode, isCategoryWithin } from './categories.ts';
import { findTicketNumbersInText } from './ticket-number.ts';
import {
  isOpen,
  TICKET_URGENCIES,
  type TicketEvent,
  type TicketState,
  type TicketStatus,
  type TicketUrgency,
  type TransitionRefusal,
  transition,
} from './ticket-status.ts';

// Urging (催办): a customer who contacts the center again about an order that is still open does
// not get a new order; the existing one is urged: linked to the contact, counted, its urgency
// raised after enough urges, and its handler notified.

export type UrgingPolicy = {
  /** Urgency becomes 'high' once the order has been urged this many times in all (≥ 1). */
  highAfter: number;
  /** … and 'critical' after this many (≥ highAfter). */
  criticalAfter: number;
};

/** Product default, the same as the state machine's own one-step-per-urge rule. */
export const DEFAULT_URGING_POLICY: UrgingPolicy = { highAfter: 1, criticalAfter: 2 };

/** Problems of a configured policy; empty when valid. */
export function validateUrgingPolicy(policy: UrgingPolicy): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(policy.highAfter) || policy.highAfter < 1) problems.push('highAfter must be an integer ≥ 1');
  if (!Number.isInteger(policy.criticalAfter) || policy.criticalAfter < policy.highAfter) {
    problems.push('criticalAfter must be an integer ≥ highAfter');
  }
  return problems;
}

/** The urgency an order urged `urgeCount` times has earned under the policy. */
export function getUrgencyForUrgeCount(urgeCount: number, policy: UrgingPolicy = DEFAULT_URGING_POLICY): TicketUrgency {
  if (urgeCount >= policy.criticalAfter) return 'critical';
  if (urgeCount >= policy.highAfter) return 'high';
  return 'normal';
}

// Phrases customers use when chasing an order; a hint for the agent, never a decision on its own.
const URGING_PHRASES = ['催', '还没', '怎么还', '到底', '什么时候', '多久', '进度', '尽快', '再次', '又打', '一直没', '迟迟', 'still', 'hurry', 'progress', 'again', 'when will'];

/** True when the text sounds like chasing an earlier request (“怎么还没来人”). */
export function detectUrgingIntent(text: string): boolean {
  const lower = text.toLowerCase();
  return URGING_PHRASES.some((p) => lower.includes(p));
}

/** The category an urging sub-category chases (催办 → 抢修进度 chases a repair); null when it names none. */
export function getUrgedCategoryPrefix(urgingCategoryCode: string): string | null {
  switch (urgingCategoryCode) {
    case 'urging.repair-progress':
      return 'fault-repair';
    case 'urging.application-progress':
      return 'service-request';
    case 'urging.complaint-progress':
      return 'complaint';
    default:
      return null;
  }
}

/** An open order of the identified customer, as the agent workspace lists them. */
export type OpenTicketSummary = {
  id: string;
  number: string;
  categoryCode: string;
  status: TicketStatus;
  createdAt: Date;
};

export type UrgingContact = {
  /** The category the agent (or the bot) picked for the new contact, if any. */
  categoryHint?: string | null;
  /** What the customer said or wrote; searched for order numbers and urging phrases. */
  text?: string | null;
};

export type UrgingDecision =
  | {
      kind: 'urge';
      ticketId: string;
      /** ticket_number: the customer quoted it; matching_category: most recent open order of the category; only_open_order: no category given. */
      basis: 'ticket_number' | 'matching_category' | 'only_open_order';
      intent: boolean;
    }
  /** Several open orders and no category to choose by: the agent picks one (most recent first) or files a new order. */
  | { kind: 'choose'; candidateIds: string[]; intent: boolean }
  | { kind: 'new_ticket'; reason: 'no_open_orders' | 'no_matching_order'; intent: boolean };

const byRecency = (a: OpenTicketSummary, b: OpenTicketSummary) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// Same branch of the tree: one code is the other or its ancestor.
const onSameBranch = (a: string, b: string) => isCategoryWithin(a, b) || isCategoryWithin(b, a);

/**
 * Whether a new contact of a customer urges one of their open orders instead of creating one:
 * an order number quoted in the text wins; else, with a category hint, the most recent open order
 * of the same top-level category (same branch first; an urging sub-category such as
 * 'urging.repair-progress' stands for the category it chases); else, without a hint, the only
 * open order, or a choice among several. A hint that matches none of
 * the open orders is a new issue: a new order. Orders not open (replied, closed) are never urged:
 * a customer unhappy with an answer reopens instead.
 */
export function decideUrging(tickets: readonly OpenTicketSummary[], contact: UrgingContact): UrgingDecision {
  const open = tickets.filter((t) => isOpen(t.status)).sort(byRecency);
  const text = contact.text ?? '';
  const rawHint = contact.categoryHint?.trim() ?? '';
  const isUrgingHint = getTopLevelCategoryCode(rawHint) === 'urging';
  // An urging hint says which kind of order is chased, if it says anything.
  const hint = isUrgingHint ? (getUrgedCategoryPrefix(rawHint) ?? '') : rawHint;
  const intent = isUrgingHint || detectUrgingIntent(text);

  for (const number of findTicketNumbersInText(text)) {
    const quoted = open.find((t) => t.number === number);
    if (quoted !== undefined) return { kind: 'urge', ticketId: quoted.id, basis: 'ticket_number', intent };
  }
  if (open.length === 0) return { kind: 'new_ticket', reason: 'no_open_orders', intent };

  if (hint !== '') {
    const top = hint.split('.')[0];
    const sameTop = open.filter((t) => t.categoryCode.split('.')[0] === top);
    const best = sameTop.find((t) => onSameBranch(t.categoryCode, hint)) ?? sameTop[0];
    return best === undefined
      ? { kind: 'new_ticket', reason: 'no_matching_order', intent }
      : { kind: 'urge', ticketId: best.id, basis: 'matching_category', intent };
  }
  if (open.length === 1) return { kind: 'urge', ticketId: open[0].id, basis: 'only_open_order', intent };
  return { kind: 'choose', candidateIds: open.map((t) => t.id), intent };
}

export type UrgeNotification = 'handler' | 'supervisor';

export type UrgeResult =
  | {
      ok: true;
      ticket: TicketState;
      events: TicketEvent[];
      urgencyRaised: boolean;
      /** handler: whoever holds the order (assignee, department, or the front line); supervisor once it turns critical. */
      notify: UrgeNotification[];
    }
  | { ok: false; reason: TransitionRefusal };

/**
 * Urges an order through the state machine: one more urge, urgency as the policy's thresholds
 * say (never lower than before), an `urged` event (plus nothing else: a paused order stays
 * paused, the customer chasing it does not end the wait).
 */
export function planUrge(ticket: TicketState, request: { note?: string }, now: Date, policy: UrgingPolicy = DEFAULT_URGING_POLICY): UrgeResult {
  const urgency = getUrgencyForUrgeCount(ticket.urgeCount + 1, policy);
  const result = transition(ticket, { type: 'urge', urgency, ...(request.note !== undefined ? { note: request.note } : {}) }, now);
  if (!result.ok) return result;
  const raised = TICKET_URGENCIES.indexOf(result.ticket.urgency) > TICKET_URGENCIES.indexOf(ticket.urgency);
  const notify: UrgeNotification[] = raised && result.ticket.urgency === 'critical' ? ['handler', 'supervisor'] : ['handler'];
  return { ok: true, ticket: result.ticket, events: result.events, urgencyRaised: raised, notify };
}
