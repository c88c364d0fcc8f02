import { z } from 'zod';
import { ZTimestamp } from './common.ts';

// Standard scripts (标准话术): the reply library agents insert with one keystroke. The situation and
// variable lists mirror packages/domain/src/scripts (the server checks at compile time that they agree).

export const SCRIPT_SITUATION_CODES = [
  'greeting',
  'identity_check',
  'clarifying',
  'waiting',
  'soothing',
  'explaining',
  'refusal',
  'escalation',
  'ticket',
  'closing',
  'abusive_warning',
  'holiday',
  'language_greeting',
  'general',
] as const;
export const ZScriptSituation = z.enum(SCRIPT_SITUATION_CODES);

/** zh-CN and en-US for the two UI languages; `bo` (Tibetan) for the Amdo and Kham language seats. */
export const ZScriptLanguage = z.enum(['zh-CN', 'en-US', 'bo']);

export const SCRIPT_VARIABLE_NAMES = [
  'customer.name',
  'customer.title',
  'customer.salutation',
  'agent.name',
  'agent.workNumber',
  'ticket.number',
  'ticket.status',
  'brand.name',
  'brand.hotline',
  'today',
  'time.greeting',
] as const;

export const ZScript = z.object({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  language: ZScriptLanguage,
  situation: ZScriptSituation,
  tags: z.array(z.string()),
  /** Pinyin initials then full pinyin of the title (问候开场 → "whkc wenhoukaichang"), for the `/` picker. */
  pinyin: z.string(),
  /** Variables the body uses, e.g. ["customer.salutation", "agent.workNumber"]. */
  variables: z.array(z.string()),
  usageCount: z.number().int(),
  position: z.number().int(),
  active: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});

export const ZListScriptsQuery = z.strictObject({
  situation: ZScriptSituation.optional(),
  language: ZScriptLanguage.optional(),
  /** Title and body words (jieba tokens), the shortcut, or pinyin of the title: `whkc`, `wenhou`. */
  q: z.string().trim().max(100).optional(),
  /** Inactive scripts too (needs kb:write). */
  includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(500),
});

const scriptFields = {
  shortcut: z.string().regex(/^[a-z0-9-]{1,30}$/),
  title: z.string().trim().min(1).max(60),
  body: z.string().trim().min(1).max(2000),
  language: ZScriptLanguage,
  situation: ZScriptSituation,
  tags: z.array(z.string().trim().min(1).max(20)).max(10),
  position: z.number().int().min(0).max(1_000_000),
};
export const ZCreateScriptRequest = z.strictObject({
  ...scriptFields,
  language: ZScriptLanguage.default('zh-CN'),
  situation: ZScriptSituation.default('general'),
  tags: scriptFields.tags.default([]),
  position: scriptFields.position.optional(),
});
export const ZUpdateScriptRequest = z.strictObject({
  ...scriptFields,
  active: z.boolean(),
  /** The `updatedAt` the editor loaded: a script changed meanwhile answers 409 scripts.version_conflict. */
  updatedAt: ZTimestamp,
}).partial();

export const ZRenderScriptRequest = z.strictObject({
  customerId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  /** The conversation (or its contact) supplies the customer when customerId is not given. */
  conversationId: z.uuid().optional(),
  /** Count one use (usage_count + 1) with the rendering. */
  use: z.boolean().optional(),
});
export const ZRenderedScript = z.object({
  text: z.string(),
  /** Variables left as `{…}` in the text: unknown names or no value in this context. */
  missing: z.array(z.string()),
});

/** Renders an unsaved body against a sample context (the editor's live preview). */
export const ZPreviewScriptRequest = z.strictObject({ body: z.string().max(2000), language: ZScriptLanguage.default('zh-CN') });
export const ZScriptPreview = ZRenderedScript.extend({ unknown: z.array(z.string()) });

export const ZScriptUsage = z.object({ id: z.string(), usageCount: z.number().int() });

export type TScript = z.infer<typeof ZScript>;
export type TScriptSituation = z.infer<typeof ZScriptSituation>;
export type TScriptLanguage = z.infer<typeof ZScriptLanguage>;
export type TListScriptsQuery = z.infer<typeof ZListScriptsQuery>;
export type TCreateScriptRequest = z.infer<typeof ZCreateScriptRequest>;
export type TUpdateScriptRequest = z.infer<typeof ZUpdateScriptRequest>;
export type TRenderScriptRequest = z.infer<typeof ZRenderScriptRequest>;
export type TRenderedScript = z.infer<typeof ZRenderedScript>;
export type TScriptPreview = z.infer<typeof ZScriptPreview>;
