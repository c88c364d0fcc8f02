import { BellOutlined, ExportOutlined, FileTextOutlined, HistoryOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Popconfirm, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TContact, TConversation } from '../../../api/contact-types';
import type { Customer } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { CustomerFlags, CustomerTags } from '../../customers/components/customer-flags';
import { CustomerSelect, type PickedCustomer } from '../../tickets/components/customer-select';
import { StatusTag } from '../../tickets/components/ticket-badges';
import { useTicketList, useUrgeTicket } from '../../tickets/hooks/use-tickets';
import { URGEABLE_STATUSES } from '../../tickets/lib/ticket-labels';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { useCustomerContacts } from '../../contacts/hooks/use-contacts';
import { contactStatusLabel, formatClock, outcomeLabel } from '../../contacts/lib/contact-labels';

const PHONE_LIKE = /^\+?[\d\s()-]{5,20}$/;

type Props = {
  contact: TContact;
  conversation: TConversation | undefined;
  /** The archive record of the contact's customer (or the one the agent looked up). */
  customer: Customer | undefined;
  customerLoading: boolean;
  customerError: unknown;
  /** An anonymous visitor identified by the agent through the search box (not saved on the contact). */
  onIdentify: (customer: PickedCustomer | undefined) => void;
  identified: boolean;
};

function OpenOrders({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const list = useTicketList({ customerId, open: 'true' }, 10, can('ticket:read'));
  const urge = useUrgeTicket();
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (!can('ticket:read')) return null;
  return (
    <Card
      size="small"
      variant="borderless"
      title={
        <Space>
          <FileTextOutlined />
          {t('desk.customer.openOrders')}
          {rows.length > 0 && <Typography.Text type="danger">{rows.length}</Typography.Text>}
        </Space>
      }
      data-testid="desk-open-orders"
    >
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : list.isError ? (
        <Alert type="error" showIcon title={toMessage(list.error)} />
      ) : rows.length === 0 ? (
        <Typography.Text type="secondary">{t('desk.customer.noOpenOrders')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {rows.map((r) => (
            <Flex key={r.id} justify="space-between" align="center" gap={8} data-testid="desk-open-order">
              <Flex vertical style={{ minWidth: 0 }}>
                <Space size={6} wrap>
                  {/* A new tab: the agent stays in the conversation. */}
                  <Link to={`/tickets/${r.id}`} target="_blank" className="kefu-mono">
                    {r.number}
                  </Link>
                  <StatusTag status={r.status} />
                </Space>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {r.categoryName} · {r.title ?? '—'}
                </Typography.Text>
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
                  <Button size="small" danger icon={<BellOutlined />} loading={urge.isPending && urge.variables?.id === r.id} data-testid="desk-urge">
                    {t('tickets.action.urge')}
                  </Button>
                </Popconfirm>
              )}
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}

function PastContacts({ customerId, currentId }: { customerId: string; currentId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const list = useCustomerContacts(customerId, 10, can('contact:read'));
  const rows = (list.data?.pages[0]?.items ?? []).filter((c) => c.id !== currentId);
  if (!can('contact:read')) return null;
  return (
    <Card
      size="small"
      variant="borderless"
      title={
        <Space>
          <HistoryOutlined />
          {t('desk.customer.pastContacts')}
        </Space>
      }
      data-testid="desk-past-contacts"
    >
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : rows.length === 0 ? (
        <Typography.Text type="secondary">{t('desk.customer.noPastContacts')}</Typography.Text>
      ) : (
        <Timeline
          style={{ marginTop: 8, marginBottom: -16 }}
          items={rows.map((c) => ({
            key: c.id,
            icon: <ChannelIcon channel={c.channel} />,
            content: (
              <Flex vertical>
                <Typography.Text style={{ fontSize: 12 }}>
                  {formatDateTime(c.createdAt)}
                  {c.agentName ? ` · ${c.agentName}` : ''}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.status === 'closed' ? outcomeLabel(t, c.outcome ?? c.endReason) : contactStatusLabel(t, c.status)}
                  {c.handleSeconds !== null ? ` · ${formatClock(c.handleSeconds)}` : ''}
                  {c.ticketIds.length > 0 ? ` · ${t('desk.customer.orders', { count: c.ticketIds.length })}` : ''}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      )}
    </Card>
  );
}

/** Beside the conversation: who the customer is, their open orders (催办 in one click) and past contacts. */
export function CustomerPanel({ contact, conversation, customer, customerLoading, customerError, onIdentify, identified }: Props) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const anonymous = !contact.customerId;

  /** What the visitor's address is: a phone typed into the pre-chat form or an SMS number, an email, or a platform account (WeChat openid, API channel user). */
  const addressKind = (a: string | null): 'phone' | 'email' | 'account' => (!a || PHONE_LIKE.test(a) ? 'phone' : a.includes('@') ? 'email' : 'account');

  const visitorCard = anonymous && (
    <Card size="small" variant="borderless" title={t('desk.customer.visitor')} data-testid="desk-visitor">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'name', label: t('desk.customer.name'), children: conversation?.visitorName ?? contact.customerName ?? '—' },
          { key: 'address', label: t(`desk.customer.${addressKind(contact.fromAddress)}`), children: <span className="kefu-mono">{contact.fromAddress ?? '—'}</span> },
        ]}
      />
      <Typography.Text type="secondary" style={{ display: 'block', margin: '8px 0 4px', fontSize: 12 }}>
        {t('desk.customer.searchHint')}
      </Typography.Text>
      <CustomerSelect onPick={onIdentify} style={{ width: '100%' }} />
    </Card>
  );

  let archive = null;
  if (customerLoading && (!anonymous || identified)) {
    archive = (
      <Card size="small" variant="borderless">
        <Skeleton active paragraph={{ rows: 3 }} />
      </Card>
    );
  } else if (customerError && (!anonymous || identified)) {
    archive = (
      <Card size="small" variant="borderless">
        <Alert type="error" showIcon title={toMessage(customerError)} />
      </Card>
    );
  } else if (customer) {
    const phone = customer.identities.find((i) => i.kind === 'phone')?.value;
    archive = (
      <Card
        size="small"
        variant="borderless"
        title={
          <Space>
            <UserOutlined />
            <span data-testid="desk-customer-name">{customer.name}</span>
            {identified && <Tag color="blue">{t('desk.customer.lookedUp')}</Tag>}
          </Space>
        }
        extra={
          <Link to={`/customers/${customer.id}`} target="_blank" data-testid="desk-customer-link">
            <ExportOutlined /> {t('desk.customer.open')}
          </Link>
        }
        data-testid="desk-customer"
      >
        {(customer.flags.length > 0 || customer.tags.length > 0) && (
          <div style={{ marginBottom: 8 }}>
            <CustomerFlags flags={customer.flags} />
            <CustomerTags tags={customer.tags} />
          </div>
        )}
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'phone', label: t('desk.customer.phone'), children: <span className="kefu-mono">{phone ?? '—'}</span> },
            { key: 'area', label: t('customer.fields.area'), children: customer.area?.name ?? '—' },
            {
              key: 'manager',
              label: t('customer.fields.accountManager'),
              children: customer.area?.accountManager?.displayName ?? <Typography.Text type="secondary">{t('customer.noAccountManager')}</Typography.Text>,
            },
            ...(customer.notes ? [{ key: 'notes', label: t('customer.cards.notes'), children: <Typography.Text ellipsis={{ tooltip: customer.notes }}>{customer.notes}</Typography.Text> }] : []),
          ]}
        />
      </Card>
    );
  } else if (!anonymous) {
    archive = (
      <Card size="small" variant="borderless">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.customer.unknown')} />
      </Card>
    );
  }

  return (
    <Flex vertical gap={12} data-testid="desk-customer-panel">
      {visitorCard}
      {archive}
      {customer && <OpenOrders customerId={customer.id} />}
      {customer && <PastContacts customerId={customer.id} currentId={contact.id} />}
    </Flex>
  );
}
