import { customPinyin, pinyin } from 'pinyin-pro';
import type { RawBuilder } from 'kysely';
import { weightedSearchVector } from '../../platform/text-search.ts';

const HAN = /\p{Script=Han}/u;

// Readings pinyin-pro's dictionary gets wrong in our titles (藏语 is zàng, not cáng).
customPinyin({ 藏语: 'zàng yǔ', 藏文: 'zàng wén' });

/**
 * The pinyin column of a script: initials, then full pinyin, of the title's Chinese characters
 * (问候开场 → "whkc wenhoukaichang"), so typing `/whkc` or `/wenhou` finds it. Empty for titles
 * without Chinese.
 */
export function toScriptPinyin(title: string): string {
  const han = [...title].filter((ch) => HAN.test(ch)).join('');
  if (!han) return '';
  const initials = pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
  const full = pinyin(han, { toneType: 'none', type: 'array' }).join('');
  return `${initials} ${full}`.toLowerCase();
}

/** The computed columns of a script row: pinyin of the title and the weighted search vector. */
export function scriptSearchColumns(s: { title: string; body: string; tags: readonly string[]; situation: string }): { pinyin: string; search_text: RawBuilder<string> } {
  return {
    pinyin: toScriptPinyin(s.title),
    // Title A; tags and the situation code B (so "holiday" finds the holiday greetings); body C.
    search_text: weightedSearchVector({ a: [s.title], b: [...s.tags, s.situation], c: [s.body] }),
  };
}

/** A query that can be pinyin: latin letters only (spaces ignored), e.g. "whkc", "wen hou". */
export function asPinyinQuery(q: string): string | null {
  const compact = q.toLowerCase().replace(/\s+/g, '');
  return /^[a-z]{1,40}$/.test(compact) ? compact : null;
}
