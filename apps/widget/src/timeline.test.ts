import { describe, expect, it } from 'vitest';
import { message } from './test-helpers.ts';
import { addPending, applyAck, lastSeq, markFailed, mergeMessage, pendingItem, type TimelineItem } from './timeline.ts';

const pending = (clientMsgId: string, text = 'hi') =>
  pendingItem({ clientMsgId, conversationId: 'c1', text, createdAt: '2026-03-02T02:00:00.000Z' });
const seqs = (items: TimelineItem[]) => items.map((i) => i.seq);

describe('timeline merge', () => {
  it('ignores a seq that is already shown (resume replays, two tabs, poll + socket)', () => {
    const once = mergeMessage([], message(1));
    const twice = mergeMessage(once, message(1, { body: 'replayed' }));
    expect(twice).toBe(once);
    expect(twice).toHaveLength(1);
  });

  it('keeps messages ordered by seq whatever order they arrive in', () => {
    let items: TimelineItem[] = [];
    for (const s of [3, 1, 4, 2, 6, 5]) items = mergeMessage(items, message(s));
    expect(seqs(items)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps in-flight messages after every sequenced one, in typing order', () => {
    let items = addPending([], pending('a'));
    items = addPending(items, pending('b'));
    items = mergeMessage(items, message(7));
    expect(items.map((i) => i.clientMsgId ?? i.seq)).toEqual([7, 'a', 'b']);
  });

  it("turns the visitor's own in-flight message into the sent one by clientMsgId", () => {
    let items = addPending([], pending('a', '我家停电了'));
    items = mergeMessage(items, message(1, { id: 'x' }));
    items = mergeMessage(items, message(2, { senderType: 'customer', clientMsgId: 'a', body: '我家停电了' }));
    expect(items).toHaveLength(2);
    expect(items[1]).toMatchObject({ seq: 2, clientMsgId: 'a', delivery: 'sent', key: 'c:a' });
    expect(items[0].key).toBe('m:x');
  });

  it('marks a pending message sent on ack, and a duplicate or late ack changes nothing', () => {
    let items = addPending([], pending('a'));
    items = applyAck(items, { clientMsgId: 'a', id: 'm5', seq: 5 });
    expect(items[0]).toMatchObject({ seq: 5, delivery: 'sent' });
    expect(applyAck(items, { clientMsgId: 'a', id: 'm5', seq: 5 })).toBe(items);
    // the message.created for the same seq arrives after the ack: still one entry
    expect(mergeMessage(items, message(5, { senderType: 'customer', clientMsgId: 'a' }))).toBe(items);
  });

  it('ignores an ack that arrives after message.created already placed the message', () => {
    let items = addPending([], pending('a'));
    items = mergeMessage(items, message(3, { senderType: 'customer', clientMsgId: 'a' }));
    expect(applyAck(items, { clientMsgId: 'a', id: 'm3', seq: 3 })).toBe(items);
  });

  it('places an acked message by its seq among messages that arrived meanwhile', () => {
    let items = addPending([], pending('a'));
    items = mergeMessage(items, message(4));
    items = applyAck(items, { clientMsgId: 'a', id: 'm3', seq: 3 });
    expect(seqs(items)).toEqual([3, 4]);
  });

  it('never shows whispers', () => {
    expect(mergeMessage([], message(1, { internal: true }))).toEqual([]);
  });

  it('shows the same message once even when added as pending twice', () => {
    const items = addPending([], pending('a'));
    expect(addPending(items, pending('a'))).toBe(items);
  });

  it('marks a refused message as failed', () => {
    const items = markFailed(addPending([], pending('a')), 'a');
    expect(items[0].delivery).toBe('failed');
    expect(markFailed(items, 'a')).toBe(items);
  });

  it('reports the last seq shown for resume and polling', () => {
    expect(lastSeq([])).toBe(0);
    expect(lastSeq(addPending(mergeMessage(mergeMessage([], message(9)), message(4)), pending('a')))).toBe(9);
  });
});
