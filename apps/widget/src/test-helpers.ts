// Fakes for the unit tests: a manual clock and a scriptable WebSocket. Not part of the bundle.
import type { SocketLike, Timers } from './connection.ts';
import type { TMessage, TWidgetConfig } from './contracts.ts';

export type FakeClock = Timers & { advance(ms: number): void; pending(): number };

export function fakeClock(start = 1_760_000_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  const tasks = new Map<number, { at: number; fn: () => void; every: number | null }>();
  const add = (fn: () => void, ms: number, every: number | null) => {
    const id = nextId++;
    tasks.set(id, { at: now + ms, fn, every });
    return id;
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => add(fn, ms, null),
    setInterval: (fn, ms) => add(fn, ms, ms),
    clearTimeout: (id) => void tasks.delete(id as number),
    clearInterval: (id) => void tasks.delete(id as number),
    pending: () => tasks.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void; every: number | null }] | null = null;
        for (const entry of tasks) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        const [id, task] = due;
        now = task.at;
        if (task.every === null) tasks.delete(id);
        else task.at += task.every;
        task.fn();
      }
      now = end;
    },
  };
}

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedByClient = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closedByClient = true;
    this.readyState = 3;
  }
  /** The server accepted the socket. */
  accept() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(topic: string, payload: unknown) {
    this.onmessage?.({ data: JSON.stringify({ topic, payload }) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  types() {
    return this.sent.map((f) => f.type);
  }
}

export function sockets() {
  const all: FakeSocket[] = [];
  return {
    all,
    create: (url: string) => {
      const s = new FakeSocket(url);
      all.push(s);
      return s;
    },
    last: () => all[all.length - 1],
  };
}

export function message(seq: number, over: Partial<TMessage> = {}): TMessage {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    contactId: null,
    senderType: 'agent',
    senderId: null,
    senderName: '王敏',
    kind: 'text',
    body: `msg ${seq}`,
    attachment: null,
    internal: false,
    clientMsgId: null,
    createdAt: '2026-03-02T02:00:00.000Z',
    ...over,
  };
}

export function widgetConfig(over: Partial<TWidgetConfig> = {}): TWidgetConfig {
  return {
    channelId: 'de000000-0000-4000-8000-0000000000c1',
    name: '国网青海电力 在线客服',
    greeting: '您好，请问有什么可以帮您？',
    color: '#00706b',
    language: 'zh-CN',
    open: true,
    preChat: { enabled: false, fields: [] },
    topics: [],
    maxUploadBytes: 5 * 1024 * 1024,
    allowedUploadTypes: ['image/*', 'application/pdf'],
    ...over,
  };
}
