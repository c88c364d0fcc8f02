import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTACT_CHANNELS, type ContactChannel } from '../contacts/contact.ts';
import {
  type AgentPresence,
  type CapacityProfile,
  changePresence,
  createAgentPresence,
  DEFAULT_CAPACITY_PROFILE,
  getFreeCapacity,
  getIdleSince,
  getLoadFraction,
  getTimeInStateSeconds,
  getTotalLoad,
  isAfterCallWorkOverdue,
  recordOffer,
  releaseContact,
  validateCapacityProfile,
} from './presence.ts';

const T0 = new Date('2026-03-02T02:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const online = (load: AgentPresence['load'] = {}, capacity: CapacityProfile = DEFAULT_CAPACITY_PROFILE): AgentPresence => ({
  ...createAgentPresence('a1', T0, capacity),
  state: 'online',
  load,
});

describe('getFreeCapacity', () => {
  it('gives an idle online agent one call or three chats', () => {
    expect(getFreeCapacity(online(), 'call')).toBe(1);
    expect(getFreeCapacity(online(), 'chat')).toBe(3);
    expect(getFreeCapacity(online(), 'email')).toBe(5);
  });

  it('shares capacity across channels: a chat blocks a call, a call blocks chats', () => {
    expect(getFreeCapacity(online({ chat: 1 }), 'call')).toBe(0);
    expect(getFreeCapacity(online({ chat: 1 }), 'chat')).toBe(2);
    expect(getFreeCapacity(online({ chat: 2 }), 'wechat')).toBe(1);
    expect(getFreeCapacity(online({ call: 1 }), 'chat')).toBe(0);
    expect(getFreeCapacity(online({ chat: 3 }), 'chat')).toBe(0);
  });

  it('mixes channels by their share: two chats leave two of six emails', () => {
    const profile: CapacityProfile = { limits: { chat: 3, email: 6 }, blending: 'shared' };
    expect(getFreeCapacity(online({ chat: 2 }, profile), 'email')).toBe(2);
    expect(getFreeCapacity(online({ chat: 1, email: 2 }, profile), 'chat')).toBe(1);
  });

  it('counts channels on their own with per-channel blending', () => {
    const profile: CapacityProfile = { limits: { call: 1, email: 3 }, blending: 'per_channel' };
    expect(getFreeCapacity(online({ call: 1, email: 1 }, profile), 'email')).toBe(2);
    expect(getFreeCapacity(online({ call: 1 }, profile), 'call')).toBe(0);
  });

  it('offers nothing to agents who are not online, nor on channels without a limit', () => {
    for (const state of ['busy', 'away', 'offline'] as const) expect(getFreeCapacity({ ...online(), state }, 'chat')).toBe(0);
    const callsOnly: CapacityProfile = { limits: { call: 1, chat: 0 }, blending: 'shared' };
    expect(getFreeCapacity(online({}, callsOnly), 'chat')).toBe(0);
    expect(getFreeCapacity(online({}, callsOnly), 'sms')).toBe(0);
  });

  it('treats a contact on a channel without a limit as filling the agent', () => {
    const callsOnly: CapacityProfile = { limits: { call: 1 }, blending: 'shared' };
    expect(getLoadFraction(online({ chat: 1 }, callsOnly))).toBe(1);
    expect(getFreeCapacity(online({ chat: 1 }, callsOnly), 'call')).toBe(0);
  });

  it('reports load as a share of capacity', () => {
    expect(getLoadFraction(online())).toBe(0);
    expect(getLoadFraction(online({ chat: 3 }))).toBeCloseTo(1);
    expect(getLoadFraction(online({ call: 1 }, { limits: { call: 1, email: 4 }, blending: 'per_channel' }))).toBe(1);
    expect(getTotalLoad(online({ chat: 2, email: 1 }))).toBe(3);
  });

  it('validates limits', () => {
    expect(validateCapacityProfile(DEFAULT_CAPACITY_PROFILE)).toEqual([]);
    expect(validateCapacityProfile({ limits: { chat: 1.5, call: -1 }, blending: 'shared' })).toHaveLength(2);
  });
});

describe('changePresence', () => {
  it('logs the state that ended with its duration', () => {
    const agent = createAgentPresence('a1', T0);
    const r = changePresence(agent, { state: 'online' }, at(90));
    expect(r).toEqual({
      ok: true,
      agent: { ...agent, state: 'online', reason: null, since: at(90) },
      record: { agentId: 'a1', state: 'offline', reason: null, from: T0, to: at(90), seconds: 90 },
    });
  });

  it('requires a known reason code for busy and away', () => {
    expect(changePresence(online(), { state: 'away' }, at(1))).toEqual({ ok: false, reason: 'missing_reason' });
    expect(changePresence(online(), { state: 'busy', reason: ' ' }, at(1))).toEqual({ ok: false, reason: 'missing_reason' });
    expect(changePresence(online(), { state: 'away', reason: 'nap' }, at(1))).toEqual({ ok: false, reason: 'unknown_reason' });
    const custom = { reasons: { busy: [], away: ['nap'] } };
    expect(changePresence(online(), { state: 'away', reason: 'nap' }, at(1), custom).ok).toBe(true);
    expect(changePresence(online(), { state: 'away', reason: 'meal' }, at(1))).toMatchObject({ ok: true, agent: { state: 'away', reason: 'meal' } });
  });

  it('drops the reason when going online and keeps an optional one when logging out', () => {
    const away = { ...online(), state: 'away' as const, reason: 'break' };
    expect(changePresence(away, { state: 'online', reason: 'ignored' }, at(1))).toMatchObject({ ok: true, agent: { reason: null } });
    expect(changePresence(online(), { state: 'offline', reason: 'end_of_shift' }, at(1))).toMatchObject({ ok: true, agent: { reason: 'end_of_shift' } });
  });

  it('closes a record when only the reason changes, and refuses a change to the same state and reason', () => {
    const onBreak = { ...online(), state: 'away' as const, reason: 'break' };
    expect(changePresence(onBreak, { state: 'away', reason: 'meal' }, at(300))).toMatchObject({ ok: true, record: { reason: 'break', seconds: 300 } });
    expect(changePresence(onBreak, { state: 'away', reason: 'break' }, at(300))).toEqual({ ok: false, reason: 'unchanged' });
    expect(changePresence(online(), { state: 'online' }, at(5))).toEqual({ ok: false, reason: 'unchanged' });
  });

  it('refuses to log out an agent still holding contacts, but lets them go away', () => {
    expect(changePresence(online({ chat: 1 }), { state: 'offline' }, at(1))).toEqual({ ok: false, reason: 'contacts_in_progress' });
    expect(changePresence(online({ chat: 1 }), { state: 'away', reason: 'break' }, at(1)).ok).toBe(true);
  });

  it('refuses a change dated before the current state began', () => {
    expect(changePresence(online(), { state: 'offline' }, at(-1))).toEqual({ ok: false, reason: 'before_last_change' });
  });
});

describe('idle time, offers and after-call work', () => {
  it('is idle since the latest of state change, last offer and last contact end', () => {
    const agent = { ...online(), since: at(0), lastOfferedAt: at(50), lastContactEndedAt: at(30) };
    expect(getIdleSince(agent)).toEqual(at(50));
    expect(getIdleSince({ ...agent, since: at(80) })).toEqual(at(80));
    expect(getIdleSince({ ...agent, lastOfferedAt: null })).toEqual(at(30));
    expect(getTimeInStateSeconds(agent, at(12))).toBe(12);
  });

  it('adds an offer to load and releases it on decline or end', () => {
    const offered = recordOffer(online(), 'chat', at(10));
    expect(offered).toMatchObject({ load: { chat: 1 }, lastOfferedAt: at(10) });
    expect(releaseContact(offered, 'chat', at(12), 'declined')).toMatchObject({ load: { chat: 0 }, lastContactEndedAt: null });
    expect(releaseContact(offered, 'chat', at(99), 'ended')).toMatchObject({ load: { chat: 0 }, lastContactEndedAt: at(99) });
    expect(releaseContact(online(), 'call', at(1), 'ended').load.call).toBe(0); // never negative
  });

  it('flags after-call work that lasted too long', () => {
    const acw = { ...online(), state: 'away' as const, reason: 'after_call_work', since: T0 };
    expect(isAfterCallWorkOverdue(acw, at(59), 60)).toBe(false);
    expect(isAfterCallWorkOverdue(acw, at(60), 60)).toBe(true);
    expect(isAfterCallWorkOverdue({ ...acw, reason: 'break' }, at(600), 60)).toBe(false);
  });
});

const arbLimits = fc.record(
  Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined })])) as Record<
    ContactChannel,
    fc.Arbitrary<number | undefined>
  >,
);
const arbAgent = fc
  .tuple(arbLimits, fc.constantFrom('shared', 'per_channel' as const), fc.array(fc.constantFrom(...CONTACT_CHANNELS), { maxLength: 6 }))
  .map(([limits, blending, offers]) => {
    let agent = online({}, { limits, blending });
    // Only offers the capacity allowed, as routing would.
    for (const ch of offers) if (getFreeCapacity(agent, ch) >= 1) agent = recordOffer(agent, ch, T0);
    return agent;
  });

describe('capacity: properties', () => {
  it('is a whole number ≥ 0 and never more than the channel limit minus its load', () => {
    fc.assert(
      fc.property(arbAgent, fc.constantFrom(...CONTACT_CHANNELS), (agent, ch) => {
        const free = getFreeCapacity(agent, ch);
        expect(Number.isInteger(free) && free >= 0).toBe(true);
        expect(free).toBeLessThanOrEqual(Math.max(0, (agent.capacity.limits[ch] ?? 0) - (agent.load[ch] ?? 0)));
      }),
    );
  });

  it('never lets offers taken within free capacity exceed the whole capacity', () => {
    fc.assert(
      fc.property(arbAgent, fc.constantFrom(...CONTACT_CHANNELS), (agent, ch) => {
        const free = getFreeCapacity(agent, ch);
        let next = agent;
        for (let i = 0; i < free; i++) next = recordOffer(next, ch, T0);
        expect(getLoadFraction(next)).toBeLessThanOrEqual(1 + 1e-9);
        expect(getFreeCapacity(next, ch)).toBe(0);
      }),
    );
  });
});
