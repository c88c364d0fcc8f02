// Pinyin initials for scripts (话术): typing `whY` or `why` finds 问候语, whose initials are stored
// in scripts.pinyin. Case never matters.

/** Whether a query looks like pinyin initials: 1–12 Latin letters, nothing else. */
export function isPinyinInitialsQuery(q: string): boolean {
  return /^[a-z]{1,12}$/i.test(q.trim());
}

/**
 * How well stored initials match the query: 1 exact, 0.8 prefix, 0.5 inside, 0 no match.
 */
export function pinyinInitialsMatch(stored: string, q: string): number {
  const s = stored.toLowerCase();
  const query = q.trim().toLowerCase();
  if (!query || !s) return 0;
  if (s === query) return 1;
  if (s.startsWith(query)) return 0.8;
  if (s.includes(query)) return 0.5;
  return 0;
}
