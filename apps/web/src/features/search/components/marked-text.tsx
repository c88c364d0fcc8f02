import type { ReactNode } from 'react';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Renders the server's highlight (HTML-escaped text with <mark>…</mark>) without innerHTML: only
 * <mark> becomes an element, everything else is shown as text.
 */
export function MarkedText({ html }: { html: string }) {
  const out: ReactNode[] = [];
  let marked = false;
  let offset = 0; // position in the source string: a stable key per piece
  for (const part of html.split(/(<mark>|<\/mark>)/)) {
    offset += part.length;
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = part.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
      out.push(marked ? <mark key={`m${offset}`}>{text}</mark> : text);
    }
  }
  return <>{out}</>;
}
