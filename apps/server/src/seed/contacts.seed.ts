import type { DB } from '@kefu/db';
import type { OverflowAction } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { buildWebchatChannel, ensureAgentStates, WEBCHAT_CHANNEL_NAME } from './contact-config.seed.ts';
import { type ContactWorld, type GeneratedContacts, generateContacts } from './contact-generator.ts';
import { DEMO_WEBCHAT_CHANNEL_ID } from './demo-fixtures.ts';
import { daysBefore, insertInChunks, requireRef, type SeedContext } from './seed-context.ts';

export const DEFAULT_DEMO_CONTACTS = 30_000;
/** Contacts per customer when the count is not given: 30,000 for the default 5,000 customers. */
export const DEMO_CONTACTS_PER_CUSTOMER = 6;
const MAX_CUSTOMERS = 20_000;
const DAYS = 90;

// Rows go in as one JSON parameter per statement, as the work orders do: on PGlite that is much
// faster than binding tens of thousands of parameters (see insertRows).
const ROW_CHUNK = 5_000;
const EVENT_CHUNK = 20_000;

export type ContactSeedResult = {
  contacts: number;
  contactEvents: number;
  conversations: number;
  messages: number;
  callbackTasks: number;
  linkedTickets: number;
};

/**
 * Gives the demo brand's website chat channel the fixed id DEMO_WEBCHAT_CHANNEL_ID. The bootstrap
 * made it with a random id before anyone knew this would be the demo; nothing refers to it yet,
 * so it is re-keyed in place (or, if something already does, a second one is added).
 */
export async function adoptDemoWebchatChannel(db: Kysely<DB>, brandId: string, now: Date): Promise<string> {
  const present = await db.selectFrom('channels').select('id').where('id', '=', DEMO_WEBCHAT_CHANNEL_ID).executeTakeFirst();
  if (present) return present.id;
  const rekeyed = await db
    .updateTable('channels')
    .set({ id: DEMO_WEBCHAT_CHANNEL_ID })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('channels as c')
        .select('c.id')
        .where('c.brand_id', '=', brandId)
        .where('c.type', '=', 'webchat')
        .where('c.name', '=', WEBCHAT_CHANNEL_NAME)
        .where((w) => w.not(w.exists(w.selectFrom('visitors').select('visitors.id').whereRef('visitors.channel_id', '=', 'c.id'))))
        .where((w) => w.not(w.exists(w.selectFrom('conversations').select('conversations.id').whereRef('conversations.channel_id', '=', 'c.id'))))
        .orderBy('c.created_at')
        .limit(1),
    )
    .executeTakeFirst();
  if (Number(rekeyed.numUpdatedRows) > 0) return DEMO_WEBCHAT_CHANNEL_ID;
  const general = await db.selectFrom('queues').select('id').where('brand_id', '=', brandId).where('code', '=', 'general').executeTakeFirst();
  await db.insertInto('channels').values(buildWebchatChannel(brandId, general?.id ?? null, now, DEMO_WEBCHAT_CHANNEL_ID)).execute();
  return DEMO_WEBCHAT_CHANNEL_ID;
}

/** The world the generator needs, read back from what the earlier seed modules wrote. */
export async function loadContactWorld(ctx: SeedContext, webchatChannelId: string | null): Promise<ContactWorld> {
  const customers = requireRef(ctx.refs, 'customers');
  const fixtureIds = Object.values(customers.fixtures);
  const since = daysBefore(ctx.now, DAYS + 1);
  const identity = (kind: string, alias: string) =>
    sql<string | null>`(select min(i.value) from customer_identities i where i.customer_id = c.id and i.kind = ${kind})`.as(alias);
  // Callers come from at most MAX_CUSTOMERS customers (the first by id), as for the work orders.
  const customerQuery = () =>
    ctx.db
      .selectFrom('customers as c')
      .leftJoin('areas as a', 'a.id', 'c.area_id')
      .select(['c.id', 'c.name', 'c.area_id', 'c.preferred_language', 'c.flags', 'a.account_manager_id'])
      .select([identity('phone', 'phone'), identity('email', 'email'), identity('wechat_openid', 'wechat')])
      .where('c.brand_id', '=', ctx.brandId);
  const [queues, agents, sampled, fixtureRows, tickets, incidents, reasons] = await Promise.all([
    ctx.db.selectFrom('queues').selectAll().where('brand_id', '=', ctx.brandId).where('active', '=', true).orderBy('position').orderBy('code').execute(),
    ctx.db
      .selectFrom('users')
      .innerJoin('user_brands', 'user_brands.user_id', 'users.id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.skills'])
      .where('user_brands.brand_id', '=', ctx.brandId)
      .where('users.role', 'in', ['agent', 'supervisor'])
      .where('users.disabled', '=', false)
      .orderBy('users.username')
      .execute(),
    customerQuery().orderBy('c.id').limit(MAX_CUSTOMERS).execute(),
    fixtureIds.length > 0 ? customerQuery().where('c.id', 'in', fixtureIds).orderBy('c.id').execute() : [],
    ctx.db
      .selectFrom('tickets')
      .select(['id', 'customer_id', 'channel', 'category_code', 'created_at', 'created_by', 'incident_id'])
      .where('brand_id', '=', ctx.brandId)
      .where('created_at', '>=', since)
      .where('origin_contact_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    ctx.db.selectFrom('incidents').select(['id', 'area_ids', 'started_at', 'resolved_at']).where('brand_id', '=', ctx.brandId).orderBy('started_at').execute(),
    ctx.db.selectFrom('reason_codes').select(['code', 'parent_code']).where('brand_id', '=', ctx.brandId).where('active', '=', true).orderBy('code').execute(),
  ]);
  const sampledIds = new Set(sampled.map((c) => c.id));
  const parents = new Set(reasons.map((r) => r.parent_code).filter((p) => p !== null));
  return {
    now: ctx.now,
    queues: queues.map((q) => ({
      id: q.id,
      code: q.code,
      channels: q.channels,
      requiredSkills: q.required_skills,
      maxWaitSeconds: q.max_wait_seconds,
      overflowAction: q.overflow_action as OverflowAction,
      callbackWithinMinutes: q.callback_within_minutes,
      offerTimeoutSeconds: q.offer_timeout_seconds,
    })),
    agents: agents.map((a) => ({ id: a.id, username: a.username, displayName: a.display_name, role: a.role, skills: a.skills })),
    customers: [...sampled, ...fixtureRows.filter((c) => !sampledIds.has(c.id))].map((c) => ({
      id: c.id,
      name: c.name,
      areaId: c.area_id,
      preferredLanguage: c.preferred_language,
      flags: c.flags,
      phone: c.phone,
      email: c.email,
      wechatOpenid: c.wechat,
      accountManagerId: c.account_manager_id,
    })),
    tickets: tickets.map((t) => ({
      id: t.id,
      customerId: t.customer_id,
      channel: t.channel,
      categoryCode: t.category_code,
      createdAt: t.created_at,
      createdBy: t.created_by,
      incidentId: t.incident_id,
    })),
    incidents: incidents.map((i) => ({ id: i.id, areaIds: i.area_ids, startedAt: i.started_at, resolvedAt: i.resolved_at })),
    reasonCodes: reasons.filter((r) => !parents.has(r.code)).map((r) => r.code),
    fixtures: customers.fixtures,
    webchatChannelId,
  };
}

/**
 * Three months of contacts (`count`, default 30,000) with their timelines, the chat conversations
 * of the last two weeks, callback tasks for the overflowed and the originating contact of most
 * work orders. Needs org, customers, work orders and the contact defaults.
 */
export async function seedContacts(ctx: SeedContext, options: { count?: number } = {}): Promise<ContactSeedResult> {
  await ensureAgentStates(ctx.db, ctx.brandId, ctx.now);
  const channelId = await adoptDemoWebchatChannel(ctx.db, ctx.brandId, ctx.now);
  const world = await loadContactWorld(ctx, channelId);
  const generated = generateContacts(ctx.rng.fork('contacts'), world, { count: options.count ?? DEFAULT_DEMO_CONTACTS, days: DAYS });
  return writeContacts(ctx, generated);
}

/** A column of a positional row: its name and the type its JSON text is cast to (jsonb: taken as is). */
type Column = readonly [name: string, type: 'uuid' | 'text' | 'int' | 'bigint' | 'timestamptz' | 'boolean' | 'jsonb' | 'text[]' | 'uuid[]'];

/**
 * Inserts rows given as arrays in `columns` order, one JSON document per chunk. Positional rows are
 * about a third smaller than objects and skip jsonb_populate_recordset's key matching, which on
 * PGlite saves a sixth or so of the CPU on the 150,000 timeline rows. Row order is kept (bigserial
 * ids follow it).
 */
async function insertRows(db: Kysely<DB>, table: keyof DB, columns: readonly Column[], rows: readonly unknown[][], chunkSize: number) {
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  const values = sql.join(columns.map(([, type], i) => (type === 'jsonb' ? sql`e->${sql.raw(String(i))}` : sql`(e->>${sql.raw(String(i))})::${sql.raw(type)}`)));
  await insertInChunks(rows, chunkSize, (chunk) =>
    sql`insert into ${sql.table(table)} (${names}) select ${values} from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) as e`.execute(db),
  );
}

// A PostgreSQL array literal of ids or codes (no quoting needed: [a-z0-9-] only).
const pgArray = (items: readonly string[]) => `{${items.join(',')}}`;

const CONTACT_COLUMNS: readonly Column[] = [
  ['id', 'uuid'],
  ['brand_id', 'uuid'],
  ['conversation_id', 'uuid'],
  ['channel', 'text'],
  ['direction', 'text'],
  ['status', 'text'],
  ['queue_id', 'uuid'],
  ['agent_id', 'uuid'],
  ['customer_id', 'uuid'],
  ['priority', 'text'],
  ['required_skills', 'text[]'],
  ['account_manager_id', 'uuid'],
  ['declined_agent_ids', 'uuid[]'],
  ['created_at', 'timestamptz'],
  ['queued_at', 'timestamptz'],
  ['waiting_since', 'timestamptz'],
  ['offered_at', 'timestamptz'],
  ['answered_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['wrapped_up_at', 'timestamptz'],
  ['last_changed_at', 'timestamptz'],
  ['talk_ms', 'bigint'],
  ['hold_ms', 'bigint'],
  ['offer_count', 'int'],
  ['end_reason', 'text'],
  ['overflow_action', 'text'],
  ['reason_code', 'text'],
  ['outcome', 'text'],
  ['from_address', 'text'],
  ['to_address', 'text'],
  ['version', 'int'],
];

/**
 * Lets the bulk inserts skip PostgreSQL's per-row foreign-key triggers when the role may
 * (superuser: PGlite always, a development PostgreSQL usually): each check is a locking lookup,
 * and on PGlite they are a quarter of the contact seed's time. endBulkLoad then checks every
 * reference of the new rows in one set-based pass, so a dangling id still aborts the seed.
 * Returns false (and changes nothing) for an ordinary role.
 */
async function beginBulkLoad(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select current_setting('is_superuser') = 'on' as ok`.execute(db);
  if (!rows[0]?.ok) return false;
  await sql`set local session_replication_role = replica`.execute(db);
  return true;
}

async function endBulkLoad(db: Kysely<DB>, brandId: string): Promise<void> {
  await sql`set local session_replication_role = origin`.execute(db);
  const { rows } = await sql<Record<string, number>>`select
    (select count(*)::int from conversations v where v.brand_id = ${brandId}
       and ((v.channel_id is not null and not exists (select 1 from channels x where x.id = v.channel_id))
         or (v.customer_id is not null and not exists (select 1 from customers x where x.id = v.customer_id)))) as conversations,
    (select count(*)::int from contacts c where c.brand_id = ${brandId}
       and ((c.conversation_id is not null and not exists (select 1 from conversations x where x.id = c.conversation_id))
         or (c.queue_id is not null and not exists (select 1 from queues x where x.id = c.queue_id))
         or (c.agent_id is not null and not exists (select 1 from users x where x.id = c.agent_id))
         or (c.customer_id is not null and not exists (select 1 from customers x where x.id = c.customer_id))
         or (c.account_manager_id is not null and not exists (select 1 from users x where x.id = c.account_manager_id)))) as contacts,
    (select count(*)::int from contact_events e where not exists (select 1 from contacts x where x.id = e.contact_id)) as contact_events,
    (select count(*)::int from messages m where not exists (select 1 from conversations x where x.id = m.conversation_id)
       or (m.contact_id is not null and not exists (select 1 from contacts x where x.id = m.contact_id))) as messages,
    (select count(*)::int from contact_tickets l where not exists (select 1 from contacts x where x.id = l.contact_id)
       or not exists (select 1 from tickets x where x.id = l.ticket_id)) as contact_tickets,
    (select count(*)::int from callback_tasks t where t.brand_id = ${brandId}
       and ((t.contact_id is not null and not exists (select 1 from contacts x where x.id = t.contact_id))
         or (t.customer_id is not null and not exists (select 1 from customers x where x.id = t.customer_id))
         or (t.queue_id is not null and not exists (select 1 from queues x where x.id = t.queue_id))
         or (t.assignee_id is not null and not exists (select 1 from users x where x.id = t.assignee_id)))) as callback_tasks`.execute(db);
  const dangling = Object.entries(rows[0] ?? {}).filter(([, n]) => n > 0);
  if (dangling.length > 0) throw new Error(`contact seed: rows with dangling references: ${dangling.map(([t, n]) => `${t} ${n}`).join(', ')}`);
}

async function writeContacts(ctx: SeedContext, generated: GeneratedContacts): Promise<ContactSeedResult> {
  const { brandId, db } = ctx;
  const { contacts, conversations, callbackTasks } = generated;
  const bulk = await beginBulkLoad(db);
  // Conversations first: contacts refer to them.
  await insertRows(
    db,
    'conversations',
    [
      ['id', 'uuid'],
      ['brand_id', 'uuid'],
      ['channel', 'text'],
      ['channel_id', 'uuid'],
      ['customer_id', 'uuid'],
      ['status', 'text'],
      ['subject', 'text'],
      ['last_seq', 'int'],
      ['customer_delivered_seq', 'int'],
      ['customer_read_seq', 'int'],
      ['agent_read_seq', 'int'],
      ['last_message_at', 'timestamptz'],
      ['created_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
    ],
    conversations.map((c) => {
      const n = c.messages.length;
      return [c.id, brandId, c.channel, c.channelId, c.customerId, 'closed', c.subject, n, n, n, n, c.lastMessageAt, c.createdAt, c.closedAt];
    }),
    ROW_CHUNK,
  );
  await insertRows(
    db,
    'contacts',
    CONTACT_COLUMNS,
    contacts.map((c) => [
      c.id,
      brandId,
      c.conversationId,
      c.channel,
      c.direction,
      c.status,
      c.queueId,
      c.agentId,
      c.customerId,
      c.priority,
      pgArray(c.requiredSkills),
      c.accountManagerId,
      pgArray(c.declinedAgentIds),
      c.createdAt,
      c.queuedAt,
      c.waitingSince,
      c.offeredAt,
      c.answeredAt,
      c.endedAt,
      c.wrappedUpAt,
      c.lastChangedAt,
      c.talkMs,
      c.holdMs,
      c.offerCount,
      c.endReason,
      c.overflowAction,
      c.reasonCode,
      c.outcome,
      c.fromAddress,
      c.toAddress,
      c.version,
    ]),
    ROW_CHUNK,
  );
  // In timeline order per contact: the bigserial ids then order equal times correctly.
  const events: unknown[][] = [];
  for (const c of contacts) for (const e of c.events) events.push([c.id, e.type, e.from, e.to, e.at, e.actorId, e.details]);
  await insertRows(
    db,
    'contact_events',
    [
      ['contact_id', 'uuid'],
      ['type', 'text'],
      ['from_status', 'text'],
      ['to_status', 'text'],
      ['at', 'timestamptz'],
      ['actor_id', 'uuid'],
      ['details', 'jsonb'],
    ],
    events,
    EVENT_CHUNK,
  );
  const messages: unknown[][] = [];
  for (const c of conversations) for (const m of c.messages) messages.push([m.id, c.id, m.seq, m.contactId, m.senderType, m.senderId, m.senderName, m.body, m.createdAt]);
  await insertRows(
    db,
    'messages',
    [
      ['id', 'uuid'],
      ['conversation_id', 'uuid'],
      ['seq', 'int'],
      ['contact_id', 'uuid'],
      ['sender_type', 'text'],
      ['sender_id', 'uuid'],
      ['sender_name', 'text'],
      ['body', 'text'],
      ['created_at', 'timestamptz'],
    ],
    messages,
    EVENT_CHUNK,
  );
  const links = contacts.filter((c) => c.ticketId !== null).map((c) => [c.id, c.ticketId, c.endedAt ?? c.createdAt]);
  await insertRows(
    db,
    'contact_tickets',
    [
      ['contact_id', 'uuid'],
      ['ticket_id', 'uuid'],
      ['created_at', 'timestamptz'],
    ],
    links,
    EVENT_CHUNK,
  );
  await insertRows(
    db,
    'callback_tasks',
    [
      ['id', 'uuid'],
      ['brand_id', 'uuid'],
      ['contact_id', 'uuid'],
      ['customer_id', 'uuid'],
      ['queue_id', 'uuid'],
      ['kind', 'text'],
      ['name', 'text'],
      ['phone', 'text'],
      ['message', 'text'],
      ['due_at', 'timestamptz'],
      ['status', 'text'],
      ['assignee_id', 'uuid'],
      ['outcome', 'text'],
      ['created_at', 'timestamptz'],
      ['done_at', 'timestamptz'],
    ],
    callbackTasks.map((t) => [t.id, brandId, t.contactId, t.customerId, t.queueId, t.kind, t.name, t.phone, t.message, t.dueAt, t.status, t.assigneeId, t.outcome, t.createdAt, t.doneAt]),
    ROW_CHUNK,
  );
  if (bulk) await endBulkLoad(db, brandId);
  await insertInChunks(links, EVENT_CHUNK, (chunk) =>
    sql`update tickets t set origin_contact_id = (e->>0)::uuid
      from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) as e
      where t.id = (e->>1)::uuid`.execute(db),
  );
  // The agents' last contact, as the live presence would have recorded it.
  await sql`update agent_states s set last_contact_ended_at = x.ended_at, last_offered_at = x.offered_at, updated_at = ${ctx.now}
    from (select agent_id, max(ended_at) as ended_at, max(offered_at) as offered_at from contacts
          where brand_id = ${brandId} and agent_id is not null group by agent_id) x
    where s.user_id = x.agent_id`.execute(db);
  return {
    contacts: contacts.length,
    contactEvents: events.length,
    conversations: conversations.length,
    messages: messages.length,
    callbackTasks: callbackTasks.length,
    linkedTickets: links.length,
  };
}
