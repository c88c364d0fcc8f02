import { CheckCircleOutlined, CloudUploadOutlined, ExclamationCircleOutlined, PlusOutlined, SaveOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Form, List, Popconfirm, Result, Row, Select, Spin, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, isApiError } from '../../../api/client';
import {
  getIvr,
  IVR_LANGUAGE,
  type IvrDocument,
  type IvrIssue,
  type IvrNode,
  type IvrTree,
  ivrQueryKey,
  publishIvr,
  restoreIvrVersion,
  saveIvrDraft,
  validateIvr,
} from '../../../api/ivr';
import { useErrorMessage } from '../../../lib/errors';
import { PageHeader } from '../../shell/components/page-header';
import { AddNodeModal } from '../components/add-node-modal';
import { useIssueText, useQueueNames } from '../components/ivr-labels';
import { IvrOutline } from '../components/ivr-outline';
import { IvrSimulator } from '../components/ivr-simulator';
import { NodeEditor } from '../components/node-editor';
import { VersionHistory } from '../components/version-history';
import { findNode, removeNode, replaceNode, setLanguages } from '../lib/ivr-tree';

// 语音导航设计器 for one CTI channel: outline on the left, the selected node's form in the middle,
// a test call and the published versions on the right. The tree is edited locally, checked by the
// server as it changes (POST …/ivr/validate), saved as the draft (optimistic concurrency) and
// published as an immutable version.

type ChannelRow = { id: string; name: string; type: string };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function IvrDesignerPage() {
  const { id: channelId = '' } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const toMessage = useErrorMessage();
  const issueText = useIssueText();
  const queryClient = useQueryClient();
  const { queues, loading: queuesLoading } = useQueueNames();

  const doc = useQuery({ queryKey: ivrQueryKey(channelId), queryFn: ({ signal }) => getIvr(channelId, signal), retry: (n, e) => !(isApiError(e) && e.status < 500) && n < 2 });
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api.get<{ items: ChannelRow[] }>('/channels') });
  const channelName = channels.data?.items.find((c) => c.id === channelId)?.name ?? '';

  const [tree, setTree] = useState<IvrTree | null>(null);
  /** JSON of the saved draft the editor started from (dirty = the tree differs). */
  const [baseline, setBaseline] = useState<string | null>(null);
  const [draftVersion, setDraftVersion] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  // A first tree for a channel without a draft: welcome → menu (0 → agents) → the first queue.
  const starter = useCallback((): IvrTree => {
    const text = (key: string) => ({ 'zh-CN': t(key, { lng: 'zh-CN' }), 'en-US': t(key, { lng: 'en-US' }) });
    const queueId = queues.find((q) => q.code === 'general')?.id ?? queues[0]?.id ?? 'general';
    return {
      root: 'welcome',
      defaultLanguage: 'zh-CN',
      languages: ['zh-CN', 'en-US'],
      nodes: [
        { id: 'welcome', kind: 'prompt', prompt: { text: text('ivr.starter.welcome') }, next: 'main' },
        { id: 'main', kind: 'menu', prompt: { text: text('ivr.starter.main') }, options: { '0': 'agent', '#': '@repeat' }, timeoutSeconds: 5, maxRetries: 2, invalidPrompt: { text: text('ivr.starter.invalid') }, fallback: 'agent' },
        { id: 'agent', kind: 'queue', queueId, prompt: { text: text('ivr.starter.agent') } },
      ],
    };
  }, [t, queues]);

  const load = useCallback(
    (d: IvrDocument) => {
      const next = d.draft ?? starter();
      setTree(next);
      setBaseline(d.draft ? JSON.stringify(d.draft) : null);
      setDraftVersion(d.draftVersion);
      setSelectedId((current) => (current && findNode(next, current) ? current : next.root));
    },
    [starter],
  );

  useEffect(() => {
    if (tree !== null || !doc.data) return;
    if (doc.data.draft === null && queuesLoading) return; // the starter needs a queue
    load(doc.data);
  }, [tree, doc.data, queuesLoading, load]);

  const treeJson = useMemo(() => (tree ? JSON.stringify(tree) : null), [tree]);
  const dirty = tree !== null && treeJson !== baseline;

  // Leaving the page with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Live checks of the tree being edited (the server's validateIvrTree).
  const checkedJson = useDebounced(treeJson, 400);
  const check = useQuery({
    queryKey: ['ivr-validate', channelId, checkedJson],
    queryFn: ({ signal }) => validateIvr(channelId, JSON.parse(checkedJson as string) as IvrTree, signal),
    enabled: checkedJson !== null,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const issues: IvrIssue[] = check.data?.issues ?? doc.data?.issues ?? [];
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const formatProblem = check.isError ? describeFormatError(check.error) : null;
  const checking = checkedJson !== treeJson || check.isFetching;

  function describeFormatError(e: unknown): string {
    if (isApiError(e) && e.code === 'validation.failed') {
      const first = (e.details as { issues?: { path: string; message: string }[] } | undefined)?.issues?.[0];
      return t('ivr.formatError', { message: first ? `${first.path.replace(/^body\.tree\./, '')}: ${first.message}` : e.message });
    }
    return toMessage(e);
  }

  const reload = async () => {
    const fresh = await doc.refetch();
    if (fresh.data) load(fresh.data);
  };

  const onWriteError = (e: unknown) => {
    if (isApiError(e) && e.code === 'ivr.version_conflict') {
      modal.confirm({
        title: t('ivr.conflict.title'),
        content: t('ivr.conflict.content'),
        okText: t('ivr.conflict.reload'),
        cancelText: t('common.cancel'),
        onOk: reload,
      });
    } else if (isApiError(e) && e.code === 'ivr.invalid_tree') {
      const list = ((e.details as { issues?: IvrIssue[] } | undefined)?.issues ?? []).map(issueText);
      modal.error({ title: toMessage(e), content: list.length > 0 ? <ul style={{ paddingInlineStart: 18 }}>{list.map((l) => <li key={l}>{l}</li>)}</ul> : null });
    } else {
      message.error(describeFormatError(e));
    }
  };

  const applySaved = (d: IvrDocument, saved: IvrTree) => {
    queryClient.setQueryData(ivrQueryKey(channelId), d);
    setBaseline(JSON.stringify(saved));
    setDraftVersion(d.draftVersion);
  };

  const save = useMutation({
    mutationFn: (saved: IvrTree) => saveIvrDraft(channelId, saved, draftVersion),
    onSuccess: (d, saved) => {
      applySaved(d, saved);
      message.success(t('ivr.saved'));
    },
    onError: onWriteError,
  });

  const publish = useMutation({
    mutationFn: async (current: IvrTree) => {
      let version = draftVersion;
      if (dirty) {
        const d = await saveIvrDraft(channelId, current, draftVersion);
        applySaved(d, current);
        version = d.draftVersion;
      }
      return publishIvr(channelId, version);
    },
    onSuccess: (r) => {
      message.success(t('ivr.publishedOk', { version: r.version }));
      void queryClient.invalidateQueries({ queryKey: ivrQueryKey(channelId) });
    },
    onError: onWriteError,
  });

  const restore = useMutation({
    mutationFn: (version: number) => restoreIvrVersion(channelId, version, draftVersion),
    onSuccess: (d, version) => {
      queryClient.setQueryData(ivrQueryKey(channelId), d);
      load(d);
      message.success(t('ivr.versions.restored', { version }));
    },
    onError: onWriteError,
  });

  if (doc.isError && isApiError(doc.error) && (doc.error.status === 404 || doc.error.status === 400)) {
    return <Result status="404" title={t('ivr.notFound')} extra={<Link to="/admin/channels">{t('channels.title')}</Link>} />;
  }
  if (doc.isError) return <Alert type="error" showIcon title={toMessage(doc.error)} />;
  if (!tree || !doc.data) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  const savedDoc = doc.data;

  const selected = selectedId ? (findNode(tree, selectedId) ?? null) : null;
  const updateNode = (node: IvrNode) => setTree(replaceNode(tree, node));
  const deleteNode = (id: string) => {
    setTree(removeNode(tree, id));
    setSelectedId(tree.root);
  };
  const confirmPublish = () =>
    modal.confirm({
      title: t('ivr.publishConfirm.title'),
      content: (
        <>
          <p>{t('ivr.publishConfirm.content')}</p>
          {dirty && <p>{t('ivr.publishConfirm.unsaved')}</p>}
          {warnings.length > 0 && (
            <ul style={{ paddingInlineStart: 18 }}>
              {warnings.map((w) => (
                <li key={`${w.code}-${w.nodeId ?? ''}`}>{issueText(w)}</li>
              ))}
            </ul>
          )}
        </>
      ),
      okText: t('ivr.publishConfirm.ok'),
      cancelText: t('common.cancel'),
      onOk: () => publish.mutateAsync(tree).catch(() => undefined),
    });

  const published = savedDoc.published;
  const blocked = errors.length > 0 || formatProblem !== null;
  const statusTags = (
    <Flex gap={4} wrap>
      {dirty ? <Tag color="warning">{t('ivr.status.unsaved')}</Tag> : <Tag>{t('ivr.status.saved', { version: draftVersion })}</Tag>}
      {published ? <Tag color="success">{t('ivr.status.live', { version: published.version })}</Tag> : <Tag>{t('ivr.status.notPublished')}</Tag>}
    </Flex>
  );

  return (
    <>
      <PageHeader
        title={channelName ? `${t('ivr.title')} · ${channelName}` : t('ivr.title')}
        subTitle={t('ivr.subtitle')}
        tags={statusTags}
        breadcrumbs={[{ title: t('nav.admin') }, { title: t('channels.title'), path: '/admin/channels' }, { title: t('ivr.title') }]}
        extra={
          <>
            {dirty && baseline !== null && (
              <Popconfirm title={t('ivr.discardConfirm')} onConfirm={() => load(savedDoc)}>
                <Button icon={<UndoOutlined />} data-testid="ivr-discard">
                  {t('ivr.actions.discard')}
                </Button>
              </Popconfirm>
            )}
            <Button icon={<SaveOutlined />} disabled={!dirty || formatProblem !== null} loading={save.isPending} onClick={() => save.mutate(tree)} data-testid="ivr-save">
              {t('ivr.actions.save')}
            </Button>
            <Tooltip title={blocked ? t('ivr.publishDisabled') : undefined}>
              <Button type="primary" icon={<CloudUploadOutlined />} disabled={blocked || checking} loading={publish.isPending} onClick={confirmPublish} data-testid="ivr-publish">
                {t('ivr.actions.publish')}
              </Button>
            </Tooltip>
          </>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12} xxl={8}>
          <Card
            title={t('ivr.outline.title')}
            size="small"
            extra={
              <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="ivr-add-node-open">
                {t('ivr.actions.addNode')}
              </Button>
            }
          >
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('ivr.outline.hint')}
            </Typography.Paragraph>
            <IvrOutline tree={tree} selectedId={selectedId} onSelect={setSelectedId} issues={issues} />
          </Card>
          <Card title={t('ivr.settings.title')} size="small" style={{ marginTop: 16 }}>
            <TreeSettings tree={tree} onChange={setTree} />
          </Card>
        </Col>
        <Col xs={24} lg={12} xxl={9}>
          <Card title={selected ? `${t('ivr.editor.title')} · ${selected.id}` : t('ivr.editor.title')} size="small">
            {/* Keyed by node: local field state (a half-typed file name) never leaks into another node. */}
            <NodeEditor key={selected?.id ?? 'none'} tree={tree} node={selected} issues={issues} onChange={updateNode} onDelete={deleteNode} />
          </Card>
          <Card title={t('ivr.issues.title')} size="small" style={{ marginTop: 16 }} data-testid="ivr-issues">
            <IssuesPanel issues={issues} checking={checking} formatProblem={formatProblem} onSelect={(id) => findNode(tree, id) && setSelectedId(id)} />
          </Card>
        </Col>
        <Col xs={24} lg={24} xxl={7}>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12} xxl={24}>
              <Card title={t('ivr.simulator.title')} size="small">
                <IvrSimulator channelId={channelId} tree={tree} />
              </Card>
            </Col>
            <Col xs={24} lg={12} xxl={24}>
              <Card title={t('ivr.versions.title')} size="small">
                <VersionHistory channelId={channelId} versions={savedDoc.versions} liveVersion={published?.version ?? null} restoring={restore.isPending} onRestore={(v) => restore.mutate(v)} />
              </Card>
            </Col>
          </Row>
        </Col>
      </Row>
      <AddNodeModal
        open={adding}
        tree={tree}
        selected={selected}
        onClose={() => setAdding(false)}
        onAdd={(next, id) => {
          setTree(next);
          setSelectedId(id);
        }}
      />
    </>
  );
}

function IssuesPanel({ issues, checking, formatProblem, onSelect }: { issues: readonly IvrIssue[]; checking: boolean; formatProblem: string | null; onSelect: (nodeId: string) => void }) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  return (
    <Flex vertical gap={8}>
      {formatProblem && <Alert type="error" showIcon title={formatProblem} />}
      {issues.length === 0 && !formatProblem ? (
        <Typography.Text type="success" data-testid="ivr-issues-ok">
          <CheckCircleOutlined /> {checking ? t('ivr.issues.checking') : t('ivr.issues.ok')}
        </Typography.Text>
      ) : (
        issues.length > 0 && (
          <>
            <Typography.Text type={errors > 0 ? 'danger' : 'warning'} data-testid="ivr-issues-summary">
              {t('ivr.issues.summary', { errors, warnings })}
              {checking ? ` · ${t('ivr.issues.checking')}` : ''}
            </Typography.Text>
            <List
              size="small"
              dataSource={[...issues]}
              renderItem={(i) => (
                <List.Item style={{ cursor: i.nodeId ? 'pointer' : undefined, paddingInline: 4 }} onClick={() => i.nodeId && onSelect(i.nodeId)}>
                  <Flex gap={8} align="flex-start">
                    {i.severity === 'error' ? <ExclamationCircleOutlined style={{ color: '#ff4d4f', marginTop: 4 }} /> : <WarningOutlined style={{ color: '#faad14', marginTop: 4 }} />}
                    <span>{issueText(i)}</span>
                  </Flex>
                </List.Item>
              )}
            />
          </>
        )
      )}
    </Flex>
  );
}

/** Start node and spoken languages. */
function TreeSettings({ tree, onChange }: { tree: IvrTree; onChange: (tree: IvrTree) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Form layout="vertical">
      <Form.Item label={t('ivr.settings.root')} style={{ marginBottom: 12 }}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          value={tree.root}
          options={tree.nodes.map((n) => ({ value: n.id, label: `${n.id} · ${t(`ivr.kinds.${n.kind}`)}` }))}
          onChange={(root: string) => onChange({ ...tree, root })}
          data-testid="ivr-root"
        />
      </Form.Item>
      <Form.Item label={t('ivr.settings.languages')} extra={t('ivr.settings.languagesHelp')} style={{ marginBottom: 12 }}>
        <Select
          mode="tags"
          value={tree.languages}
          options={['zh-CN', 'en-US', 'bo-CN'].map((l) => ({ value: l, label: l }))}
          onChange={(values: string[]) => {
            const bad = values.find((v) => !IVR_LANGUAGE.test(v));
            if (bad) {
              message.error(t('ivr.settings.languageInvalid', { lang: bad }));
              return;
            }
            if (values.length > 0 && values.length <= 10) onChange(setLanguages(tree, values));
          }}
          data-testid="ivr-languages"
        />
      </Form.Item>
      <Form.Item label={t('ivr.settings.defaultLanguage')} style={{ marginBottom: 0 }}>
        <Select value={tree.defaultLanguage} options={tree.languages.map((l) => ({ value: l, label: l }))} onChange={(defaultLanguage: string) => onChange({ ...tree, defaultLanguage })} />
      </Form.Item>
    </Form>
  );
}
