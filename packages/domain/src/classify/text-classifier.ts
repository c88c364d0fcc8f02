// A small text classifier for contact reasons and work-order categories: multinomial naive Bayes
// with Laplace smoothing, or multinomial logistic regression, both stored as one sparse linear
// model so prediction is the same code. Pure: samples arrive already tokenised.

export type ClassifierAlgorithm = 'naive_bayes' | 'logistic_regression';

/** One labelled text: a stable id (for the split), its label and its features (toFeatures). */
export type TrainingSample = { id: string; label: string; tokens: readonly string[] };

export type TrainOptions = {
  /** Default naive_bayes. */
  algorithm?: ClassifierAlgorithm;
  /** Laplace/Lidstone smoothing of naive Bayes (default 1). */
  alpha?: number;
  /** Tokens seen in fewer training texts are dropped from the vocabulary (default 2). */
  minDocFreq?: number;
  /** Logistic regression: passes over the data (default 12), step (0.5), L2 strength (1e-4), shuffle seed. */
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
};

/**
 * The trained model, JSON-safe (stored in classifier_models.model). The score of label c for a
 * text with known tokens T is `bias[c] + |T|·perToken[c] + Σ_{t∈T} w(t,c)`; probabilities are the
 * softmax of the scores (a logistic model scales the token weights by 1/√|T|, as in training).
 * `weights[i]` lists `[labelIndex, weight, labelIndex, weight, …]` for
 * `tokens[i]`; absent pairs weigh 0.
 */
export type TextClassifierModel = {
  format: 'kefu.text-classifier/1';
  algorithm: ClassifierAlgorithm;
  labels: string[];
  /** Training texts per label. */
  labelCounts: number[];
  bias: number[];
  perToken: number[];
  tokens: string[];
  weights: number[][];
};

export type LabelScore = { label: string; probability: number };

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The vocabulary: tokens in at least `minDocFreq` training texts, in code-point order. */
function buildVocabulary(samples: readonly TrainingSample[], minDocFreq: number): string[] {
  const df = new Map<string, number>();
  for (const s of samples) for (const t of new Set(s.tokens)) df.set(t, (df.get(t) ?? 0) + 1);
  return [...df].filter(([, n]) => n >= minDocFreq).map(([t]) => t).sort();
}

/**
 * Trains a classifier. Deterministic and independent of the order of `samples` (they are sorted by
 * id first). Throws when there are no samples.
 */
export function trainTextClassifier(samples: readonly TrainingSample[], options: TrainOptions = {}): TextClassifierModel {
  if (samples.length === 0) throw new Error('trainTextClassifier: no samples');
  const sorted = [...samples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const labels = [...new Set(sorted.map((s) => s.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const vocabulary = buildVocabulary(sorted, options.minDocFreq ?? 2);
  const tokenIndex = new Map(vocabulary.map((t, i) => [t, i]));
  const docs = sorted.map((s) => ({ y: labelIndex.get(s.label) as number, x: [...new Set(s.tokens)].flatMap((t) => tokenIndex.get(t) ?? []).sort((a, b) => a - b) }));
  const labelCounts = labels.map(() => 0);
  for (const d of docs) labelCounts[d.y] = (labelCounts[d.y] ?? 0) + 1;
  const algorithm = options.algorithm ?? 'naive_bayes';
  const base = { format: 'kefu.text-classifier/1' as const, algorithm, labels, labelCounts, tokens: vocabulary };
  switch (algorithm) {
    case 'naive_bayes':
      return { ...base, ...trainNaiveBayes(docs, labels.length, vocabulary.length, options.alpha ?? 1) };
    case 'logistic_regression':
      return { ...base, ...trainLogisticRegression(docs, labels.length, vocabulary.length, options) };
  }
}

type Doc = { y: number; x: number[] };

/**
 * Multinomial naive Bayes over token presence: P(t|c) = (n_tc + α) / (N_c + α·V). Stored as
 * bias = log prior, perToken = log(α / (N_c + α·V)) (what any known token scores when unseen in c)
 * and the sparse excess w(t,c) = log((n_tc + α) / α) for tokens seen in c.
 */
function trainNaiveBayes(docs: readonly Doc[], labelCount: number, vocabSize: number, alpha: number) {
  const counts = Array.from({ length: vocabSize }, () => new Map<number, number>());
  const totals = new Array<number>(labelCount).fill(0);
  const docCounts = new Array<number>(labelCount).fill(0);
  for (const d of docs) {
    docCounts[d.y] = (docCounts[d.y] ?? 0) + 1;
    for (const t of d.x) {
      const m = counts[t] as Map<number, number>;
      m.set(d.y, (m.get(d.y) ?? 0) + 1);
      totals[d.y] = (totals[d.y] ?? 0) + 1;
    }
  }
  const bias = docCounts.map((n) => round(Math.log(n / docs.length)));
  const perToken = totals.map((n) => round(Math.log(alpha / (n + alpha * vocabSize))));
  const weights = counts.map((m) => [...m].sort((a, b) => a[0] - b[0]).flatMap(([c, n]) => [c, round(Math.log((n + alpha) / alpha))]));
  return { bias, perToken, weights };
}

/** mulberry32: a tiny seeded generator for the shuffles of gradient descent. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Softmax regression by stochastic gradient descent over binary token features scaled by
 * 1/√|T|, with L2 applied to the weights a text touches. Weights below 1e-4 are dropped.
 */
function trainLogisticRegression(docs: readonly Doc[], labelCount: number, vocabSize: number, options: TrainOptions) {
  const epochs = options.epochs ?? 12;
  const l2 = options.l2 ?? 1e-4;
  const w = new Float64Array(vocabSize * labelCount);
  const bias = new Float64Array(labelCount);
  const random = seededRandom(options.seed ?? 95_598);
  const order = docs.map((_, i) => i);
  const scores = new Float64Array(labelCount);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const lr = (options.learningRate ?? 0.5) / (1 + epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const di of order) {
      const d = docs[di] as Doc;
      const xv = d.x.length > 0 ? 1 / Math.sqrt(d.x.length) : 0;
      let max = -Infinity;
      for (let c = 0; c < labelCount; c++) {
        let s = bias[c] as number;
        for (const t of d.x) s += (w[t * labelCount + c] as number) * xv;
        scores[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < labelCount; c++) {
        const e = Math.exp((scores[c] as number) - max);
        scores[c] = e;
        sum += e;
      }
      for (let c = 0; c < labelCount; c++) {
        const g = (scores[c] as number) / sum - (c === d.y ? 1 : 0);
        bias[c] = (bias[c] as number) - lr * g;
        for (const t of d.x) {
          const k = t * labelCount + c;
          w[k] = (w[k] as number) * (1 - lr * l2) - lr * g * xv;
        }
      }
    }
  }
  // Stored as trained: scoreLabels applies the same 1/√|T| scaling to a logistic model.
  const weights: number[][] = [];
  for (let t = 0; t < vocabSize; t++) {
    const row: number[] = [];
    for (let c = 0; c < labelCount; c++) {
      const v = w[t * labelCount + c] as number;
      if (Math.abs(v) >= 1e-4) row.push(c, round(v));
    }
    weights.push(row);
  }
  return { bias: [...bias].map(round), perToken: new Array<number>(labelCount).fill(0), weights };
}

type Compiled = { index: Map<string, number> };
const compiled = new WeakMap<TextClassifierModel, Compiled>();

function compile(model: TextClassifierModel): Compiled {
  let c = compiled.get(model);
  if (!c) {
    c = { index: new Map(model.tokens.map((t, i) => [t, i])) };
    compiled.set(model, c);
  }
  return c;
}

/** Raw scores per label (log-space for naive Bayes, logits for logistic regression). */
function scoreLabels(model: TextClassifierModel, tokens: readonly string[]): number[] {
  const { index } = compile(model);
  const known = [...new Set(tokens)].flatMap((t) => index.get(t) ?? []);
  const scale = model.algorithm === 'logistic_regression' && known.length > 0 ? 1 / Math.sqrt(known.length) : 1;
  const scores = model.bias.map((b, c) => b + known.length * (model.perToken[c] ?? 0));
  for (const t of known) {
    const row = model.weights[t] ?? [];
    for (let i = 0; i < row.length; i += 2) scores[row[i] as number] = (scores[row[i] as number] as number) + (row[i + 1] as number) * scale;
  }
  return scores;
}

/**
 * The labels ranked by probability (softmax of the scores), best first; ties by label. `limit`
 * keeps the top ones. Tokens outside the vocabulary are ignored: an empty or unknown text gets
 * the prior.
 */
export function predictLabels(model: TextClassifierModel, tokens: readonly string[], limit?: number): LabelScore[] {
  const scores = scoreLabels(model, tokens);
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const ranked = model.labels
    .map((label, i) => ({ label, probability: (exp[i] as number) / sum }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
  return limit === undefined ? ranked : ranked.slice(0, Math.max(0, limit));
}

/** Whether a stored JSON value is a model this code can use. */
export function isTextClassifierModel(value: unknown): value is TextClassifierModel {
  const m = value as Partial<TextClassifierModel> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.format === 'kefu.text-classifier/1' &&
    (m.algorithm === 'naive_bayes' || m.algorithm === 'logistic_regression') &&
    Array.isArray(m.labels) &&
    Array.isArray(m.bias) &&
    Array.isArray(m.perToken) &&
    Array.isArray(m.tokens) &&
    Array.isArray(m.weights) &&
    m.labels.length === m.bias.length &&
    m.tokens.length === m.weights.length
  );
}
