import { AudioOutlined, CheckOutlined, CloseOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { TContact } from '../../../api/contact-types';
import { useNotifyError } from '../../../lib/errors';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { formatClock, secondsSince } from '../../contacts/lib/contact-labels';
import { wallKey } from '../hooks/use-wall';
import type { ListenTarget } from './listen-drawer';

function useDecide() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, action }: { contactId: string; action: 'approve_closure' | 'reject_closure' }) =>
      api.post<TContact>(`/contacts/${encodeURIComponent(contactId)}/abuse`, { action }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: wallKey }),
  });
}

type Props = { contacts: readonly TContact[]; now: number; onListen: (target: ListenTarget) => void };

/** 骚扰会话结束申请: after two warnings the agent asks; the team lead approves (closing script, session ends) or rejects. */
export function ClosureRequests({ contacts, now, onListen }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const decide = useDecide();
  return (
    <Card
      variant="borderless"
      title={
        <Space>
          <StopOutlined style={{ color: contacts.length ? '#f5222d' : undefined }} />
          {t('wall.closures.title')}
          {contacts.length > 0 && <Typography.Text type="danger">{contacts.length}</Typography.Text>}
        </Space>
      }
      data-testid="wall-closures"
    >
      {contacts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wall.closures.none')} />
      ) : (
        <Flex vertical gap={10}>
          {contacts.map((c) => {
            const busy = decide.isPending && decide.variables?.contactId === c.id;
            return (
              <Flex key={c.id} justify="space-between" align="center" gap={8} className="kefu-pick-row" data-testid="wall-closure">
                <Flex vertical style={{ minWidth: 0 }}>
                  <Space size={6}>
                    <ChannelIcon channel={c.channel} />
                    <Typography.Text strong>
                      <ContactName contact={c} />
                    </Typography.Text>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('wall.closures.line', { agent: c.agentName ?? '—', warnings: c.abuse?.warnings ?? 0, handle: formatClock(secondsSince(c.answeredAt, now)) })}
                  </Typography.Text>
                </Flex>
                <Space size={4}>
                  {c.conversationId && (
                    <Button
                      size="small"
                      icon={<AudioOutlined />}
                      aria-label={t('wall.listen.title')}
                      onClick={() => onListen({ contactId: c.id, conversationId: c.conversationId, channel: c.channel, status: c.status, customerName: c.customerName, agentName: c.agentName })}
                    />
                  )}
                  <Popconfirm
                    title={t('wall.closures.approveConfirm')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      decide.mutate({ contactId: c.id, action: 'approve_closure' }, { onSuccess: () => message.success(t('wall.closures.approved')), onError: notifyError })
                    }
                  >
                    <Button size="small" danger type="primary" icon={<CheckOutlined />} loading={busy && decide.variables?.action === 'approve_closure'} data-testid="wall-closure-approve">
                      {t('wall.closures.approve')}
                    </Button>
                  </Popconfirm>
                  <Button
                    size="small"
                    icon={<CloseOutlined />}
                    loading={busy && decide.variables?.action === 'reject_closure'}
                    onClick={() => decide.mutate({ contactId: c.id, action: 'reject_closure' }, { onSuccess: () => message.info(t('wall.closures.rejected')), onError: notifyError })}
                    data-testid="wall-closure-reject"
                  >
                    {t('wall.closures.reject')}
                  </Button>
                </Space>
              </Flex>
            );
          })}
        </Flex>
      )}
    </Card>
  );
}
