import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { WebSocket } from '@fastify/websocket';

/**
 * A message goes to the users it names (`userIds`) and, when it names a brand and permissions, to
 * every signed-in user of that brand holding one of them (e.g. supervisors watching the board).
 */
export type RealtimeMessage = { topic: string; payload: unknown; brandId?: string | null; userIds?: string[]; permissions?: string[] };

/** Fan-out between server processes: in-process by default, Redis pub/sub when REDIS_URL is set. */
export type RealtimeBus = {
  publish(message: RealtimeMessage): Promise<void>;
  subscribe(handler: (message: RealtimeMessage) => void): void;
  close(): Promise<void>;
};

export function createLocalBus(): RealtimeBus {
  const emitter = new EventEmitter();
  return {
    publish: async (m) => void emitter.emit('m', m),
    subscribe: (h) => void emitter.on('m', h),
    close: async () => void emitter.removeAllListeners(),
  };
}

const CHANNEL = 'kefu:realtime';

export function createRedisBus(url: string): RealtimeBus {
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: false });
  const handlers: ((m: RealtimeMessage) => void)[] = [];
  void sub.subscribe(CHANNEL);
  sub.on('message', (_channel, raw: string) => {
    const message = JSON.parse(raw) as RealtimeMessage;
    for (const h of handlers) h(message);
  });
  return {
    publish: async (m) => void (await pub.publish(CHANNEL, JSON.stringify(m))),
    subscribe: (h) => void handlers.push(h),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

type Client = { socket: WebSocket; userId: string; brandIds: readonly string[]; permissions: ReadonlySet<string> };

/** Delivers bus messages to the browsers of the users (or brands) they address. */
export function createRealtimeHub(bus: RealtimeBus) {
  const clients = new Set<Client>();
  bus.subscribe((m) => {
    const data = JSON.stringify({ topic: m.topic, payload: m.payload });
    const broadcast = m.brandId && m.permissions?.length ? { brandId: m.brandId, permissions: m.permissions } : null;
    // Events addressed to nobody in particular stay on the server.
    if (!m.userIds?.length && !broadcast) return;
    for (const c of clients) {
      const direct = m.userIds?.includes(c.userId) ?? false;
      const viaBrand = broadcast !== null && c.brandIds.includes(broadcast.brandId) && broadcast.permissions.some((p) => c.permissions.has(p));
      if ((direct || viaBrand) && c.socket.readyState === c.socket.OPEN) c.socket.send(data);
    }
  });
  return {
    bus,
    attach(client: Client) {
      clients.add(client);
      client.socket.on('close', () => clients.delete(client));
    },
    get size() {
      return clients.size;
    },
    closeAll() {
      for (const c of clients) c.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}

export type RealtimeHub = ReturnType<typeof createRealtimeHub>;

export function registerRealtimeRoute(app: FastifyInstance, hub: RealtimeHub): void {
  app.get('/ws', { websocket: true, config: { access: 'authenticated' } }, (socket, req) => {
    const auth = req.auth;
    if (!auth) return socket.close(4401, 'unauthenticated');
    hub.attach({ socket, userId: auth.userId, brandIds: auth.brandIds, permissions: auth.permissions });
    socket.send(JSON.stringify({ topic: 'hello', payload: { userId: auth.userId } }));
    socket.on('message', (raw: Buffer) => {
      if (raw.toString() === 'ping') socket.send(JSON.stringify({ topic: 'pong', payload: null }));
    });
  });
}
