import type { DB } from '@kefu/db';
import { type Kysely, sql, type Transaction } from 'kysely';

// Article usage (interface 2 of issue 6): one kb_usage row per event plus the matching counter
// on kb_articles, so lists show totals without aggregating the log, and stats over a period read
// the log.

export type ArticleUsageKind = 'view' | 'used_in_reply' | 'helpful' | 'unhelpful' | 'bot_answer' | 'bot_resolved' | 'bot_handoff' | 'suggested';

const COUNTER: Record<ArticleUsageKind, 'views' | 'used_in_reply' | 'helpful_yes' | 'helpful_no' | 'bot_answers' | 'bot_resolutions' | null> = {
  view: 'views',
  used_in_reply: 'used_in_reply',
  helpful: 'helpful_yes',
  unhelpful: 'helpful_no',
  bot_answer: 'bot_answers',
  bot_resolved: 'bot_resolutions',
  // Logged only: handoffs and assist suggestions feed the stats, not a counter.
  bot_handoff: null,
  suggested: null,
};

/** Records one usage event of an article; pass the caller's transaction when inside one. */
export async function recordArticleUsage(
  db: Kysely<DB> | Transaction<DB>,
  u: { brandId: string; articleId: string; kind: ArticleUsageKind; channel?: string | null; actorId?: string | null; /** Defaults to the database's now(). */ at?: Date },
): Promise<void> {
  await db.insertInto('kb_usage').values({ brand_id: u.brandId, article_id: u.articleId, kind: u.kind, channel: u.channel ?? null, actor_id: u.actorId ?? null, ...(u.at ? { created_at: u.at } : {}) }).execute();
  const column = COUNTER[u.kind];
  if (column) {
    await db
      .updateTable('kb_articles')
      .set({ [column]: sql`${sql.ref(column)} + 1` } as never)
      .where('id', '=', u.articleId)
      .execute();
  }
}
