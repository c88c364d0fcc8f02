import { formatBytes, type Translate } from '../i18n.ts';
import type { TimelineItem } from '../timeline.ts';
import { h, safeUrl } from './dom.ts';

// Renders the timeline into a list element, reusing the element of every item that did not change
// (items are immutable, so identity tells). Text goes through text nodes only.

export type MessageList = { render(items: TimelineItem[]): void };

export function createMessageList(list: HTMLElement, apiBase: string, t: () => Translate): MessageList {
  const cache = new Map<string, { item: TimelineItem; el: HTMLElement }>();
  return {
    render(items) {
      const seen = new Set<string>();
      let prev: Element | null = null;
      for (const item of items) {
        let entry = cache.get(item.key);
        if (!entry || entry.item !== item) {
          const el = renderItem(item, apiBase, t());
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

function renderItem(item: TimelineItem, apiBase: string, t: Translate): HTMLElement {
  if (item.senderType === 'system' || item.kind === 'event') {
    return h('div', { class: 'm sys' }, item.body);
  }
  const mine = item.senderType === 'customer';
  return h(
    'div',
    { class: mine ? 'm me' : 'm' },
    !mine && item.senderName ? h('div', { class: 'who' }, item.senderName) : null,
    h('div', { class: 'bu' }, ...renderBody(item, apiBase, t)),
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
