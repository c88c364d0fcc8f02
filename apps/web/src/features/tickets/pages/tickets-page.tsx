import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Select, Space, Table, type TableColumnsType, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { TicketListFilters, TicketSummary } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan, useMe } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { CategoryCascader } from '../components/category-cascader';
import { CreateTicketDrawer } from '../components/create-ticket-drawer';
import { AreaSelect, DepartmentSelect } from '../components/dispatch-fields';
import { SavedViewsMenu } from '../components/saved-views-menu';
import { PriorityBadges, SlaCountdown, StatusTag, UrgeCount } from '../components/ticket-badges';
import { SAVED_VIEW_PARAMS, type SavedView, viewParamsOf } from '../hooks/use-saved-views';
import { useTicketList } from '../hooks/use-tickets';
import { useIsDepartmentMember } from '../lib/roles';

/** Quick views (快捷筛选) and the statuses each stands for. */
const TABS = {
  all: {},
  open: { open: 'true' },
  /** 派给我的: open orders I hold (assigneeId = me, filled in below). */
  mine: { open: 'true' },
  todo: { status: 'dispatched,in_progress' },
  done: { status: 'handled,replied,followed_up,archived' },
  toDispatch: { status: 'accepted,returned' },
  inProgress: { status: 'dispatched,in_progress' },
  toReply: { status: 'handled' },
  toFollowUp: { status: 'replied' },
  archived: { status: 'archived' },
} as const satisfies Record<string, TicketListFilters>;
type TabKey = keyof typeof TABS;

const FILTER_KEYS = ['q', 'category', 'sla', 'area', 'department', 'customer'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** Links may use the API's own names (/tickets?slaState=breached&departmentId=…); the page keeps the short ones. */
const PARAM_ALIASES: Record<string, FilterKey> = { slaState: 'sla', departmentId: 'department', areaId: 'area', categoryCode: 'category', customerId: 'customer' };

export function TicketsPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const toMessage = useErrorMessage();
  const departmentMember = useIsDepartmentMember();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const defaultTab: TabKey = departmentMember ? 'todo' : 'all';
  const tabParam = params.get('tab');
  const tab: TabKey = tabParam && tabParam in TABS ? (tabParam as TabKey) : defaultTab;
  const get = (k: FilterKey) => params.get(k) ?? undefined;
  const [searchText, setSearchText] = useState(get('q') ?? '');

  useEffect(() => {
    if (!Object.keys(PARAM_ALIASES).some((k) => params.has(k))) return;
    const next = new URLSearchParams(params);
    for (const [alias, key] of Object.entries(PARAM_ALIASES)) {
      const v = next.get(alias);
      next.delete(alias);
      if (v && !next.get(key)) next.set(key, v);
    }
    setParams(next, { replace: true });
  }, [params, setParams]);

  const set = (patch: Partial<Record<FilterKey | 'tab', string | undefined>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v?.trim()) next.set(k, v.trim());
      else next.delete(k);
    }
    if (next.get('tab') === defaultTab) next.delete('tab');
    setParams(next, { replace: true });
  };

  const filters: TicketListFilters = useMemo(() => {
    const sla = params.get('sla');
    return {
      ...TABS[tab],
      ...(tab === 'mine' ? { assigneeId: me.id } : {}),
      q: params.get('q') ?? undefined,
      categoryCode: params.get('category') ?? undefined,
      slaState: sla === 'breached' || sla === 'at_risk' || sla === 'ok' ? sla : undefined,
      departmentId: params.get('department') ?? undefined,
      areaId: params.get('area') ?? undefined,
      customerId: params.get('customer') ?? undefined,
    };
  }, [params, tab, me.id]);
  const currentView = useMemo(() => viewParamsOf(params), [params]);

  const applyView = (view: SavedView['params']) => {
    setSearchText(view.q ?? '');
    set({ customer: undefined, ...Object.fromEntries(SAVED_VIEW_PARAMS.map((k) => [k, view[k]])) });
  };

  const list = useTicketList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const hasFilters = FILTER_KEYS.some((k) => params.get(k));

  const columns: TableColumnsType<TicketSummary> = [
    {
      title: t('tickets.fields.number'),
      dataIndex: 'number',
      width: 160,
      fixed: 'left',
      render: (number: string, row) => (
        <Link to={`/tickets/${row.id}`} className="kefu-mono" data-testid="ticket-link" onClick={(e) => e.stopPropagation()}>
          {number}
        </Link>
      ),
    },
    { title: t('tickets.fields.category'), dataIndex: 'categoryName', width: 130, ellipsis: true },
    {
      title: t('tickets.fields.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (title: string | null) => title ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('tickets.fields.customer'),
      dataIndex: 'customerName',
      width: 120,
      render: (name: string, row) => (
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text ellipsis style={{ maxWidth: 100 }}>
            {can('customer:read') ? (
              <Link to={`/customers/${row.customerId}`} onClick={(e) => e.stopPropagation()}>
                {name}
              </Link>
            ) : (
              name
            )}
          </Typography.Text>
          {row.areaName && (
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 100 }}>
              {row.areaName}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('tickets.fields.department'), dataIndex: 'departmentName', width: 110, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('tickets.fields.status'), dataIndex: 'status', width: i18n.language === 'en-US' ? 170 : 90, render: (s: string) => <StatusTag status={s} /> },
    {
      title: t('tickets.fields.priority'),
      key: 'priority',
      width: 120,
      render: (_, row) => (
        <Flex vertical gap={4} align="flex-start">
          <PriorityBadges priority={row.priority} urgency={row.urgency} />
          {row.urgeCount > 0 && <UrgeCount count={row.urgeCount} />}
        </Flex>
      ),
    },
    {
      title: t('tickets.fields.sla'),
      key: 'sla',
      width: 130,
      render: (_, row) => <SlaCountdown state={row.slaState} dueAt={row.nextDueAt} />,
    },
    {
      title: t('tickets.fields.createdAt'),
      dataIndex: 'createdAt',
      width: 110,
      render: (v: string) => (
        <Tooltip title={formatDateTime(v)}>
          <span className="kefu-mono" style={{ whiteSpace: 'nowrap' }}>
            {dayjs(v).format('MM-DD HH:mm')}
          </span>
        </Tooltip>
      ),
    },
  ];

  // 派给我的 only for those who can hold an order (the member who accepts a dispatch becomes its assignee).
  const mine: TabKey[] = can('ticket:handle') ? ['mine'] : [];
  const tabKeys: TabKey[] = departmentMember
    ? ['todo', ...mine, 'done', 'all']
    : ['all', ...mine, 'toDispatch', 'inProgress', 'toReply', 'toFollowUp', 'archived', 'open'];

  return (
    <>
      <PageHeader
        title={t('nav.tickets')}
        subTitle={departmentMember ? t('tickets.subtitleDepartment') : t('tickets.subtitle')}
        breadcrumbs={[{ title: t('nav.tickets') }]}
        extra={
          can('ticket:create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ticket-create">
              {t('tickets.create.title')}
            </Button>
          )
        }
      >
        <Tabs
          activeKey={tab}
          onChange={(key) => set({ tab: key })}
          items={tabKeys.map((key) => ({ key, label: <span data-testid={`ticket-tab-${key}`}>{t(`tickets.tabs.${key}`)}</span> }))}
          tabBarExtraContent={<SavedViewsMenu current={currentView} defaultTab={defaultTab} onApply={applyView} />}
          style={{ marginBottom: -16 }}
        />
      </PageHeader>
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <Input.Search
            allowClear
            enterButton={t('common.search')}
            placeholder={t('tickets.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(value) => set({ q: value })}
            style={{ width: 320, maxWidth: '100%' }}
            data-testid="ticket-search"
          />
          <CategoryCascader anyLevel value={get('category')} onChange={(v) => set({ category: v })} style={{ width: 200 }} data-testid="ticket-filter-category" />
          <Select
            allowClear
            placeholder={t('tickets.fields.sla')}
            style={{ width: 120 }}
            value={get('sla')}
            onChange={(v?: string) => set({ sla: v })}
            options={[
              { value: 'breached', label: t('tickets.slaState.breached') },
              { value: 'at_risk', label: t('tickets.slaState.at_risk') },
              { value: 'ok', label: t('tickets.slaState.ok') },
            ]}
            data-testid="ticket-filter-sla"
          />
          <AreaSelect value={get('area')} onChange={(v) => set({ area: v })} style={{ width: 150 }} data-testid="ticket-filter-area" />
          {!departmentMember && (
            <DepartmentSelect value={get('department')} onChange={(v) => set({ department: v })} style={{ width: 170 }} data-testid="ticket-filter-department" />
          )}
          {get('customer') && (
            <Tag closable onClose={() => set({ customer: undefined })} color="blue" data-testid="ticket-filter-customer">
              {t('tickets.filterCustomer', { name: rows[0]?.customerName ?? '…' })}
            </Tag>
          )}
          {hasFilters && (
            <Button
              type="link"
              onClick={() => {
                setSearchText('');
                set({ q: undefined, category: undefined, sla: undefined, area: undefined, department: undefined, customer: undefined });
              }}
            >
              {t('common.reset')}
            </Button>
          )}

        </Flex>
      </Card>
      <Card
        variant="borderless"
        title={t(`tickets.tabs.${tab}`)}
        extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />}
      >
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<TicketSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 1100 }}
          data-testid="tickets-table"
          rowClassName={() => 'kefu-row-clickable'}
          onRow={(row) =>
            ({
              'data-testid': 'ticket-row',
              'data-ticket-id': row.id,
              'data-status': row.status,
              onClick: () => navigate(`/tickets/${row.id}`),
            }) as HTMLAttributes<HTMLTableRowElement>
          }
          locale={{ emptyText: hasFilters ? t('tickets.emptySearch') : t('tickets.empty') }}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" data-testid="tickets-count">
            {t('common.loadedCount', { count: rows.length })}
          </Typography.Text>
          <Space>
            {list.hasNextPage ? (
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="tickets-load-more">
                {t('common.loadMore')}
              </Button>
            ) : (
              rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            )}
          </Space>
        </Flex>
      </Card>
      {can('ticket:create') && <CreateTicketDrawer open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
