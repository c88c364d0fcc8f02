import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from './errors.ts';

const docs = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../docs/errors.md'), 'utf8');

describe('error catalogue', () => {
  it('documents every code with its status in docs/errors.md, and nothing else', () => {
    const documented = new Map([...docs.matchAll(/^\| `([a-z_.]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.fromEntries(documented)).toEqual(ERROR_STATUS);
  });
});
