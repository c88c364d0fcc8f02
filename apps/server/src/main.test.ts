import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function start(port: number, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KEFU_DATA_DIR: dataDir, KEFU_SEED: 'none', KEFU_ADMIN_PASSWORD: 'Admin@Main-2026', LOG_LEVEL: 'warn', DATABASE_URL: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const until = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
    } catch {}
    if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

// The real process: start, keep data across restarts, shut down gracefully on SIGTERM.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('server process', () => {
  it('keeps its data across a graceful restart and prints where it runs', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain(`http://localhost:${port}`);
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin@Main-2026' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ name: '重启测试', phones: ['13511112222'] }),
    });
    expect(created.status).toBe(201);
    // SIGTERM while a request is in flight: it still completes, then the process exits 0.
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/customers?q=${encodeURIComponent('重启测试')}`, { headers: { cookie } });
    const exit = exited(first.child);
    first.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await exit).toBe(0);

    const second = await start(port, { KEFU_ADMIN_PASSWORD: 'Other-Password-1' });
    const relogin = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin@Main-2026' }),
    });
    expect(relogin.status).toBe(200); // the first start's password stands
    const cookie2 = (relogin.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const found = await (await fetch(`http://127.0.0.1:${port}/api/v1/customers/lookup?phone=13511112222`, { headers: { cookie: cookie2 } })).json();
    expect(found.items.map((c: { name: string }) => c.name)).toEqual(['重启测试']);
    const exit2 = exited(second.child);
    second.child.kill('SIGINT');
    expect(await exit2).toBe(0);
  }, 180_000);

  it('refuses to start in production without a strong session secret', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, NODE_ENV: 'production', KEFU_SESSION_SECRET: 'short', KEFU_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    expect(await exited(child)).toBe(1);
    expect(err).toMatch(/KEFU_SESSION_SECRET: too weak/);
  }, 60_000);
});
