import { AudioOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TContact, WallAgent } from '../../../api/contact-types';
import { ChannelIcon, ContactStatusTag } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { contactPriorityLabel, formatClock, PRIORITY_TAG_COLORS, secondsSince } from '../../contacts/lib/contact-labels';
import type { ListenTarget } from './listen-drawer';

type Props = { contacts: readonly TContact[]; agents: readonly WallAgent[]; now: number; onListen: (target: ListenTarget) => void };

/**
 * Contacts waiting for a person, longest wait first, with the agent each one rings at. A compact
 * list, not a table: it sits in the wall's narrow side column.
 */
export function WaitingList({ contacts, agents, now, onListen }: Props) {
  const { t } = useTranslation();
  const agentName = (id: string | null) => (id ? (agents.find((a) => a.id === id)?.displayName ?? '—') : null);
  // The wait counts from the first time the contact queued (a transferred contact keeps its first queue time).
  const rows = [...contacts].sort((a, b) => (a.queuedAt ?? a.createdAt).localeCompare(b.queuedAt ?? b.createdAt));
  if (rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wall.waiting.none')} />;
  return (
    <Flex vertical gap={6} style={{ maxHeight: 420, overflowY: 'auto' }} data-testid="wall-waiting">
      {rows.map((c) => {
        const waited = secondsSince(c.queuedAt ?? c.createdAt, now);
        return (
          <Flex key={c.id} justify="space-between" align="center" gap={8} className="kefu-pick-row" data-testid="wall-waiting-contact">
            <Flex vertical style={{ minWidth: 0 }}>
              <Space size={6} wrap>
                <ChannelIcon channel={c.channel} />
                <Typography.Text strong>
                  <ContactName contact={c} />
                </Typography.Text>
                {c.priority !== 'normal' && (
                  <Tag color={PRIORITY_TAG_COLORS[c.priority]} style={{ marginInlineEnd: 0 }}>
                    {contactPriorityLabel(t, c.priority)}
                  </Tag>
                )}
              </Space>
              <Space size={6} wrap style={{ fontSize: 12 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.queueName ?? '—'}
                </Typography.Text>
                <ContactStatusTag status={c.status} />
                {c.status === 'offered' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {agentName(c.offerAgentId)}
                  </Typography.Text>
                )}
              </Space>
            </Flex>
            <Space size={4}>
              <Tooltip title={t('wall.waiting.wait')}>
                <span className="kefu-mono" style={{ color: (waited ?? 0) > 60 ? '#f5222d' : undefined }} data-testid="wall-waiting-time">
                  {formatClock(waited)}
                </span>
              </Tooltip>
              {c.conversationId && (
                <Button
                  size="small"
                  type="text"
                  icon={<AudioOutlined />}
                  aria-label={t('wall.listen.title')}
                  onClick={() => onListen({ contactId: c.id, conversationId: c.conversationId, channel: c.channel, status: c.status, customerName: c.customerName, agentName: null })}
                />
              )}
            </Space>
          </Flex>
        );
      })}
    </Flex>
  );
}
