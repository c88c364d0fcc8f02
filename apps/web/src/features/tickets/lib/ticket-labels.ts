import type { TFunction } from 'i18next';
import type { CategoryField, CategoryNode, TicketActionType, TicketStatus } from '../../../api/types';

// Labels and colours for the work-order codes the server sends. Unknown codes (added later
// server-side) fall back to the raw code.

export const STATUS_COLORS: Record<string, string> = {
  accepted: 'blue',
  dispatched: 'cyan',
  in_progress: 'processing',
  handled: 'geekblue',
  replied: 'purple',
  followed_up: 'green',
  archived: 'default',
  resolved: 'success',
  returned: 'warning',
};

export const PRIORITY_COLORS: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'default', low: 'default' };
export const URGENCY_COLORS: Record<string, string> = { normal: 'default', high: 'orange', critical: 'red' };

export function statusLabel(t: TFunction, status: string): string {
  return t(`tickets.status.${status}`, { defaultValue: status });
}
export function priorityLabel(t: TFunction, priority: string): string {
  return t(`tickets.priority.${priority}`, { defaultValue: priority });
}
export function urgencyLabel(t: TFunction, urgency: string): string {
  return t(`tickets.urgency.${urgency}`, { defaultValue: urgency });
}
export function channelLabel(t: TFunction, channel: string): string {
  return t(`tickets.channel.${channel}`, { defaultValue: channel });
}
export function actionLabel(t: TFunction, action: string): string {
  return t(`tickets.action.${action}`, { defaultValue: action });
}
export function milestoneLabel(t: TFunction, milestone: string): string {
  return t(`tickets.milestone.${milestone}`, { defaultValue: milestone });
}
export function eventLabel(t: TFunction, type: string): string {
  return t(`tickets.event.${type}`, { defaultValue: type });
}

/** Statuses in which the order is still being worked on (the server's `open=true`, plus 待回访). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['accepted', 'dispatched', 'in_progress', 'handled', 'returned', 'replied'];
/** Statuses an urge (催办) is accepted in. */
export const URGEABLE_STATUSES: readonly TicketStatus[] = ['accepted', 'dispatched', 'in_progress', 'handled', 'returned'];

/** Who may perform each action (mirrors ACTION_PERMISSIONS in the server's tickets.service.ts). */
export const ACTION_PERMISSIONS: Readonly<Record<TicketActionType, readonly string[]>> = {
  dispatch: ['ticket:dispatch'],
  accept_dispatch: ['ticket:handle', 'ticket:dispatch'],
  arrive: ['ticket:handle', 'ticket:dispatch'],
  handle: ['ticket:handle', 'ticket:dispatch'],
  return: ['ticket:handle', 'ticket:dispatch'],
  reply: ['ticket:update'],
  resolve_at_first_contact: ['ticket:update'],
  follow_up: ['ticket:update'],
  archive: ['ticket:update'],
  reopen: ['ticket:update'],
  urge: ['ticket:update'],
  pause: ['ticket:update', 'ticket:dispatch'],
  resume: ['ticket:update', 'ticket:dispatch'],
};

export function mayPerform(action: string, can: (permission: string) => boolean): boolean {
  const needed = ACTION_PERMISSIONS[action as TicketActionType];
  return Boolean(needed?.some(can));
}

// ── Categories ──

type Named = { nameZh: string; nameEn: string };
export function localName(lang: string, item: Named): string {
  return (lang === 'en-US' ? item.nameEn : item.nameZh) || item.nameZh;
}
export function fieldLabel(lang: string, field: Pick<CategoryField, 'labelZh' | 'labelEn'>): string {
  return (lang === 'en-US' ? field.labelEn : field.labelZh) || field.labelZh;
}

/** The cascader value ([top] or [top, sub]) of a category code. */
export function categoryPathValue(tree: readonly CategoryNode[], code: string | undefined): string[] {
  if (!code) return [];
  for (const top of tree) {
    if (top.code === code) return [top.code];
    if (top.children.some((c) => c.code === code)) return [top.code, code];
  }
  return [];
}

export function categoryOptions(tree: readonly CategoryNode[], lang: string) {
  return tree.map((top) => ({
    value: top.code,
    label: localName(lang, top),
    children: top.children.length ? top.children.map((c) => ({ value: c.code, label: localName(lang, c) })) : undefined,
  }));
}

/** True when the code names a category an order can be filed under (a leaf). */
export function isLeafCategory(tree: readonly CategoryNode[], code: string | undefined): boolean {
  if (!code) return false;
  for (const top of tree) {
    if (top.code === code) return top.children.length === 0;
    if (top.children.some((c) => c.code === code)) return true;
  }
  return false;
}

/** Fields an order of the category carries: the parent's first, then the sub-category's (same key overrides). */
export function categoryFields(tree: readonly CategoryNode[], code: string | undefined): CategoryField[] {
  if (!code) return [];
  const byKey = new Map<string, CategoryField>();
  for (const top of tree) {
    const child = top.children.find((c) => c.code === code);
    if (top.code !== code && !child) continue;
    for (const f of top.fields) byKey.set(f.key, f);
    for (const f of child?.fields ?? []) byKey.set(f.key, f);
  }
  return [...byKey.values()];
}
