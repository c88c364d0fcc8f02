// Bundles src/main.ts into dist/widget.js (IIFE, minified, ES2019), which the server serves at /widget.js.
// `node scripts/build.mjs --sourcemap` also writes dist/widget.js.map (not referenced from the bundle).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist', 'widget.js');
// The target is 30 kB; the build fails only past a hard cap, so the bundle cannot creep unnoticed.
const TARGET_BYTES = 30 * 1024;
const CAP_BYTES = 34 * 1024;
const withMap = process.argv.includes('--sourcemap');

rmSync(path.join(root, 'dist'), { recursive: true, force: true });
mkdirSync(path.join(root, 'dist'), { recursive: true });

await build({
  entryPoints: [path.join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2019',
  minify: true,
  // Chinese strings as UTF-8 (half the bytes of \u escapes); the BOM added below makes browsers
  // decode the file as UTF-8 even on a GBK-encoded host page when /widget.js is served without a
  // charset (a BOM outranks both the Content-Type header and the page's encoding).
  charset: 'utf8',
  legalComments: 'none',
  sourcemap: withMap ? 'external' : false,
  logLevel: 'warning',
});

const BOM = '\uFEFF';
const code = readFileSync(outfile, 'utf8');
if (!code.startsWith(BOM)) writeFileSync(outfile, BOM + code);
const bytes = readFileSync(outfile);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`dist/widget.js  ${kb(bytes.length)} kB minified, ${kb(gzipSync(bytes).length)} kB gzip (target ${kb(TARGET_BYTES)} kB)`);
if (bytes.length > CAP_BYTES) {
  console.error(`widget bundle is over its hard cap of ${kb(CAP_BYTES)} kB`);
  process.exit(1);
}
if (bytes.length > TARGET_BYTES) console.warn(`note: ${kb(bytes.length - TARGET_BYTES)} kB over the ${kb(TARGET_BYTES)} kB target`);
