import { EditOutlined, PlusOutlined, ReloadOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import type { TScript } from '@kefu/contracts';
import { Alert, App, Badge, Button, Card, Collapse, Empty, Flex, Input, Popconfirm, Select, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { ScriptEditor } from '../components/script-editor';
import { useDeactivateScript, useScriptSearch, useScripts, useUpdateScript } from '../hooks/use-scripts';
import { SCRIPT_LANGUAGES, SITUATIONS } from '../lib/script-meta';

/** 标准话术: the script library grouped by situation, with usage counts, pinyin search and the editor. */
export function ScriptsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const toMessage = useErrorMessage();
  const canWrite = can('kb:write');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [q, setQ] = useState('');
  const [language, setLanguage] = useState<string | undefined>();
  const [editing, setEditing] = useState<TScript | null>(null);
  const [creating, setCreating] = useState(false);
  const scripts = useScripts({ includeInactive: canWrite && includeInactive });
  const search = useScriptSearch(q, canWrite && includeInactive);
  const deactivate = useDeactivateScript();
  const update = useUpdateScript();

  const visible = useMemo(() => {
    const all = (scripts.data ?? []).filter((s) => !language || s.language === language);
    if (!q.trim() || !search.data) return all;
    // Server relevance order: pinyin initials, words in title and body.
    const byId = new Map(all.map((s) => [s.id, s]));
    return search.data.map((id) => byId.get(id)).filter((s): s is TScript => s !== undefined);
  }, [scripts.data, language, q, search.data]);

  const columns: TableColumnsType<TScript> = [
    {
      title: t('scripts.fields.title'),
      key: 'title',
      width: 220,
      render: (_, s) => (
        <Flex vertical>
          <Typography.Text strong>{s.title}</Typography.Text>
          <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
            /{s.shortcut}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('scripts.fields.body'), dataIndex: 'body', key: 'body', render: (body: string) => <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{body}</Typography.Paragraph> },
    { title: t('scripts.fields.language'), key: 'language', width: 90, render: (_, s) => <Tag>{t(`scripts.language.${s.language}`)}</Tag> },
    {
      title: t('scripts.fields.tags'),
      key: 'tags',
      width: 150,
      render: (_, s) => (
        <Space size={[4, 4]} wrap>
          {s.tags.map((tag) => (
            <Tag key={tag} style={{ marginInlineEnd: 0 }}>
              {tag}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('scripts.fields.usage'), dataIndex: 'usageCount', key: 'usage', width: 90, align: 'right', sorter: (a, b) => a.usageCount - b.usageCount },
    ...(canWrite
      ? [
          {
            title: t('scripts.fields.active'),
            key: 'active',
            width: 90,
            render: (_: unknown, s: TScript) => (s.active ? <Badge status="success" text={t('scripts.active')} /> : <Badge status="default" text={t('scripts.inactive')} />),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            render: (_: unknown, s: TScript) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid="script-edit">
                  {t('common.edit')}
                </Button>
                {s.active ? (
                  <Popconfirm
                    title={t('scripts.actions.deactivateConfirm')}
                    onConfirm={() => deactivate.mutate(s.id, { onSuccess: () => message.success(t('scripts.messages.deactivated')), onError: (e) => message.error(toMessage(e)) })}
                  >
                    <Button size="small" danger icon={<StopOutlined />} data-testid="script-deactivate">
                      {t('scripts.actions.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    size="small"
                    icon={<UndoOutlined />}
                    onClick={() => update.mutate({ id: s.id, body: { active: true, updatedAt: s.updatedAt } }, { onSuccess: () => message.success(t('scripts.messages.saved')), onError: (e) => message.error(toMessage(e)) })}
                  >
                    {t('scripts.actions.reactivate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  const table = (items: TScript[], testId?: string) => (
    <Table<TScript> rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} scroll={{ x: 900 }} data-testid={testId} />
  );

  const groups = SITUATIONS.map((situation) => {
    const items = visible.filter((s) => s.situation === situation);
    return { situation, items, uses: items.reduce((n, s) => n + s.usageCount, 0) };
  }).filter((g) => g.items.length > 0);
  const searching = q.trim().length > 0;

  return (
    <>
      <PageHeader
        title={t('scripts.title')}
        subTitle={t('scripts.subtitle')}
        breadcrumbs={[{ title: t('scripts.title') }]}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} loading={scripts.isFetching} onClick={() => void scripts.refetch()}>
              {t('common.refresh')}
            </Button>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="script-create">
                {t('scripts.actions.create')}
              </Button>
            )}
          </Space>
        }
      />
      <Card variant="borderless">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('scripts.searchPlaceholder')} style={{ width: 320 }} onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} data-testid="scripts-search" />
          <Select
            allowClear
            placeholder={t('scripts.fields.language')}
            style={{ width: 140 }}
            value={language}
            onChange={setLanguage}
            options={SCRIPT_LANGUAGES.map((l) => ({ value: l, label: t(`scripts.language.${l}`) }))}
          />
          {canWrite && (
            <Space>
              <Switch size="small" checked={includeInactive} onChange={setIncludeInactive} />
              <Typography.Text>{t('scripts.includeInactive')}</Typography.Text>
            </Space>
          )}
          <Typography.Text type="secondary">{t('scripts.count', { count: visible.length })}</Typography.Text>
        </Flex>
        {scripts.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(scripts.error)} />}
        {scripts.isPending ? (
          <Table loading columns={columns} dataSource={[]} />
        ) : visible.length === 0 ? (
          <Empty description={t('scripts.empty')} />
        ) : searching ? (
          table(visible, 'scripts-results')
        ) : (
          <Collapse
            defaultActiveKey={groups.slice(0, 3).map((g) => g.situation)}
            data-testid="scripts-groups"
            items={groups.map((g) => ({
              key: g.situation,
              label: (
                <Flex gap={12} align="center" data-testid="scripts-group" data-situation={g.situation}>
                  <Typography.Text strong>{t(`scripts.situation.${g.situation}`)}</Typography.Text>
                  <Tag style={{ marginInlineEnd: 0 }}>{t('scripts.count', { count: g.items.length })}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('scripts.usedTimes', { count: g.uses })}
                  </Typography.Text>
                </Flex>
              ),
              children: table(g.items),
            }))}
          />
        )}
      </Card>
      <ScriptEditor
        key={editing?.id ?? (creating ? 'new' : 'closed')}
        open={creating || editing !== null}
        script={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
      />
    </>
  );
}
