import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, createConnection, type LinkStatus, MAX_BACKOFF_MS, PING_INTERVAL_MS, parseFrame, socketUrl } from './connection.ts';
import { fakeClock, sockets } from './test-helpers.ts';

function setup(random = () => 0.5) {
  const clock = fakeClock();
  const socks = sockets();
  const statuses: LinkStatus[] = [];
  const frames: unknown[] = [];
  let opens = 0;
  const conn = createConnection({
    url: 'wss://kefu.example.com/ws?visitorToken=t',
    createSocket: socks.create,
    timers: clock,
    random,
    onOpen: () => opens++,
    onFrame: (f) => frames.push(f),
    onStatus: (s) => statuses.push(s),
  });
  return { clock, socks, statuses, frames, conn, opens: () => opens };
}

describe('backoff', () => {
  it('grows exponentially from 250–500 ms and never exceeds 15 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(10, () => 1)).toBe(MAX_BACKOFF_MS);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, () => r);
        const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
        return d >= ceiling / 2 && d <= ceiling && d <= MAX_BACKOFF_MS;
      }),
    );
  });
});

describe('socket url', () => {
  it('uses ws: or wss: to match the API origin and carries the visitor token', () => {
    expect(socketUrl('https://kefu.example.com', 'a b+c')).toBe('wss://kefu.example.com/ws?visitorToken=a+b%2Bc');
    expect(socketUrl('http://localhost:3000', 'tok')).toBe('ws://localhost:3000/ws?visitorToken=tok');
  });

  it('parses server frames and ignores anything else', () => {
    expect(parseFrame('{"topic":"pong","payload":null}')).toEqual({ topic: 'pong', payload: null });
    expect(parseFrame('{"type":"x"}')).toBeNull();
    expect(parseFrame('garbage')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});

describe('connection', () => {
  it('opens, reports frames and pings every 25 s', () => {
    const { clock, socks, conn, frames, opens } = setup();
    conn.start();
    socks.last().accept();
    expect(conn.status).toBe('open');
    expect(opens()).toBe(1);
    socks.last().push('hello', { visitorId: 'v1' });
    expect(frames).toEqual([{ topic: 'hello', payload: { visitorId: 'v1' } }]);
    clock.advance(PING_INTERVAL_MS);
    socks.last().push('pong', null);
    clock.advance(PING_INTERVAL_MS);
    expect(socks.last().types()).toEqual(['ping', 'ping']);
  });

  it('reconnects after a drop with backoff, and calls onOpen again (resume + resend happen there)', () => {
    const { clock, socks, conn, opens } = setup(() => 1);
    conn.start();
    socks.last().accept();
    socks.last().drop();
    expect(conn.status).toBe('retrying');
    expect(socks.all).toHaveLength(1);
    clock.advance(499);
    expect(socks.all).toHaveLength(1);
    clock.advance(1);
    expect(socks.all).toHaveLength(2);
    socks.last().accept();
    expect(opens()).toBe(2);
    expect(conn.send({ type: 'ping' })).toBe(true);
  });

  it('backs off further on each failed attempt, capped at 15 s', () => {
    const { clock, socks, conn } = setup(() => 1);
    conn.start();
    const gaps: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = clock.now();
      socks.last().drop();
      while (socks.all.length === i + 1) clock.advance(50);
      gaps.push(clock.now() - before);
    }
    expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('asks for the polling fallback after 3 failed connects, and returns to open when a socket gets through', () => {
    const { clock, socks, conn, statuses } = setup();
    conn.start();
    for (let i = 0; i < 3; i++) {
      socks.last().drop();
      clock.advance(MAX_BACKOFF_MS);
    }
    expect(statuses).toContain('fallback');
    expect(conn.status).toBe('fallback');
    socks.last().accept();
    expect(conn.status).toBe('open');
  });

  it('does not count a socket that opened as a failed connect', () => {
    const { clock, socks, conn, statuses } = setup();
    conn.start();
    for (let i = 0; i < 5; i++) {
      socks.last().accept();
      socks.last().drop();
      clock.advance(MAX_BACKOFF_MS);
    }
    expect(statuses).not.toContain('fallback');
  });

  it('stops trying when the server refuses the visitor token (4401)', () => {
    const { clock, socks, conn } = setup();
    conn.start();
    socks.last().drop(4401);
    clock.advance(60_000);
    expect(conn.status).toBe('unauthorized');
    expect(socks.all).toHaveLength(1);
  });

  it('reconnects at once when the browser comes back online', () => {
    const { socks, conn } = setup();
    conn.start();
    socks.last().drop();
    conn.reconnectNow();
    expect(socks.all).toHaveLength(2);
    socks.last().accept();
    conn.reconnectNow(); // already open: nothing to do
    expect(socks.all).toHaveLength(2);
  });

  it('treats a socket that has heard nothing for two pings as dead', () => {
    const { clock, socks, conn } = setup();
    conn.start();
    socks.last().accept();
    clock.advance(3 * PING_INTERVAL_MS + 1000);
    expect(socks.all[0].closedByClient).toBe(true);
    expect(socks.all.length).toBeGreaterThan(1);
  });

  it('does not send while down, and stops cleanly', () => {
    const { clock, socks, conn } = setup();
    conn.start();
    expect(conn.send({ type: 'ping' })).toBe(false);
    socks.last().accept();
    conn.stop();
    expect(conn.status).toBe('stopped');
    expect(conn.send({ type: 'ping' })).toBe(false);
    clock.advance(60_000);
    expect(socks.all).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});
