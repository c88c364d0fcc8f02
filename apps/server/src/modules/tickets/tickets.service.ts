import type { TCreateTicketRequest, TTicketAction, TTicketListQuery } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import {
  type AreaType,
  buildCategoryTree,
  checkCategoryCode,
  chooseDispatchTarget,
  chooseSlaPolicy,
  computeDueTimes,
  decideUrging,
  findActionTo,
  formatTicketNumber,
  getTicketNumberDate,
  isOpen,
  listCategoryFields,
  normalizeTicketNumber,
  isCategoryWithin,
  isTicketNumber,
  type Permission,
  planUrge,
  type SlaDueTimes,
  type SlaPriority,
  shiftForPause,
  type TicketAction,
  type TicketCategory,
  type TicketEvent,
  type TicketState,
  type TicketStatus,
  transition,
  validateCategoryFields,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { enqueueEvent, type Executor, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, ZKeysetCursor } from '../../platform/pagination.ts';
import { toPrefixQuery, toSearchDocument } from '../../platform/text-search.ts';
import { customerVisibility } from '../customers/customers.scope.ts';
import type { WorkOrderConfig, WorkOrderConfigCache } from './tickets.config.ts';
import { ticketNotFound, transitionRefused, versionConflict } from './tickets.errors.ts';
import { ticketVisibility } from './tickets.scope.ts';
import { type TicketDetailRow, toTicket, toTicketSummary } from './tickets.mapper.ts';
import { createTicketsRepository } from './tickets.repository.ts';

/** Who may perform each action; any one of the listed permissions suffices. */
const ACTION_PERMISSIONS: Readonly<Record<TTicketAction['type'], readonly Permission[]>> = {
  dispatch: ['ticket:dispatch'],
  accept_dispatch: ['ticket:handle', 'ticket:dispatch'],
  arrive: ['ticket:handle', 'ticket:dispatch'],
  handle: ['ticket:handle', 'ticket:dispatch'],
  return: ['ticket:handle', 'ticket:dispatch'],
  reply: ['ticket:update'],
  resolve_at_first_contact: ['ticket:update'],
  follow_up: ['ticket:update'],
  archive: ['ticket:update'],
  reopen: ['ticket:update'],
  urge: ['ticket:update'],
  pause: ['ticket:update', 'ticket:dispatch'],
  resume: ['ticket:update', 'ticket:dispatch'],
};

/** Who watches every order of the brand live: dispatchers and the board's readers. */
export const TICKET_WATCHERS = ['ticket:dispatch', 'dashboard:read'];

// Replies to the customer are customer-visible; everything else stays internal.
const CUSTOMER_VISIBLE_EVENTS = new Set(['replied', 'resolved_at_first_contact']);

const DUE_COLUMNS = {
  accept: 'accept_due_at',
  contact: 'contact_due_at',
  dispatch: 'dispatch_due_at',
  arrive: 'arrive_due_at',
  handle: 'handle_due_at',
  reply: 'reply_due_at',
  followUp: 'follow_up_due_at',
} as const;

function dueColumns(due: SlaDueTimes) {
  const out: Record<string, Date | null> = {};
  for (const [milestone, column] of Object.entries(DUE_COLUMNS)) out[column] = due[`${milestone as keyof typeof DUE_COLUMNS}DueAt`] ?? null;
  return out;
}

export function stateOf(row: TicketDetailRow): TicketState {
  return {
    status: row.status as TicketStatus,
    urgency: row.urgency as TicketState['urgency'],
    urgeCount: row.urge_count,
    reopenCount: row.reopen_count,
    returnCount: row.return_count,
    dispatchCount: row.dispatch_count,
    departmentId: row.department_id,
    pausedAt: row.sla_paused_at,
    arrivedAt: row.arrived_at,
    handledAt: row.handled_at,
    resolvedAt: row.replied_at ?? row.resolved_at,
    resolvedAtFirstContact: row.fcr,
    closedAt: row.archived_at,
  };
}

function bodyOf(action: TTicketAction): string | null {
  switch (action.type) {
    case 'dispatch':
      return action.note ?? null;
    case 'handle':
      return action.result;
    case 'return':
    case 'reopen':
      return action.reason;
    case 'reply':
      return action.message;
    case 'resolve_at_first_contact':
      return action.resolution;
    case 'follow_up':
    case 'urge':
      return action.note ?? null;
    case 'pause':
      return action.reason ?? null;
    default:
      return null;
  }
}

export type Clock = () => Date;

export function createTicketsService({ db, clock, config }: { db: Kysely<DB>; clock: Clock; config: WorkOrderConfigCache }) {
  const repo = createTicketsRepository(db);

  async function loadVisible(auth: AuthContext, id: string, trx: Executor = db) {
    const row = await repo.getVisibleTicket(auth, id, trx);
    if (row) return row;
    if (await repo.ticketExists(id, trx)) throw new AppError('auth.forbidden', 'This work order is outside your data scope');
    throw ticketNotFound(id);
  }

  async function view(auth: AuthContext, id: string) {
    const row = await loadVisible(auth, id);
    return toTicket(row, (await config.get(row.brand_id)).categories);
  }

  function categoryName(categories: readonly TicketCategory[], language: 'zh' | 'en') {
    const byCode = new Map(categories.map((c) => [c.code, c]));
    const name = (c: TicketCategory) => (language === 'en' ? c.nameEn || c.nameZh : c.nameZh);
    return (code: string) => {
      const c = byCode.get(code);
      const parent = c?.parentCode ? byCode.get(c.parentCode) : undefined;
      return c ? (parent ? `${name(parent)} / ${name(c)}` : name(c)) : code;
    };
  }

  async function resolveDepartment(
    trx: Executor,
    cfg: WorkOrderConfig,
    row: Pick<TicketDetailRow, 'category_code' | 'area_id' | 'area_kind' | 'priority'>,
    departmentId?: string,
    assigneeId?: string,
  ) {
    if (departmentId) {
      if (!cfg.departmentsById.has(departmentId)) throw new AppError('ticket.unknown_department', 'Unknown department', { departmentId });
    } else {
      const target = chooseDispatchTarget(cfg.dispatchRules, {
        categoryCode: row.category_code,
        areaId: row.area_id,
        areaKind: (row.area_kind as AreaType | null) ?? null,
        priority: row.priority as SlaPriority,
      });
      const dept = target ? cfg.departmentsByCode.get(target.departmentCode) : undefined;
      if (!dept) throw new AppError('ticket.no_dispatch_target', 'No dispatch rule matches; choose a department');
      departmentId = dept.id;
      assigneeId ??= target?.assigneeId ?? undefined;
    }
    if (assigneeId) {
      const user = await trx.selectFrom('users').select(['department_id']).where('id', '=', assigneeId).executeTakeFirst();
      if (!user || user.department_id !== departmentId) throw new AppError('ticket.unknown_department', 'The assignee is not a member of the department', { assigneeId, departmentId });
    }
    return { departmentId, assigneeId: assigneeId ?? null };
  }

  /** The people who hear about a change of the order: its holders, its creator, and `extra`. */
  function notifyUsers(row: TicketDetailRow, extra: string[] = []): string[] {
    return [...new Set([row.assignee_id, row.dispatched_to_user_id, row.created_by, ...extra].filter((x): x is string => Boolean(x)))];
  }

  /**
   * Applies one action through the state machine and persists the result, its timeline entries,
   * audit and outbox in the caller's transaction. Refusals are 409 with the machine's reason.
   */
  async function applyAction(trx: Executor, ctx: RequestContext, row: TicketDetailRow, action: TTicketAction, now: Date): Promise<TicketEvent[]> {
    const cfg = await config.get(row.brand_id, trx);
    let domainAction: TicketAction;
    let dispatchTo: { departmentId: string; assigneeId: string | null } | null = null;
    switch (action.type) {
      case 'dispatch':
        dispatchTo = await resolveDepartment(trx, cfg, row, action.departmentId, action.assigneeId);
        domainAction = { type: 'dispatch', departmentId: dispatchTo.departmentId, ...(action.note ? { note: action.note } : {}) };
        break;
      case 'urge': {
        const plan = planUrge(stateOf(row), action.note ? { note: action.note } : {}, now);
        if (!plan.ok) throw transitionRefused('urge', row.status, plan.reason);
        domainAction = { type: 'urge', ...(action.note ? { note: action.note } : {}), urgency: plan.ticket.urgency };
        break;
      }
      default:
        domainAction = action as TicketAction;
    }
    const result = transition(stateOf(row), domainAction, now);
    if (!result.ok) throw transitionRefused(action.type, row.status, result.reason);
    const next = result.ticket;
    const types = new Set(result.events.map((e) => e.type));
    const policy = cfg.policies.find((p) => p.id === (row as unknown as { sla_policy_id: string | null }).sla_policy_id);
    const calendar = policy ? cfg.calendars.get(policy.calendarId) : undefined;

    const set: Record<string, unknown> = {
      status: next.status,
      urgency: next.urgency,
      urge_count: next.urgeCount,
      reopen_count: next.reopenCount,
      return_count: next.returnCount,
      dispatch_count: next.dispatchCount,
      department_id: next.departmentId,
      sla_paused_at: next.pausedAt,
      arrived_at: next.arrivedAt,
      handled_at: next.handledAt,
      updated_at: now,
      version: row.version + 1,
    };
    if (types.has('dispatched') && dispatchTo) {
      set.dispatched_at = now;
      set.dispatched_to_user_id = dispatchTo.assigneeId;
      set.assignee_id = null;
    }
    // The member who accepts the dispatch holds the order.
    if (types.has('dispatch_accepted') && ctx.auth.departmentId === row.department_id) set.assignee_id = ctx.auth.userId;
    if (types.has('returned')) {
      set.dispatched_to_user_id = null;
      set.assignee_id = null;
    }
    if (types.has('replied')) {
      set.replied_at = now;
      set.resolved_at = now;
    }
    if (types.has('resolved_at_first_contact')) {
      set.resolved_at = now;
      set.fcr = true;
    }
    if (types.has('followed_up')) set.followed_up_at = now;
    if (types.has('archived')) set.archived_at = now;
    if (types.has('reopened')) {
      // A new cycle: the answer is owed again, on fresh clocks counted from now.
      set.replied_at = null;
      set.followed_up_at = null;
      set.contacted_at = null;
      set.dispatched_at = null;
      set.resolved_at = null;
      if (policy && calendar) {
        const due = dueColumns(computeDueTimes(policy.targets, calendar, now));
        for (const col of ['dispatch_due_at', 'arrive_due_at', 'handle_due_at', 'reply_due_at', 'follow_up_due_at']) set[col] = due[col] ?? null;
      }
    }
    if (types.has('resumed') && row.sla_paused_at && calendar) {
      // Push every unmet deadline by the business time spent waiting for the customer.
      for (const col of Object.values(DUE_COLUMNS)) {
        const due = (row as unknown as Record<string, Date | null>)[col];
        if (due) set[col] = shiftForPause(due, calendar, row.sla_paused_at, now);
      }
      set.sla_paused_minutes = sql`sla_paused_minutes + ${(now.getTime() - row.sla_paused_at.getTime()) / 60_000}`;
    }
    const stillOpen = isOpen(next.status as TicketStatus) || next.status === 'replied';
    set.sla_next_check_at = stillOpen && !next.pausedAt ? now : null;

    const updated = await trx.updateTable('tickets').set(set).where('id', '=', row.id).where('version', '=', row.version).returning('id').executeTakeFirst();
    if (!updated) throw versionConflict(row.version, row.version + 1);
    const body = bodyOf(action);
    for (const e of result.events) {
      await trx
        .insertInto('ticket_events')
        .values({
          ticket_id: row.id,
          at: now,
          actor_id: ctx.auth.userId,
          type: e.type,
          visibility: CUSTOMER_VISIBLE_EVENTS.has(e.type) ? 'customer' : 'internal',
          body,
          data: JSON.stringify({ from: e.from, to: e.to, ...e.details, ...(dispatchTo && e.type === 'dispatched' ? dispatchTo : {}) }),
        })
        .execute();
    }
    const extra: string[] = [];
    if (dispatchTo?.assigneeId) extra.push(dispatchTo.assigneeId);
    if (dispatchTo) {
      const members = await trx.selectFrom('users').select('id').where('department_id', '=', dispatchTo.departmentId).where('disabled', '=', false).execute();
      extra.push(...members.map((m) => m.id));
    }
    await recordAudit(trx, ctx, { action: `ticket.${action.type}`, entityType: 'ticket', entityId: row.id, brandId: row.brand_id, before: { status: row.status, version: row.version }, after: { status: next.status, action } });
    await enqueueEvent(trx, {
      topic: `ticket.${action.type}`,
      aggregateType: 'ticket',
      aggregateId: row.id,
      payload: { ticketId: row.id, number: row.number, status: next.status, urgency: next.urgency, userIds: notifyUsers(row, extra), brandId: row.brand_id, permissions: TICKET_WATCHERS },
    });
    return result.events;
  }

  async function act(ctx: RequestContext, id: string, action: TTicketAction, expectedVersion?: number) {
    const permitted = ACTION_PERMISSIONS[action.type].some((p) => ctx.auth.permissions.has(p));
    if (!permitted) throw new AppError('auth.forbidden', `Your role may not ${action.type} work orders`, { action: action.type });
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(ctx.auth, id, trx);
      await trx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().execute();
      const fresh = (await repo.getTicketById(id, trx)) as TicketDetailRow;
      if (expectedVersion !== undefined && fresh.version !== expectedVersion) throw versionConflict(expectedVersion, fresh.version);
      if (fresh.merged_into_id) throw transitionRefused(action.type, row.status, 'merged');
      await applyAction(trx, ctx, fresh, action, clock());
    });
    // The caller may lose sight of the order by acting (a crew returning it); they still get its new state.
    const row = (await repo.getTicketById(id)) as TicketDetailRow;
    return toTicket(row, (await config.get(row.brand_id)).categories);
  }

  /** The contract's status-oriented move: finds the action that reaches `to` and gives it the note. */
  async function transitionTo(ctx: RequestContext, id: string, to: TicketStatus, note: string | undefined, expectedVersion?: number) {
    const current = await loadVisible(ctx.auth, id);
    const action = findActionTo(current.status as TicketStatus, to);
    if (!action) throw transitionRefused(`move to ${to}`, current.status, 'not_allowed');
    const text = note?.trim() ?? '';
    const payload = ((): TTicketAction => {
      switch (action) {
        case 'handle':
          return { type: action, result: text };
        case 'return':
        case 'reopen':
          return { type: action, reason: text };
        case 'reply':
          return { type: action, message: text };
        case 'resolve_at_first_contact':
          return { type: action, resolution: text };
        case 'dispatch':
          return { type: action, ...(text ? { note: text } : {}) };
        case 'follow_up':
        case 'urge':
          return { type: action, ...(text ? { note: text } : {}) };
        case 'pause':
          return { type: action, ...(text ? { reason: text } : {}) };
        case 'accept_dispatch':
        case 'arrive':
        case 'archive':
        case 'resume':
          return { type: action };
      }
    })();
    if ('result' in payload || 'reason' in payload || 'message' in payload || 'resolution' in payload) {
      if (!text) throw new AppError('validation.failed', `Moving to ${to} needs a note (it becomes the ${action === 'reply' ? 'reply' : 'result or reason'})`, { field: 'note' });
    }
    return act(ctx, id, payload, expectedVersion);
  }

  return {
    act,
    applyAction,
    transitionTo,

    /** Dispatches many orders; each in its own transaction, so one refusal does not block the rest. */
    async bulkDispatch(ctx: RequestContext, ticketIds: string[], target: { departmentId?: string | undefined; assigneeId?: string | undefined; note?: string | undefined }) {
      const results: { ticketId: string; ok: boolean; status?: string; number?: string; error?: { code: string; message: string } }[] = [];
      for (const id of ticketIds) {
        try {
          const t = await act(ctx, id, {
            type: 'dispatch',
            ...(target.departmentId ? { departmentId: target.departmentId } : {}),
            ...(target.assigneeId ? { assigneeId: target.assigneeId } : {}),
            ...(target.note ? { note: target.note } : {}),
          });
          results.push({ ticketId: id, ok: true, status: t.status, number: t.number });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ ticketId: id, ok: false, error: { code: e.code, message: e.message } });
        }
      }
      return { results, dispatched: results.filter((r) => r.ok).length };
    },

    /** Counts for the supervisor's board: open orders by status, SLA state and department. */
    async getBoard(auth: AuthContext) {
      const open = ['accepted', 'dispatched', 'in_progress', 'handled', 'returned', 'replied'];
      const rows = await db
        .selectFrom('tickets')
        .leftJoin('departments', 'departments.id', 'tickets.department_id')
        .select([
          'tickets.status',
          'tickets.sla_state',
          'tickets.department_id',
          'departments.name as department_name',
          sql<number>`count(*)::int`.as('n'),
        ])
        .where(ticketVisibility(auth))
        .where('tickets.merged_into_id', 'is', null)
        .where('tickets.status', 'in', open)
        .groupBy(['tickets.status', 'tickets.sla_state', 'tickets.department_id', 'departments.name'])
        .execute();
      const byStatus: Record<string, number> = {};
      const bySla: Record<string, number> = { ok: 0, at_risk: 0, breached: 0 };
      const depts = new Map<string, { departmentId: string | null; name: string | null; open: number; atRisk: number; breached: number }>();
      for (const r of rows) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
        bySla[r.sla_state] = (bySla[r.sla_state] ?? 0) + r.n;
        const key = r.department_id ?? 'none';
        const d = depts.get(key) ?? { departmentId: r.department_id, name: r.department_name, open: 0, atRisk: 0, breached: 0 };
        d.open += r.n;
        if (r.sla_state === 'at_risk') d.atRisk += r.n;
        if (r.sla_state === 'breached') d.breached += r.n;
        depts.set(key, d);
      }
      return {
        byStatus,
        bySla,
        byDepartment: [...depts.values()].sort((a, b) => b.breached - a.breached || b.open - a.open),
        awaitingDispatch: (byStatus.accepted ?? 0) + (byStatus.returned ?? 0),
      };
    },

    /** `language` picks the category names of the rows (the caller's Accept-Language). */
    async listTickets(auth: AuthContext, query: TTicketListQuery, language: 'zh' | 'en' = 'zh') {
      const after = decodeCursor(query.cursor, ZKeysetCursor);
      const brandId = auth.brandIds[0];
      const categories = brandId ? (await config.get(brandId)).categories : [];
      const q = query.q?.trim();
      const number = q && isTicketNumber(normalizeTicketNumber(q)) ? normalizeTicketNumber(q) : null;
      const rows = await repo.listTickets(
        auth,
        {
          ...(query.status ? { statuses: query.status.split(',').filter(Boolean) } : {}),
          open: query.open === 'true',
          ...(query.categoryCode ? { categoryCodes: categories.filter((c) => isCategoryWithin(c.code, query.categoryCode as string)).map((c) => c.code) } : {}),
          ...(query.departmentId ? { departmentId: query.departmentId } : {}),
          ...(query.customerId ? { customerId: query.customerId } : {}),
          ...(query.assigneeId ? { assigneeId: query.assigneeId } : {}),
          ...(query.createdBy ? { createdBy: query.createdBy } : {}),
          ...(query.areaId ? { areaId: query.areaId } : {}),
          ...(query.incidentId ? { incidentId: query.incidentId } : {}),
          ...(query.slaState ? { slaState: query.slaState } : {}),
          number,
          tsQuery: q && !number ? toPrefixQuery(q) : null,
        },
        query.limit,
        after,
      );
      const names = categoryName(categories, language);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => toTicketSummary(r, names)),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
      };
    },

    getTicket: (auth: AuthContext, id: string) => view(auth, id),

    async listEvents(auth: AuthContext, id: string) {
      const row = await loadVisible(auth, id);
      const events = await repo.listEvents(id);
      // Customers see only what was said to them.
      const visible = auth.scope === 'self' ? events.filter((e) => e.visibility === 'customer' || e.type === 'created') : events;
      void row;
      return {
        items: visible.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          type: e.type,
          visibility: e.visibility as 'internal' | 'customer',
          actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? '' } : null,
          body: e.body,
          data: (e.data ?? {}) as Record<string, unknown>,
        })),
      };
    },

    async addNote(ctx: RequestContext, id: string, body: string, visibility: 'internal' | 'customer') {
      if (!['ticket:update', 'ticket:handle', 'ticket:dispatch'].some((p) => ctx.auth.permissions.has(p))) {
        throw new AppError('auth.forbidden', 'Your role may not add notes');
      }
      await db.transaction().execute(async (trx) => {
        const row = await loadVisible(ctx.auth, id, trx);
        const now = clock();
        await trx.insertInto('ticket_events').values({ ticket_id: id, at: now, actor_id: ctx.auth.userId, type: 'note', visibility, body, data: '{}' }).execute();
        await trx.updateTable('tickets').set({ updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, { action: 'ticket.note', entityType: 'ticket', entityId: id, brandId: row.brand_id, after: { visibility } });
        await enqueueEvent(trx, { topic: 'ticket.note', aggregateType: 'ticket', aggregateId: id, payload: { ticketId: id, userIds: notifyUsers(row), brandId: row.brand_id, permissions: TICKET_WATCHERS } });
      });
      return view(ctx.auth, id);
    },

    async getCategoryTree(auth: AuthContext) {
      const brandId = auth.brandIds[0];
      if (!brandId) return { items: [] };
      const tree = buildCategoryTree((await config.get(brandId)).categories);
      return {
        items: tree.map((n) => ({
          code: n.code,
          nameZh: n.nameZh,
          nameEn: n.nameEn,
          fields: [...n.fields],
          children: n.children.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, fields: [...c.fields] })),
        })),
      };
    },

    async suggestDispatch(auth: AuthContext, categoryCode: string, areaId: string | undefined, priority: SlaPriority) {
      const brandId = auth.brandIds[0];
      if (!brandId) return { department: null };
      const cfg = await config.get(brandId);
      const area = areaId ? await db.selectFrom('areas').select(['id', 'kind']).where('id', '=', areaId).executeTakeFirst() : undefined;
      const target = chooseDispatchTarget(cfg.dispatchRules, { categoryCode, areaId: area?.id ?? null, areaKind: (area?.kind as AreaType) ?? null, priority });
      const dept = target ? cfg.departmentsByCode.get(target.departmentCode) : undefined;
      return { department: dept ? { id: dept.id, name: dept.name } : null, assigneeId: target?.assigneeId ?? null };
    },

    /**
     * Records a new work order (受理). An order in the urging (催办) category does not create a
     * second order when the caller already has the one it chases: that order is urged instead.
     */
    async createTicket(ctx: RequestContext, input: TCreateTicketRequest): Promise<{ outcome: 'created' | 'urged'; id: string }> {
      // The customer with the order's area (given, or the customer's own) in one round trip.
      const customer = await db
        .selectFrom('customers')
        .leftJoin('areas', (join) => join.on(sql<boolean>`areas.id = coalesce(${input.areaId ?? null}::uuid, customers.area_id)`))
        .select(['customers.id', 'customers.brand_id', 'customers.flags', 'customers.name', 'areas.id as order_area_id', 'areas.kind as order_area_kind'])
        .where('customers.id', '=', input.customerId)
        .where(customerVisibility(ctx.auth))
        .executeTakeFirst();
      if (!customer) throw new AppError('resource.not_found', 'Customer not found or outside your scope', { entity: 'customer', id: input.customerId });
      const cfg = await config.get(customer.brand_id);
      // Any active category is accepted (top-level codes such as `fault-repair` are part of the API contract).
      const check = checkCategoryCode(cfg.categories, input.categoryCode);
      if (!check.ok && check.reason !== 'not_leaf') throw new AppError('ticket.invalid_category', `Category ${input.categoryCode}: ${check.reason}`, { categoryCode: input.categoryCode, reason: check.reason });
      // "Required" fields are required by the agent's form; integrations may file an order without them.
      const definitions = listCategoryFields(cfg.categories, input.categoryCode).map((f) => ({ ...f, required: false }));
      const fields = validateCategoryFields(definitions, input.fields ?? {});
      if (!fields.ok) throw new AppError('ticket.invalid_fields', 'Some fields of the category are missing or wrong', { problems: fields.problems });

      if (input.categoryCode === 'urging' || input.categoryCode.startsWith('urging.')) {
        const open = await db
          .selectFrom('tickets')
          .select(['id', 'number', 'category_code', 'status', 'created_at'])
          .where('customer_id', '=', customer.id)
          .where('merged_into_id', 'is', null)
          .where('status', 'in', ['accepted', 'dispatched', 'in_progress', 'handled', 'returned', 'replied'])
          .execute();
        const decision = decideUrging(
          open.map((t) => ({ id: t.id, number: t.number, categoryCode: t.category_code, status: t.status as TicketStatus, createdAt: t.created_at })),
          { categoryHint: input.categoryCode, text: input.description },
        );
        if (decision.kind === 'urge') {
          await act(ctx, decision.ticketId, { type: 'urge', note: input.description });
          return { outcome: 'urged', id: decision.ticketId };
        }
        if (decision.kind === 'choose') {
          throw new AppError('ticket.choose_order_to_urge', 'The caller has several open work orders; urge the right one', { ticketIds: decision.candidateIds });
        }
      }

      const area = customer.order_area_id ? { id: customer.order_area_id, kind: customer.order_area_kind as string } : undefined;
      if (input.areaId && !area) throw new AppError('customer.unknown_area', 'Unknown area', { areaId: input.areaId });
      // Vulnerable customers and key accounts are served first unless the agent says otherwise.
      const priority: SlaPriority = input.priority ?? (customer.flags.includes('vulnerable') || customer.flags.includes('key_account') ? 'high' : 'normal');
      // Agents record and send an order to its rule's default department in one click; choosing
      // another department or a person is the dispatcher's call.
      if (input.dispatch && !ctx.auth.permissions.has('ticket:dispatch')) {
        const target = chooseDispatchTarget(cfg.dispatchRules, {
          categoryCode: input.categoryCode,
          areaId: area?.id ?? null,
          areaKind: (area?.kind as AreaType) ?? null,
          priority,
        });
        const ruled = target ? cfg.departmentsByCode.get(target.departmentCode)?.id : undefined;
        if (input.dispatch.assigneeId || (input.dispatch.departmentId && input.dispatch.departmentId !== ruled)) {
          throw new AppError('auth.forbidden', "Only dispatchers choose another department or a person; use the dispatch rules' department");
        }
      }
      const now = clock();
      const policy = chooseSlaPolicy(cfg.policies, { categoryCode: input.categoryCode, priority, areaKind: (area?.kind as AreaType) ?? null });
      const calendar = policy ? cfg.calendars.get(policy.calendarId) : undefined;
      const due = policy && calendar ? dueColumns(computeDueTimes(policy.targets, calendar, now)) : {};
      const sequence = await repo.takeNumber('GD', getTicketNumberDate(now));
      const number = formatTicketNumber(now, sequence);
      const doc = toSearchDocument([number, input.title, input.description, customer.name]);

      const id = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('tickets')
          .values({
            brand_id: customer.brand_id,
            number,
            category_code: input.categoryCode,
            priority,
            customer_id: customer.id,
            origin_contact_id: input.originContactId ?? null,
            channel: input.channel,
            title: input.title ?? null,
            description: input.description,
            fields: JSON.stringify(fields.values),
            tags: input.tags ?? [],
            area_id: area?.id ?? null,
            incident_id: input.incidentId ?? null,
            created_by: ctx.auth.userId,
            created_at: now,
            updated_at: now,
            accepted_at: now,
            sla_policy_id: policy?.id ?? null,
            ...due,
            sla_next_check_at: policy ? now : null,
            search_text: sql<string>`to_tsvector('simple', ${doc})`,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('ticket_events')
          .values({ ticket_id: inserted.id, at: now, actor_id: ctx.auth.userId, type: 'created', visibility: 'internal', body: input.description, data: JSON.stringify({ channel: input.channel, categoryCode: input.categoryCode, priority }) })
          .execute();
        if (input.originContactId) {
          // The conversation or call this order came from: linked both ways for the timelines.
          const contact = await trx.selectFrom('contacts').select(['id', 'brand_id']).where('id', '=', input.originContactId).executeTakeFirst();
          if (!contact || contact.brand_id !== customer.brand_id) throw new AppError('validation.failed', 'Unknown origin contact', { field: 'originContactId' });
          await trx.insertInto('contact_tickets').values({ contact_id: contact.id, ticket_id: inserted.id }).execute();
        }
        if (input.incidentId) {
          const incident = await trx.selectFrom('incidents').select(['number', 'title', 'status', 'brand_id']).where('id', '=', input.incidentId).executeTakeFirst();
          if (!incident || incident.brand_id !== customer.brand_id || incident.status !== 'active') {
            throw new AppError('incident.refused', 'The incident is not active', { reason: 'incident_not_active' });
          }
          await trx
            .insertInto('ticket_events')
            .values({ ticket_id: inserted.id, at: now, actor_id: ctx.auth.userId, type: 'incident_linked', visibility: 'internal', body: incident.title, data: JSON.stringify({ incidentId: input.incidentId, number: incident.number }) })
            .execute();
        }
        await recordAudit(trx, ctx, { action: 'ticket.create', entityType: 'ticket', entityId: inserted.id, brandId: customer.brand_id, after: { number, ...input } });
        await enqueueEvent(trx, { topic: 'ticket.created', aggregateType: 'ticket', aggregateId: inserted.id, payload: { ticketId: inserted.id, number, brandId: customer.brand_id, permissions: TICKET_WATCHERS } });
        const row = (await repo.getTicketById(inserted.id, trx)) as TicketDetailRow;
        if (input.resolveAtFirstContact) {
          await applyAction(trx, ctx, row, { type: 'resolve_at_first_contact', resolution: input.resolveAtFirstContact.resolution }, now);
        } else if (input.dispatch) {
          await applyAction(trx, ctx, row, { type: 'dispatch', ...input.dispatch }, now);
        }
        return inserted.id;
      });
      return { outcome: 'created', id };
    },
  };
}

export type TicketsService = ReturnType<typeof createTicketsService>;
