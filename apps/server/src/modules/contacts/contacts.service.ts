import type { TAgentDesk, TContact, TContactDetail } from '@kefu/contracts';
import type { ContactRow, DB } from '@kefu/db';
import {
  type AbuseProtocolState,
  advanceAbuseProtocol,
  type BuiltinRole,
  changePresence,
  DEFAULT_PRESENCE_REASONS,
  isOfferExpired,
  listContactActions,
  type PresenceChange,
  startAbuseProtocol,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import type { RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, ZKeysetCursor } from '../../platform/pagination.ts';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { loadAgent, savePresence } from './agents.store.ts';
import { actionRefused, contactNotFound, contactVersionConflict } from './contacts.errors.ts';
import { type ContactView, toContactDto } from './contacts.mapper.ts';
import { type Executor, loadContactView, type Pushes, publishAll, selectContactViews } from './contacts.queries.ts';
import { appendMessage, loadAudience, messagePush } from './messages.store.ts';
import { applyContactAction, type RoutingEngine, SUPERVISORS } from './routing.engine.ts';
import { type SystemTextKey, systemText } from './system-texts.ts';

export type ContactsServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  routing: RoutingEngine;
  log?: { warn: (obj: unknown, msg: string) => void };
};

type Locked = ContactRow & { visitor_id: string | null };
type ActionOptions = { version?: number; route?: boolean };
type Step = (trx: Executor, row: Locked, now: Date, pushes: Pushes) => Promise<void>;

const HELD = ['active', 'on_hold'];

function parseAbuse(value: unknown): AbuseProtocolState | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const date = (x: unknown) => (typeof x === 'string' ? new Date(x) : null);
  return {
    agentId: String(v.agentId),
    stage: v.stage as AbuseProtocolState['stage'],
    warnedAt: Array.isArray(v.warnedAt) ? v.warnedAt.map((d) => new Date(String(d))) : [],
    closureRequestedAt: date(v.closureRequestedAt),
    rejections: Number(v.rejections ?? 0),
    decidedBy: typeof v.decidedBy === 'string' ? v.decidedBy : null,
    closedAt: date(v.closedAt),
    lastChangedAt: date(v.lastChangedAt),
  };
}

export function createContactsService(deps: ContactsServiceDeps) {
  const { db, clock } = deps;

  async function view(ex: Executor, id: string, now: Date): Promise<TContact> {
    const v = await loadContactView(ex, id);
    if (!v) throw contactNotFound(id);
    return toContactDto(v, now);
  }

  /** Runs one change on a locked contact of the caller's brands, then publishes and routes. */
  async function act(ctx: RequestContext, id: string, _action: string, options: ActionOptions, step: Step): Promise<TContact> {
    const now = clock();
    const pushes: Pushes = [];
    const result = await db.transaction().execute(async (trx) => {
      const row = (await trx
        .selectFrom('contacts as c')
        .leftJoin('conversations as v', 'v.id', 'c.conversation_id')
        .selectAll('c')
        .select('v.visitor_id')
        .where('c.id', '=', id)
        .forUpdate('c')
        .executeTakeFirst()) as Locked | undefined;
      if (!row || !ctx.auth.brandIds.includes(row.brand_id)) throw contactNotFound(id);
      if (options.version !== undefined && options.version !== row.version) throw contactVersionConflict(options.version, row.version);
      await step(trx, row, now, pushes);
      const dto = await view(trx, id, now);
      const audience = [dto.agentId, dto.offerAgentId].filter((x): x is string => x !== null);
      pushes.push({ topic: 'contact.updated', payload: dto, userIds: [...new Set(audience)] });
      if (row.visitor_id) pushes.push({ topic: 'contact.updated', payload: { id: dto.id, status: dto.status, agentName: dto.agentName }, visitorIds: [row.visitor_id] });
      return { dto, brandId: row.brand_id };
    });
    await publishAll(deps.publish, pushes);
    await deps.publish({ topic: 'wall.changed', payload: { contactId: id }, brandId: result.brandId, permissions: SUPERVISORS });
    // The change is committed; a failed routing pass is retried by the 1 s routing job.
    if (options.route) await deps.routing.routeBrand(result.brandId).catch((err: unknown) => deps.log?.warn({ err }, 'routing pass failed'));
    return options.route ? view(db, id, clock()) : result.dto;
  }

  async function say(trx: Executor, row: Locked, key: SystemTextKey, now: Date, pushes: Pushes, vars: Record<string, string> = {}) {
    if (!row.conversation_id) return;
    const { message } = await appendMessage(trx, {
      conversationId: row.conversation_id,
      contactId: row.id,
      senderType: 'system',
      senderId: null,
      senderName: null,
      kind: 'event',
      body: systemText(key, vars),
      at: now,
    });
    pushes.push(messagePush(message, await loadAudience(trx, row.conversation_id)));
  }

  function requireStatus(row: Locked, action: string, statuses: readonly string[]) {
    if (!statuses.includes(row.status)) throw actionRefused(action, row.status, 'not_allowed_in_status');
  }
  function requireHolder(ctx: RequestContext, row: Locked, action: string) {
    if (row.agent_id !== ctx.auth.userId) throw actionRefused(action, row.status, 'not_your_contact');
  }

  async function accept(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'accept', o, async (trx, row, now, pushes) => {
      requireStatus(row, 'accept', ['offered']);
      if (row.offer_agent_id !== ctx.auth.userId) throw actionRefused('accept', row.status, 'not_offered_to_you');
      const q = row.queue_id ? await trx.selectFrom('queues').select('offer_timeout_seconds').where('id', '=', row.queue_id).executeTakeFirst() : undefined;
      if (row.offer_at && isOfferExpired({ offeredAt: row.offer_at }, now, { timeoutSeconds: q?.offer_timeout_seconds ?? 20 })) {
        throw actionRefused('accept', row.status, 'offer_expired');
      }
      await applyContactAction(trx, row, { type: 'answer', agentId: ctx.auth.userId }, now, ctx.auth.userId);
      if (row.conversation_id) {
        await trx.updateTable('conversations').set({ current_contact_id: row.id, status: 'open' }).where('id', '=', row.conversation_id).execute();
        const me = await trx.selectFrom('users').select(['display_name', 'work_number']).where('id', '=', ctx.auth.userId).executeTakeFirstOrThrow();
        await say(trx, row, 'agent.joined', now, pushes, { name: me.display_name, number: me.work_number ?? '' });
        if (row.visitor_id) {
          pushes.push({ topic: 'conversation.updated', payload: { conversationId: row.conversation_id, status: 'active', agentName: me.display_name }, visitorIds: [row.visitor_id] });
        }
      }
    });
  }

  async function decline(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'decline', { ...o, route: true }, async (trx, row, now, pushes) => {
      requireStatus(row, 'decline', ['offered']);
      if (row.offer_agent_id !== ctx.auth.userId) throw actionRefused('decline', row.status, 'not_offered_to_you');
      await applyContactAction(trx, row, { type: 'decline', agentId: ctx.auth.userId }, now, ctx.auth.userId);
      pushes.push({ topic: 'offer.withdrawn', payload: { contactId: row.id, reason: 'declined' }, userIds: [ctx.auth.userId] });
    });
  }

  async function hold(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'hold', o, async (trx, row, now) => {
      requireHolder(ctx, row, 'hold');
      requireStatus(row, 'hold', ['active']);
      await applyContactAction(trx, row, { type: 'hold' }, now, ctx.auth.userId);
    });
  }

  async function resume(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'resume', o, async (trx, row, now) => {
      requireHolder(ctx, row, 'resume');
      requireStatus(row, 'resume', ['on_hold']);
      await applyContactAction(trx, row, { type: 'resume' }, now, ctx.auth.userId);
    });
  }

  async function endConversation(trx: Executor, row: Locked, now: Date, pushes: Pushes, key: SystemTextKey) {
    if (!row.conversation_id) return;
    await say(trx, row, key, now, pushes);
    await trx.updateTable('conversations').set({ status: 'closed', closed_at: now }).where('id', '=', row.conversation_id).execute();
    // The survey hook: follow-up will put a survey link here.
    if (row.visitor_id) pushes.push({ topic: 'conversation.ended', payload: { conversationId: row.conversation_id, survey: null }, visitorIds: [row.visitor_id] });
  }

  async function end(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'end', o, async (trx, row, now, pushes) => {
      requireHolder(ctx, row, 'end');
      requireStatus(row, 'end', HELD);
      await applyContactAction(trx, row, { type: 'end' }, now, ctx.auth.userId);
      await endConversation(trx, row, now, pushes, 'ended.by_agent');
    });
  }

  async function wrapUp(ctx: RequestContext, id: string, input: { reasonCode: string; outcome?: string; note?: string; version?: number }) {
    return act(ctx, id, 'wrap up', { version: input.version, route: true }, async (trx, row, now) => {
      requireHolder(ctx, row, 'wrap up');
      requireStatus(row, 'wrap up', ['wrap_up']);
      const code = await trx
        .selectFrom('reason_codes')
        .select('code')
        .where('brand_id', '=', row.brand_id)
        .where('code', '=', input.reasonCode)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!code) throw new AppError('contact.unknown_reason_code', `Unknown reason code ${input.reasonCode}`, { reasonCode: input.reasonCode });
      const hasTicket = await trx.selectFrom('contact_tickets').select('ticket_id').where('contact_id', '=', row.id).executeTakeFirst();
      const outcome = input.outcome ?? (hasTicket ? 'ticket_created' : 'resolved');
      await applyContactAction(trx, row, { type: 'wrap_up', reasonCode: input.reasonCode, outcome }, now, ctx.auth.userId, { note: input.note ?? row.note });
      await trx.updateTable('agent_states').set({ last_contact_ended_at: now }).where('user_id', '=', ctx.auth.userId).execute();
    });
  }

  async function checkAgentTarget(trx: Executor, brandId: string, agentId: string) {
    const ok = await trx
      .selectFrom('users as u')
      .innerJoin('user_brands as ub', 'ub.user_id', 'u.id')
      .select('u.id')
      .where('u.id', '=', agentId)
      .where('ub.brand_id', '=', brandId)
      .where('u.disabled', '=', false)
      .executeTakeFirst();
    if (!ok) throw new AppError('contact.unknown_target', 'No such agent in this brand', { agentId });
    await trx.insertInto('agent_states').values({ user_id: agentId, brand_id: brandId, since: clock() }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  }

  async function offerPush(trx: Executor, id: string, agentId: string, now: Date, pushes: Pushes, reason: string) {
    const dto = await view(trx, id, now);
    pushes.push({ topic: 'offer.created', payload: { contact: dto, expiresAt: dto.offerExpiresAt, reason }, userIds: [agentId] });
  }

  async function transfer(ctx: RequestContext, id: string, input: { to: { kind: 'agent'; agentId: string } | { kind: 'queue'; queueId: string }; note?: string; version?: number }) {
    return act(ctx, id, 'transfer', { version: input.version, route: input.to.kind === 'queue' }, async (trx, row, now, pushes) => {
      const supervisor = ctx.auth.permissions.has('contact:supervise');
      if (row.agent_id !== ctx.auth.userId && !supervisor) throw actionRefused('transfer', row.status, 'not_your_contact');
      requireStatus(row, 'transfer', HELD);
      let extra: Record<string, unknown> = {};
      if (input.to.kind === 'agent') {
        if (input.to.agentId === row.agent_id) throw actionRefused('transfer', row.status, 'same_agent');
        await checkAgentTarget(trx, row.brand_id, input.to.agentId);
      } else {
        const q = await trx
          .selectFrom('queues')
          .select(['id', 'required_skills'])
          .where('id', '=', input.to.queueId)
          .where('brand_id', '=', row.brand_id)
          .where('active', '=', true)
          .executeTakeFirst();
        if (!q) throw new AppError('contact.unknown_target', 'No such active queue in this brand', { queueId: input.to.queueId });
        extra = { required_skills: q.required_skills };
      }
      if (input.note) extra.note = input.note;
      const previous = row.agent_id;
      await applyContactAction(trx, row, { type: 'transfer', to: input.to }, now, ctx.auth.userId, extra);
      await say(trx, row, 'transferred', now, pushes);
      // The previous holder's desk drops the tab.
      if (previous) pushes.push({ topic: 'offer.withdrawn', payload: { contactId: row.id, reason: 'transferred' }, userIds: [previous] });
      if (input.to.kind === 'agent') await offerPush(trx, row.id, input.to.agentId, now, pushes, 'transfer');
    });
  }

  async function takeover(ctx: RequestContext, id: string, o: ActionOptions = {}) {
    return act(ctx, id, 'take over', o, async (trx, row, now, pushes) => {
      requireStatus(row, 'take over', ['queued', 'offered', ...HELD]);
      const me = ctx.auth.userId;
      if (row.agent_id === me && HELD.includes(row.status)) throw actionRefused('take over', row.status, 'same_agent');
      await trx.insertInto('agent_states').values({ user_id: me, brand_id: row.brand_id, since: now }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
      const previous = row.status === 'offered' ? row.offer_agent_id : HELD.includes(row.status) ? row.agent_id : null;
      let current: ContactRow = row;
      const step = async (action: Parameters<typeof applyContactAction>[2]) => {
        await applyContactAction(trx, current, action, now, me);
        current = await trx.selectFrom('contacts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      };
      if (current.status === 'offered') await step({ type: 'decline' });
      if (current.status === 'queued') await step({ type: 'offer', agentId: me });
      else await step({ type: 'transfer', to: { kind: 'agent', agentId: me } });
      await step({ type: 'answer', agentId: me });
      if (previous) pushes.push({ topic: 'offer.withdrawn', payload: { contactId: row.id, reason: 'taken_over' }, userIds: [previous] });
      if (row.conversation_id) {
        await trx.updateTable('conversations').set({ current_contact_id: row.id }).where('id', '=', row.conversation_id).execute();
        const user = await trx.selectFrom('users').select(['display_name', 'work_number']).where('id', '=', me).executeTakeFirstOrThrow();
        await say(trx, row, 'agent.joined', now, pushes, { name: user.display_name, number: user.work_number ?? '' });
      }
    });
  }

  async function abuse(ctx: RequestContext, id: string, input: { action: 'warn' | 'request_closure' | 'approve_closure' | 'reject_closure' }) {
    let closureRequested = false;
    const dto = await act(ctx, id, input.action, {}, async (trx, row, now, pushes) => {
      const state = parseAbuse(row.abuse) ?? (row.agent_id ? startAbuseProtocol(row.agent_id) : null);
      if (!state || !HELD.includes(row.status)) throw actionRefused(input.action, row.status, 'not_in_conversation');
      const action =
        input.action === 'warn' ? { type: 'warn' as const, level: (state.stage === 'none' ? 1 : 2) as 1 | 2 } : { type: input.action };
      const result = advanceAbuseProtocol(state, action, { userId: ctx.auth.userId, role: ctx.auth.role as BuiltinRole }, now);
      if (!result.ok) throw actionRefused(input.action, row.status, result.reason);
      await trx.updateTable('contacts').set({ abuse: JSON.stringify(result.state), version: row.version + 1 }).where('id', '=', row.id).execute();
      await trx
        .insertInto('contact_events')
        .values({ contact_id: row.id, type: `abuse.${result.event.type}`, from_status: row.status, to_status: row.status, at: now, actor_id: ctx.auth.userId, details: JSON.stringify({ from: result.event.from, to: result.event.to }) })
        .execute();
      if (result.scriptKey) await say(trx, row, result.scriptKey as SystemTextKey, now, pushes);
      if (result.event.type === 'closure_requested') closureRequested = true;
      if (result.event.type === 'closure_approved') {
        const fresh = await trx.selectFrom('contacts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
        await applyContactAction(trx, fresh, { type: 'end' }, now, ctx.auth.userId, { outcome: 'abusive' });
        await endConversation(trx, row, now, pushes, 'ended.by_agent');
      }
    });
    if (closureRequested) {
      const brand = await db.selectFrom('contacts').select('brand_id').where('id', '=', id).executeTakeFirstOrThrow();
      await deps.publish({ topic: 'abuse.closure_requested', payload: { contact: dto }, brandId: brand.brand_id, permissions: SUPERVISORS });
    }
    return dto;
  }

  /** Ends a contact from the customer's side (widget close): abandons a waiting one, ends a held one. */
  async function endByCustomer(trx: Executor, row: Locked, now: Date, pushes: Pushes) {
    if (row.status === 'queued' || row.status === 'offered') {
      if (row.offer_agent_id) pushes.push({ topic: 'offer.withdrawn', payload: { contactId: row.id, reason: 'abandoned' }, userIds: [row.offer_agent_id] });
      await applyContactAction(trx, row, { type: 'abandon' }, now, null);
    } else if (HELD.includes(row.status)) {
      await applyContactAction(trx, row, { type: 'end' }, now, null, { note: row.note });
    } else if (row.status === 'created') {
      await applyContactAction(trx, row, { type: 'end' }, now, null);
    }
  }

  async function setPresence(ctx: RequestContext, change: PresenceChange) {
    const brandId = ctx.auth.brandIds[0];
    if (!brandId) throw new AppError('auth.forbidden', 'No brand');
    const now = clock();
    const pushes: Pushes = [];
    const presence = await db.transaction().execute(async (trx) => {
      const { presence: current } = await loadAgent(trx, ctx.auth.userId, brandId, now, true);
      const result = changePresence(current, change, now);
      if (!result.ok) throw new AppError('presence.refused', `Presence change refused (${result.reason})`, { reason: result.reason });
      await savePresence(trx, result.agent, result.record);
      return result.agent;
    });
    const payload = { agentId: presence.agentId, state: presence.state, reason: presence.reason, since: presence.since.toISOString() };
    pushes.push({ topic: 'presence.updated', payload, userIds: [ctx.auth.userId] });
    pushes.push({ topic: 'presence.updated', payload, brandId, permissions: SUPERVISORS });
    pushes.push({ topic: 'wall.changed', payload: { agentId: presence.agentId }, brandId, permissions: SUPERVISORS });
    await publishAll(deps.publish, pushes);
    if (presence.state === 'online') await deps.routing.routeBrand(brandId).catch((err: unknown) => deps.log?.warn({ err }, 'routing pass failed'));
    return payload;
  }

  async function desk(ctx: RequestContext): Promise<TAgentDesk> {
    const brandId = ctx.auth.brandIds[0];
    if (!brandId) throw new AppError('auth.forbidden', 'No brand');
    const now = clock();
    const { presence, skills, capacity } = await loadAgent(db, ctx.auth.userId, brandId, now);
    const me = ctx.auth.userId;
    const rows = (await selectContactViews(db)
      .where((eb) =>
        eb.or([
          eb.and([eb('c.status', '=', 'offered'), eb('c.offer_agent_id', '=', me)]),
          eb.and([eb('c.agent_id', '=', me), eb('c.status', 'in', ['active', 'on_hold', 'wrap_up'])]),
        ]),
      )
      .orderBy('c.created_at')
      .execute()) as ContactView[];
    return {
      presence: { agentId: me, state: presence.state, reason: presence.reason, since: presence.since.toISOString() },
      skills,
      capacity: { limits: capacity.limits as Record<string, number>, blending: capacity.blending },
      reasons: { busy: [...DEFAULT_PRESENCE_REASONS.busy], away: [...DEFAULT_PRESENCE_REASONS.away] },
      contacts: rows.map((r) => toContactDto(r, now)),
    };
  }

  async function list(ctx: RequestContext, q: {
    customerId?: string; agentId?: string; queueId?: string; conversationId?: string; channel?: string; status?: string; from?: string; to?: string; cursor?: string; limit: number;
  }) {
    const now = clock();
    let query = selectContactViews(db).where('c.brand_id', 'in', [...ctx.auth.brandIds]);
    if (q.customerId) query = query.where('c.customer_id', '=', q.customerId);
    if (q.agentId) query = query.where('c.agent_id', '=', q.agentId);
    if (q.queueId) query = query.where('c.queue_id', '=', q.queueId);
    if (q.conversationId) query = query.where('c.conversation_id', '=', q.conversationId);
    if (q.channel) query = query.where('c.channel', '=', q.channel);
    if (q.status) query = query.where('c.status', '=', q.status);
    if (q.from) query = query.where('c.created_at', '>=', new Date(q.from));
    if (q.to) query = query.where('c.created_at', '<', new Date(q.to));
    const after = decodeCursor(q.cursor, ZKeysetCursor);
    if (after) {
      const [at, id] = after;
      query = query.where(sql<boolean>`(c.created_at, c.id) < (${new Date(at)}, ${id}::uuid)`);
    }
    const rows = (await query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(q.limit + 1).execute()) as ContactView[];
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => toContactDto(r, now, ctx.auth.permissions.has('customer:unmask'))),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  }

  async function get(ctx: RequestContext, id: string): Promise<TContactDetail> {
    const now = clock();
    const row = await loadContactView(db, id);
    if (!row || !ctx.auth.brandIds.includes(row.brand_id)) throw contactNotFound(id);
    const events = await db
      .selectFrom('contact_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.type', 'e.from_status', 'e.to_status', 'e.at', 'e.actor_id', 'e.details', 'u.display_name'])
      .where('e.contact_id', '=', id)
      .orderBy('e.id')
      .execute();
    return {
      ...toContactDto(row, now, ctx.auth.permissions.has('customer:unmask')),
      events: events.map((e) => ({
        id: Number(e.id),
        type: e.type,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        at: e.at.toISOString(),
        actorId: e.actor_id,
        actorName: e.display_name,
        details: e.details as Record<string, unknown>,
      })),
    };
  }

  return { accept, decline, hold, resume, end, wrapUp, transfer, takeover, abuse, endByCustomer, setPresence, desk, list, get, allowedActions: listContactActions };
}

export type ContactsService = ReturnType<typeof createContactsService>;
