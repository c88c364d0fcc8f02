import type { TBotChannel, TBotChannelSettings, TBotStats, TBotTurn, TBotUnanswered, TBotUnansweredPatch } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { channelBotSettings } from './bot.service.ts';

// Reports and settings of the self-service bot: the unanswered questions knowledge editors work
// through, the turns of bot conversations, the stats cards, and each channel's bot switch.

/** Knowledge editors (kb:write) and bot managers (bot:manage) work the unanswered list. */
export function requireBotEditor(auth: AuthContext) {
  if (!auth.permissions.has('bot:manage') && !auth.permissions.has('kb:write')) {
    throw new AppError('auth.forbidden', 'Missing permission bot:manage or kb:write', { permission: 'bot:manage' });
  }
}

function requireBotManager(auth: AuthContext) {
  if (!auth.permissions.has('bot:manage')) throw new AppError('auth.forbidden', 'Missing permission bot:manage', { permission: 'bot:manage' });
}

export function createBotAdmin({ db }: { db: Kysely<DB>; clock: () => Date }) {
  function unansweredQueryIn(ex: Kysely<DB>) {
    return ex.selectFrom('bot_unanswered as u').leftJoin('kb_articles as a', 'a.id', 'u.article_id').selectAll('u').select('a.title as article_title');
  }
  const unansweredQuery = () => unansweredQueryIn(db);
  type UnansweredRow = Awaited<ReturnType<ReturnType<typeof unansweredQuery>['executeTakeFirstOrThrow']>>;
  const toUnanswered = (r: UnansweredRow): TBotUnanswered => ({
    id: r.id,
    normalized: r.normalized,
    sample: r.sample,
    askCount: r.ask_count,
    firstAskedAt: r.first_asked_at.toISOString(),
    lastAskedAt: r.last_asked_at.toISOString(),
    status: r.status as TBotUnanswered['status'],
    articleId: r.article_id,
    articleTitle: r.article_title,
  });

  async function listUnanswered(auth: AuthContext, q: { status?: string; limit: number }) {
    requireBotEditor(auth);
    let query = unansweredQuery().where('u.brand_id', 'in', [...auth.brandIds]);
    if (q.status) query = query.where('u.status', '=', q.status);
    const rows = await query.orderBy('u.ask_count', 'desc').orderBy('u.last_asked_at', 'desc').limit(q.limit).execute();
    return { items: rows.map(toUnanswered) };
  }

  async function updateUnanswered(ctx: RequestContext, id: string, input: TBotUnansweredPatch) {
    requireBotEditor(ctx.auth);
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('bot_unanswered').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row || !ctx.auth.brandIds.includes(row.brand_id)) throw new AppError('resource.not_found', 'Unanswered question not found', { entity: 'bot_unanswered', id });
      if (input.articleId) {
        const article = await trx.selectFrom('kb_articles').select(['id', 'audience', 'brand_id']).where('id', '=', input.articleId).executeTakeFirst();
        if (!article || article.brand_id !== row.brand_id) throw new AppError('bot.unknown_article', 'No such article in this brand', { articleId: input.articleId });
        // The bot answers customers: an internal article cannot be the answer.
        if (article.audience !== 'public') throw new AppError('bot.article_not_public', 'Only a public article can answer a customer question', { articleId: input.articleId });
      }
      await trx
        .updateTable('bot_unanswered')
        .set({ status: input.status, article_id: input.status === 'answered' ? (input.articleId ?? null) : null, resolved_by: input.status === 'open' ? null : ctx.auth.userId })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, ctx, { action: 'bot.unanswered.update', entityType: 'bot_unanswered', entityId: id, brandId: row.brand_id, before: { status: row.status, articleId: row.article_id }, after: input });
      const updated = await unansweredQueryIn(trx).where('u.id', '=', id).executeTakeFirstOrThrow();
      return toUnanswered(updated);
    });
  }

  async function listTurns(auth: AuthContext, q: { conversationId?: string; from?: string; to?: string; limit: number }): Promise<{ items: TBotTurn[] }> {
    let query = db
      .selectFrom('bot_turns as t')
      .leftJoin('kb_articles as a', 'a.id', 't.article_id')
      .selectAll('t')
      .select('a.title as article_title')
      .where('t.brand_id', 'in', [...auth.brandIds]);
    if (q.conversationId) query = query.where('t.conversation_id', '=', q.conversationId);
    if (q.from) query = query.where('t.created_at', '>=', new Date(q.from));
    if (q.to) query = query.where('t.created_at', '<', new Date(q.to));
    // One conversation reads in order; a period shows the newest first.
    const rows = await (q.conversationId ? query.orderBy('t.id') : query.orderBy('t.id', 'desc')).limit(q.limit).execute();
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        conversationId: r.conversation_id,
        contactId: r.contact_id,
        question: r.question,
        kind: r.kind as TBotTurn['kind'],
        articleId: r.article_id,
        articleTitle: r.article_title,
        candidateIds: r.candidate_ids ?? [],
        confidence: Math.round(Number(r.confidence) * 1000) / 1000,
        outcome: r.outcome as TBotTurn['outcome'],
        handoffReason: r.handoff_reason,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }

  async function stats(auth: AuthContext, q: { from?: string; to?: string }): Promise<TBotStats> {
    let base = db.selectFrom('bot_turns').where('brand_id', 'in', [...auth.brandIds]);
    if (q.from) base = base.where('created_at', '>=', new Date(q.from));
    if (q.to) base = base.where('created_at', '<', new Date(q.to));
    const totals = await base
      .select([
        sql<number>`count(distinct conversation_id)::int`.as('conversations'),
        sql<number>`count(*)::int`.as('turns'),
        sql<number>`count(*) filter (where kind = 'answer')::int`.as('answered'),
        sql<number>`count(*) filter (where kind in ('answer','flow') and outcome = 'resolved')::int`.as('resolved'),
        sql<number>`count(*) filter (where kind = 'handoff')::int`.as('handed_off'),
        sql<number>`count(*) filter (where outcome = 'abandoned')::int`.as('abandoned'),
        sql<number>`count(*) filter (where kind = 'fallback')::int`.as('fallbacks'),
        sql<number | null>`avg(confidence) filter (where kind = 'answer')`.as('avg_confidence'),
      ])
      .executeTakeFirstOrThrow();
    const reasons = await base.select(['handoff_reason', sql<number>`count(*)::int`.as('n')]).where('kind', '=', 'handoff').groupBy('handoff_reason').execute();
    const open = await db
      .selectFrom('bot_unanswered')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('brand_id', 'in', [...auth.brandIds])
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    return {
      conversations: Number(totals.conversations),
      turns: Number(totals.turns),
      answered: Number(totals.answered),
      resolved: Number(totals.resolved),
      handedOff: Number(totals.handed_off),
      handedOffByReason: Object.fromEntries(reasons.map((r) => [r.handoff_reason ?? 'unknown', Number(r.n)])),
      abandoned: Number(totals.abandoned),
      fallbacks: Number(totals.fallbacks),
      averageConfidence: totals.avg_confidence === null ? null : Math.round(Number(totals.avg_confidence) * 1000) / 1000,
      openUnanswered: Number(open.n),
    };
  }

  async function listChannels(auth: AuthContext): Promise<{ items: TBotChannel[] }> {
    requireBotManager(auth);
    const rows = await db.selectFrom('channels').select(['id', 'name', 'type', 'config']).where('brand_id', 'in', [...auth.brandIds]).where('type', 'in', ['webchat', 'wechat']).orderBy('created_at').execute();
    return { items: rows.map((r) => ({ channelId: r.id, name: r.name, type: r.type, settings: channelBotSettings(r.config) })) };
  }

  async function updateChannel(ctx: RequestContext, channelId: string, settings: TBotChannelSettings): Promise<TBotChannel> {
    requireBotManager(ctx.auth);
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('channels').select(['id', 'name', 'type', 'config', 'brand_id']).where('id', '=', channelId).forUpdate().executeTakeFirst();
      if (!row || !ctx.auth.brandIds.includes(row.brand_id)) throw new AppError('resource.not_found', 'Channel not found', { entity: 'channel', id: channelId });
      if (row.type !== 'webchat' && row.type !== 'wechat') throw new AppError('bot.channel_unsupported', 'The bot runs on web chat and WeChat channels only', { channelId, type: row.type });
      const config = { ...((row.config as Record<string, unknown>) ?? {}), bot: settings };
      await trx.updateTable('channels').set({ config: JSON.stringify(config), updated_at: new Date() }).where('id', '=', channelId).execute();
      await recordAudit(trx, ctx, { action: 'bot.channel.update', entityType: 'channel', entityId: channelId, brandId: row.brand_id, before: channelBotSettings(row.config), after: settings });
      return { channelId: row.id, name: row.name, type: row.type, settings: channelBotSettings(config) };
    });
  }

  return { listUnanswered, updateUnanswered, listTurns, stats, listChannels, updateChannel };
}

export type BotAdmin = ReturnType<typeof createBotAdmin>;
