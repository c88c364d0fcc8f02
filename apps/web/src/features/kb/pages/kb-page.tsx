import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Flex, Input, Modal, Row, Select, Space, Statistic, Table, type TableColumnsType, Tabs, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { type KbListFilters, type TKbArticleSummary, useKbArticles, useKbCategories, useKbStats, useKbTransition } from '../hooks/use-kb';
import { categoryTree, KbStatusTag, KbValidityBadge, useKbNotifyError } from '../lib/kb-labels';

function useColumns(): TableColumnsType<TKbArticleSummary> {
  const { t } = useTranslation();
  return [
    {
      title: t('kb.field.title'),
      dataIndex: 'title',
      render: (title: string, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/kb/${r.id}`} data-testid={`kb-article-${r.id}`}>
            {title}
          </Link>
          <KbValidityBadge validity={r.validity} validFrom={r.validFrom} validTo={r.validTo} />
        </Space>
      ),
    },
    { title: t('kb.field.status'), dataIndex: 'status', width: 100, render: (s: string) => <KbStatusTag status={s} /> },
    { title: t('kb.field.audience'), dataIndex: 'audience', width: 90, render: (a: string) => t(`kb.audience.${a}`) },
    { title: t('kb.field.language'), dataIndex: 'language', width: 90 },
    { title: t('kb.field.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
    { title: t('kb.stats.views'), dataIndex: 'views', width: 80 },
    { title: t('kb.stats.usedInReply'), dataIndex: 'usedInReply', width: 90 },
    { title: t('kb.field.updatedAt'), dataIndex: 'updatedAt', width: 120, render: (d: string) => d.slice(0, 10) },
  ];
}

function ArticlesTab() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<KbListFilters>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const list = useKbArticles(filters, cursor);
  const categories = useKbCategories();
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], i18n.language), [categories.data, i18n.language]);
  const columns = useColumns();
  const set = (patch: Partial<KbListFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([null]);
  };
  return (
    <Row gutter={16}>
      <Col xs={24} md={6}>
        <Card size="small" title={t('kb.categories')}>
          <Tree
            data-testid="kb-category-tree"
            blockNode
            defaultExpandAll
            selectedKeys={filters.categoryId ? [filters.categoryId] : []}
            treeData={tree}
            onSelect={(keys) => set({ categoryId: (keys[0] as string | undefined) ?? undefined })}
          />
          {filters.categoryId && (
            <Button type="link" size="small" onClick={() => set({ categoryId: undefined })}>
              {t('kb.allCategories')}
            </Button>
          )}
        </Card>
      </Col>
      <Col xs={24} md={18}>
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Input.Search data-testid="kb-filter-q" allowClear placeholder={t('kb.filter.q')} style={{ width: 220 }} onSearch={(q) => set({ q: q || undefined })} />
          <Select
            data-testid="kb-filter-status"
            allowClear
            placeholder={t('kb.field.status')}
            style={{ width: 120 }}
            value={filters.status}
            onChange={(status) => set({ status })}
            options={['draft', 'review', 'published', 'archived'].map((s) => ({ value: s, label: t(`kb.status.${s}`) }))}
          />
          <Select
            allowClear
            placeholder={t('kb.field.audience')}
            style={{ width: 120 }}
            value={filters.audience}
            onChange={(audience) => set({ audience })}
            options={['public', 'internal'].map((s) => ({ value: s, label: t(`kb.audience.${s}`) }))}
          />
          <Select allowClear placeholder={t('kb.field.language')} style={{ width: 120 }} value={filters.language} onChange={(language) => set({ language })} options={['zh-CN', 'en-US'].map((s) => ({ value: s, label: s }))} />
          <Input allowClear placeholder={t('kb.field.tags')} style={{ width: 140 }} onPressEnter={(e) => set({ tag: (e.target as HTMLInputElement).value || undefined })} />
        </Flex>
        <Table rowKey="id" size="middle" data-testid="kb-table" loading={list.isFetching} columns={columns} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 800 }} />
        <Flex justify="end" gap={8} style={{ marginTop: 12 }}>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('kb.prevPage')}
          </Button>
          <Button data-testid="kb-next-page" disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? null])}>
            {t('kb.nextPage')}
          </Button>
        </Flex>
      </Col>
    </Row>
  );
}

function ReviewTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notify = useKbNotifyError();
  const list = useKbArticles({ status: 'review' }, null);
  const transition = useKbTransition();
  const [rejecting, setRejecting] = useState<TKbArticleSummary | null>(null);
  const [note, setNote] = useState('');
  const act = (id: string, action: 'approve' | 'reject', n?: string) =>
    transition.mutate(
      { id, action, note: n },
      {
        onSuccess: () => {
          message.success(t(`kb.actionDone.${action}`));
          setRejecting(null);
          setNote('');
        },
        onError: notify,
      },
    );
  const items = list.data?.items ?? [];
  return (
    <>
      {items.length === 0 && !list.isLoading ? (
        <Empty description={t('kb.review.empty')} />
      ) : (
        <Table
          rowKey="id"
          data-testid="kb-review-table"
          loading={list.isLoading}
          dataSource={items}
          pagination={false}
          columns={[
            { title: t('kb.field.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/kb/${r.id}`}>{title}</Link> },
            { title: t('kb.field.audience'), dataIndex: 'audience', width: 100, render: (a: string) => t(`kb.audience.${a}`) },
            { title: t('kb.field.updatedAt'), dataIndex: 'updatedAt', width: 160, render: (d: string) => d.slice(0, 16).replace('T', ' ') },
            {
              title: t('kb.review.decision'),
              width: 200,
              render: (_: unknown, r) => (
                <Space>
                  <Button type="primary" size="small" data-testid={`kb-approve-${r.id}`} loading={transition.isPending} onClick={() => act(r.id, 'approve')}>
                    {t('kb.action.approve')}
                  </Button>
                  <Button danger size="small" data-testid={`kb-reject-${r.id}`} onClick={() => setRejecting(r)}>
                    {t('kb.action.reject')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={rejecting !== null}
        title={t('kb.review.rejectTitle', { title: rejecting?.title ?? '' })}
        okText={t('kb.action.reject')}
        okButtonProps={{ danger: true, disabled: !note.trim(), 'data-testid': 'kb-reject-confirm' }}
        onOk={() => rejecting && act(rejecting.id, 'reject', note.trim())}
        onCancel={() => setRejecting(null)}
      >
        <Input.TextArea data-testid="kb-reject-note" rows={4} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('kb.review.notePlaceholder')} />
      </Modal>
    </>
  );
}

function StatsTab() {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const range = useMemo(() => ({ from: new Date(Date.now() - days * 86_400_000).toISOString() }), [days]);
  const stats = useKbStats(range);
  const s = stats.data;
  const top = (title: string, rows: { id: string; title: string; count: number }[] | undefined) => (
    <Col xs={24} md={12}>
      <Card size="small" title={title}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rows ?? []}
          columns={[
            { title: t('kb.field.title'), dataIndex: 'title', render: (x: string, r) => <Link to={`/kb/${r.id}`}>{x}</Link> },
            { title: t('kb.stats.count'), dataIndex: 'count', width: 80 },
          ]}
        />
      </Card>
    </Col>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Select value={days} onChange={setDays} style={{ width: 160 }} options={[7, 30, 90].map((d) => ({ value: d, label: t('kb.stats.lastDays', { count: d }) }))} />
      <Row gutter={[16, 16]} data-testid="kb-stats-totals">
        {(
          [
            ['views', s?.totals.views],
            ['usedInReply', s?.totals.usedInReply],
            ['botAnswers', s?.totals.botAnswers],
            ['botResolutions', s?.totals.botResolutions],
          ] as const
        ).map(([k, v]) => (
          <Col xs={12} md={6} key={k}>
            <Card size="small">
              <Statistic title={t(`kb.stats.${k}`)} value={v ?? 0} loading={stats.isLoading} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        {top(t('kb.stats.topViewed'), s?.topViewed)}
        {top(t('kb.stats.topUsed'), s?.topUsed)}
        {top(t('kb.stats.topBotResolved'), s?.topBotResolved)}
        <Col xs={24} md={12}>
          <Card size="small" title={t('kb.stats.helpful')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={s?.helpful ?? []}
              columns={[
                { title: t('kb.field.title'), dataIndex: 'title', render: (x: string, r) => <Link to={`/kb/${r.id}`}>{x}</Link> },
                { title: t('kb.stats.votes'), width: 90, render: (_: unknown, r) => `${r.yes} / ${r.no}` },
                { title: t('kb.stats.helpfulPct'), dataIndex: 'ratio', width: 90, render: (x: number) => `${Math.round(x * 100)}%` },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** 知识库: articles by category, the review queue for reviewers, usage statistics. */
export function KbPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const tabs = [
    { key: 'articles', label: t('kb.tabs.articles'), children: <ArticlesTab /> },
    ...(can('kb:publish') ? [{ key: 'review', label: <span data-testid="kb-tab-review">{t('kb.tabs.review')}</span>, children: <ReviewTab /> }] : []),
    { key: 'stats', label: <span data-testid="kb-tab-stats">{t('kb.tabs.stats')}</span>, children: <StatsTab /> },
  ];
  return (
    <>
      <PageHeader
        title={t('kb.title')}
        subTitle={<Typography.Text type="secondary">{t('kb.subtitle')}</Typography.Text>}
        extra={
          can('kb:write') && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="kb-new-article" onClick={() => navigate('/kb/new')}>
              {t('kb.newArticle')}
            </Button>
          )
        }
      />
      <Card>
        <Tabs items={tabs} destroyOnHidden />
      </Card>
    </>
  );
}
