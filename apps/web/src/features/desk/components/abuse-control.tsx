import { StopOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AbuseAction, TContact } from '../../../api/contact-types';
import { useNotifyError } from '../../../lib/errors';
import { abuseStageLabel } from '../../contacts/lib/contact-labels';
import { useAbuseAction } from '../hooks/use-desk';

const STAGE_COLORS: Record<string, string> = { warned_once: 'orange', warned_twice: 'volcano', closure_requested: 'red', closed: 'default' };

/** The protocol's next step for the agent, by stage: warning 1 → warning 2 → ask the team lead to close. */
const NEXT: Record<string, { action: AbuseAction; labelKey: string; confirmKey: string } | undefined> = {
  none: { action: 'warn', labelKey: 'desk.abuse.warn1', confirmKey: 'desk.abuse.confirmWarn1' },
  warned_once: { action: 'warn', labelKey: 'desk.abuse.warn2', confirmKey: 'desk.abuse.confirmWarn2' },
  warned_twice: { action: 'request_closure', labelKey: 'desk.abuse.requestClosure', confirmKey: 'desk.abuse.confirmRequest' },
};

export function AbuseStageTag({ contact }: { contact: TContact }) {
  const { t } = useTranslation();
  const stage = contact.abuse?.stage ?? 'none';
  if (stage === 'none') return null;
  return (
    <Tag color={STAGE_COLORS[stage] ?? 'red'} icon={<StopOutlined />} data-testid="abuse-stage" data-stage={stage}>
      {abuseStageLabel(t, stage)}
    </Tag>
  );
}

/** 标记骚扰: one button that always offers the next step of the abusive-contact protocol. */
export function AbuseControl({ contact, agentId, disabled }: { contact: TContact; agentId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const abuse = useAbuseAction(agentId);
  const stage = contact.abuse?.stage ?? 'none';
  const next = NEXT[stage];

  if (!next) {
    return (
      <Tooltip title={stage === 'closure_requested' ? t('desk.abuse.waitingHint') : undefined}>
        <Button danger icon={<StopOutlined />} disabled data-testid="abuse-button" data-stage={stage}>
          {stage === 'closure_requested' ? t('desk.abuse.waiting') : abuseStageLabel(t, stage)}
        </Button>
      </Tooltip>
    );
  }
  return (
    <Popconfirm
      title={t(next.labelKey)}
      description={<div style={{ maxWidth: 280 }}>{t(next.confirmKey)}</div>}
      okButtonProps={{ danger: true }}
      onConfirm={() =>
        abuse.mutate(
          { contactId: contact.id, action: next.action },
          { onSuccess: () => message.success(t(next.action === 'warn' ? 'desk.abuse.warned' : 'desk.abuse.requested')), onError: notifyError },
        )
      }
      disabled={disabled}
    >
      <Button danger icon={<StopOutlined />} loading={abuse.isPending} disabled={disabled} data-testid="abuse-button" data-stage={stage}>
        {t(next.labelKey)}
      </Button>
    </Popconfirm>
  );
}
