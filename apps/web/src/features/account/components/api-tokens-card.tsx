import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Popconfirm, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import type { ApiToken, CreatedApiToken, Me } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDate, formatDateTime, formatRelative } from '../../../lib/format';
import { permissionLabel } from '../../../lib/labels';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../hooks/use-account';

type FormValues = { name: string; scopes: string[]; expiresAt?: Dayjs | null };

function tokenStatus(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && dayjs(token.expiresAt).isBefore(dayjs())) return 'expired';
  return 'active';
}

export function ApiTokensCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<FormValues>();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const forbidden = isApiError(tokens.error) && tokens.error.status === 403;

  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.fields.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    {
      title: t('tokens.fields.scopes'),
      dataIndex: 'scopes',
      render: (scopes: string[]) =>
        scopes.map((s) => (
          <Tooltip key={s} title={s}>
            <Tag>{permissionLabel(t, s)}</Tag>
          </Tooltip>
        )),
    },
    { title: t('tokens.fields.createdAt'), dataIndex: 'createdAt', width: 110, render: (v: string) => <Tooltip title={formatDateTime(v)}>{formatDate(v)}</Tooltip> },
    {
      title: t('tokens.fields.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 100,
      render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v)}>{formatRelative(v)}</Tooltip> : t('tokens.neverUsed')),
    },
    { title: t('tokens.fields.expiresAt'), dataIndex: 'expiresAt', width: 110, render: (v: string | null) => (v ? formatDate(v) : t('tokens.noExpiry')) },
    {
      title: t('tokens.fields.status'),
      key: 'status',
      width: 90,
      render: (_: unknown, token) => {
        const status = tokenStatus(token);
        return <Badge status={status === 'active' ? 'success' : 'default'} text={t(`tokens.status.${status}`)} />;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 70,
      render: (_: unknown, token) =>
        tokenStatus(token) === 'revoked' ? null : (
          <Popconfirm
            title={t('tokens.confirmRevoke', { name: token.name })}
            okText={t('tokens.revoke')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke.mutateAsync(token.id).then(() => void message.success(t('tokens.revoked')), notifyError)}
          >
            <Button type="link" danger size="small" data-testid="token-revoke">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  const submit = (v: FormValues) =>
    create.mutate(
      { name: v.name.trim(), scopes: v.scopes, expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : undefined },
      {
        onSuccess: (token) => {
          setCreating(false);
          setCreated(token);
        },
      },
    );

  return (
    <Card
      variant="borderless"
      title={t('tokens.title')}
      data-testid="api-tokens-card"
      extra={
        !forbidden && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('tokens.intro')}</Typography.Paragraph>
      {forbidden ? (
        <Alert type="info" showIcon title={t('tokens.forbidden')} />
      ) : (
        <>
          {tokens.isError && <Alert type="error" showIcon title={toMessage(tokens.error)} style={{ marginBottom: 16 }} />}
          <Table<ApiToken>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={tokens.data ?? []}
            loading={tokens.isLoading}
            pagination={false}
            locale={{ emptyText: t('tokens.empty') }}
            data-testid="tokens-table"
          />
        </>
      )}

      <Modal
        open={creating}
        title={t('tokens.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={create.isPending}
        destroyOnHidden
        afterClose={() => create.reset()}
        width={640}
      >
        {create.isError && <Alert type="error" showIcon title={toMessage(create.error)} style={{ marginBottom: 16 }} />}
        <Form<FormValues> form={form} layout="vertical" preserve={false} onFinish={submit} initialValues={{ scopes: [] }}>
          <Form.Item name="name" label={t('tokens.fields.name')} rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }, { max: 100 }]}>
            <Input placeholder={t('tokens.namePlaceholder')} data-testid="token-name" />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('tokens.fields.scopes')}
            extra={t('tokens.scopesHint')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
          >
            <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 6 }}>
              {me.permissions.map((p) => (
                <Checkbox key={p} value={p}>
                  {permissionLabel(t, p)} <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 11 }}>{p}</Typography.Text>
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="expiresAt" label={t('tokens.fields.expiresAt')} extra={t('tokens.expiryHint')}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs().endOf('day'))} style={{ width: 220 }} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={created !== null}
        title={t('tokens.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('tokens.savedIt')}
          </Button>
        }
        mask={{ closable: false }}
      >
        <Alert type="warning" showIcon title={t('tokens.onlyOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: created?.token ?? '' }} className="kefu-mono" style={{ padding: 12, background: '#f6f8fa', borderRadius: 6, wordBreak: 'break-all' }} data-testid="token-value">
          {created?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('tokens.usage')}
        </Typography.Text>
        <pre className="kefu-json" style={{ marginTop: 8 }}>{`curl -H "Authorization: Bearer ${created?.token ?? '…'}" ${window.location.origin}/api/v1/me`}</pre>
      </Modal>
    </Card>
  );
}
