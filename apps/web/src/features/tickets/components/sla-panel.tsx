import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { SLA_MILESTONES, type SlaMilestone, type Ticket, type TicketEvent } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';
import { formatSpan, useNow } from '../lib/sla';
import { milestoneLabel } from '../lib/ticket-labels';

/** When each milestone was met, from the order's times (and the timeline for 接单). */
function metTimes(ticket: Ticket, events: readonly TicketEvent[] | undefined): Record<SlaMilestone, string | null> {
  const accepted = [...(events ?? [])].reverse().find((e) => e.type === 'dispatch_accepted')?.at ?? null;
  return {
    accept: accepted,
    contact: ticket.times.contactedAt,
    dispatch: ticket.times.dispatchedAt,
    arrive: ticket.times.arrivedAt,
    handle: ticket.times.handledAt,
    reply: ticket.times.repliedAt ?? ticket.times.resolvedAt,
    followUp: ticket.times.followedUpAt,
  };
}

const STATE_COLORS: Record<string, string> = { ok: 'green', at_risk: 'orange', breached: 'red' };

/** Each milestone's deadline, whether it was met, and a countdown for the ones still owed. */
export function SlaPanel({ ticket, events }: { ticket: Ticket; events?: readonly TicketEvent[] }) {
  const { t } = useTranslation();
  const now = useNow();
  const met = metTimes(ticket, events);
  const closed = ['replied', 'followed_up', 'archived', 'resolved'].includes(ticket.status);
  const rows = SLA_MILESTONES.filter((m) => ticket.sla.due[m]);
  // The sweeper's warnings name the milestone and the deadline they were about.
  const warned = new Set(
    (events ?? [])
      .filter((e) => e.type === 'sla_at_risk' && typeof e.data.milestone === 'string')
      .filter((e) => Date.parse(String(e.data.dueAt)) === Date.parse(ticket.sla.due[e.data.milestone as SlaMilestone] ?? ''))
      .map((e) => e.data.milestone as string),
  );

  return (
    <Card
      variant="borderless"
      title={t('ticket.cards.sla')}
      extra={<Tag color={STATE_COLORS[ticket.sla.state] ?? 'default'}>{t(`tickets.slaState.${ticket.sla.state}`, { defaultValue: ticket.sla.state })}</Tag>}
      data-testid="ticket-sla-panel"
    >
      {ticket.sla.pausedAt && (
        <Alert type="info" showIcon icon={<PauseCircleOutlined />} style={{ marginBottom: 12 }} title={t('ticket.slaPausedSince', { time: formatDateTime(ticket.sla.pausedAt) })} />
      )}
      {rows.length === 0 ? (
        <Typography.Text type="secondary">{t('ticket.noSla')}</Typography.Text>
      ) : (
        <Flex vertical gap={10}>
          {rows.map((m) => {
            const due = ticket.sla.due[m] as string;
            const dueMs = Date.parse(due);
            const metAt = met[m];
            let icon: React.ReactNode;
            let text: React.ReactNode;
            let color: string;
            if (metAt) {
              const late = Date.parse(metAt) > dueMs;
              icon = late ? <CloseCircleOutlined /> : <CheckCircleOutlined />;
              color = late ? '#f5222d' : '#52c41a';
              text = late ? t('ticket.sla.metLate', { time: formatSpan(t, Date.parse(metAt) - dueMs) }) : t('ticket.sla.met');
            } else if (closed) {
              icon = <CheckCircleOutlined />;
              color = 'rgba(0,0,0,0.45)';
              text = t('ticket.sla.notNeeded');
            } else if (dueMs <= now) {
              icon = <CloseCircleOutlined />;
              color = '#f5222d';
              text = t('tickets.sla.overdue', { time: formatSpan(t, now - dueMs) });
            } else {
              const atRisk = warned.has(m);
              icon = <ClockCircleOutlined />;
              color = atRisk ? '#fa8c16' : '#1677ff';
              text = t('tickets.sla.remaining', { time: formatSpan(t, dueMs - now) });
            }
            return (
              <Flex key={m} justify="space-between" align="baseline" gap={8} data-testid={`sla-${m}`}>
                <Flex vertical>
                  <Typography.Text>{milestoneLabel(t, m)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('ticket.sla.due', { time: formatDateTime(due) })}
                  </Typography.Text>
                  {metAt && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('ticket.sla.metAt', { time: formatDateTime(metAt) })}
                    </Typography.Text>
                  )}
                </Flex>
                <span style={{ color, whiteSpace: 'nowrap' }} data-testid={`sla-${m}-state`}>
                  {icon} {text}
                </span>
              </Flex>
            );
          })}
        </Flex>
      )}
    </Card>
  );
}
