// Highlighting: the text is HTML-escaped piece by piece and only the matched words are wrapped in
// <mark>, so a document can never inject markup into a result list.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five HTML special characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Markdown to one line of plain text for snippets: drops markup, keeps the words. */
export function markdownToPlain(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Range = { start: number; end: number };

/** Where the terms occur (case-insensitive); Latin terms only at the start of a word. Longest wins. */
export function findMatches(text: string, terms: readonly string[]): Range[] {
  const usable = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return [];
  const pattern = usable.map((t) => (/^[a-z0-9]/i.test(t) ? `(?<![a-z0-9])${escapeRegExp(t)}[a-z0-9]*` : escapeRegExp(t))).join('|');
  const re = new RegExp(pattern, 'giu');
  const out: Range[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  return out;
}

function render(text: string, ranges: readonly Range[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const r of ranges) {
    if (r.end <= from || r.start >= to) continue;
    const s = Math.max(r.start, at);
    const e = Math.min(r.end, to);
    if (s < at || e <= s) continue;
    out += escapeHtml(text.slice(at, s));
    out += `<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  return out + escapeHtml(text.slice(at, to));
}

/** The whole text, HTML-escaped, with every match wrapped in <mark>. */
export function highlightText(text: string, terms: readonly string[]): string {
  return render(text, findMatches(text, terms), 0, text.length);
}

/**
 * A window of about `size` characters around the first match (or the start of the text when
 * nothing matches), HTML-escaped with matches marked and … where text was cut.
 */
export function highlightSnippet(text: string, terms: readonly string[], size = 120): string {
  const ranges = findMatches(text, terms);
  const first = ranges[0];
  let from = 0;
  if (first && first.start > size / 3) from = first.start - Math.floor(size / 3);
  let to = Math.min(text.length, from + size);
  if (to - from < size) from = Math.max(0, to - size);
  // Never cut a surrogate pair.
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from] ?? '')) from -= 1;
  if (to < text.length && /[\uDC00-\uDFFF]/.test(text[to] ?? '')) to += 1;
  return `${from > 0 ? '…' : ''}${render(text, ranges, from, to)}${to < text.length ? '…' : ''}`;
}
