import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Flex, Form, Input, Row, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { AuditEntry } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime, shortId } from '../../../lib/format';
import { auditActionLabel, entityTypeLabel } from '../../../lib/labels';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { useUserOptions } from '../../users/hooks/use-users';
import { AuditDiff } from '../components/audit-diff';
import { type AuditFilters, useAuditLog } from '../hooks/use-audit';

const FILTER_KEYS = ['actorId', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
const ENTITY_TYPES = ['customer', 'user', 'role', 'api_token', 'ticket'];

type FormValues = { actorId?: string; action?: string; entityType?: string; entityId?: string; range?: [Dayjs | null, Dayjs | null] | null };

export function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FormValues>();

  const filters = useMemo(() => {
    const f: AuditFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);

  const list = useAuditLog(filters);
  const users = useUserOptions(can('user:read'));
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const apply = (v: FormValues) => {
    const next = new URLSearchParams();
    const set = (k: string, value: string | undefined) => value?.trim() && next.set(k, value.trim());
    set('actorId', v.actorId);
    set('action', v.action);
    set('entityType', v.entityType);
    set('entityId', v.entityId);
    if (v.range?.[0]) next.set('from', v.range[0].startOf('day').toISOString());
    if (v.range?.[1]) next.set('to', v.range[1].endOf('day').toISOString());
    setParams(next, { replace: true });
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.fields.at'), dataIndex: 'at', width: 160, render: (v: string) => <span className="kefu-mono">{formatDateTime(v)}</span> },
    {
      title: t('audit.fields.actor'),
      dataIndex: 'actorName',
      width: 130,
      render: (name: string | null, r) => name ?? (r.actorId ? shortId(r.actorId) : <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>),
    },
    {
      title: t('audit.fields.action'),
      dataIndex: 'action',
      width: 200,
      render: (a: string) => (
        <Flex vertical>
          <span>{auditActionLabel(t, a)}</span>
          <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
            {a}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('audit.fields.entity'),
      key: 'entity',
      render: (_: unknown, r) => (
        <Flex gap={6} align="center" wrap>
          <Tag>{entityTypeLabel(t, r.entityType)}</Tag>
          {r.entityId &&
            (r.entityType === 'customer' && can('customer:read') ? (
              <Link to={`/customers/${r.entityId}`} className="kefu-mono" onClick={(e) => e.stopPropagation()}>
                {shortId(r.entityId)}
              </Link>
            ) : (
              <Typography.Text className="kefu-mono" copyable={{ text: r.entityId }}>
                {shortId(r.entityId)}
              </Typography.Text>
            ))}
        </Flex>
      ),
    },
    {
      title: t('audit.fields.requestId'),
      dataIndex: 'requestId',
      width: 150,
      render: (v: string | null) => (v ? <Typography.Text className="kefu-mono" style={{ fontSize: 12 }} copyable={{ text: v }}>{shortId(v)}</Typography.Text> : '—'),
    },
    { title: t('audit.fields.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => <span className="kefu-mono">{v ?? '—'}</span> },
  ];

  const initialValues: FormValues = {
    ...filters,
    range: filters.from || filters.to ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] : null,
  };

  return (
    <>
      <PageHeader title={t('nav.audit')} subTitle={t('audit.subtitle')} breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.audit') }]} />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Form<FormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={apply}>
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="actorId" label={t('audit.fields.actor')}>
                {users.isError || !can('user:read') ? (
                  <Input placeholder={t('audit.placeholders.actorId')} allowClear />
                ) : (
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={users.isLoading}
                    placeholder={t('audit.placeholders.actor')}
                    options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
                    data-testid="audit-filter-actor"
                  />
                )}
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="action" label={t('audit.fields.action')}>
                <Input allowClear placeholder={t('audit.placeholders.action')} data-testid="audit-filter-action" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="entityType" label={t('audit.fields.entityType')}>
                <AutoComplete
                  allowClear
                  placeholder={t('audit.placeholders.entityType')}
                  options={ENTITY_TYPES.map((e) => ({ value: e, label: `${entityTypeLabel(t, e)} (${e})` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="entityId" label={t('audit.fields.entityId')}>
                <Input allowClear placeholder={t('audit.placeholders.entityId')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="range" label={t('audit.fields.range')}>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={16}>
              <Form.Item label=" ">
                <Flex gap={8}>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                    {t('common.search')}
                  </Button>
                  <Button
                    onClick={() => {
                      form.setFieldsValue({ actorId: undefined, action: undefined, entityType: undefined, entityId: undefined, range: null });
                      setParams(new URLSearchParams(), { replace: true });
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                </Flex>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card
        variant="borderless"
        title={t('audit.listTitle')}
        extra={<Button type="text" icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />}
      >
        {list.isError && <Alert type="error" showIcon title={toMessage(list.error)} style={{ marginBottom: 16 }} />}
        <Table<AuditEntry>
          rowKey={(r) => String(r.id)}
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={false}
          scroll={{ x: 1000 }}
          data-testid="audit-table"
          expandable={{
            expandRowByClick: true,
            rowExpandable: (r) => r.before != null || r.after != null,
            expandedRowRender: (r) => <AuditDiff before={r.before} after={r.after} />,
          }}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('common.loadedCount', { count: rows.length })}</Typography.Text>
          {list.hasNextPage && (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="audit-load-more">
              {t('common.loadMore')}
            </Button>
          )}
        </Flex>
      </Card>
    </>
  );
}
