import type { TQueue, TWall } from '@kefu/contracts';
import type { DB, QueueRow } from '@kefu/db';
import { computeQueueFigures, getFreeCapacity } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { type Executor as AuditExecutor, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { loadCandidates } from './agents.store.ts';
import { type ContactView, toContactDto } from './contacts.mapper.ts';
import { selectContactViews } from './contacts.queries.ts';

const TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Midnight of `now`'s date in China (no DST), as an instant. */
function startOfLocalDay(now: Date): Date {
  return new Date(Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS);
}

export function toQueueDto(q: QueueRow): TQueue {
  return {
    id: q.id,
    code: q.code,
    nameZh: q.name_zh,
    nameEn: q.name_en,
    channels: q.channels as TQueue['channels'],
    requiredSkills: q.required_skills,
    calendarId: q.calendar_id,
    maxWaitSeconds: q.max_wait_seconds,
    accountManagerWaitSeconds: q.account_manager_wait_seconds,
    afterHoursAction: q.after_hours_action as TQueue['afterHoursAction'],
    overflowAction: q.overflow_action as TQueue['overflowAction'],
    callbackWithinMinutes: q.callback_within_minutes,
    serviceLevelSeconds: q.service_level_seconds,
    offerTimeoutSeconds: q.offer_timeout_seconds,
    maxOffers: q.max_offers,
    active: q.active,
  };
}

type QueueInput = Partial<Omit<TQueue, 'id'>>;

function queueColumns(input: QueueInput) {
  const map: Record<string, unknown> = {
    name_zh: input.nameZh,
    name_en: input.nameEn,
    channels: input.channels,
    required_skills: input.requiredSkills,
    calendar_id: input.calendarId,
    max_wait_seconds: input.maxWaitSeconds,
    account_manager_wait_seconds: input.accountManagerWaitSeconds,
    after_hours_action: input.afterHoursAction,
    overflow_action: input.overflowAction,
    callback_within_minutes: input.callbackWithinMinutes,
    service_level_seconds: input.serviceLevelSeconds,
    offer_timeout_seconds: input.offerTimeoutSeconds,
    max_offers: input.maxOffers,
    active: input.active,
  };
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined));
}

function brandOf(auth: AuthContext): string {
  const b = auth.brandIds[0];
  if (!b) throw new AppError('auth.forbidden', 'No brand');
  return b;
}

export function createRoutingAdmin(deps: { db: Kysely<DB>; clock: () => Date }) {
  const { db, clock } = deps;

  async function checkCalendar(ex: AuditExecutor, brandId: string, id: string | null | undefined) {
    if (!id) return;
    const ok = await ex.selectFrom('calendars').select('id').where('id', '=', id).where('brand_id', '=', brandId).executeTakeFirst();
    if (!ok) throw new AppError('validation.failed', 'Unknown calendar', { field: 'calendarId' });
  }

  return {
    async listQueues(auth: AuthContext) {
      const rows = await db.selectFrom('queues').selectAll().where('brand_id', 'in', [...auth.brandIds]).orderBy('position').orderBy('code').execute();
      return { items: rows.map(toQueueDto) };
    },
    async createQueue(ctx: RequestContext, input: QueueInput & { code: string; nameZh: string; nameEn: string }) {
      const brandId = brandOf(ctx.auth);
      return db.transaction().execute(async (trx) => {
        await checkCalendar(trx, brandId, input.calendarId);
        const taken = await trx.selectFrom('queues').select('id').where('brand_id', '=', brandId).where('code', '=', input.code).executeTakeFirst();
        if (taken) throw new AppError('routing.code_taken', `Queue code ${input.code} is taken`, { code: input.code });
        const row = await trx.insertInto('queues').values({ brand_id: brandId, code: input.code, name_zh: input.nameZh, name_en: input.nameEn, ...queueColumns(input) } as never).returningAll().executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'queue.create', entityType: 'queue', entityId: row.id, brandId, after: toQueueDto(row) });
        return toQueueDto(row);
      });
    },
    async updateQueue(ctx: RequestContext, id: string, input: QueueInput) {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('queues').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('resource.not_found', 'Queue not found', { entity: 'queue', id });
        await checkCalendar(trx, before.brand_id, input.calendarId);
        const cols = queueColumns(input);
        const row = Object.keys(cols).length
          ? await trx.updateTable('queues').set({ ...cols, updated_at: clock() } as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
          : before;
        await recordAudit(trx, ctx, { action: 'queue.update', entityType: 'queue', entityId: id, brandId: before.brand_id, before: toQueueDto(before), after: toQueueDto(row) });
        return toQueueDto(row);
      });
    },
    async listReasonCodes(auth: AuthContext) {
      const rows = await db.selectFrom('reason_codes').selectAll().where('brand_id', 'in', [...auth.brandIds]).orderBy('position').orderBy('code').execute();
      return { items: rows.map((r) => ({ code: r.code, parentCode: r.parent_code, nameZh: r.name_zh, nameEn: r.name_en, active: r.active })) };
    },
    async createReasonCode(ctx: RequestContext, input: { code: string; nameZh: string; nameEn: string }) {
      const brandId = brandOf(ctx.auth);
      const parent = input.code.includes('.') ? input.code.slice(0, input.code.lastIndexOf('.')) : null;
      return db.transaction().execute(async (trx) => {
        if (parent) {
          const p = await trx.selectFrom('reason_codes').select('code').where('brand_id', '=', brandId).where('code', '=', parent).executeTakeFirst();
          if (!p) throw new AppError('validation.failed', `Parent reason code ${parent} does not exist`, { field: 'code' });
        }
        const taken = await trx.selectFrom('reason_codes').select('id').where('brand_id', '=', brandId).where('code', '=', input.code).executeTakeFirst();
        if (taken) throw new AppError('routing.code_taken', `Reason code ${input.code} exists`, { code: input.code });
        await trx.insertInto('reason_codes').values({ brand_id: brandId, code: input.code, parent_code: parent, name_zh: input.nameZh, name_en: input.nameEn }).execute();
        await recordAudit(trx, ctx, { action: 'reason_code.create', entityType: 'reason_code', entityId: null, brandId, after: input });
        return { code: input.code, parentCode: parent, nameZh: input.nameZh, nameEn: input.nameEn, active: true };
      });
    },
    async listCallbacks(auth: AuthContext, status: 'open' | 'done' | 'cancelled', limit: number) {
      const rows = await db
        .selectFrom('callback_tasks')
        .selectAll()
        .where('brand_id', 'in', [...auth.brandIds])
        .where('status', '=', status)
        .orderBy(status === 'open' ? 'due_at' : 'created_at', status === 'open' ? 'asc' : 'desc')
        .limit(limit)
        .execute();
      return { items: rows.map(toCallbackDto) };
    },
    async completeCallback(ctx: RequestContext, id: string, input: { outcome: string; status: 'done' | 'cancelled' }) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('callback_tasks').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
        if (!row) throw new AppError('resource.not_found', 'Callback task not found', { entity: 'callback', id });
        if (row.status !== 'open') throw new AppError('contact.action_refused', 'The callback task is already closed', { reason: 'not_open', status: row.status });
        const done = await trx
          .updateTable('callback_tasks')
          .set({ status: input.status, outcome: input.outcome, assignee_id: ctx.auth.userId, done_at: clock() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'callback.complete', entityType: 'callback', entityId: id, brandId: row.brand_id, before: { status: row.status }, after: { status: done.status, outcome: done.outcome } });
        return toCallbackDto(done);
      });
    },

    /** Agents of the caller's brand with presence: the transfer picker of the agent desktop. */
    async listAgents(auth: AuthContext) {
      const rows = await db
        .selectFrom('users as u')
        .innerJoin('user_brands as ub', 'ub.user_id', 'u.id')
        .innerJoin('roles as r', 'r.code', 'u.role')
        .leftJoin('agent_states as a', 'a.user_id', 'u.id')
        .select(['u.id', 'u.display_name', 'u.work_number', 'u.skills', 'a.state'])
        .where('ub.brand_id', '=', brandOf(auth))
        .where('u.disabled', '=', false)
        .where(sql<boolean>`'contact:handle' = any(r.permissions)`)
        .orderBy('u.work_number')
        .execute();
      return {
        items: rows.map((r) => ({ id: r.id, displayName: r.display_name, workNumber: r.work_number, state: (r.state ?? 'offline') as 'online', skills: r.skills })),
      };
    },
    /** The supervisor wall: live queue figures, agents with their contacts, who waits. */
    async wall(auth: AuthContext): Promise<TWall> {
      const brandId = brandOf(auth);
      const now = clock();
      const since = startOfLocalDay(now);
      const [queues, todays, open, agents, candidates] = await Promise.all([
        db.selectFrom('queues').selectAll().where('brand_id', '=', brandId).orderBy('position').orderBy('code').execute(),
        db
          .selectFrom('contacts')
          .select(['status', 'queue_id', 'queued_at', 'waiting_since', 'answered_at', 'ended_at', 'end_reason'])
          .where('brand_id', '=', brandId)
          .where((eb) => eb.or([eb('queued_at', '>=', since), eb('status', 'in', ['queued', 'offered'])]))
          .execute(),
        selectContactViews(db).where('c.brand_id', '=', brandId).where('c.status', '!=', 'closed').orderBy('c.waiting_since').execute() as Promise<ContactView[]>,
        db
          .selectFrom('agent_states as a')
          .innerJoin('users as u', 'u.id', 'a.user_id')
          .leftJoin('teams as t', 't.id', 'u.team_id')
          .select(['a.user_id', 'a.state', 'a.reason', 'a.since', 'u.display_name', 'u.work_number', 'u.skills', 't.name as team_name'])
          .where('a.brand_id', '=', brandId)
          .where((eb) => eb.or([eb('a.state', '!=', 'offline'), eb('a.since', '>=', since)]))
          .orderBy('u.work_number')
          .execute(),
        loadCandidates(db, brandId),
      ]);
      const figuresInput = todays.map((c) => ({
        status: c.status as never,
        queueId: c.queue_id,
        queuedAt: c.queued_at,
        waitingSince: c.waiting_since,
        answeredAt: c.answered_at,
        endedAt: c.ended_at,
        endReason: c.end_reason as never,
      }));
      const openDtos = open.map((r) => toContactDto(r, now));
      return {
        at: now.toISOString(),
        queues: queues
          .filter((q) => q.active)
          .map((q) => {
            const f = computeQueueFigures(figuresInput.filter((c) => c.queueId === q.id), now, { timeZone: TIME_ZONE, serviceLevelSeconds: q.service_level_seconds });
            const qualified = candidates.filter((a) => q.required_skills.every((s) => a.skills.includes(s)));
            const channel = (q.channels[0] ?? 'chat') as Parameters<typeof getFreeCapacity>[1];
            return {
              id: q.id,
              code: q.code,
              nameZh: q.name_zh,
              nameEn: q.name_en,
              waiting: f.waiting,
              longestWaitSeconds: Math.round(f.longestWaitSeconds),
              agentsOnline: qualified.filter((a) => a.state === 'online').length,
              agentsFree: qualified.filter((a) => getFreeCapacity(a, channel) >= 1).length,
              offeredToday: f.offered,
              answeredToday: f.answered,
              abandonedToday: f.abandoned,
              serviceLevelToday: f.serviceLevel,
              averageWaitSecondsToday: f.averageSpeedOfAnswerSeconds === null ? null : Math.round(f.averageSpeedOfAnswerSeconds),
            };
          }),
        agents: agents.map((a) => ({
          id: a.user_id,
          displayName: a.display_name,
          workNumber: a.work_number,
          teamName: a.team_name,
          state: a.state as TWall['agents'][number]['state'],
          reason: a.reason,
          since: a.since.toISOString(),
          skills: a.skills,
          contacts: openDtos
            .filter((c) => (c.status === 'offered' ? c.offerAgentId : c.agentId) === a.user_id && c.status !== 'queued')
            .map((c) => ({ id: c.id, conversationId: c.conversationId, channel: c.channel, status: c.status, customerName: c.customerName, since: c.answeredAt ?? c.offeredAt ?? c.createdAt })),
        })),
        waiting: openDtos.filter((c) => c.status === 'queued' || c.status === 'offered'),
        pendingClosures: openDtos.filter((c) => c.abuse?.stage === 'closure_requested'),
      };
    },
  };
}

function toCallbackDto(r: {
  id: string; contact_id: string | null; customer_id: string | null; queue_id: string | null; kind: string; name: string | null; phone: string | null; message: string | null;
  due_at: Date; status: string; assignee_id: string | null; outcome: string | null; created_at: Date; done_at: Date | null;
}) {
  return {
    id: r.id,
    contactId: r.contact_id,
    customerId: r.customer_id,
    queueId: r.queue_id,
    kind: r.kind as 'leave_message' | 'callback',
    name: r.name,
    phone: r.phone,
    message: r.message,
    dueAt: r.due_at.toISOString(),
    status: r.status as 'open' | 'done' | 'cancelled',
    assigneeId: r.assignee_id,
    outcome: r.outcome,
    createdAt: r.created_at.toISOString(),
    doneAt: r.done_at?.toISOString() ?? null,
  };
}

export type RoutingAdmin = ReturnType<typeof createRoutingAdmin>;
