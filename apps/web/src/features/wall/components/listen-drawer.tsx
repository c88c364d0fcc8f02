import { AudioOutlined, EyeInvisibleOutlined, LoginOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Empty, Flex, Input, Popconfirm, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../api/client';
import type { TContact } from '../../../api/contact-types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { useRealtimeReconnected, useRealtimeSend } from '../../../lib/realtime';
import { useCan } from '../../auth/hooks/use-me';
import { ChannelIcon, ContactStatusTag } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { MessageList } from '../../contacts/components/message-list';
import { useConversationMessages, useCustomerTyping, useSendMessage } from '../../contacts/hooks/use-contacts';
import { newClientMsgId } from '../../contacts/lib/contact-labels';
import { wallKey } from '../hooks/use-wall';

/** What the wall knows about the contact being listened to. */
export type ListenTarget = {
  contactId: string;
  conversationId: string | null;
  channel: string;
  status: string;
  customerName: string | null;
  agentName: string | null;
};

/**
 * 监听: the supervisor follows a live conversation (`watch` on the socket, whispers included),
 * coaches the agent with a whisper only staff see, or takes the contact over (接管).
 */
export function ListenDrawer({ target, onClose }: { target: ListenTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const send = useRealtimeSend();
  const conversationId = target?.conversationId ?? null;
  const messages = useConversationMessages(conversationId, true);
  const typing = useCustomerTyping(conversationId);
  const whisper = useSendMessage();
  const [text, setText] = useState('');
  const [takingOver, setTakingOver] = useState(false);

  // Listen while open; stop when closed or switched to another conversation.
  useEffect(() => {
    if (!conversationId) return;
    send({ type: 'watch', conversationId });
    return () => {
      send({ type: 'unwatch', conversationId });
    };
  }, [conversationId, send]);
  // A new socket knows nothing of the old one's watches.
  useRealtimeReconnected(() => {
    if (conversationId) send({ type: 'watch', conversationId });
  });

  const sendWhisper = () => {
    const body = text.trim();
    if (!body || !conversationId) return;
    whisper.mutate(
      { conversationId, text: body, internal: true, clientMsgId: newClientMsgId() },
      {
        onSuccess: () => setText(''),
        onError: notifyError,
      },
    );
  };

  const takeover = async () => {
    if (!target) return;
    setTakingOver(true);
    try {
      await api.post<TContact>(`/contacts/${encodeURIComponent(target.contactId)}/takeover`, {});
      message.success(t('wall.listen.takenOver'));
      void queryClient.invalidateQueries({ queryKey: wallKey });
      void queryClient.invalidateQueries({ queryKey: ['desk'] });
      onClose();
      // The contact is now the supervisor's own: continue it on the agent desktop.
      if (can('contact:handle')) navigate('/desk');
    } catch (error) {
      message.error(toMessage(error));
    } finally {
      setTakingOver(false);
    }
  };

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={
        target && (
          <Space size={8}>
            <AudioOutlined />
            {t('wall.listen.title')}
            <ChannelIcon channel={target.channel} />
            <span>
              <ContactName contact={{ customerName: target.customerName, fromAddress: null, conversationId: target.conversationId }} />
            </span>
            <ContactStatusTag status={target.status} />
          </Space>
        )
      }
      extra={
        <Popconfirm title={t('wall.listen.takeoverConfirm', { agent: target?.agentName ?? '—' })} onConfirm={() => void takeover()}>
          <Button type="primary" danger icon={<LoginOutlined />} loading={takingOver} data-testid="wall-takeover">
            {t('wall.listen.takeover')}
          </Button>
        </Popconfirm>
      }
      data-testid="wall-listen-drawer"
    >
      {target && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('wall.listen.agent', { agent: target.agentName ?? '—' })}
        </Typography.Paragraph>
      )}
      {!conversationId ? (
        <Empty description={t('wall.listen.noTranscript')} />
      ) : (
        <Flex vertical gap={12}>
          {messages.isError && <Alert type="error" showIcon title={toMessage(messages.error)} />}
          <MessageList messages={messages.data ?? []} loading={messages.isPending} typing={typing} style={{ height: 'calc(100vh - 300px)', minHeight: 260 }} testId="wall-messages" />
          <Flex vertical gap={6}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <EyeInvisibleOutlined /> {t('wall.listen.whisperHint')}
            </Typography.Text>
            <Input.TextArea
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  sendWhisper();
                }
              }}
              autoSize={{ minRows: 2, maxRows: 4 }}
              maxLength={4000}
              placeholder={t('wall.listen.whisperPlaceholder')}
              data-testid="wall-whisper-input"
            />
            <Flex justify="flex-end">
              <Button onClick={sendWhisper} loading={whisper.isPending} disabled={!text.trim()} icon={<EyeInvisibleOutlined />} data-testid="wall-whisper-send">
                {t('wall.listen.whisper')}
              </Button>
            </Flex>
          </Flex>
        </Flex>
      )}
    </Drawer>
  );
}
