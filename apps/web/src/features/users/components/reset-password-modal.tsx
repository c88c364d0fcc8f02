import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useResetPassword } from '../hooks/use-users';
import { MIN_PASSWORD_LENGTH } from './user-form-modal';

type FormValues = { newPassword: string; confirm: string };

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const reset = useResetPassword();
  const toMessage = useErrorMessage();

  return (
    <Modal
      open={user !== null}
      title={t('users.resetPasswordTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      destroyOnHidden
      afterClose={() => reset.reset()}
    >
      <Typography.Paragraph type="secondary">{t('users.resetPasswordHint', { name: user?.displayName ?? '' })}</Typography.Paragraph>
      {reset.isError && <Alert type="error" showIcon title={toMessage(reset.error)} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          user &&
          reset.mutate(
            { id: user.id, newPassword: v.newPassword },
            {
              onSuccess: () => {
                void message.success(t('users.passwordReset'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          rules={[{ required: true, message: t('users.validation.passwordRequired') }, { min: MIN_PASSWORD_LENGTH, message: t('users.validation.passwordMin', { min: MIN_PASSWORD_LENGTH }) }]}
        >
          <Input.Password autoComplete="new-password" />
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
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
