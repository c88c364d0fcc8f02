import type { TContact, TConversation, TMessage } from '@kefu/contracts';
import type { ContactRow, ContactUpdate, ConversationRow, MessageRow } from '@kefu/db';
import { type ContactChannel, type ContactState, getHandleSeconds, getWaitSeconds, looksLikePhone, maskEmail, maskPhone } from '@kefu/domain';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The lifecycle slice of a stored contact (see @kefu/domain contacts/contact.ts). */
export function toContactState(row: ContactRow): ContactState {
  return {
    channel: row.channel as ContactChannel,
    direction: row.direction as ContactState['direction'],
    status: row.status as ContactState['status'],
    queueId: row.queue_id,
    agentId: row.agent_id,
    offer: row.offer_agent_id !== null && row.offer_at !== null ? { agentId: row.offer_agent_id, offeredAt: row.offer_at } : null,
    createdAt: row.created_at,
    queuedAt: row.queued_at,
    waitingSince: row.waiting_since,
    offeredAt: row.offered_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    wrappedUpAt: row.wrapped_up_at,
    lastChangedAt: row.last_changed_at,
    talkMs: Number(row.talk_ms),
    holdMs: Number(row.hold_ms),
    segmentStartedAt: row.segment_started_at,
    offerCount: row.offer_count,
    declinedAgentIds: row.declined_agent_ids,
    transferCount: row.transfer_count,
    endReason: row.end_reason as ContactState['endReason'],
    overflowAction: row.overflow_action as ContactState['overflowAction'],
    reasonCode: row.reason_code,
    outcome: row.outcome,
  };
}

/** The columns a lifecycle change writes. */
export function contactStatePatch(s: ContactState): ContactUpdate {
  return {
    status: s.status,
    queue_id: s.queueId,
    agent_id: s.agentId,
    offer_agent_id: s.offer?.agentId ?? null,
    offer_at: s.offer?.offeredAt ?? null,
    queued_at: s.queuedAt,
    waiting_since: s.waitingSince,
    offered_at: s.offeredAt,
    answered_at: s.answeredAt,
    ended_at: s.endedAt,
    wrapped_up_at: s.wrappedUpAt,
    last_changed_at: s.lastChangedAt,
    talk_ms: s.talkMs,
    hold_ms: s.holdMs,
    segment_started_at: s.segmentStartedAt,
    offer_count: s.offerCount,
    declined_agent_ids: [...s.declinedAgentIds],
    transfer_count: s.transferCount,
    end_reason: s.endReason,
    overflow_action: s.overflowAction,
    reason_code: s.reasonCode,
    outcome: s.outcome,
  };
}

/** A contact row with the names the API shows beside the ids. */
export type ContactView = ContactRow & {
  queue_name: string | null;
  agent_name: string | null;
  customer_name: string | null;
  ticket_ids: string[] | null;
  offer_timeout_seconds: number | null;
  visitor_name: string | null;
};

function maskAddress(value: string | null, unmasked: boolean): string | null {
  if (value === null || unmasked) return value;
  return value.includes('@') ? maskEmail(value) : looksLikePhone(value) ? maskPhone(value) : value;
}

/** `unmasked`: the reader holds customer:unmask and sees the caller's number in full. */
export function toContactDto(row: ContactView, now: Date, unmasked = false): TContact {
  const state = toContactState(row);
  const abuse = row.abuse as { stage?: string; warnedAt?: unknown[] } | null;
  const open = row.status !== 'closed';
  return {
    id: row.id,
    conversationId: row.conversation_id,
    channel: state.channel,
    direction: state.direction,
    status: state.status,
    queueId: row.queue_id,
    queueName: row.queue_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    offerAgentId: row.offer_agent_id,
    offerExpiresAt:
      row.offer_at !== null && row.status === 'offered' ? new Date(row.offer_at.getTime() + (row.offer_timeout_seconds ?? 20) * 1000).toISOString() : null,
    customerId: row.customer_id,
    customerName: row.customer_name,
    priority: row.priority as TContact['priority'],
    requiredSkills: row.required_skills,
    createdAt: row.created_at.toISOString(),
    queuedAt: iso(row.queued_at),
    waitingSince: iso(row.waiting_since),
    offeredAt: iso(row.offered_at),
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    wrappedUpAt: iso(row.wrapped_up_at),
    waitSeconds: row.queued_at === null ? null : Math.round(getWaitSeconds(state, open ? now : undefined) ?? 0),
    handleSeconds: row.answered_at === null ? null : Math.round(getHandleSeconds(state, open ? now : undefined)),
    endReason: row.end_reason,
    overflowAction: state.overflowAction,
    reasonCode: row.reason_code,
    outcome: row.outcome,
    note: row.note,
    fromAddress: maskAddress(row.from_address, unmasked),
    visitorName: row.visitor_name,
    transferCount: row.transfer_count,
    abuse: abuse ? { stage: String(abuse.stage ?? 'none'), warnings: Array.isArray(abuse.warnedAt) ? abuse.warnedAt.length : 0 } : null,
    ticketIds: row.ticket_ids ?? [],
    version: row.version,
  };
}

export function toMessageDto(row: MessageRow): TMessage {
  const attachment = row.attachment as TMessage['attachment'];
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    contactId: row.contact_id,
    senderType: row.sender_type as TMessage['senderType'],
    senderId: row.sender_id,
    senderName: row.sender_name,
    kind: row.kind as TMessage['kind'],
    body: row.body,
    attachment: attachment ?? null,
    internal: row.internal,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at.toISOString(),
    ...(row.delivery_status ? { delivery: { status: row.delivery_status as 'pending' | 'sent' | 'failed', error: row.delivery_error } } : {}),
  };
}

export type ConversationView = ConversationRow & { customer_name: string | null; visitor_name: string | null };

export function toConversationDto(row: ConversationView): TConversation {
  return {
    id: row.id,
    channel: row.channel as TConversation['channel'],
    channelId: row.channel_id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    visitorId: row.visitor_id,
    visitorName: row.visitor_name,
    status: row.status as TConversation['status'],
    subject: row.subject,
    currentContactId: row.current_contact_id,
    lastSeq: row.last_seq,
    customerReadSeq: row.customer_read_seq,
    agentReadSeq: row.agent_read_seq,
    lastMessageAt: iso(row.last_message_at),
    createdAt: row.created_at.toISOString(),
    closedAt: iso(row.closed_at),
  };
}
