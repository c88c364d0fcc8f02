import { EditOutlined, KeyOutlined, LockOutlined, PlusOutlined, ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments, useRoles, useTeams } from '../../../api/reference';
import type { User } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { roleLabel } from '../../../lib/labels';
import { useCan, useMe } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { ResetPasswordModal } from '../components/reset-password-modal';
import { UserFormModal } from '../components/user-form-modal';
import { type UserFilters, useUpdateUser, useUserList } from '../hooks/use-users';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const [filters, setFilters] = useState<UserFilters>({});
  const [formUser, setFormUser] = useState<User | null | undefined>(undefined); // undefined = closed, null = create
  const [resetUser, setResetUser] = useState<User | null>(null);

  const list = useUserList(filters);
  const roles = useRoles();
  const teams = useTeams();
  const departments = useDepartments();
  const update = useUpdateUser();
  const canManage = can('user:manage');

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const roleByCode = useMemo(() => new Map((roles.data ?? []).map((r) => [r.code, r])), [roles.data]);
  const teamName = (id: string | null) => (id ? (teams.data?.find((x) => x.id === id)?.name ?? '—') : '—');
  const departmentName = (id: string | null) => (id ? (departments.data?.find((x) => x.id === id)?.name ?? '—') : '—');

  const setDisabled = (user: User, disabled: boolean) =>
    update.mutateAsync({ id: user.id, body: { disabled } }).then(
      () => void message.success(disabled ? t('users.disabledDone', { name: user.displayName }) : t('users.enabledDone', { name: user.displayName })),
      notifyError,
    );

  const columns: TableColumnsType<User> = [
    {
      title: t('users.fields.username'),
      dataIndex: 'username',
      width: 120,
      render: (v: string) => <span className="kefu-mono">{v}</span>,
    },
    { title: t('users.fields.displayName'), dataIndex: 'displayName', width: 110, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    {
      title: t('users.fields.role'),
      dataIndex: 'role',
      width: 130,
      render: (code: string) => <Tag color={code === 'admin' ? 'purple' : 'blue'}>{roleLabel(i18n.language, roleByCode.get(code), code)}</Tag>,
    },
    { title: t('users.fields.workNumber'), dataIndex: 'workNumber', width: 90, render: (v: string | null) => <span className="kefu-mono">{v || '—'}</span> },
    { title: t('users.fields.team'), dataIndex: 'teamId', width: 100, render: teamName },
    { title: t('users.fields.department'), dataIndex: 'departmentId', width: 110, render: departmentName },
    {
      title: t('users.fields.status'),
      dataIndex: 'disabled',
      width: 90,
      render: (disabled: boolean) =>
        disabled ? <Badge status="default" text={t('users.status.disabled')} /> : <Badge status="success" text={t('users.status.active')} />,
    },
    {
      title: t('users.fields.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 120,
      render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v)}>{formatRelative(v)}</Tooltip> : <Typography.Text type="secondary">{t('users.neverLoggedIn')}</Typography.Text>),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_: unknown, user) => (
        <Space size={2}>
          <Tooltip title={t('common.edit')}>
            <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setFormUser(user)} aria-label={t('common.edit')} data-testid="user-edit" />
          </Tooltip>
          <Tooltip title={t('users.resetPassword')}>
            <Button
              type="text"
              size="small"
              icon={<KeyOutlined />}
              onClick={() => setResetUser(user)}
              aria-label={t('users.resetPassword')}
              data-testid="user-reset-password"
            />
          </Tooltip>
          {user.disabled ? (
            <Tooltip title={t('users.enable')}>
              <Button
                type="text"
                size="small"
                icon={<UnlockOutlined />}
                onClick={() => void setDisabled(user, false)}
                aria-label={t('users.enable')}
                data-testid="user-enable"
              />
            </Tooltip>
          ) : (
            <Popconfirm
              title={t('users.confirmDisable', { name: user.displayName })}
              okText={t('users.disable')}
              okButtonProps={{ danger: true }}
              onConfirm={() => setDisabled(user, true)}
              disabled={user.id === me.id}
            >
              <Tooltip title={t('users.disable')}>
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<LockOutlined />}
                  disabled={user.id === me.id}
                  aria-label={t('users.disable')}
                  data-testid="user-disable"
                />
              </Tooltip>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        subTitle={t('users.subtitle')}
        breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.users') }]}
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormUser(null)} data-testid="user-create">
              {t('users.create')}
            </Button>
          )
        }
      />
      <Card variant="borderless">
        <Flex gap={12} wrap style={{ marginBottom: 16 }} justify="space-between">
          <Flex gap={12} wrap>
            <Input.Search
              allowClear
              placeholder={t('users.searchPlaceholder')}
              style={{ width: 300 }}
              onSearch={(q) => setFilters((f) => ({ ...f, q: q.trim() || undefined }))}
              data-testid="user-search"
            />
            <Select
              allowClear
              placeholder={t('users.filterRole')}
              style={{ width: 180 }}
              value={filters.role}
              onChange={(role?: string) => setFilters((f) => ({ ...f, role }))}
              options={(roles.data ?? []).map((r) => ({ value: r.code, label: roleLabel(i18n.language, r, r.code) }))}
              data-testid="user-filter-role"
            />
          </Flex>
          <Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        </Flex>
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          scroll={{ x: 1020 }}
          data-testid="users-table"
          onRow={(u) => ({ 'data-testid': 'user-row', 'data-username': u.username }) as HTMLAttributes<HTMLTableRowElement>}
          rowClassName={(u) => (u.disabled ? 'ant-table-row-disabled' : '')}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('common.loadedCount', { count: rows.length })}</Typography.Text>
          {list.hasNextPage && (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </Flex>
      </Card>
      {canManage && <UserFormModal open={formUser !== undefined} user={formUser ?? null} onClose={() => setFormUser(undefined)} />}
      {canManage && <ResetPasswordModal user={resetUser} onClose={() => setResetUser(null)} />}
    </>
  );
}
