import { ClockCircleOutlined, FireOutlined, PauseCircleOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { dueTone, formatSpan, TONE_COLORS, useNow } from '../lib/sla';
import { PRIORITY_COLORS, priorityLabel, STATUS_COLORS, statusLabel, URGENCY_COLORS, urgencyLabel } from '../lib/ticket-labels';

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="ticket-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {statusLabel(t, status)}
    </Tag>
  );
}

/** Priority and urgency in one place; "normal" is not worth a badge in a list. */
export function PriorityBadges({ priority, urgency, showNormal = false }: { priority: string; urgency: string; showNormal?: boolean }) {
  const { t } = useTranslation();
  const showPriority = showNormal || (priority !== 'normal' && priority !== 'low');
  const showUrgency = urgency !== 'normal';
  if (!showPriority && !showUrgency) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
      {showPriority && (
        <Tag color={PRIORITY_COLORS[priority] ?? 'default'} icon={priority === 'urgent' ? <ThunderboltOutlined /> : undefined} style={{ marginInlineEnd: 0 }}>
          {priorityLabel(t, priority)}
        </Tag>
      )}
      {showUrgency && (
        <Tag color={URGENCY_COLORS[urgency] ?? 'default'} icon={<FireOutlined />} style={{ marginInlineEnd: 0 }}>
          {urgencyLabel(t, urgency)}
        </Tag>
      )}
    </span>
  );
}

export function UrgeCount({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count <= 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={count >= 2 ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }} data-testid="ticket-urge-count">
      {t('tickets.urgeCount', { count })}
    </Tag>
  );
}

/** SLA state with the next deadline counting down: orange at risk, red once breached. */
export function SlaCountdown({ state, dueAt, paused = false }: { state: string; dueAt: string | null; paused?: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const tone = dueTone(dueAt, now, state);
  if (paused) {
    return (
      <Tag icon={<PauseCircleOutlined />} style={{ marginInlineEnd: 0 }}>
        {t('tickets.sla.paused')}
      </Tag>
    );
  }
  if (!dueAt) {
    if (state === 'ok') return <Typography.Text type="secondary">—</Typography.Text>;
    return <Tag color={state === 'breached' ? 'red' : 'orange'}>{t(`tickets.slaState.${state}`, { defaultValue: state })}</Tag>;
  }
  const left = Date.parse(dueAt) - now;
  const text = left > 0 ? t('tickets.sla.remaining', { time: formatSpan(t, left) }) : t('tickets.sla.overdue', { time: formatSpan(t, left) });
  return (
    <Tooltip title={t('tickets.sla.dueAt', { time: formatDateTime(dueAt) })}>
      <span style={{ color: TONE_COLORS[tone], whiteSpace: 'nowrap', fontWeight: tone === 'ok' ? undefined : 500 }} data-testid="ticket-sla" data-tone={tone}>
        <ClockCircleOutlined style={{ marginInlineEnd: 4 }} />
        {text}
      </span>
    </Tooltip>
  );
}
