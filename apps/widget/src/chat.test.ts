import { describe, expect, it, vi } from 'vitest';
import type { WidgetApi } from './api.ts';
import { AGENT_TYPING_SHOWN_MS, createChat, POLL_INTERVAL_MS } from './chat.ts';
import type { WidgetOptions } from './config.ts';
import type { TConversation, TWidgetConfig, TWidgetSession } from './contracts.ts';
import { apiError } from './http.ts';
import { type KeyValueStore, memoryStore } from './storage.ts';
import { fakeClock, message, sockets, widgetConfig } from './test-helpers.ts';

// The controller end to end against a fake API, a fake socket and a manual clock.

const CHANNEL = 'de000000-0000-4000-8000-0000000000c1';
const OPTIONS: WidgetOptions = { channelId: CHANNEL, language: 'zh-CN', color: null, position: 'right', identityToken: null, apiBase: 'https://kefu.example.com' };

const conversation = (id: string, over: Partial<TConversation> = {}): TConversation => ({
  id,
  channel: 'chat',
  channelId: CHANNEL,
  customerId: null,
  customerName: null,
  visitorId: 'v1',
  visitorName: null,
  status: 'open',
  subject: null,
  currentContactId: null,
  lastSeq: 0,
  customerReadSeq: 0,
  agentReadSeq: 0,
  lastMessageAt: null,
  createdAt: '2026-03-02T02:00:00.000Z',
  closedAt: null,
  ...over,
});

function setup(o: { store?: KeyValueStore; config?: Partial<TWidgetConfig>; conversation?: TConversation | null; api?: Partial<WidgetApi> } = {}) {
  const store = o.store ?? memoryStore();
  const clock = fakeClock();
  const socks = sockets();
  let visible = true;
  const session = (): TWidgetSession => ({ visitorToken: 'vt-1', visitorId: 'v1', verified: false, name: null, conversation: o.conversation ?? null });
  const api = {
    getConfig: vi.fn(async () => widgetConfig(o.config)),
    openSession: vi.fn(async () => {
      store.set(`kefu.widget.${CHANNEL}`, 'vt-1');
      return session();
    }),
    startConversation: vi.fn(async () => conversation('c1')),
    listMessages: vi.fn(async () => []),
    sendMessage: vi.fn(async () => null),
    endConversation: vi.fn(async () => {}),
    leaveMessage: vi.fn(async () => {}),
    uploadAttachment: vi.fn(async () => null),
    ...o.api,
  } satisfies WidgetApi;
  const onSurvey = vi.fn();
  let n = 0;
  const chat = createChat({
    options: OPTIONS,
    api,
    store,
    createSocket: socks.create,
    timers: clock,
    random: () => ((n++ * 0.6180339887) % 1) as number,
    isVisible: () => visible,
    onSurvey,
  });
  return { chat, api, store, clock, socks, onSurvey, setVisible: (v: boolean) => (visible = v), state: () => chat.getState() };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A page with an open conversation c1 whose socket is connected. */
async function resumed(o: Parameters<typeof setup>[0] = {}) {
  const store = o.store ?? memoryStore();
  store.set(`kefu.widget.${CHANNEL}`, 'vt-1');
  const t = setup({ conversation: conversation('c1'), ...o, store });
  await t.chat.init();
  await flush();
  t.socks.last().accept();
  return t;
}

describe('chat: sending', () => {
  it('starts the conversation with the first message, shows it as sending, then sent on ack', async () => {
    const t = setup();
    await t.chat.init();
    t.chat.setOpen(true);
    await flush();
    expect(t.state().view).toBe('chat');
    expect(t.chat.send('  我家停电了  ')).toBe(true);
    expect(t.state().items).toMatchObject([{ body: '我家停电了', delivery: 'sending' }]);
    await flush();
    const clientMsgId = t.state().items[0].clientMsgId;
    expect(t.api.startConversation).toHaveBeenCalledWith('vt-1', { topic: undefined, text: '我家停电了', clientMsgId });
    expect(t.socks.last().url).toBe('wss://kefu.example.com/ws?visitorToken=vt-1');
    t.socks.last().accept();
    expect(t.socks.last().sent).toEqual([
      { type: 'resume', conversationId: 'c1', afterSeq: 0 },
      { type: 'message.send', conversationId: 'c1', clientMsgId, text: '我家停电了' },
    ]);
    t.socks.last().push('message.ack', { clientMsgId, id: 'm1', seq: 1, conversationId: 'c1' });
    expect(t.state().items).toMatchObject([{ seq: 1, delivery: 'sent' }]);
    expect(t.store.get(`kefu.widget.${CHANNEL}.outbox`)).toBeNull();
  });

  it('resends every unacknowledged message with the same clientMsgId after a reconnect', async () => {
    const t = await resumed();
    t.socks.last().push('message.created', message(1, { body: '您好' }));
    t.chat.send('第一条');
    const [first] = t.socks.last().sent.filter((f) => f.type === 'message.send');
    t.socks.last().drop();
    t.chat.send('第二条'); // typed while offline: waits in the outbox
    expect(t.state().items.map((i) => i.delivery)).toEqual(['sent', 'sending', 'sending']);
    t.clock.advance(1000);
    t.socks.last().accept();
    const frames = t.socks.last().sent;
    expect(frames[0]).toEqual({ type: 'resume', conversationId: 'c1', afterSeq: 1 });
    expect(frames.slice(1).map((f) => [f.type, f.text])).toEqual([
      ['message.send', '第一条'],
      ['message.send', '第二条'],
    ]);
    expect(frames[1].clientMsgId).toBe(first.clientMsgId);
    t.socks.last().push('message.ack', { clientMsgId: first.clientMsgId, id: 'm2', seq: 2 });
    t.socks.last().push('message.ack', { clientMsgId: first.clientMsgId, id: 'm2', seq: 2 }); // duplicate: harmless
    expect(t.state().items.map((i) => [i.seq, i.delivery])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [null, 'sending'],
    ]);
  });

  it('loses nothing when the page reloads before the ack', async () => {
    const store = memoryStore();
    const before = await resumed({ store });
    before.chat.send('刚发的消息');
    const sent = before.socks.last().sent.find((f) => f.type === 'message.send');
    // reload: a new page with the same localStorage
    const after = await resumed({ store });
    expect(after.state().items).toMatchObject([{ body: '刚发的消息', delivery: 'sending' }]);
    expect(after.socks.last().sent[1]).toEqual(sent);
  });

  it('restarts the conversation after a reload that interrupted the first message', async () => {
    const store = memoryStore();
    const first = setup({ store, api: { startConversation: vi.fn(() => new Promise<TConversation>(() => {})) } });
    await first.chat.init();
    first.chat.setOpen(true);
    await flush();
    first.chat.send('还没发出去');
    const after = setup({ store });
    await after.chat.init();
    await flush();
    expect(after.api.startConversation).toHaveBeenCalledWith('vt-1', expect.objectContaining({ text: '还没发出去' }));
    expect(after.state().conversationId).toBe('c1');
  });

  it('marks a message the server refuses as not sent and stops resending it', async () => {
    const t = await resumed();
    t.chat.send('x');
    const { clientMsgId } = t.socks.last().sent[1];
    t.socks.last().push('error', { code: 'validation.failed', message: 'too long', ref: clientMsgId });
    expect(t.state().items[0].delivery).toBe('failed');
    expect(t.store.get(`kefu.widget.${CHANNEL}.outbox`)).toBeNull();
  });

  it('keeps a message refused for a rate limit and sends it again shortly', async () => {
    const t = await resumed();
    t.chat.send('x');
    const { clientMsgId } = t.socks.last().sent[1];
    t.socks.last().push('error', { code: 'rate.limited', message: 'slow down', ref: clientMsgId });
    t.clock.advance(5000);
    expect(t.socks.last().sent.filter((f) => f.clientMsgId === clientMsgId)).toHaveLength(2);
    expect(t.state().items[0].delivery).toBe('sending');
  });

  it('refuses messages over 4,000 characters', async () => {
    const t = await resumed();
    expect(t.chat.send('长'.repeat(4001))).toBe(false);
    expect(t.state().notice).toBe('tooLong');
    expect(t.state().items).toEqual([]);
  });
});

describe('chat: receiving', () => {
  it('merges messages by seq and ignores those already shown', async () => {
    const t = await resumed();
    t.socks.last().push('message.created', message(2));
    t.socks.last().push('message.created', message(1));
    t.socks.last().push('message.created', message(2));
    t.socks.last().push('message.created', message(3, { conversationId: 'someone-else' }));
    expect(t.state().items.map((i) => i.seq)).toEqual([1, 2]);
  });

  it('shows queued, then the agent, from conversation.updated', async () => {
    const t = await resumed();
    expect(t.state().phase).toBe('queued');
    t.socks.last().push('conversation.updated', { conversationId: 'c1', status: 'queued', agentName: null, queuePosition: 2 });
    expect(t.state().queuePosition).toBe(2);
    t.socks.last().push('conversation.updated', { conversationId: 'c1', status: 'active', agentName: '王敏' });
    expect(t.state()).toMatchObject({ phase: 'active', agentName: '王敏', queuePosition: null });
    // an ended contact changes the header only; the chat ends with conversation.ended
    t.socks.last().push('contact.updated', { conversationId: 'c1', status: 'ended' });
    expect(t.state()).toMatchObject({ phase: 'ended', view: 'chat' });
  });

  it('shows the agent typing for 4 s, and hides it when the message lands', async () => {
    const t = await resumed();
    t.socks.last().push('typing', { conversationId: 'c1', from: 'agent' });
    expect(t.state().agentTyping).toBe(true);
    t.clock.advance(AGENT_TYPING_SHOWN_MS - 1);
    expect(t.state().agentTyping).toBe(true);
    t.clock.advance(1);
    expect(t.state().agentTyping).toBe(false);
    t.socks.last().push('typing', { conversationId: 'c1', from: 'agent' });
    t.socks.last().push('message.created', message(1));
    expect(t.state().agentTyping).toBe(false);
    t.socks.last().push('typing', { conversationId: 'c1', from: 'customer' });
    expect(t.state().agentTyping).toBe(false);
  });

  it('sends typing at most every 3 s', async () => {
    const t = await resumed();
    t.chat.typing();
    t.clock.advance(1000);
    t.chat.typing();
    t.clock.advance(2000);
    t.chat.typing();
    expect(t.socks.last().types().filter((x) => x === 'typing')).toHaveLength(2);
  });

  it('sends read for the last seq only while the panel is open and the page visible', async () => {
    const t = await resumed();
    t.socks.last().push('message.created', message(1));
    expect(t.state().unread).toBe(1);
    expect(t.socks.last().types()).not.toContain('read');
    t.setVisible(false);
    t.chat.setOpen(true);
    expect(t.socks.last().types()).not.toContain('read');
    t.setVisible(true);
    t.chat.visibilityChanged();
    expect(t.socks.last().sent.filter((f) => f.type === 'read')).toEqual([{ type: 'read', conversationId: 'c1', seq: 1 }]);
    expect(t.state().unread).toBe(0);
    t.socks.last().push('message.created', message(2));
    expect(t.socks.last().sent.filter((f) => f.type === 'read').map((f) => f.seq)).toEqual([1, 2]);
  });

  it('ends with the thank-you view and calls the survey hook', async () => {
    const t = await resumed();
    t.socks.last().push('conversation.ended', { conversationId: 'c1', survey: null });
    expect(t.state()).toMatchObject({ view: 'ended', phase: 'ended' });
    expect(t.onSurvey).toHaveBeenCalledWith({ conversationId: 'c1', survey: null });
    expect(t.chat.send('还在吗')).toBe(false);
    t.chat.newChat();
    expect(t.state()).toMatchObject({ view: 'chat', conversationId: null, items: [] });
  });

  it('ends the chat when the visitor asks', async () => {
    const t = await resumed();
    await t.chat.endChat();
    expect(t.api.endConversation).toHaveBeenCalledWith('vt-1', 'c1');
    expect(t.state().view).toBe('ended');
  });
});

describe('chat: leave a message', () => {
  it('offers the leave-a-message form when the channel is closed, and sends it', async () => {
    const t = setup({ config: { open: false } });
    await t.chat.init();
    expect(t.state().view).toBe('leave');
    expect(t.state().fields.map((f) => f.name)).toEqual(['kind', 'name', 'phone', 'message']);
    expect(await t.chat.submitForm({ kind: 'callback', name: '', phone: '123' })).toEqual({ name: 'errRequired', phone: 'errPhone' });
    expect(await t.chat.submitForm({ kind: 'callback', name: ' 张三 ', phone: '13800000000', message: '' })).toBeNull();
    expect(t.api.leaveMessage).toHaveBeenCalledWith('vt-1', { kind: 'callback', name: '张三', phone: '13800000000', message: undefined });
    expect(t.state().view).toBe('left');
  });

  it('switches to the form when the contact overflows', async () => {
    const t = await resumed();
    t.socks.last().push('contact.updated', { conversationId: 'c1', status: 'closed', overflowAction: 'callback' });
    expect(t.state()).toMatchObject({ view: 'leave', leave: { kind: 'callback', reason: 'busy' } });
    expect(t.state().fields[0].options?.[0][0]).toBe('callback');
  });
});

describe('chat: pre-chat form', () => {
  it('asks before the first message, sends the details with the session and the topic with the chat', async () => {
    const t = setup({
      config: { preChat: { enabled: true, fields: [{ name: 'name', required: true }, { name: 'phone', required: false }] }, topics: [{ code: 'outage', labelZh: '停电报修', labelEn: 'Outage' }] },
    });
    await t.chat.init();
    t.chat.setOpen(true);
    await flush();
    expect(t.state().view).toBe('prechat');
    expect(t.chat.send('hi')).toBe(false);
    expect(await t.chat.submitForm({ name: '李雷', phone: '', topic: 'outage' })).toBeNull();
    expect(t.api.openSession).toHaveBeenLastCalledWith(expect.objectContaining({ name: '李雷', phone: undefined }));
    expect(t.state().view).toBe('chat');
    t.chat.send('停电了');
    await flush();
    expect(t.api.startConversation).toHaveBeenCalledWith('vt-1', expect.objectContaining({ topic: 'outage', text: '停电了' }));
  });
});

describe('chat: degraded network', () => {
  it('polls and sends over REST after 3 failed connects, and stops polling when a socket opens', async () => {
    const listMessages = vi.fn(async () => [message(1, { body: 'poll' })]);
    const t = setup({
      conversation: conversation('c1'),
      api: {
        listMessages,
        sendMessage: vi.fn(async (_token: string, body: { clientMsgId: string; text: string }) =>
          message(2, { senderType: 'customer', body: body.text, clientMsgId: body.clientMsgId }),
        ),
      },
    });
    t.store.set(`kefu.widget.${CHANNEL}`, 'vt-1');
    await t.chat.init();
    await flush();
    for (let i = 0; i < 3; i++) {
      t.socks.last().drop();
      t.clock.advance(i < 2 ? 1000 : 0);
    }
    expect(t.state().link).toBe('fallback');
    await flush();
    expect(t.api.listMessages).toHaveBeenCalledWith('vt-1', 'c1', 0);
    t.chat.send('x');
    await flush();
    const clientMsgId = t.state().items.find((i) => i.body === 'x')?.clientMsgId;
    expect(t.api.sendMessage).toHaveBeenCalledWith('vt-1', { conversationId: 'c1', clientMsgId, text: 'x' });
    expect(t.state().items.map((i) => [i.seq, i.delivery])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
    ]);
    t.clock.advance(POLL_INTERVAL_MS);
    await flush();
    expect(t.api.listMessages).toHaveBeenLastCalledWith('vt-1', 'c1', 2);
    t.clock.advance(15_000);
    t.socks.last().accept();
    const calls = listMessages.mock.calls.length;
    t.clock.advance(10 * POLL_INTERVAL_MS);
    await flush();
    expect(listMessages.mock.calls.length).toBe(calls);
  });

  it('starts afresh when the server refuses the visitor token on the socket', async () => {
    const t = await resumed();
    t.socks.last().drop(4401);
    expect(t.state()).toMatchObject({ conversationId: null, view: 'chat', items: [] });
    expect(t.store.get(`kefu.widget.${CHANNEL}`)).toBeNull();
  });

  it('shows an error view when the channel cannot be loaded, and retries', async () => {
    const t = setup({ api: { getConfig: vi.fn().mockRejectedValueOnce(apiError(404, 'widget.channel_unavailable', '')).mockResolvedValue(widgetConfig()) } });
    await t.chat.init();
    expect(t.state().view).toBe('error');
    await t.chat.init();
    expect(t.state().view).toBe('chat');
  });
});
