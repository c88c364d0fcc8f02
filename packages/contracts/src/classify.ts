import { z } from 'zod';
import { ZTimestamp } from './common.ts';

// The contact-reason and work-order-category classifier: models trained from the labelled history
// (wrap-up reasons, order categories), their evaluation on a held-back slice, and suggestions.

/** reason_code: the wrap-up reason of a contact; ticket_category: the (leaf) category of a work order. */
export const ZClassifierTarget = z.enum(['reason_code', 'ticket_category']);
export type TClassifierTarget = z.infer<typeof ZClassifierTarget>;

export const ZClassifierAlgorithm = z.enum(['naive_bayes', 'logistic_regression']);

export const ZTrainClassifierRequest = z.strictObject({
  target: ZClassifierTarget,
  /** Learn only from records created since then (default: the whole history, newest 50,000). */
  since: z.iso.datetime({ offset: true }).optional(),
  /** Default naive_bayes (measured best on the hand-written check set, see bench/classify). */
  algorithm: ZClassifierAlgorithm.optional(),
});
export type TTrainClassifierRequest = z.infer<typeof ZTrainClassifierRequest>;

export const ZClassifierLabel = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });

export const ZClassifierModelSummary = z.object({
  id: z.string(),
  target: ZClassifierTarget,
  algorithm: ZClassifierAlgorithm,
  trainedAt: ZTimestamp,
  trainedBy: z.string().nullable(),
  trainedByName: z.string().nullable(),
  /** Labelled texts used: training + holdout. */
  sampleCount: z.number().int(),
  holdoutCount: z.number().int(),
  /** On the holdout, 0..1. */
  accuracy: z.number(),
  macroF1: z.number(),
  top3Accuracy: z.number(),
  labelCount: z.number().int(),
  vocabularySize: z.number().int(),
  trainingMs: z.number(),
  active: z.boolean(),
});
export type TClassifierModelSummary = z.infer<typeof ZClassifierModelSummary>;

export const ZClassifierClassFigures = z.object({ code: z.string(), support: z.number().int(), predicted: z.number().int(), precision: z.number(), recall: z.number(), f1: z.number() });

export const ZClassifierModelDetail = ZClassifierModelSummary.extend({
  /** Rows and columns of the confusion matrix, in this order. */
  labels: z.array(ZClassifierLabel),
  /** confusion[actual][predicted] counts over the holdout. */
  confusion: z.array(z.array(z.number().int())),
  perClass: z.array(ZClassifierClassFigures),
});
export type TClassifierModelDetail = z.infer<typeof ZClassifierModelDetail>;

export const ZClassifierModelsQuery = z.strictObject({ target: ZClassifierTarget.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });

export const ZSuggestRequest = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  /** Default: both. */
  target: ZClassifierTarget.optional(),
  /** Suggestions per target (default 3). */
  limit: z.number().int().min(1).max(10).optional(),
});
export type TSuggestRequest = z.infer<typeof ZSuggestRequest>;

export const ZSuggestion = z.object({ code: z.string(), name: z.string(), nameEn: z.string(), probability: z.number() });
export type TSuggestion = z.infer<typeof ZSuggestion>;

/** Best first; empty when no model is trained (or the brand has too little labelled history). */
export const ZSuggestResponse = z.object({ reasonCodes: z.array(ZSuggestion), categories: z.array(ZSuggestion) });
export type TSuggestResponse = z.infer<typeof ZSuggestResponse>;
