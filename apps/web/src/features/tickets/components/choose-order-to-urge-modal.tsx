import { Alert, Button, Flex, Modal, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useTicketsByIds, useUrgeTicket } from '../hooks/use-tickets';
import { localName } from '../lib/ticket-labels';
import { StatusTag } from './ticket-badges';

/**
 * The answer to ticket.choose_order_to_urge: the caller has several open orders, so the agent
 * picks the one the customer is chasing and urges it (no new order).
 */
export function ChooseOrderToUrgeModal({
  ticketIds,
  note,
  onCancel,
  onUrged,
}: {
  ticketIds: string[];
  note?: string;
  onCancel: () => void;
  onUrged: (ticket: Ticket) => void;
}) {
  const { t, i18n } = useTranslation();
  const toMessage = useErrorMessage();
  const candidates = useTicketsByIds(ticketIds);
  const urge = useUrgeTicket();
  return (
    <Modal open={ticketIds.length > 0} title={t('tickets.chooseUrge.title')} onCancel={onCancel} footer={null} width={640} destroyOnHidden>
      <div data-testid="choose-urge-modal">
        <Typography.Paragraph type="secondary">{t('tickets.chooseUrge.intro')}</Typography.Paragraph>
        {urge.isError && <Alert type="error" showIcon title={toMessage(urge.error)} style={{ marginBottom: 12 }} />}
        {candidates.isPending ? (
          <Skeleton active />
        ) : candidates.isError ? (
          <Alert type="error" showIcon title={toMessage(candidates.error)} />
        ) : (
          <Flex vertical gap={8}>
            {candidates.data.map((c) => (
              <Flex key={c.id} justify="space-between" align="center" gap={12} className="kefu-pick-row" data-testid="choose-urge-row">
                <Flex vertical gap={2} style={{ minWidth: 0 }}>
                  <Space size={8} wrap>
                    <Typography.Text strong className="kefu-mono">
                      {c.number}
                    </Typography.Text>
                    <StatusTag status={c.status} />
                    <Typography.Text type="secondary">{c.categoryPath.map((p) => localName(i18n.language, p)).join(' / ')}</Typography.Text>
                  </Space>
                  <Typography.Text ellipsis style={{ maxWidth: 440 }}>
                    {c.title || c.description}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(c.times.createdAt)}
                    {c.counters.urges > 0 && ` · ${t('tickets.urgeCount', { count: c.counters.urges })}`}
                  </Typography.Text>
                </Flex>
                <Button
                  type="primary"
                  danger
                  loading={urge.isPending && urge.variables?.id === c.id}
                  onClick={() => urge.mutate({ id: c.id, note: note?.trim() || undefined }, { onSuccess: onUrged })}
                  data-testid="choose-urge-submit"
                >
                  {t('tickets.action.urge')}
                </Button>
              </Flex>
            ))}
          </Flex>
        )}
      </div>
    </Modal>
  );
}
