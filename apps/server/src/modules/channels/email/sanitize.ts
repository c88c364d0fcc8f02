import sanitizeHtml, { type Attributes, type Tag } from 'sanitize-html';

// HTML bodies are sanitised before display: no scripts, styles, event handlers or forms; links get
// rel="noopener noreferrer nofollow" and open in a new tab; remote images (tracking pixels) become
// plain links so that opening a mail never calls the sender's server; inline images (cid parts
// resolved by the parser to data: URIs) are kept when they are raster images.

const SAFE_DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i;
const LINK_REL = 'noopener noreferrer nofollow';

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'a', 'b', 'blockquote', 'br', 'code', 'div', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
      'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
      'thead', 'tr', 'u', 'ul',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // script/style/textarea contents are dropped with the tag (sanitize-html's nonTextTags)
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL, target: '_blank' } }),
      img: (tagName: string, attribs: Attributes): Tag => {
        const src = (attribs.src ?? '').trim();
        if (SAFE_DATA_IMAGE.test(src)) return { tagName, attribs: { src, alt: attribs.alt ?? '' }, text: '' };
        if (/^https?:\/\//i.test(src)) {
          return { tagName: 'a', attribs: { href: src, rel: LINK_REL, target: '_blank' }, text: `[${attribs.alt?.trim() || '图片 image'}]` };
        }
        // anything else (javascript:, svg data, unresolved cid:) is dropped
        return { tagName: 'span', attribs: {}, text: attribs.alt ? `[${attribs.alt}]` : '' };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && frame.text.trim() === '',
  });
}
