import { assertNever } from '../tickets/assert-never.ts';
import { type BotFlowContext, type BotFlowEffect, type BotFlowState, type BotFlowStep, continueFlow, startFlow } from './flows.ts';
import { type BotFlowName, detectFeedback, detectFlow, isCancel, isGreeting, isHumanRequest, pickOption } from './intents.ts';
import { scoreSentiment } from './sentiment.ts';
import { type BotLanguage, detectLanguage, normalizeQuestion, questionTokens, tokenOverlap } from './text.ts';
import { botText } from './texts.ts';

// The self-service bot's decision for one customer message (智能助手决策): pure and deterministic.
// Inputs: the message, the retrieval hits over public articles (best first), the conversation's
// bot state and the settings. Output: what to say, the quick-reply options, the next state, and
// what the server records (turn kind, confidence, unanswered question, handoff reason, effects).

/** One retrieval hit: a public, valid, published article. */
export type BotHit = { id: string; title: string; summary: string; score: number };

export type BotCandidate = { id: string; title: string; summary: string };

/** Kept in conversations.bot_state while the bot holds the conversation (JSON-safe). */
export type BotState = {
  language: BotLanguage;
  /** The customer's questions so far, oldest first (at most 20). */
  questions: string[];
  /** Fallbacks in a row ("没听懂"); reset by any answer. */
  consecutiveFallbacks: number;
  /** Options of the clarifying question just asked. */
  pending: { candidates: BotCandidate[] } | null;
  flow: BotFlowState | null;
  /** The last article answer, for feedback and repeat detection. */
  lastAnswer: { articleId: string; question: string } | null;
};

export type BotSettings = {
  /** Answer when the calibrated confidence reaches this. */
  answerThreshold: number;
  /** Below this strength of the top hit the bot does not understand (fallback). */
  minStrength: number;
  /** Relative gap (s1 − s2) / s1 under which two close candidates make a clarifying question. */
  clarifyGap: number;
  /** The adjusted score at which strength is 0.5 (see computeConfidence). */
  scoreHalf: number;
  /** Weight of the question's bigram coverage by the article title, added to the search score. */
  titleWeight: number;
  /** Token overlap (Jaccard) from which a question repeats the answered one. */
  repeatOverlap: number;
  /** Fallbacks in a row that hand off. */
  maxFallbacks: number;
  negativeThreshold: number;
};

export const DEFAULT_BOT_SETTINGS: BotSettings = {
  answerThreshold: 0.35,
  minStrength: 0.42,
  clarifyGap: 0.15,
  scoreHalf: 1.5,
  titleWeight: 1.2,
  repeatOverlap: 0.65,
  maxFallbacks: 2,
  negativeThreshold: 3,
};

export const HANDOFF_REASONS = ['customer_asked', 'low_confidence_repeated', 'repeated_question', 'negative_sentiment', 'flow_needs_person', 'bot_error'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** bot_turns.kind */
export type BotTurnKind = 'answer' | 'clarify' | 'fallback' | 'flow' | 'handoff' | 'greeting';

export type BotDecision =
  | { kind: 'answer'; articleId: string; title: string; confidence: number; candidateIds: string[]; chosen: boolean }
  | { kind: 'clarify'; candidates: BotCandidate[]; confidence: number }
  | { kind: 'flow'; flow: BotFlowName; effect?: BotFlowEffect; done: boolean }
  | { kind: 'fallback'; confidence: number; suggestions: BotCandidate[]; normalized: string }
  | { kind: 'handoff'; reason: HandoffReason; confidence: number; detail: string | null; normalized: string | null }
  | { kind: 'feedback'; helpful: boolean; articleId: string | null }
  | { kind: 'greeting' };

export type BotTurnResult = {
  decision: BotDecision;
  /** The bot's message ('' when the server writes it, e.g. after creating the repair order). */
  reply: string;
  /** Quick-reply buttons; tapping one sends its text. */
  options: string[];
  /** Ask "有帮助 / 没帮助" under an answer. */
  askFeedback: boolean;
  articleId: string | null;
  language: BotLanguage;
  state: BotState;
};

export function initialBotState(language: BotLanguage): BotState {
  return { language, questions: [], consecutiveFallbacks: 0, pending: null, flow: null, lastAnswer: null };
}

/**
 * Confidence of the top hit, 0…1, from the (adjusted, see rerankHits) scores of the first two hits:
 *   strength = s1 / (s1 + scoreHalf)           (saturates: scoreHalf scores 0.5, 3×scoreHalf 0.75)
 *   gap      = (s1 − s2) / s1, or 1 with a single hit
 *   confidence = strength × (0.6 + 0.4 × gap)
 * A strong hit far ahead of the next one is near `strength`; two equal hits take 60 % of it.
 * Calibrated on the demo KB (search scores ≈ 0.7 weak … 2.7 strong, bench/search-quality).
 */
export function computeConfidence(hits: readonly { score: number }[], settings: Pick<BotSettings, 'scoreHalf'> = DEFAULT_BOT_SETTINGS): { confidence: number; strength: number; gap: number } {
  const s1 = Math.max(0, hits[0]?.score ?? 0);
  if (s1 <= 0) return { confidence: 0, strength: 0, gap: 0 };
  const s2 = Math.max(0, Math.min(s1, hits[1]?.score ?? 0));
  const strength = s1 / (s1 + settings.scoreHalf);
  const gap = hits.length > 1 ? (s1 - s2) / s1 : 1;
  return { confidence: round(strength * (0.6 + 0.4 * gap)), strength: round(strength), gap: round(gap) };
}

/**
 * Re-ranks retrieval hits for the bot: score' = score + titleWeight × (share of the question's
 * tokens found in the title). Search ties many articles on a common word (停电); the title that
 * says what the customer said wins.
 */
export function rerankHits(question: string, hits: readonly BotHit[], titleWeight = DEFAULT_BOT_SETTINGS.titleWeight): BotHit[] {
  const q = questionTokens(question);
  return hits
    .map((h, i) => {
      const title = new Set(questionTokens(h.title));
      const covered = q.length ? q.filter((t) => title.has(t)).length / q.length : 0;
      return { hit: { ...h, score: round(h.score + titleWeight * covered) }, i };
    })
    .sort((a, b) => b.hit.score - a.hit.score || a.i - b.i)
    .map((x) => x.hit);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export type BotTurnInput = {
  text: string;
  hits: readonly BotHit[];
  state: BotState | null;
  settings?: BotSettings;
  context: BotFlowContext;
  /** The help center's base path for links, e.g. "/help/<channelId>" (answer link: …/articles/<id>). */
  helpCenterPath: string;
  /** The visitor's language when the message has no letters (digits, emoji). */
  languageHint?: BotLanguage;
};

const toCandidate = (h: BotHit): BotCandidate => ({ id: h.id, title: h.title, summary: h.summary });

/** Decides the bot's reply to one customer message. */
export function decideBotTurn(input: BotTurnInput): BotTurnResult {
  const settings = input.settings ?? DEFAULT_BOT_SETTINGS;
  const prev = input.state ?? initialBotState(input.languageHint ?? detectLanguage(input.text));
  const text = input.text.trim();
  const lang = detectLanguage(text, prev.language);
  const questions = [...prev.questions, text].slice(-20);
  const base: BotState = { ...prev, language: lang, questions };

  const result = (decision: BotDecision, reply: string, state: BotState, extra: Partial<Pick<BotTurnResult, 'options' | 'askFeedback' | 'articleId'>> = {}): BotTurnResult => ({
    decision,
    reply,
    options: extra.options ?? [],
    askFeedback: extra.askFeedback ?? false,
    articleId: extra.articleId ?? null,
    language: lang,
    state,
  });
  const handoff = (reason: HandoffReason, detail: string | null = null, confidence = 0, normalized: string | null = null) =>
    result({ kind: 'handoff', reason, confidence, detail, normalized }, botText(`handoff.${reason}`, lang), { ...base, pending: null, flow: null });
  const answer = (hit: BotCandidate, confidence: number, candidateIds: string[], chosen: boolean) => {
    const url = `${input.helpCenterPath}/articles/${hit.id}`;
    const reply = `${hit.summary || hit.title}\n${botText('answerLink', lang, { url })}`;
    return result({ kind: 'answer', articleId: hit.id, title: hit.title, confidence, candidateIds, chosen }, reply, { ...base, pending: null, flow: null, consecutiveFallbacks: 0, lastAnswer: { articleId: hit.id, question: chosen ? (prev.lastAnswer?.question ?? text) : text } }, {
      askFeedback: true,
      articleId: hit.id,
    });
  };

  // 1. A person, at any time.
  if (isHumanRequest(text)) return handoff('customer_asked');
  // 2. Anger goes to a person before anything else.
  const mood = scoreSentiment(text, settings.negativeThreshold);
  if (mood.negative) return handoff('negative_sentiment', mood.hits.join(','));

  // 3. A running flow takes the message (unless the customer cancels).
  if (prev.flow) {
    if (isCancel(text)) return result({ kind: 'flow', flow: prev.flow.flow, done: true }, botText('flow.cancelled', lang), { ...base, flow: null });
    return flowResult(prev.flow.flow, continueFlow(prev.flow, text, input.context, lang));
  }

  // 4. An answer to the clarifying question.
  if (prev.pending) {
    const picked = pickOption(text, prev.pending.candidates.map((c) => c.title));
    const chosen = picked === null ? undefined : prev.pending.candidates[picked];
    if (chosen) return answer(chosen, 1, prev.pending.candidates.map((c) => c.id), true);
  }

  // 5. Feedback on the last answer.
  const feedback = detectFeedback(text);
  if (feedback === 'helpful') {
    return result({ kind: 'feedback', helpful: true, articleId: prev.lastAnswer?.articleId ?? null }, botText('thanks', lang), { ...base, pending: null, consecutiveFallbacks: 0 });
  }
  if (feedback === 'unhelpful' && prev.lastAnswer) {
    return result({ kind: 'feedback', helpful: false, articleId: prev.lastAnswer.articleId }, botText('sorry', lang), { ...base, pending: null, lastAnswer: null }, { options: [botText('option.human', lang)] });
  }
  if (isGreeting(text)) {
    return result({ kind: 'greeting' }, botText('greeting', lang), { ...base, pending: null }, { options: botMenu(lang) });
  }

  // 6. A self-service flow.
  const flow = detectFlow(text);
  if (flow) return flowResult(flow, startFlow(flow, input.context, lang));

  // 7. The same question again after an answer: the answer did not help.
  if (prev.lastAnswer && tokenOverlap(text, prev.lastAnswer.question) >= settings.repeatOverlap) {
    return handoff('repeated_question', prev.lastAnswer.articleId);
  }

  // 8. Retrieval.
  const hits = rerankHits(text, input.hits.filter((h) => h.score > 0), settings.titleWeight);
  const { confidence, strength, gap } = computeConfidence(hits, settings);
  const normalized = normalizeQuestion(text);
  const top = hits[0];
  if (top && strength >= settings.minStrength) {
    const close = hits.filter((h) => h.score >= top.score * (1 - settings.clarifyGap)).slice(0, 3);
    if (gap < settings.clarifyGap && close.length >= 2) {
      const candidates = close.map(toCandidate);
      const list = candidates.map((c, i) => `${i + 1}. ${c.title}`).join(lang === 'zh-CN' ? '；' : '; ');
      return result({ kind: 'clarify', candidates, confidence }, `${botText('clarify', lang, { options: list })}\n${botText('clarifyHint', lang)}`, { ...base, pending: { candidates }, flow: null }, {
        options: candidates.map((c) => c.title),
      });
    }
    if (confidence >= settings.answerThreshold) return answer(toCandidate(top), confidence, hits.slice(0, 3).map((h) => h.id), false);
  }

  // 9. Not understood: a fallback, or a person after too many in a row.
  const fallbacks = prev.consecutiveFallbacks + 1;
  if (fallbacks >= settings.maxFallbacks) return handoff('low_confidence_repeated', null, confidence, normalized);
  const suggestions = hits.slice(0, 3).map(toCandidate);
  const reply = suggestions.length
    ? `${botText('fallback', lang)}\n${botText('fallbackSuggest', lang, { options: suggestions.map((s, i) => `${i + 1}. ${s.title}`).join(lang === 'zh-CN' ? '；' : '; ') })}`
    : botText('fallback', lang);
  return result({ kind: 'fallback', confidence, suggestions, normalized }, reply, { ...base, consecutiveFallbacks: fallbacks, pending: suggestions.length ? { candidates: suggestions } : null, flow: null }, {
    options: [...suggestions.map((s) => s.title), botText('option.human', lang)],
  });

  function flowResult(name: BotFlowName, step: BotFlowStep): BotTurnResult {
    if (step.handoff) return handoff('flow_needs_person', name);
    const done = step.next === null;
    return result({ kind: 'flow', flow: name, done, ...(step.effect ? { effect: step.effect } : {}) }, step.reply, { ...base, pending: null, flow: step.next, consecutiveFallbacks: 0 }, { options: step.options });
  }
}

/** The self-service menu offered with the greeting. */
export function botMenu(lang: BotLanguage): string[] {
  return [botText('option.outage', lang), botText('option.orders', lang), botText('option.repair', lang)];
}

/** The turn kind stored in bot_turns for a decision. */
export function turnKindOf(d: BotDecision): BotTurnKind {
  switch (d.kind) {
    case 'answer':
    case 'clarify':
    case 'fallback':
    case 'flow':
    case 'handoff':
    case 'greeting':
      return d.kind;
    case 'feedback':
      return 'greeting';
    default:
      return assertNever(d);
  }
}
