import WebSocket from 'ws';

export type Frame = { topic: string; payload: Record<string, unknown> & { [k: string]: unknown } };

/**
 * A real WebSocket client for tests: records every frame and waits for the next one matching a
 * topic and predicate (frames already received count, so no race with the server).
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private consumed = new Set<Frame>();
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      this.frames.push(frame);
      for (const w of [...this.waiters]) {
        if (w.match(frame) && !this.consumed.has(frame)) {
          this.consumed.add(frame);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await socket.next('hello');
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next not-yet-consumed frame of `topic` that satisfies `where`. */
  next(topic: string, where: (payload: Frame['payload']) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const match = (f: Frame) => f.topic === topic && where(f.payload);
    const ready = this.frames.find((f) => match(f) && !this.consumed.has(f));
    if (ready) {
      this.consumed.add(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no ${topic} frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.topic).join(', ')}`));
        }
      }, timeoutMs);
    });
  }

  /** Frames of a topic received so far. */
  all(topic: string): Frame[] {
    return this.frames.filter((f) => f.topic === topic);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
