import { CheckCircleFilled, CheckOutlined, ExclamationCircleOutlined, EyeInvisibleOutlined, LoadingOutlined, PaperClipOutlined, RedoOutlined, RobotOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Spin, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type CSSProperties, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMessage } from '../../../api/contact-types';

/** A message the agent sent that the server has not confirmed yet. */
export type PendingMessage = { clientMsgId: string; text: string; state: 'sending' | 'failed'; error?: string };

type Props = {
  messages: readonly TMessage[];
  pending?: readonly PendingMessage[];
  onRetry?: (clientMsgId: string) => void;
  loading?: boolean;
  typing?: boolean;
  style?: CSSProperties;
  testId?: string;
};

function time(iso: string): string {
  const d = dayjs(iso);
  if (!d.isValid()) return '';
  return d.isSame(dayjs(), 'day') ? d.format('HH:mm:ss') : d.format('MM-DD HH:mm');
}

/**
 * The chat transcript: the customer on the left, staff on the right, whispers (internal) marked
 * and tinted, system events centred. Every text is a React text node: whatever a visitor types,
 * HTML included, is shown as text and never interpreted.
 */
export function MessageList({ messages, pending = [], onRetry, loading, typing, style, testId = 'message-list' }: Props) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const count = messages.length + pending.length;

  // Follow new messages while the reader is at the bottom; leave them alone while they scroll back.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the number of rows or the typing line changes
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [count, typing]);

  return (
    <div
      ref={box}
      className="kefu-chat"
      style={style}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
      data-testid={testId}
    >
      {loading ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : count === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.messages.none')} />
      ) : null}
      {messages.map((m) => {
        if (m.senderType === 'system' || m.kind === 'event') {
          return (
            <div key={m.id} className="kefu-chat-system" data-testid="message" data-sender="system">
              <span>{m.body}</span>
              <span className="kefu-chat-time">{time(m.createdAt)}</span>
            </div>
          );
        }
        const mine = m.senderType !== 'customer';
        const cls = ['kefu-chat-row', mine ? 'kefu-chat-row-staff' : 'kefu-chat-row-customer', m.internal ? 'kefu-chat-row-internal' : ''].join(' ');
        return (
          <div key={m.id} className={cls} data-testid="message" data-sender={m.senderType} data-internal={m.internal ? 'true' : undefined}>
            <div className="kefu-chat-meta">
              {m.internal && (
                <span className="kefu-chat-whisper">
                  <EyeInvisibleOutlined /> {t('contacts.messages.whisper')}
                </span>
              )}
              {m.senderType === 'bot' && <RobotOutlined />}
              <span>{m.senderName ?? t(`contacts.sender.${m.senderType}`, { defaultValue: m.senderType })}</span>
              <span className="kefu-chat-time">{time(m.createdAt)}</span>
              {m.delivery && (
                <span
                  className={`kefu-chat-delivery kefu-chat-delivery-${m.delivery.status}`}
                  style={m.delivery.status === 'delivered' ? { color: '#389e0d' } : undefined}
                  data-testid="message-delivery"
                  data-state={m.delivery.status}
                >
                  {m.delivery.status === 'failed' ? <ExclamationCircleOutlined /> : m.delivery.status === 'delivered' ? <CheckCircleFilled /> : m.delivery.status === 'sent' ? <CheckOutlined /> : <LoadingOutlined />}{' '}
                  {/* delivered: an SMS receipt confirmed the reply reached the customer's phone */}
                  {m.delivery.status === 'delivered' ? t('channelAdapters.delivery.delivered') : t(`contacts.messages.delivery.${m.delivery.status}`, { error: m.delivery.error ?? '' })}
                </span>
              )}
            </div>
            <div className="kefu-chat-bubble">
              {m.body}
              {m.attachment && (
                <div className="kefu-chat-attachment">
                  <PaperClipOutlined />{' '}
                  <a href={m.attachment.url} target="_blank" rel="noopener noreferrer">
                    {m.attachment.name}
                  </a>
                </div>
              )}
            </div>
          </div>
        );
      })}
      {pending.map((p) => (
        <div key={p.clientMsgId} className="kefu-chat-row kefu-chat-row-staff kefu-chat-row-pending" data-testid="message-pending" data-state={p.state}>
          <div className="kefu-chat-meta">
            {p.state === 'sending' ? (
              <span>
                <LoadingOutlined /> {t('contacts.messages.sending')}
              </span>
            ) : (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                <WarningOutlined /> {p.error ?? t('contacts.messages.failed')}
              </Typography.Text>
            )}
            {p.state === 'failed' && onRetry && (
              <Tooltip title={t('contacts.messages.retry')}>
                <Button size="small" type="link" icon={<RedoOutlined />} onClick={() => onRetry(p.clientMsgId)} aria-label={t('contacts.messages.retry')} />
              </Tooltip>
            )}
          </div>
          <div className="kefu-chat-bubble">{p.text}</div>
        </div>
      ))}
      {typing && (
        <div className="kefu-chat-typing" data-testid="customer-typing">
          <span className="kefu-chat-dots">
            <i />
            <i />
            <i />
          </span>
          {t('contacts.messages.typing')}
        </div>
      )}
    </div>
  );
}
