import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../lib/errors';
import { MIN_PASSWORD_LENGTH } from '../../users/components/user-form-modal';
import { useChangePassword } from '../hooks/use-account';

type FormValues = { currentPassword: string; newPassword: string; confirm: string };

export function ChangePasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const change = useChangePassword();
  const toMessage = useErrorMessage();

  return (
    <Card variant="borderless" title={t('account.changePassword')} data-testid="change-password-card">
      {change.isError && <Alert type="error" showIcon title={toMessage(change.error)} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 420 }}
        onFinish={(v) =>
          change.mutate(
            { currentPassword: v.currentPassword, newPassword: v.newPassword },
            {
              onSuccess: () => {
                form.resetFields();
                void message.success(t('account.passwordChanged'));
              },
            },
          )
        }
      >
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('account.currentRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          extra={t('account.passwordRule', { min: MIN_PASSWORD_LENGTH })}
          rules={[{ required: true, message: t('users.validation.passwordRequired') }, { min: MIN_PASSWORD_LENGTH, message: t('users.validation.passwordMin', { min: MIN_PASSWORD_LENGTH }) }]}
        >
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('account.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password-submit">
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
