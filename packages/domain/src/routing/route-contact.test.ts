import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar, WorkingHours } from '../calendar/business-calendar.ts';
import type { ContactChannel } from '../contacts/contact.ts';
import { DEFAULT_CAPACITY_PROFILE, getFreeCapacity, getIdleSince, getLoadFraction } from './presence.ts';
import {
  CONTACT_PRIORITIES,
  canOfferContact,
  chooseAgent,
  getContactPriority,
  isAgentQualified,
  prioritiseQueue,
  type RoutableContact,
  type RoutingCandidate,
  type RoutingOptions,
  routeQueue,
} from './route-contact.ts';

const DAY: WorkingHours[] = [{ start: '08:00', end: '20:00' }];
const HOTLINE: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { 0: [], 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: DAY, 6: [] },
  holidays: [],
  workdays: [],
};
const T0 = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

const OPTIONS: RoutingOptions = {
  calendar: HOTLINE,
  maxWaitSeconds: 300,
  accountManagerWaitSeconds: 30,
  afterHoursAction: 'leave_message',
  overflowAction: 'callback',
  callbackWithinMinutes: 120,
};

const agent = (agentId: string, idleSinceSeconds: number, patch: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  agentId,
  state: 'online',
  reason: null,
  since: at(idleSinceSeconds),
  capacity: DEFAULT_CAPACITY_PROFILE,
  load: {},
  lastOfferedAt: null,
  lastContactEndedAt: null,
  skills: ['electricity', 'billing'],
  ...patch,
});

const contact = (patch: Partial<RoutableContact> = {}): RoutableContact => ({
  channel: 'call',
  waitingSince: at(-10),
  requiredSkills: ['electricity'],
  priority: 'normal',
  declinedAgentIds: [],
  ...patch,
});

describe('getContactPriority', () => {
  it('puts vulnerable customers first, then key accounts', () => {
    expect(getContactPriority(['key_account', 'vulnerable'])).toBe('vulnerable');
    expect(getContactPriority(['key_account', 'high_risk'])).toBe('key_account');
    expect(getContactPriority(['high_risk'])).toBe('normal');
    expect(getContactPriority([])).toBe('normal');
  });
});

describe('chooseAgent: longest idle qualified agent', () => {
  it('offers the agent idle the longest', () => {
    const agents = [agent('a1', -60), agent('a2', -600), agent('a3', -120)];
    expect(chooseAgent(contact(), agents, T0, OPTIONS)).toEqual({ kind: 'offer', agentId: 'a2', reason: 'longest_idle' });
  });

  it('counts idle time from the last contact end or offer, not only the state change', () => {
    const agents = [agent('a1', -3600, { lastContactEndedAt: at(-30) }), agent('a2', -600), agent('a3', -3600, { lastOfferedAt: at(-5) })];
    expect(chooseAgent(contact(), agents, T0, OPTIONS)).toMatchObject({ agentId: 'a2' });
  });

  it('routes a Kham speaker only to a Kham seat even when an Amdo seat is idle longer', () => {
    const agents = [agent('amdo', -900, { skills: ['electricity', 'tibetan-amdo'] }), agent('kham', -60, { skills: ['electricity', 'tibetan-kham'] })];
    expect(chooseAgent(contact({ requiredSkills: ['electricity', 'tibetan-kham'] }), agents, T0, OPTIONS)).toMatchObject({ kind: 'offer', agentId: 'kham' });
  });

  it('skips agents who are on a call, not online, or declined this contact', () => {
    const agents = [
      agent('on-call', -900, { load: { call: 1 } }),
      agent('chatting', -800, { load: { chat: 1 } }),
      agent('away', -700, { state: 'away', reason: 'break' }),
      agent('declined', -600),
      agent('free', -10),
    ];
    expect(chooseAgent(contact({ declinedAgentIds: ['declined'] }), agents, T0, OPTIONS)).toMatchObject({ agentId: 'free' });
  });

  it('gives a chat to an agent with one chat open when nobody is free', () => {
    const agents = [agent('a1', -100, { load: { chat: 1 }, lastOfferedAt: at(-50) })];
    expect(chooseAgent(contact({ channel: 'chat' }), agents, T0, OPTIONS)).toMatchObject({ kind: 'offer', agentId: 'a1' });
  });

  it('breaks ties by agent id', () => {
    expect(chooseAgent(contact(), [agent('b', -60), agent('a', -60)], T0, OPTIONS)).toMatchObject({ agentId: 'a' });
  });

  it('queues when qualified agents are logged in but none is free', () => {
    const agents = [agent('a1', -60, { load: { call: 1 } }), agent('a2', -60, { state: 'away', reason: 'meal' })];
    expect(chooseAgent(contact(), agents, T0, OPTIONS)).toEqual({ kind: 'queue', reason: 'no_free_agent' });
  });

  it('checks qualification and capacity together', () => {
    const a = agent('a1', -60);
    expect(isAgentQualified(a, contact({ requiredSkills: ['vip'] }))).toBe(false);
    expect(isAgentQualified(a, contact({ declinedAgentIds: ['a1'] }))).toBe(false);
    expect(canOfferContact(a, contact())).toBe(true);
    expect(canOfferContact({ ...a, state: 'busy', reason: 'outbound' }, contact())).toBe(false);
  });
});

describe('chooseAgent: account manager and requested agent', () => {
  const manager = (patch: Partial<RoutingCandidate> = {}) => agent('mgr', -5, { skills: ['electricity'], ...patch });
  const others = [agent('a1', -900), agent('a2', -600)];

  it('offers the account manager first when online and free', () => {
    expect(chooseAgent(contact({ accountManagerId: 'mgr' }), [...others, manager()], T0, OPTIONS)).toEqual({
      kind: 'offer',
      agentId: 'mgr',
      reason: 'account_manager',
    });
  });

  it('holds the contact for a busy account manager until the timeout, then falls back to the longest idle', () => {
    const busyManager = manager({ load: { call: 1 } });
    const c = contact({ accountManagerId: 'mgr', waitingSince: at(-29) });
    expect(chooseAgent(c, [...others, busyManager], T0, OPTIONS)).toEqual({ kind: 'queue', reason: 'waiting_for_account_manager' });
    expect(chooseAgent(c, [...others, busyManager], at(1), OPTIONS)).toEqual({ kind: 'offer', agentId: 'a1', reason: 'longest_idle' });
  });

  it('holds for an account manager in after-call work, not for one on a break or logged out', () => {
    const c = contact({ accountManagerId: 'mgr' });
    expect(chooseAgent(c, [...others, manager({ state: 'away', reason: 'after_call_work' })], T0, OPTIONS)).toMatchObject({ kind: 'queue' });
    expect(chooseAgent(c, [...others, manager({ state: 'away', reason: 'meal' })], T0, OPTIONS)).toMatchObject({ agentId: 'a1' });
    expect(chooseAgent(c, [...others, manager({ state: 'offline' })], T0, OPTIONS)).toMatchObject({ agentId: 'a1' });
    expect(chooseAgent(c, others, T0, OPTIONS)).toMatchObject({ agentId: 'a1' }); // not among candidates
  });

  it('skips an account manager who declined or lacks a required skill', () => {
    expect(chooseAgent(contact({ accountManagerId: 'mgr', declinedAgentIds: ['mgr'] }), [...others, manager()], T0, OPTIONS)).toMatchObject({ agentId: 'a1' });
    expect(chooseAgent(contact({ accountManagerId: 'mgr', requiredSkills: ['billing'] }), [...others, manager()], T0, OPTIONS)).toMatchObject({
      agentId: 'a1',
    });
  });

  it('never holds past the queue maximum wait, whatever the account manager timeout', () => {
    const c = contact({ accountManagerId: 'mgr', waitingSince: at(-300) });
    const options = { ...OPTIONS, accountManagerWaitSeconds: 10_000 };
    expect(chooseAgent(c, [...others, manager({ load: { call: 1 } })], T0, options)).toMatchObject({ kind: 'offer', agentId: 'a1' });
  });

  it('offers a requested agent when online and free, without waiting by default', () => {
    const wanted = agent('w', -1);
    expect(chooseAgent(contact({ requestedAgentId: 'w' }), [...others, wanted], T0, OPTIONS)).toEqual({ kind: 'offer', agentId: 'w', reason: 'requested_agent' });
    const busy = { ...wanted, load: { call: 1 } };
    expect(chooseAgent(contact({ requestedAgentId: 'w' }), [...others, busy], T0, OPTIONS)).toMatchObject({ agentId: 'a1' });
    expect(chooseAgent(contact({ requestedAgentId: 'w' }), [...others, busy], T0, { ...OPTIONS, requestedAgentWaitSeconds: 60 })).toEqual({
      kind: 'queue',
      reason: 'waiting_for_requested_agent',
    });
  });

  it('prefers the account manager to a requested agent', () => {
    const c = contact({ accountManagerId: 'mgr', requestedAgentId: 'w' });
    expect(chooseAgent(c, [agent('w', -900), manager()], T0, OPTIONS)).toMatchObject({ agentId: 'mgr', reason: 'account_manager' });
    expect(chooseAgent(c, [agent('w', -1), manager({ state: 'offline' }), agent('a1', -900)], T0, OPTIONS)).toMatchObject({
      agentId: 'w',
      reason: 'requested_agent',
    });
  });
});

describe('chooseAgent: business hours and overflow', () => {
  it('sends contacts outside business hours to leave a message, due two working hours after opening', () => {
    const evening = cst('2026-03-02 21:00');
    expect(chooseAgent(contact({ waitingSince: evening }), [agent('a1', -60)], evening, OPTIONS)).toEqual({
      kind: 'overflow',
      action: 'leave_message',
      reason: 'outside_business_hours',
      callbackDueAt: cst('2026-03-03 10:00'),
    });
    const saturday = cst('2026-03-07 11:00');
    expect(chooseAgent(contact({ waitingSince: saturday }), [], saturday, OPTIONS)).toMatchObject({ callbackDueAt: cst('2026-03-09 10:00') });
  });

  it('overflows to a callback once the wait reaches the maximum with nobody free', () => {
    const c = contact({ waitingSince: at(-300) });
    expect(chooseAgent(c, [agent('a1', -60, { load: { call: 1 } })], T0, OPTIONS)).toEqual({
      kind: 'overflow',
      action: 'callback',
      reason: 'max_wait_exceeded',
      callbackDueAt: cst('2026-03-02 12:00'),
    });
    expect(chooseAgent(contact({ waitingSince: at(-299) }), [agent('a1', -60, { load: { call: 1 } })], T0, OPTIONS)).toMatchObject({ kind: 'queue' });
  });

  it('computes the callback deadline across closing time on the calendar', () => {
    const late = cst('2026-03-02 19:00');
    const c = contact({ waitingSince: new Date(late.getTime() - 400_000) });
    expect(chooseAgent(c, [], late, OPTIONS)).toMatchObject({ callbackDueAt: cst('2026-03-03 09:00') });
  });

  it('still offers a free agent to a contact past the maximum wait', () => {
    expect(chooseAgent(contact({ waitingSince: at(-900) }), [agent('a1', -60)], T0, OPTIONS)).toMatchObject({ kind: 'offer', agentId: 'a1' });
  });

  it('overflows at once when no agent with the skills is logged in, unless told to wait', () => {
    const c = contact({ requiredSkills: ['tibetan-kham'] });
    const agents = [agent('a1', -60), agent('kham', -60, { state: 'offline', skills: ['tibetan-kham'] })];
    expect(chooseAgent(c, agents, T0, OPTIONS)).toMatchObject({ kind: 'overflow', action: 'callback', reason: 'no_qualified_agent' });
    expect(chooseAgent(c, agents, T0, { ...OPTIONS, overflowWhenNobodyQualified: false })).toEqual({ kind: 'queue', reason: 'no_free_agent' });
  });
});

describe('prioritiseQueue', () => {
  const w = (id: string, priority: RoutableContact['priority'], waitedSeconds: number) => ({ id, priority, waitingSince: at(-waitedSeconds) });

  it('serves vulnerable, then key-account, then normal contacts, longest wait first within a class', () => {
    const waiting = [w('n-old', 'normal', 200), w('k', 'key_account', 5), w('v', 'vulnerable', 1), w('n-new', 'normal', 10), w('k-old', 'key_account', 50)];
    expect(prioritiseQueue(waiting, T0).map((c) => c.id)).toEqual(['v', 'k-old', 'k', 'n-old', 'n-new']);
  });

  it('keeps input order for equal class and wait, and does not touch its input', () => {
    const waiting = [w('x', 'normal', 10), w('y', 'normal', 10), w('z', 'normal', 10)];
    expect(prioritiseQueue(waiting, T0).map((c) => c.id)).toEqual(['x', 'y', 'z']);
    expect(waiting.map((c) => c.id)).toEqual(['x', 'y', 'z']);
  });

  it('promotes long waiters one class per step when ageing is on', () => {
    const waiting = [w('k', 'key_account', 10), w('n', 'normal', 130), w('v', 'vulnerable', 5)];
    expect(prioritiseQueue(waiting, T0, { promoteAfterSeconds: 60 }).map((c) => c.id)).toEqual(['n', 'v', 'k']);
    expect(prioritiseQueue(waiting, T0).map((c) => c.id)).toEqual(['v', 'k', 'n']);
  });
});

describe('routeQueue', () => {
  it('serves the vulnerable caller first and never gives an agent more than capacity in one pass', () => {
    const waiting = [
      { id: 'n1', ...contact({ waitingSince: at(-100) }) },
      { id: 'v1', ...contact({ priority: 'vulnerable', waitingSince: at(-5) }) },
      { id: 'n2', ...contact({ waitingSince: at(-50) }) },
    ];
    const { decisions, candidates } = routeQueue(waiting, [agent('a1', -600), agent('a2', -60)], T0, OPTIONS);
    expect(decisions.map((d) => [d.contact.id, d.decision.kind === 'offer' ? d.decision.agentId : d.decision.kind])).toEqual([
      ['v1', 'a1'],
      ['n1', 'a2'],
      ['n2', 'queue'],
    ]);
    expect(candidates.map((a) => [a.agentId, a.load.call, a.lastOfferedAt])).toEqual([
      ['a1', 1, T0],
      ['a2', 1, T0],
    ]);
  });

  it('spreads chats across agents by idle time instead of filling the first one', () => {
    const waiting = [1, 2, 3, 4].map((n) => ({ id: `c${n}`, ...contact({ channel: 'chat', waitingSince: at(-n) }) }));
    const { decisions } = routeQueue(waiting, [agent('a1', -600), agent('a2', -60)], T0, OPTIONS);
    expect(decisions.map((d) => (d.decision.kind === 'offer' ? d.decision.agentId : null))).toEqual(['a1', 'a2', 'a1', 'a2']);
  });
});

// Random small worlds: agents with random state, skills, load and idle times; a contact with
// random requirements and preferences, during business hours.
const SKILLS = ['electricity', 'billing', 'vip', 'tibetan-amdo', 'tibetan-kham'];
const CHANNELS: ContactChannel[] = ['call', 'chat', 'email'];
const arbCandidate = (agentId: string): fc.Arbitrary<RoutingCandidate> =>
  fc
    .record({
      state: fc.constantFrom('online', 'online', 'online', 'busy', 'away', 'offline' as const),
      skills: fc.subarray(SKILLS),
      idle: fc.integer({ min: 0, max: 3600 }),
      ended: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
      load: fc.record({ call: fc.integer({ min: 0, max: 1 }), chat: fc.integer({ min: 0, max: 3 }), email: fc.integer({ min: 0, max: 2 }) }),
    })
    .map(({ state, skills, idle, ended, load }) =>
      agent(agentId, -idle, {
        state,
        reason: state === 'away' ? 'after_call_work' : state === 'busy' ? 'outbound' : null,
        skills,
        load,
        lastContactEndedAt: ended === null ? null : at(-ended),
      }),
    );
const arbAgents = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbCandidate(`a${i}`))));
const arbContact = (ids: readonly string[]): fc.Arbitrary<RoutableContact> =>
  fc.record({
    channel: fc.constantFrom(...CHANNELS),
    waitingSince: fc.integer({ min: 0, max: 600 }).map((s) => at(-s)),
    requiredSkills: fc.subarray(SKILLS, { maxLength: 2 }),
    priority: fc.constantFrom(...CONTACT_PRIORITIES),
    accountManagerId: fc.option(fc.constantFrom('a0', 'a1', 'nobody'), { nil: null }),
    requestedAgentId: fc.option(fc.constantFrom('a2', 'a3'), { nil: null }),
    declinedAgentIds: fc.subarray([...ids]),
  });
const arbWorld = arbAgents.chain((agents) => fc.tuple(fc.constant(agents as RoutingCandidate[]), arbContact(agents.map((a) => a.agentId))));

describe('chooseAgent: properties', () => {
  it('never offers to an agent without free capacity, missing a required skill, or who declined', () => {
    fc.assert(
      fc.property(arbWorld, ([agents, c]) => {
        const d = chooseAgent(c, agents, T0, OPTIONS);
        if (d.kind !== 'offer') return;
        const chosen = agents.find((a) => a.agentId === d.agentId);
        expect(chosen).toBeDefined();
        expect(getFreeCapacity(chosen!, c.channel)).toBeGreaterThanOrEqual(1);
        expect(c.requiredSkills.every((s) => chosen!.skills.includes(s))).toBe(true);
        expect(c.declinedAgentIds).not.toContain(d.agentId);
      }),
    );
  });

  it('chooses the longest idle among qualified agents when no preferred agent applies', () => {
    fc.assert(
      fc.property(arbWorld, ([agents, c]) => {
        const plain = { ...c, accountManagerId: null, requestedAgentId: null };
        const d = chooseAgent(plain, agents, T0, OPTIONS);
        const able = agents.filter((a) => canOfferContact(a, plain));
        if (able.length === 0) {
          expect(d.kind).not.toBe('offer');
          return;
        }
        expect(d).toMatchObject({ kind: 'offer', reason: 'longest_idle' });
        const chosen = agents.find((a) => d.kind === 'offer' && a.agentId === d.agentId)!;
        for (const a of able) expect(getIdleSince(chosen).getTime()).toBeLessThanOrEqual(getIdleSince(a).getTime());
      }),
    );
  });

  it('offers whenever some agent can take the contact and no preferred agent is being waited for', () => {
    fc.assert(
      fc.property(arbWorld, ([agents, c]) => {
        const d = chooseAgent(c, agents, T0, OPTIONS);
        if (agents.some((a) => canOfferContact(a, c))) {
          expect(d.kind === 'offer' || (d.kind === 'queue' && d.reason !== 'no_free_agent')).toBe(true);
        }
      }),
    );
  });

  it('always overflows outside business hours', () => {
    const night = cst('2026-03-02 23:30');
    fc.assert(
      fc.property(arbWorld, ([agents, c]) => {
        expect(chooseAgent(c, agents, night, OPTIONS)).toMatchObject({ kind: 'overflow', reason: 'outside_business_hours', action: 'leave_message' });
      }),
    );
  });
});

describe('prioritiseQueue and routeQueue: properties', () => {
  const arbWaiting = fc.array(
    fc.record({ id: fc.nat(), priority: fc.constantFrom(...CONTACT_PRIORITIES), waitingSince: fc.integer({ min: 0, max: 50 }).map((s) => at(-s)) }),
    { maxLength: 30 },
  );

  it('returns a permutation sorted by class then wait, stable for ties', () => {
    fc.assert(
      fc.property(arbWaiting, (waiting) => {
        const tagged = waiting.map((w, index) => ({ ...w, index }));
        const out = prioritiseQueue(tagged, T0);
        expect(out).toHaveLength(tagged.length);
        expect(new Set(out)).toEqual(new Set(tagged));
        for (let i = 1; i < out.length; i++) {
          const [a, b] = [out[i - 1], out[i]];
          const ra = CONTACT_PRIORITIES.indexOf(a.priority);
          const rb = CONTACT_PRIORITIES.indexOf(b.priority);
          expect(ra).toBeLessThanOrEqual(rb);
          if (ra === rb) {
            expect(a.waitingSince.getTime()).toBeLessThanOrEqual(b.waitingSince.getTime());
            if (a.waitingSince.getTime() === b.waitingSince.getTime()) expect(a.index).toBeLessThan(b.index);
          }
        }
      }),
    );
  });

  it('is a permutation with ageing too', () => {
    fc.assert(
      fc.property(arbWaiting, fc.integer({ min: 1, max: 60 }), (waiting, step) => {
        const tagged = waiting.map((w, index) => ({ ...w, index }));
        const out = prioritiseQueue(tagged, T0, { promoteAfterSeconds: step });
        expect(out.map((c) => c.index).sort((a, b) => a - b)).toEqual(tagged.map((c) => c.index));
        expect(out.every((c) => c === tagged[c.index])).toBe(true);
      }),
    );
  });

  it('never pushes an agent over capacity in a pass over the whole queue', () => {
    fc.assert(
      fc.property(arbAgents, fc.array(arbContact([]), { maxLength: 12 }), (agents, waiting) => {
        const { decisions, candidates } = routeQueue(waiting, agents, T0, OPTIONS);
        expect(decisions).toHaveLength(waiting.length);
        for (const after of candidates) {
          const before = agents.find((a) => a.agentId === after.agentId)!;
          if (getLoadFraction(before) <= 1) expect(getLoadFraction(after)).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
    );
  });
});
