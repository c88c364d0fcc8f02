import { EventEmitter } from 'node:events';
import type { WebSocket } from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { AuthContext } from './auth-context.ts';
import { AppError } from './errors.ts';

/**
 * A message goes to the users it names (`userIds`), the widget visitors it names (`visitorIds`),
 * the staff sockets watching `conversationId` and, when it names a brand and permissions, every
 * signed-in user of that brand holding one of them (e.g. supervisors watching the board).
 */
export type RealtimeMessage = {
  topic: string;
  payload: unknown;
  brandId?: string | null;
  userIds?: string[];
  visitorIds?: string[];
  conversationId?: string;
  permissions?: string[];
};

/** Fan-out between server processes: in-process by default, Redis pub/sub when REDIS_URL is set. */
export type RealtimeBus = {
  publish(message: RealtimeMessage): Promise<void>;
  subscribe(handler: (message: RealtimeMessage) => void): void;
  close(): Promise<void>;
};

export function createLocalBus(): RealtimeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
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

/** One open socket: a signed-in user (staff) or a widget visitor. */
export type RealtimeClient = {
  socket: WebSocket;
  userId: string | null;
  visitorId: string | null;
  brandIds: readonly string[];
  permissions: ReadonlySet<string>;
  /** Conversations this staff socket listens to (supervisor "listen", the agent's open tabs). */
  watching: Set<string>;
  /** The staff member as when the socket opened (null for visitors). */
  auth: AuthContext | null;
};

function addressed(c: RealtimeClient, m: RealtimeMessage): boolean {
  if (c.userId !== null && m.userIds?.includes(c.userId)) return true;
  if (c.visitorId !== null && m.visitorIds?.includes(c.visitorId)) return true;
  if (c.userId !== null && m.conversationId !== undefined && c.watching.has(m.conversationId)) return true;
  return (
    c.userId !== null &&
    !!m.brandId &&
    !!m.permissions?.length &&
    c.brandIds.includes(m.brandId) &&
    m.permissions.some((p) => c.permissions.has(p))
  );
}

/** Delivers bus messages to the sockets this process holds that they address. */
export function createRealtimeHub(bus: RealtimeBus) {
  const clients = new Set<RealtimeClient>();
  bus.subscribe((m) => {
    let data: string | null = null;
    for (const c of clients) {
      if (!addressed(c, m) || c.socket.readyState !== c.socket.OPEN) continue;
      data ??= JSON.stringify({ topic: m.topic, payload: m.payload });
      c.socket.send(data);
    }
  });
  return {
    bus,
    publish: (m: RealtimeMessage) => bus.publish(m),
    attach(client: RealtimeClient) {
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

/** Sends one frame to one socket. */
export function sendFrame(client: RealtimeClient, topic: string, payload: unknown): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify({ topic, payload }));
}

export type ClientFrame = { type: string } & Record<string, unknown>;

export type RealtimeRouteOptions = {
  /** Resolves a widget's `?visitorToken=`; null when invalid or expired. */
  authenticateVisitor: (token: string) => Promise<{ visitorId: string; brandId: string } | null>;
  /** Handles a client frame other than ping (message.send, typing, read, resume, watch…). */
  onFrame: (client: RealtimeClient, frame: ClientFrame) => Promise<void>;
};

// Per socket: a burst of 40 frames, refilled at 20 per second.
const FRAME_BURST = 40;
const FRAMES_PER_SECOND = 20;

export function registerRealtimeRoute(app: FastifyInstance, hub: RealtimeHub, options: RealtimeRouteOptions): void {
  // Public at the route level: staff sockets carry the session (checked by the auth hook),
  // widget sockets a visitor token; a socket with neither is closed with 4401.
  const visitors = new WeakMap<object, { visitorId: string; brandId: string }>();
  app.get(
    '/ws',
    {
      websocket: true,
      config: { access: 'public' },
      // Refused at the upgrade (HTTP 401) when neither a session nor a valid visitor token comes along.
      preValidation: async (req) => {
        if (req.auth) return;
        const token = (req.query as Record<string, unknown>).visitorToken;
        const visitor = typeof token === 'string' ? await options.authenticateVisitor(token) : null;
        if (!visitor) throw new AppError('auth.unauthenticated', 'Sign in or open a widget session first');
        visitors.set(req, visitor);
      },
    },
    async (socket, req) => {
    const auth = req.auth;
    const visitor = visitors.get(req);
    let client: RealtimeClient;
    if (auth) {
      client = { socket, userId: auth.userId, visitorId: null, brandIds: auth.brandIds, permissions: auth.permissions, watching: new Set(), auth };
    } else if (visitor) {
      client = { socket, userId: null, visitorId: visitor.visitorId, brandIds: [visitor.brandId], permissions: new Set(), watching: new Set(), auth: null };
    } else {
      return socket.close(4401, 'unauthenticated');
    }
    hub.attach(client);
    sendFrame(client, 'hello', client.userId ? { userId: client.userId } : { visitorId: client.visitorId });
    let tokens = FRAME_BURST;
    let refilledAt = Date.now();
    // One client's frames are handled one after the other: messages a customer types quickly are
    // stored and delivered in the order they were sent (each send publishes before the next starts).
    let chain: Promise<void> = Promise.resolve();
    socket.on('message', (raw: Buffer) => {
      const now = Date.now();
      tokens = Math.min(FRAME_BURST, tokens + ((now - refilledAt) / 1000) * FRAMES_PER_SECOND);
      refilledAt = now;
      const text = raw.toString();
      if (text === 'ping') return sendFrame(client, 'pong', null);
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return sendFrame(client, 'error', { code: 'ws.invalid_frame', message: 'Frames are JSON objects with a "type"' });
      }
      if (typeof frame !== 'object' || frame === null || typeof (frame as { type?: unknown }).type !== 'string') {
        return sendFrame(client, 'error', { code: 'ws.invalid_frame', message: 'Frames are JSON objects with a "type"' });
      }
      const f = frame as ClientFrame;
      if (f.type === 'ping') return sendFrame(client, 'pong', null);
      if (tokens < 1) {
        return sendFrame(client, 'error', { code: 'rate_limited', message: 'Too many frames; slow down', ref: typeof f.clientMsgId === 'string' ? f.clientMsgId : null });
      }
      tokens -= 1;
      chain = chain.then(() =>
        options.onFrame(client, f).catch((err: unknown) => {
          req.log.error({ err }, 'realtime frame failed');
          sendFrame(client, 'error', { code: 'internal', message: 'The frame could not be handled', ref: typeof f.clientMsgId === 'string' ? f.clientMsgId : null });
        }),
      );
    });
    },
  );
}
