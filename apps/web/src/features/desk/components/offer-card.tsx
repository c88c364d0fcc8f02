import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Avatar, Button, Card, Flex, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../api/contact-types';
import { useNow } from '../../tickets/lib/sla';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { useQueueLabel } from '../../contacts/hooks/use-contacts';
import { contactChannelLabel, contactPriorityLabel, formatClock, PRIORITY_TAG_COLORS, secondsSince } from '../../contacts/lib/contact-labels';

/** Used when the server did not say how long the offer rings. */
const DEFAULT_OFFER_SECONDS = 20;

type Props = {
  contact: TContact;
  onAccept: () => void;
  onDecline: () => void;
  accepting: boolean;
  declining: boolean;
  /** A held contact still waits for its wrap-up (话后小结). */
  wrapUpPending: boolean;
};

/** A ringing offer: who, on which channel and queue, how long they waited, and how long it still rings. */
export function OfferCard({ contact, onAccept, onDecline, accepting, declining, wrapUpPending }: Props) {
  const { t } = useTranslation();
  const now = useNow(250);
  const expires = contact.offerExpiresAt ? Date.parse(contact.offerExpiresAt) : Number.NaN;
  const started = contact.offeredAt ? Date.parse(contact.offeredAt) : Number.NaN;
  const total = Number.isFinite(expires) && Number.isFinite(started) && expires > started ? (expires - started) / 1000 : DEFAULT_OFFER_SECONDS;
  const left = Number.isFinite(expires) ? Math.max(0, Math.ceil((expires - now) / 1000)) : null;
  const waited = secondsSince(contact.queuedAt ?? contact.createdAt, now);
  const queueName = useQueueLabel(contact.queueId, contact.queueName);

  return (
    <Card className="kefu-desk-offer" variant="borderless" styles={{ body: { padding: '14px 20px' } }} data-testid="offer-card" data-contact-id={contact.id}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Flex align="center" gap={14} style={{ minWidth: 0 }}>
          <Avatar size={48} style={{ background: '#52c41a', fontSize: 22, flex: 'none' }} icon={<ChannelIcon channel={contact.channel} />} />
          <Flex vertical style={{ minWidth: 0 }}>
            <Space size={8} wrap>
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="offer-customer">
                <ContactName contact={contact} />
              </Typography.Text>
              {contact.customerName && contact.fromAddress && (
                <Typography.Text type="secondary" className="kefu-mono">
                  {contact.fromAddress}
                </Typography.Text>
              )}
              {contact.priority !== 'normal' && <Tag color={PRIORITY_TAG_COLORS[contact.priority]}>{contactPriorityLabel(t, contact.priority)}</Tag>}
              {contact.transferCount > 0 && <Tag color="purple">{t('desk.transferred', { count: contact.transferCount })}</Tag>}
            </Space>
            <Typography.Text type="secondary">
              {t('desk.offer.line', {
                channel: contactChannelLabel(t, contact.channel),
                queue: queueName ?? t('desk.noQueue'),
                wait: formatClock(waited),
              })}
            </Typography.Text>
          </Flex>
        </Flex>
        <Flex align="center" gap={12}>
          {left !== null && (
            <Progress
              type="circle"
              size={48}
              percent={Math.min(100, Math.round((left / total) * 100))}
              strokeColor={left <= 5 ? '#f5222d' : '#52c41a'}
              format={() => <span className="kefu-mono" data-testid="offer-countdown">{t('desk.offer.seconds', { count: left })}</span>}
            />
          )}
          <Button type="primary" size="large" icon={<CheckOutlined />} loading={accepting} disabled={declining} onClick={onAccept} data-testid="offer-accept">
            {t('desk.offer.accept')}
          </Button>
          <Button danger size="large" icon={<CloseOutlined />} loading={declining} disabled={accepting} onClick={onDecline} data-testid="offer-decline">
            {t('desk.offer.decline')}
          </Button>
        </Flex>
      </Flex>
      {wrapUpPending && <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('desk.offer.finishWrapUp')} data-testid="offer-wrapup-reminder" />}
    </Card>
  );
}
