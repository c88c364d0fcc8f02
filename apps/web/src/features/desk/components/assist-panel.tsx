import { BulbOutlined, EnterOutlined, ExportOutlined, SearchOutlined } from '@ant-design/icons';
import type { TAssistSuggestions } from '@kefu/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Input, List, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../../api/client';

const enc = encodeURIComponent;

type SearchItem = { kind: 'article' | 'script' | 'ticket'; id: string; title: string; score: number; highlight?: string | null; summary?: string | null; audience?: 'public' | 'internal' | null };
type Article = { id: string; title: string; summary: string | null; highlight: string | null; audience: 'public' | 'internal' | null };
type Script = { id: string; title: string; highlight: string | null };

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * Renders a search highlight (escaped text with <mark> pairs) as React nodes: no HTML is ever
 * injected, so a highlight can only ever show text.
 */
export function Highlighted({ html }: { html: string }): ReactNode {
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  const out: ReactNode[] = [];
  parts.forEach((part, i) => {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = part.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e);
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
      out.push(marked ? <mark key={i}>{text}</mark> : <span key={i}>{text}</span>);
    }
  });
  return <>{out}</>;
}

type Props = {
  conversationId: string;
  /** The newest message seq: suggestions refresh when the conversation moves on. */
  lastSeq: number;
  /** Puts an article summary or a script into the reply draft (absent while wrapping up). */
  onInsert?: (request: { text?: string; scriptId?: string }) => void;
};

/** 坐席辅助: articles and scripts suggested live from what the customer wrote, plus a search box. */
export function AssistPanel({ conversationId, lastSeq, onInsert }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState('');

  const suggestions = useQuery({
    queryKey: ['assist', conversationId, lastSeq],
    queryFn: ({ signal }) => api.get<TAssistSuggestions>(`/conversations/${enc(conversationId)}/assist`, undefined, signal),
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
  const search = useQuery({
    queryKey: ['assist-search', searched],
    queryFn: ({ signal }) => api.get<{ items: SearchItem[] }>('/search', { q: searched, kinds: 'article,script', limit: 8 }, signal),
    enabled: searched.length > 0,
  });
  const used = useMutation({ mutationFn: (articleId: string) => api.post(`/kb/articles/${enc(articleId)}/usage`, { kind: 'used_in_reply', channel: 'chat' }) });

  const manual = searched.length > 0;
  const articles: Article[] = manual
    ? (search.data?.items ?? []).filter((i) => i.kind === 'article').map((i) => ({ id: i.id, title: i.title, summary: i.summary ?? null, highlight: i.highlight ?? null, audience: i.audience ?? null }))
    : (suggestions.data?.articles ?? []);
  const scripts: Script[] = manual
    ? (search.data?.items ?? []).filter((i) => i.kind === 'script').map((i) => ({ id: i.id, title: i.title, highlight: i.highlight ?? null }))
    : (suggestions.data?.scripts ?? []);
  const loading = manual ? search.isPending : suggestions.isPending;

  const insertSummary = (a: Article) => {
    if (!onInsert || !a.summary) return;
    onInsert({ text: a.summary });
    used.mutate(a.id);
  };
  const insertScript = (s: Script) => onInsert?.({ scriptId: s.id });

  return (
    <Card
      size="small"
      variant="borderless"
      data-testid="assist-panel"
      title={
        <Space>
          <BulbOutlined style={{ color: '#faad14' }} />
          {t('assist.title')}
        </Space>
      }
    >
      <Input.Search
        allowClear
        size="small"
        placeholder={t('assist.searchPlaceholder')}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          if (!e.target.value) setSearched('');
        }}
        onSearch={(value) => setSearched(value.trim())}
        enterButton={<SearchOutlined />}
        data-testid="assist-search"
        style={{ marginBottom: 8 }}
      />
      {!manual && (suggestions.data?.queries.length ?? 0) > 0 && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ fontSize: 12, marginBottom: 8 }}>
          {t('assist.basedOn', { text: suggestions.data?.queries[0] })}
        </Typography.Paragraph>
      )}
      {loading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : articles.length === 0 && scripts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={manual ? t('assist.noResults') : t('assist.waiting')} />
      ) : (
        <Flex vertical gap={8}>
          {articles.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('assist.articles')}</Typography.Text>}
              dataSource={articles}
              data-testid="assist-articles"
              renderItem={(a) => (
                <List.Item
                  data-testid="assist-article"
                  data-article-id={a.id}
                  actions={[
                    onInsert && a.audience !== 'internal' && a.summary ? (
                      <Tooltip key="insert" title={t('assist.insertSummary')}>
                        <Button size="small" type="text" icon={<EnterOutlined />} onClick={() => insertSummary(a)} data-testid="assist-insert-summary" />
                      </Tooltip>
                    ) : null,
                    <Tooltip key="open" title={t('assist.open')}>
                      <Link to={`/kb/${enc(a.id)}`} target="_blank">
                        <ExportOutlined />
                      </Link>
                    </Tooltip>,
                  ].filter(Boolean)}
                >
                  <List.Item.Meta
                    title={
                      <Space size={4} wrap>
                        <span>{a.title}</span>
                        {a.audience === 'internal' && <Tag color="orange">{t('assist.internal')}</Tag>}
                      </Space>
                    }
                    description={<Typography.Paragraph style={{ fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true }}>{a.highlight ? <Highlighted html={a.highlight} /> : a.summary}</Typography.Paragraph>}
                  />
                </List.Item>
              )}
            />
          )}
          {scripts.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('assist.scripts')}</Typography.Text>}
              dataSource={scripts}
              data-testid="assist-scripts"
              renderItem={(s) => (
                <List.Item
                  data-testid="assist-script"
                  actions={
                    onInsert
                      ? [
                          <Tooltip key="insert" title={t('assist.insertScript')}>
                            <Button size="small" type="text" icon={<EnterOutlined />} onClick={() => insertScript(s)} data-testid="assist-insert-script" />
                          </Tooltip>,
                        ]
                      : []
                  }
                >
                  <Typography.Text style={{ fontSize: 13 }}>{s.highlight ? <Highlighted html={s.highlight} /> : s.title}</Typography.Text>
                </List.Item>
              )}
            />
          )}
        </Flex>
      )}
    </Card>
  );
}
