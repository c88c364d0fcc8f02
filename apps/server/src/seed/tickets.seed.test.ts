import { type Database, type DB, migrateToLatest, openDatabase } from '@kefu/db';
import {
  type AreaType,
  formatTicketNumber,
  getTicketNumberDate,
  parseTicketNumber,
  type SlaDueTimes,
  STATE_GRID_CATEGORIES,
  TICKET_STATUSES,
  type TicketStatus,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSlaPolicy } from '@kefu/domain';
import { TEST_NOW } from '../testing/constants.ts';
import { openTestDatabase } from '../testing/test-app.ts';
import { DEMO_CUSTOMER_FIXTURES, type DemoSeedSummary, seedDemoCenter } from './index.ts';
import { type CheckedTicket, findTicketProblems } from './ticket-consistency.ts';
import { buildDefaultSlaPolicies, DEFAULT_CALENDARS, installWorkOrderDefaults, loadWorkOrderConfig, type WorkOrderConfig } from './work-order-config.seed.ts';

const fixtureId = (key: string) => DEMO_CUSTOMER_FIXTURES.find((f) => f.key === key)?.id as string;

// Only the due times that are set, as computeDueTimes returns them.
function dueTimes(columns: Record<keyof SlaDueTimes, Date | null>): SlaDueTimes {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== null)) as SlaDueTimes;
}

/** Every order of the brand with its timeline, as the consistency checker reads them. */
async function loadCheckedTickets(db: Kysely<DB>): Promise<CheckedTicket[]> {
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('areas', 'areas.id', 'tickets.area_id')
    .selectAll('tickets')
    .select('areas.kind as area_kind')
    .orderBy('tickets.id')
    .execute();
  const events = await db.selectFrom('ticket_events').select(['ticket_id', 'at', 'type', 'visibility', 'actor_id', 'data']).orderBy('ticket_id').orderBy('at').orderBy('id').execute();
  const byTicket = new Map<string, CheckedTicket['events'][number][]>();
  for (const e of events) {
    if (!byTicket.has(e.ticket_id)) byTicket.set(e.ticket_id, []);
    byTicket.get(e.ticket_id)?.push({ at: e.at, type: e.type, visibility: e.visibility, actorId: e.actor_id, data: e.data });
  }
  return rows.map((r) => ({
    id: r.id,
    categoryCode: r.category_code,
    status: r.status as TicketStatus,
    urgency: r.urgency,
    areaKind: (r.area_kind as AreaType | null) ?? null,
    departmentId: r.department_id,
    assigneeId: r.assignee_id,
    dispatchedToUserId: r.dispatched_to_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    contactedAt: r.contacted_at,
    dispatchedAt: r.dispatched_at,
    arrivedAt: r.arrived_at,
    handledAt: r.handled_at,
    repliedAt: r.replied_at,
    followedUpAt: r.followed_up_at,
    archivedAt: r.archived_at,
    resolvedAt: r.resolved_at,
    urgeCount: r.urge_count,
    reopenCount: r.reopen_count,
    returnCount: r.return_count,
    dispatchCount: r.dispatch_count,
    fcr: r.fcr,
    slaPolicyId: r.sla_policy_id,
    due: dueTimes({
      acceptDueAt: r.accept_due_at,
      contactDueAt: r.contact_due_at,
      dispatchDueAt: r.dispatch_due_at,
      arriveDueAt: r.arrive_due_at,
      handleDueAt: r.handle_due_at,
      replyDueAt: r.reply_due_at,
      followUpDueAt: r.follow_up_due_at,
    }),
    slaState: r.sla_state,
    slaPausedAt: r.sla_paused_at,
    slaNextCheckAt: r.sla_next_check_at,
    events: byTicket.get(r.id) ?? [],
  }));
}

async function consistencyProblems(db: Kysely<DB>, brandId: string, now: Date): Promise<string[]> {
  const config = await loadWorkOrderConfig(db, brandId);
  const members = new Map<string, Set<string>>();
  for (const u of await db.selectFrom('users').select(['id', 'department_id']).where('department_id', 'is not', null).execute()) {
    const dept = u.department_id as string;
    if (!members.has(dept)) members.set(dept, new Set());
    members.get(dept)?.add(u.id);
  }
  const tickets = await loadCheckedTickets(db);
  return tickets.flatMap((t) => findTicketProblems(t, { now, policies: config.policies, calendars: config.calendars, members }).map((p) => `${t.id} ${t.status}: ${p}`));
}

// The upsert the ticket service takes numbers with (migration 20261127_0002 header).
async function takeNumber(db: Kysely<DB>, prefix: string, at: Date): Promise<number> {
  const row = await sql<{ last_value: number }>`
    insert into ticket_number_counters (prefix, day, last_value) values (${prefix}, ${getTicketNumberDate(at)}, 1)
    on conflict (prefix, day) do update set last_value = ticket_number_counters.last_value + 1
    returning last_value`.execute(db);
  return row.rows[0].last_value;
}

describe('the seeded demo center at full size', () => {
  let database: Database;
  let db: Kysely<DB>;
  let brandId: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db;
    brandId = (await db.selectFrom('brands').select('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => database.close());

  it('has 20,000 orders in every status, with urges, returns, reopens and first-contact resolutions', async () => {
    const rows = await db.selectFrom('tickets').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
    const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(20_000);
    for (const status of TICKET_STATUSES) expect(counts[status], status).toBeGreaterThan(0);
    const flags = await db
      .selectFrom('tickets')
      .select([
        sql<number>`count(*) filter (where urge_count > 0)::int`.as('urged'),
        sql<number>`count(*) filter (where return_count > 0)::int`.as('returned'),
        sql<number>`count(*) filter (where reopen_count > 0)::int`.as('reopened'),
        sql<number>`count(*) filter (where fcr)::int`.as('fcr'),
        sql<number>`count(*) filter (where escalation_level > 0)::int`.as('escalated'),
        sql<number>`count(*) filter (where sla_state = 'breached' and status in ('accepted','dispatched','in_progress','handled','returned'))::int`.as('openBreached'),
        sql<number>`count(*) filter (where sla_state = 'at_risk')::int`.as('atRisk'),
        sql<number>`count(*) filter (where sla_paused_at is not null)::int`.as('paused'),
      ])
      .executeTakeFirstOrThrow();
    for (const [key, n] of Object.entries(flags)) expect(n, key).toBeGreaterThan(0);
  });

  it('tells a consistent story for every stored order', async () => {
    const problems = await consistencyProblems(db, brandId, TEST_NOW);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('stores each day’s last sequence, so the next order of the day continues after it', async () => {
    const days = await sql<{ day: string; max_seq: number; last_value: number | null }>`
      select t.day, t.max_seq, c.last_value
      from (select substr(number, 3, 8) as day, max(substr(number, 11)::int) as max_seq from tickets group by 1) t
      left join ticket_number_counters c on c.prefix = 'GD' and to_char(c.day, 'YYYYMMDD') = t.day`.execute(db);
    expect(days.rows.length).toBeGreaterThan(85);
    for (const d of days.rows) expect(d.last_value, d.day).toBe(d.max_seq);
    const next = await takeNumber(db, 'GD', TEST_NOW);
    const todays = days.rows.find((d) => d.day === getTicketNumberDate(TEST_NOW).replaceAll('-', ''));
    expect(next).toBe((todays?.max_seq ?? 0) + 1);
    const taken = await db.selectFrom('tickets').select('id').where('number', '=', formatTicketNumber(TEST_NOW, next)).execute();
    expect(taken).toEqual([]);
  });

  it('has one resolved mass incident linked to about 60 repair orders of its area', async () => {
    const incidents = await db.selectFrom('incidents').selectAll().execute();
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident.status).toBe('resolved');
    expect(parseTicketNumber(incident.number, 'SJ')).not.toBeNull();
    const linked = await db.selectFrom('tickets').select(['category_code', 'area_id', 'status', 'replied_at', 'resolved_at']).where('incident_id', '=', incident.id).execute();
    expect(linked).toHaveLength(60);
    for (const t of linked) {
      expect(t.category_code.startsWith('fault-repair.')).toBe(true);
      expect(incident.area_ids).toContain(t.area_id);
      expect(t.replied_at).toEqual(incident.resolved_at);
    }
    expect(await takeNumber(db, 'SJ', incident.created_at)).toBe(2);
  });

  it('gives the demo customers their scripted orders and the urban crew open work', async () => {
    const orders = async (key: string) =>
      db.selectFrom('tickets').select(['category_code', 'status', 'urge_count', 'urgency', 'dispatched_to_user_id', 'department_id']).where('customer_id', '=', fixtureId(key)).execute();
    const portal = await orders('portal');
    expect(portal).toHaveLength(3);
    expect(portal.filter((t) => t.status === 'archived')).toHaveLength(2);
    const repair = await db.selectFrom('users').select(['id', 'department_id']).where('username', '=', 'repair').executeTakeFirstOrThrow();
    expect(portal.filter((t) => t.category_code.startsWith('fault-repair.') && t.status === 'in_progress')).toEqual([
      expect.objectContaining({ dispatched_to_user_id: repair.id, department_id: repair.department_id }),
    ]);
    const complaints = await orders('repeatComplainer');
    expect(complaints).toHaveLength(4);
    expect(complaints.filter((t) => t.status !== 'archived')).toEqual([expect.objectContaining({ urge_count: 2, urgency: 'critical' })]);
    const crewOpen = await db
      .selectFrom('tickets')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('department_id', '=', repair.department_id)
      .where('status', 'in', ['dispatched', 'in_progress'])
      .executeTakeFirstOrThrow();
    expect(crewOpen.n).toBeGreaterThanOrEqual(3);
  });

  it('makes orders findable by number and by Chinese words', async () => {
    const sample = await db.selectFrom('tickets').select(['id', 'number']).where('category_code', '=', 'fault-repair.low-voltage').orderBy('number').limit(1).executeTakeFirstOrThrow();
    const byNumber = await db
      .selectFrom('tickets')
      .select('id')
      .where(sql<boolean>`search_text @@ to_tsquery('simple', ${`${sample.number.toLowerCase()}:*`})`)
      .execute();
    expect(byNumber.map((r) => r.id)).toEqual([sample.id]);
    const outage = await db.selectFrom('tickets').select(sql<number>`count(*)::int`.as('n')).where(sql<boolean>`search_text @@ to_tsquery('simple', '停电:*')`).executeTakeFirstOrThrow();
    expect(outage.n).toBeGreaterThan(2000);
  });
});

describe('work-order defaults', () => {
  let database: Database;
  let db: Kysely<DB>;
  let brandId: string;
  let config: WorkOrderConfig;
  const now = new Date('2026-11-20T08:00:00Z');
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    db = database.db;
    await migrateToLatest(db);
    brandId = (await db.insertInto('brands').values({ code: 'b', name: 'B' }).returning('id').executeTakeFirstOrThrow()).id;
    expect(await installWorkOrderDefaults(db, { brandId, now })).toMatchObject({ installed: true });
    config = await loadWorkOrderConfig(db, brandId);
  });
  afterAll(() => database.close());

  it('installs the 95598 tree, both calendars and the preset policies, and reads them back', () => {
    expect(config.categories.map((c) => c.code).sort()).toEqual(STATE_GRID_CATEGORIES.map((c) => c.code).sort());
    expect(config.categories.find((c) => c.code === 'fault-repair')?.fields).toEqual(STATE_GRID_CATEGORIES.find((c) => c.code === 'fault-repair')?.fields);
    for (const c of DEFAULT_CALENDARS) expect(config.calendars.get(config.calendarIds.get(c.code) as string)).toEqual(c.definition);
    expect(config.policies).toHaveLength(buildDefaultSlaPolicies().length);
  });

  it('picks the area and urgent repair policies and the working-day calendar for complaints', () => {
    const pick = (categoryCode: string, priority: 'urgent' | 'normal', areaKind: AreaType | null) => chooseSlaPolicy(config.policies, { categoryCode, priority, areaKind });
    expect(pick('fault-repair.low-voltage', 'normal', 'rural')?.targets.arrive).toEqual({ amount: 90, unit: 'minutes', clock: 'natural' });
    expect(pick('fault-repair.low-voltage', 'normal', 'remote')?.targets.arrive).toEqual({ amount: 120, unit: 'minutes', clock: 'natural' });
    expect(pick('fault-repair.low-voltage', 'urgent', 'urban')?.targets.dispatch).toEqual({ amount: 2, unit: 'minutes', clock: 'natural' });
    expect(pick('fault-repair.low-voltage', 'urgent', 'urban')?.calendarId).toBe(config.calendarIds.get('24x7'));
    const complaint = pick('complaint.tariff', 'normal', 'urban');
    expect(complaint?.targets.reply).toEqual({ amount: 4, unit: 'working_days' });
    expect(complaint?.calendarId).toBe(config.calendarIds.get('workdays'));
    expect(complaint?.escalation.rules.length).toBeGreaterThan(0);
    expect(pick('inquiry.billing', 'urgent', null)?.targets.reply).toEqual({ amount: 4, unit: 'hours' });
  });

  it('does nothing the second time', async () => {
    expect(await installWorkOrderDefaults(db, { brandId, now })).toEqual({ installed: false, categories: 0, calendars: 0, policies: 0 });
    const count = await db.selectFrom('ticket_categories').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(STATE_GRID_CATEGORIES.length);
  });
});

describe('seedDemoCenter with a few hundred orders', () => {
  const options = { demoPasswordHash: 'demo-hash', now: new Date('2026-11-20T08:00:00Z'), customers: 300, tickets: 400 };
  let database: Database;
  let summary: DemoSeedSummary;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    await migrateToLatest(database.db);
    summary = await seedDemoCenter(database.db, options);
  });
  afterAll(() => database.close());

  it('reports the orders and events it wrote', async () => {
    expect(summary).toMatchObject({ seeded: true, tickets: 400 });
    const counts = await sql<{ tickets: number; events: number; rules: number }>`
      select (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_events) as events,
             (select count(*)::int from dispatch_rules) as rules`.execute(database.db);
    expect(counts.rows[0]).toMatchObject({ tickets: 400, events: summary.ticketEvents });
    expect(counts.rows[0].rules).toBeGreaterThan(10);
  });

  it('tells a consistent story for every stored order', async () => {
    const brandId = summary.brandId;
    expect(await consistencyProblems(database.db, brandId, options.now)).toEqual([]);
  });

  it('writes the same orders, ids and numbers included, into another database', async () => {
    const other = await openDatabase({ kind: 'pglite' });
    try {
      await migrateToLatest(other.db);
      await seedDemoCenter(other.db, options);
      const rows = (d: Kysely<DB>) => d.selectFrom('tickets').select(['id', 'number', 'status', 'created_at', 'category_code', 'customer_id']).orderBy('id').execute();
      expect(await rows(other.db)).toEqual(await rows(database.db));
    } finally {
      await other.close();
    }
  });
});
