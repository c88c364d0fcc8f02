import type { TConversation, TWidgetConfig } from '@kefu/contracts';
import type { ChannelRow, DB } from '@kefu/db';
import { addBusinessMinutes, advanceContact, CALENDAR_24X7, createContact, detectLanguage, getContactPriority, isWorkingTime, normalizeIdentity } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { AppError } from '../../platform/errors.ts';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { contactStatePatch, toConversationDto } from './contacts.mapper.ts';
import { type Executor, insertContactEvent, loadConversationView, type Pushes, publishAll } from './contacts.queries.ts';
import type { ContactsService } from './contacts.service.ts';
import { appendMessage, loadAudience, messagePush } from './messages.store.ts';
import { loadCalendars, type RoutingEngine, SUPERVISORS } from './routing.engine.ts';
import { systemText } from './system-texts.ts';
import { issueVisitorToken, verifyIdentityToken, verifyVisitorToken } from './visitor-tokens.ts';

/** What the self-service bot adds to the widget (modules/bot); absent, every chat queues for a person. */
export type WidgetBotHooks = {
  /** True when the channel hands new chats to the bot (channels.config.bot.enabled). */
  enabled(ch: ChannelRow): boolean;
  /** Inside the start transaction: the bot's greeting and initial state. */
  greet(trx: Executor, input: { conversationId: string; contactId: string; brandId: string; channel: ChannelRow; visitorId: string; language: 'zh-CN' | 'en-US'; at: Date; pushes: Pushes }): Promise<void>;
  /** After commit: the bot answers a customer message (never throws). */
  respond(m: { conversationId: string; brandId: string; text: string }): Promise<void>;
  /** Inside the end transaction: settle the bot's turns. */
  onEnded(trx: Executor, conversationId: string, now: Date): Promise<void>;
};

export type WidgetServiceDeps = {
  bot?: WidgetBotHooks;
  db: Kysely<DB>;
  clock: () => Date;
  secret: string;
  publish: (m: RealtimeMessage) => Promise<void>;
  routing: RoutingEngine;
  contacts: ContactsService;
  log?: { warn: (obj: unknown, msg: string) => void };
};

export type Visitor = { visitorId: string; channelId: string; brandId: string };

type Topic = { code: string; labelZh: string; labelEn: string; queueCode?: string };
type WebchatConfig = {
  greeting?: string;
  color?: string;
  language?: 'zh-CN' | 'en-US';
  preChat?: TWidgetConfig['preChat'];
  topics?: Topic[];
  maxUploadBytes?: number;
  allowedUploadTypes?: string[];
};

export const DEFAULT_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'application/pdf'];

/** The queue a chat on `ch` waits in: the topic's queue, else the channel's, else the brand's first active one. */
export async function findChannelQueue(ex: Executor, ch: Pick<ChannelRow, 'id' | 'brand_id' | 'queue_id' | 'config'>, topic?: string) {
  const cfg = ch.config as WebchatConfig;
  const code = cfg.topics?.find((t) => t.code === topic)?.queueCode;
  let q = code
    ? await ex.selectFrom('queues').selectAll().where('brand_id', '=', ch.brand_id).where('code', '=', code).where('active', '=', true).executeTakeFirst()
    : undefined;
  if (!q && ch.queue_id) q = await ex.selectFrom('queues').selectAll().where('id', '=', ch.queue_id).executeTakeFirst();
  q ??= await ex.selectFrom('queues').selectAll().where('brand_id', '=', ch.brand_id).where('active', '=', true).orderBy('position').executeTakeFirst();
  if (!q) throw new AppError('widget.channel_unavailable', 'The channel has no queue', { channelId: ch.id });
  return q;
}

function visitorLanguage(language: string | null, cfg: WebchatConfig): 'zh-CN' | 'en-US' {
  const l = language ?? cfg.language ?? 'zh-CN';
  return l.startsWith('en') ? 'en-US' : 'zh-CN';
}

export function createWidgetService(deps: WidgetServiceDeps) {
  const { db, clock } = deps;

  async function channel(channelId: string): Promise<ChannelRow> {
    const row = await db.selectFrom('channels').selectAll().where('id', '=', channelId).where('type', '=', 'webchat').where('enabled', '=', true).executeTakeFirst();
    if (!row) throw new AppError('widget.channel_unavailable', 'No web chat channel with this id', { channelId });
    return row;
  }

  async function queueFor(ch: ChannelRow, topic?: string) {
    return findChannelQueue(db, ch, topic);
  }

  async function config(channelId: string): Promise<TWidgetConfig> {
    const ch = await channel(channelId);
    const cfg = ch.config as WebchatConfig;
    const q = await queueFor(ch);
    const calendars = await loadCalendars(db, ch.brand_id);
    const calendar = (q.calendar_id && calendars.get(q.calendar_id)) || CALENDAR_24X7;
    return {
      channelId: ch.id,
      name: ch.name,
      greeting: cfg.greeting ?? '',
      color: cfg.color ?? '#1677ff',
      language: cfg.language ?? 'zh-CN',
      open: isWorkingTime(calendar, clock()),
      preChat: cfg.preChat ?? { enabled: false, fields: [] },
      topics: (cfg.topics ?? []).map((t) => ({ code: t.code, labelZh: t.labelZh, labelEn: t.labelEn })),
      maxUploadBytes: cfg.maxUploadBytes ?? 5 * 1024 * 1024,
      allowedUploadTypes: cfg.allowedUploadTypes ?? DEFAULT_UPLOAD_TYPES,
    };
  }

  function authenticate(token: string | undefined): Visitor {
    const claims = token ? verifyVisitorToken(deps.secret, token, clock()) : null;
    if (!claims) throw new AppError('widget.invalid_visitor', 'Open a chat session first');
    return { visitorId: claims.v, channelId: claims.c, brandId: claims.b };
  }

  async function findCustomerByPhone(brandId: string, phone: string | undefined | null): Promise<string | null> {
    if (!phone) return null;
    const n = normalizeIdentity('phone', phone);
    if (!n.ok) return null;
    const row = await db.selectFrom('customer_identities').select('customer_id').where('brand_id', '=', brandId).where('kind', '=', 'phone').where('value', '=', n.value).executeTakeFirst();
    return row?.customer_id ?? null;
  }

  async function currentConversation(visitorId: string): Promise<TConversation | null> {
    const open = await db.selectFrom('conversations').select('id').where('visitor_id', '=', visitorId).where('status', '=', 'open').orderBy('created_at', 'desc').executeTakeFirst();
    if (!open) return null;
    const view = await loadConversationView(db, open.id);
    return view ? toConversationDto(view) : null;
  }

  async function session(input: { channelId: string; visitorToken?: string; identityToken?: string; name?: string; phone?: string; email?: string; language?: string }) {
    const ch = await channel(input.channelId);
    const now = clock();
    const known = input.visitorToken ? verifyVisitorToken(deps.secret, input.visitorToken, now) : null;
    let visitorId: string | null = known && known.c === ch.id ? known.v : null;
    let verified = false;
    let externalId: string | null = null;
    let name = input.name ?? null;
    let phone = input.phone ?? null;
    let email = input.email ?? null;
    if (input.identityToken) {
      const secret = (ch.secrets as { identitySecret?: string }).identitySecret;
      const claims = secret ? verifyIdentityToken(secret, input.identityToken, now) : null;
      if (!claims) throw new AppError('widget.invalid_identity', 'The identity token is invalid or expired');
      verified = true;
      externalId = claims.sub;
      name = claims.name ?? name;
      phone = claims.phone ?? phone;
      email = claims.email ?? email;
    }
    // A verified identity links the archive; a phone typed into the pre-chat form links it too, but
    // the visitor stays unverified (the agent sees 未验证 and checks identity before disclosing
    // anything) — the visitor never sees archive data either way.
    const customerId = await findCustomerByPhone(ch.brand_id, phone);
    const row = await db.transaction().execute(async (trx) => {
      if (externalId) {
        const byExternal = await trx.selectFrom('visitors').select('id').where('channel_id', '=', ch.id).where('external_id', '=', externalId).executeTakeFirst();
        if (byExternal) visitorId = byExternal.id;
      }
      if (visitorId) {
        const existing = await trx.selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirst();
        if (existing) {
          return trx
            .updateTable('visitors')
            .set({
              name: name ?? existing.name,
              phone: phone ?? existing.phone,
              email: email ?? existing.email,
              language: input.language ?? existing.language,
              verified: existing.verified || verified,
              external_id: externalId ?? existing.external_id,
              customer_id: customerId ?? existing.customer_id,
              last_seen_at: now,
            })
            .where('id', '=', existing.id)
            .returningAll()
            .executeTakeFirstOrThrow();
        }
      }
      return trx
        .insertInto('visitors')
        .values({ brand_id: ch.brand_id, channel_id: ch.id, customer_id: customerId, external_id: externalId, verified, name, phone, email, language: input.language ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return {
      visitorToken: issueVisitorToken(deps.secret, { v: row.id, c: ch.id, b: ch.brand_id }, now),
      visitorId: row.id,
      verified: row.verified,
      name: row.name,
      conversation: await currentConversation(row.id),
    };
  }

  /** Starts a chat (or returns the open one): conversation + contact queued in the topic's queue, then routed. */
  async function start(v: Visitor, input: { topic?: string; text?: string; clientMsgId?: string }) {
    const existing = await currentConversation(v.visitorId);
    if (existing) {
      if (input.text) await sendFirst(v, existing.id, input.text, input.clientMsgId);
      return existing;
    }
    const ch = await channel(v.channelId);
    const q = await queueFor(ch, input.topic);
    const now = clock();
    const visitor = await db.selectFrom('visitors').selectAll().where('id', '=', v.visitorId).executeTakeFirstOrThrow();
    const customer = visitor.customer_id
      ? await db
          .selectFrom('customers as c')
          .leftJoin('areas as a', 'a.id', 'c.area_id')
          .select(['c.id', 'c.flags', 'a.account_manager_id'])
          .where('c.id', '=', visitor.customer_id)
          .executeTakeFirst()
      : undefined;
    const pushes: Pushes = [];
    const bot = deps.bot?.enabled(ch) ? deps.bot : null;
    const conversationId = await db.transaction().execute(async (trx) => {
      const conv = await trx
        .insertInto('conversations')
        .values({ brand_id: v.brandId, channel: 'chat', channel_id: ch.id, customer_id: visitor.customer_id, visitor_id: visitor.id, subject: input.topic ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const fresh = createContact({ channel: 'chat', createdAt: now });
      if (bot) {
        // The bot holds the chat: the contact stays in `created` until it hands off to a person.
        const contact = await trx
          .insertInto('contacts')
          .values({
            ...contactStatePatch(fresh),
            brand_id: v.brandId,
            conversation_id: conv.id,
            channel: 'chat',
            direction: 'inbound',
            status: fresh.status,
            created_at: now,
            last_changed_at: now,
            customer_id: visitor.customer_id,
            priority: getContactPriority(customer?.flags ?? []),
            required_skills: q.required_skills,
            account_manager_id: customer?.account_manager_id ?? null,
            from_address: visitor.phone ?? visitor.email ?? null,
            bot: true,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.updateTable('conversations').set({ current_contact_id: contact.id }).where('id', '=', conv.id).execute();
        const cfg = ch.config as WebchatConfig;
        const language = input.text ? detectLanguage(input.text, visitorLanguage(visitor.language, cfg)) : visitorLanguage(visitor.language, cfg);
        await bot.greet(trx, { conversationId: conv.id, contactId: contact.id, brandId: v.brandId, channel: ch, visitorId: visitor.id, language, at: now, pushes });
        if (input.text) {
          const first = await appendMessage(trx, { conversationId: conv.id, contactId: contact.id, senderType: 'customer', senderId: visitor.id, senderName: null, body: input.text, clientMsgId: input.clientMsgId ?? null, at: now });
          pushes.push(messagePush(first.message, { conversationId: conv.id, visitorId: visitor.id, agentIds: [] }));
        }
        return conv.id;
      }
      const queued = advanceContact(fresh, { type: 'queue', queueId: q.id }, now);
      if (!queued.ok) throw new Error(`queue refused: ${queued.reason}`);
      const contact = await trx
        .insertInto('contacts')
        .values({
          ...contactStatePatch(queued.contact),
          brand_id: v.brandId,
          conversation_id: conv.id,
          channel: 'chat',
          direction: 'inbound',
          status: queued.contact.status,
          created_at: now,
          last_changed_at: now,
          customer_id: visitor.customer_id,
          priority: getContactPriority(customer?.flags ?? []),
          required_skills: q.required_skills,
          account_manager_id: customer?.account_manager_id ?? null,
          from_address: visitor.phone ?? visitor.email ?? null,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertContactEvent(trx, contact.id, { type: 'queued', from: 'created', to: 'queued', at: now, actorId: null, details: { queueId: q.id, topic: input.topic ?? null } });
      await trx.updateTable('conversations').set({ current_contact_id: contact.id }).where('id', '=', conv.id).execute();
      const greet = await appendMessage(trx, { conversationId: conv.id, contactId: contact.id, senderType: 'system', senderId: null, senderName: null, kind: 'event', body: systemText('queued'), at: now });
      pushes.push(messagePush(greet.message, { conversationId: conv.id, visitorId: visitor.id, agentIds: [] }));
      if (input.text) {
        const first = await appendMessage(trx, { conversationId: conv.id, contactId: contact.id, senderType: 'customer', senderId: visitor.id, senderName: null, body: input.text, clientMsgId: input.clientMsgId ?? null, at: now });
        pushes.push(messagePush(first.message, { conversationId: conv.id, visitorId: visitor.id, agentIds: [] }));
      }
      return conv.id;
    });
    await publishAll(deps.publish, pushes);
    if (bot) {
      // The pre-chat question (or the topic chosen) is the bot's first question.
      const topic = (ch.config as WebchatConfig).topics?.find((t) => t.code === input.topic);
      const question = input.text ?? (topic ? (visitor.language === 'en-US' ? topic.labelEn : topic.labelZh) : undefined);
      if (question) await bot.respond({ conversationId, brandId: v.brandId, text: question });
      const view = await loadConversationView(db, conversationId);
      if (!view) throw new Error('conversation vanished');
      return toConversationDto(view);
    }
    await deps.publish({ topic: 'wall.changed', payload: { queueId: q.id }, brandId: v.brandId, permissions: SUPERVISORS });
    // The chat is committed: a failed pass must not fail the request (the 1 s routing job retries).
    await deps.routing.routeBrand(v.brandId).catch((err: unknown) => deps.log?.warn({ err }, 'routing pass after chat start failed'));
    const view = await loadConversationView(db, conversationId);
    if (!view) throw new Error('conversation vanished');
    return toConversationDto(view);
  }

  async function sendFirst(v: Visitor, conversationId: string, text: string, clientMsgId?: string) {
    const now = clock();
    const { message, audience, created } = await db.transaction().execute(async (trx) => {
      const r = await appendMessage(trx, { conversationId, contactId: null, senderType: 'customer', senderId: v.visitorId, senderName: null, body: text, clientMsgId: clientMsgId ?? null, at: now });
      return { ...r, audience: await loadAudience(trx, conversationId) };
    });
    if (created) await deps.publish(messagePush(message, audience));
    if (created && deps.bot) {
      const held = await db.selectFrom('conversations as v').innerJoin('contacts as c', 'c.id', 'v.current_contact_id').select(['c.status', 'c.bot']).where('v.id', '=', conversationId).executeTakeFirst();
      if (held?.bot && held.status === 'created') await deps.bot.respond({ conversationId, brandId: v.brandId, text });
    }
  }

  /** The visitor closes the chat: a waiting contact is abandoned, a held one ends into wrap-up. */
  async function end(v: Visitor, conversationId: string) {
    await close(conversationId, { visitorId: v.visitorId, text: systemText('ended.by_customer') });
  }

  /**
   * Closes chats the self-service bot still holds after `idleMs` without a message: the customer
   * left without ending. Their contact ends (not routed) and the bot's open turns are settled
   * (resolved after an answer, otherwise abandoned), so bot outcomes and contact KPIs stay true.
   */
  async function closeIdleBotChats(idleMs: number, limit = 100): Promise<number> {
    const cutoff = new Date(clock().getTime() - idleMs);
    const idle = await db
      .selectFrom('conversations as v')
      .innerJoin('contacts as c', 'c.id', 'v.current_contact_id')
      .select('v.id')
      .where('v.status', '=', 'open')
      .where('c.status', '=', 'created')
      .where('c.bot', '=', true)
      .where(sql<boolean>`coalesce(v.last_message_at, v.created_at) < ${cutoff}`)
      .limit(limit)
      .execute();
    for (const { id } of idle) await close(id, { visitorId: null, text: systemText('ended.idle'), onlyIfIdleSince: cutoff });
    return idle.length;
  }

  async function close(conversationId: string, how: { visitorId: string | null; text: string; onlyIfIdleSince?: Date }) {
    const now = clock();
    const pushes: Pushes = [];
    const brandId = await db.transaction().execute(async (trx) => {
      const conv = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
      if (!conv || (how.visitorId !== null && conv.visitor_id !== how.visitorId)) throw new AppError('resource.not_found', 'Conversation not found', { entity: 'conversation', id: conversationId });
      if (conv.status === 'closed') return conv.brand_id;
      // The sweep re-checks under the lock: a message that arrived meanwhile keeps the chat open.
      if (how.onlyIfIdleSince && (conv.last_message_at ?? conv.created_at) >= how.onlyIfIdleSince) return null;
      const visitorId = conv.visitor_id;
      if (conv.current_contact_id) {
        const row = await trx.selectFrom('contacts').selectAll().where('id', '=', conv.current_contact_id).forUpdate().executeTakeFirstOrThrow();
        if (how.onlyIfIdleSince && !(row.bot && row.status === 'created')) return null;
        if (row.bot && deps.bot) await deps.bot.onEnded(trx, conversationId, now);
        await deps.contacts.endByCustomer(trx, { ...row, visitor_id: visitorId }, now, pushes);
        const holder = row.agent_id && ['active', 'on_hold'].includes(row.status) ? row.agent_id : null;
        const { message } = await appendMessage(trx, { conversationId, contactId: row.id, senderType: 'system', senderId: null, senderName: null, kind: 'event', body: how.text, at: now });
        pushes.push(messagePush(message, { conversationId, visitorId, agentIds: holder ? [holder] : [] }));
        if (holder) pushes.push({ topic: 'contact.updated', payload: { id: row.id, status: 'wrap_up', conversationId }, userIds: [holder] });
      }
      await trx.updateTable('conversations').set({ status: 'closed', closed_at: now }).where('id', '=', conversationId).execute();
      if (visitorId) pushes.push({ topic: 'conversation.ended', payload: { conversationId, survey: null }, visitorIds: [visitorId] });
      return conv.brand_id;
    });
    if (!brandId) return;
    await publishAll(deps.publish, pushes);
    await deps.publish({ topic: 'wall.changed', payload: { conversationId }, brandId, permissions: SUPERVISORS });
  }

  /**
   * Leave a message / request a callback: completes the callback task an overflow created for the
   * visitor's last contact, or creates one due within the queue's callback time.
   */
  async function leaveMessage(v: Visitor, input: { kind: 'leave_message' | 'callback'; name: string; phone: string; message?: string }) {
    const ch = await channel(v.channelId);
    const q = await queueFor(ch);
    const now = clock();
    const customerId = (await db.selectFrom('visitors').select('customer_id').where('id', '=', v.visitorId).executeTakeFirst())?.customer_id ?? null;
    const pending = await db
      .selectFrom('callback_tasks as t')
      .innerJoin('contacts as c', 'c.id', 't.contact_id')
      .innerJoin('conversations as v', 'v.id', 'c.conversation_id')
      .select('t.id')
      .where('v.visitor_id', '=', v.visitorId)
      .where('t.status', '=', 'open')
      .where('t.message', 'is', null)
      .orderBy('t.created_at', 'desc')
      .executeTakeFirst();
    const values = { kind: input.kind, name: input.name, phone: input.phone, message: input.message ?? '' };
    const task = pending
      ? await db.updateTable('callback_tasks').set(values).where('id', '=', pending.id).returningAll().executeTakeFirstOrThrow()
      : await db
          .insertInto('callback_tasks')
          .values({
            ...values,
            brand_id: v.brandId,
            customer_id: customerId,
            queue_id: q.id,
            due_at: addBusinessMinutes((q.calendar_id && (await loadCalendars(db, v.brandId)).get(q.calendar_id)) || CALENDAR_24X7, now, q.callback_within_minutes),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await deps.publish({ topic: 'callback.created', payload: { id: task.id, dueAt: task.due_at.toISOString(), queueId: q.id }, brandId: v.brandId, permissions: ['contact:handle'] });
    return { id: task.id, dueAt: task.due_at.toISOString() };
  }

  return { config, session, authenticate, start, end, closeIdleBotChats, leaveMessage, currentConversation };
}

export type WidgetService = ReturnType<typeof createWidgetService>;
