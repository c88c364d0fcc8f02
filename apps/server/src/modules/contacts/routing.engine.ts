import type { ContactRow, DB, QueueRow } from '@kefu/db';
import {
  addBusinessMinutes,
  advanceContact,
  type BusinessCalendar,
  CALENDAR_24X7,
  type ContactAction,
  changePresence,
  isOfferExpired,
  MISSED_OFFER_REASON,
  planReoffer,
  type RoutableContact,
  type RoutingCandidate,
  type RoutingDecision,
  type RoutingOptions,
  routeQueue,
} from '@kefu/domain';
import type { Kysely } from 'kysely';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { loadAgent, loadCandidates, savePresence } from './agents.store.ts';
import { contactStatePatch, toContactDto, toContactState } from './contacts.mapper.ts';
import { type Executor, insertContactEvent, loadContactView, type Pushes, publishAll } from './contacts.queries.ts';
import { appendMessage, messagePush } from './messages.store.ts';
import { systemText } from './system-texts.ts';

export type RoutingEngineDeps = { db: Kysely<DB>; clock: () => Date; publish: (m: RealtimeMessage) => Promise<void> };

export type RoutingPassSummary = { offers: number; overflows: number; timeouts: number; waiting: number };

export const SUPERVISORS = ['contact:supervise'];

/** Voice contacts wait in the PBX's queue: a CTI channel routes them when they are offered (channels/cti/cti.calls.ts), never this pass. */
export const PBX_QUEUED_CHANNELS = ['call', 'outbound'];

/** Routing options of a queue (its business calendar; 24×7 when it has none). */
export function queueOptions(q: QueueRow, calendars: ReadonlyMap<string, BusinessCalendar>): RoutingOptions {
  return {
    calendar: (q.calendar_id && calendars.get(q.calendar_id)) || CALENDAR_24X7,
    maxWaitSeconds: q.max_wait_seconds,
    accountManagerWaitSeconds: q.account_manager_wait_seconds,
    afterHoursAction: q.after_hours_action as RoutingOptions['afterHoursAction'],
    overflowAction: q.overflow_action as RoutingOptions['overflowAction'],
    callbackWithinMinutes: q.callback_within_minutes,
  };
}

export async function loadCalendars(ex: Executor, brandId: string): Promise<Map<string, BusinessCalendar>> {
  const rows = await ex.selectFrom('calendars').select(['id', 'definition']).where('brand_id', '=', brandId).execute();
  return new Map(rows.map((r) => [r.id, r.definition as unknown as BusinessCalendar]));
}

type WaitingRow = ContactRow & { visitor_id: string | null };

function toRoutable(row: WaitingRow): RoutableContact & { row: WaitingRow } {
  return {
    row,
    channel: row.channel as RoutableContact['channel'],
    waitingSince: row.waiting_since ?? row.queued_at ?? row.created_at,
    requiredSkills: row.required_skills,
    priority: row.priority as RoutableContact['priority'],
    accountManagerId: row.account_manager_id,
    requestedAgentId: row.requested_agent_id,
    declinedAgentIds: row.declined_agent_ids,
  };
}

/** Applies one lifecycle action to a contact row inside `trx`; throws when the domain refuses (a bug here). */
export async function applyContactAction(trx: Executor, row: ContactRow, action: ContactAction, at: Date, actorId: string | null, extra: Record<string, unknown> = {}) {
  // A contact's time never runs backwards: a PBX clock slightly ahead of ours stamped its last change.
  const now = at < row.last_changed_at ? row.last_changed_at : at;
  const result = advanceContact(toContactState(row), action, now);
  if (!result.ok) throw new Error(`routing: ${action.type} refused for contact ${row.id}: ${result.reason}`);
  await trx
    .updateTable('contacts')
    .set({ ...contactStatePatch(result.contact), version: row.version + 1, ...extra })
    .where('id', '=', row.id)
    .execute();
  await insertContactEvent(trx, row.id, { type: result.event.type, from: result.event.from, to: result.event.to, at: now, actorId, details: result.event.details });
  return result;
}

/**
 * The routing engine: one pass per brand, serialised by a lock on the brand row so two server
 * processes never offer one agent more than their capacity. A pass expires offers that rang out
 * (the agent goes away with reason missed_offer), then routes every queue in position order with
 * the pure routeQueue, carrying agents' load from queue to queue, and applies the decisions:
 * offers ring at agents, overflows close the contact into a callback task.
 */
export function createRoutingEngine(deps: RoutingEngineDeps) {
  const { db, clock } = deps;

  async function routeBrand(brandId: string, at?: Date): Promise<RoutingPassSummary> {
    const pushes: Pushes = [];
    let now = at ?? clock();
    const summary = await db.transaction().execute(async (trx) => {
      // FOR NO KEY UPDATE, not FOR UPDATE: passes still exclude each other, but the foreign-key
      // checks of concurrent writes (FOR KEY SHARE on brands) are not blocked — with FOR UPDATE an
      // accept updating its conversation deadlocked against a pass holding the contacts.
      await trx.selectFrom('brands').select('id').where('id', '=', brandId).forNoKeyUpdate().execute();
      // The clock is read after the lock: a contact queued while this pass waited is not "newer than now".
      if (at === undefined) now = clock();
      const queues = await trx.selectFrom('queues').selectAll().where('brand_id', '=', brandId).orderBy('position').orderBy('code').execute();
      const queueById = new Map(queues.map((q) => [q.id, q]));
      const contacts = (await trx
        .selectFrom('contacts as c')
        .leftJoin('conversations as v', 'v.id', 'c.conversation_id')
        .selectAll('c')
        .select('v.visitor_id')
        .where('c.brand_id', '=', brandId)
        .where('c.status', 'in', ['queued', 'offered'])
        .where('c.channel', 'not in', PBX_QUEUED_CHANNELS)
        .orderBy('c.waiting_since')
        .forUpdate('c')
        .execute()) as WaitingRow[];
      const out: RoutingPassSummary = { offers: 0, overflows: 0, timeouts: 0, waiting: 0 };
      const escalated = new Set<string>();

      // 1. Offers that rang out go back to the queue; the agent who missed it goes away.
      const waiting: WaitingRow[] = [];
      for (const row of contacts) {
        if (row.status === 'queued') {
          waiting.push(row);
          continue;
        }
        const q = row.queue_id ? queueById.get(row.queue_id) : undefined;
        const policy = { timeoutSeconds: q?.offer_timeout_seconds ?? 20, maxOffers: q?.max_offers ?? 3, awayOnMissedOffer: true };
        if (row.offer_at === null || !isOfferExpired({ offeredAt: row.offer_at }, now, policy)) continue;
        const agentId = row.offer_agent_id;
        const result = await applyContactAction(trx, row, { type: 'timeout' }, now, null);
        out.timeouts += 1;
        const plan = planReoffer(result.contact, 'timed_out', policy);
        if (plan.kind === 'escalate') escalated.add(row.id);
        if (agentId) {
          pushes.push({ topic: 'offer.withdrawn', payload: { contactId: row.id, reason: 'timed_out' }, userIds: [agentId] });
          if (plan.agent.kind === 'set_away') await setAwayAfterMiss(trx, agentId, brandId, now, pushes);
        }
        const fresh = await trx.selectFrom('contacts').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
        waiting.push({ ...fresh, visitor_id: row.visitor_id });
      }

      // 2. Route each queue against the agents as updated by the offers made so far.
      const calendars = await loadCalendars(trx, brandId);
      let pool: RoutingCandidate[] = await loadCandidates(trx, brandId);
      for (const q of queues) {
        const inQueue = waiting.filter((w) => w.queue_id === q.id).map(toRoutable);
        if (inQueue.length === 0) continue;
        const options = queueOptions(q, calendars);
        const routable = inQueue.filter((c) => !escalated.has(c.row.id) && c.row.offer_count < q.max_offers);
        const held = inQueue.filter((c) => !routable.includes(c));
        const { decisions, candidates } = routeQueue(routable, pool, now, options);
        pool = candidates;
        // Contacts that used up their offers wait for a supervisor, overflowing only at the max wait.
        for (const c of held) {
          const waited = (now.getTime() - c.waitingSince.getTime()) / 1000;
          if (waited >= q.max_wait_seconds) decisions.push({ contact: c, decision: overflowDecision(options, now, 'max_wait_exceeded') });
        }
        for (const { contact, decision } of decisions) {
          await applyDecision(trx, contact.row, q, decision, now, pushes, out);
        }
      }
      out.waiting = waiting.length - out.offers - out.overflows;
      return out;
    });
    await publishAll(deps.publish, pushes);
    if (summary.offers + summary.overflows + summary.timeouts > 0) {
      await deps.publish({ topic: 'wall.changed', payload: { brandId }, brandId, permissions: SUPERVISORS });
    }
    return summary;
  }

  function overflowDecision(options: RoutingOptions, now: Date, reason: 'max_wait_exceeded'): RoutingDecision {
    // The same deadline rule as chooseAgent's overflow: business minutes on the queue's calendar.
    return { kind: 'overflow', action: options.overflowAction, reason, callbackDueAt: addBusinessMinutes(options.calendar, now, options.callbackWithinMinutes) };
  }

  async function applyDecision(trx: Executor, row: WaitingRow, q: QueueRow, decision: RoutingDecision, now: Date, pushes: Pushes, out: RoutingPassSummary) {
    switch (decision.kind) {
      case 'queue':
        return;
      case 'offer': {
        await applyContactAction(trx, row, { type: 'offer', agentId: decision.agentId }, now, null);
        await trx.updateTable('agent_states').set({ last_offered_at: now }).where('user_id', '=', decision.agentId).execute();
        out.offers += 1;
        const view = await loadContactView(trx, row.id);
        if (view) {
          const dto = toContactDto(view, now);
          pushes.push({ topic: 'offer.created', payload: { contact: dto, expiresAt: dto.offerExpiresAt, reason: decision.reason }, userIds: [decision.agentId] });
        }
        return;
      }
      case 'overflow': {
        await applyContactAction(trx, row, { type: 'overflow', action: decision.action }, now, null, { waiting_since: null });
        out.overflows += 1;
        const visitor = row.conversation_id
          ? await trx
              .selectFrom('conversations as v')
              .leftJoin('visitors as vi', 'vi.id', 'v.visitor_id')
              .select(['vi.name', 'vi.phone'])
              .where('v.id', '=', row.conversation_id)
              .executeTakeFirst()
          : undefined;
        const task = await trx
          .insertInto('callback_tasks')
          .values({
            brand_id: row.brand_id,
            contact_id: row.id,
            customer_id: row.customer_id,
            queue_id: q.id,
            kind: decision.action,
            name: visitor?.name ?? null,
            phone: visitor?.phone ?? row.from_address,
            message: null,
            due_at: decision.callbackDueAt,
          })
          .returning(['id', 'due_at'])
          .executeTakeFirstOrThrow();
        pushes.push({ topic: 'callback.created', payload: { id: task.id, dueAt: task.due_at.toISOString(), queueId: q.id }, brandId: row.brand_id, permissions: ['contact:handle'] });
        if (row.conversation_id) {
          const text = systemText(decision.reason === 'outside_business_hours' ? 'overflow.closed' : 'overflow.busy');
          const { message } = await appendMessage(trx, { conversationId: row.conversation_id, contactId: row.id, senderType: 'system', senderId: null, senderName: null, kind: 'event', body: text, at: now });
          const visitorIds = row.visitor_id ? [row.visitor_id] : [];
          pushes.push(messagePush(message, { conversationId: row.conversation_id, visitorId: row.visitor_id, agentIds: [] }));
          pushes.push({
            topic: 'conversation.updated',
            payload: { conversationId: row.conversation_id, status: 'overflowed', action: decision.action, reason: decision.reason, callbackId: task.id },
            visitorIds,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  async function setAwayAfterMiss(trx: Executor, agentId: string, brandId: string, now: Date, pushes: Pushes) {
    const { presence } = await loadAgent(trx, agentId, brandId, now, true);
    if (presence.state !== 'online') return;
    const changed = changePresence(presence, { state: 'away', reason: MISSED_OFFER_REASON }, now, { reasons: { busy: [], away: [MISSED_OFFER_REASON] } });
    if (!changed.ok) return;
    await savePresence(trx, changed.agent, changed.record);
    const payload = { agentId, state: changed.agent.state, reason: changed.agent.reason, since: now.toISOString() };
    pushes.push({ topic: 'presence.updated', payload, userIds: [agentId] });
    pushes.push({ topic: 'presence.updated', payload, brandId, permissions: SUPERVISORS });
  }

  /** Brands with contacts waiting or ringing: the periodic tick routes only these. */
  async function tick(at?: Date): Promise<RoutingPassSummary> {
    const brands = await db
      .selectFrom('contacts')
      .select('brand_id')
      .distinct()
      .where('status', 'in', ['queued', 'offered'])
      .where('channel', 'not in', PBX_QUEUED_CHANNELS)
      .execute();
    const total: RoutingPassSummary = { offers: 0, overflows: 0, timeouts: 0, waiting: 0 };
    for (const b of brands) {
      const s = await routeBrand(b.brand_id, at);
      total.offers += s.offers;
      total.overflows += s.overflows;
      total.timeouts += s.timeouts;
      total.waiting += s.waiting;
    }
    return total;
  }

  return { routeBrand, tick };
}

export type RoutingEngine = ReturnType<typeof createRoutingEngine>;
