import type { ChannelRow, DB } from '@kefu/db';
import { advanceContact, type ContactChannel, createContact, getContactPriority, type IdentityKind, normalizeIdentity } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { contactStatePatch } from '../contacts/contacts.mapper.ts';
import { type Executor, insertContactEvent, type Pushes, publishAll } from '../contacts/contacts.queries.ts';
import { isInlineImage, type StoredChatFile, storeChatFile } from '../contacts/chat-files.ts';
import { appendMessage, loadAudience, messagePush } from '../contacts/messages.store.ts';
import { type RoutingEngine, SUPERVISORS } from '../contacts/routing.engine.ts';
import { findChannelQueue, type WidgetBotHooks } from '../contacts/widget.service.ts';
import { classifyAttachment } from '../tickets/tickets.attachments.ts';
import type { ChannelType, InboundMessage, InboundResult } from './types.ts';

// The inbound pipeline: every outside channel (WeChat, email, SMS, the generic API channel) hands
// its traffic here as InboundMessages, and it lands on the customer's one timeline exactly like
// web chat: a visitor per outside identity (openid, email address, phone, platform user id), linked
// to the archive's customer by that identity; the visitor's open conversation on the channel (or
// the thread the adapter names); the conversation's open contact, or a new one queued in the
// channel's queue and routed.
//
// Idempotency: (channel, platform message id) is claimed in channel_inbound in the same
// transaction as the message, so a retried delivery is answered with the first result.

/** The contact channel of an outside channel type. */
export const CONTACT_CHANNEL_OF: Record<ChannelType, ContactChannel> = { webchat: 'chat', wechat: 'wechat', email: 'email', sms: 'sms', cti: 'call', api: 'chat' };

const IDENTITY_OF: Record<InboundMessage['from']['kind'], IdentityKind | null> = { openid: 'wechat_openid', email: 'email', phone: 'phone', external: null };

/** Contact statuses in which new customer messages join the current contact. */
const OPEN_CONTACT = ['created', 'queued', 'offered', 'active', 'on_hold'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboundDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  routing: RoutingEngine;
  /** The self-service bot: on channels where it is enabled it holds new contacts and answers first. */
  bot?: () => WidgetBotHooks;
  log?: { warn: (obj: unknown, msg: string) => void };
  /** Where attachments are kept as chat files (the chat-files directory); without it only their names are noted. */
  files?: { dir: string; maxBytes?: number };
};

/** Outside channels' attachments (email, WeChat photos and voice) up to this size are kept. */
export const INBOUND_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The visitor key of an outside identity: `openid:o6_bmjrP…`, `email:li@example.com`, `phone:13900000001`. */
export function externalKey(from: InboundMessage['from']): string {
  const identity = IDENTITY_OF[from.kind];
  const normalized = identity ? normalizeIdentity(identity, from.value) : null;
  return `${from.kind}:${normalized?.ok ? normalized.value : from.value.trim()}`;
}

export function createInbound(deps: InboundDeps) {
  const { db, clock } = deps;

  async function linkCustomer(ex: Executor, brandId: string, from: InboundMessage['from']): Promise<string | null> {
    const kind = IDENTITY_OF[from.kind];
    if (!kind) return null;
    const normalized = normalizeIdentity(kind, from.value);
    if (!normalized.ok) return null;
    const row = await ex.selectFrom('customer_identities').select('customer_id').where('brand_id', '=', brandId).where('kind', '=', kind).where('value', '=', normalized.value).executeTakeFirst();
    return row?.customer_id ?? null;
  }

  async function visitorFor(trx: Executor, ch: ChannelRow, m: InboundMessage, now: Date) {
    const key = externalKey(m.from);
    const existing = await trx.selectFrom('visitors').selectAll().where('channel_id', '=', ch.id).where('external_id', '=', key).executeTakeFirst();
    const customerId = existing?.customer_id ?? (await linkCustomer(trx, ch.brand_id, m.from));
    const contactFields = { name: m.from.name ?? existing?.name ?? null, phone: m.from.kind === 'phone' ? key.slice(6) : (existing?.phone ?? null), email: m.from.kind === 'email' ? key.slice(6) : (existing?.email ?? null) };
    if (existing) {
      return trx.updateTable('visitors').set({ ...contactFields, customer_id: customerId, last_seen_at: now }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
    }
    return trx.insertInto('visitors').values({ brand_id: ch.brand_id, channel_id: ch.id, customer_id: customerId, external_id: key, ...contactFields }).returningAll().executeTakeFirstOrThrow();
  }

  /** The conversation a thread reference names: its thread_ref, or its id (an email reply token carries the conversation id). */
  async function findThread(ex: Executor, channelId: string, threadRef: string) {
    const byId = UUID.test(threadRef);
    return ex
      .selectFrom('conversations')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where((eb) => (byId ? eb.or([eb('thread_ref', '=', threadRef), eb('id', '=', threadRef)]) : eb('thread_ref', '=', threadRef)))
      .executeTakeFirst();
  }

  async function conversationFor(trx: Executor, ch: ChannelRow, visitor: { id: string; customer_id: string | null }, m: InboundMessage) {
    if (m.threadRef) {
      const threaded = await findThread(trx, ch.id, m.threadRef);
      if (threaded) {
        if (threaded.status === 'closed') return trx.updateTable('conversations').set({ status: 'open', closed_at: null }).where('id', '=', threaded.id).returningAll().executeTakeFirstOrThrow();
        return threaded;
      }
    }
    const open = m.threadRef ? undefined : await trx.selectFrom('conversations').selectAll().where('visitor_id', '=', visitor.id).where('channel_id', '=', ch.id).where('status', '=', 'open').orderBy('created_at', 'desc').executeTakeFirst();
    if (open) return open;
    return trx
      .insertInto('conversations')
      .values({ brand_id: ch.brand_id, channel: CONTACT_CHANNEL_OF[ch.type as ChannelType], channel_id: ch.id, customer_id: visitor.customer_id, visitor_id: visitor.id, subject: m.subject ?? null, thread_ref: m.threadRef ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The conversation's open contact, or a new one: held by the bot where it is enabled, else queued in the channel's queue. */
  async function contactFor(trx: Executor, ch: ChannelRow, conversationId: string, currentContactId: string | null, customerId: string | null, fromAddress: string, now: Date, botStart: ((contactId: string) => Promise<void>) | null) {
    if (currentContactId) {
      const current = await trx.selectFrom('contacts').select(['id', 'status', 'bot']).where('id', '=', currentContactId).executeTakeFirst();
      if (current && OPEN_CONTACT.includes(current.status)) return { id: current.id, queued: null, botHeld: current.bot && current.status === 'created' };
    }
    const q = await findChannelQueue(trx, ch);
    const customer = customerId
      ? await trx.selectFrom('customers as c').leftJoin('areas as a', 'a.id', 'c.area_id').select(['c.flags', 'a.account_manager_id']).where('c.id', '=', customerId).executeTakeFirst()
      : undefined;
    const channel = CONTACT_CHANNEL_OF[ch.type as ChannelType];
    if (botStart) {
      // The bot holds the contact (status created) until it hands off to a person.
      const fresh = createContact({ channel, createdAt: now });
      const held = await trx
        .insertInto('contacts')
        .values({
          ...contactStatePatch(fresh),
          brand_id: ch.brand_id,
          conversation_id: conversationId,
          channel,
          direction: 'inbound',
          status: fresh.status,
          created_at: now,
          last_changed_at: now,
          customer_id: customerId,
          priority: getContactPriority(customer?.flags ?? []),
          required_skills: q.required_skills,
          account_manager_id: customer?.account_manager_id ?? null,
          from_address: fromAddress,
          bot: true,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('conversations').set({ current_contact_id: held.id }).where('id', '=', conversationId).execute();
      await botStart(held.id);
      return { id: held.id, queued: null, botHeld: true };
    }
    const queued = advanceContact(createContact({ channel, createdAt: now }), { type: 'queue', queueId: q.id }, now);
    if (!queued.ok) throw new Error(`queue refused: ${queued.reason}`);
    const contact = await trx
      .insertInto('contacts')
      .values({
        ...contactStatePatch(queued.contact),
        brand_id: ch.brand_id,
        conversation_id: conversationId,
        channel,
        direction: 'inbound',
        status: queued.contact.status,
        created_at: now,
        last_changed_at: now,
        customer_id: customerId,
        priority: getContactPriority(customer?.flags ?? []),
        required_skills: q.required_skills,
        account_manager_id: customer?.account_manager_id ?? null,
        from_address: fromAddress,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertContactEvent(trx, contact.id, { type: 'queued', from: 'created', to: 'queued', at: now, actorId: null, details: { queueId: q.id, channelId: ch.id } });
    await trx.updateTable('conversations').set({ current_contact_id: contact.id }).where('id', '=', conversationId).execute();
    return { id: contact.id, queued: q.id, botHeld: false };
  }

  /**
   * Stores one outside message on the customer's timeline and routes a new contact. A message the
   * channel delivered before returns the first result with `duplicate: true`; a message whose
   * thread could not be verified goes to quarantine (no conversation) for an agent to decide.
   */
  async function receive(m: InboundMessage): Promise<InboundResult> {
    return store(m, false);
  }

  /** An agent accepted a quarantined message: it joins the sender's conversation now. */
  async function release(quarantineId: string): Promise<string | null> {
    const q = await db.selectFrom('channel_quarantine').selectAll().where('id', '=', quarantineId).executeTakeFirstOrThrow();
    const from = { kind: q.from_kind as InboundMessage['from']['kind'], value: q.from_value, name: q.from_name };
    const result = await store({ channelId: q.channel_id, from, externalId: q.external_id, text: q.body, subject: q.subject, at: clock() }, true);
    return result.conversationId;
  }

  async function keepAttachment(trx: Executor, conversationId: string, visitorId: string, a: NonNullable<InboundMessage['attachments']>[number]): Promise<{ attachment: StoredChatFile } | { refused: 'too_large' | 'type_not_allowed' }> {
    const files = deps.files as NonNullable<InboundDeps['files']>;
    if (a.data.length > (files.maxBytes ?? INBOUND_ATTACHMENT_BYTES)) return { refused: 'too_large' };
    let contentType: string;
    try {
      contentType = classifyAttachment(a.fileName, a.data);
    } catch {
      return { refused: 'type_not_allowed' };
    }
    return { attachment: await storeChatFile(trx, files.dir, { conversationId, fileName: a.fileName, contentType, data: a.data, uploadedByType: 'customer', uploadedBy: visitorId }) };
  }

  async function store(m: InboundMessage, alreadyClaimed: boolean): Promise<InboundResult> {
    const now = clock();
    const ch = await db.selectFrom('channels').selectAll().where('id', '=', m.channelId).executeTakeFirst();
    if (!ch?.enabled) throw new Error(`channel ${m.channelId} is unknown or disabled`);
    const pushes: Pushes = [];
    const outcome = await db.transaction().execute(async (trx) => {
      const claimed = alreadyClaimed
        ? { external_id: m.externalId }
        : await trx
        .insertInto('channel_inbound')
        .values({ channel_id: ch.id, external_id: m.externalId, received_at: now })
        .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
        .returning('external_id')
        .executeTakeFirst();
      if (!claimed) {
        const first = await trx.selectFrom('channel_inbound').selectAll().where('channel_id', '=', ch.id).where('external_id', '=', m.externalId).executeTakeFirstOrThrow();
        const conv = first.conversation_id ? await trx.selectFrom('conversations').select(['current_contact_id', 'customer_id']).where('id', '=', first.conversation_id).executeTakeFirst() : undefined;
        return { result: { duplicate: true, conversationId: first.conversation_id, contactId: conv?.current_contact_id ?? null, messageId: first.message_id ?? '', customerId: conv?.customer_id ?? null, quarantined: !first.conversation_id }, queued: null, botHeld: false, brandId: ch.brand_id, text: null };
      }
      // A verified thread still needs its participant: a reply token forwarded to someone else
      // proves nothing about who writes with it.
      let quarantine = m.quarantine ?? null;
      if (!quarantine && m.threadRef && !alreadyClaimed) {
        const threaded = await findThread(trx, ch.id, m.threadRef);
        const participant = threaded?.visitor_id ? await trx.selectFrom('visitors').select('external_id').where('id', '=', threaded.visitor_id).executeTakeFirst() : undefined;
        if (threaded && participant?.external_id !== externalKey(m.from)) quarantine = { reason: 'channel.not_participant' };
      }
      if (quarantine && !alreadyClaimed) {
        const row = await trx
          .insertInto('channel_quarantine')
          .values({ brand_id: ch.brand_id, channel_id: ch.id, external_id: m.externalId, from_kind: m.from.kind, from_value: m.from.value, from_name: m.from.name ?? null, subject: m.subject ?? null, body: m.text, reason: quarantine.reason })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { result: { duplicate: false, conversationId: null, contactId: null, messageId: row.id, customerId: null, quarantined: true }, queued: null, botHeld: false, brandId: ch.brand_id, text: null };
      }
      const visitor = await visitorFor(trx, ch, m, now);
      const conv = await conversationFor(trx, ch, visitor, m);
      const bot = deps.bot?.();
      const botStart = bot?.enabled(ch)
        ? (contactId: string) => bot.greet(trx, { conversationId: conv.id, contactId, brandId: ch.brand_id, channel: ch, visitorId: visitor.id, language: /[\u4e00-\u9fff]/.test(m.text) || !m.text ? 'zh-CN' : 'en-US', at: now, pushes })
        : null;
      const contact = await contactFor(trx, ch, conv.id, conv.current_contact_id, visitor.customer_id, externalKey(m.from).replace(/^\w+:/, ''), now, botStart);
      // Attachments are kept as chat files (checked by content) and each becomes a message after the
      // text; one that cannot be kept is named in the text with the reason, so nothing is silently lost.
      const files: { attachment: StoredChatFile }[] = [];
      const notes: string[] = [];
      for (const a of m.attachments ?? []) {
        if (!deps.files) {
          notes.push(`📎 ${a.fileName}`);
          continue;
        }
        const kept = await keepAttachment(trx, conv.id, visitor.id, a);
        if ('attachment' in kept) files.push(kept);
        else notes.push(`📎 ${a.fileName}（未保存：${kept.refused === 'too_large' ? '超过大小限制' : '文件类型不允许'}）`);
      }
      const body = [m.text, ...notes].filter(Boolean).join('\n') || (files.length > 0 ? '' : '—');
      const { message } = body
        ? await appendMessage(trx, { conversationId: conv.id, contactId: contact.id, senderType: 'customer', senderId: visitor.id, senderName: m.from.name ?? null, kind: m.kind ?? 'text', body, at: m.at })
        : { message: null };
      const fileMessages = [];
      for (const f of files) {
        const appended = await appendMessage(trx, {
          conversationId: conv.id,
          contactId: contact.id,
          senderType: 'customer',
          senderId: visitor.id,
          senderName: m.from.name ?? null,
          kind: isInlineImage(f.attachment.contentType) ? 'image' : 'file',
          body: f.attachment.name,
          attachment: f.attachment,
          at: m.at,
        });
        fileMessages.push(appended.message);
      }
      const first = message ?? fileMessages[0];
      if (!first) throw new Error('inbound message without text or attachment');
      await trx.updateTable('channel_inbound').set({ conversation_id: conv.id, message_id: first.id }).where('channel_id', '=', ch.id).where('external_id', '=', m.externalId).execute();
      await trx
        .updateTable('channels')
        .set({ health: sql`health || ${JSON.stringify({ lastInboundAt: now.toISOString() })}::jsonb` })
        .where('id', '=', ch.id)
        .execute();
      const audience = await loadAudience(trx, conv.id);
      for (const sent of [message, ...fileMessages]) if (sent) pushes.push(messagePush(sent, audience));
      return { result: { duplicate: false, conversationId: conv.id, contactId: contact.id, messageId: first.id, customerId: visitor.customer_id, quarantined: false }, queued: contact.queued, botHeld: contact.botHeld, brandId: ch.brand_id, text: m.kind && m.kind !== 'text' ? null : m.text };
    });
    await publishAll(deps.publish, pushes);
    // The bot answers a message of a contact it holds (after the customer's message is stored).
    if (outcome.botHeld && outcome.text && outcome.result.conversationId) await deps.bot?.().respond({ conversationId: outcome.result.conversationId, brandId: outcome.brandId, text: outcome.text });
    if (outcome.queued) {
      await deps.publish({ topic: 'wall.changed', payload: { queueId: outcome.queued }, brandId: ch.brand_id, permissions: SUPERVISORS });
      // Committed: a failed pass must not fail the delivery (the 1 s routing job retries).
      await deps.routing.routeBrand(ch.brand_id).catch((err: unknown) => deps.log?.warn({ err }, 'routing pass after inbound message failed'));
    }
    return outcome.result;
  }

  return { receive, release };
}

export type Inbound = ReturnType<typeof createInbound>;
