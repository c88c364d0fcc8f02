// `npm run test:e2e`: starts the built product on a fresh data directory and a free port, runs every
// e2e/*.e2e.mjs against it in Debian's Chromium, and stops the server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_PASSWORD = 'Kefu@95598';

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const port = await new Promise((resolve) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-e2e-'));
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts')], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KEFU_DATA_DIR: dataDir, KEFU_ADMIN_PASSWORD: 'Admin@E2E-2026', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
let failed = false;
try {
  // The first start seeds the demo center and trains its classifiers: minutes on a busy 2-core machine.
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {}
    if (Date.now() > until) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
  const files = readdirSync(path.join(root, 'e2e')).filter((f) => f.endsWith('.e2e.mjs')).sort();
  for (const file of files) {
    console.log(`\n▶ e2e/${file}`);
    const run = spawnSync(process.execPath, [path.join(root, 'e2e', file)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, KEFU_E2E_URL: url, KEFU_E2E_PASSWORD: DEMO_PASSWORD, KEFU_E2E_ADMIN_PASSWORD: 'Admin@E2E-2026' },
    });
    if (run.status !== 0) {
      failed = true;
      console.error(`✗ e2e/${file} failed`);
    } else console.log(`✓ e2e/${file}`);
  }
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
