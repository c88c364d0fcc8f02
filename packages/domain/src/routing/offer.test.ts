import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceContact, type ContactAction, type ContactState, createContact } from '../contacts/contact.ts';
import {
  DEFAULT_OFFER_POLICY,
  getOfferDeadline,
  isOfferExpired,
  type OfferPolicy,
  planReoffer,
  respondToOffer,
  validateOfferPolicy,
} from './offer.ts';

const T0 = new Date('2026-03-02T02:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const POLICY: OfferPolicy = { timeoutSeconds: 20, maxOffers: 3, awayOnMissedOffer: true };

function apply(c: ContactState, action: ContactAction, s: number): ContactState {
  const r = advanceContact(c, action, at(s));
  if (!r.ok) throw new Error(`${action.type} refused: ${r.reason}`);
  return r.contact;
}

const queued = () => apply(createContact({ channel: 'call', createdAt: T0 }), { type: 'queue', queueId: 'q' }, 0);
const offeredTo = (agentId: string, s = 10) => apply(queued(), { type: 'offer', agentId }, s);

describe('offer deadline', () => {
  it('rings for the policy timeout and expires exactly at the deadline', () => {
    const offer = { offeredAt: at(10) };
    expect(getOfferDeadline(offer, POLICY)).toEqual(at(30));
    expect(isOfferExpired(offer, at(29.999), POLICY)).toBe(false);
    expect(isOfferExpired(offer, at(30), POLICY)).toBe(true);
  });

  it('validates the policy', () => {
    expect(validateOfferPolicy(DEFAULT_OFFER_POLICY)).toEqual([]);
    expect(validateOfferPolicy({ timeoutSeconds: 0, maxOffers: 0.5, awayOnMissedOffer: false })).toHaveLength(2);
  });
});

describe('respondToOffer', () => {
  it('turns an accept into an answer and a decline into a decline, for the offered agent', () => {
    const c = offeredTo('a1');
    expect(respondToOffer(c, 'a1', 'accept', at(15), POLICY)).toEqual({ ok: true, action: { type: 'answer', agentId: 'a1' } });
    expect(respondToOffer(c, 'a1', 'decline', at(15), POLICY)).toEqual({ ok: true, action: { type: 'decline', agentId: 'a1' } });
  });

  it('refuses an agent the contact is not offered to', () => {
    expect(respondToOffer(offeredTo('a1'), 'a2', 'accept', at(15), POLICY)).toEqual({ ok: false, reason: 'not_offered_to_agent' });
  });

  it('refuses when nothing rings', () => {
    expect(respondToOffer(queued(), 'a1', 'accept', at(15), POLICY)).toEqual({ ok: false, reason: 'no_offer' });
  });

  it('refuses a late accept: the timeout wins', () => {
    expect(respondToOffer(offeredTo('a1'), 'a1', 'accept', at(30), POLICY)).toEqual({ ok: false, reason: 'offer_expired' });
  });

  it('produces actions the contact machine accepts', () => {
    const c = offeredTo('a1');
    const r = respondToOffer(c, 'a1', 'accept', at(12), POLICY);
    expect(r.ok && advanceContact(c, r.action, at(12)).ok).toBe(true);
  });
});

describe('planReoffer', () => {
  it('routes a declined contact again without the declining agent, leaving the agent alone', () => {
    const c = apply(offeredTo('a1'), { type: 'decline' }, 12);
    expect(planReoffer(c, 'declined', POLICY)).toEqual({ kind: 'reoffer', excludeAgentIds: ['a1'], offers: 1, agent: { kind: 'none' } });
  });

  it('sets an agent who let the offer ring out to away / missed_offer', () => {
    const c = apply(offeredTo('a1'), { type: 'timeout' }, 30);
    expect(planReoffer(c, 'timed_out', POLICY)).toMatchObject({ kind: 'reoffer', agent: { kind: 'set_away', reason: 'missed_offer' } });
    expect(planReoffer(c, 'timed_out', { ...POLICY, awayOnMissedOffer: false })).toMatchObject({ agent: { kind: 'none' } });
  });

  it('escalates to the queue supervisor after the maximum number of offers', () => {
    let c = queued();
    let s = 0;
    const plans = [];
    for (const agentId of ['a1', 'a2', 'a3']) {
      c = apply(c, { type: 'offer', agentId }, (s += 1));
      c = apply(c, { type: 'timeout' }, (s += 20));
      plans.push(planReoffer(c, 'timed_out', POLICY).kind);
    }
    expect(plans).toEqual(['reoffer', 'reoffer', 'escalate']);
    expect(planReoffer(c, 'timed_out', POLICY)).toMatchObject({ reason: 'max_offers_reached', offers: 3 });
  });

  it('counts offers afresh after a transfer to another queue', () => {
    let c = offeredTo('a1');
    c = apply(c, { type: 'answer' }, 12);
    c = apply(c, { type: 'transfer', to: { kind: 'queue', queueId: 'q2' } }, 60);
    c = apply(c, { type: 'offer', agentId: 'a2' }, 61);
    c = apply(c, { type: 'decline' }, 62);
    expect(planReoffer(c, 'declined', POLICY)).toEqual({ kind: 'reoffer', excludeAgentIds: ['a1', 'a2'], offers: 1, agent: { kind: 'none' } });
  });

  it('escalates exactly when the offers reach the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom('declined', 'timed_out' as const), (offers, max, failure) => {
        const plan = planReoffer({ offerCount: offers, declinedAgentIds: [] }, failure, { ...POLICY, maxOffers: max });
        expect(plan.kind).toBe(offers >= max ? 'escalate' : 'reoffer');
      }),
    );
  });
});
