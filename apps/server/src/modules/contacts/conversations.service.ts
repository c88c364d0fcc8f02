import type { TConversation, TMessage } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { AuthContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, ZKeysetCursor } from '../../platform/pagination.ts';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { conversationNotFound } from './contacts.errors.ts';
import { type ConversationView, toConversationDto } from './contacts.mapper.ts';
import { type Executor, loadConversationView, selectConversationViews } from './contacts.queries.ts';
import { appendMessage, loadAudience, messagePush, toMessageView } from './messages.store.ts';
import { z } from 'zod';

/** Who sends or reads: a signed-in staff member or a widget visitor. */
export type Party = { kind: 'staff'; auth: AuthContext } | { kind: 'visitor'; visitorId: string; brandId: string };

export type ConversationsServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  /**
   * Called after a visitor's message is stored and delivered while the conversation's contact has
   * not reached a person yet (status created): the self-service bot answers it. Never throws.
   */
  onVisitorMessage?: (m: { conversationId: string; brandId: string; text: string; messageId: string }) => Promise<void>;
  /** Called (not awaited) after an agent's non-internal message is stored: outside channels send it out. */
  onStaffMessage?: (m: { conversationId: string; messageId: string }) => void;
  log?: { warn: (obj: unknown, msg: string) => void };
};

type ConversationAccess = { id: string; brand_id: string; visitor_id: string | null; status: string; agent_id: string | null; contact_status: string | null; contact_id: string | null };

const HELD = ['active', 'on_hold'];

async function loadAccess(ex: Executor, id: string): Promise<ConversationAccess | undefined> {
  return ex
    .selectFrom('conversations as v')
    .leftJoin('contacts as c', 'c.id', 'v.current_contact_id')
    .select(['v.id', 'v.brand_id', 'v.visitor_id', 'v.status', 'c.agent_id', 'c.status as contact_status', 'c.id as contact_id'])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

/** True when the party may read the conversation's history. */
function canRead(p: Party, a: ConversationAccess): boolean {
  if (p.kind === 'visitor') return a.visitor_id === p.visitorId;
  return p.auth.brandIds.includes(a.brand_id) && p.auth.permissions.has('contact:read');
}

/** True when a staff member holds the conversation's current contact. */
function holds(auth: AuthContext, a: ConversationAccess): boolean {
  return a.agent_id === auth.userId && a.contact_status !== null && HELD.includes(a.contact_status);
}

export function createConversationsService(deps: ConversationsServiceDeps) {
  const { db, clock } = deps;

  async function access(p: Party, id: string): Promise<ConversationAccess> {
    const a = await loadAccess(db, id);
    if (!a || !canRead(p, a)) {
      // A visitor probing other conversations learns nothing: same answer as a missing one.
      if (a && p.kind === 'staff' && p.auth.brandIds.includes(a.brand_id)) throw new AppError('auth.forbidden', 'Missing permission contact:read');
      throw conversationNotFound(id);
    }
    return a;
  }

  /**
   * Stores and delivers one message. Visitors write to their own open conversation; staff write
   * when they hold its current contact; whispers (internal) need the holder or contact:supervise.
   */
  async function send(
    p: Party,
    conversationId: string,
    input: { text: string; clientMsgId?: string; internal?: boolean; kind?: 'text' | 'image' | 'file'; attachment?: Record<string, unknown> },
  ): Promise<TMessage> {
    const a = await access(p, conversationId);
    const internal = p.kind === 'staff' && input.internal === true;
    if (p.kind === 'staff') {
      const allowed = internal ? holds(p.auth, a) || p.auth.permissions.has('contact:supervise') : holds(p.auth, a) && p.auth.permissions.has('contact:handle');
      if (!allowed) throw new AppError('auth.forbidden', internal ? 'Only supervisors and the handling agent may whisper' : 'You do not hold this conversation', { reason: 'not_your_conversation' });
    }
    if (a.status === 'closed' && !internal) throw new AppError('conversation.closed', 'The conversation is closed');
    const now = clock();
    const sender =
      p.kind === 'visitor'
        ? { senderType: 'customer' as const, senderId: p.visitorId, senderName: null }
        : { senderType: 'agent' as const, senderId: p.auth.userId, senderName: p.auth.displayName };
    const { message, audience, created } = await db.transaction().execute(async (trx) => {
      const r = await appendMessage(trx, {
        conversationId,
        contactId: a.contact_id,
        ...sender,
        kind: input.kind ?? 'text',
        body: input.text,
        attachment: input.attachment ?? null,
        internal,
        clientMsgId: input.clientMsgId ?? null,
        at: now,
      });
      return { ...r, audience: await loadAudience(trx, conversationId) };
    });
    if (created) await deps.publish(messagePush(message, audience));
    if (created && p.kind === 'staff' && !internal) deps.onStaffMessage?.({ conversationId, messageId: message.id });
    // The bot holds a contact in `created`: its reply follows in the same request, after the
    // customer's own message is safely stored and delivered.
    if (created && p.kind === 'visitor' && (input.kind ?? 'text') === 'text' && a.contact_status === 'created' && deps.onVisitorMessage) {
      await deps
        .onVisitorMessage({ conversationId, brandId: a.brand_id, text: input.text, messageId: message.id })
        .catch((err: unknown) => deps.log?.warn({ err, conversationId }, 'bot reply failed'));
    }
    return toMessageView(message);
  }

  const ZSeqCursor = z.tuple([z.number().int().min(0)]);

  async function messages(p: Party, conversationId: string, q: { after?: number; cursor?: string; limit: number; includeInternal?: string }) {
    await access(p, conversationId);
    const fromCursor = decodeCursor(q.cursor, ZSeqCursor)?.[0];
    const after = fromCursor ?? q.after ?? 0;
    let query = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '>', after);
    if (p.kind === 'visitor' || q.includeInternal !== 'true') query = query.where('internal', '=', false);
    const rows = await query.orderBy('seq').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map(toMessageView), nextCursor: rows.length > q.limit && last ? encodeCursor([last.seq]) : null };
  }

  async function get(p: Party, id: string): Promise<TConversation> {
    await access(p, id);
    const row = await loadConversationView(db, id);
    if (!row) throw conversationNotFound(id);
    return toConversationDto(row);
  }

  async function list(auth: AuthContext, q: { customerId?: string; channelId?: string; status?: string; cursor?: string; limit: number }) {
    let query = selectConversationViews(db).where('v.brand_id', 'in', [...auth.brandIds]);
    if (q.customerId) query = query.where('v.customer_id', '=', q.customerId);
    if (q.channelId) query = query.where('v.channel_id', '=', q.channelId);
    if (q.status) query = query.where('v.status', '=', q.status);
    const after = decodeCursor(q.cursor, ZKeysetCursor);
    if (after) query = query.where(sql<boolean>`(v.created_at, v.id) < (${new Date(after[0])}, ${after[1]}::uuid)`);
    const rows = (await query.orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').limit(q.limit + 1).execute()) as ConversationView[];
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map(toConversationDto), nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null };
  }

  /** Read receipts: the other side learns how far this party has read. */
  async function markRead(p: Party, conversationId: string, seq: number): Promise<void> {
    const a = await access(p, conversationId);
    const column = p.kind === 'visitor' ? 'customer_read_seq' : 'agent_read_seq';
    await db
      .updateTable('conversations')
      .set({ [column]: sql`greatest(${sql.ref(column)}, least(${seq}, last_seq))` })
      .where('id', '=', conversationId)
      .execute();
    const audience = await loadAudience(db, conversationId);
    const payload = { conversationId, by: p.kind === 'visitor' ? 'customer' : 'agent', seq };
    if (p.kind === 'visitor') await deps.publish({ topic: 'read', payload, userIds: audience.agentIds });
    else if (a.visitor_id && holds(p.auth, a)) await deps.publish({ topic: 'read', payload, visitorIds: [a.visitor_id] });
  }

  /** Typing indicators go to the other side only; nothing is stored. */
  async function typing(p: Party, conversationId: string): Promise<void> {
    const a = await access(p, conversationId);
    if (p.kind === 'visitor') {
      const audience = await loadAudience(db, conversationId);
      if (audience.agentIds.length) await deps.publish({ topic: 'typing', payload: { conversationId, from: 'customer' }, userIds: audience.agentIds });
    } else {
      if (!holds(p.auth, a)) throw new AppError('auth.forbidden', 'You do not hold this conversation', { reason: 'not_your_conversation' });
      if (a.visitor_id) await deps.publish({ topic: 'typing', payload: { conversationId, from: 'agent' }, visitorIds: [a.visitor_id] });
    }
  }

  /** Live listening: the holder, or a supervisor (listen-in). */
  async function canWatch(auth: AuthContext, conversationId: string): Promise<boolean> {
    const a = await loadAccess(db, conversationId);
    if (!a || !auth.brandIds.includes(a.brand_id)) return false;
    return holds(auth, a) || auth.permissions.has('contact:supervise');
  }

  return { send, messages, get, list, markRead, typing, canWatch, access };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
