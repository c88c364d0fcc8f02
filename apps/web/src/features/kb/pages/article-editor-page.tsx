import { HistoryOutlined, PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, Drawer, Empty, Flex, Form, Input, List, Modal, Radio, Row, Select, Space, Spin, Statistic, Tag, Timeline, TreeSelect, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api/client';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { MarkdownPreview } from '../components/markdown-preview';
import {
  type TKbAction,
  type TKbArticle,
  type TKbArticleSummary,
  useCreateKbArticle,
  useKbArticle,
  useKbCategories,
  useKbDiff,
  useKbEvents,
  useKbRollback,
  useKbTransition,
  useKbVersions,
  useUpdateKbArticle,
  useUploadKbAttachment,
} from '../hooks/use-kb';
import { categoryTree, KbStatusTag, KbValidityBadge, useKbNotifyError } from '../lib/kb-labels';

type Values = {
  title: string;
  summary: string;
  body: string;
  audience: 'public' | 'internal';
  language: 'zh-CN' | 'en-US';
  categoryId: string | null;
  tags: string[];
  validity: [Dayjs | null, Dayjs | null] | null;
  relatedIds: string[];
};

function toValues(a: TKbArticle | undefined): Values {
  return {
    title: a?.title ?? '',
    summary: a?.summary ?? '',
    body: a?.body ?? '',
    audience: a?.audience ?? 'internal',
    language: a?.language ?? 'zh-CN',
    categoryId: a?.categoryId ?? null,
    tags: a?.tags ?? [],
    validity: a && (a.validFrom || a.validTo) ? [a.validFrom ? dayjs(a.validFrom) : null, a.validTo ? dayjs(a.validTo) : null] : null,
    relatedIds: a?.relatedIds ?? [],
  };
}

/** Picks related articles by title (simple title search of the list endpoint). */
function RelatedPicker({ value, onChange, initial, selfId }: { value?: string[]; onChange?: (v: string[]) => void; initial: { id: string; title: string }[]; selfId?: string }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState(initial.map((r) => ({ value: r.id, label: r.title })));
  const search = async (q: string) => {
    const res = await api.get<{ items: TKbArticleSummary[] }>('/kb/articles', { q, limit: 20 });
    const found = res.items.filter((a) => a.id !== selfId).map((a) => ({ value: a.id, label: a.title }));
    setOptions((prev) => [...prev.filter((o) => value?.includes(o.value)), ...found.filter((f) => !value?.includes(f.value))]);
  };
  return (
    <Select
      mode="multiple"
      data-testid="kb-related"
      value={value}
      onChange={onChange}
      options={options}
      filterOption={false}
      onSearch={(q) => void search(q)}
      onFocus={() => void search('')}
      placeholder={t('kb.field.relatedPlaceholder')}
    />
  );
}

function VersionDrawer({ article, open, onClose }: { article: TKbArticle; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const notify = useKbNotifyError();
  const can = useCan();
  const versions = useKbVersions(open ? article.id : null);
  const events = useKbEvents(open ? article.id : null);
  const [selected, setSelected] = useState<number | null>(null);
  const diff = useKbDiff(article.id, selected);
  const rollback = useKbRollback(article.id);
  const mayRollback = article.status === 'published' ? can('kb:publish') : article.status !== 'archived' && (can('kb:write') || can('kb:publish'));
  const doRollback = (v: number) =>
    modal.confirm({
      title: t('kb.history.rollbackConfirm', { version: v }),
      onOk: () => rollback.mutateAsync(v).then(() => message.success(t('kb.history.rolledBack', { version: v })), notify),
    });
  return (
    <Drawer open={open} onClose={onClose} width={Math.min(960, window.innerWidth)} title={t('kb.history.title')} data-testid="kb-history-drawer">
      <Row gutter={16}>
        <Col xs={24} md={9}>
          <List
            loading={versions.isLoading}
            dataSource={versions.data?.items ?? []}
            renderItem={(v) => (
              <List.Item
                data-testid={`kb-version-${v.version}`}
                style={{ cursor: 'pointer', background: selected === v.version ? '#e6f4ff' : undefined, paddingInline: 8 }}
                onClick={() => setSelected(v.version)}
                actions={
                  mayRollback && v.version !== article.version
                    ? [
                        <Button key="rb" size="small" data-testid={`kb-rollback-${v.version}`} onClick={(e) => {
                            e.stopPropagation();
                            doRollback(v.version);
                          }}>
                          {t('kb.history.rollback')}
                        </Button>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={`v${v.version} · ${v.authorName ?? '-'}`}
                  description={
                    <>
                      <div>{v.createdAt.slice(0, 16).replace('T', ' ')}</div>
                      {v.changed.length > 0 && <div>{t('kb.history.changed', { fields: v.changed.map((f) => t(`kb.field.${f}`, { defaultValue: f })).join('、') })}</div>}
                      {v.note && <Typography.Text type="secondary">{v.note}</Typography.Text>}
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} md={15}>
          {selected === null || selected <= 1 ? (
            <Empty description={t('kb.history.pick')} />
          ) : diff.isLoading ? (
            <Spin />
          ) : diff.data ? (
            <div data-testid="kb-diff">
              <Typography.Paragraph>
                {t('kb.history.diffSummary', { from: diff.data.from, to: diff.data.to, added: diff.data.added, removed: diff.data.removed })}
              </Typography.Paragraph>
              <pre style={{ whiteSpace: 'pre-wrap', fontSize: 13, background: '#fafafa', padding: 8, maxHeight: 420, overflow: 'auto' }}>
                {diff.data.parts.map((p, i) =>
                  p.text
                    .replace(/\n$/, '')
                    .split('\n')
                    .map((line, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity beyond their position.
                      <div key={`${i}-${j}`} style={{ background: p.kind === 'added' ? '#f6ffed' : p.kind === 'removed' ? '#fff1f0' : undefined, color: p.kind === 'removed' ? '#a8071a' : undefined }}>
                        {p.kind === 'added' ? '+ ' : p.kind === 'removed' ? '- ' : '  '}
                        {line}
                      </div>
                    )),
                )}
              </pre>
            </div>
          ) : null}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('kb.history.trail')}
          </Typography.Title>
          <Timeline
            items={(events.data?.items ?? []).map((e) => ({
              children: (
                <>
                  <div>
                    {t(`kb.event.${e.action}`, { defaultValue: e.action })} {e.version ? `v${e.version}` : ''} · {e.actorName ?? '-'} · {e.createdAt.slice(0, 16).replace('T', ' ')}
                  </div>
                  {e.note && <Typography.Text type="secondary">{e.note}</Typography.Text>}
                </>
              ),
            }))}
          />
        </Col>
      </Row>
    </Drawer>
  );
}

function ArticleStats({ article }: { article: TKbArticle }) {
  const { t } = useTranslation();
  const votes = article.helpfulYes + article.helpfulNo;
  return (
    <Card size="small" title={t('kb.stats.title')} data-testid="kb-article-stats">
      <Row gutter={[8, 8]}>
        <Col span={12}>
          <Statistic title={t('kb.stats.views')} value={article.views} />
        </Col>
        <Col span={12}>
          <Statistic title={t('kb.stats.usedInReply')} value={article.usedInReply} />
        </Col>
        <Col span={12}>
          <Statistic title={t('kb.stats.helpfulPct')} value={votes ? Math.round((article.helpfulYes / votes) * 100) : '-'} suffix={votes ? `% (${votes})` : undefined} />
        </Col>
        <Col span={12}>
          <Statistic title={t('kb.stats.botResolutions')} value={article.botResolutions} />
        </Col>
      </Row>
    </Card>
  );
}

/** Create (/kb/new) or edit (/kb/:id) an article: markdown with live preview, workflow buttons, history. */
export function ArticleEditorPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const notify = useKbNotifyError();
  const navigate = useNavigate();
  const can = useCan();
  const article = useKbArticle(isNew ? null : (id ?? null));
  const categories = useKbCategories();
  const create = useCreateKbArticle();
  const update = useUpdateKbArticle(id ?? '');
  const transition = useKbTransition();
  const upload = useUploadKbAttachment(id ?? '');
  const [form] = Form.useForm<Values>();
  const body = Form.useWatch('body', form) ?? '';
  const [historyOpen, setHistoryOpen] = useState(false);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [note, setNote] = useState('');
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const tree = useMemo(() => categoryTree(categories.data?.items ?? [], i18n.language), [categories.data, i18n.language]);
  const a = article.data;

  useEffect(() => {
    form.setFieldsValue(toValues(a));
  }, [a, form]);

  const locked = a ? a.status === 'archived' || (a.status === 'published' && !can('kb:publish')) : !can('kb:write');

  const payload = (v: Values) => ({
    title: v.title,
    summary: v.summary ?? '',
    body: v.body ?? '',
    audience: v.audience,
    language: v.language,
    categoryId: v.categoryId ?? null,
    tags: v.tags ?? [],
    validFrom: v.validity?.[0] ? v.validity[0].toISOString() : null,
    validTo: v.validity?.[1] ? v.validity[1].toISOString() : null,
    relatedIds: v.relatedIds ?? [],
  });

  const save = (v: Values, publish = false) => {
    if (isNew) {
      create.mutate(
        { ...payload(v), status: publish ? 'published' : 'draft' },
        {
          onSuccess: (created) => {
            message.success(t('kb.saved'));
            navigate(`/kb/${created.id}`, { replace: true });
          },
          onError: notify,
        },
      );
    } else if (a) {
      update.mutate({ ...payload(v), version: a.version }, { onSuccess: () => message.success(t('kb.saved')), onError: notify });
    }
  };

  const act = (action: TKbAction, n?: string) => {
    if (!a) return;
    transition.mutate(
      { id: a.id, action, note: n },
      {
        onSuccess: () => {
          message.success(t(`kb.actionDone.${action}`));
          setRejectOpen(false);
          setNote('');
        },
        onError: notify,
      },
    );
  };

  const insertAtCursor = (text: string) => {
    const el = bodyRef.current;
    const current: string = form.getFieldValue('body') ?? '';
    const at = el ? el.selectionStart : current.length;
    form.setFieldValue('body', `${current.slice(0, at)}${text}${current.slice(at)}`);
  };

  if (!isNew && article.isLoading) return <Spin />;
  if (!isNew && !a) return <Empty description={t('kb.notFound')} />;

  return (
    <>
      <PageHeader
        title={isNew ? t('kb.newArticle') : (a?.title ?? '')}
        breadcrumbs={[{ title: t('kb.title'), path: '/kb' }, { title: isNew ? t('kb.newArticle') : `v${a?.version ?? ''}` }]}
        tags={
          a && (
            <Space>
              <KbStatusTag status={a.status} />
              <KbValidityBadge validity={a.validity} validFrom={a.validFrom} validTo={a.validTo} />
            </Space>
          )
        }
        extra={
          a && (
            <>
              {a.actions.map((action) =>
                action === 'reject' ? (
                  <Button key={action} danger data-testid="kb-action-reject" onClick={() => setRejectOpen(true)}>
                    {t('kb.action.reject')}
                  </Button>
                ) : (
                  <Button key={action} data-testid={`kb-action-${action}`} type={action === 'approve' || action === 'publish' ? 'primary' : 'default'} loading={transition.isPending} onClick={() => act(action)}>
                    {t(`kb.action.${action}`)}
                  </Button>
                ),
              )}
              <Button icon={<HistoryOutlined />} data-testid="kb-history" onClick={() => setHistoryOpen(true)}>
                {t('kb.history.title')}
              </Button>
            </>
          )
        }
      />
      {a && locked && a.status === 'published' && <Typography.Paragraph type="warning">{t('kb.publishedLocked')}</Typography.Paragraph>}
      <Form form={form} layout="vertical" initialValues={toValues(a)} disabled={locked} onFinish={(v) => save(v)}>
        <Row gutter={16}>
          <Col xs={24} lg={18}>
            <Card>
              <Form.Item name="title" label={t('kb.field.title')} rules={[{ required: true, max: 200 }]}>
                <Input data-testid="kb-title" maxLength={200} />
              </Form.Item>
              <Form.Item name="summary" label={t('kb.field.summary')} tooltip={t('kb.field.summaryHelp')} rules={[{ max: 300 }]}>
                <Input.TextArea data-testid="kb-summary" rows={2} maxLength={300} showCount />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="body" label={t('kb.field.body')}>
                    <Input.TextArea
                      data-testid="kb-body"
                      rows={18}
                      style={{ fontFamily: 'monospace' }}
                      ref={(r) => {
                        bodyRef.current = r?.resizableTextArea?.textArea ?? null;
                      }}
                    />
                  </Form.Item>
                  {!isNew && (
                    <Upload
                      showUploadList={false}
                      accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx"
                      customRequest={({ file }) => {
                        upload.mutate(file as File, {
                          onSuccess: (f) => insertAtCursor(f.contentType.startsWith('image/') ? `![${f.fileName}](${f.url})` : `[${f.fileName}](${f.url})`),
                          onError: notify,
                        });
                      }}
                    >
                      <Button icon={<PaperClipOutlined />} loading={upload.isPending} data-testid="kb-upload">
                        {t('kb.upload')}
                      </Button>
                    </Upload>
                  )}
                </Col>
                <Col xs={24} md={12}>
                  <Typography.Text type="secondary">{t('kb.preview')}</Typography.Text>
                  <Card size="small" style={{ marginTop: 8, minHeight: 360, overflow: 'auto' }}>
                    <MarkdownPreview source={body} />
                  </Card>
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={6}>
            <Space direction="vertical" style={{ width: '100%' }} size={16}>
              <Card size="small">
                <Form.Item name="audience" label={t('kb.field.audience')} rules={[{ required: true }]}>
                  <Radio.Group data-testid="kb-audience" optionType="button" options={['internal', 'public'].map((x) => ({ value: x, label: t(`kb.audience.${x}`) }))} />
                </Form.Item>
                <Form.Item name="language" label={t('kb.field.language')}>
                  <Select options={['zh-CN', 'en-US'].map((x) => ({ value: x, label: x }))} />
                </Form.Item>
                <Form.Item name="categoryId" label={t('kb.field.categoryId')}>
                  <TreeSelect data-testid="kb-category" allowClear treeData={tree} treeDefaultExpandAll />
                </Form.Item>
                <Form.Item name="tags" label={t('kb.field.tags')}>
                  <Select data-testid="kb-tags" mode="tags" tokenSeparators={[',', '，']} maxCount={20} />
                </Form.Item>
                <Form.Item name="validity" label={t('kb.field.validity')} tooltip={t('kb.field.validityHelp')}>
                  <DatePicker.RangePicker data-testid="kb-validity" showTime allowEmpty={[true, true]} style={{ width: '100%' }} />
                </Form.Item>
                <Form.Item name="relatedIds" label={t('kb.field.relatedIds')}>
                  <RelatedPicker initial={a?.related ?? []} selfId={a?.id} />
                </Form.Item>
                <Flex gap={8} wrap>
                  <Button type="primary" htmlType="submit" data-testid="kb-save" loading={create.isPending || update.isPending}>
                    {isNew ? t('kb.saveDraft') : t('kb.save')}
                  </Button>
                  {isNew && can('kb:publish') && (
                    <Button data-testid="kb-save-publish" onClick={() => form.validateFields().then((v) => save(v, true))}>
                      {t('kb.savePublish')}
                    </Button>
                  )}
                </Flex>
              </Card>
              {a && <ArticleStats article={a} />}
              {a && (
                <Card size="small">
                  <Space wrap>
                    {a.tags.map((tag) => (
                      <Tag key={tag}>{tag}</Tag>
                    ))}
                  </Space>
                </Card>
              )}
            </Space>
          </Col>
        </Row>
      </Form>
      {a && <VersionDrawer article={a} open={historyOpen} onClose={() => setHistoryOpen(false)} />}
      <Modal
        open={rejectOpen}
        title={t('kb.review.rejectTitle', { title: a?.title ?? '' })}
        okText={t('kb.action.reject')}
        okButtonProps={{ danger: true, disabled: !note.trim() }}
        onOk={() => act('reject', note.trim())}
        onCancel={() => setRejectOpen(false)}
      >
        <Input.TextArea data-testid="kb-reject-note" rows={4} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('kb.review.notePlaceholder')} />
      </Modal>
    </>
  );
}
