import { AuditOutlined, CustomerServiceOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, FileTextOutlined, HistoryOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Result, Row, Skeleton, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import type { Customer } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { languageLabel } from '../../../lib/labels';
import { useCan } from '../../auth/hooks/use-me';
import { CallButton } from '../../calls/components/call-button';
import { CustomerContactsCard } from '../../contacts/components/customer-contacts-card';
import { PageHeader } from '../../shell/components/page-header';
import { CustomerTicketsCard } from '../../tickets/components/customer-tickets-card';
import { AttributesCard } from '../components/attributes-card';
import { CustomerEditDrawer } from '../components/customer-edit-drawer';
import { CustomerFlags, CustomerTags } from '../components/customer-flags';
import { IdentitiesCard } from '../components/identities-card';
import { useCustomer, useRevealCustomer } from '../hooks/use-customers';

export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const query = useCustomer(id);
  const reveal = useRevealCustomer(id);
  const [revealed, setRevealed] = useState<Customer | null>(null);
  const [editing, setEditing] = useState(false);

  if (query.isPending) {
    return (
      <>
        <PageHeader title={<Skeleton.Input active size="small" />} breadcrumbs={[{ title: t('nav.customers'), path: '/customers' }]} />
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </>
    );
  }
  if (query.isError) {
    const notFound = isApiError(query.error) && query.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('customer.notFound') : t('shell.loadFailed')}
        subTitle={notFound ? undefined : toMessage(query.error)}
        extra={
          <Link to="/customers">
            <Button type="primary">{t('customer.backToList')}</Button>
          </Link>
        }
      />
    );
  }

  // The revealed copy is only shown while it is newer than (or as new as) the cached one.
  const shown: Customer = revealed && revealed.id === query.data.id && revealed.updatedAt >= query.data.updatedAt ? revealed : query.data;
  const isRevealed = shown.masked === false;
  const canWrite = can('customer:write');
  const primaryAddress = shown.addresses.find((a) => a.primary) ?? shown.addresses[0];
  const ticketsBlock = can('ticket:read') ? (
    <CustomerTicketsCard customer={query.data} />
  ) : (
    <Card
      variant="borderless"
      title={
        <Space>
          <HistoryOutlined />
          {t('customer.cards.timeline')}
        </Space>
      }
      data-testid="customer-timeline"
    >
      <Empty description={t('customer.timelinePlaceholder')} />
    </Card>
  );

  return (
    <>
      <PageHeader
        title={<span data-testid="customer-name">{shown.name}</span>}
        breadcrumbs={[{ title: t('nav.customers'), path: '/customers' }, { title: shown.name }]}
        tags={
          <Space size={4} wrap>
            <CustomerFlags flags={shown.flags} />
            <Tag color="geekblue" data-testid="customer-language">
              {languageLabel(t, shown.preferredLanguage)}
            </Tag>
          </Space>
        }
        extra={
          <>
            {can('audit:read') && (
              <Link to={`/admin/audit?entityType=customer&entityId=${encodeURIComponent(shown.id)}`}>
                <Button icon={<AuditOutlined />}>{t('customer.actions.auditTrail')}</Button>
              </Link>
            )}
            {can('customer:unmask') &&
              (isRevealed ? (
                <Button icon={<EyeInvisibleOutlined />} onClick={() => setRevealed(null)} data-testid="customer-hide">
                  {t('customer.actions.hide')}
                </Button>
              ) : (
                <Tooltip title={t('customer.hints.revealAudited')}>
                  <Button
                    icon={<EyeOutlined />}
                    loading={reveal.isPending}
                    onClick={() => reveal.mutate(undefined, { onSuccess: setRevealed, onError: notifyError })}
                    data-testid="customer-reveal"
                  >
                    {t('customer.actions.reveal')}
                  </Button>
                </Tooltip>
              ))}
            {shown.identities.some((i) => i.kind === 'phone') && <CallButton target={{ customerId: shown.id }} />}
            {canWrite && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
                {t('customer.actions.edit')}
              </Button>
            )}
          </>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            {
              key: 'phone',
              label: t('customer.fields.primaryPhone'),
              children: (
                <span className="kefu-mono" data-testid="customer-primary-phone">
                  {shown.identities.find((i) => i.kind === 'phone')?.value ?? '—'}
                </span>
              ),
            },
            { key: 'area', label: t('customer.fields.area'), children: shown.area?.name ?? '—' },
            { key: 'address', label: t('customer.fields.address'), children: primaryAddress?.text ?? '—' },
            { key: 'created', label: t('customer.fields.createdAt'), children: formatDateTime(shown.createdAt) },
          ]}
        />
      </PageHeader>

      {isRevealed && (
        <Alert
          type="warning"
          showIcon
          icon={<EyeOutlined />}
          style={{ marginBottom: 16 }}
          title={t('customer.revealedNotice')}
          data-testid="customer-revealed-notice"
          action={
            <Button size="small" onClick={() => setRevealed(null)}>
              {t('customer.actions.hide')}
            </Button>
          }
        />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <IdentitiesCard customer={shown} canWrite={canWrite && !isRevealed} />
            <Card variant="borderless" title={t('customer.cards.addresses')} data-testid="customer-addresses">
              {shown.addresses.length ? (
                <Flex vertical gap={10}>
                  {shown.addresses.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: addresses carry no id and are re-rendered as a whole
                    <Flex key={`${a.text}-${i}`} gap={8} align="baseline">
                      <Tag color={a.primary ? 'blue' : 'default'}>{a.label || (a.primary ? t('customer.fields.primaryAddress') : t('customer.fields.address'))}</Tag>
                      <Typography.Text>{a.text}</Typography.Text>
                    </Flex>
                  ))}
                </Flex>
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noAddresses')} />
              )}
            </Card>
            {can('contact:read') ? (
              // 工单 and 联络记录 (every call, chat and message of the customer) side by side as tabs.
              <Tabs
                defaultActiveKey="tickets"
                tabBarStyle={{ marginBottom: 8 }}
                data-testid="customer-history-tabs"
                items={[
                  {
                    key: 'tickets',
                    label: (
                      <Space size={6}>
                        <FileTextOutlined />
                        {t('customer.cards.tickets')}
                      </Space>
                    ),
                    children: ticketsBlock,
                  },
                  {
                    key: 'contacts',
                    label: (
                      <Space size={6} data-testid="customer-contacts-tab">
                        <CustomerServiceOutlined />
                        {t('contacts.tab')}
                      </Space>
                    ),
                    children: <CustomerContactsCard customerId={shown.id} />,
                  },
                ]}
              />
            ) : (
              ticketsBlock
            )}
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card variant="borderless" title={t('customer.cards.basic')}>
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: 'id',
                    label: t('customer.fields.idNumber'),
                    children: <span className="kefu-mono" data-testid="customer-id-number">{shown.idNumber ?? '—'}</span>,
                  },
                  { key: 'lang', label: t('customer.fields.preferredLanguage'), children: languageLabel(t, shown.preferredLanguage) },
                  { key: 'created', label: t('customer.fields.createdAt'), children: formatDateTime(shown.createdAt) },
                  { key: 'updated', label: t('customer.fields.updatedAt'), children: formatDateTime(shown.updatedAt) },
                ]}
              />
            </Card>
            <Card variant="borderless" title={t('customer.cards.area')} data-testid="customer-area">
              {shown.area ? (
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    { key: 'name', label: t('customer.fields.area'), children: shown.area.name },
                    { key: 'code', label: t('customer.fields.areaCode'), children: <span className="kefu-mono">{shown.area.code}</span> },
                    {
                      key: 'manager',
                      label: t('customer.fields.accountManager'),
                      children: shown.area.accountManager ? (
                        <Space>
                          <UserOutlined />
                          {shown.area.accountManager.displayName}
                        </Space>
                      ) : (
                        <Typography.Text type="secondary">{t('customer.noAccountManager')}</Typography.Text>
                      ),
                    },
                  ]}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noArea')} />
              )}
            </Card>
            <AttributesCard attributes={shown.attributes} />
            <Card variant="borderless" title={t('customer.cards.tags')} data-testid="customer-tags">
              {shown.tags.length ? <CustomerTags tags={shown.tags} /> : <Typography.Text type="secondary">{t('customer.noTags')}</Typography.Text>}
            </Card>
            <Card variant="borderless" title={t('customer.cards.notes')} data-testid="customer-notes">
              {shown.notes ? (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{shown.notes}</Typography.Paragraph>
              ) : (
                <Typography.Text type="secondary">{t('customer.noNotes')}</Typography.Text>
              )}
            </Card>
          </Flex>
        </Col>
      </Row>
      {canWrite && <CustomerEditDrawer customer={query.data} open={editing} onClose={() => setEditing(false)} />}
    </>
  );
}
