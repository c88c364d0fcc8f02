import { DEFAULT_SHORT_ABANDON_SECONDS } from '@kefu/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES, listReasonLeafCodes } from './contact-config.seed.ts';
import {
  type ContactWorld,
  type ContactWorldTicket,
  type GeneratedContact,
  type GeneratedContacts,
  generateContacts,
  getLocalHour,
  getLocalWeekday,
  getReasonForCategory,
} from './contact-generator.ts';
import { createTakenValues, draftFixtureCustomers, generateCustomers } from './customer-generator.ts';
import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import { planStaff } from './org.seed.ts';
import { createRng } from './rng.ts';

const NOW = new Date('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Shanghai
const DAY = 86_400_000;
const COUNT = 6_000;
const TICKETS = 1_500;
const INCIDENT_START = new Date('2026-11-13T11:40:00.000Z'); // a Friday, 19:40 in Shanghai

/** The demo world without a database: the seed's own planners, fake row ids, synthetic orders. */
function buildWorld(): ContactWorld {
  const staff = planStaff(createRng(7).fork('staff'));
  const taken = createTakenValues();
  const rng = createRng(11);
  const drafts = [...draftFixtureCustomers(rng.fork('fixtures'), NOW, taken), ...generateCustomers(rng.fork('generated'), { count: 1_500, now: NOW, taken })];
  const customers = drafts.map((d) => ({
    id: d.id,
    name: d.name,
    areaId: `area-${d.areaCode}`,
    preferredLanguage: d.preferredLanguage,
    flags: d.flags,
    phone: d.identities.find((i) => i.kind === 'phone')?.value ?? null,
    email: d.identities.find((i) => i.kind === 'email')?.value ?? null,
    wechatOpenid: d.identities.find((i) => i.kind === 'wechat_openid')?.value ?? null,
    accountManagerId: 'account-manager',
  }));
  const agents = staff.filter((s) => s.role === 'agent' || s.role === 'supervisor');
  const authors = staff.filter((s) => s.role === 'agent' && s.skills.includes('electricity'));
  // Work orders spread over the window, a few of the demo customers' and a mass incident's among them.
  const t = createRng(13);
  const channels = [['phone', 70], ['wechat', 12], ['web', 7], ['sms', 3], ['email', 2], ['walk_in', 6]] as const;
  const categories = ['fault-repair.low-voltage', 'inquiry.billing', 'complaint.supply-quality', 'service-request.new-connection', 'urging.repair-progress', 'praise.repair-crew'];
  const tickets: ContactWorldTicket[] = Array.from({ length: TICKETS }, (_, i) => {
    const incident = i < 20;
    const customer = i >= 20 && i < 28 ? customers[i - 20] : t.pick(customers.slice(8));
    const createdAt = incident
      ? new Date(INCIDENT_START.getTime() + t.int(3, 120) * 60_000)
      : new Date(NOW.getTime() - t.int(1, 89 * 24 * 60) * 60_000);
    return {
      id: `ticket-${String(i).padStart(5, '0')}`,
      customerId: customer.id,
      channel: incident ? 'phone' : t.weighted(channels),
      categoryCode: incident ? 'fault-repair.high-voltage' : t.pick(categories),
      createdAt,
      createdBy: t.pick(authors).id,
      incidentId: incident ? 'incident-1' : null,
    };
  });
  return {
    now: NOW,
    queues: DEFAULT_QUEUES.map((q) => ({
      id: `queue-${q.code}`,
      code: q.code,
      channels: q.channels,
      requiredSkills: q.requiredSkills,
      maxWaitSeconds: q.maxWaitSeconds,
      overflowAction: q.overflowAction,
      callbackWithinMinutes: q.callbackWithinMinutes,
      offerTimeoutSeconds: q.offerTimeoutSeconds,
    })),
    agents: agents.map((a) => ({ id: a.id, username: a.username, displayName: a.displayName, role: a.role, skills: a.skills })),
    customers,
    tickets,
    incidents: [{ id: 'incident-1', areaIds: ['area-chengbei'], startedAt: INCIDENT_START, resolvedAt: new Date(INCIDENT_START.getTime() + 150 * 60_000) }],
    reasonCodes: listReasonLeafCodes(),
    fixtures: Object.fromEntries(DEMO_CUSTOMER_FIXTURES.map((f) => [f.key, f.id])),
    webchatChannelId: 'channel-webchat',
  };
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const localDay = (d: Date) => Math.floor((d.getTime() + 8 * 3_600_000) / DAY);

describe('generateContacts', () => {
  let world: ContactWorld;
  let generated: GeneratedContacts;
  let contacts: GeneratedContact[];
  beforeAll(() => {
    world = buildWorld();
    generated = generateContacts(createRng(95_598), world, { count: COUNT });
    contacts = generated.contacts;
  });

  it('makes exactly the requested number of contacts, all closed, with unique ids', () => {
    expect(contacts).toHaveLength(COUNT);
    expect(new Set(contacts.map((c) => c.id)).size).toBe(COUNT);
    for (const c of contacts) {
      expect(c.status, c.id).toBe('closed');
      expect(c.endReason, c.id).not.toBeNull();
      expect(c.waitingSince, c.id).toBeNull();
    }
  });

  it('keeps every timeline in order: created ≤ queued ≤ offered ≤ answered ≤ ended ≤ wrapped up ≤ now', () => {
    for (const c of contacts) {
      const times = [c.createdAt, c.queuedAt, c.offeredAt, c.answeredAt, c.endedAt, c.wrappedUpAt].map(ms).filter((t) => t !== null);
      expect(times, c.id).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times), c.id).toBeLessThanOrEqual(NOW.getTime());
      expect(c.createdAt.getTime(), c.id).toBeGreaterThan(NOW.getTime() - 91 * DAY);
      // The timeline replays to the stored columns.
      expect(c.events.length, c.id).toBe(c.version - 1);
      expect(c.events.at(-1)?.to, c.id).toBe('closed');
      expect(c.events.map((e) => e.at.getTime()), c.id).toEqual(c.events.map((e) => e.at.getTime()).sort((a, b) => a - b));
    }
  });

  it('peaks on Monday and dips at weekends', () => {
    const perWeekday = new Array(7).fill(0);
    const days = new Array(7).fill(0);
    for (const c of contacts) perWeekday[getLocalWeekday(c.createdAt)]++;
    // Whole local days of the window, today (partly over) left out.
    for (let d = 1; d <= 89; d++) days[getLocalWeekday(new Date(NOW.getTime() - d * DAY))]++;
    const avg = perWeekday.map((n, i) => n / days[i]);
    expect(avg[1]).toBeGreaterThan(avg[3] * 1.1);
    expect(avg[6]).toBeLessThan(avg[3] * 0.8);
    expect(avg[0]).toBeLessThan(avg[3] * 0.8);
  });

  it('has a morning peak, a lunch dip and only calls at night', () => {
    const perHour = new Array(24).fill(0);
    for (const c of contacts) perHour[getLocalHour(c.createdAt)]++;
    expect(perHour[12]).toBeLessThan(perHour[10] * 0.8);
    expect(perHour[15]).toBeGreaterThan(perHour[12]);
    expect(perHour[3]).toBeLessThan(perHour[10] * 0.1);
    const night = contacts.filter((c) => {
      const h = getLocalHour(c.createdAt);
      return h < 7 || h >= 22;
    });
    expect(night.length).toBeGreaterThan(0);
    expect(night.filter((c) => c.channel !== 'call' && c.channel !== 'outbound').length).toBeLessThan(night.length * 0.05);
  });

  it('shows the mass incident as a spike of calls on its day', () => {
    const incidentDay = localDay(INCIDENT_START);
    const count = (day: number) => contacts.filter((c) => localDay(c.createdAt) === day).length;
    expect(count(incidentDay)).toBeGreaterThan(count(incidentDay - 7) * 1.3);
    const evening = contacts.filter((c) => c.createdAt >= INCIDENT_START && c.createdAt.getTime() < INCIDENT_START.getTime() + 3 * 3_600_000);
    expect(evening.filter((c) => c.reasonCode === 'outage.area-outage').length).toBeGreaterThan(20);
  });

  it('mixes channels like a 95598 center', () => {
    const share = (channel: string) => contacts.filter((c) => c.channel === channel).length / COUNT;
    expect(share('call')).toBeCloseTo(0.55, 1);
    expect(share('chat')).toBeCloseTo(0.2, 1);
    expect(share('wechat')).toBeCloseTo(0.15, 1);
    for (const channel of ['sms', 'email', 'walk_in', 'outbound']) expect(share(channel), channel).toBeGreaterThan(0);
    expect(contacts.filter((c) => c.channel === 'outbound').every((c) => c.direction === 'outbound')).toBe(true);
  });

  it('abandons about 8% (some within 5 s), overflows about 2% and answers most within 20 s', () => {
    const abandoned = contacts.filter((c) => c.endReason === 'abandoned');
    const overflowed = contacts.filter((c) => c.endReason === 'overflowed');
    expect(abandoned.length / COUNT).toBeGreaterThan(0.05);
    expect(abandoned.length / COUNT).toBeLessThan(0.12);
    const short = abandoned.filter((c) => (c.endedAt!.getTime() - c.queuedAt!.getTime()) / 1000 <= DEFAULT_SHORT_ABANDON_SECONDS);
    expect(short.length).toBeGreaterThan(0);
    expect(overflowed.length / COUNT).toBeGreaterThan(0.01);
    expect(overflowed.length / COUNT).toBeLessThan(0.04);
    for (const c of [...abandoned, ...overflowed]) {
      expect(c.answeredAt, c.id).toBeNull();
      expect(c.reasonCode, c.id).toBeNull();
    }
    const routed = contacts.filter((c) => (c.channel === 'call' || c.channel === 'chat') && c.answeredAt !== null && c.queuedAt !== null);
    const within20 = routed.filter((c) => c.answeredAt!.getTime() - c.queuedAt!.getTime() <= 20_000);
    expect(within20.length / routed.length).toBeGreaterThan(0.7);
    // …and a tail of minutes at the peaks.
    expect(routed.some((c) => c.answeredAt!.getTime() - c.queuedAt!.getTime() > 120_000)).toBe(true);
  });

  it('wraps answered contacts up with a reason from the tree and gives them realistic talk times', () => {
    const leaves = new Set(listReasonLeafCodes());
    const answered = contacts.filter((c) => c.answeredAt !== null);
    for (const c of answered) {
      expect(leaves.has(c.reasonCode ?? ''), `${c.id} ${c.reasonCode}`).toBe(true);
      expect(['resolved', 'ticket_created']).toContain(c.outcome);
      expect(c.agentId, c.id).not.toBeNull();
    }
    const mean = (channel: string) => {
      const list = answered.filter((c) => c.channel === channel);
      return list.reduce((s, c) => s + c.talkMs, 0) / list.length / 60_000;
    };
    expect(mean('call')).toBeGreaterThan(3);
    expect(mean('call')).toBeLessThan(5.5);
    expect(mean('chat')).toBeGreaterThan(4.5);
    expect(mean('chat')).toBeLessThan(8);
    expect(answered.some((c) => c.holdMs > 0)).toBe(true);
  });

  it('routes to agents holding the queue skills, supervisors only now and then', () => {
    const agents = new Map(world.agents.map((a) => [a.id, a]));
    const queues = new Map(world.queues.map((q) => [q.id, q]));
    const handled = contacts.filter((c) => c.agentId !== null && c.queueId !== null && c.ticketId === null);
    for (const c of handled) {
      const agent = agents.get(c.agentId ?? '');
      expect(agent, c.id).toBeDefined();
      expect(queues.get(c.queueId ?? '')?.requiredSkills.every((s) => agent?.skills.includes(s)), `${c.id} ${c.queueCode}`).toBe(true);
      expect(c.requiredSkills).toEqual([...(queues.get(c.queueId ?? '')?.requiredSkills ?? [])]);
    }
    const bySupervisor = handled.filter((c) => agents.get(c.agentId ?? '')?.role === 'supervisor').length;
    expect(bySupervisor).toBeGreaterThan(0);
    expect(bySupervisor / handled.length).toBeLessThan(0.1);
    const perQueue = (code: string) => contacts.filter((c) => c.queueCode === code).length;
    expect(perQueue('general')).toBeGreaterThan(perQueue('billing'));
    expect(perQueue('tibetan-amdo')).toBeLessThan(COUNT * 0.08);
    expect(perQueue('english')).toBeLessThan(COUNT * 0.02);
    expect(perQueue('vip')).toBeLessThan(COUNT * 0.05);
  });

  it('gives about 60% of the orders their originating contact, answered by the order author before the order', () => {
    const linked = contacts.filter((c) => c.ticketId !== null);
    const tickets = new Map(world.tickets.map((t) => [t.id, t]));
    expect(linked.length / TICKETS).toBeGreaterThan(0.45);
    expect(linked.length / TICKETS).toBeLessThan(0.7);
    expect(new Set(linked.map((c) => c.ticketId)).size).toBe(linked.length);
    for (const c of linked) {
      const t = tickets.get(c.ticketId ?? '');
      expect(t, c.id).toBeDefined();
      expect(c.customerId).toBe(t?.customerId);
      expect(c.outcome).toBe('ticket_created');
      expect(c.answeredAt!.getTime()).toBeLessThan(t!.createdAt.getTime());
      expect(c.endedAt!.getTime()).toBeGreaterThanOrEqual(t!.createdAt.getTime());
      expect(c.reasonCode).toBe(getReasonForCategory(t!.categoryCode, t!.incidentId !== null));
    }
    // Every demo customer's call and chat orders have theirs.
    const fixtureIds = new Set(Object.values(world.fixtures));
    const fixtureOrders = world.tickets.filter((t) => fixtureIds.has(t.customerId) && t.channel === 'phone');
    for (const t of fixtureOrders) expect(linked.some((c) => c.ticketId === t.id), t.id).toBe(true);
  });

  it('knows the customer of most contacts, and every demo customer has a chat with messages', () => {
    const anonymous = contacts.filter((c) => c.customerId === null).length / COUNT;
    expect(anonymous).toBeGreaterThan(0.05);
    expect(anonymous).toBeLessThan(0.15);
    for (const f of DEMO_CUSTOMER_FIXTURES) {
      const own = contacts.filter((c) => c.customerId === f.id);
      expect(own.length, f.key).toBeGreaterThanOrEqual(2);
      const chat = own.find((c) => c.conversationId !== null);
      const conversation = generated.conversations.find((v) => v.id === chat?.conversationId);
      expect(conversation?.messages.length ?? 0, f.key).toBeGreaterThanOrEqual(4);
    }
    const english = generated.conversations.find((v) => v.customerId === DEMO_CUSTOMER_FIXTURES.find((f) => f.key === 'english')?.id);
    expect(english?.messages.some((m) => /^[\x20-\x7e’“”]+$/.test(m.body) && m.senderType === 'agent')).toBe(true);
  });

  it('writes chat and WeChat conversations of the last 14 days only, 4–10 messages in order', () => {
    const byId = new Map(contacts.map((c) => [c.id, c]));
    const cutoff = NOW.getTime() - 14 * DAY;
    for (const c of contacts) {
      const recentChat = (c.channel === 'chat' || c.channel === 'wechat') && c.createdAt.getTime() >= cutoff;
      expect(c.conversationId !== null, c.id).toBe(recentChat);
    }
    expect(generated.conversations.length).toBeGreaterThan(50);
    for (const v of generated.conversations) {
      expect(v.messages.length, v.id).toBeGreaterThanOrEqual(4);
      expect(v.messages.length, v.id).toBeLessThanOrEqual(10);
      expect(v.messages.map((m) => m.seq)).toEqual(v.messages.map((_, i) => i + 1));
      const contact = byId.get(v.messages[0].contactId);
      expect(contact?.conversationId).toBe(v.id);
      expect(v.channelId).toBe(v.channel === 'chat' ? 'channel-webchat' : null);
      const times = v.messages.map((m) => m.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeGreaterThanOrEqual(contact!.createdAt.getTime());
      expect(times.at(-1)).toBeLessThanOrEqual(v.closedAt.getTime());
      for (const m of v.messages) {
        expect(m.body.length).toBeGreaterThan(0);
        if (m.senderType === 'agent') expect(m.senderId).toBe(contact?.agentId);
      }
    }
  });

  it('leaves a callback task for every overflowed contact, the last two days’ still open', () => {
    const overflowed = contacts.filter((c) => c.endReason === 'overflowed');
    expect(generated.callbackTasks.map((t) => t.contactId).sort()).toEqual(overflowed.map((c) => c.id).sort());
    expect(generated.callbackTasks.some((t) => t.status === 'open')).toBe(true);
    for (const t of generated.callbackTasks) {
      const c = overflowed.find((o) => o.id === t.contactId);
      expect(t.kind).toBe(c?.overflowAction);
      expect(t.dueAt.getTime()).toBeGreaterThan(t.createdAt.getTime());
      if (t.status === 'open') {
        expect(t.createdAt.getTime()).toBeGreaterThan(NOW.getTime() - 2 * DAY);
        expect(t.doneAt).toBeNull();
      } else {
        expect(t.doneAt!.getTime()).toBeGreaterThan(t.createdAt.getTime());
        expect(t.doneAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
        expect(t.assigneeId).not.toBeNull();
      }
    }
  });

  it('gives the same contacts for the same seed, and others for another', () => {
    const again = generateContacts(createRng(95_598), buildWorld(), { count: COUNT });
    const digest = (g: GeneratedContacts) =>
      g.contacts.map((c) => `${c.id}|${c.channel}|${c.createdAt.toISOString()}|${c.agentId}|${c.reasonCode}|${c.talkMs}|${c.conversationId}`).join('\n');
    expect(digest(again)).toBe(digest(generated));
    expect(again.conversations.flatMap((v) => v.messages.map((m) => m.body))).toEqual(generated.conversations.flatMap((v) => v.messages.map((m) => m.body)));
    expect(digest(generateContacts(createRng(1), buildWorld(), { count: COUNT }))).not.toBe(digest(generated));
  });

  it('scales down to a small center and to nothing', () => {
    expect(generateContacts(createRng(1), world, { count: 0 }).contacts).toEqual([]);
    const small = generateContacts(createRng(1), world, { count: 300 });
    expect(small.contacts.length).toBeGreaterThanOrEqual(300);
    expect(small.contacts.length).toBeLessThanOrEqual(310);
  });
});
