import type { DB } from '@kefu/db';
import { type FeatureOptions, type TrainingSample, toFeatures } from '@kefu/domain';
import { type Kysely, sql, type Transaction } from 'kysely';
import { tokenize } from '../../platform/text-search.ts';

export type ClassifierTarget = 'reason_code' | 'ticket_category';
export const CLASSIFIER_TARGETS: readonly ClassifierTarget[] = ['reason_code', 'ticket_category'];

type Executor = Kysely<DB> | Transaction<DB>;

/** What the training texts are and how they become features; stored with the model. */
export type FeatureSettings = FeatureOptions & {
  /** reason_code: also learn from the linked work orders' title + description (the call's written record). */
  withLinkedOrders?: boolean;
};

// Measured in bench/classify.ts on the hand-written realistic set (84 texts, so ±5 points is
// noise): with single characters kept, dropping stopwords gains 6–13 points; dropping single
// characters too gains ~2 more (same holdout). The linked orders' text lifts reason accuracy from
// ~13% to ~50%. Numbers always go.
export const DEFAULT_FEATURES: Readonly<Record<ClassifierTarget, FeatureSettings>> = {
  reason_code: { minTokenLength: 2, dropStopwords: true, withLinkedOrders: true },
  ticket_category: { minTokenLength: 2, dropStopwords: true },
};

/** The most recent labelled records a model learns from (bounds training time and memory). */
export const MAX_TRAINING_SAMPLES = 50_000;

export type LabelledText = { id: string; label: string; text: string };

/** The text features of a free text, the same way training texts are prepared. */
export function textFeatures(text: string, settings: FeatureOptions): string[] {
  return toFeatures(tokenize(text), settings);
}

/**
 * Wrap-up reasons with what the customer said: the customer's (non-internal) text messages of
 * the contact's conversation, the wrap-up note and, when asked, the linked work orders' title and
 * description. Contacts without any text are skipped.
 */
export async function loadReasonTexts(ex: Executor, brandId: string, options: { since?: Date; withLinkedOrders?: boolean } = {}): Promise<LabelledText[]> {
  let q = ex
    .selectFrom('contacts as c')
    .select((eb) => [
      'c.id',
      'c.reason_code',
      'c.note',
      eb
        .selectFrom('messages as m')
        .select(sql<string>`string_agg(m.body, ' ' order by m.seq)`.as('t'))
        .whereRef('m.conversation_id', '=', 'c.conversation_id')
        .where('m.sender_type', '=', 'customer')
        .where('m.internal', '=', false)
        .where('m.kind', '=', 'text')
        .as('said'),
      options.withLinkedOrders
        ? eb
            .selectFrom('contact_tickets as ct')
            .innerJoin('tickets as t', 't.id', 'ct.ticket_id')
            .select(sql<string>`string_agg(coalesce(t.title, '') || ' ' || t.description, ' ')`.as('o'))
            .whereRef('ct.contact_id', '=', 'c.id')
            .as('orders')
        : sql<string | null>`null`.as('orders'),
    ])
    .where('c.brand_id', '=', brandId)
    .where('c.reason_code', 'is not', null);
  if (options.since) q = q.where('c.created_at', '>=', options.since);
  const rows = await q.orderBy('c.created_at', 'desc').limit(MAX_TRAINING_SAMPLES).execute();
  return rows.flatMap((r) => {
    const text = [r.said, r.note, r.orders].filter(Boolean).join(' ').trim();
    return text && r.reason_code ? [{ id: r.id, label: r.reason_code, text }] : [];
  });
}

/** Work orders with their category (a leaf, as orders are filed): title + description. */
export async function loadCategoryTexts(ex: Executor, brandId: string, options: { since?: Date } = {}): Promise<LabelledText[]> {
  let q = ex.selectFrom('tickets').select(['id', 'category_code', 'title', 'description']).where('brand_id', '=', brandId).where('merged_into_id', 'is', null);
  if (options.since) q = q.where('created_at', '>=', options.since);
  const rows = await q.orderBy('created_at', 'desc').limit(MAX_TRAINING_SAMPLES).execute();
  return rows.map((r) => ({ id: r.id, label: r.category_code, text: `${r.title ?? ''} ${r.description}`.trim() }));
}

export async function loadLabelledTexts(ex: Executor, brandId: string, target: ClassifierTarget, settings: FeatureSettings, since?: Date): Promise<LabelledText[]> {
  switch (target) {
    case 'reason_code':
      return loadReasonTexts(ex, brandId, { since, withLinkedOrders: settings.withLinkedOrders });
    case 'ticket_category':
      return loadCategoryTexts(ex, brandId, { since });
  }
}

export function toTrainingSamples(texts: readonly LabelledText[], settings: FeatureOptions): TrainingSample[] {
  return texts.map((t) => ({ id: t.id, label: t.label, tokens: textFeatures(t.text, settings) }));
}

/** Display names of the labels: reason codes or ticket categories of the brand. */
export async function loadLabelNames(ex: Executor, brandId: string, target: ClassifierTarget): Promise<Map<string, { nameZh: string; nameEn: string; active: boolean }>> {
  const rows =
    target === 'reason_code'
      ? await ex.selectFrom('reason_codes').select(['code', 'name_zh', 'name_en', 'active']).where('brand_id', '=', brandId).execute()
      : await ex.selectFrom('ticket_categories').select(['code', 'name_zh', 'name_en', 'active']).where('brand_id', '=', brandId).execute();
  return new Map(rows.map((r) => [r.code, { nameZh: r.name_zh, nameEn: r.name_en, active: r.active }]));
}
