import type { TFunction } from 'i18next';
import type { ContactChannel, ReasonCode, TContact, TMessage } from '../../../api/contact-types';
import type { TicketChannel } from '../../../api/types';

// Labels, colours and small pure helpers for contacts (联络), shared by the agent desktop, the
// supervisor wall and the customer's contact timeline. Unknown codes fall back to the raw code.

export function contactChannelLabel(t: TFunction, channel: string): string {
  return t(`contacts.channel.${channel}`, { defaultValue: channel });
}
export function contactStatusLabel(t: TFunction, status: string): string {
  return t(`contacts.status.${status}`, { defaultValue: status });
}
export function outcomeLabel(t: TFunction, outcome: string | null | undefined): string {
  if (!outcome) return '—';
  return t(`contacts.outcome.${outcome}`, { defaultValue: outcome });
}
export function presenceLabel(t: TFunction, state: string): string {
  return t(`contacts.presence.${state}`, { defaultValue: state });
}
export function presenceReasonLabel(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return '';
  return t(`contacts.presenceReason.${reason}`, { defaultValue: reason });
}
export function endReasonLabel(t: TFunction, reason: string | null | undefined): string {
  if (!reason) return '—';
  return t(`contacts.endReason.${reason}`, { defaultValue: reason });
}
export function abuseStageLabel(t: TFunction, stage: string): string {
  return t(`contacts.abuseStage.${stage}`, { defaultValue: stage });
}
export function contactPriorityLabel(t: TFunction, priority: string): string {
  return t(`contacts.priority.${priority}`, { defaultValue: priority });
}
export function contactEventLabel(t: TFunction, type: string): string {
  return t(`contacts.event.${type}`, { defaultValue: type });
}

export const CONTACT_STATUS_COLORS: Record<string, string> = {
  created: 'default',
  queued: 'blue',
  offered: 'processing',
  active: 'green',
  on_hold: 'orange',
  wrap_up: 'purple',
  closed: 'default',
};

/** Tag colours of agent presence on the wall and the desk (green ready, orange busy, gold away). */
export const PRESENCE_COLORS: Record<string, string> = { online: 'green', busy: 'orange', away: 'gold', offline: 'default' };
/** Badge statuses for the same states. */
export const PRESENCE_BADGES: Record<string, 'success' | 'warning' | 'processing' | 'default' | 'error'> = {
  online: 'success',
  busy: 'error',
  away: 'warning',
  offline: 'default',
};

export const PRIORITY_TAG_COLORS: Record<string, string> = { vulnerable: 'orange', key_account: 'gold', normal: 'default' };

/** The work-order channel a contact's order is recorded with. */
export const TICKET_CHANNEL_OF: Record<ContactChannel, TicketChannel> = {
  chat: 'web',
  call: 'phone',
  wechat: 'wechat',
  sms: 'sms',
  email: 'email',
  walk_in: 'walk_in',
  outbound: 'outbound',
};

/** "4:05", "1:02:09" for a non-negative number of seconds; "—" when unknown. */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/** Seconds from an ISO time to `now` (never negative); null when the time is missing. */
export function secondsSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.max(0, (now - at) / 1000);
}

/** The name of a customer or visitor to show for a contact. */
export function contactPartyName(t: TFunction, contact: Pick<TContact, 'customerName' | 'fromAddress'>, visitorName?: string | null): string {
  return contact.customerName ?? visitorName ?? contact.fromAddress ?? t('contacts.anonymous');
}

export type ReasonTreeNode = { value: string; title: string; selectable: boolean; children?: ReasonTreeNode[] };

/**
 * Builds the wrap-up reason tree (话后小结原因) from the flat list the server answers. Only leaves
 * are selectable; inactive codes are dropped; a code whose parent is unknown becomes a root.
 */
export function buildReasonTree(codes: readonly ReasonCode[], language: string): ReasonTreeNode[] {
  const active = codes.filter((c) => c.active);
  const known = new Set(active.map((c) => c.code));
  const byParent = new Map<string | null, ReasonCode[]>();
  for (const c of active) {
    const parent = c.parentCode && known.has(c.parentCode) ? c.parentCode : null;
    const list = byParent.get(parent) ?? [];
    list.push(c);
    byParent.set(parent, list);
  }
  const build = (parent: string | null, seen: Set<string>): ReasonTreeNode[] =>
    (byParent.get(parent) ?? [])
      .filter((c) => !seen.has(c.code))
      .map((c) => {
        const children = build(c.code, new Set([...seen, c.code]));
        const title = (language === 'en-US' ? c.nameEn : c.nameZh) || c.code;
        return children.length ? { value: c.code, title, selectable: false, children } : { value: c.code, title, selectable: true };
      });
  return build(null, new Set());
}

/** "故障报修 / 停电" for a reason code, using the tree's names; the raw code when unknown. */
export function reasonCodePath(codes: readonly ReasonCode[] | undefined, code: string | null | undefined, language: string): string {
  if (!code) return '—';
  const byCode = new Map((codes ?? []).map((c) => [c.code, c]));
  const names: string[] = [];
  let current = byCode.get(code);
  const seen = new Set<string>();
  while (current && !seen.has(current.code)) {
    seen.add(current.code);
    names.unshift((language === 'en-US' ? current.nameEn : current.nameZh) || current.code);
    current = current.parentCode ? byCode.get(current.parentCode) : undefined;
  }
  return names.length ? names.join(' / ') : code;
}

/** Adds messages to a conversation's list: one entry per id, ordered by seq. */
export function mergeMessages(list: readonly TMessage[], incoming: readonly TMessage[]): TMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** A unique id for an outgoing message (the server's idempotency key). */
export function newClientMsgId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID exists only on https and localhost; fall back on a random string.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the customer wrote, as a starting description for a work order created from the conversation. */
export function customerTranscript(messages: readonly TMessage[], max = 2000): string {
  const text = messages
    .filter((m) => m.senderType === 'customer' && !m.internal && m.kind === 'text' && m.body.trim())
    .map((m) => m.body.trim())
    .join('\n');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
