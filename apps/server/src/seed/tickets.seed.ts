import type { DispatchRule } from '@kefu/domain';
import { sql } from 'kysely';
import { toSearchDocument } from '../platform/text-search.ts';
import { DEMO_DEPARTMENTS } from './org.seed.ts';
import { insertInChunks, requireRef, type SeedContext } from './seed-context.ts';
import { type GeneratedTicket, type GeneratedWorkOrders, generateWorkOrders, type TicketWorld } from './ticket-generator.ts';
import { loadWorkOrderConfig } from './work-order-config.seed.ts';

export const DEFAULT_DEMO_TICKETS = 20_000;
/** Orders per customer when the count is not given: 20,000 for the default 5,000 customers. */
export const DEMO_TICKETS_PER_CUSTOMER = 4;
const MAX_CALLERS = 20_000;

// Rows go in as one JSON parameter per statement (jsonb_populate_record): on PGlite that is
// faster than binding tens of thousands of parameters, and it has no parameter limit.
const TICKET_CHUNK = 2_000;
const EVENT_CHUNK = 20_000;

export type TicketSeedResult = { tickets: number; ticketEvents: number; incidents: number };

/** The world the generator needs, read back from what the earlier seed modules wrote. */
export async function loadTicketWorld(ctx: SeedContext, dispatchRules: readonly DispatchRule[]): Promise<TicketWorld> {
  const org = requireRef(ctx.refs, 'org');
  const areas = requireRef(ctx.refs, 'areas');
  const customers = requireRef(ctx.refs, 'customers');
  const config = await loadWorkOrderConfig(ctx.db, ctx.brandId);
  const staffIds = Object.values(org.users);
  const fixtureIds = Object.values(customers.fixtures);
  // Callers come from at most MAX_CALLERS customers (the first by id: a fixed pseudo-random
  // sample), so a benchmark archive of a million customers does not have to be read into memory.
  // Freshly seeded tables have no statistics yet; without them PostgreSQL plans the per-caller
  // meter lookup as a scan of every identity (minutes at a million customers).
  await sql`analyze customers`.execute(ctx.db);
  await sql`analyze customer_identities`.execute(ctx.db);
  const customerQuery = () =>
    ctx.db
      .selectFrom('customers as c')
      .select(['c.id', 'c.area_id', 'c.addresses', 'c.preferred_language', 'c.flags'])
      .select((eb) =>
        eb
          .selectFrom('customer_identities as i')
          .select((e) => e.fn.min('i.value').as('v'))
          .whereRef('i.customer_id', '=', 'c.id')
          .where('i.kind', '=', 'meter')
          .as('meter'),
      )
      .where('c.brand_id', '=', ctx.brandId);
  const [sampled, fixtureRows, staffRows] = await Promise.all([
    customerQuery().orderBy('c.id').limit(MAX_CALLERS).execute(),
    fixtureIds.length > 0 ? customerQuery().where('c.id', 'in', fixtureIds).orderBy('c.id').execute() : [],
    ctx.db.selectFrom('users').select(['id', 'username', 'role', 'languages']).where('id', 'in', staffIds).orderBy('username').execute(),
  ]);
  const sampledIds = new Set(sampled.map((c) => c.id));
  const customerRows = [...sampled, ...fixtureRows.filter((c) => !sampledIds.has(c.id))];
  return {
    now: ctx.now,
    customers: customerRows.map((c) => ({
      id: c.id,
      areaId: c.area_id,
      address: (c.addresses.find((a) => a.primary) ?? c.addresses[0])?.text ?? '',
      preferredLanguage: c.preferred_language,
      flags: c.flags,
      meter: c.meter ?? null,
    })),
    areas: areas.map((a) => ({ id: a.id, code: a.code, name: a.name, kind: a.kind })),
    departments: DEMO_DEPARTMENTS.map((d) => ({
      id: org.departments[d.code],
      code: d.code,
      name: d.name,
      memberIds: d.members.map((u) => org.users[u]).filter(Boolean),
    })),
    staff: staffRows,
    categories: config.categories,
    policies: config.policies,
    calendars: config.calendars,
    dispatchRules,
    fixtures: customers.fixtures,
  };
}

/**
 * About `count` work orders over the last 90 days with their timelines, one resolved mass
 * incident, and the day counters so that orders created later continue the numbering.
 * Needs org, areas, customers, the work-order defaults and the dispatch rules.
 */
export async function seedTickets(ctx: SeedContext, options: { count?: number; dispatchRules: readonly DispatchRule[] }): Promise<TicketSeedResult> {
  const world = await loadTicketWorld(ctx, options.dispatchRules);
  const generated = generateWorkOrders(ctx.rng.fork('tickets'), world, { count: options.count ?? DEFAULT_DEMO_TICKETS });
  return writeWorkOrders(ctx, generated);
}

async function writeWorkOrders(ctx: SeedContext, generated: GeneratedWorkOrders): Promise<TicketSeedResult> {
  const { brandId } = ctx;
  if (generated.incidents.length > 0) {
    await ctx.db
      .insertInto('incidents')
      .values(
        generated.incidents.map((i) => ({
          id: i.id,
          brand_id: brandId,
          number: i.number,
          title: i.title,
          area_ids: i.areaIds,
          started_at: i.startedAt,
          expected_restore_at: i.expectedRestoreAt,
          status: i.status,
          description: i.description,
          resolution: i.resolution,
          department_id: i.departmentId,
          created_by: i.createdBy,
          created_at: i.createdAt,
          updated_at: i.updatedAt,
          resolved_at: i.resolvedAt,
          closed_at: null,
        })),
      )
      .execute();
  }
  const first = generated.tickets[0];
  const ticketColumns = first ? Object.keys(toTicketRow(first, brandId)).filter((c) => c !== DOC_KEY) : [];
  await insertInChunks(generated.tickets, TICKET_CHUNK, (chunk) =>
    sql`insert into tickets (${sql.join(ticketColumns.map((c) => sql.ref(c)))}, search_text)
      select ${sql.join(ticketColumns.map((c) => sql.ref(`p.${c}`)))}, to_tsvector('simple', e->>${DOC_KEY})
      from jsonb_array_elements(${JSON.stringify(chunk.map((t) => toTicketRow(t, brandId)))}::jsonb) as e
      cross join lateral jsonb_populate_record(null::tickets, e) as p`.execute(ctx.db),
  );
  const events = generated.tickets.flatMap((t) =>
    t.events.map((e) => ({ ticket_id: t.id, at: e.at, actor_id: e.actorId, type: e.type, visibility: e.visibility, body: e.body, data: e.data })),
  );
  // In timeline order per order: the identity ids then break ties of equal times correctly.
  await insertInChunks(events, EVENT_CHUNK, (chunk) =>
    sql`insert into ticket_events (ticket_id, at, actor_id, type, visibility, body, data)
      select ticket_id, at, actor_id, type, visibility, body, data
      from jsonb_populate_recordset(null::ticket_events, ${JSON.stringify(chunk)}::jsonb)`.execute(ctx.db),
  );
  if (generated.counters.length > 0) {
    // A counter row may exist when orders were already taken today: keep the higher value.
    await ctx.db
      .insertInto('ticket_number_counters')
      .values(generated.counters.map((c) => ({ prefix: c.prefix, day: c.day, last_value: c.lastValue })))
      .onConflict((oc) =>
        oc.columns(['prefix', 'day']).doUpdateSet({ last_value: sql<number>`greatest(ticket_number_counters.last_value, excluded.last_value)` }),
      )
      .execute();
  }
  return { tickets: generated.tickets.length, ticketEvents: events.length, incidents: generated.incidents.length };
}

const DOC_KEY = '_search_document';

// A tickets row as JSON: column → value, plus the search document to_tsvector reads.
function toTicketRow(t: GeneratedTicket, brandId: string) {
  return {
    id: t.id,
    brand_id: brandId,
    number: t.number,
    category_code: t.categoryCode,
    priority: t.priority,
    urgency: t.urgency,
    status: t.status,
    customer_id: t.customerId,
    origin_contact_id: null,
    channel: t.channel,
    title: t.title,
    description: t.description,
    fields: t.fields,
    tags: t.tags,
    area_id: t.areaId,
    department_id: t.departmentId,
    assignee_id: t.assigneeId,
    dispatched_to_user_id: t.dispatchedToUserId,
    incident_id: t.incidentId,
    merged_into_id: null,
    parent_id: null,
    created_by: t.createdBy,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    accepted_at: t.acceptedAt,
    contacted_at: t.contactedAt,
    dispatched_at: t.dispatchedAt,
    arrived_at: t.arrivedAt,
    handled_at: t.handledAt,
    replied_at: t.repliedAt,
    followed_up_at: t.followedUpAt,
    archived_at: t.archivedAt,
    resolved_at: t.resolvedAt,
    urge_count: t.urgeCount,
    reopen_count: t.reopenCount,
    return_count: t.returnCount,
    dispatch_count: t.dispatchCount,
    escalation_level: t.escalationLevel,
    fcr: t.fcr,
    sla_policy_id: t.slaPolicyId,
    accept_due_at: t.due.acceptDueAt ?? null,
    contact_due_at: t.due.contactDueAt ?? null,
    dispatch_due_at: t.due.dispatchDueAt ?? null,
    arrive_due_at: t.due.arriveDueAt ?? null,
    handle_due_at: t.due.handleDueAt ?? null,
    reply_due_at: t.due.replyDueAt ?? null,
    follow_up_due_at: t.due.followUpDueAt ?? null,
    sla_state: t.slaState,
    sla_paused_at: t.slaPausedAt,
    sla_paused_minutes: 0,
    sla_fired: t.slaFired,
    sla_next_check_at: t.slaNextCheckAt,
    version: t.version,
    [DOC_KEY]: toSearchDocument([t.number, t.title, t.description]),
  };
}
