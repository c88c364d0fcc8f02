import type { ContactAction, ContactState } from '../contacts/contact.ts';
import { assertNever } from '../tickets/assert-never.ts';
import { MISSED_OFFER_REASON } from './presence.ts';

// An offer rings at one agent (振铃) until they accept, decline or the timeout passes. A declined
// or missed offer goes back to routing without that agent; after `maxOffers` failed offers the
// queue supervisor (值班长) is asked to step in instead of ringing more agents.

export type OfferPolicy = {
  /** How long an offer rings before it counts as missed (RONA). */
  timeoutSeconds: number;
  /** Offers in one queue episode before the contact is escalated to the queue supervisor. */
  maxOffers: number;
  /** Put an agent who lets an offer ring out into away / 'missed_offer' so they get no more. */
  awayOnMissedOffer: boolean;
};

export const DEFAULT_OFFER_POLICY: OfferPolicy = { timeoutSeconds: 20, maxOffers: 3, awayOnMissedOffer: true };

/** Problems that make an offer policy unusable; empty when valid. */
export function validateOfferPolicy(policy: OfferPolicy): string[] {
  const problems: string[] = [];
  if (!(Number.isFinite(policy.timeoutSeconds) && policy.timeoutSeconds > 0)) problems.push('timeoutSeconds must be > 0');
  if (!(Number.isInteger(policy.maxOffers) && policy.maxOffers >= 1)) problems.push('maxOffers must be an integer ≥ 1');
  return problems;
}

/** When an offer made at `offeredAt` stops ringing. */
export function getOfferDeadline(offer: { offeredAt: Date }, policy: Pick<OfferPolicy, 'timeoutSeconds'>): Date {
  return new Date(offer.offeredAt.getTime() + policy.timeoutSeconds * 1000);
}

/** True once the offer's deadline is reached: the sweeper applies a `timeout`. */
export function isOfferExpired(offer: { offeredAt: Date }, now: Date, policy: Pick<OfferPolicy, 'timeoutSeconds'>): boolean {
  return now.getTime() >= getOfferDeadline(offer, policy).getTime();
}

export type OfferResponse = 'accept' | 'decline';
export type OfferResponseRefusal = 'no_offer' | 'not_offered_to_agent' | 'offer_expired';

export type OfferResponseResult = { ok: true; action: ContactAction } | { ok: false; reason: OfferResponseRefusal };

/**
 * Checks an agent's answer to the offer ringing on a contact and turns it into the contact action
 * to apply (answer or decline). Refused when nothing rings, the offer is someone else's, or its
 * deadline has passed (the timeout wins; a late accept would race the re-offer).
 */
export function respondToOffer(
  contact: Pick<ContactState, 'status' | 'offer'>,
  agentId: string,
  response: OfferResponse,
  now: Date,
  policy: Pick<OfferPolicy, 'timeoutSeconds'>,
): OfferResponseResult {
  if (contact.status !== 'offered' || contact.offer === null) return { ok: false, reason: 'no_offer' };
  if (contact.offer.agentId !== agentId) return { ok: false, reason: 'not_offered_to_agent' };
  if (isOfferExpired(contact.offer, now, policy)) return { ok: false, reason: 'offer_expired' };
  switch (response) {
    case 'accept':
      return { ok: true, action: { type: 'answer', agentId } };
    case 'decline':
      return { ok: true, action: { type: 'decline', agentId } };
    default:
      return assertNever(response);
  }
}

export type OfferFailure = 'declined' | 'timed_out';

/** What happens to the agent who did not take the offer. */
export type AgentFollowUp = { kind: 'none' } | { kind: 'set_away'; reason: typeof MISSED_OFFER_REASON };

export type ReofferPlan =
  /** Route again without the agents in `excludeAgentIds`. */
  | { kind: 'reoffer'; excludeAgentIds: readonly string[]; offers: number; agent: AgentFollowUp }
  /**
   * Stop automatic offers: the queue supervisor assigns it (an `offer` to a chosen agent), takes
   * it over, or sends it to overflow. The contact stays queued meanwhile.
   */
  | { kind: 'escalate'; reason: 'max_offers_reached'; offers: number; agent: AgentFollowUp };

/**
 * The next step after an offer failed. Call with the contact as it is after the decline/timeout
 * was applied (its offerCount and declinedAgentIds include the failed offer).
 */
export function planReoffer(
  contact: Pick<ContactState, 'offerCount' | 'declinedAgentIds'>,
  failure: OfferFailure,
  policy: OfferPolicy,
): ReofferPlan {
  let agent: AgentFollowUp;
  switch (failure) {
    case 'declined':
      agent = { kind: 'none' };
      break;
    case 'timed_out':
      agent = policy.awayOnMissedOffer ? { kind: 'set_away', reason: MISSED_OFFER_REASON } : { kind: 'none' };
      break;
    default:
      return assertNever(failure);
  }
  if (contact.offerCount >= policy.maxOffers) return { kind: 'escalate', reason: 'max_offers_reached', offers: contact.offerCount, agent };
  return { kind: 'reoffer', excludeAgentIds: contact.declinedAgentIds, offers: contact.offerCount, agent };
}
