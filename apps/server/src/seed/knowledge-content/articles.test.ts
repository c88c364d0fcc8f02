import { describe, expect, it } from 'vitest';
import { LABELLED_QUESTIONS, UNANSWERABLE_QUESTIONS } from '../../../../../bench/search-quality/labelled-questions.ts';
import { KB_ARTICLES, KB_CATEGORIES } from './articles.ts';
import { kbArticleId } from './ids.ts';
import { KB_SYNONYMS } from './synonyms.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const byKey = new Map(KB_ARTICLES.map((a) => [a.key, a]));
const categoryCodes = new Set(KB_CATEGORIES.map((c) => c.code));

describe('demo knowledge categories', () => {
  it('have unique slug codes, both names, and parents that exist and are top-level', () => {
    expect(categoryCodes.size).toBe(KB_CATEGORIES.length);
    for (const c of KB_CATEGORIES) {
      expect(c.code, c.code).toMatch(SLUG);
      expect(c.nameZh.trim(), c.code).not.toBe('');
      expect(c.nameEn.trim(), c.code).not.toBe('');
      if (c.parentCode !== undefined) {
        const parent = KB_CATEGORIES.find((p) => p.code === c.parentCode);
        expect(parent, `${c.code} → ${c.parentCode}`).toBeDefined();
        expect(parent?.parentCode, `${c.code} nests only one level`).toBeUndefined();
      }
    }
    expect(KB_CATEGORIES.filter((c) => c.parentCode === undefined).length).toBeGreaterThanOrEqual(10);
  });
});

describe('demo knowledge articles', () => {
  it('has at least 130 articles in both languages and both audiences', () => {
    expect(KB_ARTICLES.length).toBeGreaterThanOrEqual(130);
    const count = (language: string, audience: string) => KB_ARTICLES.filter((a) => a.language === language && a.audience === audience).length;
    expect(count('zh-CN', 'public')).toBeGreaterThanOrEqual(100);
    expect(count('zh-CN', 'internal')).toBeGreaterThanOrEqual(10);
    expect(count('en-US', 'public')).toBeGreaterThanOrEqual(15);
  });

  it('has unique slug keys and unique ids', () => {
    expect(byKey.size).toBe(KB_ARTICLES.length);
    for (const a of KB_ARTICLES) expect(a.key, a.key).toMatch(SLUG);
    expect(new Set(KB_ARTICLES.map((a) => kbArticleId(a.key))).size).toBe(KB_ARTICLES.length);
    expect(new Set(KB_ARTICLES.map((a) => `${a.language}:${a.title}`)).size).toBe(KB_ARTICLES.length);
  });

  it('puts every article in an existing category, internal ones (only) in the internal category', () => {
    for (const a of KB_ARTICLES) {
      expect(categoryCodes.has(a.categoryCode), `${a.key}: ${a.categoryCode}`).toBe(true);
      expect(a.categoryCode === 'internal', a.key).toBe(a.audience === 'internal');
    }
  });

  it('links only to other existing articles of the same language', () => {
    for (const a of KB_ARTICLES) {
      const related = a.related ?? [];
      expect(new Set(related).size, a.key).toBe(related.length);
      for (const r of related) {
        expect(r, a.key).not.toBe(a.key);
        const target = byKey.get(r);
        expect(target, `${a.key} → ${r}`).toBeDefined();
        expect(target?.language, `${a.key} → ${r}`).toBe(a.language);
      }
    }
  });

  it('keeps summaries short enough for the bot, with a title, body and 3–6 tags', () => {
    for (const a of KB_ARTICLES) {
      expect(a.summary.length, a.key).toBeLessThanOrEqual(120);
      expect(a.summary.length, a.key).toBeGreaterThan(20);
      expect(a.title.trim(), a.key).not.toBe('');
      const lines = a.body.split('\n').filter((l) => l.trim() !== '');
      expect(lines.length, a.key).toBeGreaterThanOrEqual(3);
      expect(lines.length, a.key).toBeLessThanOrEqual(10);
      expect(a.tags.length, a.key).toBeGreaterThanOrEqual(3);
      expect(a.tags.length, a.key).toBeLessThanOrEqual(6);
      expect(new Set(a.tags).size, a.key).toBe(a.tags.length);
    }
  });

  it('has ordered validity ranges, including an expired tariff, its successor, a seasonal and a future article', () => {
    for (const a of KB_ARTICLES) {
      for (const v of [a.validFrom, a.validTo]) if (v !== undefined) expect(Number.isNaN(Date.parse(v)), `${a.key}: ${v}`).toBe(false);
      if (a.validFrom && a.validTo) expect(Date.parse(a.validFrom), a.key).toBeLessThan(Date.parse(a.validTo));
    }
    const old = byKey.get('peak-valley-2026h1');
    const current = byKey.get('peak-valley-2026h2');
    expect(old?.validTo).toBeDefined();
    expect(Date.parse(old?.validTo ?? '')).toBe(Date.parse(current?.validFrom ?? ''));
    expect(Date.parse(old?.validTo ?? '')).toBe(Date.parse('2026-07-01T00:00:00+08:00'));
    const heating = byKey.get('heating-subsidy-2026');
    expect(Date.parse(heating?.validFrom ?? '')).toBe(Date.parse('2026-11-01T00:00:00+08:00'));
    expect(Date.parse(heating?.validTo ?? '')).toBe(Date.parse('2027-04-01T00:00:00+08:00'));
    expect(Date.parse(byKey.get('ladder-2027-adjustment')?.validFrom ?? '')).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
  });

  it('writes English articles without Chinese-only titles and Chinese articles in Chinese', () => {
    const han = /\p{Script=Han}/u;
    for (const a of KB_ARTICLES) {
      if (a.language === 'zh-CN') expect(han.test(a.title + a.summary), a.key).toBe(true);
      else expect(/^[\x20-\x7e]+$/.test(a.title.replace(/\(网上国网\)/, '')), a.key).toBe(true);
    }
  });
});

describe('labelled search questions', () => {
  it('has at least 130 unique questions in both languages', () => {
    expect(LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(130);
    expect(new Set(LABELLED_QUESTIONS.map((q) => q.q)).size).toBe(LABELLED_QUESTIONS.length);
    expect(LABELLED_QUESTIONS.filter((q) => q.language === 'en-US').length).toBeGreaterThanOrEqual(15);
    expect(LABELLED_QUESTIONS.filter((q) => q.language === 'zh-CN').length).toBeGreaterThanOrEqual(100);
  });

  it('expects an existing public article in the question language, never an internal one', () => {
    for (const q of LABELLED_QUESTIONS) {
      const a = byKey.get(q.expected);
      expect(a, `${q.q} → ${q.expected}`).toBeDefined();
      expect(a?.audience, q.q).toBe('public');
      expect(a?.language, q.q).toBe(q.language);
    }
  });

  it('does not simply repeat article titles', () => {
    const norm = (s: string) => s.toLowerCase().replace(/[\s\p{P}]/gu, '');
    for (const q of LABELLED_QUESTIONS) {
      const title = norm(byKey.get(q.expected)?.title ?? '');
      expect(norm(q.q).includes(title), q.q).toBe(false);
      expect(title.includes(norm(q.q)) && norm(q.q).length > 4, q.q).toBe(false);
    }
  });

  it('keeps unanswerable questions apart from the labelled ones', () => {
    expect(UNANSWERABLE_QUESTIONS.length).toBeGreaterThanOrEqual(20);
    const labelled = new Set(LABELLED_QUESTIONS.map((q) => q.q));
    for (const q of UNANSWERABLE_QUESTIONS) expect(labelled.has(q), q).toBe(false);
  });
});

describe('synonym groups', () => {
  it('has 40+ groups of 2+ distinct lower-case words, each word in one group only', () => {
    expect(KB_SYNONYMS.length).toBeGreaterThanOrEqual(40);
    const seen = new Map<string, number>();
    KB_SYNONYMS.forEach((group, i) => {
      expect(group.length, group.join('/')).toBeGreaterThanOrEqual(2);
      for (const w of group) {
        expect(w, group.join('/')).toBe(w.toLowerCase().trim());
        expect(seen.get(w), `${w} in groups ${seen.get(w)} and ${i}`).toBeUndefined();
        seen.set(w, i);
      }
    });
    expect(KB_SYNONYMS.some((g) => g.includes('停电') && g.includes('没电'))).toBe(true);
    expect(KB_SYNONYMS.some((g) => g.includes('outage') && g.includes('blackout'))).toBe(true);
  });
});
