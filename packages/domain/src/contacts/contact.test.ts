import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advanceContact,
  CONTACT_STATUSES,
  type ContactAction,
  type ContactState,
  createContact,
  getDefaultDirection,
  getHandleSeconds,
  getHandleTime,
  getWaitSeconds,
  isAbandoned,
  isAnsweredWithin,
  isShortAbandon,
  isContactWaiting,
  listContactActions,
} from './contact.ts';

const T0 = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
const at = (s: number) => new Date(T0.getTime() + s * 1000);

// Applies [action, second] steps, failing the test on any refusal.
function play(steps: [ContactAction, number][], contact: ContactState = createContact({ channel: 'call', createdAt: T0 })): ContactState {
  let c = contact;
  for (const [action, s] of steps) {
    const r = advanceContact(c, action, at(s));
    if (!r.ok) throw new Error(`${action.type} at ${s}s refused: ${r.reason}`);
    c = r.contact;
  }
  return c;
}

const queued = (s = 0) => play([[{ type: 'queue', queueId: 'q-power' }, s]]);
const offered = () => play([[{ type: 'offer', agentId: 'a1' }, 10]], queued());
const answered = () => play([[{ type: 'answer' }, 15]], offered());

describe('createContact', () => {
  it('starts in created with the direction the channel implies', () => {
    const chat = createContact({ channel: 'chat', createdAt: T0 });
    expect(chat).toMatchObject({ status: 'created', direction: 'inbound', createdAt: T0, lastChangedAt: T0, queuedAt: null, offerCount: 0 });
    expect(createContact({ channel: 'outbound', createdAt: T0 }).direction).toBe('outbound');
    expect(getDefaultDirection('sms')).toBe('inbound');
  });

  it('lets an agent-sent SMS be outbound but never an outbound call inbound', () => {
    expect(createContact({ channel: 'sms', createdAt: T0, direction: 'outbound' }).direction).toBe('outbound');
    expect(() => createContact({ channel: 'outbound', createdAt: T0, direction: 'inbound' })).toThrow(RangeError);
  });
});

describe('advanceContact: the lifecycle', () => {
  it('records every timestamp and splits handle time into talk, hold and after-contact work', () => {
    const c = play([
      [{ type: 'queue', queueId: 'q-power' }, 0],
      [{ type: 'offer', agentId: 'a1' }, 10],
      [{ type: 'answer', agentId: 'a1' }, 15],
      [{ type: 'hold' }, 75],
      [{ type: 'resume' }, 105],
      [{ type: 'end' }, 195],
      [{ type: 'wrap_up', reasonCode: 'billing.inquiry', outcome: 'resolved' }, 225],
    ]);
    expect(c).toMatchObject({
      status: 'closed',
      agentId: 'a1',
      queueId: 'q-power',
      queuedAt: at(0),
      offeredAt: at(10),
      answeredAt: at(15),
      endedAt: at(195),
      wrappedUpAt: at(225),
      endReason: 'completed',
      reasonCode: 'billing.inquiry',
      outcome: 'resolved',
    });
    expect(getWaitSeconds(c)).toBe(15);
    expect(getHandleTime(c)).toEqual({ talkSeconds: 150, holdSeconds: 30, afterContactWorkSeconds: 30, handleSeconds: 210 });
    expect(getHandleSeconds(c)).toBe(210);
  });

  it('emits one timeline event per action with from and to statuses', () => {
    const r = advanceContact(offered(), { type: 'answer' }, at(15));
    expect(r).toEqual({
      ok: true,
      contact: expect.objectContaining({ status: 'active' }),
      event: { type: 'answered', from: 'offered', to: 'active', at: at(15), details: { agentId: 'a1', waitedMs: 15_000, direct: false } },
    });
  });

  it('returns a declined offer to the queue and remembers who declined', () => {
    const c = play([[{ type: 'decline', agentId: 'a1' }, 12]], offered());
    expect(c).toMatchObject({ status: 'queued', offer: null, declinedAgentIds: ['a1'], offerCount: 1, offeredAt: at(10) });
    const again = play([[{ type: 'offer', agentId: 'a2' }, 13], [{ type: 'timeout' }, 33]], c);
    expect(again).toMatchObject({ status: 'queued', declinedAgentIds: ['a1', 'a2'], offerCount: 2, offeredAt: at(10) });
  });

  it('names a rung-out offer offer_timed_out on the timeline', () => {
    const r = advanceContact(offered(), { type: 'timeout' }, at(30));
    expect(r.ok && r.event).toMatchObject({ type: 'offer_timed_out', details: { agentId: 'a1' } });
  });

  it('lists a declining agent once even if offered again by a supervisor', () => {
    const c = play(
      [
        [{ type: 'decline' }, 12],
        [{ type: 'offer', agentId: 'a1' }, 20],
        [{ type: 'decline' }, 22],
      ],
      offered(),
    );
    expect(c.declinedAgentIds).toEqual(['a1']);
  });

  it('transfers to a queue: waits again, keeps the first answer, counts talk so far, keeps the transferring agent out', () => {
    const c = play([[{ type: 'transfer', to: { kind: 'queue', queueId: 'q-complaint' } }, 75]], answered());
    expect(c).toMatchObject({
      status: 'queued',
      queueId: 'q-complaint',
      waitingSince: at(75),
      answeredAt: at(15),
      talkMs: 60_000,
      segmentStartedAt: null,
      declinedAgentIds: ['a1'],
      offerCount: 0,
      transferCount: 1,
    });
    const second = play(
      [
        [{ type: 'offer', agentId: 'a2' }, 80],
        [{ type: 'answer' }, 85],
        [{ type: 'end' }, 145],
      ],
      c,
    );
    expect(second).toMatchObject({ agentId: 'a2', answeredAt: at(15), talkMs: 120_000 });
    expect(getWaitSeconds(second)).toBe(15); // the first answer
  });

  it('transfers to an agent as an offer that the agent may decline', () => {
    const c = play([[{ type: 'hold' }, 30], [{ type: 'transfer', to: { kind: 'agent', agentId: 'a7' } }, 40]], answered());
    expect(c).toMatchObject({ status: 'offered', offer: { agentId: 'a7', offeredAt: at(40) }, offerCount: 1, holdMs: 10_000, talkMs: 15_000 });
    const declined = play([[{ type: 'decline', agentId: 'a7' }, 45]], c);
    expect(declined).toMatchObject({ status: 'queued', queueId: 'q-power', declinedAgentIds: ['a1', 'a7'] });
  });

  it('answers directly without a queue for outbound dials and counter service', () => {
    const out = createContact({ channel: 'outbound', createdAt: T0 });
    const c = play([[{ type: 'answer', agentId: 'a3' }, 8]], out);
    expect(c).toMatchObject({ status: 'active', agentId: 'a3', answeredAt: at(8), queuedAt: null });
    expect(getWaitSeconds(c)).toBeNull();
    expect(isAnsweredWithin(c, 20)).toBe(false); // never queued: not in service level
  });

  it('closes a contact that ends before reaching a queue as not routed, with no wrap-up', () => {
    const c = play([[{ type: 'end' }, 40]]);
    expect(c).toMatchObject({ status: 'closed', endReason: 'not_routed', endedAt: at(40) });
    expect(getHandleSeconds(c)).toBe(0);
  });

  it('closes an abandon and an overflow without wrap-up', () => {
    expect(play([[{ type: 'abandon' }, 12]], offered())).toMatchObject({ status: 'closed', offer: null, waitingSince: null, endReason: 'abandoned', endedAt: at(12) });
    expect(play([[{ type: 'overflow', action: 'callback' }, 300]], queued())).toMatchObject({
      status: 'closed',
      endReason: 'overflowed',
      overflowAction: 'callback',
    });
  });
});

describe('advanceContact: refusals', () => {
  it('refuses a wrap-up without a reason code', () => {
    const ended = play([[{ type: 'end' }, 60]], answered());
    expect(advanceContact(ended, { type: 'wrap_up', reasonCode: '  ' }, at(70))).toEqual({ ok: false, reason: 'missing_reason' });
  });

  it('refuses an answer or decline by an agent the contact is not offered to', () => {
    expect(advanceContact(offered(), { type: 'answer', agentId: 'a2' }, at(12))).toEqual({ ok: false, reason: 'not_offered_to_agent' });
    expect(advanceContact(offered(), { type: 'decline', agentId: 'a2' }, at(12))).toEqual({ ok: false, reason: 'not_offered_to_agent' });
  });

  it('refuses missing queue and agent ids', () => {
    const fresh = createContact({ channel: 'chat', createdAt: T0 });
    expect(advanceContact(fresh, { type: 'queue', queueId: '' }, at(1))).toEqual({ ok: false, reason: 'missing_queue' });
    expect(advanceContact(fresh, { type: 'answer' }, at(1))).toEqual({ ok: false, reason: 'missing_agent' });
    expect(advanceContact(queued(), { type: 'offer', agentId: ' ' }, at(1))).toEqual({ ok: false, reason: 'missing_agent' });
    expect(advanceContact(answered(), { type: 'transfer', to: { kind: 'agent', agentId: '' } }, at(20))).toEqual({ ok: false, reason: 'missing_agent' });
    expect(advanceContact(answered(), { type: 'transfer', to: { kind: 'queue', queueId: '' } }, at(20))).toEqual({ ok: false, reason: 'missing_queue' });
  });

  it('refuses to transfer a contact to the agent already holding it', () => {
    expect(advanceContact(answered(), { type: 'transfer', to: { kind: 'agent', agentId: 'a1' } }, at(20))).toEqual({ ok: false, reason: 'same_agent' });
  });

  it('refuses actions the status does not allow', () => {
    expect(advanceContact(queued(), { type: 'hold' }, at(5))).toEqual({ ok: false, reason: 'not_allowed_in_status' });
    expect(advanceContact(queued(), { type: 'end' }, at(5))).toEqual({ ok: false, reason: 'not_allowed_in_status' }); // use abandon
    expect(advanceContact(answered(), { type: 'abandon' }, at(20))).toEqual({ ok: false, reason: 'not_allowed_in_status' });
    expect(advanceContact(answered(), { type: 'wrap_up', reasonCode: 'x' }, at(20))).toEqual({ ok: false, reason: 'not_allowed_in_status' });
  });

  it('refuses an action dated before the last change', () => {
    expect(advanceContact(offered(), { type: 'answer' }, at(9))).toEqual({ ok: false, reason: 'before_last_change' });
  });

  it('refuses everything once closed', () => {
    const closed = play([[{ type: 'abandon' }, 20]], queued());
    for (const type of ['queue', 'offer', 'answer', 'end', 'wrap_up'] as const) {
      const action = { type, queueId: 'q', agentId: 'a', reasonCode: 'r' } as ContactAction;
      expect(advanceContact(closed, action, at(30))).toEqual({ ok: false, reason: 'terminal' });
    }
  });

  it('lists the actions each status permits', () => {
    expect(listContactActions('offered')).toEqual(['answer', 'decline', 'timeout', 'abandon', 'overflow']);
    expect(listContactActions('closed')).toEqual([]);
  });
});

describe('derived measures', () => {
  it('counts a live wait up to now and is unknown without now', () => {
    expect(getWaitSeconds(queued(), at(42))).toBe(42);
    expect(getWaitSeconds(queued())).toBeNull();
    expect(getWaitSeconds(createContact({ channel: 'chat', createdAt: T0 }), at(5))).toBeNull();
    expect(isContactWaiting(queued())).toBe(true);
    expect(isContactWaiting(answered())).toBe(false);
  });

  it('counts the running talk, hold and wrap-up up to now', () => {
    expect(getHandleTime(answered(), at(45))).toMatchObject({ talkSeconds: 30, handleSeconds: 30 });
    expect(getHandleTime(answered())).toMatchObject({ talkSeconds: 0 });
    const held = play([[{ type: 'hold' }, 25]], answered());
    expect(getHandleTime(held, at(40))).toMatchObject({ talkSeconds: 10, holdSeconds: 15 });
    const ended = play([[{ type: 'end' }, 75]], answered());
    expect(getHandleTime(ended, at(95))).toEqual({ talkSeconds: 60, holdSeconds: 0, afterContactWorkSeconds: 20, handleSeconds: 80 });
    expect(getHandleSeconds(ended)).toBe(60);
  });

  it('treats abandons within 5 s as short and leaves them out of abandons', () => {
    const after5 = play([[{ type: 'abandon' }, 5]], queued());
    const after6 = play([[{ type: 'abandon' }, 6]], queued());
    expect([isShortAbandon(after5), isAbandoned(after5)]).toEqual([true, false]);
    expect([isShortAbandon(after6), isAbandoned(after6)]).toEqual([false, true]);
    expect(isAbandoned(after5, 0)).toBe(true); // threshold configurable
    expect(isAbandoned(after6, 10)).toBe(false);
  });

  it('does not count as abandoned an answered contact that left after a transfer, or an overflow', () => {
    const transferred = play([[{ type: 'transfer', to: { kind: 'queue', queueId: 'q2' } }, 60], [{ type: 'abandon' }, 200]], answered());
    expect(isAbandoned(transferred)).toBe(false);
    expect(isShortAbandon(transferred)).toBe(false);
    const overflowed = play([[{ type: 'overflow', action: 'leave_message' }, 300]], queued());
    expect(isAbandoned(overflowed)).toBe(false);
  });

  it('answers within the threshold inclusively', () => {
    const c = answered(); // 15 s
    expect(isAnsweredWithin(c, 15)).toBe(true);
    expect(isAnsweredWithin(c, 14.9)).toBe(false);
    expect(isAnsweredWithin(queued(), 60)).toBe(false);
  });
});

// Random lifecycles: each step mostly picks one of the actions the current status permits (with
// random agents, queues and sometimes a blank payload), sometimes any action at all.
type Step = { guided: boolean; choice: number; agent: string; queue: string; blank: boolean; gap: number; noise: ContactAction };

const arbNoise: fc.Arbitrary<ContactAction> = fc.oneof(
  fc.constantFrom<ContactAction>(
    { type: 'timeout' },
    { type: 'hold' },
    { type: 'resume' },
    { type: 'end' },
    { type: 'abandon' },
    { type: 'overflow', action: 'callback' },
    { type: 'answer' },
    { type: 'decline' },
  ),
  fc.constantFrom('a1', 'a2', 'a3').map((agentId): ContactAction => ({ type: 'offer', agentId })),
  fc.constantFrom('q1', '').map((queueId): ContactAction => ({ type: 'queue', queueId })),
  fc.constantFrom('power.outage', '').map((reasonCode): ContactAction => ({ type: 'wrap_up', reasonCode })),
);
const arbStep: fc.Arbitrary<Step> = fc.record({
  guided: fc.integer({ min: 0, max: 3 }).map((n) => n > 0), // 3 in 4 guided
  choice: fc.nat(),
  agent: fc.constantFrom('a1', 'a2', 'a3'),
  queue: fc.constantFrom('q1', 'q2'),
  blank: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  gap: fc.integer({ min: 0, max: 120 }),
  noise: arbNoise,
});
const arbSteps = fc.array(arbStep, { minLength: 1, maxLength: 40 });

function pickAction(c: ContactState, step: Step): ContactAction {
  const allowed = listContactActions(c.status);
  if (!step.guided || allowed.length === 0) return step.noise;
  const type = allowed[step.choice % allowed.length];
  const agentId = step.blank ? '' : step.agent;
  const queueId = step.blank ? '' : step.queue;
  switch (type) {
    case 'queue':
      return { type, queueId };
    case 'offer':
      return { type, agentId };
    case 'decline':
    case 'answer':
      return c.status === 'created' ? { type, agentId } : { type, agentId: step.blank ? step.agent : c.offer?.agentId };
    case 'transfer':
      return { type, to: step.choice % 2 === 0 ? { kind: 'agent', agentId } : { kind: 'queue', queueId } };
    case 'overflow':
      return { type, action: step.choice % 2 === 0 ? 'callback' : 'leave_message' };
    case 'wrap_up':
      return { type, reasonCode: step.blank ? ' ' : 'power.outage' };
    case 'timeout':
    case 'hold':
    case 'resume':
    case 'end':
    case 'abandon':
      return { type };
    default:
      throw new Error(type satisfies never);
  }
}

describe('advanceContact: properties', () => {
  it('keeps timestamps ordered, the offer present exactly while offered, and measures non-negative', () => {
    fc.assert(
      fc.property(fc.constantFrom('call', 'chat', 'outbound' as const), arbSteps, (channel, steps) => {
        let c = createContact({ channel, createdAt: T0 });
        let clock = 0;
        for (const step of steps) {
          clock += step.gap;
          const r = advanceContact(c, pickAction(c, step), at(clock));
          if (!r.ok) continue;
          expect(r.event.from).toBe(c.status);
          expect(r.event.to).toBe(r.contact.status);
          c = r.contact;
          expect(c.offer !== null).toBe(c.status === 'offered');
          expect(c.segmentStartedAt !== null).toBe(c.status === 'active' || c.status === 'on_hold');
          expect(c.waitingSince !== null).toBe(isContactWaiting(c));
          const order = [c.createdAt, c.queuedAt, c.offeredAt, c.endedAt, c.wrappedUpAt].filter((d): d is Date => d !== null);
          for (let i = 1; i < order.length; i++) expect(order[i].getTime()).toBeGreaterThanOrEqual(order[i - 1].getTime());
          if (c.answeredAt !== null) {
            const sinceAnswer = (at(clock).getTime() - c.answeredAt.getTime()) / 1000;
            expect(getHandleTime(c, at(clock)).talkSeconds + getHandleTime(c, at(clock)).holdSeconds).toBeLessThanOrEqual(sinceAnswer);
          }
          expect(getWaitSeconds(c, at(clock)) ?? 0).toBeGreaterThanOrEqual(0);
          expect(getHandleSeconds(c, at(clock))).toBeGreaterThanOrEqual(0);
          expect(new Set(c.declinedAgentIds).size).toBe(c.declinedAgentIds.length);
        }
      }),
    );
  });

  it('never mutates the contact it is given', () => {
    fc.assert(
      fc.property(arbSteps, arbStep, (steps, last) => {
        let c = createContact({ channel: 'chat', createdAt: T0 });
        for (const step of steps) {
          const r = advanceContact(c, pickAction(c, step), at(1000));
          if (r.ok) c = r.contact;
        }
        const copy = structuredClone(c);
        advanceContact(c, pickAction(c, last), at(2000));
        expect(c).toEqual(copy);
      }),
    );
  });

  it('refuses every action on a closed contact as terminal and accepts only listed actions elsewhere', () => {
    fc.assert(
      fc.property(arbSteps, arbNoise, (steps, action) => {
        let c = createContact({ channel: 'call', createdAt: T0 });
        for (const step of steps) {
          const r = advanceContact(c, pickAction(c, step), at(10));
          if (r.ok) c = r.contact;
        }
        const r = advanceContact(c, action, at(20));
        if (c.status === 'closed') expect(r).toEqual({ ok: false, reason: 'terminal' });
        if (r.ok) expect(listContactActions(c.status)).toContain(action.type);
        expect(CONTACT_STATUSES).toContain(c.status);
      }),
    );
  });
});
