import { Alert, Button, Col, Form, Input, Modal, Row } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import type { CreateCustomerRequest, Customer, CustomerAddress } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { cleanList } from '../../../lib/format';
import { useCreateCustomer } from '../hooks/use-customers';
import { AreaSelect, FlagsCheckboxes, LanguageSelect, StringListField, TagsSelect } from './customer-form-fields';

type FormValues = {
  name: string;
  phones: string[];
  emails: string[];
  areaId?: string | null;
  address?: string;
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  notes?: string;
};

export const PHONE_PATTERN = /^\+?[0-9][0-9\s-]{4,19}$/;

export function CreateCustomerModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Customer) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateCustomer();
  const toMessage = useErrorMessage();
  const [duplicateOf, setDuplicateOf] = useState<string | null>(null);

  const submit = (values: FormValues) => {
    setDuplicateOf(null);
    const addresses: CustomerAddress[] = values.address?.trim() ? [{ text: values.address.trim(), primary: true }] : [];
    const body: CreateCustomerRequest = {
      name: values.name.trim(),
      phones: cleanList(values.phones),
      emails: cleanList(values.emails),
      areaId: values.areaId ?? undefined,
      addresses,
      preferredLanguage: values.preferredLanguage,
      flags: values.flags ?? [],
      tags: values.tags ?? [],
      notes: values.notes?.trim() || undefined,
    };
    create.mutate(body, {
      onSuccess: (customer) => {
        form.resetFields();
        onCreated(customer);
      },
      onError: (error) => {
        if (isApiError(error) && error.code === 'customer.duplicate_identity') {
          const id = (error.details as { customerId?: string } | undefined)?.customerId;
          if (id) setDuplicateOf(id);
        }
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('customers.create')}
      width={720}
      onCancel={onClose}
      okText={t('common.create')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'customer-create-submit' }}
      afterClose={() => {
        create.reset();
        setDuplicateOf(null);
      }}
    >
      {create.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={toMessage(create.error)}
          action={
            duplicateOf ? (
              <Button size="small" onClick={() => navigate(`/customers/${duplicateOf}`)}>
                {t('customers.openExisting')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ phones: [''], emails: [], preferredLanguage: 'zh-CN', flags: [], tags: [] }}
        preserve={false}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('customer.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('customer.validation.nameRequired') }, { max: 100 }]}
            >
              <Input data-testid="customer-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="preferredLanguage" label={t('customer.fields.preferredLanguage')}>
              <LanguageSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <StringListField
              name="phones"
              label={t('customer.fields.phones')}
              placeholder={t('customer.placeholders.phone')}
              addLabel={t('customer.actions.addPhone')}
              rules={[{ pattern: PHONE_PATTERN, message: t('customer.validation.phoneInvalid') }]}
              testId="customer-form-phone"
            />
          </Col>
          <Col xs={24} md={12}>
            <StringListField
              name="emails"
              label={t('customer.fields.emails')}
              placeholder={t('customer.placeholders.email')}
              addLabel={t('customer.actions.addEmail')}
              rules={[{ type: 'email', message: t('customer.validation.emailInvalid') }]}
            />
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="areaId" label={t('customer.fields.area')}>
              <AreaSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="address" label={t('customer.fields.address')}>
              <Input placeholder={t('customer.placeholders.address')} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="flags" label={t('customer.fields.flags')}>
              <FlagsCheckboxes />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={t('customer.fields.tags')}>
              <TagsSelect />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('customer.fields.notes')}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
