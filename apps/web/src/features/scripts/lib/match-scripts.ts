import type { TScript } from '@kefu/contracts';

// The reply box's `/` picker filters the library on the client (it is small: tens to a few hundred
// scripts): by shortcut, pinyin initials (whkc → 问候开场), full pinyin, title, tags and — in the
// search box only — the body.

type Matchable = Pick<TScript, 'shortcut' | 'title' | 'pinyin' | 'tags' | 'body' | 'usageCount'>;

function rank(s: Matchable, q: string, withBody: boolean): number | null {
  const shortcut = s.shortcut.toLowerCase();
  if (shortcut === q) return 0;
  if (shortcut.startsWith(q)) return 1;
  const [initials = '', full = ''] = s.pinyin.split(' ');
  if (initials.startsWith(q) && initials) return 2;
  if (full.startsWith(q) && full) return 3;
  if (s.title.toLowerCase().includes(q)) return 4;
  if (s.tags.some((t) => t.toLowerCase().includes(q))) return 5;
  if (initials.includes(q) || full.includes(q)) return 6;
  if (withBody && s.body.toLowerCase().includes(q)) return 7;
  return null;
}

/** Scripts matching `query`, best first (stable within a rank, so library order is kept). */
export function matchScripts<T extends Matchable>(scripts: readonly T[], query: string, options: { limit?: number; withBody?: boolean } = {}): T[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!q) return scripts.slice(0, limit);
  const ranked: { s: T; r: number; i: number }[] = [];
  scripts.forEach((s, i) => {
    const r = rank(s, q, options.withBody ?? false);
    if (r !== null) ranked.push({ s, r, i });
  });
  ranked.sort((a, b) => a.r - b.r || a.i - b.i);
  return ranked.slice(0, limit).map((x) => x.s);
}

/** Variables of a template (`{customer.name}` → "customer.name"), as the server reads them. */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\}/g)].map((m) => m[1] as string))];
}
