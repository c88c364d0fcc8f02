import { FileAddOutlined, PauseCircleOutlined, PhoneOutlined, PlayCircleOutlined, PoweroffOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TContact } from '../../../api/contact-types';
import { useNotifyError } from '../../../lib/errors';
import { useRealtimeSend } from '../../../lib/realtime';
import { useCan } from '../../auth/hooks/use-me';
import { useCustomer } from '../../customers/hooks/use-customers';
import { CreateTicketDrawer } from '../../tickets/components/create-ticket-drawer';
import type { PickedCustomer } from '../../tickets/components/customer-select';
import { useNow } from '../../tickets/lib/sla';
import { ChannelIcon, ContactStatusTag } from '../../contacts/components/channel-icon';
import { MessageList } from '../../contacts/components/message-list';
import { useConversation, useConversationMessages, useCustomerTyping, useQueueLabel } from '../../contacts/hooks/use-contacts';
import { contactPartyName, customerTranscript, formatClock, secondsSince, TICKET_CHANNEL_OF } from '../../contacts/lib/contact-labels';
import { useChatSender } from '../hooks/use-chat-sender';
import { useContactAction } from '../hooks/use-desk';
import { AbuseControl, AbuseStageTag } from './abuse-control';
import { AssistPanel } from './assist-panel';
import { CustomerPanel } from './customer-panel';
import { renderScript, useScripts } from '../../scripts/hooks/use-scripts';
import { ReplyBox } from './reply-box';
import { WrapUpForm } from './wrap-up-form';

type Props = {
  contact: TContact;
  agentId: string;
  /** The tab is the one on screen: read receipts are sent only then. */
  visible: boolean;
  onTransfer: (contact: TContact) => void;
};

/** One held contact: header with actions, the transcript and reply box (or the wrap-up form), the customer beside it. */
export function ConversationPane({ contact, agentId, visible, onTransfer }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const now = useNow(1000);
  const send = useRealtimeSend();
  const conversationId = contact.conversationId;
  const conversation = useConversation(conversationId);
  const messagesQuery = useConversationMessages(conversationId, true);
  const messages = useMemo(() => messagesQuery.data ?? [], [messagesQuery.data]);
  const typing = useCustomerTyping(conversationId);
  const scripts = useScripts();
  const sender = useChatSender(conversationId, messages);
  const action = useContactAction(agentId);
  const [identified, setIdentified] = useState<PickedCustomer | undefined>();
  const customerId = contact.customerId ?? identified?.id;
  const customer = useCustomer(customerId ?? undefined);
  const [creating, setCreating] = useState(false);
  const [insertRequest, setInsertRequest] = useState<{ nonce: number; text?: string; scriptId?: string } | null>(null);

  const status = contact.status;
  const wrapping = status === 'wrap_up';
  const onHold = status === 'on_hold';
  const busy = action.isPending;

  // Read receipts (已读) for what the customer wrote, while this tab is on screen.
  const lastRead = useRef(0);
  useEffect(() => {
    if (!visible || !conversationId) return;
    const last = messages.filter((m) => m.senderType === 'customer').at(-1)?.seq ?? 0;
    if (last > lastRead.current && send({ type: 'read', conversationId, seq: last })) lastRead.current = last;
  }, [visible, conversationId, messages, send]);

  const run = (name: 'hold' | 'resume' | 'end', done: string) =>
    action.mutate({ contactId: contact.id, action: name }, { onSuccess: () => message.success(done), onError: notifyError });

  const picked: PickedCustomer | undefined = customer.data
    ? {
        id: customer.data.id,
        name: customer.data.name,
        phones: customer.data.identities.filter((i) => i.kind === 'phone').map((i) => i.value),
        areaId: customer.data.area?.id ?? null,
        areaName: customer.data.area?.name ?? null,
      }
    : identified;

  const handled = secondsSince(contact.answeredAt, now);
  const queueName = useQueueLabel(contact.queueId, contact.queueName);
  const name = contactPartyName(t, contact, conversation.data?.visitorName);

  return (
    <Row gutter={[16, 16]} data-testid="conversation-pane" data-contact-id={contact.id} data-status={status}>
      <Col xs={24} xl={16}>
        <Card variant="borderless" styles={{ body: { padding: 16 } }}>
          <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 12 }}>
            <Flex vertical gap={4} style={{ minWidth: 0 }}>
              <Space size={8} wrap>
                <ChannelIcon channel={contact.channel} />
                <Typography.Text strong style={{ fontSize: 16 }} data-testid="conversation-customer">
                  {name}
                </Typography.Text>
                <ContactStatusTag status={status} />
                <AbuseStageTag contact={contact} />
                {contact.transferCount > 0 && <Tag color="purple">{t('desk.transferred', { count: contact.transferCount })}</Tag>}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('desk.conversation.meta', { queue: queueName ?? t('desk.noQueue'), wait: formatClock(contact.waitSeconds), handle: formatClock(handled) })}
              </Typography.Text>
            </Flex>
            <Space wrap>
              {!wrapping &&
                (onHold ? (
                  <Button icon={<PlayCircleOutlined />} loading={busy && action.variables?.action === 'resume'} onClick={() => run('resume', t('desk.actions.resumed'))} data-testid="action-resume">
                    {t('desk.actions.resume')}
                  </Button>
                ) : (
                  <Button icon={<PauseCircleOutlined />} loading={busy && action.variables?.action === 'hold'} onClick={() => run('hold', t('desk.actions.held'))} data-testid="action-hold">
                    {t('desk.actions.hold')}
                  </Button>
                ))}
              {!wrapping && (
                <Button icon={<SwapOutlined />} onClick={() => onTransfer(contact)} data-testid="action-transfer">
                  {t('desk.actions.transfer')}
                </Button>
              )}
              {!wrapping && <AbuseControl contact={contact} agentId={agentId} />}
              {can('ticket:create') && (
                <Button icon={<FileAddOutlined />} onClick={() => setCreating(true)} data-testid="action-create-ticket">
                  {t('desk.actions.createTicket')}
                </Button>
              )}
              {!wrapping && (
                <Popconfirm title={t('desk.actions.endConfirm')} okButtonProps={{ danger: true }} onConfirm={() => run('end', t('desk.actions.ended'))}>
                  <Button danger type="primary" icon={<PoweroffOutlined />} loading={busy && action.variables?.action === 'end'} data-testid="action-end">
                    {t('desk.actions.end')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          </Flex>

          {conversationId ? (
            <MessageList
              messages={messages}
              pending={sender.pending}
              onRetry={sender.retry}
              loading={messagesQuery.isPending}
              typing={typing && !wrapping}
              style={{ height: 'calc(100vh - 520px)', minHeight: 280 }}
            />
          ) : (
            <Flex vertical align="center" justify="center" style={{ height: 200, background: '#f7f8fa', borderRadius: 8 }}>
              <Empty image={<PhoneOutlined style={{ fontSize: 40, color: '#1677ff' }} />} description={t('desk.conversation.voice', { channel: t(`contacts.channel.${contact.channel}`) })} />
            </Flex>
          )}
          {messagesQuery.isError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={t('desk.conversation.loadFailed')} />}

          <div style={{ marginTop: 12 }}>
            {wrapping ? (
              <WrapUpForm contact={contact} agentId={agentId} />
            ) : conversationId ? (
              <ReplyBox
                onSend={sender.submit}
                onTyping={() => send({ type: 'typing', conversationId })}
                scripts={scripts.data ?? []}
                // Filled for this customer, the agent and the contact's latest work order; counts one use.
                renderScript={(script) => renderScript(script.id, { conversationId, customerId: customerId ?? undefined, ticketId: contact.ticketIds.at(-1), use: true })}
                language={i18n.language}
                insertRequest={insertRequest}
                disabled={onHold}
                disabledHint={t('desk.reply.onHold')}
              />
            ) : null}
          </div>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <CustomerPanel
          contact={contact}
          conversation={conversation.data}
          customer={customer.data}
          customerLoading={Boolean(customerId) && customer.isPending}
          customerError={customer.error}
          onIdentify={setIdentified}
          identified={!contact.customerId && Boolean(identified)}
        />
        {conversationId && can('kb:read') && (
          <div style={{ marginTop: 16 }}>
            <AssistPanel conversationId={conversationId} lastSeq={messages.at(-1)?.seq ?? 0} onInsert={wrapping ? undefined : (request) => setInsertRequest({ ...request, nonce: Date.now() })} />
          </div>
        )}
      </Col>
      {can('ticket:create') && (
        <CreateTicketDrawer
          open={creating}
          onClose={() => setCreating(false)}
          customer={picked}
          originContactId={contact.id}
          initialDescription={customerTranscript(messages) || undefined}
          initialChannel={TICKET_CHANNEL_OF[contact.channel]}
          onCreated={() => {
            // The drawer already said which order was created or urged. The contact now lists the order (its wrap-up outcome defaults to "work order created").
            void queryClient.invalidateQueries({ queryKey: ['desk'] });
          }}
        />
      )}
    </Row>
  );
}
