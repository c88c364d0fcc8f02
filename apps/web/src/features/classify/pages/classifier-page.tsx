import { ExperimentOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TClassifierModelSummary, TClassifierTarget } from '@kefu/contracts';
import { Alert, App, Button, Card, Col, Empty, Flex, Input, Row, Skeleton, Statistic, Table, type TableColumnsType, Tabs, Tag, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { PageHeader } from '../../shell/components/page-header';
import { ConfusionHeatmap } from '../components/confusion-heatmap';
import { percent, suggestionName } from '../components/suggestion-chips';
import { CLASSIFIER_TARGETS, useClassifierModel, useClassifierModels, useDebounced, useSuggestions, useTrainClassifier } from '../hooks/use-classify';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function TryIt() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const debounced = useDebounced(text, 400);
  const suggestions = useSuggestions(debounced, { limit: 5 });
  const toMessage = useErrorMessage();
  const lists: { key: 'reasonCodes' | 'categories'; title: string }[] = [
    { key: 'reasonCodes', title: t('classify.target.reason_code') },
    { key: 'categories', title: t('classify.target.ticket_category') },
  ];
  return (
    <Card title={t('classify.tryIt')} size="small" data-testid="classify-try-it">
      <Input.TextArea rows={3} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('classify.tryItPlaceholder')} data-testid="classify-try-text" />
      {suggestions.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={toMessage(suggestions.error)} />}
      <Row gutter={16} style={{ marginTop: 12 }}>
        {lists.map((l) => {
          const items = suggestions.data?.[l.key] ?? [];
          return (
            <Col xs={24} md={12} key={l.key}>
              <Typography.Text strong>{l.title}</Typography.Text>
              {debounced.trim() && !suggestions.isFetching && items.length === 0 ? (
                <Typography.Paragraph type="secondary">{t('classify.noSuggestion')}</Typography.Paragraph>
              ) : (
                <ol style={{ paddingLeft: 20, marginTop: 4 }} data-testid={`classify-try-${l.key}`}>
                  {items.map((s) => (
                    <li key={s.code}>
                      {suggestionName(s, i18n.language)} <Typography.Text type="secondary">{s.code}</Typography.Text> <Tag>{percent(s.probability)}</Tag>
                    </li>
                  ))}
                </ol>
              )}
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}

function TargetPanel({ target }: { target: TClassifierTarget }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const models = useClassifierModels(target);
  const train = useTrainClassifier();
  const [picked, setPicked] = useState<string>();
  const items = models.data ?? [];
  const active = items.find((m) => m.active);
  const shownId = picked ?? active?.id ?? items[0]?.id;
  const detail = useClassifierModel(shownId);
  const en = i18n.language.startsWith('en');

  const retrain = () =>
    train.mutate(
      { target },
      {
        onSuccess: (m) => {
          setPicked(m.id);
          message.success(t('classify.trained', { accuracy: percent(m.accuracy) }));
        },
      },
    );

  const trainError = (() => {
    if (!train.isError || train.variables?.target !== target) return null;
    const e = train.error;
    if (isApiError(e) && e.code === 'classify.insufficient_data') return t('classify.insufficient', (e.details ?? {}) as Record<string, unknown>);
    return toMessage(e);
  })();

  const names = useMemo(() => (detail.data?.labels ?? []).map((l) => (en ? l.nameEn : l.name)), [detail.data, en]);
  // ECharts tooltips are HTML: label names (admin-entered) are escaped.
  const tooltip = useCallback((a: string, p: string, n: number) => t('classify.cell', { actual: escapeHtml(a), predicted: escapeHtml(p), count: n, interpolation: { escapeValue: false } }), [t]);

  const columns: TableColumnsType<TClassifierModelSummary> = [
    { title: t('classify.trainedAt'), dataIndex: 'trainedAt', render: (v: string, m) => <span>{formatDateTime(v)} {m.active && <Tag color="green">{t('classify.active')}</Tag>}</span> },
    { title: t('classify.trainedBy'), dataIndex: 'trainedByName', render: (v: string | null) => v ?? t('classify.system') },
    { title: t('classify.samples'), dataIndex: 'sampleCount', align: 'right' },
    { title: t('classify.holdout'), dataIndex: 'holdoutCount', align: 'right' },
    { title: t('classify.accuracy'), dataIndex: 'accuracy', align: 'right', render: percent },
    { title: t('classify.macroF1'), dataIndex: 'macroF1', align: 'right', render: (v: number) => v.toFixed(3) },
    { title: t('classify.top3'), dataIndex: 'top3Accuracy', align: 'right', render: percent },
  ];

  const perClassRows = (detail.data?.perClass ?? []).map((c, i) => ({ ...c, name: names[i] ?? c.code }));

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 720 }}>
          {t(`classify.explain.${target}`)}
        </Typography.Paragraph>
        <Button type="primary" icon={<ReloadOutlined />} loading={train.isPending && train.variables?.target === target} onClick={retrain} data-testid={`classify-train-${target}`}>
          {t('classify.retrain')}
        </Button>
      </Flex>
      {trainError && <Alert type="error" showIcon title={trainError} data-testid="classify-train-error" />}
      {models.isError && <Alert type="error" showIcon title={toMessage(models.error)} />}
      {models.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('classify.noModel')} />
      ) : (
        <>
          {detail.data && (
            <Row gutter={16}>
              {[
                { key: 'accuracy', value: percent(detail.data.accuracy) },
                { key: 'macroF1', value: detail.data.macroF1.toFixed(3) },
                { key: 'top3', value: percent(detail.data.top3Accuracy) },
                { key: 'samples', value: `${detail.data.sampleCount} / ${detail.data.holdoutCount}` },
                { key: 'labels', value: String(detail.data.labelCount) },
              ].map((s) => (
                <Col xs={12} md={4} key={s.key}>
                  <Statistic title={t(`classify.stat.${s.key}`)} value={s.value} data-testid={`classify-stat-${s.key}`} />
                </Col>
              ))}
            </Row>
          )}
          <Card size="small" title={t('classify.confusion')}>
            <Typography.Paragraph type="secondary">{t('classify.confusionHint')}</Typography.Paragraph>
            {detail.data ? (
              <ConfusionHeatmap labels={names} matrix={detail.data.confusion} actualTitle={t('classify.actual')} predictedTitle={t('classify.predicted')} tooltip={tooltip} data-testid={`classify-confusion-${target}`} />
            ) : (
              <Skeleton active />
            )}
          </Card>
          <Card size="small" title={t('classify.perClass')}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              scroll={{ y: 320 }}
              dataSource={perClassRows}
              columns={[
                { title: t('classify.label'), dataIndex: 'name', render: (v: string, r) => <span title={r.code}>{v}</span> },
                { title: t('classify.support'), dataIndex: 'support', align: 'right', sorter: (a, b) => a.support - b.support },
                { title: t('classify.precision'), dataIndex: 'precision', align: 'right', render: percent, sorter: (a, b) => a.precision - b.precision },
                { title: t('classify.recall'), dataIndex: 'recall', align: 'right', render: percent, sorter: (a, b) => a.recall - b.recall },
                { title: 'F1', dataIndex: 'f1', align: 'right', render: (v: number) => v.toFixed(2), sorter: (a, b) => a.f1 - b.f1 },
              ]}
            />
          </Card>
          <Card size="small" title={t('classify.history')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={items}
              columns={columns}
              rowClassName={(m) => (m.id === shownId ? 'ant-table-row-selected' : '')}
              onRow={(m) => ({ onClick: () => setPicked(m.id), style: { cursor: 'pointer' } })}
              data-testid={`classify-history-${target}`}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}

/** 联络原因分类: the classifier models per target, their holdout figures, retraining and a try-it box. */
export function ClassifierPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('classify.title')} subTitle={t('classify.subtitle')} breadcrumbs={[{ title: t('nav.admin') }, { title: t('classify.title') }]} />
      <Flex vertical gap={16}>
        <TryIt />
        <Card>
          <Tabs
            items={CLASSIFIER_TARGETS.map((target) => ({
              key: target,
              label: (
                <span data-testid={`classify-tab-${target}`}>
                  <ExperimentOutlined /> {t(`classify.target.${target}`)}
                </span>
              ),
              children: <TargetPanel target={target} />,
            }))}
          />
        </Card>
      </Flex>
    </>
  );
}
