// CTI calls: the PBX's event stream stored and folded into the call's contact (issue 5).
//
// - Every event is kept in cti_call_events, unique per (channel, eventId): a PBX retry is a no-op
//   and answers what the first delivery answered.
// - The call's contact is derived from the whole (small) log by the domain reducer
//   (packages/domain/src/cti/call-events.ts), so late and out-of-order events land in their place;
//   the contact row carries the exact timestamps answer rate, wait and handle times are read from.
// - `offered` asks the routing engine's rules where the call goes: the queue an IVR path leads to
//   (or the channel's queue), then the longest-idle qualified agent who has an extension and is
//   not being rung already. The decision is stored with the call and recorded as a `queued` event
//   of Kefu's own (id `kefu:queue:<callId>`), so the wait is measured from the routing answer.
// - Voice contacts are queued by the PBX, not by Kefu's chat routing pass (routing.engine.ts skips
//   channels 'call' and 'outbound').
// - `answered` pops the caller's archive on the agent's screen (call.screen_pop); every change is
//   pushed to the call's agent (call.updated) and to supervisors' wall.
import type { ChannelRow, ContactRow, CtiCallRow, DB } from '@kefu/db';
import {
  addBusinessMinutes,
  advanceContact,
  type CallEvent,
  type CallState,
  chooseAgent,
  type ContactState,
  getContactPriority,
  normalizeIdentity,
  recordOffer,
  type PublishedIvr,
  type RoutableContact,
  reduceCallEvents,
  resolveIvrPath,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import type { RealtimeMessage } from '../../../platform/realtime.ts';
import { loadCandidates } from '../../contacts/agents.store.ts';
import { contactStatePatch } from '../../contacts/contacts.mapper.ts';
import { type Executor, insertContactEvent, type Pushes, publishAll } from '../../contacts/contacts.queries.ts';
import { loadCalendars, queueOptions, SUPERVISORS } from '../../contacts/routing.engine.ts';
import type { LoadedChannel } from '../types.ts';
import type { CtiEventResult } from './cti.routes.ts';
import { getAgentExtension, type TCtiChannelConfig, type TCtiEvent, toCallEvent, ZCtiChannelConfig } from './cti.schemas.ts';

/** Statuses in which a routed call still rings or waits: its agent is not offered another call. */
const RINGING_STATUSES = ['created', 'queued', 'offered'];
/** How long a routing answer holds the agent it named when the PBX never reports back. */
export const ROUTED_HOLD_SECONDS = 45;
const ROUTE_EVENT_PREFIX = 'kefu:queue:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CtiCallsDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  /** The latest published IVR of a CTI channel (ivrPath → queue). */
  loadIvr: (channelId: string) => Promise<PublishedIvr | null>;
  /** Builds and pushes the screen pop for an answered call (after commit). */
  onAnswered?: (input: { contactId: string; agentId: string }) => Promise<void>;
};

type StoredEvent = { payload: Record<string, unknown> };

/** A domain CallEvent as stored (dates as ISO strings). */
export function toStoredEvent(e: CallEvent): Record<string, unknown> {
  return { ...e, at: e.at.toISOString() };
}

export function fromStoredEvent(p: Record<string, unknown>): CallEvent {
  return { ...(p as unknown as CallEvent), at: new Date(String(p.at)) };
}

/** Customers of a brand whose phone identity is this number (normalised). */
export async function findCustomersByPhone(ex: Executor, brandId: string, number: string | null): Promise<string[]> {
  if (!number) return [];
  const n = normalizeIdentity('phone', number);
  if (!n.ok) return [];
  const rows = await ex
    .selectFrom('customer_identities')
    .select('customer_id')
    .distinct()
    .where('brand_id', '=', brandId)
    .where('kind', '=', 'phone')
    .where('value', '=', n.value)
    .limit(20)
    .execute();
  return rows.map((r) => r.customer_id);
}

export function createCtiCalls(deps: CtiCallsDeps) {
  const { db, clock } = deps;

  // Names in events must exist in the brand, or the contact could not be written: 422, nothing stored.
  async function checkReferences(ex: Executor, brandId: string, event: CallEvent) {
    const agentId = event.type === 'answered' ? event.agentId : event.type === 'transferred' && event.to.kind === 'agent' ? event.to.agentId : null;
    if (agentId !== null) {
      const ok = UUID.test(agentId) && (await ex.selectFrom('user_brands').select('user_id').where('user_id', '=', agentId).where('brand_id', '=', brandId).executeTakeFirst());
      if (!ok) throw new AppError('cti.unknown_agent', 'The event names an agent that is not in this service center', { agentId: agentId.slice(0, 64) });
    }
    const queueId = event.type === 'queued' ? event.queueId : event.type === 'transferred' && event.to.kind === 'queue' ? event.to.queueId : null;
    if (queueId !== null) {
      const ok = UUID.test(queueId) && (await ex.selectFrom('queues').select('id').where('id', '=', queueId).where('brand_id', '=', brandId).executeTakeFirst());
      if (!ok) throw new AppError('cti.unknown_queue', 'The event names a queue that is not in this service center', { queueId: queueId.slice(0, 64) });
    }
  }

  async function onEvent(channel: LoadedChannel, wire: TCtiEvent): Promise<CtiEventResult> {
    const config = ZCtiChannelConfig.parse(channel.config);
    const event = toCallEvent(wire, config);
    if (event === null) {
      const extension = wire.type === 'answered' ? wire.agentExtension : wire.type === 'transferred' && wire.to.kind === 'agent' ? wire.to.agentExtension : undefined;
      throw new AppError('cti.unknown_extension', 'The event names an extension this channel does not map to an agent', { extension: extension ?? null });
    }
    const now = clock();
    const pushes: Pushes = [];
    const answered: { contactId: string; agentId: string }[] = [];
    // Read before the transaction: the IVR an offered call's keys went through.
    const ivr = event.type === 'offered' && event.ivrPath ? await deps.loadIvr(channel.id) : null;
    const result = await db.transaction().execute(async (trx) => {
      const ch = await trx.selectFrom('channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
      await checkReferences(trx, ch.brand_id, event);
      if (event.type === 'offered') {
        // Routing passes of both kinds (calls and chats) are serialised by the brand row.
        await trx.selectFrom('brands').select('id').where('id', '=', ch.brand_id).forNoKeyUpdate().execute();
      }
      await trx.insertInto('cti_calls').values({ brand_id: ch.brand_id, channel_id: ch.id, call_id: event.callId }).onConflict((oc) => oc.columns(['channel_id', 'call_id']).doNothing()).execute();
      const call = await trx.selectFrom('cti_calls').selectAll().where('channel_id', '=', ch.id).where('call_id', '=', event.callId).forUpdate().executeTakeFirstOrThrow();
      const inserted = await trx
        .insertInto('cti_call_events')
        .values({ channel_id: ch.id, event_id: event.id, call_id: event.callId, type: event.type, at: event.at, seq: event.seq ?? null, payload: JSON.stringify(toStoredEvent(event)) })
        .onConflict((oc) => oc.columns(['channel_id', 'event_id']).doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (inserted === undefined) return routeResultOf(call);

      let routed = call;
      if (event.type === 'offered' && call.routed_at === null) {
        routed = await route(trx, ch, call, event, config, now, ivr);
      }
      if (event.type === 'offered' && wire.type === 'offered' && wire.callbackTaskId && UUID.test(wire.callbackTaskId)) {
        const task = await trx.selectFrom('callback_tasks').select('id').where('id', '=', wire.callbackTaskId).where('brand_id', '=', ch.brand_id).executeTakeFirst();
        if (task) routed = await trx.updateTable('cti_calls').set({ callback_task_id: task.id }).where('id', '=', call.id).returningAll().executeTakeFirstOrThrow();
      }
      // The channel's health (渠道管理): one write per call, not per event.
      if (event.type === 'offered') {
        await trx
          .updateTable('channels')
          .set({ health: sql`health || ${JSON.stringify({ lastInboundAt: now.toISOString() })}::jsonb` })
          .where('id', '=', ch.id)
          .execute();
      }
      const log = (await trx.selectFrom('cti_call_events').select('payload').where('channel_id', '=', ch.id).where('call_id', '=', event.callId).execute()) as StoredEvent[];
      const state = reduceCallEvents(event.callId, log.map((r) => fromStoredEvent(r.payload)));
      await persist(trx, ch, routed, state, now, pushes, answered);
      return routeResultOf(routed);
    });
    await publishAll(deps.publish, pushes);
    if (deps.onAnswered) for (const a of answered) await deps.onAnswered(a);
    return result;
  }

  function routeResultOf(call: CtiCallRow): CtiEventResult {
    if (call.routed_at === null) return {};
    const overflow = call.routed_overflow as CtiEventResult['overflow'] | null;
    if (overflow) return { overflow };
    return { route: { ...(call.routed_queue_id ? { queueId: call.routed_queue_id } : {}), ...(call.routed_agent_id ? { agentId: call.routed_agent_id } : {}) } };
  }

  async function route(
    trx: Executor,
    ch: ChannelRow,
    call: CtiCallRow,
    event: Extract<CallEvent, { type: 'offered' }>,
    config: TCtiChannelConfig,
    now: Date,
    ivr: PublishedIvr | null,
  ): Promise<CtiCallRow> {
    const save = (patch: { routed_queue_id?: string | null; routed_agent_id?: string | null; routed_overflow?: string | null }) =>
      trx
        .updateTable('cti_calls')
        .set({ ...patch, routed_at: now, updated_at: now })
        .where('id', '=', call.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    // An outbound call was placed by an agent: nothing to route.
    if (event.direction === 'outbound') return save({});
    const matches = await findCustomersByPhone(trx, ch.brand_id, event.caller);
    const customer =
      matches.length === 1
        ? await trx.selectFrom('customers as c').leftJoin('areas as a', 'a.id', 'c.area_id').select(['c.id', 'c.flags', 'a.account_manager_id']).where('c.id', '=', matches[0] as string).executeTakeFirst()
        : undefined;
    if (customer) await trx.updateTable('cti_calls').set({ customer_id: customer.id }).where('id', '=', call.id).execute();

    // The queue: where the caller's keys led in the published IVR, else the channel's queue, else the first voice queue.
    let queueId: string | null = null;
    if (event.ivrPath) {
      const outcome = ivr ? resolveIvrPath(ivr.tree, event.ivrPath) : null;
      if (outcome?.kind === 'queue') queueId = outcome.queueId;
      if ((outcome?.kind === 'leave_message' || outcome?.kind === 'callback') && outcome.queueId) {
        return save({ routed_queue_id: await brandQueue(trx, ch.brand_id, outcome.queueId), routed_overflow: JSON.stringify({ action: outcome.kind, queueId: outcome.queueId }) });
      }
    }
    const q =
      (queueId && (await trx.selectFrom('queues').selectAll().where('id', '=', queueId).where('brand_id', '=', ch.brand_id).where('active', '=', true).executeTakeFirst())) ||
      (ch.queue_id && (await trx.selectFrom('queues').selectAll().where('id', '=', ch.queue_id).where('active', '=', true).executeTakeFirst())) ||
      (await trx
        .selectFrom('queues')
        .selectAll()
        .where('brand_id', '=', ch.brand_id)
        .where('active', '=', true)
        .where(sql<boolean>`'call' = any(channels)`)
        .orderBy('position')
        .executeTakeFirst());
    if (!q) return save({});

    // Agents who can take a call here: an extension on this channel, not being rung by another routed call.
    const ringing = await trx
      .selectFrom('cti_calls as k')
      .leftJoin('contacts as c', 'c.id', 'k.contact_id')
      .select('k.routed_agent_id')
      .where('k.brand_id', '=', ch.brand_id)
      .where('k.routed_agent_id', 'is not', null)
      .where('k.routed_at', '>', new Date(now.getTime() - ROUTED_HOLD_SECONDS * 1000))
      .where((eb) => eb.or([eb('c.status', 'is', null), eb('c.status', 'in', RINGING_STATUSES)]))
      .execute();
    const busy = new Set(ringing.map((r) => r.routed_agent_id));
    // A ringing agent still counts as logged in and qualified (the call waits for them), with that call as load.
    const pool = (await loadCandidates(trx, ch.brand_id))
      .filter((a) => getAgentExtension(config, a.agentId) !== null)
      .map((a) => (busy.has(a.agentId) ? { ...recordOffer(a, 'call', now), skills: a.skills } : a));
    const contact: RoutableContact = {
      channel: 'call',
      waitingSince: now,
      requiredSkills: q.required_skills,
      priority: getContactPriority(customer?.flags ?? []),
      accountManagerId: customer?.account_manager_id ?? null,
      declinedAgentIds: [],
    };
    const calendars = await loadCalendars(trx, ch.brand_id);
    const decision = chooseAgent(contact, pool, now, queueOptions(q, calendars));
    // Kefu's own `queued` event: the call waits in q from the routing answer on.
    const queued: CallEvent = { id: `${ROUTE_EVENT_PREFIX}${event.callId}`, callId: event.callId, type: 'queued', queueId: q.id, at: event.at, seq: event.seq ?? null };
    await trx
      .insertInto('cti_call_events')
      .values({ channel_id: ch.id, event_id: queued.id, call_id: event.callId, type: 'queued', at: event.at, seq: event.seq ?? null, payload: JSON.stringify(toStoredEvent(queued)) })
      .onConflict((oc) => oc.columns(['channel_id', 'event_id']).doNothing())
      .execute();
    switch (decision.kind) {
      case 'offer':
        await trx.updateTable('agent_states').set({ last_offered_at: now }).where('user_id', '=', decision.agentId).execute();
        return save({ routed_queue_id: q.id, routed_agent_id: decision.agentId });
      case 'queue':
        return save({ routed_queue_id: q.id });
      case 'overflow':
        return save({ routed_queue_id: q.id, routed_overflow: JSON.stringify({ action: decision.action, queueId: q.id, reason: decision.reason }) });
    }
  }

  async function brandQueue(ex: Executor, brandId: string, queueId: string): Promise<string | null> {
    if (!UUID.test(queueId)) return null;
    const q = await ex.selectFrom('queues').select('id').where('id', '=', queueId).where('brand_id', '=', brandId).executeTakeFirst();
    return q?.id ?? null;
  }

  async function persist(trx: Executor, ch: ChannelRow, call: CtiCallRow, state: CallState, now: Date, pushes: Pushes, answered: { contactId: string; agentId: string }[]) {
    const callPatch = {
      caller: state.caller,
      called: state.called,
      ivr_path: state.ivrPath,
      direction: state.contact?.direction ?? call.direction,
      end_reason: state.endReason,
      recording_urls: JSON.stringify(state.recordingUrls),
      ivr_inputs: JSON.stringify(state.ivrInputs.map((i) => ({ ...i, at: i.at.toISOString() }))),
      ignored: JSON.stringify(state.ignored),
      updated_at: now,
    };
    if (state.contact === null) {
      await trx.updateTable('cti_calls').set(callPatch).where('id', '=', call.id).execute();
      return;
    }
    const before = call.contact_id ? await trx.selectFrom('contacts').selectAll().where('id', '=', call.contact_id).forUpdate().executeTakeFirst() : undefined;
    const next = keepWrapUp(state.contact, before);
    let row: ContactRow;
    if (before === undefined) {
      const q = call.routed_queue_id ? await trx.selectFrom('queues').select('required_skills').where('id', '=', call.routed_queue_id).executeTakeFirst() : undefined;
      const customer = call.customer_id ? await trx.selectFrom('customers').select('flags').where('id', '=', call.customer_id).executeTakeFirst() : undefined;
      row = await trx
        .insertInto('contacts')
        .values({
          ...contactStatePatch(next),
          brand_id: ch.brand_id,
          channel: next.channel,
          direction: next.direction,
          status: next.status,
          created_at: next.createdAt,
          last_changed_at: next.lastChangedAt,
          customer_id: call.customer_id,
          priority: getContactPriority(customer?.flags ?? []),
          required_skills: q?.required_skills ?? [],
          from_address: next.direction === 'outbound' ? state.called : state.caller,
          to_address: next.direction === 'outbound' ? state.caller : state.called,
        } as never)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('cti_calls').set({ ...callPatch, contact_id: row.id }).where('id', '=', call.id).execute();
    } else {
      row = await trx
        .updateTable('contacts')
        .set({ ...contactStatePatch(next), version: before.version + 1 })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('cti_calls').set(callPatch).where('id', '=', call.id).execute();
    }
    await writeTimeline(trx, row.id, state);
    await overflowToCallback(trx, row, call, state, now, pushes);

    const wasActiveWith = before && (before.status === 'active' || before.status === 'on_hold') ? before.agent_id : null;
    if (next.status === 'active' && next.agentId !== null && wasActiveWith !== next.agentId) answered.push({ contactId: row.id, agentId: next.agentId });
    if (before?.status !== next.status || before?.agent_id !== next.agentId) {
      const agents = new Set([next.agentId, before?.agent_id].filter((a): a is string => !!a));
      if (agents.size > 0) {
        pushes.push({
          topic: 'call.updated',
          payload: { contactId: row.id, status: next.status, endedAt: next.endedAt?.toISOString() ?? null, recordingUrls: [...state.recordingUrls] },
          userIds: [...agents],
        });
      }
      pushes.push({ topic: 'wall.changed', payload: { brandId: ch.brand_id }, brandId: ch.brand_id, permissions: SUPERVISORS });
    }
  }

  // The lifecycle events derived from the log, as contact_events rows marked source=cti. A late
  // event can change earlier ones, so the rows are rewritten when the derived list differs.
  async function writeTimeline(trx: Executor, contactId: string, state: CallState) {
    const existing = await trx
      .selectFrom('contact_events')
      .select(['id', 'type', 'at'])
      .where('contact_id', '=', contactId)
      .where(sql<boolean>`details->>'source' = 'cti'`)
      .orderBy('id')
      .execute();
    const derived = state.timeline;
    const prefixMatches = existing.length <= derived.length && existing.every((e, i) => e.type === derived[i]?.type && e.at.getTime() === derived[i]?.at.getTime());
    let from = existing.length;
    if (!prefixMatches) {
      await trx
        .deleteFrom('contact_events')
        .where(
          'id',
          'in',
          existing.map((e) => e.id),
        )
        .execute();
      from = 0;
    }
    for (const e of derived.slice(from)) {
      await insertContactEvent(trx, contactId, { type: e.type, from: e.from, to: e.to, at: e.at, actorId: null, details: { ...e.details, source: 'cti' } });
    }
  }

  // A call that overflowed (voicemail / callback at the PBX) becomes a callback task, once.
  async function overflowToCallback(trx: Executor, row: ContactRow, call: CtiCallRow, state: CallState, now: Date, pushes: Pushes) {
    if (row.status !== 'closed' || row.end_reason !== 'overflowed' || row.overflow_action === null) return;
    const exists = await trx.selectFrom('callback_tasks').select('id').where('contact_id', '=', row.id).executeTakeFirst();
    if (exists) return;
    const queueId = row.queue_id ?? call.routed_queue_id;
    const q = queueId ? await trx.selectFrom('queues').selectAll().where('id', '=', queueId).executeTakeFirst() : undefined;
    const calendars = await loadCalendars(trx, row.brand_id);
    const due = q ? addBusinessMinutes(queueOptions(q, calendars).calendar, now, q.callback_within_minutes) : new Date(now.getTime() + 2 * 3600_000);
    const task = await trx
      .insertInto('callback_tasks')
      .values({ brand_id: row.brand_id, contact_id: row.id, customer_id: row.customer_id, queue_id: q?.id ?? null, kind: row.overflow_action, name: null, phone: state.caller, message: null, due_at: due })
      .returning(['id', 'due_at'])
      .executeTakeFirstOrThrow();
    pushes.push({ topic: 'callback.created', payload: { id: task.id, dueAt: task.due_at.toISOString(), queueId: q?.id ?? null }, brandId: row.brand_id, permissions: ['contact:handle'] });
  }

  return { onEvent };
}

// An agent's wrap-up is Kefu's, not the PBX's: when the log is re-derived after a wrap-up (a late
// event), the wrap-up is applied again on top so the contact stays closed with its reason.
function keepWrapUp(derived: ContactState, before: ContactRow | undefined): ContactState {
  if (!before || before.wrapped_up_at === null || before.reason_code === null || derived.status !== 'wrap_up') return derived;
  const r = advanceContact(derived, { type: 'wrap_up', reasonCode: before.reason_code, ...(before.outcome ? { outcome: before.outcome } : {}) }, before.wrapped_up_at);
  return r.ok ? r.contact : derived;
}

export type CtiCalls = ReturnType<typeof createCtiCalls>;
