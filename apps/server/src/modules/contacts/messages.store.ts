import type { TBotMessageMeta, TMessage } from '@kefu/contracts';
import type { MessageRow } from '@kefu/db';
import { sql } from 'kysely';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { toMessageDto } from './contacts.mapper.ts';
import type { Executor } from './contacts.queries.ts';

export type NewMessageInput = {
  conversationId: string;
  contactId: string | null;
  senderType: 'customer' | 'agent' | 'system' | 'bot';
  senderId: string | null;
  senderName: string | null;
  kind?: 'text' | 'image' | 'file' | 'event';
  body: string;
  attachment?: Record<string, unknown> | null;
  internal?: boolean;
  clientMsgId?: string | null;
  at: Date;
};

/**
 * Appends a message with the conversation's next sequence number. With a clientMsgId already
 * stored for the conversation it returns that message instead (a resend), `created: false`.
 * Call inside a transaction: the seq row lock orders concurrent senders.
 */
export async function appendMessage(ex: Executor, m: NewMessageInput): Promise<{ message: MessageRow; created: boolean }> {
  if (m.clientMsgId) {
    const existing = await ex
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', m.conversationId)
      .where('client_msg_id', '=', m.clientMsgId)
      .executeTakeFirst();
    if (existing) return { message: existing, created: false };
  }
  const { last_seq } = await ex
    .updateTable('conversations')
    .set({ last_seq: sql`last_seq + 1`, last_message_at: m.at })
    .where('id', '=', m.conversationId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const message = await ex
    .insertInto('messages')
    .values({
      conversation_id: m.conversationId,
      seq: last_seq,
      contact_id: m.contactId,
      sender_type: m.senderType,
      sender_id: m.senderId,
      sender_name: m.senderName,
      kind: m.kind ?? 'text',
      body: m.body,
      attachment: m.attachment ? JSON.stringify(m.attachment) : null,
      internal: m.internal ?? false,
      client_msg_id: m.clientMsgId ?? null,
      created_at: m.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { message, created: true };
}

/** Who sees a conversation live: its visitor (never whispers), its holding agent, its watchers. */
export type ConversationAudience = { conversationId: string; visitorId: string | null; agentIds: string[] };

export function messagePush(message: MessageRow, audience: ConversationAudience): RealtimeMessage {
  return {
    topic: 'message.created',
    payload: toMessageView(message),
    userIds: audience.agentIds,
    visitorIds: message.internal || audience.visitorId === null ? [] : [audience.visitorId],
    conversationId: audience.conversationId,
  };
}

/** The visitor and the agent holding (or being offered) the conversation's current contact. */
export async function loadAudience(ex: Executor, conversationId: string): Promise<ConversationAudience> {
  const row = await ex
    .selectFrom('conversations as v')
    .leftJoin('contacts as c', 'c.id', 'v.current_contact_id')
    .select(['v.visitor_id', 'c.agent_id', 'c.status'])
    .where('v.id', '=', conversationId)
    .executeTakeFirst();
  const holds = row?.agent_id && row.status !== null && ['active', 'on_hold', 'wrap_up'].includes(row.status);
  return { conversationId, visitorId: row?.visitor_id ?? null, agentIds: holds && row?.agent_id ? [row.agent_id] : [] };
}

/**
 * The message as the API shows it. A bot message keeps its quick replies and article link in the
 * attachment column under `bot` (it has no file): they go out as `message.bot`.
 */
export function toMessageView(row: MessageRow): TMessage {
  const meta = (row.attachment as { bot?: TBotMessageMeta } | null)?.bot;
  if (!meta) return toMessageDto(row);
  return { ...toMessageDto({ ...row, attachment: null }), bot: meta };
}
