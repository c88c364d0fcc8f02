import { Alert, Button, Card, Empty, Flex, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCustomerContacts, useReasonCodes } from '../hooks/use-contacts';
import { contactStatusLabel, endReasonLabel, formatClock, outcomeLabel, reasonCodePath } from '../lib/contact-labels';
import { ChannelIcon } from './channel-icon';
import { ContactDrawer } from './contact-drawer';
import { TicketLinks } from './ticket-links';

/** 联络记录: every contact of the customer on every channel, newest first; click one for its details and transcript. */
export function CustomerContactsCard({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const toMessage = useErrorMessage();
  const list = useCustomerContacts(customerId);
  const codes = useReasonCodes();
  const [open, setOpen] = useState<TContact | null>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const fact = (label: string, value: string) => (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {label} <span className="kefu-mono">{value}</span>
    </Typography.Text>
  );

  return (
    <Card variant="borderless" data-testid="customer-contacts">
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" showIcon title={toMessage(list.error)} />
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.customerNone')} />
      ) : (
        <Flex vertical gap={8}>
          {rows.map((c) => (
            <Flex
              key={c.id}
              gap={12}
              align="flex-start"
              className="kefu-pick-row kefu-row-clickable"
              role="button"
              tabIndex={0}
              onClick={() => setOpen(c)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setOpen(c);
                }
              }}
              data-testid="customer-contact"
              data-channel={c.channel}
            >
              <span style={{ fontSize: 18, color: '#1677ff', paddingTop: 2 }}>
                <ChannelIcon channel={c.channel} />
              </span>
              <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Space size={8} wrap>
                  <Typography.Text strong>{formatDateTime(c.createdAt)}</Typography.Text>
                  <Typography.Text>{c.queueName ?? '—'}</Typography.Text>
                  <Typography.Text type="secondary">{c.agentName ?? t('contacts.noAgent')}</Typography.Text>
                  {c.status !== 'closed' && <Typography.Text type="warning">{contactStatusLabel(t, c.status)}</Typography.Text>}
                </Space>
                <Space size={16} wrap>
                  {fact(t('contacts.fields.wait'), formatClock(c.waitSeconds))}
                  {fact(t('contacts.fields.handle'), formatClock(c.handleSeconds))}
                  <Typography.Text style={{ fontSize: 12 }}>
                    {t('contacts.labeled', { label: t('contacts.fields.reason'), value: reasonCodePath(codes.data, c.reasonCode, i18n.language) })}
                  </Typography.Text>
                  <Typography.Text style={{ fontSize: 12 }}>
                    {t('contacts.labeled', { label: t('contacts.fields.outcome'), value: c.outcome ? outcomeLabel(t, c.outcome) : endReasonLabel(t, c.endReason) })}
                  </Typography.Text>
                </Space>
              </Flex>
              {c.ticketIds.length > 0 && (
                // Links open the order; they must not also open the drawer.
                // biome-ignore lint/a11y/noStaticElementInteractions: only stops the row's click from bubbling
                // biome-ignore lint/a11y/useKeyWithClickEvents: the links inside handle the keyboard themselves
                <span onClick={(e) => e.stopPropagation()}>
                  <TicketLinks ids={c.ticketIds} />
                </span>
              )}
            </Flex>
          ))}
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="customer-contacts-more">
              {t('common.loadMore')}
            </Button>
          ) : (
            <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
              {t('common.loadedCount', { count: rows.length })}
            </Typography.Text>
          )}
        </Flex>
      )}
      <ContactDrawer contact={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
