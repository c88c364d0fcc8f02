import { StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Drawer, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';

// 退订名单: the numbers that answered TD/退订 to an SMS channel of the brand (GET /channels/:id/opt-outs).
// Notices are not sent to them; the server masks the numbers for readers without customer:unmask.

type OptOut = { phone: string; channelId: string | null; channelName: string | null; keyword: string; optedOutAt: string };
type OptOuts = { items: OptOut[]; total: number; masked: boolean };

function SmsOptOutsDrawer({ channel, open, onClose }: { channel: { id: string; name: string }; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const list = useQuery({ queryKey: ['channel-opt-outs', channel.id], queryFn: () => api.get<OptOuts>(`/channels/${encodeURIComponent(channel.id)}/opt-outs`), enabled: open });
  const columns: TableColumnsType<OptOut> = [
    { title: t('channelAdapters.optOuts.phone'), dataIndex: 'phone', render: (phone: string) => <Typography.Text className="kefu-mono">{phone}</Typography.Text> },
    { title: t('channelAdapters.optOuts.keyword'), dataIndex: 'keyword', width: 110, render: (keyword: string) => <Tag>{keyword}</Tag> },
    { title: t('channelAdapters.optOuts.channel'), dataIndex: 'channelName', width: 150, render: (name: string | null) => name ?? '—' },
    { title: t('channelAdapters.optOuts.at'), dataIndex: 'optedOutAt', width: 140, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
  ];
  return (
    <Drawer open={open} onClose={onClose} size={640} destroyOnHidden title={t('channelAdapters.optOuts.title', { name: channel.name })} data-testid="sms-opt-outs-drawer">
      <Typography.Paragraph type="secondary">{t('channelAdapters.optOuts.hint')}</Typography.Paragraph>
      {list.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('channelAdapters.optOuts.loadFailed')} description={toMessage(list.error)} />}
      <Table<OptOut>
        rowKey="phone"
        size="small"
        loading={list.isPending && open}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('channelAdapters.optOuts.empty') }}
        data-testid="sms-opt-outs"
      />
      {list.data && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('channelAdapters.optOuts.total', { count: list.data.total })}
          {list.data.masked ? ` · ${t('channelAdapters.optOuts.masked')}` : ''}
        </Typography.Text>
      )}
    </Drawer>
  );
}

/** The channels table's button for an SMS channel: opens its 退订名单. */
export function SmsOptOutsButton({ channel }: { channel: { id: string; name: string } }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" icon={<StopOutlined />} onClick={() => setOpen(true)} data-testid="sms-opt-outs-open">
        {t('channelAdapters.optOuts.open')}
      </Button>
      <SmsOptOutsDrawer channel={channel} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
