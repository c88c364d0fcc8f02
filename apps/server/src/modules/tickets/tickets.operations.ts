import type { TTicketAction } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import {
  computeDueTimes,
  type EscalationLevel,
  formatTicketNumber,
  getEscalationLevelAt,
  getTicketNumberDate,
  INCIDENT_NUMBER_PREFIX,
  type Incident,
  type IncidentStatus,
  type MergeableTicket,
  matchIncidentForContact,
  checkIncidentLink,
  planIncidentClosure,
  planMerge,
  planSplit,
  raiseEscalation,
  type SlaPriority,
  type TicketActionType,
  type TicketStatus,
  chooseSlaPolicy,
  type AreaType,
  ESCALATION_LEVELS,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { enqueueEvent, type Executor, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { toSearchDocument } from '../../platform/text-search.ts';
import type { WorkOrderConfigCache } from './tickets.config.ts';
import type { TicketDetailRow } from './tickets.mapper.ts';
import { createTicketsRepository } from './tickets.repository.ts';
import { stateOf, type TicketsService } from './tickets.service.ts';

type IncidentRow = { id: string; brand_id: string; number: string; title: string; area_ids: string[]; started_at: Date; expected_restore_at: Date | null; status: string; description: string; resolution: string | null; department_id: string | null; created_at: Date; resolved_at: Date | null; closed_at: Date | null };

const toIncident = (r: IncidentRow): Incident => ({ id: r.id, areaIds: r.area_ids, startedAt: r.started_at, expectedRestoreAt: r.expected_restore_at, status: r.status as IncidentStatus });

export function toIncidentView(r: IncidentRow & { linked?: number; open?: number }) {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    areaIds: r.area_ids,
    startedAt: r.started_at.toISOString(),
    expectedRestoreAt: r.expected_restore_at?.toISOString() ?? null,
    status: r.status,
    description: r.description,
    resolution: r.resolution,
    departmentId: r.department_id,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    linkedTickets: r.linked ?? 0,
    openTickets: r.open ?? 0,
  };
}

/** Staff who must see incidents appear and end at once: agents take the calls about them. */
const INCIDENT_WATCHERS = ['ticket:update', 'ticket:dispatch', 'dashboard:read'];

/** Incidents (mass outages), merge/split of duplicates and complaint escalation. */
export function createTicketOperations({ db, clock, config, tickets }: { db: Kysely<DB>; clock: () => Date; config: WorkOrderConfigCache; tickets: TicketsService }) {
  const repo = createTicketsRepository(db);

  async function loadTicket(auth: AuthContext, id: string, trx: Executor) {
    const row = await repo.getVisibleTicket(auth, id, trx);
    if (!row) {
      if (await repo.ticketExists(id, trx)) throw new AppError('auth.forbidden', 'This work order is outside your data scope');
      throw new AppError('resource.not_found', 'Work order not found', { entity: 'ticket', id });
    }
    await trx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().execute();
    return (await repo.getTicketById(id, trx)) as TicketDetailRow;
  }

  async function loadIncident(auth: AuthContext, id: string, trx: Executor = db) {
    const row = (await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()) as IncidentRow | undefined;
    if (!row) throw new AppError('resource.not_found', 'Incident not found', { entity: 'incident', id });
    if (!auth.brandIds.includes(row.brand_id)) throw new AppError('auth.forbidden', 'This incident belongs to another brand');
    return row;
  }

  async function withCounts(rows: IncidentRow[]) {
    if (rows.length === 0) return [];
    const counts = await db
      .selectFrom('tickets')
      .select(['incident_id', sql<number>`count(*)::int`.as('linked'), sql<number>`count(*) filter (where status in ('accepted','dispatched','in_progress','handled','returned'))::int`.as('open')])
      .where('incident_id', 'in', rows.map((r) => r.id))
      .groupBy('incident_id')
      .execute();
    const byId = new Map(counts.map((c) => [c.incident_id, c]));
    return rows.map((r) => toIncidentView({ ...r, linked: byId.get(r.id)?.linked ?? 0, open: byId.get(r.id)?.open ?? 0 }));
  }

  // The request payload each bulk-closure step needs.
  function payloadFor(type: TicketActionType, req: { departmentId: string; result: string; message: string; followUpNote?: string | undefined }): TTicketAction {
    switch (type) {
      case 'dispatch':
        return { type, departmentId: req.departmentId };
      case 'handle':
        return { type, result: req.result };
      case 'reply':
        return { type, message: req.message };
      case 'follow_up':
        return { type, note: req.followUpNote ?? '' };
      case 'accept_dispatch':
      case 'arrive':
      case 'archive':
      case 'resume':
        return { type };
      default:
        throw new AppError('incident.refused', `Bulk closure cannot ${type}`, { reason: 'unsupported_step' });
    }
  }

  return {
    async listIncidents(auth: AuthContext, status?: string) {
      let q = db.selectFrom('incidents').selectAll().where('brand_id', 'in', auth.brandIds.length ? [...auth.brandIds] : ['00000000-0000-0000-0000-000000000000']);
      if (status) q = q.where('status', '=', status);
      return { items: await withCounts((await q.orderBy('started_at', 'desc').limit(200).execute()) as IncidentRow[]) };
    },

    async getIncident(auth: AuthContext, id: string) {
      return (await withCounts([await loadIncident(auth, id)]))[0];
    },

    /** Active incidents a new contact from this area could belong to (offered to the agent). */
    async matchIncidents(auth: AuthContext, areaId: string, categoryCode: string) {
      const rows = (await db.selectFrom('incidents').selectAll().where('status', '=', 'active').where('brand_id', 'in', auth.brandIds.length ? [...auth.brandIds] : ['00000000-0000-0000-0000-000000000000']).execute()) as IncidentRow[];
      const matches = new Set(matchIncidentForContact(rows.map(toIncident), { areaId, categoryCode, at: clock() }).map((i) => i.id));
      return { items: await withCounts(rows.filter((r) => matches.has(r.id))) };
    },

    async createIncident(ctx: RequestContext, input: { title: string; areaIds: string[]; description?: string | undefined; startedAt?: string | undefined; expectedRestoreAt?: string | undefined; departmentId?: string | undefined }) {
      const brandId = ctx.auth.brandIds[0];
      if (!brandId) throw new AppError('auth.forbidden', 'You do not serve any brand');
      const areas = await db.selectFrom('areas').select('id').where('id', 'in', input.areaIds).execute();
      if (areas.length !== new Set(input.areaIds).size) throw new AppError('customer.unknown_area', 'Unknown area in areaIds');
      const now = clock();
      const seq = await repo.takeNumber(INCIDENT_NUMBER_PREFIX, getTicketNumberDate(now));
      return db.transaction().execute(async (trx) => {
        const row = (await trx
          .insertInto('incidents')
          .values({
            brand_id: brandId,
            number: formatTicketNumber(now, seq, { prefix: INCIDENT_NUMBER_PREFIX }),
            title: input.title,
            area_ids: input.areaIds,
            started_at: input.startedAt ? new Date(input.startedAt) : now,
            expected_restore_at: input.expectedRestoreAt ? new Date(input.expectedRestoreAt) : null,
            description: input.description ?? '',
            department_id: input.departmentId ?? null,
            created_by: ctx.auth.userId,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow()) as IncidentRow;
        await recordAudit(trx, ctx, { action: 'incident.create', entityType: 'incident', entityId: row.id, brandId, after: input });
        await enqueueEvent(trx, { topic: 'incident.created', aggregateType: 'incident', aggregateId: row.id, payload: { incidentId: row.id, brandId, title: row.title, permissions: INCIDENT_WATCHERS } });
        return toIncidentView(row);
      });
    },

    async updateIncident(ctx: RequestContext, id: string, patch: { expectedRestoreAt?: string | null | undefined; description?: string | undefined; title?: string | undefined }) {
      const before = await loadIncident(ctx.auth, id);
      if (before.status === 'closed') throw new AppError('incident.refused', 'The incident is closed', { reason: 'incident_closed' });
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('incidents')
          .set({
            ...(patch.title !== undefined ? { title: patch.title } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.expectedRestoreAt !== undefined ? { expected_restore_at: patch.expectedRestoreAt ? new Date(patch.expectedRestoreAt) : null } : {}),
            updated_at: clock(),
          })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, ctx, { action: 'incident.update', entityType: 'incident', entityId: id, brandId: before.brand_id, after: patch });
        await enqueueEvent(trx, { topic: 'incident.updated', aggregateType: 'incident', aggregateId: id, payload: { incidentId: id, brandId: before.brand_id, permissions: INCIDENT_WATCHERS } });
      });
      return this.getIncident(ctx.auth, id);
    },

    async linkTicket(ctx: RequestContext, ticketId: string, incidentId: string) {
      await db.transaction().execute(async (trx) => {
        const row = await loadTicket(ctx.auth, ticketId, trx);
        const incident = await loadIncident(ctx.auth, incidentId, trx);
        const refusal = checkIncidentLink(toIncident(incident), row.status as TicketStatus);
        if (refusal) throw new AppError('incident.refused', `Cannot link: ${refusal}`, { reason: refusal });
        const now = clock();
        await trx.updateTable('tickets').set({ incident_id: incidentId, updated_at: now, version: row.version + 1 }).where('id', '=', ticketId).execute();
        await trx.insertInto('ticket_events').values({ ticket_id: ticketId, at: now, actor_id: ctx.auth.userId, type: 'incident_linked', visibility: 'internal', body: incident.title, data: JSON.stringify({ incidentId, number: incident.number }) }).execute();
        await recordAudit(trx, ctx, { action: 'ticket.link_incident', entityType: 'ticket', entityId: ticketId, brandId: row.brand_id, after: { incidentId } });
      });
      return tickets.getTicket(ctx.auth, ticketId);
    },

    /**
     * Answers (mode reply) or closes (mode close) every order linked to the incident in one
     * transaction, each through the state machine with its own timeline entries.
     */
    async resolveIncident(ctx: RequestContext, id: string, request: { mode: 'reply' | 'close'; departmentId: string; result: string; message: string; followUpNote?: string | undefined }) {
      return db.transaction().execute(async (trx) => {
        const incident = await loadIncident(ctx.auth, id, trx);
        await trx.selectFrom('incidents').select('id').where('id', '=', id).forUpdate().execute();
        const linked = (await trx.selectFrom('tickets').select('id').where('incident_id', '=', id).where('merged_into_id', 'is', null).orderBy('created_at').forUpdate().execute()).map((r) => r.id);
        const rows = new Map<string, TicketDetailRow>();
        for (const tid of linked) rows.set(tid, (await repo.getTicketById(tid, trx)) as TicketDetailRow);
        const now = clock();
        const plan = planIncidentClosure(toIncident(incident), linked.map((tid) => ({ id: tid, state: stateOf(rows.get(tid) as TicketDetailRow) })), now, request);
        if (!plan.ok) throw new AppError('incident.refused', `Cannot resolve the incident: ${plan.reason}`, { reason: plan.reason });
        for (const step of plan.tickets) {
          if (step.outcome !== 'updated') continue;
          for (const type of step.actions) {
            const fresh = (await repo.getTicketById(step.ticketId, trx)) as TicketDetailRow;
            await tickets.applyAction(trx, ctx, fresh, payloadFor(type, request), now);
          }
        }
        await trx
          .updateTable('incidents')
          .set({
            status: plan.incident.status,
            resolution: request.result,
            updated_at: now,
            ...(plan.incident.status === 'resolved' ? { resolved_at: now } : { closed_at: now, resolved_at: incident.resolved_at ?? now }),
          })
          .where('id', '=', id)
          .execute();
        await recordAudit(trx, ctx, { action: `incident.${request.mode}`, entityType: 'incident', entityId: id, brandId: incident.brand_id, after: { ...request, counts: plan.counts } });
        await enqueueEvent(trx, { topic: 'incident.resolved', aggregateType: 'incident', aggregateId: id, payload: { incidentId: id, brandId: incident.brand_id, counts: plan.counts, permissions: INCIDENT_WATCHERS } });
        return {
          status: plan.incident.status,
          counts: plan.counts,
          tickets: plan.tickets.map((t) => ({ ticketId: t.ticketId, outcome: t.outcome, ...(t.outcome === 'updated' ? {} : { reason: t.reason }) })),
        };
      });
    },

    /** Merges duplicates into one surviving order; both keep their history. */
    async mergeTickets(ctx: RequestContext, survivorId: string, duplicateIds: string[], reason: string) {
      await db.transaction().execute(async (trx) => {
        const survivor = await loadTicket(ctx.auth, survivorId, trx);
        const dups: TicketDetailRow[] = [];
        for (const id of duplicateIds) dups.push(await loadTicket(ctx.auth, id, trx));
        const asMergeable = (r: TicketDetailRow): MergeableTicket => ({
          id: r.id,
          number: r.number,
          customerId: r.customer_id,
          createdAt: r.created_at,
          priority: r.priority as SlaPriority,
          escalationLevel: r.escalation_level,
          tags: r.tags,
          mergedIntoId: r.merged_into_id,
          state: stateOf(r),
        });
        const now = clock();
        const plan = planMerge(asMergeable(survivor), dups.map(asMergeable), { reason }, now);
        if (!plan.ok) throw new AppError('ticket.merge_refused', `Cannot merge: ${plan.reason}`, { reason: plan.reason, ...(plan.ticketId ? { ticketId: plan.ticketId } : {}) });
        const s = plan.survivor;
        await trx
          .updateTable('tickets')
          .set({ urgency: s.state.urgency, urge_count: s.state.urgeCount, reopen_count: s.state.reopenCount, return_count: s.state.returnCount, priority: s.priority, escalation_level: s.escalationLevel, tags: s.tags, updated_at: now, version: survivor.version + 1 })
          .where('id', '=', survivorId)
          .execute();
        for (const d of plan.duplicates) {
          await trx.updateTable('tickets').set({ merged_into_id: d.mergedIntoId, sla_next_check_at: null, updated_at: now, version: sql`version + 1` }).where('id', '=', d.id).execute();
        }
        for (const e of plan.events) {
          await trx.insertInto('ticket_events').values({ ticket_id: e.ticketId, at: now, actor_id: ctx.auth.userId, type: e.type, visibility: 'internal', body: reason, data: JSON.stringify(e.details) }).execute();
        }
        await recordAudit(trx, ctx, { action: 'ticket.merge', entityType: 'ticket', entityId: survivorId, brandId: survivor.brand_id, after: { duplicateIds, reason } });
        await enqueueEvent(trx, { topic: 'ticket.merged', aggregateType: 'ticket', aggregateId: survivorId, payload: { ticketId: survivorId, duplicateIds } });
      });
      return tickets.getTicket(ctx.auth, survivorId);
    },

    /** Splits one order into new ones (a repair and a billing question in one call), clocks from the parent's start. */
    async splitTicket(ctx: RequestContext, id: string, parts: { categoryCode: string; description: string; title?: string | undefined }[], reason: string) {
      const childIds: string[] = [];
      const parent = await repo.getVisibleTicket(ctx.auth, id);
      if (!parent) throw new AppError('resource.not_found', 'Work order not found', { entity: 'ticket', id });
      const cfg = await config.get(parent.brand_id);
      const now = clock();
      const plan = planSplit(
        { id: parent.id, number: parent.number, customerId: parent.customer_id, createdAt: parent.created_at, priority: parent.priority as SlaPriority, escalationLevel: parent.escalation_level, tags: parent.tags, mergedIntoId: parent.merged_into_id, state: stateOf(parent) },
        parts.map((p) => ({ categoryCode: p.categoryCode, description: p.description, ...(p.title ? { title: p.title } : {}) })),
        { reason },
        now,
      );
      if (!plan.ok) throw new AppError('ticket.split_refused', `Cannot split: ${plan.reason}`, { reason: plan.reason, ...(plan.part !== undefined ? { part: plan.part } : {}) });
      for (const child of plan.children) {
        const check = cfg.categories.find((c) => c.code === child.categoryCode && c.active);
        if (!check) throw new AppError('ticket.invalid_category', `Unknown category ${child.categoryCode}`, { categoryCode: child.categoryCode });
      }
      const numbers: string[] = [];
      for (const _ of plan.children) numbers.push(formatTicketNumber(now, await repo.takeNumber('GD', getTicketNumberDate(now))));
      await db.transaction().execute(async (trx) => {
        await loadTicket(ctx.auth, id, trx);
        for (const [i, child] of plan.children.entries()) {
          const policy = chooseSlaPolicy(cfg.policies, { categoryCode: child.categoryCode, priority: child.priority, areaKind: (parent.area_kind as AreaType) ?? null });
          const calendar = policy ? cfg.calendars.get(policy.calendarId) : undefined;
          const due = policy && calendar ? computeDueTimes(policy.targets, calendar, child.clockStartsAt) : {};
          const number = numbers[i] as string;
          const row = await trx
            .insertInto('tickets')
            .values({
              brand_id: parent.brand_id,
              number,
              category_code: child.categoryCode,
              priority: child.priority,
              urgency: child.urgency,
              status: child.status,
              customer_id: child.customerId,
              channel: parent.channel,
              title: child.title,
              description: child.description,
              tags: child.tags,
              area_id: parent.area_id,
              parent_id: parent.id,
              origin_contact_id: parent.origin_contact_id,
              created_by: ctx.auth.userId,
              created_at: now,
              updated_at: now,
              accepted_at: now,
              sla_policy_id: policy?.id ?? null,
              accept_due_at: due.acceptDueAt ?? null,
              contact_due_at: due.contactDueAt ?? null,
              dispatch_due_at: due.dispatchDueAt ?? null,
              arrive_due_at: due.arriveDueAt ?? null,
              handle_due_at: due.handleDueAt ?? null,
              reply_due_at: due.replyDueAt ?? null,
              follow_up_due_at: due.followUpDueAt ?? null,
              sla_next_check_at: policy ? now : null,
              search_text: sql<string>`to_tsvector('simple', ${toSearchDocument([number, child.title, child.description])})`,
            } as never)
            .returning('id')
            .executeTakeFirstOrThrow();
          childIds.push(row.id);
          const event = plan.events[i];
          await trx.insertInto('ticket_events').values({ ticket_id: row.id, at: now, actor_id: ctx.auth.userId, type: event?.type ?? 'split_from', visibility: 'internal', body: reason, data: JSON.stringify({ ...(event?.details ?? {}), parentNumber: parent.number }) }).execute();
        }
        await trx.insertInto('ticket_events').values({ ticket_id: id, at: now, actor_id: ctx.auth.userId, type: plan.parentEvent.type, visibility: 'internal', body: reason, data: JSON.stringify({ ...plan.parentEvent.details, childNumbers: numbers }) }).execute();
        await recordAudit(trx, ctx, { action: 'ticket.split', entityType: 'ticket', entityId: id, brandId: parent.brand_id, after: { numbers, reason } });
        await enqueueEvent(trx, { topic: 'ticket.split', aggregateType: 'ticket', aggregateId: id, payload: { ticketId: id, childIds } });
      });
      return { items: await Promise.all(childIds.map((cid) => tickets.getTicket(ctx.auth, cid))) };
    },

    /** Raises a complaint one rung up the ladder (or to `to`), notifying the rung's handlers. */
    async escalateTicket(ctx: RequestContext, id: string, reason: string, to?: EscalationLevel) {
      await db.transaction().execute(async (trx) => {
        const row = await loadTicket(ctx.auth, id, trx);
        const now = clock();
        const result = raiseEscalation(
          { categoryCode: row.category_code, status: row.status as TicketStatus, escalationLevel: getEscalationLevelAt(row.escalation_level) },
          { reason, ...(to ? { to } : {}) },
          now,
        );
        if (!result.ok) throw new AppError('ticket.escalation_refused', `Cannot escalate: ${result.reason}`, { reason: result.reason });
        await trx.updateTable('tickets').set({ escalation_level: ESCALATION_LEVELS.indexOf(result.level), updated_at: now, version: row.version + 1 }).where('id', '=', id).execute();
        await trx.insertInto('ticket_events').values({ ticket_id: id, at: now, actor_id: ctx.auth.userId, type: 'escalated', visibility: 'internal', body: reason, data: JSON.stringify({ ...result.event.details, handler: result.notify }) }).execute();
        const handlers = await trx.selectFrom('users').select('id').where('role', '=', result.notify.role).where('disabled', '=', false).execute();
        await recordAudit(trx, ctx, { action: 'ticket.escalate', entityType: 'ticket', entityId: id, brandId: row.brand_id, after: { level: result.level, reason } });
        await enqueueEvent(trx, { topic: 'ticket.escalated', aggregateType: 'ticket', aggregateId: id, payload: { ticketId: id, number: row.number, level: result.level, userIds: handlers.map((h) => h.id) } });
      });
      return tickets.getTicket(ctx.auth, id);
    },
  };
}

export type TicketOperations = ReturnType<typeof createTicketOperations>;
