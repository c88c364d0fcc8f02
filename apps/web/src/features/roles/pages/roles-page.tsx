import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, Empty, Flex, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermissionCatalogue, useRoles } from '../../../api/reference';
import type { DataScope, Role } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { roleLabel, scopeLabel } from '../../../lib/labels';
import { PageHeader } from '../../shell/components/page-header';
import { PermissionMatrix } from '../components/permission-matrix';
import { useUpdateRole } from '../hooks/use-roles';

const SCOPES: DataScope[] = ['all', 'department', 'areas', 'self'];

type Draft = { permissions: string[]; scope: DataScope; nameZh: string; nameEn: string };

function sameSet(a: readonly string[], b: readonly string[]) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const roles = useRoles();
  const catalogue = usePermissionCatalogue();
  const update = useUpdateRole();
  const [selectedCode, setSelectedCode] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  const selected: Role | undefined = useMemo(
    () => roles.data?.find((r) => r.code === selectedCode) ?? roles.data?.[0],
    [roles.data, selectedCode],
  );

  useEffect(() => {
    if (selected) setDraft({ permissions: selected.permissions, scope: selected.scope, nameZh: selected.nameZh, nameEn: selected.nameEn });
  }, [selected]);

  const dirty =
    !!selected &&
    !!draft &&
    (!sameSet(draft.permissions, selected.permissions) || draft.scope !== selected.scope || draft.nameZh !== selected.nameZh || draft.nameEn !== selected.nameEn);

  // Permissions a role holds that the catalogue no longer lists still show, so saving never drops them silently.
  const allPermissions = useMemo(() => {
    const list = [...(catalogue.data ?? [])];
    for (const p of selected?.permissions ?? []) if (!list.includes(p)) list.push(p);
    return list;
  }, [catalogue.data, selected]);

  // The server keeps the admin role at every permission and the `all` scope (role.builtin_admin_locked).
  const locked = selected?.code === 'admin';

  const save = () => {
    if (!selected || !draft) return;
    const body: Parameters<typeof update.mutate>[0]['body'] = {};
    if (!sameSet(draft.permissions, selected.permissions)) body.permissions = draft.permissions;
    if (draft.scope !== selected.scope) body.scope = draft.scope;
    if (draft.nameZh !== selected.nameZh) body.nameZh = draft.nameZh.trim();
    if (draft.nameEn !== selected.nameEn) body.nameEn = draft.nameEn.trim();
    update.mutate({ code: selected.code, body }, { onSuccess: () => void message.success(t('roles.saved')) });
  };

  return (
    <>
      <PageHeader title={t('nav.roles')} subTitle={t('roles.subtitle')} breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.roles') }]} />
      {(roles.isError || catalogue.isError) && (
        <Alert type="error" showIcon title={toMessage(roles.error ?? catalogue.error)} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xxl={7}>
          <Card variant="borderless" title={t('roles.listTitle')} styles={{ body: { padding: 0 } }}>
            <Table<Role>
              rowKey="code"
              size="middle"
              loading={roles.isLoading}
              dataSource={roles.data ?? []}
              pagination={false}
              data-testid="roles-table"
              rowClassName={(r) => (r.code === selected?.code ? 'ant-table-row-selected kefu-row-clickable' : 'kefu-row-clickable')}
              onRow={(r) =>
                ({
                  onClick: () => {
                    if (dirty && !window.confirm(t('roles.discardChanges'))) return;
                    setSelectedCode(r.code);
                    update.reset();
                  },
                  'data-testid': 'role-row',
                  'data-role': r.code,
                }) as HTMLAttributes<HTMLTableRowElement>
              }
              columns={[
                {
                  title: t('roles.fields.name'),
                  dataIndex: 'code',
                  render: (_: string, r) => (
                    <Flex vertical>
                      <Typography.Text strong>{roleLabel(i18n.language, r, r.code)}</Typography.Text>
                      <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
                        {r.code}
                      </Typography.Text>
                    </Flex>
                  ),
                },
                { title: t('roles.fields.scope'), dataIndex: 'scope', width: 90, render: (s: string) => <Tag>{scopeLabel(t, s)}</Tag> },
                {
                  title: t('roles.fields.users'),
                  dataIndex: 'userCount',
                  width: 70,
                  align: 'right',
                  render: (n: number) => <Badge count={n} showZero color={n ? '#1677ff' : '#d9d9d9'} overflowCount={9999} />,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={15} xxl={17}>
          <Card
            variant="borderless"
            loading={roles.isLoading || catalogue.isLoading}
            title={
              selected ? (
                <Space>
                  {roleLabel(i18n.language, selected, selected.code)}
                  {selected.builtin && <Tag color="gold">{t('roles.builtin')}</Tag>}
                  {dirty && <Tag color="orange">{t('roles.unsaved')}</Tag>}
                </Space>
              ) : (
                t('roles.editorTitle')
              )
            }
            extra={
              selected && (
                <Space>
                  <Button
                    icon={<UndoOutlined />}
                    disabled={!dirty}
                    onClick={() =>
                      setDraft({ permissions: selected.permissions, scope: selected.scope, nameZh: selected.nameZh, nameEn: selected.nameEn })
                    }
                  >
                    {t('common.reset')}
                  </Button>
                  <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={update.isPending} onClick={save} data-testid="role-save">
                    {t('common.save')}
                  </Button>
                </Space>
              )
            }
          >
            {!selected || !draft ? (
              <Empty />
            ) : (
              <>
                {update.isError && <Alert type="error" showIcon title={toMessage(update.error)} style={{ marginBottom: 16 }} />}
                {locked && <Alert type="info" showIcon title={t('roles.adminHint')} style={{ marginBottom: 16 }} />}
                <Form layout="vertical">
                  <Row gutter={16}>
                    <Col xs={24} md={8}>
                      <Form.Item label={t('roles.fields.nameZh')}>
                        <Input value={draft.nameZh} onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item label={t('roles.fields.nameEn')}>
                        <Input value={draft.nameEn} onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item label={t('roles.fields.scope')} tooltip={t('roles.scopeHint')}>
                        <Select
                          value={draft.scope}
                          disabled={locked}
                          onChange={(scope: DataScope) => setDraft({ ...draft, scope })}
                          options={SCOPES.map((s) => ({ value: s, label: scopeLabel(t, s) }))}
                          data-testid="role-scope"
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                </Form>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  {t('roles.selectedCount', { count: draft.permissions.length, total: allPermissions.length })}
                </Typography.Text>
                <PermissionMatrix
                  catalogue={allPermissions}
                  value={draft.permissions}
                  disabled={locked}
                  onChange={(permissions) => setDraft({ ...draft, permissions })}
                />
              </>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
