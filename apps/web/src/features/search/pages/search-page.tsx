import { FileTextOutlined, MessageOutlined, ProfileOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Flex, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { useKbCategories } from '../../kb/hooks/use-kb';
import { PageHeader } from '../../shell/components/page-header';
import { MarkedText } from '../components/marked-text';
import { SynonymsEditor } from '../components/synonyms-editor';
import { type TSearchHit, type TSearchKind, useUnifiedSearch } from '../hooks/use-search';

/** Where a hit opens: the article page of the knowledge base, or the order. */
export function hitPath(hit: TSearchHit): string | null {
  if (hit.kind === 'article') return `/kb/${hit.id}`;
  if (hit.kind === 'ticket') return `/tickets/${hit.id}`;
  return null;
}

const KIND_ICONS: Record<TSearchKind, React.ReactNode> = { article: <FileTextOutlined />, script: <MessageOutlined />, ticket: <ProfileOutlined /> };

/** 知识搜索: one box over articles, scripts and past resolved orders; the synonym dictionary for publishers. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') as TSearchKind | null) ?? 'article';
  const [draft, setDraft] = useState(q);
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [tag, setTag] = useState<string | undefined>();
  const [language, setLanguage] = useState<string | undefined>();
  const onSynonyms = location.pathname.endsWith('/synonyms');
  const canOrders = can('ticket:read');
  const categories = useKbCategories();
  const result = useUnifiedSearch({ q, kind, categoryId: kind === 'article' ? categoryId : undefined, tag: kind === 'article' ? tag : undefined, language });

  const categoryOptions = useMemo(
    () => (categories.data?.items ?? []).map((c) => ({ value: c.id, label: i18n.language.startsWith('en') ? c.nameEn : c.nameZh })),
    [categories.data, i18n.language],
  );
  const setQuery = (next: Record<string, string>) => setParams({ q, kind, ...next });

  const kinds: TSearchKind[] = canOrders ? ['article', 'script', 'ticket'] : ['article', 'script'];
  const tabs = [
    ...kinds.map((k) => ({ key: k, label: <span data-testid={`search-tab-${k}`}>{KIND_ICONS[k]} {t(`search.kinds.${k}`)}</span> })),
    ...(can('kb:publish') ? [{ key: 'synonyms', label: <span data-testid="search-tab-synonyms">{t('search.synonyms.title')}</span> }] : []),
  ];

  return (
    <>
      <PageHeader title={t('search.title')} subTitle={t('search.subtitle')} breadcrumbs={[{ title: t('search.title') }]} />
      <Tabs
        activeKey={onSynonyms ? 'synonyms' : kind}
        items={tabs}
        onChange={(key) => {
          if (key === 'synonyms') navigate('/search/synonyms');
          else navigate(`/search?${new URLSearchParams({ q, kind: key }).toString()}`);
        }}
      />
      {onSynonyms ? (
        <SynonymsEditor />
      ) : (
        <Card>
          <Flex vertical gap={12}>
            <Input.Search
              size="large"
              allowClear
              enterButton
              maxLength={200}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onSearch={(value) => setQuery({ q: value.trim() })}
              placeholder={t('search.placeholder')}
              data-testid="search-input"
            />
            <Space wrap>
              {kind === 'article' && (
                <>
                  <Select allowClear showSearch optionFilterProp="label" style={{ minWidth: 200 }} placeholder={t('search.filters.category')} options={categoryOptions} value={categoryId} onChange={setCategoryId} data-testid="search-category" />
                  <Input allowClear style={{ width: 160 }} maxLength={40} placeholder={t('search.filters.tag')} value={tag ?? ''} onChange={(e) => setTag(e.target.value.trim() || undefined)} data-testid="search-tag" />
                </>
              )}
              {kind !== 'ticket' && (
                <Select
                  allowClear
                  style={{ width: 140 }}
                  placeholder={t('search.filters.language')}
                  value={language}
                  onChange={setLanguage}
                  options={[
                    { value: 'zh-CN', label: t('search.language.zh-CN') },
                    { value: 'en-US', label: t('search.language.en-US') },
                  ]}
                  data-testid="search-language"
                />
              )}
            </Space>
            {result.error && <Alert type="error" showIcon message={toMessage(result.error)} />}
            {q ? (
              <List<TSearchHit>
                loading={result.isFetching}
                dataSource={result.data?.items ?? []}
                locale={{ emptyText: <Empty description={t('search.noResults')} /> }}
                renderItem={(hit) => {
                  const path = hitPath(hit);
                  const title = hit.highlight ? <MarkedText html={hit.highlight} /> : hit.title;
                  return (
                    <List.Item key={`${hit.kind}:${hit.id}`} data-testid="search-hit">
                      <List.Item.Meta
                        title={
                          <Space>
                            {hit.number && <Typography.Text className="kefu-mono">{hit.number}</Typography.Text>}
                            {path ? <Link to={path} data-testid={`search-hit-link-${hit.id}`}>{title}</Link> : <span>{title}</span>}
                            {hit.audience === 'internal' && <Tag color="orange">{t('search.internal')}</Tag>}
                          </Space>
                        }
                        description={
                          <Flex vertical gap={4}>
                            {hit.summary && <Typography.Text>{hit.summary}</Typography.Text>}
                            {hit.snippet && (
                              <Typography.Text type="secondary">
                                <MarkedText html={hit.snippet} />
                              </Typography.Text>
                            )}
                          </Flex>
                        }
                      />
                    </List.Item>
                  );
                }}
              />
            ) : (
              <Empty description={t('search.prompt')} />
            )}
          </Flex>
        </Card>
      )}
    </>
  );
}
