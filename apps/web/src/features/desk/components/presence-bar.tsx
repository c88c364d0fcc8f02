import { DownOutlined, PhoneOutlined, SoundOutlined, MutedOutlined, WifiOutlined, DisconnectOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Divider, Dropdown, Flex, type MenuProps, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AgentDesk, PresenceState } from '../../../api/contact-types';
import { useNotifyError } from '../../../lib/errors';
import { useRealtimeStatus } from '../../../lib/realtime';
import { useNow } from '../../tickets/lib/sla';
import { formatClock, PRESENCE_BADGES, presenceLabel, presenceReasonLabel, secondsSince } from '../../contacts/lib/contact-labels';
import { useSetPresence } from '../hooks/use-desk';
import { unlockAudio } from '../hooks/use-ringer';

type Counters = { ringing: number; active: number; onHold: number; wrapUp: number; callbacks: number };

type Props = {
  desk: AgentDesk;
  counters: Counters;
  muted: boolean;
  onToggleMute: () => void;
  onOpenCallbacks: () => void;
};

/** The desk's top bar: presence switch (在线/忙碌/小休/离线) with time in state, counters, callbacks. */
export function PresenceBar({ desk, counters, muted, onToggleMute, onOpenCallbacks }: Props) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const notifyError = useNotifyError();
  const setPresence = useSetPresence();
  const connection = useRealtimeStatus();
  const { presence, reasons } = desk;

  const change = (state: PresenceState, reason?: string) => {
    unlockAudio();
    if (state === presence.state && (reason ?? null) === (presence.reason ?? null)) return;
    setPresence.mutate({ state, ...(reason ? { reason } : {}) }, { onError: notifyError });
  };

  const reasonItems = (state: 'busy' | 'away') =>
    reasons[state].map((r) => ({
      key: `${state}:${r}`,
      label: <span data-testid={`presence-${state}-${r}`}>{presenceReasonLabel(t, r)}</span>,
    }));

  const items: MenuProps['items'] = [
    { key: 'online', label: <Badge status="success" text={<span data-testid="presence-online">{presenceLabel(t, 'online')}</span>} /> },
    {
      key: 'busy',
      label: <Badge status="error" text={presenceLabel(t, 'busy')} />,
      children: reasonItems('busy'),
      disabled: reasons.busy.length === 0,
    },
    {
      key: 'away',
      label: <Badge status="warning" text={presenceLabel(t, 'away')} />,
      children: reasonItems('away'),
      disabled: reasons.away.length === 0,
    },
    { type: 'divider' },
    { key: 'offline', label: <Badge status="default" text={<span data-testid="presence-offline">{presenceLabel(t, 'offline')}</span>} /> },
  ];

  const onMenu: MenuProps['onClick'] = ({ key }) => {
    const [state, reason] = String(key).split(':') as [PresenceState, string | undefined];
    change(state, reason);
  };

  const inState = secondsSince(presence.since, now);
  const stat = (label: string, value: number, color?: string, testId?: string) => (
    <Statistic
      title={label}
      value={value}
      styles={{ content: { fontSize: 20, color: value ? color : undefined } }}
      data-testid={testId}
    />
  );

  return (
    <Card variant="borderless" styles={{ body: { padding: '12px 20px' } }} data-testid="desk-presence-bar">
      <Flex justify="space-between" align="center" wrap gap={16}>
        <Flex align="center" gap={20} wrap>
          <Dropdown menu={{ items, onClick: onMenu, selectedKeys: [presence.reason ? `${presence.state}:${presence.reason}` : presence.state] }} trigger={['click']}>
            <Button size="large" loading={setPresence.isPending} data-testid="presence-switch" data-state={presence.state}>
              <Badge status={PRESENCE_BADGES[presence.state] ?? 'default'} />
              <span style={{ fontWeight: 600 }}>{presenceLabel(t, presence.state)}</span>
              {presence.reason && <Typography.Text type="secondary">{presenceReasonLabel(t, presence.reason)}</Typography.Text>}
              <DownOutlined style={{ fontSize: 10 }} />
            </Button>
          </Dropdown>
          <Flex vertical>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('desk.timeInState')}
            </Typography.Text>
            <span className="kefu-mono" style={{ fontSize: 20 }} data-testid="presence-time">
              {formatClock(inState)}
            </span>
          </Flex>
          <Divider orientation="vertical" style={{ height: 40 }} />
          <Space size={24} wrap>
            {stat(t('desk.counters.ringing'), counters.ringing, '#52c41a', 'desk-count-ringing')}
            {stat(t('desk.counters.active'), counters.active, '#1677ff', 'desk-count-active')}
            {stat(t('desk.counters.onHold'), counters.onHold, '#fa8c16', 'desk-count-hold')}
            {stat(t('desk.counters.wrapUp'), counters.wrapUp, '#722ed1', 'desk-count-wrapup')}
          </Space>
        </Flex>
        <Space wrap>
          {connection === 'open' ? (
            <Tag icon={<WifiOutlined />} color="success" data-testid="desk-connection" data-status="open">
              {t('desk.connection.open')}
            </Tag>
          ) : (
            <Tooltip title={t('desk.connection.hint')}>
              <Tag icon={<DisconnectOutlined />} color="warning" data-testid="desk-connection" data-status={connection}>
                {t('desk.connection.reconnecting')}
              </Tag>
            </Tooltip>
          )}
          <Tooltip title={muted ? t('desk.unmute') : t('desk.mute')}>
            <Button
              icon={muted ? <MutedOutlined /> : <SoundOutlined />}
              onClick={() => {
                unlockAudio();
                onToggleMute();
              }}
              aria-label={muted ? t('desk.unmute') : t('desk.mute')}
              data-testid="desk-mute"
            />
          </Tooltip>
          <Badge count={counters.callbacks} size="small" offset={[-4, 4]}>
            <Button icon={<PhoneOutlined />} onClick={onOpenCallbacks} data-testid="desk-callbacks">
              {t('desk.callbacks.title')}
            </Button>
          </Badge>
        </Space>
      </Flex>
    </Card>
  );
}
