import { Checkbox, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { permissionGroupLabel, permissionLabel } from '../../../lib/labels';
import { groupPermissions } from '../hooks/use-roles';

type Props = { catalogue: string[]; value: string[]; onChange: (next: string[]) => void; disabled?: boolean };

/** One row per permission group, a checkbox per permission, and a select-all per group. */
export function PermissionMatrix({ catalogue, value, onChange, disabled }: Props) {
  const { t } = useTranslation();
  const selected = new Set(value);
  const rows = groupPermissions(catalogue);

  const toggle = (permissions: string[], on: boolean) => {
    const next = new Set(selected);
    for (const p of permissions) {
      if (on) next.add(p);
      else next.delete(p);
    }
    // keep catalogue order so diffs in the audit log stay readable
    onChange(catalogue.filter((p) => next.has(p)));
  };

  return (
    <Table
      size="small"
      rowKey="group"
      pagination={false}
      dataSource={rows}
      data-testid="permission-matrix"
      columns={[
        {
          title: t('roles.group'),
          dataIndex: 'group',
          width: 170,
          render: (group: string, row) => {
            const count = row.permissions.filter((p) => selected.has(p)).length;
            return (
              <Checkbox
                checked={count === row.permissions.length}
                indeterminate={count > 0 && count < row.permissions.length}
                disabled={disabled}
                onChange={(e) => toggle(row.permissions, e.target.checked)}
              >
                <Typography.Text strong>{permissionGroupLabel(t, group)}</Typography.Text>
              </Checkbox>
            );
          },
        },
        {
          title: t('roles.permissions'),
          dataIndex: 'permissions',
          render: (permissions: string[]) => (
            <Flex wrap gap="4px 16px">
              {permissions.map((p) => (
                <Checkbox
                  key={p}
                  checked={selected.has(p)}
                  disabled={disabled}
                  onChange={(e) => toggle([p], e.target.checked)}
                  data-testid={`perm-${p}`}
                >
                  <span title={p}>{permissionLabel(t, p)}</span>
                </Checkbox>
              ))}
            </Flex>
          ),
        },
      ]}
    />
  );
}
