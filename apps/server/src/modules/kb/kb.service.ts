import type { TCreateKbArticleRequest, TKbAction, TKbArticle, TKbArticleSummary, TKbCategory, TKbDiff, TKbStats, TKbVersion, TUpdateKbArticleRequest } from '@kefu/contracts';
import type { DB, KbArticleRow } from '@kefu/db';
import {
  type ArticleActor,
  type ArticleContent,
  type ArticleStatus,
  availableArticleActions,
  canCreateArticleAs,
  changedArticleFields,
  decideArticleEdit,
  isValidityRange,
  normalizeTags,
  transitionArticle,
  validityState,
} from '@kefu/domain';
import { diffLines } from 'diff';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { KbArticleVersionsTable } from '@kefu/db';
import { enqueueEvent, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, ZKeysetCursor } from '../../platform/pagination.ts';
import { weightedSearchVector } from '../../platform/text-search.ts';
import { type ArticleUsageKind, recordArticleUsage } from './usage.ts';

type Ex = Kysely<DB> | Transaction<DB>;
type VersionRow = Selectable<KbArticleVersionsTable>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toDate = (s: string | null | undefined) => (s ? new Date(s) : null);

export function actorOf(auth: AuthContext): ArticleActor {
  return { canWrite: auth.permissions.has('kb:write'), canPublish: auth.permissions.has('kb:publish') };
}

function brandOf(auth: AuthContext): string {
  const b = auth.brandIds[0];
  if (!b) throw new AppError('auth.forbidden', 'No brand');
  return b;
}

export function toArticleSummary(r: KbArticleRow, now: Date): TKbArticleSummary {
  return {
    id: r.id,
    categoryId: r.category_id,
    language: r.language as TKbArticleSummary['language'],
    title: r.title,
    summary: r.summary,
    audience: r.audience as TKbArticleSummary['audience'],
    status: r.status as TKbArticleSummary['status'],
    tags: r.tags,
    validFrom: iso(r.valid_from),
    validTo: iso(r.valid_to),
    validity: validityState({ validFrom: r.valid_from, validTo: r.valid_to }, now),
    version: r.version,
    views: r.views,
    usedInReply: r.used_in_reply,
    helpfulYes: r.helpful_yes,
    helpfulNo: r.helpful_no,
    botAnswers: r.bot_answers,
    botResolutions: r.bot_resolutions,
    publishedAt: iso(r.published_at),
    updatedAt: r.updated_at.toISOString(),
  };
}

function contentOf(r: { title: string; summary: string; body: string; tags: string[]; category_id: string | null; audience: string; language: string; valid_from: Date | null; valid_to: Date | null }): ArticleContent {
  return { title: r.title, summary: r.summary, body: r.body, tags: r.tags, categoryId: r.category_id, audience: r.audience, language: r.language, validFrom: r.valid_from, validTo: r.valid_to };
}

function searchVector(c: { title: string; tags: readonly string[]; summary: string; body: string }) {
  return weightedSearchVector({ a: [c.title], b: [...c.tags, c.summary], c: [c.body] });
}

function refusePermission(permission: 'kb:write' | 'kb:publish', what: string): never {
  if (permission === 'kb:write') throw new AppError('auth.forbidden', `Missing permission kb:write to ${what}`, { permission });
  throw new AppError('kb.publish_required', `Only a reviewer (kb:publish) may ${what}`, { permission });
}

export type KbService = ReturnType<typeof createKbService>;

export function createKbService({ db, clock }: { db: Kysely<DB>; clock: () => Date }) {
  async function loadArticle(ex: Ex, brandIds: readonly string[], id: string, lock = false): Promise<KbArticleRow> {
    let q = ex.selectFrom('kb_articles').selectAll().where('id', '=', id).where('brand_id', 'in', [...brandIds]);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw new AppError('resource.not_found', 'Article not found', { entity: 'kb_article', id });
    return row;
  }

  async function checkCategory(ex: Ex, brandId: string, categoryId: string | null | undefined) {
    if (!categoryId) return;
    const ok = await ex.selectFrom('kb_categories').select('id').where('id', '=', categoryId).where('brand_id', '=', brandId).executeTakeFirst();
    if (!ok) throw new AppError('kb.unknown_category', 'Unknown knowledge category', { categoryId });
  }

  async function checkRelated(ex: Ex, brandId: string, ids: readonly string[] | undefined, selfId: string | null): Promise<string[]> {
    const unique = [...new Set(ids ?? [])];
    if (unique.length === 0) return [];
    const found = await ex.selectFrom('kb_articles').select('id').where('id', 'in', unique).where('brand_id', '=', brandId).execute();
    const ok = new Set(found.map((r) => r.id));
    const bad = unique.filter((id) => !ok.has(id) || id === selfId);
    if (bad.length) throw new AppError('kb.unknown_related', 'Related articles must be other articles of the same brand', { ids: bad });
    return unique;
  }

  function checkValidity(from: Date | null, to: Date | null) {
    if (!isValidityRange({ validFrom: from, validTo: to })) throw new AppError('kb.invalid_validity', 'validTo must be after validFrom', { validFrom: iso(from), validTo: iso(to) });
  }

  async function addEvent(ex: Ex, e: { articleId: string; action: string; from?: string | null; to?: string | null; version?: number | null; actorId: string | null; note?: string | null }) {
    await ex
      .insertInto('kb_article_events')
      .values({ article_id: e.articleId, action: e.action, from_status: e.from ?? null, to_status: e.to ?? null, version: e.version ?? null, actor_id: e.actorId, note: e.note ?? null, created_at: clock() })
      .execute();
  }

  /** Outbox event for live lists, the bot's and assist's caches: topic kb.article, readers with kb:read. */
  async function announce(ex: Ex, row: KbArticleRow, action: string) {
    await enqueueEvent(ex, {
      topic: 'kb.article',
      aggregateType: 'kb_article',
      aggregateId: row.id,
      payload: { brandId: row.brand_id, permissions: ['kb:read'], id: row.id, action, status: row.status, version: row.version, audience: row.audience },
    });
  }

  async function addVersion(ex: Ex, row: KbArticleRow, authorId: string | null, note: string | null) {
    await ex
      .insertInto('kb_article_versions')
      .values({
        article_id: row.id,
        version: row.version,
        title: row.title,
        summary: row.summary,
        body: row.body,
        tags: row.tags,
        category_id: row.category_id,
        audience: row.audience,
        language: row.language,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        author_id: authorId,
        note,
        created_at: clock(),
      })
      .execute();
  }

  async function toArticle(ex: Ex, auth: AuthContext, r: KbArticleRow): Promise<TKbArticle> {
    const related = r.related_ids.length
      ? await ex.selectFrom('kb_articles').select(['id', 'title', 'status']).where('id', 'in', r.related_ids).where('brand_id', '=', r.brand_id).execute()
      : [];
    const order = new Map(r.related_ids.map((id, i) => [id, i]));
    related.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return {
      ...toArticleSummary(r, clock()),
      body: r.body,
      relatedIds: r.related_ids,
      related: related.map((x) => ({ id: x.id, title: x.title, status: x.status as ArticleStatus })),
      createdBy: r.created_by,
      updatedBy: r.updated_by,
      createdAt: r.created_at.toISOString(),
      actions: availableArticleActions(r.status as ArticleStatus, actorOf(auth)),
    };
  }

  /** Saves new content as the next version (edit and rollback share this). */
  async function saveNewVersion(trx: Transaction<DB>, ctx: RequestContext, before: KbArticleRow, next: ArticleContent & { relatedIds: string[] }, status: ArticleStatus, note: string | null, action: 'edited' | 'rolled_back') {
    const now = clock();
    const version = before.version + 1;
    const row = await trx
      .updateTable('kb_articles')
      .set({
        title: next.title,
        summary: next.summary,
        body: next.body,
        tags: [...next.tags],
        category_id: next.categoryId,
        audience: next.audience,
        language: next.language,
        valid_from: next.validFrom,
        valid_to: next.validTo,
        related_ids: next.relatedIds,
        status,
        version,
        search_text: searchVector(next),
        updated_by: ctx.auth.userId,
        // published_at stays the time it went live; edits show in updated_at and the versions.
        updated_at: now,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await addVersion(trx, row, ctx.auth.userId, note);
    await addEvent(trx, { articleId: row.id, action, from: before.status, to: status, version, actorId: ctx.auth.userId, note });
    await announce(trx, row, action);
    const changed = changedArticleFields(contentOf(before), next);
    await recordAudit(trx, ctx, {
      action: action === 'edited' ? 'kb_article.update' : 'kb_article.rollback',
      entityType: 'kb_article',
      entityId: row.id,
      brandId: row.brand_id,
      before: { version: before.version, status: before.status, changed },
      after: { version, status, title: row.title },
    });
    return row;
  }

  return {
    async createArticle(ctx: RequestContext, input: TCreateKbArticleRequest): Promise<TKbArticle> {
      const status = input.status ?? 'draft';
      if (!canCreateArticleAs(status, actorOf(ctx.auth))) refusePermission(status === 'published' ? 'kb:publish' : 'kb:write', 'publish articles directly; save a draft and submit it for review');
      const brandId = brandOf(ctx.auth);
      const validFrom = toDate(input.validFrom);
      const validTo = toDate(input.validTo);
      checkValidity(validFrom, validTo);
      const tags = normalizeTags(input.tags ?? []);
      const summary = input.summary ?? '';
      return db.transaction().execute(async (trx) => {
        await checkCategory(trx, brandId, input.categoryId);
        const relatedIds = await checkRelated(trx, brandId, input.relatedIds, null);
        const now = clock();
        const row = await trx
          .insertInto('kb_articles')
          .values({
            brand_id: brandId,
            category_id: input.categoryId ?? null,
            language: input.language ?? 'zh-CN',
            title: input.title,
            summary,
            body: input.body,
            audience: input.audience,
            status,
            tags,
            valid_from: validFrom,
            valid_to: validTo,
            related_ids: relatedIds,
            search_text: searchVector({ title: input.title, tags, summary, body: input.body }),
            created_by: ctx.auth.userId,
            updated_by: ctx.auth.userId,
            published_at: status === 'published' ? now : null,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await addVersion(trx, row, ctx.auth.userId, null);
        await addEvent(trx, { articleId: row.id, action: 'created', to: 'draft', version: 1, actorId: ctx.auth.userId });
        if (status === 'published') await addEvent(trx, { articleId: row.id, action: 'published', from: 'draft', to: 'published', version: 1, actorId: ctx.auth.userId });
        await announce(trx, row, 'created');
        await recordAudit(trx, ctx, { action: 'kb_article.create', entityType: 'kb_article', entityId: row.id, brandId, after: { title: row.title, status, audience: row.audience, language: row.language } });
        return toArticle(trx, ctx.auth, row);
      });
    },

    async listArticles(
      auth: AuthContext,
      query: { status?: string; audience?: string; categoryId?: string; tag?: string; language?: string; q?: string; cursor?: string; limit: number },
    ): Promise<{ items: TKbArticleSummary[]; nextCursor: string | null }> {
      let q = db.selectFrom('kb_articles').selectAll().where('brand_id', 'in', [...auth.brandIds]);
      if (query.status) q = q.where('status', '=', query.status);
      if (query.audience) q = q.where('audience', '=', query.audience);
      if (query.categoryId) q = q.where('category_id', '=', query.categoryId);
      if (query.language) q = q.where('language', '=', query.language);
      if (query.tag) q = q.where(sql<boolean>`${query.tag} = any(tags)`);
      if (query.q) q = q.where(sql<boolean>`position(lower(${query.q}) in lower(title)) > 0`);
      const cursor = decodeCursor(query.cursor, ZKeysetCursor);
      if (cursor) {
        const at = new Date(cursor[0]);
        if (Number.isNaN(at.getTime())) throw new AppError('validation.failed', 'Invalid cursor', { field: 'cursor' });
        q = q.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', cursor[1])])]));
      }
      const rows = await q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const now = clock();
      return { items: page.map((r) => toArticleSummary(r, now)), nextCursor: rows.length > query.limit && last ? encodeCursor([last.updated_at.toISOString(), last.id]) : null };
    },

    async getArticle(auth: AuthContext, id: string, countView: boolean): Promise<TKbArticle> {
      const row = await loadArticle(db, auth.brandIds, id);
      if (countView) {
        await recordArticleUsage(db, { brandId: row.brand_id, articleId: id, kind: 'view', channel: 'internal', actorId: auth.userId, at: clock() });
        row.views += 1;
      }
      return toArticle(db, auth, row);
    },

    async updateArticle(ctx: RequestContext, id: string, input: TUpdateKbArticleRequest): Promise<TKbArticle> {
      return db.transaction().execute(async (trx) => {
        const before = await loadArticle(trx, ctx.auth.brandIds, id, true);
        if (before.version !== input.version) {
          throw new AppError('kb.version_conflict', 'The article changed since you loaded it; reload and try again', { expected: input.version, actual: before.version });
        }
        const decision = decideArticleEdit(before.status as ArticleStatus, actorOf(ctx.auth));
        if (!decision.ok) {
          if (decision.reason === 'archived') throw new AppError('kb.edit_refused', 'Archived articles are not edited; restore it to draft first', { status: before.status });
          if (decision.permission === 'kb:publish') {
            throw new AppError(
              'kb.publish_required',
              'This article is published: only a reviewer (kb:publish) changes live content. Send your change to a reviewer, or ask one to archive and restore the article to draft for rework.',
              { permission: 'kb:publish', status: before.status },
            );
          }
          refusePermission(decision.permission, 'edit articles');
        }
        const validFrom = input.validFrom === undefined ? before.valid_from : toDate(input.validFrom);
        const validTo = input.validTo === undefined ? before.valid_to : toDate(input.validTo);
        checkValidity(validFrom, validTo);
        if (input.categoryId !== undefined) await checkCategory(trx, before.brand_id, input.categoryId);
        const relatedIds = input.relatedIds === undefined ? before.related_ids : await checkRelated(trx, before.brand_id, input.relatedIds, id);
        const next = {
          title: input.title ?? before.title,
          summary: input.summary ?? before.summary,
          body: input.body ?? before.body,
          tags: input.tags === undefined ? before.tags : normalizeTags(input.tags),
          categoryId: input.categoryId === undefined ? before.category_id : input.categoryId,
          audience: input.audience ?? before.audience,
          language: input.language ?? before.language,
          validFrom,
          validTo,
          relatedIds,
        };
        const relatedChanged = relatedIds.join() !== before.related_ids.join();
        // Nothing changed: no new version, no event.
        if (changedArticleFields(contentOf(before), next).length === 0 && !relatedChanged) return toArticle(trx, ctx.auth, before);
        const row = await saveNewVersion(trx, ctx, before, next, decision.status, input.note ?? null, 'edited');
        return toArticle(trx, ctx.auth, row);
      });
    },

    async transition(ctx: RequestContext, id: string, action: TKbAction, note?: string): Promise<TKbArticle> {
      return db.transaction().execute(async (trx) => {
        const before = await loadArticle(trx, ctx.auth.brandIds, id, true);
        const r = transitionArticle(before.status as ArticleStatus, action, actorOf(ctx.auth), note);
        if (!r.ok) {
          if (r.reason === 'permission_required') refusePermission(r.permission, `${action} articles`);
          if (r.reason === 'note_required') throw new AppError('kb.note_required', 'Say what the author should fix when rejecting', { field: 'note' });
          throw new AppError('kb.transition_refused', `Cannot ${action} an article in status ${r.from}`, { status: r.from, action, allowedFrom: r.allowedFrom });
        }
        const now = clock();
        const row = await trx
          .updateTable('kb_articles')
          .set({ status: r.to, updated_by: ctx.auth.userId, updated_at: now, ...(r.to === 'published' ? { published_at: now } : {}) })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await addEvent(trx, { articleId: id, action: r.event, from: r.from, to: r.to, version: row.version, actorId: ctx.auth.userId, note: note ?? null });
        await announce(trx, row, r.event);
        await recordAudit(trx, ctx, { action: `kb_article.${action}`, entityType: 'kb_article', entityId: id, brandId: row.brand_id, before: { status: r.from }, after: { status: r.to, note: note ?? null } });
        return toArticle(trx, ctx.auth, row);
      });
    },

    async listVersions(auth: AuthContext, id: string): Promise<{ items: TKbVersion[] }> {
      await loadArticle(db, auth.brandIds, id);
      const rows = await db
        .selectFrom('kb_article_versions as v')
        .leftJoin('users as u', 'u.id', 'v.author_id')
        .selectAll('v')
        .select('u.display_name as author_name')
        .where('v.article_id', '=', id)
        .orderBy('v.version', 'asc')
        .execute();
      const items = rows.map((r, i) => {
        const prev = rows[i - 1];
        return {
          version: r.version,
          title: r.title,
          summary: r.summary,
          body: r.body,
          tags: r.tags,
          categoryId: r.category_id,
          audience: r.audience as TKbVersion['audience'],
          language: r.language as TKbVersion['language'],
          validFrom: iso(r.valid_from),
          validTo: iso(r.valid_to),
          authorId: r.author_id,
          authorName: r.author_name,
          note: r.note,
          createdAt: r.created_at.toISOString(),
          changed: prev ? changedArticleFields(contentOf(prev), contentOf(r)) : [],
        };
      });
      return { items: items.reverse() };
    },

    async diffVersions(auth: AuthContext, id: string, v: number, against?: number): Promise<TKbDiff> {
      await loadArticle(db, auth.brandIds, id);
      const base = against ?? v - 1;
      const wanted = [...new Set([v, base])].filter((n) => n >= 1);
      const rows = await db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', id).where('version', 'in', wanted).execute();
      const to = rows.find((r) => r.version === v);
      if (!to) throw new AppError('kb.unknown_version', `The article has no version ${v}`, { version: v });
      const from = rows.find((r) => r.version === base);
      if (against !== undefined && !from) throw new AppError('kb.unknown_version', `The article has no version ${against}`, { version: against });
      return diffOf(from ?? null, to);
    },

    async rollback(ctx: RequestContext, id: string, version: number, note?: string): Promise<TKbArticle> {
      return db.transaction().execute(async (trx) => {
        const before = await loadArticle(trx, ctx.auth.brandIds, id, true);
        const target = await trx.selectFrom('kb_article_versions').selectAll().where('article_id', '=', id).where('version', '=', version).executeTakeFirst();
        if (!target) throw new AppError('kb.unknown_version', `The article has no version ${version}`, { version });
        // A rollback is an edit: the same rule decides who may change a live article.
        const decision = decideArticleEdit(before.status as ArticleStatus, actorOf(ctx.auth));
        if (!decision.ok) {
          if (decision.reason === 'archived') throw new AppError('kb.edit_refused', 'Archived articles are not rolled back; restore it to draft first', { status: before.status });
          refusePermission(decision.permission, 'roll back this article');
        }
        await checkCategory(trx, before.brand_id, target.category_id);
        const next = { ...contentOf(target), relatedIds: before.related_ids };
        const row = await saveNewVersion(trx, ctx, before, next, decision.status, note ?? `rollback to v${version}`, 'rolled_back');
        return toArticle(trx, ctx.auth, row);
      });
    },

    async listEvents(auth: AuthContext, id: string) {
      await loadArticle(db, auth.brandIds, id);
      const rows = await db
        .selectFrom('kb_article_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_id')
        .selectAll('e')
        .select('u.display_name as actor_name')
        .where('e.article_id', '=', id)
        .orderBy('e.id', 'asc')
        .execute();
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          action: r.action,
          fromStatus: r.from_status,
          toStatus: r.to_status,
          version: r.version,
          actorId: r.actor_id,
          actorName: r.actor_name,
          note: r.note,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },

    /** Helpful / not helpful from a signed-in user: staff on any article of their brands, others only on public live ones. */
    async feedback(ctx: RequestContext, id: string, helpful: boolean) {
      const row = await loadArticle(db, ctx.auth.brandIds, id);
      if (!ctx.auth.permissions.has('kb:read') && !(row.status === 'published' && row.audience === 'public')) {
        throw new AppError('resource.not_found', 'Article not found', { entity: 'kb_article', id });
      }
      return db.transaction().execute(async (trx) => {
        await recordArticleUsage(trx, { brandId: row.brand_id, articleId: id, kind: helpful ? 'helpful' : 'unhelpful', channel: 'internal', actorId: ctx.auth.userId, at: clock() });
        await recordAudit(trx, ctx, { action: 'kb_article.feedback', entityType: 'kb_article', entityId: id, brandId: row.brand_id, after: { helpful } });
        const after = await trx.selectFrom('kb_articles').select(['helpful_yes', 'helpful_no']).where('id', '=', id).executeTakeFirstOrThrow();
        return { helpfulYes: after.helpful_yes, helpfulNo: after.helpful_no };
      });
    },

    async recordUsage(ctx: RequestContext, id: string, kind: Extract<ArticleUsageKind, 'view' | 'used_in_reply'>, channel?: string) {
      const row = await loadArticle(db, ctx.auth.brandIds, id);
      await db.transaction().execute(async (trx) => {
        await recordArticleUsage(trx, { brandId: row.brand_id, articleId: id, kind, channel: channel ?? null, actorId: ctx.auth.userId, at: clock() });
        // A view is not a change worth auditing; using an article in a reply is.
        if (kind === 'used_in_reply') await recordAudit(trx, ctx, { action: 'kb_article.used_in_reply', entityType: 'kb_article', entityId: id, brandId: row.brand_id, after: { channel: channel ?? null } });
      });
    },

    async stats(auth: AuthContext, query: { from?: string; to?: string; limit: number }): Promise<TKbStats> {
      const to = query.to ? new Date(query.to) : clock();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * 86_400_000);
      if (from.getTime() >= to.getTime()) throw new AppError('validation.failed', 'from must be before to', { field: 'from' });
      const rows = await db
        .selectFrom('kb_usage as u')
        .innerJoin('kb_articles as a', 'a.id', 'u.article_id')
        .select(['u.article_id', 'a.title', 'u.kind', (eb) => eb.fn.countAll<string>().as('n')])
        .where('u.brand_id', 'in', [...auth.brandIds])
        .where('u.created_at', '>=', from)
        .where('u.created_at', '<', to)
        .groupBy(['u.article_id', 'a.title', 'u.kind'])
        .execute();
      const totals = { views: 0, usedInReply: 0, helpful: 0, unhelpful: 0, botAnswers: 0, botResolutions: 0 };
      const key: Partial<Record<string, keyof typeof totals>> = { view: 'views', used_in_reply: 'usedInReply', helpful: 'helpful', unhelpful: 'unhelpful', bot_answer: 'botAnswers', bot_resolved: 'botResolutions' };
      const per = new Map<string, { id: string; title: string; counts: Record<string, number> }>();
      for (const r of rows) {
        const n = Number(r.n);
        const k = key[r.kind];
        if (k) totals[k] += n;
        const e = per.get(r.article_id) ?? { id: r.article_id, title: r.title, counts: {} };
        e.counts[r.kind] = (e.counts[r.kind] ?? 0) + n;
        per.set(r.article_id, e);
      }
      const all = [...per.values()];
      const top = (kind: string) =>
        all
          .filter((e) => (e.counts[kind] ?? 0) > 0)
          .map((e) => ({ id: e.id, title: e.title, count: e.counts[kind] ?? 0 }))
          .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title))
          .slice(0, query.limit);
      const helpful = all
        .map((e) => ({ id: e.id, title: e.title, yes: e.counts.helpful ?? 0, no: e.counts.unhelpful ?? 0 }))
        .filter((e) => e.yes + e.no > 0)
        .map((e) => ({ ...e, ratio: e.yes / (e.yes + e.no) }))
        .sort((a, b) => b.yes + b.no - (a.yes + a.no) || b.ratio - a.ratio)
        .slice(0, query.limit);
      return { from: from.toISOString(), to: to.toISOString(), totals, topViewed: top('view'), topUsed: top('used_in_reply'), topBotResolved: top('bot_resolved'), helpful };
    },

    async listCategories(auth: AuthContext): Promise<{ items: TKbCategory[] }> {
      const rows = await db
        .selectFrom('kb_categories as c')
        .leftJoin('kb_articles as a', (j) => j.onRef('a.category_id', '=', 'c.id').on('a.status', '<>', 'archived'))
        .selectAll('c')
        .select((eb) => eb.fn.count<string>('a.id').as('n'))
        .where('c.brand_id', 'in', [...auth.brandIds])
        .groupBy('c.id')
        .orderBy('c.position')
        .orderBy('c.code')
        .execute();
      return { items: rows.map((r) => toCategory(r, Number(r.n))) };
    },

    async createCategory(ctx: RequestContext, input: { code: string; nameZh: string; nameEn: string; parentId?: string | null; position?: number }): Promise<TKbCategory> {
      const brandId = brandOf(ctx.auth);
      return db.transaction().execute(async (trx) => {
        if (input.parentId) await checkCategory(trx, brandId, input.parentId);
        const taken = await trx.selectFrom('kb_categories').select('id').where('brand_id', '=', brandId).where('code', '=', input.code).executeTakeFirst();
        if (taken) throw new AppError('kb.category_code_taken', `Category code ${input.code} is taken`, { code: input.code });
        const row = await trx
          .insertInto('kb_categories')
          .values({ brand_id: brandId, code: input.code, name_zh: input.nameZh, name_en: input.nameEn, parent_id: input.parentId ?? null, ...(input.position !== undefined ? { position: input.position } : {}) })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'kb_category.create', entityType: 'kb_category', entityId: row.id, brandId, after: toCategory(row, 0) });
        return toCategory(row, 0);
      });
    },

    async updateCategory(ctx: RequestContext, id: string, input: { nameZh?: string; nameEn?: string; parentId?: string | null; position?: number }): Promise<TKbCategory> {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('kb_categories').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('resource.not_found', 'Category not found', { entity: 'kb_category', id });
        if (input.parentId) {
          await checkCategory(trx, before.brand_id, input.parentId);
          // Walk up from the new parent: meeting this category means a cycle.
          const all = await trx.selectFrom('kb_categories').select(['id', 'parent_id']).where('brand_id', '=', before.brand_id).execute();
          const parentOf = new Map(all.map((c) => [c.id, c.parent_id]));
          for (let at: string | null | undefined = input.parentId, steps = 0; at && steps <= all.length; at = parentOf.get(at), steps++) {
            if (at === id) throw new AppError('kb.category_cycle', 'A category cannot be moved under itself', { parentId: input.parentId });
          }
        }
        const set = Object.fromEntries(
          Object.entries({ name_zh: input.nameZh, name_en: input.nameEn, parent_id: input.parentId, position: input.position }).filter(([, v]) => v !== undefined),
        );
        const row = Object.keys(set).length ? await trx.updateTable('kb_categories').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow() : before;
        const n = await trx.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).where('category_id', '=', id).where('status', '<>', 'archived').executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'kb_category.update', entityType: 'kb_category', entityId: id, brandId: before.brand_id, before: toCategory(before, 0), after: toCategory(row, 0) });
        return toCategory(row, Number(n.n));
      });
    },
  };
}

function toCategory(r: { id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; position: number }, articleCount: number): TKbCategory {
  return { id: r.id, parentId: r.parent_id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, position: r.position, articleCount };
}

/** Line diff of two versions: title, summary and tags as one line each, then the body. */
export function diffOf(from: VersionRow | null, to: VersionRow): TKbDiff {
  const text = (v: VersionRow | null) => (v ? `# ${v.title}\n> ${v.summary}\n[${v.tags.join(', ')}]\n\n${v.body}\n` : '');
  const parts = diffLines(text(from), text(to)).map((p) => ({ kind: p.added ? ('added' as const) : p.removed ? ('removed' as const) : ('same' as const), text: p.value }));
  const lines = (s: string) => s.split('\n').length - (s.endsWith('\n') ? 1 : 0);
  return {
    from: from?.version ?? 0,
    to: to.version,
    changed: from ? changedArticleFields(contentOf(from), contentOf(to)) : ['title', 'summary', 'body'],
    parts,
    added: parts.filter((p) => p.kind === 'added').reduce((n, p) => n + lines(p.text), 0),
    removed: parts.filter((p) => p.kind === 'removed').reduce((n, p) => n + lines(p.text), 0),
  };
}
