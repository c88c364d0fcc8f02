import type { TOverflowAction } from './contracts.ts';
import type { Translate } from './i18n.ts';

// Maps the status the server pushes (`conversation.updated`, or a visitor's `contact.updated`, whose
// status the docs describe as queued / active / ended) onto what the header shows. The exact
// vocabulary of conversation.updated is not fixed in docs/realtime.md yet, so contact statuses and
// conversation statuses are both accepted.

export type Phase = 'queued' | 'active' | 'ended';
export type StatusChange = { phase: Phase } | { overflow: TOverflowAction } | null;

export function readStatus(status: unknown, overflowAction?: unknown): StatusChange {
  const overflow = overflowAction === 'callback' || overflowAction === 'leave_message' ? overflowAction : null;
  switch (status) {
    case 'created':
    case 'queued':
    case 'offered':
      return { phase: 'queued' };
    case 'active':
    case 'on_hold':
      return { phase: 'active' };
    // The contact left the queue without an agent: the server offers leave-a-message or a call back.
    case 'overflowed':
    case 'leave_message':
    case 'callback':
      return { overflow: overflow ?? (status === 'callback' ? 'callback' : 'leave_message') };
    case 'wrap_up':
    case 'ended':
    case 'closed':
      return overflow ? { overflow } : { phase: 'ended' };
    default:
      return null;
  }
}

/** The header's status line: 排队中 / 已接入 <agent> / 已结束, or the closed notice. */
export function headerStatus(
  s: { phase: Phase | null; agentName: string | null; queuePosition: number | null; closed: boolean },
  t: Translate,
): string {
  switch (s.phase) {
    case 'queued':
      return s.queuePosition && s.queuePosition > 0 ? t('queuedAt', { n: s.queuePosition }) : t('queued');
    case 'active':
      return s.agentName ? t('active', { agent: s.agentName }) : t('activeAnon');
    case 'ended':
      return t('ended');
    default:
      return s.closed ? t('closed') : '';
  }
}
