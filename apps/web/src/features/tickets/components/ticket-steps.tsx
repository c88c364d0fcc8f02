import { Steps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket, TicketEvent } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';

const FLOW = ['accepted', 'dispatched', 'in_progress', 'handled', 'replied', 'followed_up', 'archived'] as const;

/** 受理 → 已派单 → 处理中 → 已处理 → 已回复 → 已回访 → 已归档, with 一次办结 and 退单 shown as such. */
export function TicketSteps({ ticket, events }: { ticket: Ticket; events?: readonly TicketEvent[] }) {
  const { t } = useTranslation();
  const { status, times } = ticket;
  const label = (s: string) => t(`tickets.status.${s}`);

  // Closed at first contact: a short path of its own.
  if (status === 'resolved' || (ticket.fcr && status === 'archived')) {
    const archived = status === 'archived';
    return (
      <Steps
        size="small"
        current={archived ? 3 : 1}
        status="finish"
        items={[
          { title: label('accepted'), content: formatDateTime(times.createdAt) },
          { title: t('tickets.status.resolved'), content: formatDateTime(times.resolvedAt) },
          { title: label('archived'), content: archived ? formatDateTime(times.archivedAt) : undefined },
        ]}
        data-testid="ticket-steps"
      />
    );
  }

  const timeOf: Record<string, string | null> = {
    accepted: times.createdAt,
    dispatched: times.dispatchedAt,
    in_progress: [...(events ?? [])].reverse().find((e) => e.type === 'dispatch_accepted')?.at ?? null,
    handled: times.handledAt,
    replied: times.repliedAt,
    followed_up: times.followedUpAt,
    archived: times.archivedAt,
  };
  const returned = status === 'returned';
  // An archived order has finished every step.
  const current = returned ? 1 : status === 'archived' ? FLOW.length : Math.max(0, FLOW.indexOf(status as (typeof FLOW)[number]));
  const items = FLOW.map((s, i) => ({
    title: returned && i === 1 ? t('tickets.status.returned') : label(s),
    content: i < current || (i === current && !returned) ? formatDateTime(timeOf[s]) : undefined,
  }));
  // A finished step shows no dash when its time is unknown.
  for (const item of items) if (item.content === '—') item.content = undefined;
  return (
    <Steps
      size="small"
      current={current}
      status={returned ? 'error' : status === 'archived' ? 'finish' : 'process'}
      items={items}
      data-testid="ticket-steps"
    />
  );
}
