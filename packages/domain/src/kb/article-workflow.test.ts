import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARTICLE_ACTIONS,
  ARTICLE_STATUSES,
  type ArticleActor,
  type ArticleStatus,
  availableArticleActions,
  canCreateArticleAs,
  changedArticleFields,
  decideArticleEdit,
  helpfulRatio,
  isPubliclyVisible,
  isValidAt,
  isValidityRange,
  normalizeTags,
  transitionArticle,
  validityState,
} from './article-workflow.ts';

const writer: ArticleActor = { canWrite: true, canPublish: false };
const reviewer: ArticleActor = { canWrite: true, canPublish: true };
const reader: ArticleActor = { canWrite: false, canPublish: false };

describe('transitionArticle', () => {
  it('runs the happy path draft → review → published → archived → draft', () => {
    let s: ArticleStatus = 'draft';
    for (const [action, actor, to] of [
      ['submit', writer, 'review'],
      ['approve', reviewer, 'published'],
      ['archive', reviewer, 'archived'],
      ['restore', writer, 'draft'],
    ] as const) {
      const r = transitionArticle(s, action, actor);
      expect(r).toMatchObject({ ok: true, to });
      if (r.ok) s = r.to;
    }
  });

  it('refuses approve, publish and archive to a kb:write-only author', () => {
    expect(transitionArticle('review', 'approve', writer)).toEqual({ ok: false, reason: 'permission_required', permission: 'kb:publish' });
    expect(transitionArticle('draft', 'publish', writer)).toMatchObject({ ok: false, permission: 'kb:publish' });
    expect(transitionArticle('published', 'archive', writer)).toMatchObject({ ok: false, permission: 'kb:publish' });
  });

  it('refuses a reader everything, even submitting', () => {
    for (const a of ARTICLE_ACTIONS) for (const s of ARTICLE_STATUSES) expect(transitionArticle(s, a, reader).ok).toBe(false);
  });

  it('needs a non-blank note to reject', () => {
    expect(transitionArticle('review', 'reject', reviewer)).toEqual({ ok: false, reason: 'note_required' });
    expect(transitionArticle('review', 'reject', reviewer, '   ')).toEqual({ ok: false, reason: 'note_required' });
    expect(transitionArticle('review', 'reject', reviewer, '电价数字有误')).toMatchObject({ ok: true, to: 'draft', event: 'rejected' });
  });

  it('names the statuses an action is allowed from', () => {
    expect(transitionArticle('published', 'submit', writer)).toEqual({ ok: false, reason: 'not_allowed_from_status', from: 'published', action: 'submit', allowedFrom: ['draft'] });
  });

  it('lists the buttons each actor gets', () => {
    expect(availableArticleActions('review', reviewer)).toEqual(['approve', 'reject']);
    expect(availableArticleActions('review', writer)).toEqual([]);
    expect(availableArticleActions('draft', writer)).toEqual(['submit']);
    expect(availableArticleActions('draft', reviewer)).toEqual(['submit', 'publish']);
  });

  it('never lets an actor without kb:publish put an article live or take it offline (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ action: fc.constantFrom(...ARTICLE_ACTIONS), publish: fc.boolean(), note: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 30 }),
        (steps) => {
          let s: ArticleStatus = 'draft';
          for (const step of steps) {
            const actor = { canWrite: true, canPublish: step.publish };
            const r = transitionArticle(s, step.action, actor, step.note);
            if (!r.ok) continue;
            expect(ARTICLE_STATUSES).toContain(r.to);
            if (r.to === 'published' || s === 'published') expect(step.publish).toBe(true);
            if (step.action === 'reject') expect(step.note?.trim()).toBeTruthy();
            s = r.to;
          }
        },
      ),
    );
  });
});

describe('decideArticleEdit', () => {
  it('keeps a reviewer edit of a published article live', () => {
    expect(decideArticleEdit('published', reviewer)).toEqual({ ok: true, status: 'published' });
  });
  it('refuses a kb:write-only edit of a published article, asking for kb:publish', () => {
    expect(decideArticleEdit('published', writer)).toEqual({ ok: false, reason: 'permission_required', permission: 'kb:publish' });
  });
  it('sends an author edit during review back to draft, a reviewer edit stays in review', () => {
    expect(decideArticleEdit('review', writer)).toEqual({ ok: true, status: 'draft' });
    expect(decideArticleEdit('review', reviewer)).toEqual({ ok: true, status: 'review' });
  });
  it('refuses edits of archived articles and edits by readers', () => {
    expect(decideArticleEdit('archived', reviewer)).toEqual({ ok: false, reason: 'archived' });
    expect(decideArticleEdit('draft', reader)).toMatchObject({ ok: false, permission: 'kb:write' });
  });
  it('lets only publishers create published articles', () => {
    expect(canCreateArticleAs('published', writer)).toBe(false);
    expect(canCreateArticleAs('published', reviewer)).toBe(true);
    expect(canCreateArticleAs('draft', writer)).toBe(true);
    expect(canCreateArticleAs('draft', reader)).toBe(false);
  });
});

describe('validity', () => {
  const from = new Date('2026-07-01T00:00:00+08:00');
  const to = new Date('2026-10-01T00:00:00+08:00');
  it('is in force from validFrom inclusive to validTo exclusive', () => {
    expect(isValidAt({ validFrom: from, validTo: to }, from)).toBe(true);
    expect(isValidAt({ validFrom: from, validTo: to }, to)).toBe(false);
    expect(isValidAt({ validFrom: from, validTo: to }, new Date(from.getTime() - 1))).toBe(false);
    expect(isValidAt({ validFrom: null, validTo: null }, new Date(0))).toBe(true);
  });
  it('labels scheduled, current and expired', () => {
    expect(validityState({ validFrom: from, validTo: to }, new Date('2026-06-30T00:00:00Z'))).toBe('scheduled');
    expect(validityState({ validFrom: from, validTo: to }, new Date('2026-08-01T00:00:00Z'))).toBe('current');
    expect(validityState({ validFrom: from, validTo: to }, to)).toBe('expired');
  });
  it('agrees with validityState and rejects inverted ranges (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 1e12 })), fc.option(fc.integer({ min: 0, max: 1e12 })), fc.integer({ min: 0, max: 1e12 }), (f, t, at) => {
        const v = { validFrom: f === null ? null : new Date(f), validTo: t === null ? null : new Date(t) };
        if (isValidityRange(v)) expect(isValidAt(v, new Date(at))).toBe(validityState(v, new Date(at)) === 'current');
        if (f !== null && t !== null && t <= f) expect(isValidityRange(v)).toBe(false);
      }),
    );
  });
  it('shows customers only published, public, current articles', () => {
    const base = { validFrom: null, validTo: null, status: 'published' as const, audience: 'public' as const };
    const now = new Date('2026-08-01T00:00:00Z');
    expect(isPubliclyVisible(base, now)).toBe(true);
    expect(isPubliclyVisible({ ...base, audience: 'internal' }, now)).toBe(false);
    expect(isPubliclyVisible({ ...base, status: 'review' }, now)).toBe(false);
    expect(isPubliclyVisible({ ...base, validTo: new Date('2026-07-01T00:00:00Z') }, now)).toBe(false);
  });
});

describe('helpers', () => {
  const v1 = { title: '电费怎么交', summary: '', body: 'a', tags: ['电费'], categoryId: null, audience: 'public', language: 'zh-CN', validFrom: null, validTo: null };
  it('names the changed fields', () => {
    expect(changedArticleFields(v1, { ...v1 })).toEqual([]);
    expect(changedArticleFields(v1, { ...v1, body: 'b', tags: ['电费', '缴费'], validFrom: new Date(0) })).toEqual(['body', 'tags', 'validFrom']);
  });
  it('normalises tags', () => {
    expect(normalizeTags([' 电费 ', 'Bill', 'bill', '', '电费'])).toEqual(['电费', 'Bill']);
  });
  it('computes the helpful ratio', () => {
    expect(helpfulRatio(0, 0)).toBeNull();
    expect(helpfulRatio(3, 1)).toBe(0.75);
  });
});
