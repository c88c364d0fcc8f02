import {
  type BusinessCalendar,
  checkCategoryCode,
  getTicketNumberDate,
  isLeafCategory,
  listCategoryFields,
  parseTicketNumber,
  STATE_GRID_CATEGORIES,
  validateCalendar,
  validateCategoryFields,
} from '@kefu/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { AREA_SEEDS } from './areas.seed.ts';
import { createTakenValues, draftFixtureCustomers, generateCustomers } from './customer-generator.ts';
import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import { DEMO_DEPARTMENTS, planStaff } from './org.seed.ts';
import { createRng } from './rng.ts';
import { type CheckedTicket, type ConsistencyContext, findTicketProblems } from './ticket-consistency.ts';
import { type GeneratedTicket, type GeneratedWorkOrders, generateWorkOrders, type TicketWorld } from './ticket-generator.ts';
import { DESCRIPTION_TEMPLATES } from './ticket-texts.ts';
import { buildDefaultSlaPolicies, DEFAULT_CALENDARS, DEMO_DISPATCH_RULES, type SlaPolicyConfig } from './work-order-config.seed.ts';

const NOW = new Date('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Shanghai

/** The demo world without a database: the same pure planners the seed modules use, fake row ids. */
function buildWorld(customerCount: number): TicketWorld {
  const staff = planStaff(createRng(7).fork('staff'));
  const userIds = new Map(staff.map((s) => [s.username, s.id]));
  const departments = DEMO_DEPARTMENTS.map((d) => ({ id: `dept-${d.code}`, code: d.code, name: d.name, memberIds: d.members.map((u) => userIds.get(u) as string) }));
  const areas = AREA_SEEDS.map((a) => ({ id: `area-${a.code}`, code: a.code, name: a.name, kind: a.kind }));
  const taken = createTakenValues();
  const rng = createRng(11);
  const drafts = [...draftFixtureCustomers(rng.fork('fixtures'), NOW, taken), ...generateCustomers(rng.fork('generated'), { count: customerCount, now: NOW, taken })];
  const calendars = new Map<string, BusinessCalendar>(DEFAULT_CALENDARS.map((c) => [`cal-${c.code}`, c.definition]));
  const policies: SlaPolicyConfig[] = buildDefaultSlaPolicies().map((p, i) => ({
    id: `policy-${String(i).padStart(2, '0')}`,
    name: p.name,
    categoryPrefix: p.categoryPrefix,
    priority: p.priority,
    areaKind: p.areaKind,
    active: true,
    targets: p.targets,
    calendarId: `cal-${p.calendarCode}`,
    escalation: p.escalation,
    atRiskRatio: p.atRiskRatio,
  }));
  return {
    now: NOW,
    customers: drafts.map((d) => ({
      id: d.id,
      areaId: `area-${d.areaCode}`,
      address: d.addresses[0]?.text ?? '',
      preferredLanguage: d.preferredLanguage,
      flags: d.flags,
      meter: d.identities.find((i) => i.kind === 'meter')?.value ?? null,
    })),
    areas,
    departments,
    staff: staff.map((s) => ({ id: s.id, username: s.username, role: s.role, languages: s.languages })),
    categories: STATE_GRID_CATEGORIES,
    policies,
    calendars,
    dispatchRules: DEMO_DISPATCH_RULES.map((r, i) => ({ ...r, id: `rule-${i}` })),
    fixtures: Object.fromEntries(DEMO_CUSTOMER_FIXTURES.map((f) => [f.key, f.id])),
  };
}

function toChecked(t: GeneratedTicket, world: TicketWorld): CheckedTicket {
  const area = world.areas.find((a) => a.id === t.areaId);
  return { ...t, areaKind: area?.kind ?? null, events: t.events };
}

function consistencyContext(world: TicketWorld): ConsistencyContext {
  return {
    now: world.now,
    policies: world.policies,
    calendars: world.calendars,
    members: new Map(world.departments.map((d) => [d.id, new Set(d.memberIds)])),
  };
}

const byStatus = (tickets: readonly GeneratedTicket[]) => {
  const counts: Record<string, number> = {};
  for (const t of tickets) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
};

describe('generateWorkOrders', () => {
  let world: TicketWorld;
  let small: GeneratedWorkOrders;
  let large: GeneratedWorkOrders;
  beforeAll(() => {
    world = buildWorld(600);
    small = generateWorkOrders(createRng(95598), world, { count: 500 });
    large = generateWorkOrders(createRng(4), world, { count: 4000 });
  });

  it('makes exactly the number of orders asked for', () => {
    expect(small.tickets).toHaveLength(500);
    expect(large.tickets).toHaveLength(4000);
    expect(new Set(large.tickets.map((t) => t.id)).size).toBe(4000);
  });

  it('is deterministic for a seed, ids included, and differs for another seed', () => {
    const again = generateWorkOrders(createRng(95598), world, { count: 500 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(small));
    const other = generateWorkOrders(createRng(95599), world, { count: 500 });
    expect(other.tickets.map((t) => t.id)).not.toEqual(small.tickets.map((t) => t.id));
  });

  it('tells a consistent story for every order: timeline replay, timestamps, due times, SLA state', () => {
    const ctx = consistencyContext(world);
    for (const generated of [small, large]) {
      const problems = generated.tickets.flatMap((t) => findTicketProblems(toChecked(t, world), ctx).map((p) => `${t.number} ${t.categoryCode} ${t.status}: ${p}`));
      expect(problems.slice(0, 20)).toEqual([]);
    }
  });

  it('has a checker that notices a broken story', () => {
    const ctx = consistencyContext(world);
    const sample = large.tickets.find((t) => t.status === 'archived' && t.slaPolicyId !== null && t.due.replyDueAt) as GeneratedTicket;
    expect(findTicketProblems(toChecked(sample, world), ctx)).toEqual([]);
    const broken = (patch: Partial<GeneratedTicket>) => findTicketProblems(toChecked({ ...sample, ...patch }, world), ctx);
    expect(broken({ status: 'replied' })).toContainEqual(expect.stringMatching(/^status/));
    expect(broken({ urgeCount: sample.urgeCount + 1 })).toContainEqual(expect.stringMatching(/^urge_count/));
    expect(broken({ due: { ...sample.due, replyDueAt: new Date((sample.due.replyDueAt as Date).getTime() + 60_000) } })).toContainEqual(expect.stringMatching(/^replyDueAt/));
    expect(broken({ slaState: 'breached', contactedAt: null, dispatchedAt: null })).not.toEqual([]);
    expect(broken({ events: sample.events.filter((e) => e.type !== 'dispatched') })).not.toEqual([]);
  });

  it('keeps every order in the last 90 days, on a leaf category, with valid fields and filled-in text', () => {
    const earliest = NOW.getTime() - 91 * 86_400_000;
    for (const t of large.tickets) {
      expect(t.createdAt.getTime()).toBeGreaterThan(earliest);
      expect(t.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(checkCategoryCode(STATE_GRID_CATEGORIES, t.categoryCode).ok, t.categoryCode).toBe(true);
      const fields = validateCategoryFields(listCategoryFields(STATE_GRID_CATEGORIES, t.categoryCode), t.fields);
      expect(fields, `${t.number} ${t.categoryCode}`).toMatchObject({ ok: true });
      expect(`${t.title}${t.description}`).not.toMatch(/[{}]/);
    }
  });

  it('has descriptions written for every leaf category of the default tree', () => {
    const leaves = STATE_GRID_CATEGORIES.filter((c) => isLeafCategory(STATE_GRID_CATEGORIES, c.code));
    expect(leaves.filter((c) => !DESCRIPTION_TEMPLATES[c.code]?.length).map((c) => c.code)).toEqual([]);
  });

  it('numbers orders per local day in order of creation and reports the last value of each day', () => {
    const perDay = new Map<string, GeneratedTicket[]>();
    for (const t of large.tickets) {
      const parts = parseTicketNumber(t.number, 'GD');
      expect(parts?.date).toBe(getTicketNumberDate(t.createdAt));
      const day = parts?.date as string;
      if (!perDay.has(day)) perDay.set(day, []);
      perDay.get(day)?.push(t);
    }
    for (const [day, tickets] of perDay) {
      const sorted = [...tickets].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      expect(sorted.map((t) => parseTicketNumber(t.number)?.sequence)).toEqual(sorted.map((_, i) => i + 1));
      expect(large.counters.find((c) => c.prefix === 'GD' && c.day === day)?.lastValue).toBe(tickets.length);
    }
    expect(large.counters.filter((c) => c.prefix === 'GD')).toHaveLength(perDay.size);
  });

  it('mixes categories, channels and outcomes like a 95598 center', () => {
    const n = large.tickets.length;
    const share = (pred: (t: GeneratedTicket) => boolean, of: readonly GeneratedTicket[] = large.tickets) => of.filter(pred).length / of.length;
    expect(share((t) => t.categoryCode.startsWith('fault-repair.'))).toBeCloseTo(0.4, 1);
    expect(share((t) => t.categoryCode.startsWith('inquiry.'))).toBeCloseTo(0.2, 1);
    expect(share((t) => t.categoryCode.startsWith('complaint.'))).toBeCloseTo(0.1, 1);
    expect(share((t) => t.channel === 'phone')).toBeGreaterThan(0.6);
    const inquiries = large.tickets.filter((t) => t.categoryCode.startsWith('inquiry.'));
    expect(share((t) => t.fcr, inquiries)).toBeGreaterThan(0.15);
    expect(share((t) => t.fcr, inquiries)).toBeLessThan(0.35);
    expect(share((t) => t.status === 'archived')).toBeGreaterThan(0.85);
    for (const [label, pred] of [
      ['urged', (t: GeneratedTicket) => t.urgeCount > 0],
      ['reopened', (t: GeneratedTicket) => t.reopenCount > 0],
      ['returned', (t: GeneratedTicket) => t.returnCount > 0],
      ['escalated', (t: GeneratedTicket) => t.escalationLevel > 0],
      ['breached', (t: GeneratedTicket) => t.slaState === 'breached'],
    ] as const) {
      const count = large.tickets.filter(pred).length;
      expect(count, label).toBeGreaterThan(n * 0.005);
      expect(count, label).toBeLessThan(n * 0.2);
    }
    // Urged orders had their urgency raised.
    for (const t of large.tickets.filter((x) => x.urgeCount > 0)) expect(t.urgency).not.toBe('normal');
  });

  it('has recent orders open in the working states and a breached, at-risk and waiting backlog', () => {
    const counts = byStatus(large.tickets);
    for (const status of ['accepted', 'dispatched', 'in_progress', 'handled', 'replied', 'followed_up', 'archived']) expect(counts[status], status).toBeGreaterThan(0);
    const open = large.tickets.filter((t) => ['accepted', 'dispatched', 'in_progress', 'handled', 'returned'].includes(t.status));
    expect(open.some((t) => t.slaState === 'breached')).toBe(true);
    expect(open.some((t) => t.slaState === 'at_risk')).toBe(true);
    // Old orders are closed, but for a few stuck ones.
    const old = large.tickets.filter((t) => NOW.getTime() - t.createdAt.getTime() > 30 * 86_400_000);
    expect(old.filter((t) => ['archived', 'followed_up', 'resolved'].includes(t.status)).length / old.length).toBeGreaterThan(0.99);
  });

  it('links one mass incident to its area’s repair orders, answered together when supply came back', () => {
    expect(large.incidents).toHaveLength(1);
    const [incident] = large.incidents;
    expect(parseTicketNumber(incident.number, 'SJ')?.date).toBe(getTicketNumberDate(incident.createdAt));
    expect(large.counters).toContainEqual({ prefix: 'SJ', day: getTicketNumberDate(incident.createdAt), lastValue: 1 });
    const linked = large.tickets.filter((t) => t.incidentId === incident.id);
    expect(linked.length).toBeGreaterThanOrEqual(5);
    for (const t of linked) {
      expect(t.categoryCode.startsWith('fault-repair.')).toBe(true);
      expect(incident.areaIds).toContain(t.areaId);
      expect(t.createdAt >= incident.startedAt && t.createdAt <= incident.resolvedAt).toBe(true);
      expect(t.events.some((e) => e.type === 'replied' && e.at.getTime() === incident.resolvedAt.getTime())).toBe(true);
      expect(t.events.some((e) => e.type === 'note' && e.data.incidentId === incident.id)).toBe(true);
    }
    const full = generateWorkOrders(createRng(95598), buildWorld(3000), { count: 20_000 / 4 });
    expect(full.tickets.filter((t) => t.incidentId !== null).length).toBe(15);
  });

  it('gives the demo customers their scripted orders and nothing else', () => {
    const of = (key: string) => small.tickets.filter((t) => t.customerId === world.fixtures[key]);
    const portal = of('portal');
    expect(portal).toHaveLength(3);
    const openRepair = portal.filter((t) => t.categoryCode.startsWith('fault-repair.') && !['archived', 'followed_up', 'replied', 'resolved'].includes(t.status));
    expect(openRepair).toHaveLength(1);
    const repairUser = world.staff.find((s) => s.username === 'repair')?.id;
    expect(openRepair[0].dispatchedToUserId).toBe(repairUser);
    expect(openRepair[0].departmentId).toBe('dept-repair-urban');
    expect(portal.filter((t) => t.status === 'archived')).toHaveLength(2);

    const complaints = of('repeatComplainer');
    expect(complaints).toHaveLength(4);
    expect(complaints.every((t) => t.categoryCode.startsWith('complaint.'))).toBe(true);
    const open = complaints.filter((t) => t.status !== 'archived');
    expect(open).toHaveLength(1);
    expect(open[0].urgeCount).toBeGreaterThanOrEqual(1);
    expect(open[0].urgency).not.toBe('normal');
    expect(open[0].escalationLevel).toBeGreaterThanOrEqual(2);
    for (const key of ['elderlyAlone', 'keyAccount', 'lowIncome', 'amdo', 'kham', 'english']) expect(of(key).length, key).toBeGreaterThan(0);
  });

  it('stores calendars the domain accepts', () => {
    for (const c of DEFAULT_CALENDARS) expect(validateCalendar(JSON.parse(JSON.stringify(c.definition)))).toEqual([]);
  });
});
