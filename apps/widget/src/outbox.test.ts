import { describe, expect, it } from 'vitest';
import { createClientMsgId, createOutbox, framesAfterConnect, type OutgoingMessage, parseOutbox } from './outbox.ts';
import { memoryStore } from './storage.ts';

const KEY = 'kefu.widget.ch1.outbox';
const msg = (clientMsgId: string, conversationId: string | null = 'c1', text = `text ${clientMsgId}`): OutgoingMessage => ({
  clientMsgId,
  conversationId,
  text,
  createdAt: '2026-03-02T02:00:00.000Z',
});

describe('outbox', () => {
  it('persists unacknowledged messages so a reloaded page still has them', () => {
    const store = memoryStore();
    createOutbox(store, KEY).add(msg('a'));
    createOutbox(store, KEY).add(msg('b'));
    const afterReload = createOutbox(store, KEY);
    expect(afterReload.list().map((m) => m.clientMsgId)).toEqual(['a', 'b']);
    expect(JSON.parse(store.get(KEY) ?? '[]')).toHaveLength(2);
  });

  it('removes a message on ack and treats a duplicate ack as harmless', () => {
    const store = memoryStore();
    const outbox = createOutbox(store, KEY);
    outbox.add(msg('a'));
    outbox.add(msg('b'));
    expect(outbox.remove('a')).toBe(true);
    expect(outbox.remove('a')).toBe(false);
    expect(outbox.remove('never-sent')).toBe(false);
    expect(outbox.list().map((m) => m.clientMsgId)).toEqual(['b']);
    outbox.remove('b');
    expect(store.get(KEY)).toBeNull();
  });

  it('does not duplicate a message added twice with the same clientMsgId', () => {
    const outbox = createOutbox(memoryStore(), KEY);
    outbox.add(msg('a'));
    outbox.add(msg('a'));
    expect(outbox.list()).toHaveLength(1);
  });

  it('resends every unacknowledged message after a reconnect, after the resume', () => {
    const outbox = createOutbox(memoryStore(), KEY);
    outbox.add(msg('a'));
    outbox.add(msg('b'));
    outbox.add(msg('x', 'other-conversation'));
    outbox.remove('a'); // acked before the drop
    expect(framesAfterConnect('c1', 41, outbox.pendingFor('c1'))).toEqual([
      { type: 'resume', conversationId: 'c1', afterSeq: 41 },
      { type: 'message.send', conversationId: 'c1', clientMsgId: 'b', text: 'text b' },
    ]);
  });

  it('binds messages typed before the conversation existed, and drops those of other conversations', () => {
    const outbox = createOutbox(memoryStore(), KEY);
    outbox.add(msg('old', 'ended-conversation'));
    outbox.add(msg('first', null));
    outbox.retain(null);
    expect(outbox.list().map((m) => m.clientMsgId)).toEqual(['first']);
    outbox.bind('c9');
    expect(outbox.pendingFor('c9').map((m) => m.clientMsgId)).toEqual(['first']);
  });

  it('sees changes made by another tab (reads storage on every call)', () => {
    const store = memoryStore();
    const tabA = createOutbox(store, KEY);
    const tabB = createOutbox(store, KEY);
    tabA.add(msg('a'));
    expect(tabB.remove('a')).toBe(true);
    expect(tabA.list()).toEqual([]);
  });

  it('ignores corrupt storage instead of failing', () => {
    expect(parseOutbox('not json')).toEqual([]);
    expect(parseOutbox('{"a":1}')).toEqual([]);
    expect(parseOutbox('[null, 3, {"clientMsgId":"a","text":"hi","conversationId":null,"createdAt":"x"}]')).toHaveLength(1);
  });

  it('creates short, unique client message ids', () => {
    let i = 0;
    const random = () => ((i++ * 0.618033) % 1) as number;
    const ids = new Set(Array.from({ length: 200 }, () => createClientMsgId(random, 1_760_000_000_000)));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
  });
});
