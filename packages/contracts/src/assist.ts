import { z } from 'zod';

// Agent assist (坐席辅助): articles and scripts suggested from the conversation so far.

export const ZAssistArticle = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  highlight: z.string().nullable(),
  audience: z.enum(['public', 'internal']).nullable(),
  score: z.number(),
});
export const ZAssistScript = z.object({ id: z.string(), title: z.string(), highlight: z.string().nullable(), score: z.number() });

export const ZAssistSuggestions = z.object({
  /** The texts searched, newest customer message first; empty when the customer has said nothing topical yet. */
  queries: z.array(z.string()),
  /** The newest message seq the suggestions reflect, so clients refetch when more arrive. */
  basedOnSeq: z.number().int(),
  articles: z.array(ZAssistArticle),
  scripts: z.array(ZAssistScript),
});
export type TAssistSuggestions = z.infer<typeof ZAssistSuggestions>;
