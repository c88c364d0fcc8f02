import { CheckCircleFilled, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, CustomerIdentity } from '../../../api/types';
import { useNotifyError } from '../../../lib/errors';
import { identityKindLabel } from '../../../lib/labels';
import { useRemoveIdentity } from '../hooks/use-customers';
import { AddIdentityModal } from './add-identity-modal';

export function IdentitiesCard({ customer, canWrite }: { customer: Customer; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const remove = useRemoveIdentity(customer.id);
  const notifyError = useNotifyError();

  const columns: TableColumnsType<CustomerIdentity> = [
    {
      title: t('customer.fields.identityKind'),
      dataIndex: 'kind',
      width: 140,
      // An openid is the customer's follower id of the brand's official account (bound by 绑定户号 there).
      render: (kind: string) =>
        kind === 'wechat_openid' ? (
          <Tooltip title={t('channelAdapters.identity.wechatHint')}>
            <Tag color="green">{t('channelAdapters.identity.wechat')}</Tag>
          </Tooltip>
        ) : (
          <Tag>{identityKindLabel(t, kind)}</Tag>
        ),
    },
    {
      title: t('customer.fields.identityValue'),
      dataIndex: 'value',
      render: (value: string) => (
        <Typography.Text className="kefu-mono" copyable={!customer.masked} data-testid="identity-value">
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('customer.fields.verified'),
      dataIndex: 'verified',
      width: 110,
      render: (verified: boolean) =>
        verified ? (
          <Typography.Text type="success">
            <CheckCircleFilled /> {t('customer.verified')}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('customer.unverified')}</Typography.Text>
        ),
    },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      width: 80,
      render: (_: unknown, identity) => (
        <Popconfirm
          title={t('customer.confirmRemoveIdentity')}
          okText={t('common.delete')}
          okButtonProps={{ danger: true }}
          onConfirm={() =>
            remove.mutateAsync(identity.id).then(
              () => void message.success(t('common.deleted')),
              (error: unknown) => notifyError(error),
            )
          }
        >
          <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
        </Popconfirm>
      ),
    });
  }

  return (
    <Card
      variant="borderless"
      title={t('customer.cards.identities')}
      data-testid="customer-identities"
      extra={
        canWrite && (
          <Button type="link" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="identity-add">
            {t('customer.actions.addIdentity')}
          </Button>
        )
      }
    >
      <Table<CustomerIdentity>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={customer.identities}
        pagination={false}
        locale={{ emptyText: t('customer.noIdentities') }}
      />
      <AddIdentityModal customerId={customer.id} open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}
