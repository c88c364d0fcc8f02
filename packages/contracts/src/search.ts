import { z } from 'zod';
import { ZTimestamp } from './common.ts';

// Search (知识搜索): one Chinese-aware search over knowledge articles, scripts (话术) and resolved
// work orders, and the synonym dictionary it expands queries with.
// `GET /api/v1/kb/search` is a contract outside tooling relies on (issue 6): keep it stable.

export const ZSearchKind = z.enum(['article', 'script', 'ticket']);
export type TSearchKind = z.infer<typeof ZSearchKind>;

const ZQ = z.string().trim().min(1).max(200);
const ZLimit = z.coerce.number().int().min(1).max(50).default(10);
const ZLanguage = z.enum(['zh-CN', 'en-US']);

/** One result; `highlight` (the title) and `snippet` (the body around the first hit) are HTML-escaped with <mark>…</mark>. */
export const ZSearchHit = z.object({
  kind: ZSearchKind,
  id: z.string(),
  title: z.string(),
  score: z.number(),
  highlight: z.string().optional(),
  snippet: z.string().optional(),
  summary: z.string().optional(),
  number: z.string().optional(),
  categoryId: z.string().nullable().optional(),
  audience: z.enum(['public', 'internal']).optional(),
});
export type TSearchHit = z.infer<typeof ZSearchHit>;

/** GET /api/v1/kb/search: published articles in force, best first. */
export const ZKbSearchQuery = z.strictObject({
  q: ZQ,
  /** public: public articles only (default); internal: public and internal. */
  audience: z.enum(['public', 'internal']).default('public'),
  limit: ZLimit,
  categoryId: z.uuid().optional(),
  tag: z.string().trim().min(1).max(40).optional(),
  language: ZLanguage.optional(),
});
export type TKbSearchQuery = z.infer<typeof ZKbSearchQuery>;

export const ZKbSearchHit = ZSearchHit.omit({ kind: true, number: true });
export const ZKbSearchResponse = z.object({ items: z.array(ZKbSearchHit) });
export type TKbSearchResponse = z.infer<typeof ZKbSearchResponse>;

/** GET /api/v1/search: `kinds` is a comma-separated list (default article,script,ticket). */
export const ZUnifiedSearchQuery = z.strictObject({
  q: ZQ,
  kinds: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const parts = [...new Set(s.split(',').map((p) => p.trim()).filter(Boolean))];
      const bad = parts.filter((p) => !ZSearchKind.safeParse(p).success);
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `Unknown kinds: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return parts as TSearchKind[];
    }),
  audience: z.enum(['public', 'internal']).default('internal'),
  limit: ZLimit,
  categoryId: z.uuid().optional(),
  tag: z.string().trim().min(1).max(40).optional(),
  language: ZLanguage.optional(),
});
export type TUnifiedSearchQuery = z.infer<typeof ZUnifiedSearchQuery>;

export const ZSearchResponse = z.object({ items: z.array(ZSearchHit) });
export type TSearchResponse = z.infer<typeof ZSearchResponse>;

export const ZSynonymGroup = z.object({ id: z.string(), terms: z.array(z.string()), createdAt: ZTimestamp });
export type TSynonymGroup = z.infer<typeof ZSynonymGroup>;

/** 2–20 distinct terms (case-insensitive), each 1–20 characters. */
export const ZCreateSynonymGroupRequest = z.strictObject({
  terms: z
    .array(z.string().trim().min(1).max(20))
    .min(2)
    .max(20)
    .refine((terms) => new Set(terms.map((t) => t.toLowerCase())).size === terms.length, { message: 'Terms must be distinct' }),
});
export type TCreateSynonymGroupRequest = z.infer<typeof ZCreateSynonymGroupRequest>;
