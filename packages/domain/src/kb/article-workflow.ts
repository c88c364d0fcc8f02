import { assertNever } from '../tickets/assert-never.ts';

/**
 * Knowledge article (知识文章) review workflow and validity — pure rules, no I/O, time passed in.
 *
 * Statuses: draft (草稿) → review (待审核) → published (已发布) → archived (已归档) → draft.
 *   submit   draft → review          kb:write or kb:publish (an author asks for review)
 *   approve  review → published      kb:publish (reviewer, 审核通过)
 *   reject   review → draft          kb:publish, with a non-blank note telling the author what to fix
 *   publish  draft → published       kb:publish (a reviewer publishing their own text directly)
 *   archive  published → archived    kb:publish (takes it offline; the bot and help center drop it)
 *   restore  archived → draft        kb:write or kb:publish (rework an old article)
 *
 * Edit rule (decideArticleEdit) — what a knowledge team expects:
 *   - draft: any writer edits; it stays a draft.
 *   - review: a reviewer (kb:publish) may fix it in place and it stays in review; an author without
 *     kb:publish who changes it sends it back to draft, because a reviewer must never approve text
 *     they have not seen — the author submits again.
 *   - published: a reviewer's edit goes live at once as a new version (typo fixes, tariff updates);
 *     the version history and diff show exactly what changed and rollback undoes it.
 *     An author without kb:publish is refused (kb.publish_required): live content that customers and
 *     the bot read only changes through a reviewer. The error tells them to send the change to a
 *     reviewer, or ask a reviewer to archive and restore the article to draft for a larger rework.
 *   - archived: refused (kb.edit_refused) — restore it to draft first.
 * Every saved change is a new version; history is never rewritten (rollback = a new version).
 */

export const ARTICLE_STATUSES = ['draft', 'review', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const ARTICLE_ACTIONS = ['submit', 'approve', 'reject', 'publish', 'archive', 'restore'] as const;
export type ArticleAction = (typeof ARTICLE_ACTIONS)[number];

/** What the caller may do, from kb:write and kb:publish. */
export type ArticleActor = { canWrite: boolean; canPublish: boolean };

export type ArticleTransitionResult =
  | { ok: true; from: ArticleStatus; to: ArticleStatus; /** Event name for the review trail. */ event: 'submitted' | 'approved' | 'rejected' | 'published' | 'archived' | 'restored' }
  | { ok: false; reason: 'not_allowed_from_status'; from: ArticleStatus; action: ArticleAction; allowedFrom: ArticleStatus[] }
  | { ok: false; reason: 'permission_required'; permission: 'kb:write' | 'kb:publish' }
  | { ok: false; reason: 'note_required' };

type Rule = { from: ArticleStatus[]; to: ArticleStatus; needs: 'write' | 'publish'; event: Extract<ArticleTransitionResult, { ok: true }>['event'] };

function ruleOf(action: ArticleAction): Rule {
  switch (action) {
    case 'submit':
      return { from: ['draft'], to: 'review', needs: 'write', event: 'submitted' };
    case 'approve':
      return { from: ['review'], to: 'published', needs: 'publish', event: 'approved' };
    case 'reject':
      return { from: ['review'], to: 'draft', needs: 'publish', event: 'rejected' };
    case 'publish':
      return { from: ['draft'], to: 'published', needs: 'publish', event: 'published' };
    case 'archive':
      return { from: ['published'], to: 'archived', needs: 'publish', event: 'archived' };
    case 'restore':
      return { from: ['archived'], to: 'draft', needs: 'write', event: 'restored' };
    default:
      return assertNever(action);
  }
}

const allowed = (actor: ArticleActor, needs: 'write' | 'publish') => (needs === 'publish' ? actor.canPublish : actor.canWrite || actor.canPublish);

/**
 * Decides a workflow action. Permission is checked before the status so a caller without the
 * right learns nothing more; a reject needs a non-blank note.
 */
export function transitionArticle(status: ArticleStatus, action: ArticleAction, actor: ArticleActor, note?: string | null): ArticleTransitionResult {
  const rule = ruleOf(action);
  if (!allowed(actor, rule.needs)) return { ok: false, reason: 'permission_required', permission: rule.needs === 'publish' ? 'kb:publish' : 'kb:write' };
  if (!rule.from.includes(status)) return { ok: false, reason: 'not_allowed_from_status', from: status, action, allowedFrom: rule.from };
  if (action === 'reject' && !note?.trim()) return { ok: false, reason: 'note_required' };
  return { ok: true, from: status, to: rule.to, event: rule.event };
}

/** The actions an actor may take on an article in `status` (for buttons). Reject is listed; its note is asked for. */
export function availableArticleActions(status: ArticleStatus, actor: ArticleActor): ArticleAction[] {
  return ARTICLE_ACTIONS.filter((a) => transitionArticle(status, a, actor, 'x').ok);
}

/** Whether a new article may be created directly in `status`. */
export function canCreateArticleAs(status: 'draft' | 'published', actor: ArticleActor): boolean {
  return status === 'published' ? actor.canPublish : actor.canWrite || actor.canPublish;
}

export type ArticleEditDecision =
  | { ok: true; /** Status after the edit. */ status: ArticleStatus }
  | { ok: false; reason: 'permission_required'; permission: 'kb:write' | 'kb:publish' }
  | { ok: false; reason: 'archived' };

/** The edit rule documented at the top of this file. */
export function decideArticleEdit(status: ArticleStatus, actor: ArticleActor): ArticleEditDecision {
  if (!actor.canWrite && !actor.canPublish) return { ok: false, reason: 'permission_required', permission: 'kb:write' };
  switch (status) {
    case 'draft':
      return { ok: true, status: 'draft' };
    case 'review':
      return { ok: true, status: actor.canPublish ? 'review' : 'draft' };
    case 'published':
      return actor.canPublish ? { ok: true, status: 'published' } : { ok: false, reason: 'permission_required', permission: 'kb:publish' };
    case 'archived':
      return { ok: false, reason: 'archived' };
    default:
      return assertNever(status);
  }
}

export type Validity = { validFrom: Date | null; validTo: Date | null };

/** Valid when validFrom ≤ at < validTo; a null bound is open. */
export function isValidAt(v: Validity, at: Date): boolean {
  const t = at.getTime();
  if (v.validFrom && t < v.validFrom.getTime()) return false;
  if (v.validTo && t >= v.validTo.getTime()) return false;
  return true;
}

/** For a badge: not yet in force (scheduled), in force (current) or past its end (expired). */
export function validityState(v: Validity, at: Date): 'scheduled' | 'current' | 'expired' {
  if (v.validFrom && at.getTime() < v.validFrom.getTime()) return 'scheduled';
  if (v.validTo && at.getTime() >= v.validTo.getTime()) return 'expired';
  return 'current';
}

/** A validity range is well formed when its end is after its start (either may be open). */
export function isValidityRange(v: Validity): boolean {
  return !v.validFrom || !v.validTo || v.validTo.getTime() > v.validFrom.getTime();
}

/** The one rule for "customers may see it": published, public and in force now. */
export function isPubliclyVisible(a: Validity & { status: ArticleStatus; audience: 'public' | 'internal' }, at: Date): boolean {
  return a.status === 'published' && a.audience === 'public' && isValidAt(a, at);
}

/** Content fields of one article version, compared by changedArticleFields. */
export type ArticleContent = {
  title: string;
  summary: string;
  body: string;
  tags: readonly string[];
  categoryId: string | null;
  audience: string;
  language: string;
  validFrom: Date | null;
  validTo: Date | null;
};

const CONTENT_FIELDS = ['title', 'summary', 'body', 'tags', 'categoryId', 'audience', 'language', 'validFrom', 'validTo'] as const;
export type ArticleContentField = (typeof CONTENT_FIELDS)[number];

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a as Date | null)?.getTime() === (b as Date | null)?.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Which content fields differ between two versions (the version list's "changed: title, body"). */
export function changedArticleFields(before: ArticleContent, after: ArticleContent): ArticleContentField[] {
  return CONTENT_FIELDS.filter((f) => !same(before[f], after[f]));
}

/** Normalises tags: trimmed, non-empty, unique case-insensitively, first spelling kept, at most 20. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim();
    const k = t.toLowerCase();
    if (!t || seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out.slice(0, 20);
}

/** Share of helpful votes, or null before any vote. */
export function helpfulRatio(yes: number, no: number): number | null {
  return yes + no === 0 ? null : yes / (yes + no);
}
