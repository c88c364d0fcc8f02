import type { ClientFrame } from './outbox.ts';

// The widget's WebSocket: keeps one socket open, pings every 25 s, reconnects with exponential
// backoff and jitter, and says when it has failed often enough that the caller should fall back to
// HTTP polling (it keeps trying in the background and reports `open` when a socket gets through).
// No DOM: the socket constructor and timers are passed in, so tests drive it with fakes.

export type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
};

export type ServerFrame = { topic: string; payload: unknown };

/** `retrying`: down, another attempt is scheduled; `fallback`: down too often, poll instead;
 * `unauthorized`: the server refused the visitor token (4401), no more attempts. */
export type LinkStatus = 'connecting' | 'open' | 'retrying' | 'fallback' | 'unauthorized' | 'stopped';

export type Timers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
};

export type ConnectionOptions = {
  url: string;
  createSocket(url: string): SocketLike;
  timers: Timers;
  random(): number;
  /** Called on every successful (re)connect: resume and resend from here. */
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  onStatus(status: LinkStatus): void;
};

export type Connection = {
  start(): void;
  stop(): void;
  /** Sends when the socket is open; false otherwise (the caller keeps the frame for later). */
  send(frame: ClientFrame): boolean;
  /** The browser came back online: try now instead of waiting out the backoff. */
  reconnectNow(): void;
  readonly status: LinkStatus;
};

export const PING_INTERVAL_MS = 25_000;
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 15_000;
export const FAILURES_BEFORE_FALLBACK = 3;
// A socket that has heard nothing (not even a pong) for this long is dead even if the browser
// has not noticed yet.
const SILENCE_LIMIT_MS = 2 * PING_INTERVAL_MS + 10_000;
const OPEN = 1;
const CLOSE_UNAUTHORIZED = 4401;

/** Delay before attempt n (0-based): exponential, capped at 15 s, "equal jitter" in [d/2, d]. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** ws: or wss: to the API origin, matching its scheme. */
export function socketUrl(apiBase: string, visitorToken: string): string {
  const u = new URL('/ws', apiBase);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('visitorToken', visitorToken);
  return u.toString();
}

export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const f: unknown = JSON.parse(data);
    if (typeof f === 'object' && f !== null && typeof (f as ServerFrame).topic === 'string') return f as ServerFrame;
  } catch {
    // not JSON: ignore
  }
  return null;
}

export function createConnection(o: ConnectionOptions): Connection {
  let socket: SocketLike | null = null;
  let status: LinkStatus = 'stopped';
  let attempt = 0; // backoff step; reset once the server has spoken on a socket
  let failures = 0; // sockets in a row that never opened
  let retryTimer: unknown = null;
  let pingTimer: unknown = null;
  let lastHeard = 0;

  const setStatus = (s: LinkStatus) => {
    if (s !== status) {
      status = s;
      o.onStatus(s);
    }
  };

  const detach = (s: SocketLike) => {
    s.onopen = s.onclose = s.onerror = s.onmessage = null;
    if (pingTimer !== null) o.timers.clearInterval(pingTimer);
    pingTimer = null;
    if (socket === s) socket = null;
  };

  const scheduleRetry = () => {
    setStatus(failures >= FAILURES_BEFORE_FALLBACK ? 'fallback' : 'retrying');
    retryTimer = o.timers.setTimeout(() => {
      retryTimer = null;
      open();
    }, backoffDelay(attempt++, o.random));
  };

  const lost = (s: SocketLike, opened: boolean, code: number) => {
    detach(s);
    if (status === 'stopped') return;
    if (code === CLOSE_UNAUTHORIZED) return setStatus('unauthorized');
    if (!opened) failures++;
    scheduleRetry();
  };

  const open = () => {
    if (status !== 'fallback') setStatus('connecting');
    let s: SocketLike;
    try {
      s = o.createSocket(o.url);
    } catch {
      failures++;
      return scheduleRetry();
    }
    socket = s;
    let opened = false;
    s.onopen = () => {
      opened = true;
      failures = 0;
      lastHeard = o.timers.now();
      setStatus('open');
      pingTimer = o.timers.setInterval(() => {
        if (o.timers.now() - lastHeard > SILENCE_LIMIT_MS) {
          s.close();
          return lost(s, true, 1006);
        }
        send({ type: 'ping' });
      }, PING_INTERVAL_MS);
      o.onOpen();
    };
    s.onmessage = (ev) => {
      lastHeard = o.timers.now();
      attempt = 0;
      const frame = parseFrame(ev.data);
      if (frame) o.onFrame(frame);
    };
    s.onclose = (ev) => lost(s, opened, ev.code);
    // Browsers follow an error with a close; closing here covers environments that do not.
    s.onerror = () => {
      s.close();
      lost(s, opened, 1006);
    };
  };

  const send = (frame: ClientFrame): boolean => {
    if (!socket || socket.readyState !== OPEN || status !== 'open') return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  };

  return {
    start() {
      if (status === 'stopped') open();
    },
    stop() {
      setStatus('stopped');
      if (retryTimer !== null) o.timers.clearTimeout(retryTimer);
      retryTimer = null;
      if (socket) {
        const s = socket;
        detach(s);
        s.close(1000);
      }
    },
    send,
    reconnectNow() {
      if (status !== 'retrying' && status !== 'fallback') return;
      if (retryTimer !== null) o.timers.clearTimeout(retryTimer);
      retryTimer = null;
      attempt = 0;
      open();
    },
    get status() {
      return status;
    },
  };
}
