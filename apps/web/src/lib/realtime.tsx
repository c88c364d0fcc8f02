import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';

// The one WebSocket of a browser tab (docs/realtime.md): every live feature — work-order lists,
// the agent desktop, the supervisor wall — listens on it by topic prefix instead of opening its
// own. Server → client frames are `{topic, payload}`; client → server frames are `{type, …}`.

export type RealtimeFrame = { topic: string; payload: unknown };
/** A frame for the server, e.g. `{ type: 'message.send', conversationId, clientMsgId, text }`. */
export type OutgoingFrame = { type: string } & Record<string, unknown>;
export type RealtimeStatus = 'connecting' | 'open' | 'closed';
// biome-ignore lint/suspicious/noExplicitAny: payload shapes differ per topic; each listener narrows its own
type Handler = (payload: any, topic: string) => void;

export const PING_INTERVAL_MS = 25_000;
/** A socket that answered pings before and then stays silent this long is dead (half-open): reopen it. */
const SILENCE_LIMIT_MS = 2 * PING_INTERVAL_MS + 10_000;
const MAX_BACKOFF_MS = 30_000;
/** Closed by the server for a missing or expired session: reconnecting would not help. */
const CLOSE_UNAUTHENTICATED = 4401;

/** Delay before reconnect attempt `attempt` (1, 2, …): doubling from 1 s up to 30 s, with jitter so a restarted server is not hit by every tab at once. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}

export class RealtimeConnection {
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<{ prefix: string; handler: Handler }>();
  private readonly statusListeners = new Set<() => void>();
  private currentStatus: RealtimeStatus = 'closed';
  private running = false;
  private attempt = 0;
  private reconnectTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastFrameAt = 0;
  private sawPong = false;
  private opens = 0;
  private readonly url: string;
  private readonly onUnauthorized?: () => void;

  constructor(url: string, onUnauthorized?: () => void) {
    this.url = url;
    this.onUnauthorized = onUnauthorized;
  }

  get status(): RealtimeStatus {
    return this.currentStatus;
  }

  /** How many times a socket opened since the page loaded (more than 1: it reconnected). */
  get openCount(): number {
    return this.opens;
  }

  start(): void {
    if (this.running || typeof WebSocket === 'undefined') return;
    this.running = true;
    window.addEventListener('online', this.reconnectNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.reconnectNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    window.clearTimeout(this.reconnectTimer);
    window.clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'page closed');
    }
    this.setStatus('closed');
  }

  /** Sends a frame when the socket is open; false tells the caller to fall back to REST. */
  send(frame: OutgoingFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  subscribe(prefix: string, handler: Handler): () => void {
    const entry = { prefix, handler };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Hands a frame to the listeners whose prefix it matches (also used by tests and local echoes). */
  dispatch(frame: RealtimeFrame): void {
    for (const { prefix, handler } of [...this.listeners]) {
      if (!frame.topic.startsWith(prefix)) continue;
      try {
        handler(frame.payload, frame.topic);
      } catch (error) {
        // One broken listener must not starve the others.
        console.error('realtime listener failed', frame.topic, error);
      }
    }
  }

  private setStatus(status: RealtimeStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const l of [...this.statusListeners]) l();
  }

  private connect = (): void => {
    window.clearTimeout(this.reconnectTimer);
    if (!this.running) return;
    this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.sawPong = false;
    socket.onopen = () => {
      this.attempt = 0;
      this.opens += 1;
      this.lastFrameAt = Date.now();
      this.setStatus('open');
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(this.ping, PING_INTERVAL_MS);
    };
    socket.onmessage = (event) => {
      this.lastFrameAt = Date.now();
      let frame: RealtimeFrame | null = null;
      try {
        frame = JSON.parse(String(event.data)) as RealtimeFrame;
      } catch {
        return;
      }
      if (!frame || typeof frame.topic !== 'string') return;
      if (frame.topic === 'pong') this.sawPong = true;
      this.dispatch(frame);
    };
    socket.onclose = (event) => {
      window.clearInterval(this.pingTimer);
      if (this.socket === socket) this.socket = null;
      this.setStatus('closed');
      if (!this.running) return;
      if (event.code === CLOSE_UNAUTHENTICATED) {
        this.running = false;
        this.onUnauthorized?.();
        return;
      }
      this.scheduleReconnect();
    };
  };

  private ping = (): void => {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    // Only a server that answers pings can be judged silent.
    if (this.sawPong && Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
      socket.close(4000, 'silent');
      return;
    }
    socket.send(JSON.stringify({ type: 'ping' }));
  };

  private scheduleReconnect(): void {
    this.attempt += 1;
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(this.connect, reconnectDelay(this.attempt));
  }

  private reconnectNow = (): void => {
    if (!this.running || this.socket) return;
    this.attempt = 0;
    this.connect();
  };

  private onVisible = (): void => {
    if (document.visibilityState === 'visible') this.reconnectNow();
  };
}

const RealtimeContext = createContext<RealtimeConnection | null>(null);

function socketUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`;
}

/** Opens the tab's socket while mounted (inside the authenticated frame) and shares it with every feature. */
export function RealtimeProvider({ children, onUnauthorized }: { children: ReactNode; onUnauthorized?: () => void }) {
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;
  const [connection] = useState(() => new RealtimeConnection(socketUrl(), () => unauthorized.current?.()));
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  return <RealtimeContext.Provider value={connection}>{children}</RealtimeContext.Provider>;
}

function useConnection(): RealtimeConnection | null {
  return useContext(RealtimeContext);
}

/**
 * Calls `handler(payload, topic)` for every frame whose topic starts with `topicPrefix`
 * ('ticket.' for all work-order events, 'message.created' for one). The latest handler is used,
 * so callers need not memoise it.
 */
export function useRealtime(topicPrefix: string, handler: Handler, enabled = true): void {
  const connection = useConnection();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!connection || !enabled) return;
    return connection.subscribe(topicPrefix, (payload, topic) => latest.current(payload, topic));
  }, [connection, topicPrefix, enabled]);
}

/** `send(frame)` → true when it went out on the socket, false when the caller should use REST instead. */
export function useRealtimeSend(): (frame: OutgoingFrame) => boolean {
  const connection = useConnection();
  return useCallback((frame: OutgoingFrame) => connection?.send(frame) ?? false, [connection]);
}

const noSubscribe = () => () => undefined;

export function useRealtimeStatus(): RealtimeStatus {
  const connection = useConnection();
  return useSyncExternalStore(
    connection ? (l) => connection.onStatus(l) : noSubscribe,
    () => connection?.status ?? 'closed',
  );
}

/**
 * Runs `callback(reconnected)` each time the socket opens after the caller mounted: the moment to
 * refetch what may have been missed while no frames could arrive. `reconnected` is false for the
 * page's first connection (nothing was missed unless the caller loaded before it).
 */
export function useRealtimeReconnected(callback: (reconnected: boolean) => void): void {
  const connection = useConnection();
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    if (!connection) return;
    return connection.onStatus(() => {
      if (connection.status === 'open') latest.current(connection.openCount > 1);
    });
  }, [connection]);
}
