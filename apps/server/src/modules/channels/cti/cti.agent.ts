// The agent's side of phone calls (docs/cti.md): the screen pop when a call is answered, linking
// the caller to the archive (or creating the customer with the caller's number, which the agent
// never sees unmasked), the calls not yet wrapped up, and click-to-call / callback requests.
import { randomUUID } from 'node:crypto';
import type { TCurrentCall, TLinkCallCustomerRequest, TOriginateRequest, TOrigination, TScreenPop } from '@kefu/contracts';
import type { CtiOriginationRow, DB } from '@kefu/db';
import { maskIdentity, OPEN_STATUSES } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import type { RequestContext } from '../../../platform/auth-context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { RealtimeMessage } from '../../../platform/realtime.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { loadAuthContext } from '../../auth/auth.service.ts';
import { toCustomerSummary } from '../../customers/customers.mapper.ts';
import type { SummaryRow } from '../../customers/customers.repository.ts';
import { customerVisibility } from '../../customers/customers.scope.ts';
import type { CustomersService } from '../../customers/index.ts';
import type { LoadedChannel } from '../types.ts';
import { findCustomersByPhone } from './cti.calls.ts';
import type { OriginateInput } from './cti.originate.ts';
import { getAgentExtension, ZCtiChannelConfig } from './cti.schemas.ts';

export type CtiAgentDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  customers: CustomersService;
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  originate: (channel: LoadedChannel, input: OriginateInput) => Promise<{ callId: string | null }>;
};

const SUPERVISE = 'contact:supervise';
const UNMASK = 'customer:unmask';
const HELD = ['active', 'on_hold', 'wrap_up'] as const;
const phonesOf = sql<string[]>`coalesce((select array_agg(ci.value order by ci.created_at, ci.value) from customer_identities ci where ci.customer_id = customers.id and ci.kind = 'phone'), '{}')`;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const notFound = (id: string) => new AppError('resource.not_found', 'No such call', { entity: 'call', id });

export function createCtiAgent(deps: CtiAgentDeps) {
  const { db, clock } = deps;

  // The call behind a contact, visible to its agent (or a supervisor) of the same brand.
  async function loadCall(ctx: RequestContext, contactId: string) {
    const row = await db
      .selectFrom('cti_calls as k')
      .innerJoin('contacts as c', 'c.id', 'k.contact_id')
      .innerJoin('channels as ch', 'ch.id', 'k.channel_id')
      .leftJoin('queues as q', 'q.id', 'c.queue_id')
      .select([
        'k.id as call_row_id',
        'k.call_id',
        'k.channel_id',
        'ch.name as channel_name',
        'k.caller',
        'k.called',
        'k.ivr_path',
        'k.direction',
        'k.recording_urls',
        'c.id as contact_id',
        'c.brand_id',
        'c.status',
        'c.agent_id',
        'c.customer_id',
        'c.queue_id',
        'q.name_zh as queue_name',
        'c.answered_at',
        'c.ended_at',
      ])
      .where('k.contact_id', '=', contactId)
      .executeTakeFirst();
    if (!row || !ctx.auth.brandIds.includes(row.brand_id)) throw notFound(contactId);
    if (row.agent_id !== ctx.auth.userId && !ctx.auth.permissions.has(SUPERVISE)) throw notFound(contactId);
    return row;
  }

  function summaries(ctx: RequestContext, ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([] as SummaryRow[]);
    return db
      .selectFrom('customers')
      .leftJoin('areas', 'areas.id', 'customers.area_id')
      .select(['customers.id', 'customers.name', 'customers.area_id', 'customers.flags', 'customers.tags', 'customers.preferred_language', 'customers.created_at', 'areas.name as area_name', phonesOf.as('phones')])
      .where(customerVisibility(ctx.auth))
      .where('customers.id', 'in', [...ids])
      .orderBy('customers.created_at')
      .execute() as Promise<SummaryRow[]>;
  }

  async function screenPop(ctx: RequestContext, contactId: string): Promise<TScreenPop> {
    const call = await loadCall(ctx, contactId);
    const ids = call.customer_id ? [call.customer_id] : await findCustomersByPhone(db, call.brand_id, call.caller);
    const customers = (await summaries(ctx, ids)).map(toCustomerSummary);
    const visibleIds = customers.map((c) => c.id);
    const tickets =
      visibleIds.length === 0
        ? []
        : await db
            .selectFrom('tickets')
            .select(['id', 'number', 'title', 'status', 'priority', 'handle_due_at', 'customer_id'])
            .where('customer_id', 'in', visibleIds)
            .where('status', 'in', [...OPEN_STATUSES])
            .orderBy('created_at', 'desc')
            .limit(20)
            .execute();
    const contacts =
      visibleIds.length === 0
        ? []
        : await db
            .selectFrom('contacts')
            .select(['id', 'channel', 'status', 'created_at', 'reason_code'])
            .where('customer_id', 'in', visibleIds)
            .where('id', '!=', contactId)
            .orderBy('created_at', 'desc')
            .limit(5)
            .execute();
    const unmask = ctx.auth.permissions.has(UNMASK);
    return {
      contactId: call.contact_id,
      callId: call.call_id,
      channelId: call.channel_id,
      channelName: call.channel_name,
      direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
      caller: call.caller === null ? null : unmask ? call.caller : maskIdentity('phone', call.caller),
      called: call.called,
      ivrPath: call.ivr_path,
      queueId: call.queue_id,
      queueName: call.queue_name,
      status: call.status as TScreenPop['status'],
      answeredAt: iso(call.answered_at),
      endedAt: iso(call.ended_at),
      customerId: call.customer_id,
      customers,
      openTickets: tickets.map((t) => ({ id: t.id, number: t.number, title: t.title ?? '', status: t.status, priority: t.priority, dueAt: iso(t.handle_due_at), customerId: t.customer_id })),
      recentContacts: contacts.map((c) => ({ id: c.id, channel: c.channel, status: c.status as TScreenPop['status'], createdAt: c.created_at.toISOString(), reasonCode: c.reason_code })),
    };
  }

  /** Pushes the screen pop to the agent who answered, seen with the agent's rights but always masked (a push is not a reveal). */
  async function pushScreenPop(input: { contactId: string; agentId: string }) {
    const auth = await loadAuthContext(db, input.agentId, 'session', null, null);
    if (!auth) return;
    const permissions = new Set([...auth.permissions].filter((p) => p !== UNMASK));
    const pop = await screenPop({ auth: { ...auth, permissions }, requestId: 'cti', ip: null }, input.contactId);
    await deps.publish({ topic: 'call.screen_pop', payload: pop, userIds: [input.agentId] });
  }

  async function current(ctx: RequestContext): Promise<{ items: TCurrentCall[] }> {
    const rows = await db
      .selectFrom('cti_calls as k')
      .innerJoin('contacts as c', 'c.id', 'k.contact_id')
      .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
      .select(['c.id', 'k.call_id', 'k.caller', 'c.customer_id', 'cu.name as customer_name', 'c.status', 'k.direction', 'c.answered_at'])
      .where('c.agent_id', '=', ctx.auth.userId)
      .where('c.status', 'in', [...HELD])
      .orderBy('c.answered_at')
      .execute();
    const unmask = ctx.auth.permissions.has(UNMASK);
    return {
      items: rows.map((r) => ({
        contactId: r.id,
        callId: r.call_id,
        caller: r.caller === null ? null : unmask ? r.caller : maskIdentity('phone', r.caller),
        customerId: r.customer_id,
        customerName: r.customer_name,
        status: r.status as TCurrentCall['status'],
        direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
        answeredAt: iso(r.answered_at),
      })),
    };
  }

  async function linkCustomer(ctx: RequestContext, contactId: string, input: TLinkCallCustomerRequest): Promise<TScreenPop> {
    const call = await loadCall(ctx, contactId);
    let customerId: string;
    if ('customerId' in input) {
      const visible = await summaries(ctx, [input.customerId]);
      if (visible.length === 0) throw new AppError('resource.not_found', 'No such customer', { entity: 'customer', id: input.customerId });
      customerId = input.customerId;
    } else {
      if (!call.caller) throw new AppError('validation.failed', 'The call has no caller number to create a customer with', { issues: [{ path: 'newCustomer', message: 'no caller number' }] });
      const n = input.newCustomer;
      const created = await deps.customers.createCustomer(ctx, {
        name: n.name,
        phones: [call.caller],
        ...(n.areaId ? { areaId: n.areaId } : {}),
        ...(n.address ? { addresses: [{ text: n.address, primary: true }] } : {}),
        ...(n.preferredLanguage ? { preferredLanguage: n.preferredLanguage as never } : {}),
        brandId: call.brand_id,
      });
      customerId = created.id;
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('contacts').set({ customer_id: customerId }).where('id', '=', contactId).execute();
      await trx.updateTable('cti_calls').set({ customer_id: customerId, updated_at: clock() }).where('id', '=', call.call_row_id).execute();
      await recordAudit(trx, ctx, { action: 'call.customer_linked', entityType: 'contact', entityId: contactId, brandId: call.brand_id, after: { customerId } });
    });
    return screenPop(ctx, contactId);
  }

  // The CTI channel to dial through: the one asked for, else the first enabled one where the agent has an extension.
  async function channelFor(ctx: RequestContext, channelId: string | undefined): Promise<LoadedChannel> {
    const ids = channelId
      ? [channelId]
      : (
          await db
            .selectFrom('channels')
            .select('id')
            .where('type', '=', 'cti')
            .where('enabled', '=', true)
            .where('brand_id', 'in', [...ctx.auth.brandIds])
            .orderBy('created_at')
            .execute()
        ).map((r) => r.id);
    for (const id of ids) {
      const ch = await deps.loadChannel(id);
      if (ch?.type !== 'cti' || !ch.enabled || !ctx.auth.brandIds.includes(ch.brandId)) continue;
      const config = ZCtiChannelConfig.safeParse(ch.config);
      if (config.success && config.data.originateUrl && getAgentExtension(config.data, ctx.auth.userId) !== null) return ch;
    }
    throw new AppError('cti.not_configured', 'No phone line is set up for you: a CTI channel with an originate URL and your extension', { channelId: channelId ?? null });
  }

  async function numberFor(ctx: RequestContext, input: TOriginateRequest): Promise<{ number: string; customerId: string | null; callbackTaskId: string | null }> {
    if (input.callbackTaskId) {
      const task = await db.selectFrom('callback_tasks').select(['id', 'phone', 'customer_id', 'brand_id']).where('id', '=', input.callbackTaskId).executeTakeFirst();
      if (!task || !ctx.auth.brandIds.includes(task.brand_id)) throw new AppError('resource.not_found', 'No such callback task', { entity: 'callback_task', id: input.callbackTaskId });
      const number = input.number ?? task.phone;
      if (!number) throw new AppError('validation.failed', 'The callback task has no number', { issues: [{ path: 'callbackTaskId', message: 'no phone number' }] });
      return { number, customerId: task.customer_id, callbackTaskId: task.id };
    }
    if (input.customerId) {
      const visible = await summaries(ctx, [input.customerId]);
      const phones = visible[0]?.phones ?? [];
      if (visible.length === 0) throw new AppError('resource.not_found', 'No such customer', { entity: 'customer', id: input.customerId });
      const number = input.number ?? phones[0];
      if (!number) throw new AppError('validation.failed', 'The customer has no phone number', { issues: [{ path: 'customerId', message: 'no phone number' }] });
      return { number, customerId: input.customerId, callbackTaskId: null };
    }
    return { number: input.number as string, customerId: null, callbackTaskId: null };
  }

  function toOrigination(r: CtiOriginationRow, unmask: boolean): TOrigination {
    return {
      id: r.id,
      channelId: r.channel_id,
      status: r.status as TOrigination['status'],
      number: unmask ? r.number : maskIdentity('phone', r.number),
      pbxCallId: r.pbx_call_id,
      customerId: r.customer_id,
      callbackTaskId: r.callback_task_id,
      createdAt: r.created_at.toISOString(),
    };
  }

  async function setHealth(channelId: string, patch: Record<string, unknown>) {
    await db
      .updateTable('channels')
      .set({ health: sql`health || ${JSON.stringify(patch)}::jsonb` })
      .where('id', '=', channelId)
      .execute();
  }

  /** Click-to-call / callback: asks the PBX to ring the agent's extension, then dial the number. */
  async function originate(ctx: RequestContext, input: TOriginateRequest): Promise<TOrigination> {
    const channel = await channelFor(ctx, input.channelId);
    const target = await numberFor(ctx, input);
    const requestId = randomUUID();
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('cti_originations')
        .values({ brand_id: channel.brandId, channel_id: channel.id, agent_id: ctx.auth.userId, request_id: requestId, number: target.number, customer_id: target.customerId, callback_task_id: target.callbackTaskId })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'call.originate', entityType: 'cti_origination', entityId: inserted.id, brandId: channel.brandId, after: { customerId: target.customerId, callbackTaskId: target.callbackTaskId, number: maskIdentity('phone', target.number) } });
      return inserted;
    });
    try {
      const answer = await deps.originate(channel, { agentId: ctx.auth.userId, number: target.number, callbackTaskId: target.callbackTaskId, requestId });
      const done = await db.updateTable('cti_originations').set({ status: 'accepted', pbx_call_id: answer.callId, updated_at: clock() }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      await setHealth(channel.id, { lastOutboundAt: clock().toISOString(), lastOutboundError: null });
      return toOrigination(done, ctx.auth.permissions.has(UNMASK));
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'error';
      await db.updateTable('cti_originations').set({ status: 'failed', error: code, updated_at: clock() }).where('id', '=', row.id).execute();
      await setHealth(channel.id, { lastOutboundErrorAt: clock().toISOString(), lastOutboundError: code });
      throw err;
    }
  }

  return { screenPop, pushScreenPop, current, linkCustomer, originate };
}

export type CtiAgent = ReturnType<typeof createCtiAgent>;
