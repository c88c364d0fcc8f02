import type { TMessage } from './contracts.ts';
import type { OutgoingMessage } from './outbox.ts';

// The conversation as the visitor sees it: messages ordered by seq, then the visitor's own messages
// still in flight (no seq yet) in the order they were typed. Pure; every function returns a new array,
// or the same array when nothing changed.

export type Delivery = 'sending' | 'sent' | 'failed';

export type TimelineItem = {
  /** Stable across sending → sent, so the view can reuse the element. */
  key: string;
  seq: number | null;
  clientMsgId: string | null;
  senderType: TMessage['senderType'];
  senderName: string | null;
  kind: TMessage['kind'];
  body: string;
  attachment: TMessage['attachment'];
  /** The bot's quick replies, article link and feedback buttons. */
  bot: TMessage['bot'];
  createdAt: string;
  delivery: Delivery;
};

export type Ack = { clientMsgId: string; id: string; seq: number };

const keyOf = (clientMsgId: string | null, id: string) => (clientMsgId ? `c:${clientMsgId}` : `m:${id}`);

export function pendingItem(m: OutgoingMessage): TimelineItem {
  return {
    key: keyOf(m.clientMsgId, ''),
    seq: null,
    clientMsgId: m.clientMsgId,
    senderType: 'customer',
    senderName: null,
    kind: 'text',
    body: m.text,
    attachment: null,
    bot: null,
    createdAt: m.createdAt,
    delivery: 'sending',
  };
}

/** Appends an in-flight message (ignored when that clientMsgId is already shown). */
export function addPending(items: TimelineItem[], item: TimelineItem): TimelineItem[] {
  if (items.some((i) => i.clientMsgId !== null && i.clientMsgId === item.clientMsgId)) return items;
  return [...items, item];
}

/**
 * Merges a `message.created` (or a polled message): a seq already shown is ignored, the visitor's own
 * in-flight message with the same clientMsgId becomes "sent", anything else is inserted by seq.
 * Whispers never reach visitors, but are dropped here too.
 */
export function mergeMessage(items: TimelineItem[], m: TMessage): TimelineItem[] {
  if (m.internal || items.some((i) => i.seq === m.seq)) return items;
  const rest = m.clientMsgId ? items.filter((i) => !(i.seq === null && i.clientMsgId === m.clientMsgId)) : items;
  const item: TimelineItem = {
    key: keyOf(m.clientMsgId, m.id),
    seq: m.seq,
    clientMsgId: m.clientMsgId,
    senderType: m.senderType,
    senderName: m.senderName,
    kind: m.kind,
    body: m.body,
    attachment: m.attachment,
    bot: m.bot ?? null,
    createdAt: m.createdAt,
    delivery: 'sent',
  };
  return insertBySeq(rest, item);
}

/** `message.ack`: the in-flight message gets its seq. A duplicate or late ack changes nothing. */
export function applyAck(items: TimelineItem[], ack: Ack): TimelineItem[] {
  const pending = items.find((i) => i.seq === null && i.clientMsgId === ack.clientMsgId);
  if (!pending || items.some((i) => i.seq === ack.seq)) return items;
  return insertBySeq(
    items.filter((i) => i !== pending),
    { ...pending, seq: ack.seq, delivery: 'sent' },
  );
}

export function markFailed(items: TimelineItem[], clientMsgId: string): TimelineItem[] {
  const i = items.findIndex((x) => x.seq === null && x.clientMsgId === clientMsgId);
  if (i < 0 || items[i].delivery === 'failed') return items;
  const next = items.slice();
  next[i] = { ...items[i], delivery: 'failed' };
  return next;
}

/** The highest seq shown: `resume` and polling ask for what comes after it. */
export function lastSeq(items: TimelineItem[]): number {
  let max = 0;
  for (const i of items) if (i.seq !== null && i.seq > max) max = i.seq;
  return max;
}

function insertBySeq(items: TimelineItem[], item: TimelineItem): TimelineItem[] {
  const seq = item.seq ?? Number.POSITIVE_INFINITY;
  let at = items.findIndex((i) => i.seq === null || i.seq > seq);
  if (at < 0) at = items.length;
  return [...items.slice(0, at), item, ...items.slice(at)];
}

/** True while the bot holds the chat: its message is the last one not from the visitor, and not a handoff. */
export function botHolds(items: TimelineItem[]): boolean {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    if (it.senderType !== 'customer') return it.senderType === 'bot' && it.bot?.kind !== 'handoff';
  }
  return false;
}
