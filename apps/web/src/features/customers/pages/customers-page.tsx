import { DownloadOutlined, PlusOutlined, ReloadOutlined, TagOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Dropdown, Flex, Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { apiUrl } from '../../../api/client';
import { useAreas } from '../../../api/reference';
import { CUSTOMER_FLAGS, type CustomerSummary } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { flagLabel } from '../../../lib/labels';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { CreateCustomerModal } from '../components/create-customer-modal';
import { CustomerFlags, CustomerTags } from '../components/customer-flags';
import { ImportCustomersModal } from '../components/import-customers-modal';
import { type CustomerFilters, useCustomerList } from '../hooks/use-customers';

const FILTER_KEYS = ['q', 'areaId', 'flag', 'tag'] as const;

/** Filters live in the URL so a search can be bookmarked, shared and survives "back". */
function useFilterParams(): [CustomerFilters, (next: CustomerFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: CustomerFilters = {};
    for (const key of FILTER_KEYS) {
      const v = params.get(key);
      if (v) f[key] = v;
    }
    return f;
  }, [params]);
  const update = (next: CustomerFilters) => {
    const p = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const v = next[key]?.trim();
      if (v) p.set(key, v);
    }
    setParams(p, { replace: true });
  };
  return [filters, update];
}

export function CustomersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const toMessage = useErrorMessage();
  const [filters, setFilters] = useFilterParams();
  const [searchText, setSearchText] = useState(filters.q ?? '');
  const [tagText, setTagText] = useState(filters.tag ?? '');
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);

  const areas = useAreas();
  const list = useCustomerList(filters);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const columns: TableColumnsType<CustomerSummary> = [
    {
      title: t('customer.fields.name'),
      dataIndex: 'name',
      width: 180,
      render: (name: string, row) => (
        <Link to={`/customers/${row.id}`} data-testid="customer-link" onClick={(e) => e.stopPropagation()}>
          <Typography.Text strong style={{ color: 'inherit' }}>
            {name}
          </Typography.Text>
        </Link>
      ),
    },
    {
      title: t('customer.fields.phones'),
      dataIndex: 'phones',
      width: 160,
      render: (phones: string[]) =>
        phones.length ? (
          <Flex vertical>
            {phones.map((p) => (
              <span key={p} className="kefu-mono">
                {p}
              </span>
            ))}
          </Flex>
        ) : (
          '—'
        ),
    },
    { title: t('customer.fields.area'), dataIndex: 'areaName', width: 160, render: (v: string | null) => v ?? '—' },
    { title: t('customer.fields.flags'), dataIndex: 'flags', render: (flags: string[]) => <CustomerFlags flags={flags} /> },
    { title: t('customer.fields.tags'), dataIndex: 'tags', render: (tags: string[]) => <CustomerTags tags={tags} /> },
    {
      title: t('customer.fields.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (v: string) => (
        <span className="kefu-mono" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(v)}
        </span>
      ),
    },
  ];

  // The export takes only the search text; area/flag/tag filters apply to the list, not the file.
  const exportHref = (format: 'csv' | 'xlsx') => apiUrl('/customers/export', { format, q: filters.q });
  const hasFilters = FILTER_KEYS.some((k) => filters[k]);

  return (
    <>
      <PageHeader
        title={t('nav.customers')}
        subTitle={t('customers.subtitle')}
        breadcrumbs={[{ title: t('nav.customers') }]}
        extra={
          <>
            {can('customer:import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="customer-import">
                {t('customers.import')}
              </Button>
            )}
            {can('customer:export') && (
              <Dropdown
                menu={{
                  items: [
                    { key: 'csv', label: <a href={exportHref('csv')} download data-testid="customer-export-csv">{t('customers.exportCsv')}</a> },
                    { key: 'xlsx', label: <a href={exportHref('xlsx')} download data-testid="customer-export-xlsx">{t('customers.exportXlsx')}</a> },
                  ],
                }}
              >
                <Button icon={<DownloadOutlined />} data-testid="customer-export">
                  {t('customers.export')}
                </Button>
              </Dropdown>
            )}
            {can('customer:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-create">
                {t('customers.create')}
              </Button>
            )}
          </>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={12} wrap align="center">
          <Input.Search
            allowClear
            enterButton={t('common.search')}
            placeholder={t('customers.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onSearch={(value) => setFilters({ ...filters, q: value })}
            style={{ width: 420, maxWidth: '100%' }}
            data-testid="customer-search"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('customers.filterArea')}
            style={{ width: 200 }}
            loading={areas.isLoading}
            value={filters.areaId}
            onChange={(areaId?: string) => setFilters({ ...filters, areaId })}
            options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.district ? `${a.name} · ${a.district}` : a.name }))}
            data-testid="customer-filter-area"
          />
          <Select
            allowClear
            placeholder={t('customers.filterFlag')}
            style={{ width: 160 }}
            value={filters.flag}
            onChange={(flag?: string) => setFilters({ ...filters, flag })}
            options={CUSTOMER_FLAGS.map((f) => ({ value: f, label: flagLabel(t, f) }))}
            data-testid="customer-filter-flag"
          />
          <Input
            allowClear
            prefix={<TagOutlined />}
            placeholder={t('customers.filterTag')}
            style={{ width: 160 }}
            value={tagText}
            onChange={(e) => {
              setTagText(e.target.value);
              if (!e.target.value) setFilters({ ...filters, tag: undefined });
            }}
            onPressEnter={() => setFilters({ ...filters, tag: tagText })}
            onBlur={() => tagText !== (filters.tag ?? '') && setFilters({ ...filters, tag: tagText })}
            data-testid="customer-filter-tag"
          />
          {hasFilters && (
            <Button
              type="link"
              onClick={() => {
                setSearchText('');
                setTagText('');
                setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </Flex>
      </Card>
      <Card
        variant="borderless"
        title={t('customers.listTitle')}
        extra={
          <Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
        }
      >
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<CustomerSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 900 }}
          data-testid="customers-table"
          rowClassName={() => 'kefu-row-clickable'}
          onRow={(row) =>
            ({
              'data-testid': 'customer-row',
              'data-customer-id': row.id,
              onClick: () => navigate(`/customers/${row.id}`),
            }) as HTMLAttributes<HTMLTableRowElement>
          }
          locale={{ emptyText: hasFilters ? t('customers.emptySearch') : t('customers.empty') }}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary" data-testid="customers-count">
            {t('common.loadedCount', { count: rows.length })}
          </Typography.Text>
          <Space>
            {list.hasNextPage ? (
              <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="customers-load-more">
                {t('common.loadMore')}
              </Button>
            ) : (
              rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            )}
          </Space>
        </Flex>
      </Card>
      <CreateCustomerModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          navigate(`/customers/${c.id}`);
        }}
      />
      {can('customer:import') && <ImportCustomersModal open={importing} onClose={() => setImporting(false)} />}
    </>
  );
}
