#!/usr/bin/env node
// Fails (exit 1) when src/i18n/zh-CN.ts and src/i18n/en-US.ts do not have the same keys, when a
// message is empty, or when source code uses a literal t('key') that zh-CN.ts does not define.
// Plain Node, no TypeScript runtime: the message files are object literals that we cut out and evaluate.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i18nDir = join(root, 'src', 'i18n');

/** Returns the text of the first object literal after `export const <name>…=`. */
function extractObjectLiteral(source, name) {
  const decl = source.search(new RegExp(`export const ${name}\\b`));
  if (decl < 0) throw new Error(`export const ${name} not found`);
  const start = source.indexOf('{', source.indexOf('=', decl));
  let depth = 0;
  let quote = null;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`unterminated object literal for ${name}`);
}

// A message file may spread feature parts imported from ./parts/<feature> (`calls: callsZh`):
// each imported name is evaluated from its part file and handed to the literal as a variable.
function loadMessages(file, name) {
  const source = readFileSync(join(i18nDir, file), 'utf8');
  const parts = {};
  for (const m of source.matchAll(/^import\s*\{([^}]+)\}\s*from\s*'\.\/parts\/([\w.-]+?)(?:\.ts)?';/gm)) {
    const partSource = readFileSync(join(i18nDir, 'parts', `${m[2]}.ts`), 'utf8');
    for (const id of m[1].split(',').map((x) => x.trim()).filter(Boolean)) {
      parts[id] = new Function(`return (${extractObjectLiteral(partSource, id)});`)();
    }
  }
  const text = extractObjectLiteral(source, name);
  return new Function(...Object.keys(parts), `return (${text});`)(...Object.values(parts));
}

function flatten(obj, prefix = '', out = new Map()) {
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') flatten(value, path, out);
    else out.set(path, value);
  }
  return out;
}

function placeholders(message) {
  return [...String(message).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry) && !path.startsWith(i18nDir)) out.push(path);
  }
  return out;
}

const problems = [];
const zh = flatten(loadMessages('zh-CN.ts', 'zhCN'));
const en = flatten(loadMessages('en-US.ts', 'enUS'));

for (const key of zh.keys()) if (!en.has(key)) problems.push(`en-US is missing "${key}"`);
for (const key of en.keys()) if (!zh.has(key)) problems.push(`zh-CN is missing "${key}"`);
for (const [lang, map] of [['zh-CN', zh], ['en-US', en]]) {
  for (const [key, value] of map) {
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${lang} "${key}" is empty or not a string`);
  }
}
for (const [key, value] of zh) {
  if (en.has(key) && placeholders(value) !== placeholders(en.get(key))) {
    problems.push(`"${key}" uses different {{placeholders}} in zh-CN and en-US`);
  }
}

// Literal keys used in code: t('a.b'), i18nKey="a.b", labelKey: 'a.b'.
const used = /\bt\(\s*'([\w.-]+)'|\bt\(\s*"([\w.-]+)"|labelKey:\s*'([\w.-]+)'|\bt\(\s*\w+\s*\?\s*'([\w.-]+)'\s*:\s*'([\w.-]+)'/g;
let usedCount = 0;
for (const file of sourceFiles(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(used)) {
    for (const key of m.slice(1).filter(Boolean)) {
      usedCount++;
      if (!zh.has(key)) problems.push(`${relative(root, file)} uses unknown key "${key}"`);
    }
  }
}

if (problems.length) {
  console.error(`i18n check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n ok: ${zh.size} keys in zh-CN and en-US, ${usedCount} literal key uses checked`);
