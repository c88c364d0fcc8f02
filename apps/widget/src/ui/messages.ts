import { formatBytes, type Translate } from '../i18n.ts';
import type { TimelineItem } from '../timeline.ts';
import { h, safeUrl } from './dom.ts';

// Renders the timeline into a list element, reusing the element of every item that did not change
// (items are immutable, so identity tells). Text goes through text nodes only.

export type MessageList = { render(items: TimelineItem[]): void };

/** `pick` sends a quick reply (a clarifying option, 有帮助 / 没帮助) as the visitor's message. */
export function createMessageList(list: HTMLElement, apiBase: string, t: () => Translate, pick: (text: string) => void = () => {}): MessageList {
  const cache = new Map<string, { item: TimelineItem; el: HTMLElement }>();
  return {
    render(items) {
      const seen = new Set<string>();
      let prev: Element | null = null;
      for (const item of items) {
        let entry = cache.get(item.key);
        if (!entry || entry.item !== item) {
          const el = renderItem(item, apiBase, t(), pick);
          entry?.el.replaceWith(el);
          entry = { item, el };
          cache.set(item.key, entry);
        }
        const expected: ChildNode | null = prev ? prev.nextSibling : list.firstChild;
        if (expected !== entry.el) list.insertBefore(entry.el, expected);
        prev = entry.el;
        seen.add(item.key);
      }
      for (const [key, entry] of cache) {
        if (!seen.has(key)) {
          entry.el.remove();
          cache.delete(key);
        }
      }
    },
  };
}

function renderItem(item: TimelineItem, apiBase: string, t: Translate, pick: (text: string) => void): HTMLElement {
  if (item.senderType === 'system' || item.kind === 'event') {
    return h('div', { class: 'm sys' }, item.body);
  }
  const mine = item.senderType === 'customer';
  const bot = item.senderType === 'bot' ? item.bot : null;
  const button = (text: string) => {
    const b = h('button', { class: 'qr' }, text);
    b.addEventListener('click', () => pick(text));
    return b;
  };
  // A bot answer ends with "查看详情：<url>": the link replaces that line.
  const url = bot?.articleUrl ? safeUrl(bot.articleUrl, apiBase) : null;
  const body = url ? item.body.split('\n').slice(0, -1).join('\n') : null;
  const quick = bot ? [...bot.options, ...(bot.askFeedback ? [t('helpful'), t('unhelpful')] : [])] : [];
  return h(
    'div',
    { class: mine ? 'm me' : item.senderType === 'bot' ? 'm bot' : 'm' },
    !mine && (item.senderName || item.senderType === 'bot') ? h('div', { class: 'who' }, item.senderType === 'bot' ? `🤖 ${t('bot')}` : item.senderName) : null,
    h('div', { class: 'bu' }, ...(url && body !== null ? [body, h('br'), h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, t('readMore'))] : renderBody(item, apiBase, t))),
    quick.length ? h('div', { class: 'qs' }, ...quick.map(button)) : null,
    item.delivery === 'sending' ? h('div', { class: 'meta' }, t('sending')) : null,
    item.delivery === 'failed' ? h('div', { class: 'meta err' }, t('failed')) : null,
  );
}

function renderBody(item: TimelineItem, apiBase: string, t: Translate): (Node | string)[] {
  const a = item.attachment;
  const url = a ? safeUrl(a.url, apiBase) : null;
  if (!a || !url) return [item.body];
  const link = (...children: (Node | string)[]) => h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, ...children);
  const caption = item.body && item.body !== a.name ? [item.body] : [];
  if (item.kind === 'image' || a.contentType.startsWith('image/')) {
    return [link(h('img', { src: url, alt: a.name || t('attachment'), loading: 'lazy' })), ...caption];
  }
  return [link(`📎 ${a.name || t('attachment')} (${formatBytes(a.size)})`), ...caption];
}
