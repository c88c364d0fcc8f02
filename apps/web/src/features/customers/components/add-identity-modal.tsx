import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { IDENTITY_KINDS, type IdentityKind } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { identityKindLabel } from '../../../lib/labels';
import { useAddIdentity } from '../hooks/use-customers';

type FormValues = { kind: IdentityKind; value: string };

export function AddIdentityModal({ customerId, open, onClose }: { customerId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const add = useAddIdentity(customerId);
  const toMessage = useErrorMessage();

  return (
    <Modal
      open={open}
      title={t('customer.actions.addIdentity')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.add')}
      confirmLoading={add.isPending}
      destroyOnHidden
      afterClose={() => add.reset()}
    >
      {add.isError && <Alert type="error" showIcon title={toMessage(add.error)} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'phone' }}
        onFinish={(values) => add.mutate({ kind: values.kind, value: values.value.trim() }, { onSuccess: onClose })}
      >
        <Form.Item name="kind" label={t('customer.fields.identityKind')} rules={[{ required: true }]}>
          <Select options={IDENTITY_KINDS.map((k) => ({ value: k, label: identityKindLabel(t, k) }))} data-testid="identity-kind" />
        </Form.Item>
        <Form.Item
          name="value"
          label={t('customer.fields.identityValue')}
          rules={[{ required: true, whitespace: true, message: t('customer.validation.identityRequired') }, { max: 200 }]}
        >
          <Input data-testid="identity-value" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
