import { z } from 'zod';
import { ZTimestamp } from './common.ts';

// Knowledge base (知识库): articles, categories, versions, review workflow, attachments, usage.
// `POST /api/v1/kb/articles` is a contract outside tooling relies on (issue 6): keep it stable.

export const ZKbAudience = z.enum(['public', 'internal']);
export const ZKbStatus = z.enum(['draft', 'review', 'published', 'archived']);
export const ZKbLanguage = z.enum(['zh-CN', 'en-US']);
export const ZKbAction = z.enum(['submit', 'approve', 'reject', 'publish', 'archive', 'restore']);
export const ZKbValidity = z.enum(['scheduled', 'current', 'expired']);
export type TKbAction = z.infer<typeof ZKbAction>;

const ZTag = z.string().trim().min(1).max(40);
const ZInstant = z.iso.datetime({ offset: true });

export const ZKbArticleSummary = z.object({
  id: z.string(),
  categoryId: z.string().nullable(),
  language: ZKbLanguage,
  title: z.string(),
  summary: z.string(),
  audience: ZKbAudience,
  status: ZKbStatus,
  tags: z.array(z.string()),
  validFrom: ZTimestamp.nullable(),
  validTo: ZTimestamp.nullable(),
  /** Whether the article is in force now (validFrom ≤ now < validTo). */
  validity: ZKbValidity,
  version: z.number(),
  views: z.number(),
  usedInReply: z.number(),
  helpfulYes: z.number(),
  helpfulNo: z.number(),
  botAnswers: z.number(),
  botResolutions: z.number(),
  publishedAt: ZTimestamp.nullable(),
  updatedAt: ZTimestamp,
});
export type TKbArticleSummary = z.infer<typeof ZKbArticleSummary>;

export const ZKbArticle = ZKbArticleSummary.extend({
  body: z.string(),
  relatedIds: z.array(z.string()),
  related: z.array(z.object({ id: z.string(), title: z.string(), status: ZKbStatus })),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: ZTimestamp,
  /** Workflow actions the caller may take now (buttons). */
  actions: z.array(ZKbAction),
});
export type TKbArticle = z.infer<typeof ZKbArticle>;

const articleFields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().max(200_000),
  audience: ZKbAudience,
  categoryId: z.uuid().nullable().optional(),
  tags: z.array(ZTag).max(20).optional(),
  summary: z.string().trim().max(300).optional(),
  language: ZKbLanguage.optional(),
  validFrom: ZInstant.nullable().optional(),
  validTo: ZInstant.nullable().optional(),
  relatedIds: z.array(z.uuid()).max(20).optional(),
};

export const ZCreateKbArticleRequest = z.strictObject({
  ...articleFields,
  /** Publishing directly needs kb:publish. */
  status: z.enum(['draft', 'published']).default('draft'),
});
export type TCreateKbArticleRequest = z.input<typeof ZCreateKbArticleRequest>;

export const ZUpdateKbArticleRequest = z.strictObject({
  /** The version the editor loaded; a different current version answers 409 kb.version_conflict. */
  version: z.number().int().min(1),
  title: articleFields.title.optional(),
  body: articleFields.body.optional(),
  audience: ZKbAudience.optional(),
  categoryId: articleFields.categoryId,
  tags: articleFields.tags,
  summary: articleFields.summary,
  language: articleFields.language,
  validFrom: articleFields.validFrom,
  validTo: articleFields.validTo,
  relatedIds: articleFields.relatedIds,
  /** Change note stored with the new version. */
  note: z.string().trim().max(500).optional(),
});
export type TUpdateKbArticleRequest = z.infer<typeof ZUpdateKbArticleRequest>;

export const ZKbArticleListQuery = z.strictObject({
  status: ZKbStatus.optional(),
  audience: ZKbAudience.optional(),
  categoryId: z.uuid().optional(),
  tag: z.string().max(40).optional(),
  language: ZKbLanguage.optional(),
  /** Title contains (case-insensitive); full search is GET /kb/search. */
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZKbArticleGetQuery = z.strictObject({
  /** 1 counts a view (reading, not editing). */
  view: z.enum(['0', '1']).optional(),
});

export const ZKbTransitionRequest = z.strictObject({
  action: ZKbAction,
  /** Required for reject; stored in the review trail. */
  note: z.string().trim().max(1000).optional(),
});

export const ZKbVersion = z.object({
  version: z.number(),
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  categoryId: z.string().nullable(),
  audience: ZKbAudience,
  language: ZKbLanguage,
  validFrom: ZTimestamp.nullable(),
  validTo: ZTimestamp.nullable(),
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: ZTimestamp,
  /** Fields changed against the previous version. */
  changed: z.array(z.string()),
});
export type TKbVersion = z.infer<typeof ZKbVersion>;

export const ZKbDiffPart = z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() });
export const ZKbDiff = z.object({
  from: z.number(),
  to: z.number(),
  changed: z.array(z.string()),
  /** Line diff of title, summary and tags (one line each) followed by the body. */
  parts: z.array(ZKbDiffPart),
  added: z.number(),
  removed: z.number(),
});
export type TKbDiff = z.infer<typeof ZKbDiff>;
export const ZKbDiffParams = z.strictObject({ id: z.uuid(), v: z.coerce.number().int().min(1) });
export const ZKbDiffQuery = z.strictObject({ against: z.coerce.number().int().min(1).optional() });

export const ZKbRollbackRequest = z.strictObject({ version: z.number().int().min(1), note: z.string().trim().max(500).optional() });

export const ZKbEvent = z.object({
  id: z.number(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  version: z.number().nullable(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: ZTimestamp,
});

export const ZKbFeedbackRequest = z.strictObject({ helpful: z.boolean() });
export const ZKbFeedbackResult = z.object({ helpfulYes: z.number(), helpfulNo: z.number() });
export const ZKbUsageRequest = z.strictObject({ kind: z.enum(['used_in_reply', 'view']), channel: z.string().trim().min(1).max(40).optional() });

export const ZKbStatsQuery = z.strictObject({
  from: ZInstant.optional(),
  to: ZInstant.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
const ZKbStatsRow = z.object({ id: z.string(), title: z.string(), count: z.number() });
export const ZKbStats = z.object({
  from: ZTimestamp,
  to: ZTimestamp,
  totals: z.object({ views: z.number(), usedInReply: z.number(), helpful: z.number(), unhelpful: z.number(), botAnswers: z.number(), botResolutions: z.number() }),
  topViewed: z.array(ZKbStatsRow),
  topUsed: z.array(ZKbStatsRow),
  topBotResolved: z.array(ZKbStatsRow),
  helpful: z.array(z.object({ id: z.string(), title: z.string(), yes: z.number(), no: z.number(), ratio: z.number() })),
});
export type TKbStats = z.infer<typeof ZKbStats>;

export const ZKbCategory = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  position: z.number(),
  articleCount: z.number(),
});
export type TKbCategory = z.infer<typeof ZKbCategory>;
const ZCategoryCode = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60);
export const ZCreateKbCategoryRequest = z.strictObject({
  code: ZCategoryCode,
  nameZh: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().min(1).max(80),
  parentId: z.uuid().nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const ZUpdateKbCategoryRequest = z.strictObject({
  nameZh: z.string().trim().min(1).max(80).optional(),
  nameEn: z.string().trim().min(1).max(80).optional(),
  parentId: z.uuid().nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const ZKbAttachment = z.object({
  id: z.string(),
  articleId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  /** Path to link from the article body (markdown image or link). */
  url: z.string(),
  createdAt: ZTimestamp,
});
export type TKbAttachment = z.infer<typeof ZKbAttachment>;
