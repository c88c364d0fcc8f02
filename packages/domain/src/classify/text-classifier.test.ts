import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateClassifier, hashSampleId, splitHoldout } from './evaluation.ts';
import { toFeatures } from './features.ts';
import { isTextClassifierModel, predictLabels, type TrainingSample, trainTextClassifier } from './text-classifier.ts';

// A toy corpus as jieba would segment it (Chinese) and as split on spaces (English).
const CORPUS: [string, string][] = [
  ['outage', '家里 突然 停电 没电 了'],
  ['outage', '小区 停电 什么 时候 来电'],
  ['outage', '整栋 楼 停电 电梯 停运'],
  ['outage', 'power off since morning outage'],
  ['outage', 'no power outage in my street'],
  ['billing', '电费 太高 了 这个 月'],
  ['billing', '怎么 交 电费 微信 缴费'],
  ['billing', '电费 账单 看不懂 阶梯 电价'],
  ['billing', 'my bill is too high this month'],
  ['billing', 'how to pay the bill online'],
  ['complaint', '投诉 抄表员 态度 差'],
  ['complaint', '我要 投诉 一直 没人 处理'],
  ['complaint', '投诉 抢修 太慢 态度 不好'],
  ['complaint', 'complaint about rude staff'],
];

const samples = (corpus = CORPUS): TrainingSample[] => corpus.map(([label, text], i) => ({ id: `s${String(i).padStart(2, '0')}`, label, tokens: toFeatures(text.split(' ')) }));

describe('trainTextClassifier (naive Bayes)', () => {
  const model = trainTextClassifier(samples(), { minDocFreq: 1 });

  it('gives the expected class for obvious Chinese and English texts', () => {
    expect(predictLabels(model, ['停电', '来电'])[0]?.label).toBe('outage');
    expect(predictLabels(model, ['电费', '缴费'])[0]?.label).toBe('billing');
    expect(predictLabels(model, ['投诉', '态度'])[0]?.label).toBe('complaint');
    expect(predictLabels(model, toFeatures(['the', 'bill', 'is', 'high']))[0]?.label).toBe('billing');
    expect(predictLabels(model, toFeatures(['power', 'outage']))[0]?.label).toBe('outage');
  });

  it('returns probabilities that sum to 1, best first, and honours the limit', () => {
    const ranked = predictLabels(model, ['停电', '电费']);
    expect(ranked).toHaveLength(3);
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]?.probability).toBeGreaterThanOrEqual(ranked[i]?.probability ?? 0);
    expect(predictLabels(model, ['停电'], 2)).toHaveLength(2);
  });

  it('falls back to the prior for a text with no known token', () => {
    const ranked = predictLabels(model, ['星期天', 'zebra']);
    // outage and billing have 5 texts each, complaint 4: the prior ranks complaint last.
    expect(ranked.at(-1)?.label).toBe('complaint');
    expect(ranked[0]?.probability).toBeCloseTo(5 / 14, 6);
  });

  it('drops tokens seen in fewer texts than minDocFreq', () => {
    const pruned = trainTextClassifier(samples(), { minDocFreq: 2 });
    expect(pruned.tokens).toContain('停电');
    expect(pruned.tokens).not.toContain('电梯');
  });

  it('stores a JSON model that round-trips and is recognised', () => {
    const copy = JSON.parse(JSON.stringify(model)) as unknown;
    expect(isTextClassifierModel(copy)).toBe(true);
    expect(isTextClassifierModel({ ...model, format: 'other' })).toBe(false);
    if (isTextClassifierModel(copy)) expect(predictLabels(copy, ['投诉'])).toEqual(predictLabels(model, ['投诉']));
  });

  it('keeps __proto__-like tokens as plain vocabulary', () => {
    const m = trainTextClassifier(
      [
        { id: 'a', label: 'x', tokens: ['__proto__', 'constructor'] },
        { id: 'b', label: 'y', tokens: ['toString'] },
      ],
      { minDocFreq: 1 },
    );
    expect(predictLabels(m, ['__proto__'])[0]?.label).toBe('x');
    expect(predictLabels(m, ['toString'])[0]?.label).toBe('y');
  });

  it('refuses to train on nothing', () => {
    expect(() => trainTextClassifier([])).toThrow(/no samples/);
  });
});

describe('trainTextClassifier (logistic regression)', () => {
  it('learns the toy corpus too, with probabilities summing to 1', () => {
    const model = trainTextClassifier(samples(), { algorithm: 'logistic_regression', minDocFreq: 1, epochs: 30 });
    expect(predictLabels(model, ['停电', '没电'])[0]?.label).toBe('outage');
    expect(predictLabels(model, ['投诉', '态度'])[0]?.label).toBe('complaint');
    expect(predictLabels(model, ['bill', 'pay'])[0]?.label).toBe('billing');
    expect(predictLabels(model, ['投诉']).reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 10);
  });
});

describe('train + predict are independent of the sample order', () => {
  it('gives identical models and rankings for any permutation (property)', () => {
    const base = samples();
    const reference = { nb: trainTextClassifier(base, { minDocFreq: 1 }), lr: trainTextClassifier(base, { algorithm: 'logistic_regression', minDocFreq: 1, epochs: 3 }) };
    fc.assert(
      fc.property(fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }), fc.constantFrom('nb' as const, 'lr' as const), (shuffled, kind) => {
        const model = trainTextClassifier(shuffled, kind === 'nb' ? { minDocFreq: 1 } : { algorithm: 'logistic_regression', minDocFreq: 1, epochs: 3 });
        expect(model).toEqual(reference[kind]);
        expect(predictLabels(model, ['停电', 'bill'])).toEqual(predictLabels(reference[kind], ['停电', 'bill']));
      }),
      { numRuns: 40 },
    );
  });
});

describe('toFeatures', () => {
  it('drops stopwords, numbers and duplicates, lower-cases, and can drop single characters', () => {
    expect(toFeatures(['你好', '户号', '6312345678', '停电', '停电', 'Power', '的'])).toEqual(['停电', 'power']);
    expect(toFeatures(['电', '停电', '表'], { minTokenLength: 2 })).toEqual(['停电']);
    expect(toFeatures(['电', '的'], { dropStopwords: false })).toEqual(['电', '的']);
  });
});

describe('splitHoldout', () => {
  const many = Array.from({ length: 50 }, (_, i) => ({ id: `id-${i}`, label: i % 5 === 0 ? 'rare' : 'common' }));

  it('holds back about the share of every label, deterministically and independently of order', () => {
    const a = splitHoldout(many, { holdoutShare: 0.2, seed: 'x' });
    expect(a.holdout.filter((s) => s.label === 'rare')).toHaveLength(2);
    expect(a.holdout.filter((s) => s.label === 'common')).toHaveLength(8);
    expect(a.train.length + a.holdout.length).toBe(50);
    const b = splitHoldout([...many].reverse(), { holdoutShare: 0.2, seed: 'x' });
    expect(b.holdout.map((s) => s.id).sort()).toEqual(a.holdout.map((s) => s.id).sort());
    const c = splitHoldout(many, { holdoutShare: 0.2, seed: 'y' });
    expect(c.holdout.map((s) => s.id).sort()).not.toEqual(a.holdout.map((s) => s.id).sort());
  });

  it('keeps labels with fewer than 3 samples wholly in training', () => {
    const { holdout } = splitHoldout([...many, { id: 'lonely', label: 'single' }, { id: 'pair-1', label: 'pair' }, { id: 'pair-2', label: 'pair' }]);
    expect(holdout.some((s) => s.label === 'single' || s.label === 'pair')).toBe(false);
  });

  it('hashes stably', () => {
    expect(hashSampleId('abc', 's')).toBe(hashSampleId('abc', 's'));
    expect(hashSampleId('abc', 's')).not.toBe(hashSampleId('abd', 's'));
  });
});

describe('evaluateClassifier', () => {
  it('computes accuracy, top-k, per-class figures and a confusion matrix that adds up', () => {
    const e = evaluateClassifier(
      ['a', 'b', 'c'],
      [
        { actual: 'a', ranked: ['a', 'b', 'c'] },
        { actual: 'a', ranked: ['b', 'a', 'c'] },
        { actual: 'b', ranked: ['b', 'c', 'a'] },
        { actual: 'c', ranked: ['b', 'c', 'a'] },
      ],
      2,
    );
    expect(e.accuracy).toBe(0.5);
    expect(e.topKAccuracy).toBe(1);
    expect(e.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(e.confusion.flat().reduce((s, x) => s + x, 0)).toBe(4);
    const b = e.perClass.find((c) => c.label === 'b');
    expect(b).toMatchObject({ support: 1, predicted: 3, precision: 1 / 3, recall: 1 });
    // F1: a = 2·1·0.5/1.5 = 2/3, b = 2·(1/3)·1/(4/3) = 0.5, c = 0.
    expect(e.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 10);
  });

  it('confusion rows add up to the support for any predictions (property)', () => {
    const label = fc.constantFrom('x', 'y', 'z');
    fc.assert(
      fc.property(fc.array(fc.record({ actual: label, ranked: fc.shuffledSubarray(['x', 'y', 'z'], { minLength: 3, maxLength: 3 }) }), { maxLength: 60 }), (preds) => {
        const e = evaluateClassifier(['x', 'y', 'z'], preds);
        expect(e.confusion.flat().reduce((s, v) => s + v, 0)).toBe(preds.length);
        for (const c of e.perClass) expect(c.support).toBe(preds.filter((p) => p.actual === c.label).length);
      }),
    );
  });

  it('appends labels it was not told about', () => {
    const e = evaluateClassifier(['a'], [{ actual: 'a', ranked: ['q'] }]);
    expect(e.labels).toEqual(['a', 'q']);
    expect(e.accuracy).toBe(0);
  });
});
