// Holding back a slice of the labelled history and measuring a classifier on it.

/** FNV-1a (32-bit) of a string: a stable, seeded position for a sample in the split. */
export function hashSampleId(id: string, seed: string): number {
  let h = 0x811c9dc5;
  const s = `${seed}:${id}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export type SplitOptions = {
  /** Share of each label held back (default 0.2). */
  holdoutShare?: number;
  /** Seed of the hash (default 'kefu'); the same seed and ids give the same split. */
  seed?: string;
};

/**
 * A stratified train/holdout split: within each label, samples are ordered by a seeded hash of
 * their id and the first `round(n · share)` are held back (at least one when the label has 3 or
 * more samples; none below that, so every label can still be learned). Deterministic and
 * independent of the input order.
 */
export function splitHoldout<T extends { id: string; label: string }>(samples: readonly T[], options: SplitOptions = {}): { train: T[]; holdout: T[] } {
  const share = options.holdoutShare ?? 0.2;
  const seed = options.seed ?? 'kefu';
  const byLabel = new Map<string, { s: T; h: number }[]>();
  for (const s of samples) {
    const list = byLabel.get(s.label) ?? [];
    list.push({ s, h: hashSampleId(s.id, seed) });
    byLabel.set(s.label, list);
  }
  const train: T[] = [];
  const holdout: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = (byLabel.get(label) ?? []).sort((a, b) => a.h - b.h || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
    const n = list.length;
    const held = n < 3 ? 0 : Math.min(n - 1, Math.max(1, Math.round(n * share)));
    for (const [i, x] of list.entries()) (i < held ? holdout : train).push(x.s);
  }
  return { train, holdout };
}

export type ClassPerformance = { label: string; support: number; predicted: number; precision: number; recall: number; f1: number };

export type ClassifierEvaluation = {
  samples: number;
  accuracy: number;
  /** Mean F1 over the labels that occur in the holdout or were predicted. */
  macroF1: number;
  /** Share whose label is among the first `k` suggestions. */
  topKAccuracy: number;
  k: number;
  perClass: ClassPerformance[];
  /** confusion[actual][predicted], indexed like `labels`. */
  confusion: number[][];
  labels: string[];
};

/** One held-back sample: its true label and the model's ranking (best first). */
export type RankedPrediction = { actual: string; ranked: readonly string[] };

/**
 * Accuracy, macro-F1, top-k accuracy, per-label precision/recall and the confusion matrix.
 * `labels` fixes the order of the matrix; labels met in the predictions but missing from it are
 * appended.
 */
export function evaluateClassifier(labels: readonly string[], predictions: readonly RankedPrediction[], k = 3): ClassifierEvaluation {
  const all = [...labels];
  for (const p of predictions) {
    for (const l of [p.actual, p.ranked[0]]) if (l !== undefined && !all.includes(l)) all.push(l);
  }
  const index = new Map(all.map((l, i) => [l, i]));
  const confusion = all.map(() => all.map(() => 0));
  let correct = 0;
  let inTopK = 0;
  for (const p of predictions) {
    const a = index.get(p.actual) as number;
    const top = p.ranked[0];
    if (top !== undefined) {
      const row = confusion[a] as number[];
      const j = index.get(top) as number;
      row[j] = (row[j] as number) + 1;
    }
    if (top === p.actual) correct++;
    if (p.ranked.slice(0, k).includes(p.actual)) inTopK++;
  }
  const perClass: ClassPerformance[] = all.map((label, i) => {
    const support = (confusion[i] as number[]).reduce((s, x) => s + x, 0);
    const predicted = confusion.reduce((s, row) => s + (row[i] as number), 0);
    const tp = (confusion[i] as number[])[i] as number;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, predicted, precision, recall, f1 };
  });
  const counted = perClass.filter((c) => c.support > 0 || c.predicted > 0);
  const n = predictions.length;
  return {
    samples: n,
    accuracy: n === 0 ? 0 : correct / n,
    macroF1: counted.length === 0 ? 0 : counted.reduce((s, c) => s + c.f1, 0) / counted.length,
    topKAccuracy: n === 0 ? 0 : inTopK / n,
    k,
    perClass,
    confusion,
    labels: all,
  };
}
