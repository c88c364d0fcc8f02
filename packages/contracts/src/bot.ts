import { z } from 'zod';

// The self-service bot (智能助手): what a bot message carries for the widget (quick replies,
// the article link, feedback buttons), the unanswered-questions list, turns and stats.
// Kept free of other contract files: contacts.ts imports ZBotMessageMeta from here.

export const ZBotTurnKind = z.enum(['answer', 'clarify', 'fallback', 'flow', 'handoff', 'greeting']);
export const ZBotOutcome = z.enum(['pending', 'resolved', 'handed_off', 'abandoned', 'continued']);
export const ZBotHandoffReason = z.enum(['customer_asked', 'low_confidence_repeated', 'repeated_question', 'negative_sentiment', 'flow_needs_person', 'bot_error']);

/** Extra data on a message sent by the bot (message.bot); null on other messages. */
export const ZBotMessageMeta = z.object({
  kind: ZBotTurnKind,
  /** Quick-reply buttons: tapping one sends its text as the customer's message. */
  options: z.array(z.string()),
  articleId: z.string().nullable(),
  /** Help-center page of the article (relative to the server). */
  articleUrl: z.string().nullable(),
  /** Show 有帮助 / 没帮助 under the message. */
  askFeedback: z.boolean(),
});
export type TBotMessageMeta = z.infer<typeof ZBotMessageMeta>;

export const ZBotUnansweredStatus = z.enum(['open', 'answered', 'ignored']);

export const ZBotUnanswered = z.object({
  id: z.string(),
  normalized: z.string(),
  sample: z.string(),
  askCount: z.number(),
  firstAskedAt: z.string(),
  lastAskedAt: z.string(),
  status: ZBotUnansweredStatus,
  articleId: z.string().nullable(),
  articleTitle: z.string().nullable(),
});
export type TBotUnanswered = z.infer<typeof ZBotUnanswered>;

export const ZBotUnansweredQuery = z.strictObject({
  status: ZBotUnansweredStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZBotUnansweredPatch = z
  .strictObject({ status: ZBotUnansweredStatus, articleId: z.uuid().optional() })
  .refine((v) => v.status !== 'answered' || v.articleId !== undefined, { message: 'Marking a question answered needs the article that answers it', path: ['articleId'] });
export type TBotUnansweredPatch = z.infer<typeof ZBotUnansweredPatch>;

export const ZBotTurn = z.object({
  id: z.number(),
  conversationId: z.string().nullable(),
  contactId: z.string().nullable(),
  question: z.string(),
  kind: ZBotTurnKind,
  articleId: z.string().nullable(),
  articleTitle: z.string().nullable(),
  candidateIds: z.array(z.string()),
  confidence: z.number(),
  outcome: ZBotOutcome,
  handoffReason: z.string().nullable(),
  createdAt: z.string(),
});
export type TBotTurn = z.infer<typeof ZBotTurn>;

export const ZBotTurnsQuery = z.strictObject({
  conversationId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ZBotStatsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const ZBotStats = z.object({
  conversations: z.number(),
  turns: z.number(),
  answered: z.number(),
  resolved: z.number(),
  handedOff: z.number(),
  handedOffByReason: z.record(z.string(), z.number()),
  abandoned: z.number(),
  fallbacks: z.number(),
  /** Mean confidence of the answers, 0…1 (null without answers). */
  averageConfidence: z.number().nullable(),
  openUnanswered: z.number(),
});
export type TBotStats = z.infer<typeof ZBotStats>;

/** A channel's bot settings (channels.config.bot); thresholds override the engine defaults. */
export const ZBotChannelSettings = z.strictObject({
  enabled: z.boolean(),
  answerThreshold: z.number().min(0).max(1).optional(),
  minStrength: z.number().min(0).max(1).optional(),
  clarifyGap: z.number().min(0).max(1).optional(),
  repeatOverlap: z.number().min(0).max(1).optional(),
  maxFallbacks: z.number().int().min(1).max(10).optional(),
});
export type TBotChannelSettings = z.infer<typeof ZBotChannelSettings>;

export const ZBotChannel = z.object({ channelId: z.string(), name: z.string(), type: z.string(), settings: ZBotChannelSettings });
export type TBotChannel = z.infer<typeof ZBotChannel>;
