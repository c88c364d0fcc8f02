import { CommentOutlined, MailOutlined, MessageOutlined, PhoneOutlined, ShopOutlined, WechatOutlined, WhatsAppOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_STATUS_COLORS, contactChannelLabel, contactStatusLabel } from '../lib/contact-labels';

const ICONS: Record<string, ReactNode> = {
  chat: <MessageOutlined />,
  call: <PhoneOutlined />,
  wechat: <WechatOutlined />,
  sms: <CommentOutlined />,
  email: <MailOutlined />,
  walk_in: <ShopOutlined />,
  outbound: <WhatsAppOutlined />,
};

export function ChannelIcon({ channel, withLabel = false }: { channel: string; withLabel?: boolean }) {
  const { t } = useTranslation();
  const icon = ICONS[channel] ?? <MessageOutlined />;
  if (withLabel) {
    return (
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }} data-channel={channel}>
        {icon}
        {contactChannelLabel(t, channel)}
      </span>
    );
  }
  return (
    <Tooltip title={contactChannelLabel(t, channel)}>
      <span role="img" aria-label={contactChannelLabel(t, channel)} data-channel={channel}>
        {icon}
      </span>
    </Tooltip>
  );
}

export function ContactStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={CONTACT_STATUS_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="contact-status" data-status={status}>
      {contactStatusLabel(t, status)}
    </Tag>
  );
}
