import { CheckCircleOutlined, ClockCircleOutlined, PhoneOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Drawer, Empty, Flex, Result, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { callKeys, type ScreenPopContact, type ScreenPopTicket, type TScreenPop } from '../../../api/calls';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useMe } from '../../auth/hooks/use-me';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { useContact, useReasonCodes } from '../../contacts/hooks/use-contacts';
import { formatClock, reasonCodePath, secondsSince } from '../../contacts/lib/contact-labels';
import { WrapUpForm } from '../../desk/components/wrap-up-form';
import { StatusTag } from '../../tickets/components/ticket-badges';
import { useNow } from '../../tickets/lib/sla';
import { useScreenPop } from '../hooks/use-calls';
import { CALL_STATUS_COLORS, callStatusLabel, formatIvrPath, isOverdue, laterStatus } from '../lib/call-labels';
import { CallCustomer } from './call-customer';

function CallTimer({ pop }: { pop: TScreenPop }) {
  const now = useNow(1000);
  const end = pop.endedAt ? Date.parse(pop.endedAt) : now;
  return (
    <Typography.Text className="kefu-mono" data-testid="call-pop-timer">
      <ClockCircleOutlined /> {formatClock(secondsSince(pop.answeredAt, end))}
    </Typography.Text>
  );
}

function TicketsTable({ tickets }: { tickets: ScreenPopTicket[] }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  return (
    <Table<ScreenPopTicket>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={tickets}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.tickets.none')} /> }}
      data-testid="call-pop-tickets"
      columns={[
        {
          key: 'number',
          title: t('calls.tickets.number'),
          render: (_, r) => (
            <Link to={`/tickets/${encodeURIComponent(r.id)}`} className="kefu-mono" data-testid="call-pop-ticket-link">
              {r.number}
            </Link>
          ),
        },
        { key: 'title', title: t('calls.tickets.subject'), ellipsis: true, render: (_, r) => r.title || '—' },
        { key: 'status', title: t('calls.tickets.status'), render: (_, r) => <StatusTag status={r.status} /> },
        {
          key: 'due',
          title: t('calls.tickets.due'),
          render: (_, r) => {
            const overdue = isOverdue(r.dueAt, now);
            return (
              <Typography.Text type={overdue ? 'danger' : undefined} data-overdue={overdue ? 'true' : undefined}>
                {formatDateTime(r.dueAt)}
                {overdue ? ` · ${t('calls.tickets.overdue')}` : ''}
              </Typography.Text>
            );
          },
        },
      ]}
    />
  );
}

function ContactsTable({ contacts }: { contacts: ScreenPopContact[] }) {
  const { t, i18n } = useTranslation();
  const codes = useReasonCodes(contacts.some((c) => c.reasonCode));
  return (
    <Table<ScreenPopContact>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={contacts}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calls.contacts.none')} /> }}
      data-testid="call-pop-contacts"
      columns={[
        { key: 'channel', title: t('calls.contacts.channel'), render: (_, r) => <ChannelIcon channel={r.channel} withLabel /> },
        { key: 'time', title: t('calls.contacts.time'), render: (_, r) => formatDateTime(r.createdAt) },
        { key: 'reason', title: t('calls.contacts.reason'), ellipsis: true, render: (_, r) => reasonCodePath(codes.data, r.reasonCode, i18n.language) },
      ]}
    />
  );
}

/** The wrap-up block once the call ended: the desk's own 话后小结 form, then a note that the pop may be closed. */
function CallWrapUp({ contactId, status }: { contactId: string; status: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const toMessage = useErrorMessage();
  const contact = useContact(contactId);
  if (status === 'closed') return <Alert type="success" showIcon icon={<CheckCircleOutlined />} title={t('calls.pop.wrappedUp')} data-testid="call-pop-wrapped-up" />;
  return (
    <Flex vertical gap={12}>
      <Alert type="warning" showIcon title={t('calls.pop.ended')} description={t('calls.pop.endedHint')} data-testid="call-pop-ended" />
      {contact.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : contact.isError ? (
        <Alert type="error" showIcon title={toMessage(contact.error)} />
      ) : (
        <WrapUpForm contact={contact.data} agentId={me.id} />
      )}
    </Flex>
  );
}

type Props = { contactId: string | null; onClose: () => void };

/**
 * 来电弹屏: the answered call (number, line, IVR path, queue, timer, status), who is calling
 * (archive card, choice or new-customer form), their open work orders and last contacts, and the
 * wrap-up once the call ends. A right drawer without a mask that never takes the focus: the agent
 * can finish typing a chat reply beside it.
 */
export function ScreenPopDrawer({ contactId, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const query = useScreenPop(contactId);
  const pop = query.data && query.data.contactId === contactId ? query.data : undefined;
  // The contact detail moves to "closed" once the wrap-up form saved (the form refreshes it).
  const ending = pop && (pop.status === 'wrap_up' || pop.status === 'closed');
  const contact = useContact(ending ? contactId : null);
  const status = pop ? laterStatus(pop.status, contact.data?.status) : undefined;

  useEffect(() => {
    if (status === 'closed') void queryClient.invalidateQueries({ queryKey: callKeys.current });
  }, [status, queryClient]);

  const refreshPop = () => {
    if (contactId) void queryClient.invalidateQueries({ queryKey: callKeys.screenPop(contactId) });
  };

  return (
    <Drawer
      open={contactId !== null}
      onClose={onClose}
      placement="right"
      size={680}
      mask={false}
      autoFocus={false}
      focusable={{ trap: false, focusTriggerAfterClose: false }}
      title={
        <Space size={8}>
          <PhoneOutlined style={{ color: '#389e0d' }} />
          {pop?.direction === 'outbound' ? t('calls.pop.titleOutbound') : t('calls.pop.title')}
        </Space>
      }
      extra={
        pop &&
        status && (
          <Space size={12}>
            <Tag color={pop.direction === 'outbound' ? 'cyan' : 'blue'} style={{ marginInlineEnd: 0 }}>
              {t(`calls.pop.direction.${pop.direction}`)}
            </Tag>
            <Tag color={CALL_STATUS_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="call-pop-status" data-status={status}>
              {callStatusLabel(t, status)}
            </Tag>
          </Space>
        )
      }
      data-testid="call-pop"
      data-contact-id={contactId ?? undefined}
    >
      {query.isError && !pop ? (
        <Result
          status="warning"
          title={t('calls.pop.loadFailed')}
          subTitle={isApiError(query.error) && query.error.status === 404 ? t('calls.errors.notFound') : toMessage(query.error)}
        />
      ) : !pop || !status ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            bordered
            column={2}
            data-testid="call-pop-info"
            items={[
              {
                key: 'caller',
                label: pop.direction === 'outbound' ? t('calls.pop.callee') : t('calls.pop.caller'),
                children: (
                  <Typography.Text strong className="kefu-mono" data-testid="call-pop-caller">
                    {pop.caller ?? '—'}
                  </Typography.Text>
                ),
              },
              { key: 'called', label: t('calls.pop.called'), children: <span className="kefu-mono">{pop.called ?? '—'}</span> },
              { key: 'channel', label: t('calls.pop.channel'), children: pop.channelName },
              {
                key: 'ivr',
                label: t('calls.pop.ivrPath'),
                children: <span data-testid="call-pop-ivr">{formatIvrPath(pop.ivrPath)}</span>,
              },
              { key: 'queue', label: t('calls.pop.queue'), children: pop.queueName ?? '—' },
              { key: 'duration', label: t('calls.pop.duration'), children: <CallTimer pop={pop} /> },
            ]}
          />

          {(status === 'wrap_up' || status === 'closed') && contactId && <CallWrapUp contactId={contactId} status={status} />}

          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('calls.customer.title')}
            </Typography.Title>
            <CallCustomer key={pop.contactId} pop={pop} onTicketCreated={refreshPop} />
          </div>

          <Card size="small" title={t('calls.tickets.title')} styles={{ body: { padding: 0 } }}>
            <TicketsTable tickets={pop.openTickets} />
          </Card>

          <Card size="small" title={t('calls.contacts.title')} styles={{ body: { padding: 0 } }}>
            <ContactsTable contacts={pop.recentContacts} />
          </Card>
        </Flex>
      )}
    </Drawer>
  );
}
