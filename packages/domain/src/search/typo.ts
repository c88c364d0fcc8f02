import { isHanToken, type SearchTermGroup } from './query-plan.ts';

// Typo tolerance for short queries: English words within one edit of a known word; Chinese
// queries of 3–4 characters retried through their 2-character sub-words (one wrong or missing
// character still leaves a correct pair).

/** Damerau-free Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The minimum length of an English word that is corrected (shorter words have too many neighbours). */
export const TYPO_MIN_LENGTH = 4;
/** Queries with more ideas than this are not corrected: long questions have enough other words. */
export const TYPO_MAX_GROUPS = 3;

/**
 * Adds, to every Latin group of a short query whose word is not in the vocabulary, the vocabulary
 * words within edit distance 1 (elecricity → electricity). Returns new groups; the input is kept.
 */
export function addTypoAlternatives(groups: readonly SearchTermGroup[], vocabulary: ReadonlySet<string> | ReadonlyMap<string, number>, maxPerToken = 3): SearchTermGroup[] {
  if (groups.length > TYPO_MAX_GROUPS) return groups.map((g) => ({ ...g }));
  return groups.map((g) => {
    const word = g.head;
    if (isHanToken(word) || word.length < TYPO_MIN_LENGTH || !/^[a-z]+$/.test(word) || vocabulary.has(word)) return { ...g };
    // A known word that starts with the typed one is a prefix match already, not a typo.
    const found: string[] = [];
    for (const v of vocabulary.keys()) {
      if (!/^[a-z]+$/.test(v)) continue;
      if (v.length < TYPO_MIN_LENGTH - 1 || Math.abs(v.length - word.length) > 1) continue;
      if (editDistance(word, v, 1) <= 1) found.push(v);
    }
    if (found.length === 0) return { ...g };
    found.sort();
    const alternatives = [...g.alternatives, ...found.slice(0, maxPerToken).map((v) => [v])];
    return { ...g, alternatives, sources: [...g.sources, 'typo'] };
  });
}

const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * For a Chinese query of 3–4 characters (after trimming punctuation), its 2-character sub-words as
 * one OR-able group each: 停店通知 → 停店, 店通, 通知. Null for other queries.
 */
export function chineseSubwordGroups(text: string): SearchTermGroup[] | null {
  const core = text.replace(/[\s\p{P}]+/gu, '');
  if (!HAN_ONLY.test(core) || core.length < 3 || core.length > 4) return null;
  const chars = [...core];
  const out: SearchTermGroup[] = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = `${chars[i]}${chars[i + 1]}`;
    if (!out.some((g) => g.head === pair)) out.push({ head: pair, alternatives: [[pair]], sources: ['subword'] });
  }
  return out;
}
