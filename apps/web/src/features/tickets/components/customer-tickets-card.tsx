import { BellOutlined, FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, Popconfirm, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Customer, TicketSummary } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { useTicketList, useUrgeTicket } from '../hooks/use-tickets';
import { OPEN_STATUSES, URGEABLE_STATUSES } from '../lib/ticket-labels';
import { CreateTicketDrawer } from './create-ticket-drawer';
import { SlaCountdown, StatusTag, UrgeCount } from './ticket-badges';

const SHOWN = 50;
/** Closed orders listed before "all orders of this customer". */
const CLOSED_SHOWN = 8;

/** The customer's work orders on their page: open ones first, urge (催办) in one click, new order pre-filled. */
export function CustomerTicketsCard({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const [creating, setCreating] = useState(false);
  const list = useTicketList({ customerId: customer.id }, SHOWN, can('ticket:read'));
  const urge = useUrgeTicket();

  const rows = useMemo(() => {
    const items = list.data?.pages.flatMap((p) => p.items) ?? [];
    const open = items.filter((r) => OPEN_STATUSES.includes(r.status));
    const closed = items.filter((r) => !OPEN_STATUSES.includes(r.status));
    return { open, closed };
  }, [list.data]);

  const picked = {
    id: customer.id,
    name: customer.name,
    phones: customer.identities.filter((i) => i.kind === 'phone').map((i) => i.value),
    areaId: customer.area?.id ?? null,
    areaName: customer.area?.name ?? null,
  };

  const row = (r: TicketSummary) => (
    <Flex key={r.id} justify="space-between" align="center" gap={12} className="kefu-pick-row" data-testid="customer-ticket" data-status={r.status}>
      <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Space size={8} wrap>
          <Link to={`/tickets/${r.id}`} className="kefu-mono" data-testid="customer-ticket-link">
            {r.number}
          </Link>
          <StatusTag status={r.status} />
          <Typography.Text type="secondary">{r.categoryName}</Typography.Text>
          {r.urgeCount > 0 && <UrgeCount count={r.urgeCount} />}
        </Space>
        <Typography.Text ellipsis>{r.title ?? '—'}</Typography.Text>
        <Space size={12} style={{ fontSize: 12 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(r.createdAt)}
            {r.departmentName ? ` · ${r.departmentName}` : ''}
          </Typography.Text>
          {OPEN_STATUSES.includes(r.status) && <SlaCountdown state={r.slaState} dueAt={r.nextDueAt} />}
        </Space>
      </Flex>
      {can('ticket:update') && URGEABLE_STATUSES.includes(r.status) && (
        <Popconfirm
          title={t('tickets.urgeConfirm', { number: r.number })}
          onConfirm={() =>
            urge.mutate(
              { id: r.id },
              { onSuccess: (tk) => message.success(t('tickets.urged', { number: tk.number, count: tk.counters.urges })), onError: notifyError },
            )
          }
        >
          <Button danger icon={<BellOutlined />} loading={urge.isPending && urge.variables?.id === r.id} data-testid="customer-ticket-urge">
            {t('tickets.action.urge')}
          </Button>
        </Popconfirm>
      )}
    </Flex>
  );

  return (
    <Card
      variant="borderless"
      title={
        <Space>
          <FileTextOutlined />
          {t('customer.cards.tickets')}
          {rows.open.length > 0 && <Typography.Text type="danger">{t('tickets.openCount', { count: rows.open.length })}</Typography.Text>}
        </Space>
      }
      extra={
        can('ticket:create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-ticket-create">
            {t('tickets.create.title')}
          </Button>
        )
      }
      data-testid="customer-timeline"
    >
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" showIcon title={toMessage(list.error)} />
      ) : rows.open.length + rows.closed.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.customerNone')} />
      ) : (
        <Flex vertical gap={8} data-testid="customer-tickets">
          {rows.open.map(row)}
          {rows.closed.length > 0 && rows.open.length > 0 && (
            <Typography.Text type="secondary" style={{ marginTop: 8 }}>
              {t('tickets.closedOrders')}
            </Typography.Text>
          )}
          {rows.closed.slice(0, CLOSED_SHOWN).map(row)}
          {(list.hasNextPage || rows.closed.length > CLOSED_SHOWN) && (
            <Link to={`/tickets?customer=${customer.id}`}>
              <Button type="link">{t('tickets.moreOfCustomer')}</Button>
            </Link>
          )}
        </Flex>
      )}
      {can('ticket:create') && <CreateTicketDrawer open={creating} onClose={() => setCreating(false)} customer={picked} />}
    </Card>
  );
}
