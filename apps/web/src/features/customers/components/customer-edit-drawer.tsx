import { Alert, Button, Col, Drawer, Flex, Form, Input, Row } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerAttributes } from '../../../api/reference';
import type { Customer, CustomerAddress, UpdateCustomerRequest } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useUpdateCustomer } from '../hooks/use-customers';
import {
  AddressesField,
  AreaSelect,
  AttributeFields,
  cleanAttributes,
  FlagsCheckboxes,
  LanguageSelect,
  TagsSelect,
} from './customer-form-fields';

type FormValues = {
  name: string;
  idNumber?: string;
  areaId: string | null;
  addresses: CustomerAddress[];
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string;
};

export function CustomerEditDrawer({ customer, open, onClose }: { customer: Customer; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const update = useUpdateCustomer(customer.id);
  const attributes = useCustomerAttributes(open);
  const toMessage = useErrorMessage();

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({
      name: customer.name,
      idNumber: '',
      areaId: customer.area?.id ?? null,
      addresses: customer.addresses,
      preferredLanguage: customer.preferredLanguage,
      flags: customer.flags,
      tags: customer.tags,
      attributes: customer.attributes,
      notes: customer.notes ?? '',
    });
  }, [open, customer, form]);

  const submit = (values: FormValues) => {
    const body: UpdateCustomerRequest = {
      name: values.name.trim(),
      areaId: values.areaId ?? null,
      addresses: (values.addresses ?? [])
        .filter((a) => a.text?.trim())
        .map((a) => ({ text: a.text.trim(), ...(a.label?.trim() ? { label: a.label.trim() } : {}), primary: Boolean(a.primary) })),
      preferredLanguage: values.preferredLanguage,
      flags: values.flags ?? [],
      tags: values.tags ?? [],
      attributes: { ...customer.attributes, ...cleanAttributes(values.attributes) },
      notes: values.notes?.trim() ? values.notes.trim() : null,
    };
    // The ID number is shown masked; only send it when the user typed a new one.
    if (values.idNumber?.trim()) body.idNumber = values.idNumber.trim();
    update.mutate(body, { onSuccess: onClose });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={`${t('customer.actions.edit')} · ${customer.name}`}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && update.reset()}
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="customer-edit-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {update.isError && <Alert type="error" showIcon title={toMessage(update.error)} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onFinish={submit}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('customer.fields.name')} rules={[{ required: true, whitespace: true, message: t('customer.validation.nameRequired') }]}>
              <Input data-testid="customer-edit-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="idNumber" label={t('customer.fields.idNumber')} extra={t('customer.hints.idNumberKeep')}>
              <Input placeholder={customer.idNumber ?? ''} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="areaId" label={t('customer.fields.area')}>
              <AreaSelect />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="preferredLanguage" label={t('customer.fields.preferredLanguage')}>
              <LanguageSelect />
            </Form.Item>
          </Col>
        </Row>
        <AddressesField />
        <Form.Item name="flags" label={t('customer.fields.flags')}>
          <FlagsCheckboxes />
        </Form.Item>
        <Form.Item name="tags" label={t('customer.fields.tags')}>
          <TagsSelect />
        </Form.Item>
        {(attributes.data?.length ?? 0) > 0 && (
          <Row gutter={16}>
            <AttributeFieldsGrid definitions={attributes.data ?? []} />
          </Row>
        )}
        <Form.Item name="notes" label={t('customer.fields.notes')}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function AttributeFieldsGrid({ definitions }: { definitions: Parameters<typeof AttributeFields>[0]['definitions'] }) {
  return (
    <>
      {definitions.map((def) => (
        <Col span={12} key={def.key}>
          <AttributeFields definitions={[def]} />
        </Col>
      ))}
    </>
  );
}
