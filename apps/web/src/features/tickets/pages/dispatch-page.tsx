import { ClearOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Flex, Input, Table, type TableColumnsType, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { BulkDispatchResponse, TicketListFilters, TicketSummary } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../shell/components/page-header';
import { BULK_DISPATCH_MAX, BulkDispatchModal, useBulkErrorMessage } from '../components/bulk-dispatch-modal';
import { CategoryCascader } from '../components/category-cascader';
import { AreaSelect, DepartmentSelect } from '../components/dispatch-fields';
import { PriorityBadges, SlaCountdown, StatusTag, UrgeCount } from '../components/ticket-badges';
import { useTicketBoard, useTicketList } from '../hooks/use-tickets';

/** The dispatcher's two queues: orders nobody holds yet, and open orders past their deadline. */
const VIEWS = {
  unassigned: { status: 'accepted,returned' },
  overdue: { open: 'true', slaState: 'breached' },
} as const satisfies Record<string, TicketListFilters>;
type ViewKey = keyof typeof VIEWS;

/** Statuses an order can be (re-)dispatched from; an order a department is already working on cannot. */
const DISPATCHABLE: ReadonlySet<string> = new Set(['accepted', 'returned', 'dispatched']);

const PAGE_SIZE = 50;
const LIST_REFRESH_MS = 60_000;

/** 派单台 (ticket:dispatch): unassigned and overdue orders, row checkboxes and bulk dispatch. */
export function DispatchPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const errorOf = useBulkErrorMessage();
  const [params, setParams] = useSearchParams();
  const view: ViewKey = params.get('view') === 'overdue' ? 'overdue' : 'unassigned';
  const [searchText, setSearchText] = useState(params.get('q') ?? '');
  const [selected, setSelected] = useState<string[]>([]);
  const [dispatching, setDispatching] = useState(false);
  /** Why each order of the last bulk dispatch failed, shown on its row until the next one. */
  const [failures, setFailures] = useState<Record<string, string>>({});

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v?.trim()) next.set(k, v.trim());
      else next.delete(k);
    }
    if (next.get('view') === 'unassigned') next.delete('view');
    setParams(next, { replace: true });
  };

  const filters: TicketListFilters = useMemo(
    () => ({
      ...VIEWS[view],
      q: params.get('q') ?? undefined,
      categoryCode: params.get('category') ?? undefined,
      areaId: params.get('area') ?? undefined,
      departmentId: view === 'overdue' ? (params.get('department') ?? undefined) : undefined,
    }),
    [params, view],
  );
  const hasFilters = ['q', 'category', 'area', 'department'].some((k) => params.get(k));

  const list = useTicketList(filters, PAGE_SIZE, true, LIST_REFRESH_MS);
  const board = useTicketBoard();
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  // Orders dispatched meanwhile (by us or someone else) drop out of the selection with their rows.
  const selectedIds = useMemo(() => {
    const present = new Set(rows.map((r) => r.id));
    return selected.filter((id) => present.has(id));
  }, [rows, selected]);
  const atLimit = selectedIds.length >= BULK_DISPATCH_MAX;
  const numbers = useMemo(() => Object.fromEntries(rows.map((r) => [r.id, r.number])), [rows]);

  const toggle = (row: TicketSummary) => {
    const id = row.id;
    if (!DISPATCHABLE.has(row.status)) return;
    if (selectedIds.includes(id)) setSelected(selectedIds.filter((x) => x !== id));
    else if (atLimit) message.warning(t('dispatch.bulk.limit', { max: BULK_DISPATCH_MAX }));
    else setSelected([...selectedIds, id]);
  };

  const switchView = (key: string) => {
    setSelected([]);
    setFailures({});
    set({ view: key, department: undefined });
  };

  const onDispatched = (result: BulkDispatchResponse) => {
    const failed = result.results.filter((r) => !r.ok);
    setFailures(Object.fromEntries(failed.map((r) => [r.ticketId, errorOf(r)])));
    // The orders that did not go out stay selected, ready to be sent elsewhere.
    setSelected(failed.map((r) => r.ticketId));
  };

  const columns: TableColumnsType<TicketSummary> = [
    {
      title: t('tickets.fields.number'),
      dataIndex: 'number',
      width: 170,
      render: (number: string, row) => (
        <Flex vertical gap={2}>
          <Link to={`/tickets/${row.id}`} className="kefu-mono" data-testid="ticket-link" onClick={(e) => e.stopPropagation()}>
            {number}
          </Link>
          {failures[row.id] && (
            <Tooltip title={failures[row.id]}>
              <Tag color="error" style={{ marginInlineEnd: 0, width: 'fit-content' }} data-testid="dispatch-row-error">
                {t('dispatch.result.failed')}
              </Tag>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    { title: t('tickets.fields.category'), dataIndex: 'categoryName', width: 130, ellipsis: true },
    {
      title: t('tickets.fields.title'),
      dataIndex: 'title',
      ellipsis: true,
      minWidth: 150,
      render: (title: string | null) => title ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: t('tickets.fields.customer'),
      dataIndex: 'customerName',
      width: 140,
      render: (name: string, row) => (
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text ellipsis style={{ maxWidth: 120 }}>
            {name}
          </Typography.Text>
          {row.areaName && (
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 120 }}>
              {row.areaName}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('tickets.fields.status'), dataIndex: 'status', width: i18n.language === 'en-US' ? 170 : 90, render: (s: string) => <StatusTag status={s} /> },
    ...(view === 'overdue'
      ? [{ title: t('tickets.fields.department'), dataIndex: 'departmentName', width: 130, ellipsis: true, render: (v: string | null) => v ?? '—' }]
      : []),
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
    { title: t('tickets.fields.sla'), key: 'sla', width: 130, render: (_, row) => <SlaCountdown state={row.slaState} dueAt={row.nextDueAt} /> },
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

  const count = (n: number | undefined) => (n === undefined ? null : <Badge count={n} overflowCount={9999} showZero color={n ? undefined : '#d9d9d9'} style={{ marginInlineStart: 6 }} />);

  return (
    <>
      <PageHeader title={t('nav.dispatch')} subTitle={t('dispatch.subtitle')} breadcrumbs={[{ title: t('nav.dispatch') }]}>
        <Tabs
          activeKey={view}
          onChange={switchView}
          items={[
            {
              key: 'unassigned',
              label: (
                <span data-testid="dispatch-tab-unassigned">
                  {t('dispatch.views.unassigned')}
                  {count(board.data?.awaitingDispatch)}
                </span>
              ),
            },
            {
              key: 'overdue',
              label: (
                <span data-testid="dispatch-tab-overdue">
                  {t('dispatch.views.overdue')}
                  {count(board.data?.bySla.breached)}
                </span>
              ),
            },
          ]}
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
            style={{ width: 340, maxWidth: '100%' }}
            data-testid="dispatch-search"
          />
          <CategoryCascader anyLevel value={params.get('category') ?? undefined} onChange={(v) => set({ category: v })} style={{ width: 200 }} data-testid="dispatch-filter-category" />
          <AreaSelect value={params.get('area') ?? undefined} onChange={(v) => set({ area: v })} style={{ width: 160 }} data-testid="dispatch-filter-area" />
          {view === 'overdue' && (
            <DepartmentSelect value={params.get('department') ?? undefined} onChange={(v) => set({ department: v })} style={{ width: 180 }} data-testid="dispatch-filter-department" />
          )}
          {hasFilters && (
            <Button
              type="link"
              onClick={() => {
                setSearchText('');
                set({ q: undefined, category: undefined, area: undefined, department: undefined });
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </Flex>
      </Card>
      <Card
        variant="borderless"
        title={
          <Flex align="center" gap={12} wrap>
            <span>{t(`dispatch.views.${view}`)}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 400, fontSize: 13 }}>
              {t(`dispatch.hints.${view}`)}
            </Typography.Text>
          </Flex>
        }
        extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />}
      >
        <Flex
          align="center"
          justify="space-between"
          gap={12}
          wrap
          className={selectedIds.length ? 'kefu-bulk-bar kefu-bulk-bar-active' : 'kefu-bulk-bar'}
          data-testid="bulk-dispatch-bar"
        >
          <Typography.Text data-testid="bulk-dispatch-count" data-count={selectedIds.length}>
            {selectedIds.length ? t('dispatch.bulk.selected', { count: selectedIds.length }) : t('dispatch.bulk.selectHint')}
            {atLimit && (
              <Typography.Text type="warning" style={{ marginInlineStart: 8 }}>
                {t('dispatch.bulk.limit', { max: BULK_DISPATCH_MAX })}
              </Typography.Text>
            )}
          </Typography.Text>
          <Flex gap={8}>
            {selectedIds.length > 0 && (
              <Button icon={<ClearOutlined />} onClick={() => setSelected([])} data-testid="bulk-dispatch-clear">
                {t('dispatch.bulk.clear')}
              </Button>
            )}
            <Button type="primary" icon={<SendOutlined />} disabled={selectedIds.length === 0} onClick={() => setDispatching(true)} data-testid="bulk-dispatch-open">
              {t('dispatch.bulk.open')}
            </Button>
          </Flex>
        </Flex>
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<TicketSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          scroll={{ x: view === 'overdue' ? 1260 : 1120 }}
          data-testid="dispatch-table"
          rowClassName={(row) => (failures[row.id] ? 'kefu-row-clickable kefu-row-failed' : DISPATCHABLE.has(row.status) ? 'kefu-row-clickable' : '')}
          rowSelection={{
            selectedRowKeys: selectedIds,
            preserveSelectedRowKeys: false,
            onChange: (keys) => {
              const next = (keys as string[]).slice(0, BULK_DISPATCH_MAX);
              if (keys.length > BULK_DISPATCH_MAX) message.warning(t('dispatch.bulk.limit', { max: BULK_DISPATCH_MAX }));
              setSelected(next);
            },
            getCheckboxProps: (row) =>
              ({
                disabled: !DISPATCHABLE.has(row.status) || (atLimit && !selectedIds.includes(row.id)),
                title: DISPATCHABLE.has(row.status) ? undefined : t('dispatch.bulk.notDispatchable'),
              }) as object,
          }}
          onRow={(row) =>
            ({
              'data-testid': 'dispatch-row',
              'data-ticket-id': row.id,
              'data-status': row.status,
              // A click on the row ticks it (the number links to the order).
              onClick: () => toggle(row),
            }) as HTMLAttributes<HTMLTableRowElement>
          }
          locale={{ emptyText: hasFilters ? t('tickets.emptySearch') : t(`dispatch.empty.${view}`) }}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('common.loadedCount', { count: rows.length })}</Typography.Text>
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="dispatch-load-more">
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </Flex>
      </Card>
      {dispatching && (
        <BulkDispatchModal open ticketIds={selectedIds} numbers={numbers} onClose={() => setDispatching(false)} onDone={onDispatched} />
      )}
    </>
  );
}
