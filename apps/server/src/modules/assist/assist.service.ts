import type { TAssistSuggestions } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import { assistQueries, mergeSuggestions } from '@kefu/domain';
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/auth-context.ts';
import type { ConversationsService } from '../contacts/conversations.service.ts';
import type { SearchHit, SearchService } from '../search/search.service.ts';

/** How many recent messages are read to find the customer's question. */
const RECENT_MESSAGES = 20;
const ARTICLES = 5;
const SCRIPTS = 3;

export type AssistDeps = { db: Kysely<DB>; search: SearchService; conversations: ConversationsService };

/**
 * Suggestions for the agent's side panel: the customer's latest messages are searched over
 * published articles (internal ones too: the reader is staff) and scripts.
 */
export function createAssistService({ db, search, conversations }: AssistDeps) {
  async function forConversation(auth: AuthContext, conversationId: string): Promise<TAssistSuggestions> {
    // Access first: the same rule as reading the conversation (404/403 as there).
    await conversations.get({ kind: 'staff', auth }, conversationId);
    const { brand_id: brandId } = await db.selectFrom('conversations').select('brand_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
    const recent = await db
      .selectFrom('messages')
      .select(['seq', 'sender_type', 'body', 'internal', 'kind'])
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc')
      .limit(RECENT_MESSAGES)
      .execute();
    const ordered = recent.reverse();
    const queries = assistQueries(ordered.map((m) => ({ senderType: m.sender_type, body: m.body, internal: m.internal, kind: m.kind })));
    const basedOnSeq = ordered.at(-1)?.seq ?? 0;
    if (queries.length === 0) return { queries, basedOnSeq, articles: [], scripts: [] };

    const brandIds = [brandId];
    const results = await Promise.all(queries.map((q) => search.search({ brandIds, q, audience: 'internal', kinds: ['article', 'script'], limit: ARTICLES + SCRIPTS })));
    const byKind = (kind: SearchHit['kind']) => results.map((hits) => hits.filter((h) => h.kind === kind));
    const articles = mergeSuggestions(byKind('article'), ARTICLES);
    const scripts = mergeSuggestions(byKind('script'), SCRIPTS);
    return {
      queries,
      basedOnSeq,
      articles: articles.map((a) => ({ id: a.id, title: a.title, summary: a.summary ?? null, highlight: a.highlight ?? null, audience: a.audience ?? null, score: round(a.score) })),
      scripts: scripts.map((s) => ({ id: s.id, title: s.title, highlight: s.highlight ?? null, score: round(s.score) })),
    };
  }
  return { forConversation };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export type AssistService = ReturnType<typeof createAssistService>;
