import type { TClassifierModelDetail, TClassifierModelSummary, TSuggestion, TSuggestResponse } from '@kefu/contracts';
import type { ClassifierModelsTable, DB } from '@kefu/db';
import {
  type ClassifierAlgorithm,
  type ClassifierEvaluation,
  evaluateClassifier,
  isTextClassifierModel,
  predictLabels,
  splitHoldout,
  type TextClassifierModel,
  trainTextClassifier,
} from '@kefu/domain';
import type { Kysely, Selectable } from 'kysely';
import { recordAudit, type SystemContext } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { CLASSIFIER_TARGETS, type ClassifierTarget, DEFAULT_FEATURES, type FeatureSettings, loadLabelledTexts, loadLabelNames, textFeatures, toTrainingSamples } from './classify.data.ts';

/** Fewer labelled texts than this cannot give a meaningful model or holdout. */
export const MIN_TRAINING_SAMPLES = 30;
/** Share of each label held back for the figures. */
export const HOLDOUT_SHARE = 0.2;
const SPLIT_SEED = 'kefu-classify';
// A cached active model is re-checked against the database this often (another process may have
// trained a newer one).
const CACHE_RECHECK_MS = 30_000;
// After a lazy training found too little data, suggest does not try again for this long.
const LAZY_RETRY_MS = 10 * 60_000;

/** What the model column holds: the domain model plus how its texts were prepared and figures. */
type StoredModel = {
  classifier: TextClassifierModel;
  features: FeatureSettings;
  evaluation: { macroF1: number; top3Accuracy: number; perClass: ClassifierEvaluation['perClass'] };
  trainingMs: number;
  since: string | null;
};

type ModelRow = Selectable<ClassifierModelsTable> & { trained_by_name?: string | null };

type CacheEntry = { modelId: string | null; stored: StoredModel | null; checkedAt: number; lazyFailedAt?: number };

function brandOf(auth: AuthContext): string {
  const b = auth.brandIds[0];
  if (!b) throw new AppError('auth.forbidden', 'No brand');
  return b;
}

function readStored(row: ModelRow): StoredModel | null {
  const m = row.model as unknown as Partial<StoredModel>;
  return m && isTextClassifierModel(m.classifier) ? (m as StoredModel) : null;
}

function toSummary(row: ModelRow): TClassifierModelSummary {
  const stored = readStored(row);
  return {
    id: row.id,
    target: row.target as ClassifierTarget,
    algorithm: stored?.classifier.algorithm ?? 'naive_bayes',
    trainedAt: row.trained_at.toISOString(),
    trainedBy: row.trained_by,
    trainedByName: row.trained_by_name ?? null,
    sampleCount: row.sample_count,
    holdoutCount: row.holdout_count,
    accuracy: row.accuracy,
    macroF1: stored?.evaluation.macroF1 ?? 0,
    top3Accuracy: stored?.evaluation.top3Accuracy ?? 0,
    labelCount: row.labels.length,
    vocabularySize: stored?.classifier.tokens.length ?? 0,
    trainingMs: stored?.trainingMs ?? 0,
    active: row.active,
  };
}

export type TrainInput = { target: ClassifierTarget; since?: string; algorithm?: ClassifierAlgorithm };

export function createClassifyService(deps: { db: Kysely<DB>; clock: () => Date }) {
  const { db, clock } = deps;
  const cache = new Map<string, CacheEntry>();
  const lazy = new Map<string, Promise<void>>();
  const key = (brandId: string, target: ClassifierTarget) => `${brandId}:${target}`;

  /**
   * Loads the labelled texts, splits, trains on the training part, evaluates on the holdout and
   * stores the model (trained on the training part, so the stored figures are the model's own) as
   * the active one. One transaction, audited.
   */
  async function train(ctx: RequestContext | SystemContext, brandId: string, input: TrainInput): Promise<TClassifierModelDetail> {
    const features = DEFAULT_FEATURES[input.target];
    const since = input.since ? new Date(input.since) : undefined;
    // Read and compute outside the write transaction: on PGlite a transaction holds the only
    // connection, and training takes a second or more on a large history.
    const texts = await loadLabelledTexts(db, brandId, input.target, features, since);
    const labelSet = new Set(texts.map((t) => t.label));
    if (texts.length < MIN_TRAINING_SAMPLES || labelSet.size < 2) {
      throw new AppError('classify.insufficient_data', `Training needs at least ${MIN_TRAINING_SAMPLES} labelled texts in 2 or more labels; found ${texts.length} in ${labelSet.size}`, {
        target: input.target,
        samples: texts.length,
        labels: labelSet.size,
        minSamples: MIN_TRAINING_SAMPLES,
      });
    }
    const started = performance.now();
    const samples = toTrainingSamples(texts, features);
    const { train: trainPart, holdout } = splitHoldout(samples, { holdoutShare: HOLDOUT_SHARE, seed: SPLIT_SEED });
    const classifier = trainTextClassifier(trainPart, { algorithm: input.algorithm ?? 'naive_bayes' });
    const trainingMs = Math.round(performance.now() - started);
    const evaluation = evaluateClassifier(
      classifier.labels,
      holdout.map((s) => ({ actual: s.label, ranked: predictLabels(classifier, s.tokens).map((p) => p.label) })),
      3,
    );
    const stored: StoredModel = {
      classifier,
      features,
      evaluation: { macroF1: evaluation.macroF1, top3Accuracy: evaluation.topKAccuracy, perClass: evaluation.perClass },
      trainingMs,
      since: since?.toISOString() ?? null,
    };
    const trained = await db.transaction().execute(async (trx) => {
      const actorId = 'auth' in ctx ? ctx.auth.userId : null;
      await trx.updateTable('classifier_models').set({ active: false }).where('brand_id', '=', brandId).where('target', '=', input.target).where('active', '=', true).execute();
      const row = await trx
        .insertInto('classifier_models')
        .values({
          brand_id: brandId,
          target: input.target,
          trained_at: clock(),
          trained_by: actorId,
          sample_count: samples.length,
          holdout_count: holdout.length,
          accuracy: evaluation.accuracy,
          labels: evaluation.labels,
          confusion: JSON.stringify({ labels: evaluation.labels, matrix: evaluation.confusion }),
          model: JSON.stringify(stored),
          active: true,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const summary = toSummary({ ...row, trained_by_name: 'auth' in ctx ? ctx.auth.displayName : null });
      await recordAudit(trx, ctx, {
        action: 'classifier.train',
        entityType: 'classifier_model',
        entityId: row.id,
        brandId,
        after: { target: input.target, algorithm: summary.algorithm, sampleCount: summary.sampleCount, holdoutCount: summary.holdoutCount, accuracy: summary.accuracy, macroF1: summary.macroF1, since: stored.since },
      });
      const names = await loadLabelNames(trx, brandId, input.target);
      return { detail: toDetail(row, summary, names), stored };
    });
    // After the commit: this process suggests from the new model at once.
    cache.set(key(brandId, input.target), { modelId: trained.detail.id, stored: trained.stored, checkedAt: Date.now() });
    return trained.detail;
  }

  function toDetail(row: ModelRow, summary: TClassifierModelSummary, names: Map<string, { nameZh: string; nameEn: string }>): TClassifierModelDetail {
    const stored = readStored(row);
    const confusion = row.confusion as unknown as { labels?: string[]; matrix?: number[][] };
    const labels = confusion.labels ?? row.labels;
    return {
      ...summary,
      labels: labels.map((code) => ({ code, name: names.get(code)?.nameZh ?? code, nameEn: names.get(code)?.nameEn ?? code })),
      confusion: confusion.matrix ?? [],
      perClass: (stored?.evaluation.perClass ?? []).map((c) => ({ code: c.label, support: c.support, predicted: c.predicted, precision: c.precision, recall: c.recall, f1: c.f1 })),
    };
  }

  /** The active model of a brand and target, cached per process and re-checked every 30 s. */
  async function activeModel(brandId: string, target: ClassifierTarget): Promise<StoredModel | null> {
    const k = key(brandId, target);
    const cached = cache.get(k);
    if (cached && Date.now() - cached.checkedAt < CACHE_RECHECK_MS) return cached.stored;
    const latest = await db
      .selectFrom('classifier_models')
      .select('id')
      .where('brand_id', '=', brandId)
      .where('target', '=', target)
      .where('active', '=', true)
      .orderBy('trained_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (cached && cached.modelId === (latest?.id ?? null)) {
      cached.checkedAt = Date.now();
      return cached.stored;
    }
    const row = latest ? await db.selectFrom('classifier_models').selectAll().where('id', '=', latest.id).executeTakeFirst() : undefined;
    const stored = row ? readStored(row) : null;
    cache.set(k, { modelId: row?.id ?? null, stored, checkedAt: Date.now(), lazyFailedAt: cached?.lazyFailedAt });
    return stored;
  }

  /**
   * The first suggestion of a brand without a model trains one (no model is trained by the seed,
   * so a fresh demo or test database stays fast to create); concurrent callers share the run and
   * a brand with too little history is not retried for 10 minutes.
   */
  async function ensureModel(brandId: string, target: ClassifierTarget, requestId: string): Promise<StoredModel | null> {
    const existing = await activeModel(brandId, target);
    if (existing) return existing;
    const k = key(brandId, target);
    const failedAt = cache.get(k)?.lazyFailedAt;
    if (failedAt !== undefined && Date.now() - failedAt < LAZY_RETRY_MS) return null;
    let run = lazy.get(k);
    if (!run) {
      run = train({ actorName: 'classifier', requestId, ip: null }, brandId, { target })
        .then(() => undefined)
        .catch((error: unknown) => {
          if (!(error instanceof AppError && error.code === 'classify.insufficient_data')) throw error;
          const entry = cache.get(k) ?? { modelId: null, stored: null, checkedAt: Date.now() };
          cache.set(k, { ...entry, lazyFailedAt: Date.now() });
        })
        .finally(() => lazy.delete(k));
      lazy.set(k, run);
    }
    await run;
    return cache.get(k)?.stored ?? null;
  }

  async function suggestFor(brandId: string, target: ClassifierTarget, text: string, limit: number, requestId: string): Promise<TSuggestion[]> {
    const stored = await ensureModel(brandId, target, requestId);
    if (!stored) return [];
    const names = await loadLabelNames(db, brandId, target);
    const tokens = textFeatures(text, stored.features);
    // Labels retired since training (inactive or deleted) are never suggested.
    return predictLabels(stored.classifier, tokens)
      .filter((p) => names.get(p.label)?.active)
      .slice(0, limit)
      .map((p) => {
        const n = names.get(p.label);
        return { code: p.label, name: n?.nameZh ?? p.label, nameEn: n?.nameEn ?? p.label, probability: Math.round(p.probability * 10_000) / 10_000 };
      });
  }

  return {
    /** Trains one target for a brand outside a request (the demo seed at first start). */
    train,

    async trainModel(ctx: RequestContext, input: TrainInput) {
      return train(ctx, brandOf(ctx.auth), input);
    },

    async listModels(auth: AuthContext, query: { target?: ClassifierTarget; limit: number }) {
      let q = db
        .selectFrom('classifier_models as m')
        .leftJoin('users as u', 'u.id', 'm.trained_by')
        .selectAll('m')
        .select('u.display_name as trained_by_name')
        .where('m.brand_id', 'in', [...auth.brandIds]);
      if (query.target) q = q.where('m.target', '=', query.target);
      const rows = await q.orderBy('m.trained_at', 'desc').limit(query.limit).execute();
      return { items: rows.map(toSummary) };
    },

    async getModel(auth: AuthContext, id: string) {
      const row = await db
        .selectFrom('classifier_models as m')
        .leftJoin('users as u', 'u.id', 'm.trained_by')
        .selectAll('m')
        .select('u.display_name as trained_by_name')
        .where('m.id', '=', id)
        .where('m.brand_id', 'in', [...auth.brandIds])
        .executeTakeFirst();
      if (!row) throw new AppError('resource.not_found', 'Classifier model not found', { entity: 'classifier_model', id });
      return toDetail(row, toSummary(row), await loadLabelNames(db, row.brand_id, row.target as ClassifierTarget));
    },

    /** Suggestions from the active models; either permission of the desk or of order intake is enough. */
    async suggest(ctx: RequestContext, input: { text: string; target?: ClassifierTarget; limit?: number }): Promise<TSuggestResponse> {
      const { permissions } = ctx.auth;
      if (!permissions.has('contact:handle') && !permissions.has('ticket:create')) {
        throw new AppError('auth.forbidden', 'Missing permission contact:handle or ticket:create', { permission: 'contact:handle' });
      }
      const brandId = brandOf(ctx.auth);
      const limit = input.limit ?? 3;
      const wanted = input.target ? [input.target] : CLASSIFIER_TARGETS;
      const result: TSuggestResponse = { reasonCodes: [], categories: [] };
      for (const target of wanted) {
        const items = await suggestFor(brandId, target, input.text, limit, ctx.requestId);
        if (target === 'reason_code') result.reasonCodes = items;
        else result.categories = items;
      }
      return result;
    },
  };
}

export type ClassifyService = ReturnType<typeof createClassifyService>;
