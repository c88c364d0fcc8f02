import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)] as number;
}

export type LatencyFigures = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };

export async function measure(n: number, run: (i: number) => Promise<unknown>): Promise<LatencyFigures> {
  const samples: number[] = [];
  for (let i = 0; i < Math.min(20, n); i++) await run(i); // warm-up
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n,
    p50: round(percentile(samples, 50)),
    p90: round(percentile(samples, 90)),
    p99: round(percentile(samples, 99)),
    max: round(samples.at(-1) ?? 0),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

/** Writes `<name>.json` and `<name>.md` under bench/results. */
export function writeResults(name: string, data: unknown, markdown: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), `${markdown}\n`);
}
