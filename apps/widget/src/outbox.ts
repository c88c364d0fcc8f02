import type { KeyValueStore } from './storage.ts';

// Messages the visitor sent that the server has not acknowledged yet. Kept in localStorage so that a
// reload or a dropped socket loses nothing: after every (re)connect they are sent again with the same
// clientMsgId, which the server treats as idempotent (docs/realtime.md).

export type OutgoingMessage = {
  clientMsgId: string;
  /** null while the conversation is being started by this very message. */
  conversationId: string | null;
  text: string;
  createdAt: string;
};

export type ClientFrame =
  | { type: 'ping' }
  | { type: 'resume'; conversationId: string; afterSeq: number }
  | { type: 'message.send'; conversationId: string; clientMsgId: string; text: string }
  | { type: 'typing'; conversationId: string }
  | { type: 'read'; conversationId: string; seq: number };

export type Outbox = {
  list(): OutgoingMessage[];
  add(message: OutgoingMessage): void;
  /** Removes an acknowledged (or refused) message; false when it was not there (a duplicate ack). */
  remove(clientMsgId: string): boolean;
  /** Gives messages typed before the conversation existed their conversation. */
  bind(conversationId: string): void;
  /** Drops messages that belong to another conversation (one that ended meanwhile). */
  retain(conversationId: string | null): void;
  pendingFor(conversationId: string): OutgoingMessage[];
};

export function createOutbox(store: KeyValueStore, key: string): Outbox {
  // Read from storage on every call: another tab of the same site may have changed it.
  const read = (): OutgoingMessage[] => parseOutbox(store.get(key));
  const write = (items: OutgoingMessage[]) => (items.length ? store.set(key, JSON.stringify(items)) : store.remove(key));
  return {
    list: read,
    add(message) {
      const items = read().filter((m) => m.clientMsgId !== message.clientMsgId);
      items.push(message);
      write(items);
    },
    remove(clientMsgId) {
      const items = read();
      const rest = items.filter((m) => m.clientMsgId !== clientMsgId);
      if (rest.length === items.length) return false;
      write(rest);
      return true;
    },
    bind(conversationId) {
      const items = read();
      if (items.some((m) => m.conversationId === null)) {
        write(items.map((m) => (m.conversationId === null ? { ...m, conversationId } : m)));
      }
    },
    retain(conversationId) {
      const items = read();
      const kept = items.filter((m) => m.conversationId === null || m.conversationId === conversationId);
      if (kept.length !== items.length) write(kept);
    },
    pendingFor: (conversationId) => read().filter((m) => m.conversationId === conversationId),
  };
}

export function parseOutbox(raw: string | null): OutgoingMessage[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.filter((m): m is OutgoingMessage => typeof m?.clientMsgId === 'string' && typeof m.text === 'string');
  } catch {
    return [];
  }
}

/** What to send right after a socket opens: catch up on missed messages, then resend the unacknowledged. */
export function framesAfterConnect(conversationId: string, lastSeenSeq: number, pending: OutgoingMessage[]): ClientFrame[] {
  return [{ type: 'resume', conversationId, afterSeq: lastSeenSeq }, ...pending.map((m) => sendFrame(conversationId, m))];
}

export function sendFrame(conversationId: string, m: OutgoingMessage): ClientFrame {
  return { type: 'message.send', conversationId, clientMsgId: m.clientMsgId, text: m.text };
}

/** Unique per message, ≤ 64 characters. */
export function createClientMsgId(random: () => number, now: number): string {
  let r = '';
  for (let i = 0; i < 4; i++) r += Math.floor(random() * 2 ** 32).toString(36);
  return `w${now.toString(36)}${r}`.slice(0, 64);
}
