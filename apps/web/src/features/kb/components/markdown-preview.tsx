import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

// The same renderer settings as the help center: raw HTML off, unsafe URLs dropped by markdown-it.
const md = new MarkdownIt({ html: false, linkify: true });

export function MarkdownPreview({ source }: { source: string }) {
  const html = useMemo(() => md.render(source), [source]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html:false escapes all raw HTML.
  return <div className="kb-markdown" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: html }} />;
}
