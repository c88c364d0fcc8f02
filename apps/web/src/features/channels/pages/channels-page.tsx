import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, type TableColumnsType, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { CtiSettingsButton } from '../components/cti-settings-drawer';
import { SmsOptOutsButton } from '../components/sms-opt-outs-drawer';

// 渠道管理: every channel instance (web chat, WeChat, email, SMS, phone/CTI, API) with its health
// and masked secrets, a creation form per type (secrets the server generates are shown once), and
// the quarantine of inbound messages whose thread could not be verified.

type ChannelType = 'webchat' | 'wechat' | 'email' | 'sms' | 'cti' | 'api';
type Channel = { id: string; type: ChannelType; name: string; config: Record<string, unknown>; secrets: Record<string, string>; queueId: string | null; enabled: boolean; health: Record<string, unknown>; createdAt: string };
type Quarantined = { id: string; channelName: string; fromKind: string; fromValue: string; fromName: string | null; subject: string | null; body: string; reason: string; status: string; createdAt: string };

const TYPES: ChannelType[] = ['wechat', 'email', 'sms', 'api', 'cti', 'webchat'];
const TYPE_COLOR: Record<ChannelType, string> = { webchat: 'blue', wechat: 'green', email: 'purple', sms: 'orange', cti: 'cyan', api: 'geekblue' };

/** Where the outside platform posts to, per type (shown so the admin can paste it into the platform). */
function inboundUrl(c: Channel): string | null {
  const origin = window.location.origin;
  if (c.type === 'wechat') return `${origin}/channels/wechat/${c.id}`;
  if (c.type === 'sms') return `${origin}/channels/sms/${c.id}`;
  if (c.type === 'api') return `${origin}/channels/api/${c.id}/messages`;
  if (c.type === 'cti') return `${origin}/channels/cti/${c.id}`;
  return null;
}

function Health({ health }: { health: Record<string, unknown> }) {
  const { t } = useTranslation();
  const at = (v: unknown) => (typeof v === 'string' ? dayjs(v).format('MM-DD HH:mm') : null);
  const error = typeof health.lastOutboundError === 'string' ? health.lastOutboundError : null;
  const inbound = at(health.lastInboundAt);
  const outbound = at(health.lastOutboundAt);
  if (!inbound && !outbound && !error) return <Badge status="default" text={t('channels.health.none')} />;
  return (
    <Space direction="vertical" size={0}>
      {error ? <Badge status="error" text={t('channels.health.error', { error })} /> : <Badge status="success" text={t('channels.health.ok')} />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('channels.health.last', { inbound: inbound ?? '—', outbound: outbound ?? '—' })}
      </Typography.Text>
    </Space>
  );
}

function CreateChannelModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const type: ChannelType = Form.useWatch('type', form) ?? 'wechat';
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<Channel & { generatedSecrets: Record<string, string> }>('/channels', body),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['channels'] });
      form.resetFields();
      onClose();
      const generated = Object.entries(created.generatedSecrets);
      if (generated.length === 0) message.success(t('channels.created'));
      else
        modal.info({
          title: t('channels.secretsOnce'),
          width: 640,
          content: (
            <Space direction="vertical" style={{ width: '100%' }} data-testid="channel-generated-secrets">
              {generated.map(([k, v]) => (
                <Typography.Text key={k} copyable={{ text: v }} code>
                  {k}: {v}
                </Typography.Text>
              ))}
            </Space>
          ),
        });
    },
    onError: (e) => message.error(toMessage(e)),
  });
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
  const submit = (v: Record<string, string | undefined>) => {
    const config: Record<string, unknown> =
      type === 'wechat'
        ? clean({ appId: v.appId, token: v.token, appSecret: v.appSecret, encodingAESKey: v.encodingAESKey, apiBaseUrl: v.apiBaseUrl })
        : type === 'email'
          ? clean({
              address: v.address,
              fromName: v.fromName,
              imap: v.imapHost ? { host: v.imapHost, user: v.imapUser, password: v.imapPassword, enabled: true } : undefined,
              smtp: v.smtpHost ? clean({ host: v.smtpHost, user: v.smtpUser, password: v.smtpPassword }) : undefined,
            })
          : type === 'sms'
            ? clean({ provider: v.provider ?? 'generic', signName: v.signName, sendUrl: v.sendUrl })
            : type === 'api'
              ? clean({ webhookUrl: v.webhookUrl })
              : type === 'cti'
                ? clean({ originateUrl: v.originateUrl })
                : {};
    create.mutate({ type, name: v.name, config });
  };
  const field = (name: string, required = false, password = false) => (
    <Form.Item key={name} name={name} label={t(`channels.fields.${name}`)} rules={required ? [{ required: true, message: t('channels.required') }] : []}>
      {password ? <Input.Password autoComplete="new-password" /> : <Input />}
    </Form.Item>
  );
  const fields: Record<ChannelType, React.ReactNode[]> = {
    wechat: [field('appId', true), field('token', true), field('appSecret', true, true), field('encodingAESKey', false, true), field('apiBaseUrl')],
    email: [field('address', true), field('fromName'), field('imapHost'), field('imapUser'), field('imapPassword', false, true), field('smtpHost'), field('smtpUser'), field('smtpPassword', false, true)],
    sms: [
      <Form.Item key="provider" name="provider" label={t('channels.fields.provider')} initialValue="generic">
        <Select options={['generic', 'aliyun', 'tencent'].map((p) => ({ value: p, label: t(`channels.providers.${p}`) }))} />
      </Form.Item>,
      field('signName', true),
      field('sendUrl'),
    ],
    api: [field('webhookUrl')],
    cti: [field('originateUrl')],
    webchat: [],
  };
  return (
    <Modal open={open} title={t('channels.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden data-testid="channel-create">
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ type: 'wechat' }}>
        <Form.Item name="type" label={t('channels.fields.type')}>
          <Select options={TYPES.map((ty) => ({ value: ty, label: t(`channels.types.${ty}`) }))} data-testid="channel-type" />
        </Form.Item>
        {field('name', true)}
        {fields[type]}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('channels.secretsHint')}
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}

function ChannelsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api.get<{ items: Channel[] }>('/channels') });
  const toggle = useMutation({
    mutationFn: (c: { id: string; enabled: boolean }) => api.patch<Channel>(`/channels/${encodeURIComponent(c.id)}`, { enabled: c.enabled }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['channels'] }),
    onError: (e) => message.error(toMessage(e)),
  });
  const columns: TableColumnsType<Channel> = [
    { title: t('channels.fields.name'), dataIndex: 'name', render: (name: string, c) => <Space direction="vertical" size={0}><Typography.Text strong>{name}</Typography.Text>{inboundUrl(c) && <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: inboundUrl(c) ?? '', icon: <CopyOutlined /> }}>{inboundUrl(c)}</Typography.Text>}{c.type === 'cti' && <Link to={`/admin/channels/${encodeURIComponent(c.id)}/ivr`} data-testid="channel-ivr-link">{t('ivr.open')}</Link>}</Space> },
    { title: t('channels.fields.type'), dataIndex: 'type', width: 130, render: (ty: ChannelType) => <Tag color={TYPE_COLOR[ty]}>{t(`channels.types.${ty}`)}</Tag> },
    { title: t('channels.health.title'), key: 'health', width: 260, render: (_, c) => <Health health={c.health} /> },
    {
      title: t('channels.secrets'),
      key: 'secrets',
      width: 220,
      render: (_, c) => (
        <Space size={4} wrap>
          {Object.entries(c.secrets).map(([k, v]) => (
            <Tooltip key={k} title={k}>
              <Tag>{`${k}: ${v}`}</Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    { title: t('channels.enabled'), key: 'enabled', width: 90, render: (_, c) => <Switch checked={c.enabled} loading={toggle.isPending && toggle.variables?.id === c.id} onChange={(enabled) => toggle.mutate({ id: c.id, enabled })} /> },
    { title: '', key: 'sms-opt-outs', width: 130, render: (_, c) => (c.type === 'sms' ? <SmsOptOutsButton channel={c} /> : c.type === 'cti' ? <CtiSettingsButton channel={c} /> : null) },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="channel-new">
          {t('channels.new')}
        </Button>
      </Space>
      <Table<Channel> rowKey="id" size="middle" loading={channels.isPending} dataSource={channels.data?.items ?? []} columns={columns} pagination={false} data-testid="channels-table" />
      <CreateChannelModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function QuarantineTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'open' | 'accepted' | 'rejected'>('open');
  const list = useQuery({ queryKey: ['channel-quarantine', status], queryFn: () => api.get<{ items: Quarantined[] }>('/channel-quarantine', { status }) });
  const decide = useMutation({
    mutationFn: (d: { id: string; decision: 'accept' | 'reject' }) => api.post<Quarantined>(`/channel-quarantine/${encodeURIComponent(d.id)}/decision`, { decision: d.decision }),
    onSuccess: (_r, d) => {
      message.success(t(d.decision === 'accept' ? 'channels.quarantine.accepted' : 'channels.quarantine.rejected'));
      void queryClient.invalidateQueries({ queryKey: ['channel-quarantine'] });
    },
    onError: (e) => message.error(toMessage(e)),
  });
  const columns: TableColumnsType<Quarantined> = [
    { title: t('channels.quarantine.from'), key: 'from', width: 220, render: (_, q) => <Space direction="vertical" size={0}><span>{q.fromName ?? q.fromValue}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${q.channelName} · ${q.fromValue}`}</Typography.Text></Space> },
    { title: t('channels.quarantine.message'), key: 'message', render: (_, q) => <Space direction="vertical" size={0}>{q.subject && <Typography.Text strong>{q.subject}</Typography.Text>}<Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ marginBottom: 0 }}>{q.body}</Typography.Paragraph></Space> },
    { title: t('channels.quarantine.reason'), dataIndex: 'reason', width: 200, render: (r: string) => <Tag color="warning">{t(`channels.quarantine.reasons.${r.replace(/\./g, '_')}`, { defaultValue: r })}</Tag> },
    { title: t('channels.quarantine.at'), dataIndex: 'createdAt', width: 130, render: (v: string) => dayjs(v).format('MM-DD HH:mm') },
    {
      title: '',
      key: 'actions',
      width: 170,
      render: (_, q) =>
        q.status === 'open' ? (
          <Space>
            <Button size="small" type="primary" onClick={() => decide.mutate({ id: q.id, decision: 'accept' })} data-testid="quarantine-accept">
              {t('channels.quarantine.accept')}
            </Button>
            <Button size="small" danger onClick={() => decide.mutate({ id: q.id, decision: 'reject' })}>
              {t('channels.quarantine.reject')}
            </Button>
          </Space>
        ) : (
          <Tag>{t(`channels.quarantine.status.${q.status}`)}</Tag>
        ),
    },
  ];
  return (
    <>
      <Select value={status} onChange={setStatus} style={{ width: 160, marginBottom: 12 }} options={(['open', 'accepted', 'rejected'] as const).map((s) => ({ value: s, label: t(`channels.quarantine.status.${s}`) }))} />
      <Typography.Paragraph type="secondary">{t('channels.quarantine.hint')}</Typography.Paragraph>
      <Table<Quarantined> rowKey="id" size="middle" loading={list.isPending} dataSource={list.data?.items ?? []} columns={columns} pagination={{ pageSize: 20 }} />
    </>
  );
}

export function ChannelsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const items = [
    ...(can('routing:manage') ? [{ key: 'channels', label: t('channels.tabs.channels'), children: <ChannelsTab /> }] : []),
    { key: 'quarantine', label: t('channels.tabs.quarantine'), children: <QuarantineTab /> },
  ];
  return (
    <>
      <PageHeader title={t('channels.title')} subTitle={t('channels.subtitle')} breadcrumbs={[{ title: t('nav.admin') }, { title: t('channels.title') }]} />
      <Card variant="borderless">
        <Tabs items={items} />
      </Card>
    </>
  );
}
