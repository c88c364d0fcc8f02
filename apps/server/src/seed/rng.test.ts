import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';

const draw = (seed: number) => {
  const rng = createRng(seed);
  return [rng.next(), rng.int(1, 6), rng.pick(['a', 'b', 'c']), rng.digits(8), rng.uuid(), rng.shuffle([1, 2, 3, 4, 5])];
};

describe('seed rng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(42)).toEqual(draw(42));
  });

  it('gives a different sequence for a different seed', () => {
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int() within both inclusive bounds and reaches each of them', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('picks by weight and never picks a zero-weight entry', () => {
    const rng = createRng(7);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 10_000; i++) counts[rng.weighted([['a', 3], ['b', 1], ['never', 0]] as const)]++;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });

  it('shuffles into a permutation and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = createRng(9).shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...out].sort((a, b) => a - b)).toEqual(input);
  });

  it('draws uuids in version-4 layout', () => {
    const rng = createRng(5);
    for (let i = 0; i < 100; i++) expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('forks streams that do not depend on how much the parent drew', () => {
    const a = createRng(11);
    const b = createRng(11);
    b.next();
    b.next();
    expect(a.fork('customers').uuid()).toBe(b.fork('customers').uuid());
    expect(a.fork('customers').uuid()).not.toBe(a.fork('org').uuid());
  });

  it('keeps chance() near its probability', () => {
    const rng = createRng(3);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.28);
    expect(hits / 10_000).toBeLessThan(0.32);
  });
});
