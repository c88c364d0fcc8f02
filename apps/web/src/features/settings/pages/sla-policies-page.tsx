import { EditOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, Popconfirm, Select, Switch, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SlaPolicy } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { useTicketCategories } from '../../tickets/hooks/use-tickets';
import { SlaPolicyDrawer } from '../components/sla-policy-drawer';
import { useCalendars, useSlaPolicies, useUpdateSlaPolicy } from '../hooks/use-sla-settings';
import { categoryPrefixLabel, sortPolicies, summariseTargets } from '../lib/sla-format';

const PRIORITY_COLORS: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'default' };
const AREA_COLORS: Record<string, string> = { urban: 'geekblue', rural: 'green', remote: 'purple' };

type Row = SlaPolicy & { categoryLabel: string; groupSize: number };

/** 系统管理 → SLA 策略: every policy grouped by category, the active switch, and the edit drawer. */
export function SlaPoliciesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const canManage = can('sla:manage');
  const toMessage = useErrorMessage();
  const notifyError = useNotifyError();
  const policies = useSlaPolicies();
  const calendars = useCalendars();
  const categories = useTicketCategories();
  const update = useUpdateSlaPolicy();
  const [category, setCategory] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [togglingId, setTogglingId] = useState<string | null>(null);

  const catLabel = (prefix: string) => categoryPrefixLabel(t, i18n.language, categories.data, prefix);
  const calendarName = (id: string) => calendars.data?.find((c) => c.id === id)?.name ?? '—';
  const priorityText = (p: string | null) => (p ? t(`tickets.priority.${p}`, { defaultValue: p }) : t('slaAdmin.any'));
  const areaText = (a: string | null) => (a ? t(`slaAdmin.areaKind.${a}`, { defaultValue: a }) : t('slaAdmin.any'));

  const rows: Row[] = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const sorted = sortPolicies(policies.data ?? [], categories.data).filter(
      (p) => (category === undefined || p.categoryPrefix === category) && (!needle || p.name.toLowerCase().includes(needle)),
    );
    const sizes = new Map<string, number>();
    for (const p of sorted) sizes.set(p.categoryPrefix, (sizes.get(p.categoryPrefix) ?? 0) + 1);
    const seen = new Set<string>();
    return sorted.map((p) => {
      const first = !seen.has(p.categoryPrefix);
      seen.add(p.categoryPrefix);
      return { ...p, categoryLabel: categoryPrefixLabel(t, i18n.language, categories.data, p.categoryPrefix), groupSize: first ? (sizes.get(p.categoryPrefix) ?? 1) : 0 };
    });
  }, [policies.data, categories.data, category, q, t, i18n.language]);

  const categoryOptions = useMemo(() => {
    const prefixes = [...new Set(sortPolicies(policies.data ?? [], categories.data).map((p) => p.categoryPrefix))];
    return prefixes.map((p) => ({ value: p, label: categoryPrefixLabel(t, i18n.language, categories.data, p) }));
  }, [policies.data, categories.data, t, i18n.language]);

  const setActive = (policy: SlaPolicy, active: boolean) => {
    setTogglingId(policy.id);
    update.mutate(
      { id: policy.id, body: { active } },
      {
        onSuccess: () => void message.success(active ? t('slaAdmin.activated', { name: policy.name }) : t('slaAdmin.deactivated', { name: policy.name })),
        onError: notifyError,
        onSettled: () => setTogglingId(null),
      },
    );
  };

  const columns: TableColumnsType<Row> = [
    {
      title: t('slaAdmin.fields.category'),
      dataIndex: 'categoryLabel',
      width: 120,
      onCell: (r) => ({ rowSpan: r.groupSize, className: 'kefu-group-cell' }),
      render: (label: string) => <Typography.Text strong>{label}</Typography.Text>,
    },
    {
      title: t('slaAdmin.fields.name'),
      dataIndex: 'name',
      width: 190,
      render: (name: string, r) => (
        <Flex vertical gap={2}>
          <Typography.Text type={r.active ? undefined : 'secondary'} delete={!r.active}>
            {name}
          </Typography.Text>
          {!r.active && (
            <span>
              <Tag>{t('slaAdmin.inactive')}</Tag>
            </span>
          )}
        </Flex>
      ),
    },
    {
      title: t('slaAdmin.fields.priority'),
      dataIndex: 'priority',
      width: 86,
      render: (p: string | null) => (p ? <Tag color={PRIORITY_COLORS[p]}>{priorityText(p)}</Tag> : <Typography.Text type="secondary">{t('slaAdmin.any')}</Typography.Text>),
    },
    {
      title: t('slaAdmin.fields.areaKind'),
      dataIndex: 'areaKind',
      width: 96,
      render: (a: string | null) => (a ? <Tag color={AREA_COLORS[a]}>{areaText(a)}</Tag> : <Typography.Text type="secondary">{t('slaAdmin.any')}</Typography.Text>),
    },
    {
      title: t('slaAdmin.fields.targets'),
      key: 'targets',
      render: (_: unknown, r) => {
        const { key, all } = summariseTargets(t, r.targets);
        if (all.length === 0) return <Typography.Text type="secondary">{t('slaAdmin.noTargets')}</Typography.Text>;
        return (
          <Tooltip
            title={
              <div>
                {all.map((line) => (
                  <div key={line}>{line}</div>
                ))}
              </div>
            }
          >
            <span data-testid="sla-policy-targets">
              {key.join(' · ')}
              {all.length > key.length && (
                <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                  {t('slaAdmin.moreTargets', { count: all.length - key.length })}
                </Typography.Text>
              )}
            </span>
          </Tooltip>
        );
      },
    },
    {
      title: t('slaAdmin.fields.calendar'),
      dataIndex: 'calendarId',
      width: 170,
      ellipsis: { showTitle: false },
      render: (id: string) => (
        <Tooltip title={calendarName(id)} placement="topLeft">
          <Link to="/admin/calendars">{calendarName(id)}</Link>
        </Tooltip>
      ),
    },
    {
      title: t('slaAdmin.fields.atRiskShort'),
      dataIndex: 'atRiskRatio',
      width: 72,
      align: 'right',
      render: (v: number) => <span className="kefu-mono">{Math.round(v * 100)}%</span>,
    },
    {
      title: t('slaAdmin.fields.active'),
      dataIndex: 'active',
      width: 72,
      render: (active: boolean, r) =>
        active && canManage ? (
          <Popconfirm title={t('slaAdmin.confirmDeactivate', { name: r.name })} description={t('slaAdmin.deactivateHint')} onConfirm={() => setActive(r, false)} okText={t('slaAdmin.deactivate')}>
            <Switch size="small" checked loading={togglingId === r.id} data-testid="sla-policy-active-switch" onClick={(_, e) => e.stopPropagation()} />
          </Popconfirm>
        ) : (
          <Switch
            size="small"
            checked={active}
            disabled={!canManage}
            loading={togglingId === r.id}
            onChange={(checked, e) => {
              e.stopPropagation();
              setActive(r, checked);
            }}
            data-testid="sla-policy-active-switch"
          />
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_: unknown, r) => (
        <Button
          type="link"
          size="small"
          icon={canManage ? <EditOutlined /> : <EyeOutlined />}
          onClick={() => setEditingId(r.id)}
          data-testid="sla-policy-edit"
          style={{ paddingInline: 0 }}
        >
          {canManage ? t('common.edit') : t('slaAdmin.view')}
        </Button>
      ),
    },
  ];

  const editing = policies.data?.find((p) => p.id === editingId) ?? null;
  const error = policies.error ?? calendars.error;

  return (
    <>
      <PageHeader
        title={t('nav.slaPolicies')}
        subTitle={t('slaAdmin.subtitle')}
        breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.slaPolicies') }]}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([policies.refetch(), calendars.refetch()])} loading={policies.isFetching}>
            {t('common.refresh')}
          </Button>
        }
      />
      {error && <Alert type="error" showIcon title={toMessage(error)} style={{ marginBottom: 16 }} />}
      {!canManage && <Alert type="info" showIcon title={t('slaAdmin.readOnly')} style={{ marginBottom: 16 }} />}
      <Card
        variant="borderless"
        title={t('slaAdmin.listTitle', { count: policies.data?.length ?? 0 })}
        extra={
          <Flex gap={8} wrap>
            <Select
              allowClear
              placeholder={t('slaAdmin.filterCategory')}
              value={category}
              onChange={(v?: string) => setCategory(v)}
              options={categoryOptions}
              style={{ width: 160 }}
              data-testid="sla-filter-category"
            />
            <Input.Search allowClear placeholder={t('slaAdmin.searchPlaceholder')} onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} style={{ width: 200 }} data-testid="sla-search" />
          </Flex>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<Row>
          rowKey="id"
          size="middle"
          bordered
          loading={policies.isLoading || calendars.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: 1100 }}
          data-testid="sla-policies-table"
          onRow={(r) =>
            ({
              'data-testid': 'sla-policy-row',
              'data-policy-id': r.id,
              'data-category': r.categoryPrefix,
              'data-priority': r.priority ?? '',
              'data-area-kind': r.areaKind ?? '',
            }) as HTMLAttributes<HTMLTableRowElement>
          }
        />
        <Typography.Paragraph type="secondary" style={{ margin: 0, padding: '12px 16px' }}>
          {t('slaAdmin.matchingHint')}
        </Typography.Paragraph>
      </Card>
      <SlaPolicyDrawer
        policy={editing}
        readOnly={!canManage}
        calendars={calendars.data ?? []}
        scope={
          editing
            ? { category: catLabel(editing.categoryPrefix), priority: priorityText(editing.priority), area: areaText(editing.areaKind) }
            : { category: '', priority: '', area: '' }
        }
        onClose={() => setEditingId(null)}
      />
    </>
  );
}
