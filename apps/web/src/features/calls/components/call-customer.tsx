import { FileAddOutlined, LinkOutlined, UserAddOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ScreenPopCustomer, TScreenPop } from '../../../api/calls';
import { useErrorMessage } from '../../../lib/errors';
import { languageLabel } from '../../../lib/labels';
import { useCan } from '../../auth/hooks/use-me';
import { CustomerFlags, CustomerTags } from '../../customers/components/customer-flags';
import { AreaSelect, LanguageSelect } from '../../customers/components/customer-form-fields';
import { useCustomer } from '../../customers/hooks/use-customers';
import { CreateTicketDrawer } from '../../tickets/components/create-ticket-drawer';
import { useLinkCallCustomer } from '../hooks/use-calls';
import { customerView, toPopCustomer } from '../lib/call-labels';

type CardProps = {
  customer: ScreenPopCustomer;
  contactId: string;
  /** Matched by number but not linked to the call yet: offer 关联此客户. */
  linkable: boolean;
  onTicketCreated: () => void;
};

/** The caller's archive card: name, area, flags and tags, language; open the record or a new work order. */
function CustomerCard({ customer, contactId, linkable, onTicketCreated }: CardProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const toMessage = useErrorMessage();
  const link = useLinkCallCustomer(contactId);
  const [creating, setCreating] = useState(false);
  return (
    <Card size="small" data-testid="call-pop-customer" data-customer-id={customer.id}>
      <Flex justify="space-between" align="flex-start" gap={12} wrap>
        <Flex vertical gap={6} style={{ minWidth: 0 }}>
          <Space size={8} wrap>
            <UserOutlined />
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="call-pop-customer-name">
              {customer.name}
            </Typography.Text>
            <CustomerFlags flags={customer.flags} />
            <CustomerTags tags={customer.tags} />
          </Space>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'area', label: t('calls.customer.area'), children: customer.areaName ?? '—' },
              { key: 'language', label: t('calls.customer.language'), children: <Tag color="geekblue">{languageLabel(t, customer.preferredLanguage)}</Tag> },
            ]}
          />
        </Flex>
        <Flex vertical gap={6}>
          <Link to={`/customers/${encodeURIComponent(customer.id)}`} data-testid="call-pop-open-customer">
            <Button block icon={<UserOutlined />}>
              {t('calls.customer.open')}
            </Button>
          </Link>
          {can('ticket:create') && (
            <Button block icon={<FileAddOutlined />} onClick={() => setCreating(true)} data-testid="call-pop-create-ticket">
              {t('calls.customer.createTicket')}
            </Button>
          )}
          {linkable && (
            <Button
              block
              icon={<LinkOutlined />}
              loading={link.isPending}
              onClick={() =>
                link.mutate(
                  { customerId: customer.id },
                  { onSuccess: () => void message.success(t('calls.customer.linked', { name: customer.name })), onError: (e) => void message.error(toMessage(e)) },
                )
              }
              data-testid="call-pop-link-customer"
            >
              {t('calls.customer.link')}
            </Button>
          )}
        </Flex>
      </Flex>
      {can('ticket:create') && (
        <CreateTicketDrawer
          open={creating}
          onClose={() => setCreating(false)}
          customer={{ id: customer.id, name: customer.name, phones: customer.phones, areaId: customer.areaId, areaName: customer.areaName }}
          originContactId={contactId}
          initialChannel="phone"
          // The drawer says which order was created (or urged); the pop stays on the call.
          onCreated={onTicketCreated}
        />
      )}
    </Card>
  );
}

/** Several archive customers share the caller's number: the agent picks the one calling. */
function ChooseCustomer({ customers, contactId }: { customers: ScreenPopCustomer[]; contactId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const link = useLinkCallCustomer(contactId);
  return (
    <Card size="small" data-testid="call-pop-choose">
      <Typography.Paragraph type="secondary">{t('calls.customer.several', { count: customers.length })}</Typography.Paragraph>
      <Flex vertical gap={8}>
        {customers.map((c) => (
          <Flex key={c.id} justify="space-between" align="center" gap={12} className="kefu-pick-row" data-testid="call-pop-candidate">
            <Space size={8} wrap>
              <Typography.Text strong>{c.name}</Typography.Text>
              <Typography.Text type="secondary">{c.areaName ?? '—'}</Typography.Text>
              <CustomerFlags flags={c.flags} />
              <Link to={`/customers/${encodeURIComponent(c.id)}`} target="_blank">
                {t('calls.customer.open')}
              </Link>
            </Space>
            <Button
              type="primary"
              size="small"
              icon={<LinkOutlined />}
              loading={link.isPending && link.variables && 'customerId' in link.variables && link.variables.customerId === c.id}
              disabled={link.isPending}
              onClick={() =>
                link.mutate({ customerId: c.id }, { onSuccess: () => void message.success(t('calls.customer.linked', { name: c.name })), onError: (e) => void message.error(toMessage(e)) })
              }
              data-testid="call-pop-link-candidate"
            >
              {t('calls.customer.link')}
            </Button>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}

type NewCustomerValues = { name: string; areaId?: string | null; address?: string; preferredLanguage?: string };

/** Unknown number: create the caller's record (the server adds the caller's number, which the agent never sees). */
function NewCustomerForm({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const link = useLinkCallCustomer(contactId);
  const [form] = Form.useForm<NewCustomerValues>();
  const submit = (values: NewCustomerValues) => {
    const name = values.name.trim();
    const address = values.address?.trim();
    link.mutate(
      {
        newCustomer: {
          name,
          ...(values.areaId ? { areaId: values.areaId } : {}),
          ...(address ? { address } : {}),
          ...(values.preferredLanguage ? { preferredLanguage: values.preferredLanguage } : {}),
        },
      },
      { onSuccess: () => void message.success(t('calls.customer.created', { name })) },
    );
  };
  return (
    <Card
      size="small"
      title={
        <Space>
          <UserAddOutlined />
          {t('calls.customer.newTitle')}
        </Space>
      }
      data-testid="call-pop-new-customer"
    >
      <Typography.Paragraph type="secondary">{t('calls.customer.none')}</Typography.Paragraph>
      {link.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(link.error)} />}
      <Form<NewCustomerValues> form={form} layout="vertical" onFinish={submit} initialValues={{ preferredLanguage: 'zh-CN' }} requiredMark="optional">
        <Flex gap={12} wrap>
          <Form.Item
            name="name"
            label={t('calls.customer.name')}
            rules={[{ required: true, whitespace: true, message: t('calls.customer.nameRequired') }]}
            style={{ flex: '1 1 200px', marginBottom: 12 }}
          >
            <Input maxLength={100} placeholder={t('calls.customer.namePlaceholder')} data-testid="call-pop-new-name" />
          </Form.Item>
          <Form.Item name="areaId" label={t('calls.customer.area')} style={{ flex: '1 1 200px', marginBottom: 12 }}>
            <AreaSelect data-testid="call-pop-new-area" />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="address" label={t('calls.customer.address')} style={{ flex: '2 1 260px', marginBottom: 12 }}>
            <Input maxLength={300} placeholder={t('calls.customer.addressPlaceholder')} data-testid="call-pop-new-address" />
          </Form.Item>
          <Form.Item name="preferredLanguage" label={t('calls.customer.language')} style={{ flex: '1 1 140px', marginBottom: 12 }}>
            <LanguageSelect />
          </Form.Item>
        </Flex>
        <Flex justify="space-between" align="center" gap={12} wrap>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('calls.customer.numberHint')}
          </Typography.Text>
          <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={link.isPending} data-testid="call-pop-new-submit">
            {t('calls.customer.save')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

/** The customer block of the screen pop: card, choice among several matches, or the new-customer form. */
export function CallCustomer({ pop, onTicketCreated }: { pop: TScreenPop; onTicketCreated: () => void }) {
  const view = customerView(pop);
  // A linked customer who is not among the number's matches (e.g. picked by the agent elsewhere) is loaded on its own.
  const missing = view.kind === 'linked' && !view.customer ? (pop.customerId ?? undefined) : undefined;
  const loaded = useCustomer(missing);
  switch (view.kind) {
    case 'linked': {
      const customer = view.customer ?? (loaded.data ? toPopCustomer(loaded.data) : null);
      if (!customer) return loaded.isError ? null : <Skeleton active paragraph={{ rows: 2 }} />;
      return <CustomerCard customer={customer} contactId={pop.contactId} linkable={false} onTicketCreated={onTicketCreated} />;
    }
    case 'matched':
      return <CustomerCard customer={view.customer} contactId={pop.contactId} linkable onTicketCreated={onTicketCreated} />;
    case 'choose':
      return <ChooseCustomer customers={view.customers} contactId={pop.contactId} />;
    case 'create':
      return <NewCustomerForm contactId={pop.contactId} />;
  }
}
