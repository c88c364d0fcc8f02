import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { Executor } from '../../platform/audit.ts';
import type { AuthContext } from '../../platform/auth-context.ts';
import type { TicketDetailRow, TicketSummaryRow } from './tickets.mapper.ts';
import { ticketVisibility } from './tickets.scope.ts';

export const OPEN_STATUSES_SQL = ['accepted', 'dispatched', 'in_progress', 'handled', 'returned'] as const;

export type TicketListFilter = {
  statuses?: string[];
  open?: boolean;
  /** The category and its descendants, listed out so an index on category_code serves it. */
  categoryCodes?: string[];
  departmentId?: string;
  customerId?: string;
  assigneeId?: string;
  createdBy?: string;
  areaId?: string;
  incidentId?: string;
  slaState?: string;
  tsQuery?: string | null;
  number?: string | null;
};

function detailQuery(db: Executor) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .leftJoin('areas', 'areas.id', 'tickets.area_id')
    .leftJoin('departments', 'departments.id', 'tickets.department_id')
    .leftJoin('users as assignee', 'assignee.id', 'tickets.assignee_id')
    .leftJoin('users as dispatched_to', 'dispatched_to.id', 'tickets.dispatched_to_user_id')
    .leftJoin('users as creator', 'creator.id', 'tickets.created_by')
    .selectAll('tickets')
    .select([
      'customers.name as customer_name',
      'customers.flags as customer_flags',
      sql<string[]>`coalesce((select array_agg(ci.value order by ci.created_at) from customer_identities ci where ci.customer_id = customers.id and ci.kind = 'phone'), '{}')`.as('customer_phones'),
      'areas.name as area_name',
      'areas.kind as area_kind',
      'departments.name as department_name',
      'assignee.display_name as assignee_name',
      'dispatched_to.display_name as dispatched_to_name',
      'creator.display_name as created_by_name',
    ]);
}

export function createTicketsRepository(db: Kysely<DB>) {
  return {
    async getVisibleTicket(auth: AuthContext, id: string, trx: Executor = db): Promise<TicketDetailRow | undefined> {
      return (await detailQuery(trx).where('tickets.id', '=', id).where(ticketVisibility(auth)).executeTakeFirst()) as TicketDetailRow | undefined;
    },

    async getTicketById(id: string, trx: Executor = db): Promise<TicketDetailRow | undefined> {
      return (await detailQuery(trx).where('tickets.id', '=', id).executeTakeFirst()) as TicketDetailRow | undefined;
    },

    async ticketExists(id: string, trx: Executor = db) {
      return (await trx.selectFrom('tickets').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    /** Newest first, keyset-paginated on (created_at, id). */
    async listTickets(auth: AuthContext, f: TicketListFilter, limit: number, after?: [string, string]): Promise<TicketSummaryRow[]> {
      let q = db
        .selectFrom('tickets')
        .innerJoin('customers', 'customers.id', 'tickets.customer_id')
        .leftJoin('areas', 'areas.id', 'tickets.area_id')
        .leftJoin('departments', 'departments.id', 'tickets.department_id')
        .select([
          'tickets.id',
          'tickets.number',
          'tickets.category_code',
          'tickets.priority',
          'tickets.urgency',
          'tickets.status',
          'tickets.title',
          'tickets.customer_id',
          'customers.name as customer_name',
          'areas.name as area_name',
          'departments.name as department_name',
          'tickets.sla_state',
          sql<Date | null>`case tickets.status
            when 'accepted' then tickets.dispatch_due_at when 'returned' then tickets.dispatch_due_at
            when 'dispatched' then coalesce(tickets.arrive_due_at, tickets.handle_due_at)
            when 'in_progress' then tickets.handle_due_at
            when 'handled' then tickets.reply_due_at
            when 'replied' then tickets.follow_up_due_at else null end`.as('next_due_at'),
          'tickets.urge_count',
          'tickets.incident_id',
          'tickets.created_at',
        ])
        .where(ticketVisibility(auth))
        .where('tickets.merged_into_id', 'is', null);
      if (f.statuses?.length) q = q.where('tickets.status', 'in', f.statuses);
      if (f.open) q = q.where('tickets.status', 'in', [...OPEN_STATUSES_SQL, 'replied']);
      if (f.categoryCodes) q = q.where('tickets.category_code', 'in', f.categoryCodes.length ? f.categoryCodes : ['-']);
      if (f.departmentId) q = q.where('tickets.department_id', '=', f.departmentId);
      if (f.customerId) q = q.where('tickets.customer_id', '=', f.customerId);
      if (f.assigneeId) q = q.where((eb) => eb.or([eb('tickets.assignee_id', '=', f.assigneeId as string), eb('tickets.dispatched_to_user_id', '=', f.assigneeId as string)]));
      if (f.createdBy) q = q.where('tickets.created_by', '=', f.createdBy);
      if (f.areaId) q = q.where('tickets.area_id', '=', f.areaId);
      if (f.incidentId) q = q.where('tickets.incident_id', '=', f.incidentId);
      if (f.slaState) q = q.where('tickets.sla_state', '=', f.slaState);
      if (f.number) q = q.where('tickets.number', '=', f.number);
      if (f.tsQuery) q = q.where(sql<boolean>`tickets.search_text @@ to_tsquery('simple', ${f.tsQuery})`);
      if (after) q = q.where(sql<boolean>`(tickets.created_at, tickets.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      return (await q.orderBy('tickets.created_at', 'desc').orderBy('tickets.id', 'desc').limit(limit + 1).execute()) as TicketSummaryRow[];
    },

    async listEvents(ticketId: string) {
      return db
        .selectFrom('ticket_events')
        .leftJoin('users', 'users.id', 'ticket_events.actor_id')
        .select(['ticket_events.id', 'ticket_events.at', 'ticket_events.type', 'ticket_events.visibility', 'ticket_events.body', 'ticket_events.data', 'ticket_events.actor_id', 'users.display_name as actor_name'])
        .where('ticket_events.ticket_id', '=', ticketId)
        .orderBy('ticket_events.at')
        .orderBy('ticket_events.id')
        .execute();
    },

    /** Next number of the local day; its own statement so the counter row is locked only briefly. */
    async takeNumber(prefix: string, day: string): Promise<number> {
      const row = await sql<{ last_value: number }>`
        insert into ticket_number_counters (prefix, day, last_value) values (${prefix}, ${day}::date, 1)
        on conflict (prefix, day) do update set last_value = ticket_number_counters.last_value + 1
        returning last_value`.execute(db);
      return row.rows[0]?.last_value as number;
    },
  };
}

export type TicketsRepository = ReturnType<typeof createTicketsRepository>;
