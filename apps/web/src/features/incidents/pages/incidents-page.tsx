import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useDepartments } from '../../../api/reference';
import type { Incident } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { SlaCountdown } from '../../tickets/components/ticket-badges';
import { CreateIncidentModal } from '../components/create-incident-modal';
import { IncidentDrawer } from '../components/incident-drawer';
import { IncidentStatusTag, useAreaNames } from '../components/incident-status';
import { useIncidents } from '../hooks/use-incidents';

const TABS = ['active', 'resolved', 'closed', 'all'] as const;

/** 停电事件: mass incidents (a feeder outage) whose orders are answered and closed together. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const tab = (TABS as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as (typeof TABS)[number]) : 'active';
  const openId = params.get('id');
  const list = useIncidents(tab === 'all' ? undefined : tab);
  const departments = useDepartments();
  const areaNames = useAreaNames();

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: key === 'status' });
  };

  const columns: TableColumnsType<Incident> = [
    { title: t('incidents.fields.number'), dataIndex: 'number', width: 170, render: (v: string) => <span className="kefu-mono">{v}</span> },
    { title: t('incidents.fields.title'), dataIndex: 'title', ellipsis: true },
    { title: t('incidents.fields.areas'), dataIndex: 'areaIds', width: 200, ellipsis: true, render: (ids: string[]) => areaNames(ids).join('、') },
    { title: t('incidents.fields.startedAt'), dataIndex: 'startedAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('incidents.fields.expectedRestoreAt'),
      dataIndex: 'expectedRestoreAt',
      width: 170,
      render: (v: string | null, row) =>
        row.status === 'active' && v ? <SlaCountdown state="ok" dueAt={v} /> : <Typography.Text type="secondary">{formatDateTime(v)}</Typography.Text>,
    },
    { title: t('incidents.fields.department'), dataIndex: 'departmentId', width: 130, render: (id: string | null) => departments.data?.find((d) => d.id === id)?.name ?? '—' },
    {
      title: t('incidents.fields.linked'),
      key: 'linked',
      width: 140,
      render: (_, row) => t('incidents.linkedCount', { count: row.linkedTickets, open: row.openTickets }),
    },
    { title: t('incidents.fields.status'), dataIndex: 'status', width: 90, render: (s: string) => <IncidentStatusTag status={s} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.incidents')}
        subTitle={t('incidents.subtitle')}
        breadcrumbs={[{ title: t('nav.tickets'), path: '/tickets' }, { title: t('nav.incidents') }]}
        extra={
          can('ticket:dispatch') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="incident-create">
              {t('incidents.create')}
            </Button>
          )
        }
      >
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam('status', key === 'active' ? null : key)}
          items={TABS.map((key) => ({ key, label: key === 'all' ? t('tickets.tabs.all') : t(`incidents.status.${key}`) }))}
          style={{ marginBottom: -16 }}
        />
      </PageHeader>
      <Card
        variant="borderless"
        extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />}
        title={t('incidents.listTitle')}
      >
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<Incident>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isLoading}
          pagination={false}
          scroll={{ x: 1000 }}
          rowClassName={() => 'kefu-row-clickable'}
          onRow={(row) => ({ 'data-testid': 'incident-row', onClick: () => setParam('id', row.id) }) as HTMLAttributes<HTMLTableRowElement>}
          locale={{ emptyText: t('incidents.empty') }}
          data-testid="incidents-table"
        />
      </Card>
      <IncidentDrawer id={openId} onClose={() => setParam('id', null)} />
      {can('ticket:dispatch') && (
        <CreateIncidentModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(i) => {
            setCreating(false);
            setParam('id', i.id);
          }}
        />
      )}
    </>
  );
}
