import { PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';

// 分机号与外呼: a CTI channel's originate URL (click-to-call / callbacks go there) and the PBX
// extension of each agent (PUT /channels/:id/cti-settings). Routing answers and `answered` events
// name agents by these extensions; an agent without one takes no calls from this line.

type Agent = { id: string; displayName: string; workNumber: string | null; state: string };
type CtiChannel = { id: string; name: string; config: Record<string, unknown> };

function CtiSettingsDrawer({ channel, open, onClose }: { channel: CtiChannel; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const agents = useQuery({ queryKey: ['agents'], queryFn: () => api.get<{ items: Agent[] }>('/agents'), enabled: open });
  const initial = useMemo(() => (channel.config.agentExtensions ?? {}) as Record<string, string>, [channel.config]);
  const [extensions, setExtensions] = useState<Record<string, string>>(initial);
  const [originateUrl, setOriginateUrl] = useState(String(channel.config.originateUrl ?? ''));
  useEffect(() => {
    if (open) {
      setExtensions(initial);
      setOriginateUrl(String(channel.config.originateUrl ?? ''));
    }
  }, [open, initial, channel.config.originateUrl]);
  const duplicates = useMemo(() => {
    const count = new Map<string, number>();
    for (const ext of Object.values(extensions)) if (ext) count.set(ext, (count.get(ext) ?? 0) + 1);
    return new Set([...count].filter(([, n]) => n > 1).map(([ext]) => ext));
  }, [extensions]);
  const save = useMutation({
    mutationFn: () =>
      api.put(`/channels/${encodeURIComponent(channel.id)}/cti-settings`, {
        originateUrl: originateUrl.trim() === '' ? null : originateUrl.trim(),
        agentExtensions: Object.fromEntries(Object.entries(extensions).filter(([, ext]) => ext.trim() !== '').map(([id, ext]) => [id, ext.trim()])),
      }),
    onSuccess: () => {
      message.success(t('channelAdapters.cti.saved'));
      void queryClient.invalidateQueries({ queryKey: ['channels'] });
      onClose();
    },
    onError: (e) => message.error(toMessage(e)),
  });
  const columns: TableColumnsType<Agent> = [
    { title: t('channelAdapters.cti.agent'), key: 'agent', render: (_, a) => <span>{a.displayName}{a.workNumber && <Typography.Text type="secondary">{` · ${a.workNumber}`}</Typography.Text>}</span> },
    { title: t('channelAdapters.cti.state'), dataIndex: 'state', width: 90, render: (state: string) => <Tag color={state === 'online' ? 'green' : undefined}>{t(`contacts.presence.${state}`, { defaultValue: state })}</Tag> },
    {
      title: t('channelAdapters.cti.extension'),
      key: 'extension',
      width: 150,
      render: (_, a) => {
        const value = extensions[a.id] ?? '';
        return (
          <Input
            size="small"
            value={value}
            maxLength={32}
            status={value && (duplicates.has(value) || !/^[0-9A-Za-z*#_-]{1,32}$/.test(value)) ? 'error' : undefined}
            placeholder="8001"
            onChange={(e) => setExtensions((x) => ({ ...x, [a.id]: e.target.value }))}
            data-testid={`cti-extension-${a.id}`}
          />
        );
      },
    },
  ];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={t('channelAdapters.cti.title', { name: channel.name })}
      data-testid="cti-settings-drawer"
      extra={
        <Button type="primary" loading={save.isPending} disabled={duplicates.size > 0} onClick={() => save.mutate()} data-testid="cti-settings-save">
          {t('channelAdapters.cti.save')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('channelAdapters.cti.hint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('channelAdapters.cti.originateUrl')} help={t('channelAdapters.cti.originateHelp')}>
          <Input value={originateUrl} onChange={(e) => setOriginateUrl(e.target.value)} placeholder="https://pbx.example.cn/kefu/originate" data-testid="cti-originate-url" />
        </Form.Item>
      </Form>
      {duplicates.size > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('channelAdapters.cti.duplicate', { extensions: [...duplicates].join(', ') })} />}
      {agents.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(agents.error)} />}
      <Table<Agent> rowKey="id" size="small" loading={agents.isPending && open} dataSource={agents.data?.items ?? []} columns={columns} pagination={{ pageSize: 15, hideOnSinglePage: true }} data-testid="cti-extensions" />
    </Drawer>
  );
}

/** The channels table's button for a CTI channel: opens its extensions and originate URL. */
export function CtiSettingsButton({ channel }: { channel: CtiChannel }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const count = Object.keys((channel.config.agentExtensions ?? {}) as Record<string, string>).length;
  return (
    <>
      <Button size="small" icon={<PhoneOutlined />} onClick={() => setOpen(true)} data-testid="cti-settings-open">
        {t('channelAdapters.cti.open', { count })}
      </Button>
      <CtiSettingsDrawer channel={channel} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
