import { Alert, Descriptions, Drawer, Flex, Skeleton, Space, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useContact, useConversationMessages, useReasonCodes } from '../hooks/use-contacts';
import { contactEventLabel, endReasonLabel, formatClock, outcomeLabel, reasonCodePath } from '../lib/contact-labels';
import { ChannelIcon, ContactStatusTag } from './channel-icon';
import { ContactName } from './contact-name';
import { MessageList } from './message-list';
import { TicketLinks } from './ticket-links';

/** One past contact: its facts, its lifecycle and, for chats, the transcript of that contact. */
export function ContactDrawer({ contact, onClose }: { contact: TContact | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const toMessage = useErrorMessage();
  const detail = useContact(contact?.id);
  const messages = useConversationMessages(contact?.conversationId ?? null);
  const codes = useReasonCodes(contact !== null);
  const c = detail.data ?? contact;
  // A conversation can span several contacts (a returning visitor): show this contact's part when the server tells which.
  const shown = useMemo(() => {
    const all = messages.data ?? [];
    if (!contact) return all;
    return all.some((m) => m.contactId === contact.id) ? all.filter((m) => m.contactId === contact.id || m.contactId === null) : all;
  }, [messages.data, contact]);

  return (
    <Drawer
      open={contact !== null}
      onClose={onClose}
      size={620}
      destroyOnHidden
      title={
        c && (
          <Space size={8}>
            <ChannelIcon channel={c.channel} withLabel />
            <span>{formatDateTime(c.createdAt)}</span>
            <ContactStatusTag status={c.status} />
          </Space>
        )
      }
      data-testid="contact-drawer"
    >
      {c && (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'customer', label: t('contacts.fields.customer'), children: <ContactName contact={c} /> },
              { key: 'queue', label: t('contacts.fields.queue'), children: c.queueName ?? '—' },
              { key: 'agent', label: t('contacts.fields.agent'), children: c.agentName ?? '—' },
              { key: 'direction', label: t('contacts.fields.direction'), children: t(`contacts.direction.${c.direction}`, { defaultValue: c.direction }) },
              { key: 'wait', label: t('contacts.fields.wait'), children: formatClock(c.waitSeconds) },
              { key: 'handle', label: t('contacts.fields.handle'), children: formatClock(c.handleSeconds) },
              { key: 'reason', label: t('contacts.fields.reason'), children: reasonCodePath(codes.data, c.reasonCode, i18n.language) },
              { key: 'outcome', label: t('contacts.fields.outcome'), children: c.outcome ? outcomeLabel(t, c.outcome) : endReasonLabel(t, c.endReason) },
              { key: 'tickets', label: t('contacts.fields.tickets'), span: 2, children: <TicketLinks ids={c.ticketIds} /> },
              ...(c.note ? [{ key: 'note', label: t('contacts.fields.note'), span: 2, children: <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{c.note}</Typography.Text> }] : []),
            ]}
          />
          {c.conversationId && (
            <div>
              <Typography.Title level={5}>{t('contacts.transcript')}</Typography.Title>
              {messages.isError ? (
                <Alert type="error" showIcon title={toMessage(messages.error)} />
              ) : (
                <MessageList messages={shown} loading={messages.isPending} style={{ maxHeight: 420 }} testId="contact-messages" />
              )}
            </div>
          )}
          <div>
            <Typography.Title level={5}>{t('contacts.lifecycle')}</Typography.Title>
            {detail.isPending ? (
              <Skeleton active paragraph={{ rows: 3 }} />
            ) : detail.isError ? (
              <Alert type="error" showIcon title={toMessage(detail.error)} />
            ) : (
              <Timeline
                items={(detail.data?.events ?? []).map((e) => ({
                  key: e.id,
                  content: (
                    <Flex vertical>
                      <Typography.Text>
                        {contactEventLabel(t, e.type)}
                        {e.actorName ? ` · ${e.actorName}` : ''}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(e.at)}
                      </Typography.Text>
                    </Flex>
                  ),
                }))}
              />
            )}
          </div>
        </Flex>
      )}
    </Drawer>
  );
}
