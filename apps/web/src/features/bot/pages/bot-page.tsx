import { ReloadOutlined } from '@ant-design/icons';
import type { TBotChannel, TBotStats, TBotTurn, TBotUnanswered } from '@kefu/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, InputNumber, Modal, Row, Segmented, Select, Space, Statistic, Switch, Table, type TableColumnsType, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';

// 智能机器人: the questions the bot could not answer (knowledge editors mark them answered with an
// article or ignore them), the stats cards, and the latest bot conversations with their turns.

type Status = 'open' | 'answered' | 'ignored';
const OUTCOME_COLOR: Record<string, string> = { resolved: 'green', handed_off: 'orange', abandoned: 'default', pending: 'blue', continued: 'default' };

function useUnanswered(status: Status, enabled: boolean) {
  return useQuery({ queryKey: ['bot', 'unanswered', status], queryFn: () => api.get<{ items: TBotUnanswered[] }>('/bot/unanswered', { status, limit: 100 }), enabled });
}

function ArticlePicker({ value, onChange }: { value?: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['bot', 'article-picker', q],
    queryFn: () => api.get<{ items: { id: string; title: string }[] }>('/kb/search', { q, audience: 'public', limit: 10 }),
    enabled: q.trim().length > 0,
  });
  return (
    <Select
      showSearch
      style={{ width: '100%' }}
      value={value}
      placeholder={t('bot.pickArticle')}
      filterOption={false}
      onSearch={setQ}
      onChange={onChange}
      loading={found.isFetching}
      notFoundContent={q ? t('bot.noArticle') : null}
      options={(found.data?.items ?? []).map((a) => ({ value: a.id, label: a.title }))}
      data-testid="bot-article-picker"
    />
  );
}

function UnansweredCard({ canEdit }: { canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('open');
  const [answering, setAnswering] = useState<TBotUnanswered | null>(null);
  const [articleId, setArticleId] = useState<string | undefined>();
  const list = useUnanswered(status, canEdit);
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { status: Status; articleId?: string } }) => api.patch<TBotUnanswered>(`/bot/unanswered/${encodeURIComponent(id)}`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['bot'] });
      message.success(t('bot.saved'));
      setAnswering(null);
    },
    onError: (err) => message.error(toMessage(err)),
  });
  const fmt = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const columns: TableColumnsType<TBotUnanswered> = [
    { title: t('bot.question'), dataIndex: 'sample', render: (v: string, r) => <Space direction="vertical" size={0}><span>{v}</span>{r.articleTitle ? <Typography.Text type="secondary">→ {r.articleTitle}</Typography.Text> : null}</Space> },
    { title: t('bot.askCount'), dataIndex: 'askCount', width: 100, align: 'right' },
    { title: t('bot.lastAsked'), dataIndex: 'lastAskedAt', width: 180, render: fmt },
    {
      title: t('bot.actions'),
      width: 200,
      render: (_: unknown, r) =>
        r.status === 'open' ? (
          <Space>
            <Button size="small" type="primary" data-testid="bot-mark-answered" onClick={() => { setAnswering(r); setArticleId(undefined); }}>
              {t('bot.markAnswered')}
            </Button>
            <Button size="small" data-testid="bot-ignore" onClick={() => update.mutate({ id: r.id, body: { status: 'ignored' } })}>
              {t('bot.ignore')}
            </Button>
          </Space>
        ) : (
          <Button size="small" onClick={() => update.mutate({ id: r.id, body: { status: 'open' } })}>
            {t('bot.reopen')}
          </Button>
        ),
    },
  ];
  if (!canEdit) return null;
  return (
    <Card
      title={t('bot.unanswered')}
      extra={
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          options={(['open', 'answered', 'ignored'] as const).map((s) => ({ value: s, label: t(`bot.status.${s}`) }))}
        />
      }
    >
      <Table<TBotUnanswered> rowKey="id" size="small" loading={list.isLoading} columns={columns} dataSource={list.data?.items ?? []} pagination={{ pageSize: 20 }} data-testid="bot-unanswered" />
      <Modal
        open={answering !== null}
        title={t('bot.markAnswered')}
        onCancel={() => setAnswering(null)}
        okButtonProps={{ disabled: !articleId, loading: update.isPending }}
        onOk={() => answering && articleId && update.mutate({ id: answering.id, body: { status: 'answered', articleId } })}
      >
        <Typography.Paragraph>{answering?.sample}</Typography.Paragraph>
        <ArticlePicker value={articleId} onChange={setArticleId} />
      </Modal>
    </Card>
  );
}

function StatsCards() {
  const { t } = useTranslation();
  const stats = useQuery({ queryKey: ['bot', 'stats'], queryFn: () => api.get<TBotStats>('/bot/stats') });
  const s = stats.data;
  const cards: [string, number | string][] = s
    ? [
        ['conversations', s.conversations],
        ['answered', s.answered],
        ['resolved', s.resolved],
        ['handedOff', s.handedOff],
        ['abandoned', s.abandoned],
        ['averageConfidence', s.averageConfidence === null ? '—' : `${Math.round(s.averageConfidence * 100)}%`],
      ]
    : [];
  return (
    <>
      <Row gutter={[12, 12]} data-testid="bot-stats">
        {cards.map(([key, value]) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Card size="small" loading={stats.isLoading}>
              <Statistic title={t(`bot.stats.${key}`)} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      {s && Object.keys(s.handedOffByReason).length > 0 ? (
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          {Object.entries(s.handedOffByReason).map(([reason, n]) => (
            <Tag key={reason} color="orange">
              {t(`bot.reason.${reason}`, { defaultValue: reason })}: {n}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </>
  );
}

function RecentConversations() {
  const { t, i18n } = useTranslation();
  const turns = useQuery({ queryKey: ['bot', 'turns'], queryFn: () => api.get<{ items: TBotTurn[] }>('/bot/turns', { limit: 300 }) });
  const groups = new Map<string, TBotTurn[]>();
  for (const turn of turns.data?.items ?? []) {
    const key = turn.conversationId ?? String(turn.id);
    groups.set(key, [...(groups.get(key) ?? []), turn]);
  }
  const conversations = [...groups.entries()].slice(0, 20);
  return (
    <Card title={t('bot.recent')} extra={<Button icon={<ReloadOutlined />} onClick={() => void turns.refetch()} />}>
      {conversations.length === 0 ? <Empty description={t('bot.noTurns')} /> : null}
      <Row gutter={[12, 12]}>
        {conversations.map(([id, list]) => (
          <Col key={id} xs={24} lg={12}>
            <Card size="small" title={new Date(list.at(-1)?.createdAt ?? '').toLocaleString(i18n.language)} data-testid="bot-conversation">
              <Timeline
                items={[...list].reverse().map((turn) => ({
                  color: OUTCOME_COLOR[turn.outcome] ?? 'blue',
                  children: (
                    <Space direction="vertical" size={0}>
                      <Typography.Text strong>{turn.question}</Typography.Text>
                      <Space wrap size={4}>
                        <Tag>{t(`bot.kind.${turn.kind}`)}</Tag>
                        <Tag color={OUTCOME_COLOR[turn.outcome]}>{t(`bot.outcome.${turn.outcome}`)}</Tag>
                        {turn.handoffReason ? <Tag color="orange">{t(`bot.reason.${turn.handoffReason}`, { defaultValue: turn.handoffReason })}</Tag> : null}
                        {turn.kind === 'answer' ? <Typography.Text type="secondary">{t('bot.confidence', { value: Math.round(turn.confidence * 100) })}</Typography.Text> : null}
                      </Space>
                      {turn.articleTitle ? <Typography.Text type="secondary">《{turn.articleTitle}》</Typography.Text> : null}
                    </Space>
                  ),
                }))}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** Per channel: is the bot on, and the thresholds it decides with (empty = the defaults). */
function ChannelsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const channels = useQuery({ queryKey: ['bot', 'channels'], queryFn: () => api.get<{ items: TBotChannel[] }>('/bot/channels') });
  const save = useMutation({
    mutationFn: (c: { channelId: string; settings: TBotChannel['settings'] }) => api.patch<TBotChannel>(`/bot/channels/${encodeURIComponent(c.channelId)}`, c.settings),
    onSuccess: () => {
      message.success(t('bot.saved'));
      void queryClient.invalidateQueries({ queryKey: ['bot', 'channels'] });
    },
    onError: (e) => message.error(toMessage(e)),
  });
  const thresholds = ['answerThreshold', 'minStrength', 'clarifyGap'] as const;
  return (
    <Card title={t('bot.channels.title')} variant="borderless" data-testid="bot-channels">
      <Table<TBotChannel>
        rowKey="channelId"
        size="small"
        pagination={false}
        loading={channels.isPending}
        dataSource={channels.data?.items ?? []}
        columns={[
          { title: t('bot.channels.name'), dataIndex: 'name' },
          { title: t('bot.channels.type'), dataIndex: 'type', width: 120, render: (v: string) => <Tag>{t(`bot.channels.types.${v}`, { defaultValue: v })}</Tag> },
          {
            title: t('bot.channels.enabled'),
            width: 120,
            render: (_: unknown, c) => (
              <Switch
                checked={c.settings.enabled}
                loading={save.isPending && save.variables?.channelId === c.channelId}
                onChange={(enabled) => save.mutate({ channelId: c.channelId, settings: { ...c.settings, enabled } })}
                data-testid="bot-channel-switch"
              />
            ),
          },
          ...thresholds.map((key) => ({
            title: t(`bot.channels.${key}`),
            width: 150,
            render: (_: unknown, c: TBotChannel) => (
              <InputNumber
                size="small"
                min={0}
                max={1}
                step={0.05}
                placeholder={t('bot.channels.default')}
                value={c.settings[key]}
                onBlur={(e) => {
                  const raw = e.target.value.trim();
                  const next = raw === '' ? undefined : Number(raw);
                  if (next === c.settings[key] || (next !== undefined && (Number.isNaN(next) || next < 0 || next > 1))) return;
                  const { [key]: _old, ...rest } = c.settings;
                  save.mutate({ channelId: c.channelId, settings: next === undefined ? rest : { ...rest, [key]: next } });
                }}
              />
            ),
          })),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {t('bot.channels.hint')}
      </Typography.Paragraph>
    </Card>
  );
}

export function BotPage() {
  const { t } = useTranslation();
  const can = useCan();
  const canEdit = can('bot:manage') || can('kb:write');
  return (
    <>
      <PageHeader title={t('bot.title')} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <StatsCards />
        {can('bot:manage') && <ChannelsCard />}
        <UnansweredCard canEdit={canEdit} />
        <RecentConversations />
      </Space>
    </>
  );
}
