// `npm start`: builds the web app and the widget when their sources changed, then runs the server (API, realtime,
// jobs and web app in one process). Signals are passed on so shutdown stays graceful.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps/web');
const distIndex = path.join(webDir, 'dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// The web app and the chat widget (/widget.js) are built when missing or older than their sources.
const builds = [
  { name: 'the web app', workspace: '@kefu/web', dir: webDir, output: distIndex },
  { name: 'the chat widget', workspace: '@kefu/widget', dir: path.join(root, 'apps/widget'), output: path.join(root, 'apps/widget/dist/widget.js') },
];
for (const b of builds) {
  const needsBuild =
    !existsSync(b.output) ||
    Math.max(newestMtime(path.join(b.dir, 'src')), newestMtime(path.join(root, 'packages/contracts/src'))) > statSync(b.output).mtimeMs;
  if (!needsBuild) continue;
  console.log(`Building ${b.name}…`);
  const result = spawnSync('npm', ['run', 'build', '-w', b.workspace], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
