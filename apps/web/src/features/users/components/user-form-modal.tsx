import { Alert, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments, useRoles, useTeams } from '../../../api/reference';
import type { CreateUserRequest, UpdateUserRequest, User } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { languageLabel, roleLabel, SERVICE_LANGUAGES } from '../../../lib/labels';
import { useCreateUser, useUpdateUser } from '../hooks/use-users';

type FormValues = {
  username: string;
  displayName: string;
  role: string;
  password: string;
  workNumber?: string;
  teamId?: string | null;
  departmentId?: string | null;
  skills: string[];
  languages: string[];
};

export const MIN_PASSWORD_LENGTH = 8;

/** Create (user == null) or edit a user. */
export function UserFormModal({ open, user, onClose }: { open: boolean; user: User | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const roles = useRoles(open);
  const teams = useTeams(open);
  const departments = useDepartments(open);
  const create = useCreateUser();
  const update = useUpdateUser();
  const toMessage = useErrorMessage();
  const editing = user !== null;
  const mutation = editing ? update : create;

  useEffect(() => {
    if (!open) return;
    if (user) {
      form.setFieldsValue({
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        workNumber: user.workNumber ?? '',
        teamId: user.teamId,
        departmentId: user.departmentId,
        skills: user.skills,
        languages: user.languages,
      });
    } else {
      form.resetFields();
    }
  }, [open, user, form]);

  const submit = (v: FormValues) => {
    if (user) {
      const body: UpdateUserRequest = {
        displayName: v.displayName.trim(),
        role: v.role,
        workNumber: v.workNumber?.trim() || null,
        teamId: v.teamId ?? null,
        departmentId: v.departmentId ?? null,
        skills: v.skills ?? [],
        languages: v.languages ?? [],
      };
      update.mutate({ id: user.id, body }, { onSuccess: onClose });
    } else {
      const body: CreateUserRequest = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        password: v.password,
        workNumber: v.workNumber?.trim() || undefined,
        teamId: v.teamId ?? undefined,
        departmentId: v.departmentId ?? undefined,
        skills: v.skills ?? [],
        languages: v.languages ?? [],
      };
      create.mutate(body, { onSuccess: onClose });
    }
  };

  return (
    <Modal
      open={open}
      width={680}
      title={editing ? t('users.editTitle') : t('users.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={editing ? t('common.save') : t('common.create')}
      confirmLoading={mutation.isPending}
      afterClose={() => {
        create.reset();
        update.reset();
      }}
      forceRender
    >
      {mutation.isError && <Alert type="error" showIcon title={toMessage(mutation.error)} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} initialValues={{ skills: [], languages: ['zh-CN'] }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="username"
              label={t('users.fields.username')}
              rules={[
                { required: true, message: t('users.validation.usernameRequired') },
                { pattern: /^[a-zA-Z0-9._-]{2,40}$/, message: t('users.validation.usernamePattern') },
              ]}
            >
              <Input disabled={editing} autoComplete="off" data-testid="user-form-username" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="displayName" label={t('users.fields.displayName')} rules={[{ required: true, whitespace: true, message: t('users.validation.displayNameRequired') }]}>
              <Input data-testid="user-form-display-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="role" label={t('users.fields.role')} rules={[{ required: true, message: t('users.validation.roleRequired') }]}>
              <Select
                loading={roles.isLoading}
                options={(roles.data ?? []).map((r) => ({ value: r.code, label: roleLabel(i18n.language, r, r.code) }))}
                data-testid="user-form-role"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            {editing ? (
              <Form.Item name="workNumber" label={t('users.fields.workNumber')}>
                <Input />
              </Form.Item>
            ) : (
              <Form.Item
                name="password"
                label={t('users.fields.initialPassword')}
                rules={[{ required: true, message: t('users.validation.passwordRequired') }, { min: MIN_PASSWORD_LENGTH, message: t('users.validation.passwordMin', { min: MIN_PASSWORD_LENGTH }) }]}
              >
                <Input.Password autoComplete="new-password" data-testid="user-form-password" />
              </Form.Item>
            )}
          </Col>
          {!editing && (
            <Col span={12}>
              <Form.Item name="workNumber" label={t('users.fields.workNumber')}>
                <Input />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="teamId" label={t('users.fields.team')}>
              <Select allowClear loading={teams.isLoading} options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="departmentId" label={t('users.fields.department')}>
              <Select allowClear loading={departments.isLoading} options={(departments.data ?? []).map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="languages" label={t('users.fields.languages')}>
              <Select mode="multiple" options={SERVICE_LANGUAGES.map((c) => ({ value: c, label: languageLabel(t, c) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="skills" label={t('users.fields.skills')} extra={t('users.hints.skills')}>
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
