// `npm run bench [name…]`: runs bench/<name>.ts (default: every benchmark) and leaves figures in bench/results/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts') && f !== 'lib.ts').map((f) => f.slice(0, -3));
// Benches kept in a folder run through their run.ts (bench/search-quality/run.ts).
for (const dir of readdirSync(path.join(root, 'bench'), { withFileTypes: true })) {
  if (dir.isDirectory() && dir.name !== 'results' && existsSync(path.join(root, 'bench', dir.name, 'run.ts'))) all.push(`${dir.name}/run`);
}
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let failed = false;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n▶ bench/${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
