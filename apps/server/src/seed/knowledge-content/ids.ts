import { createHash } from 'node:crypto';

/** A stable uuid (version-5 layout over SHA-1) for a demo article key, so tests and benches can name articles. */
export function kbArticleId(key: string): string {
  const h = createHash('sha1').update(`kefu:kb-article:${key}`).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
