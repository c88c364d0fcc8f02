import { DisconnectOutlined, ExclamationCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Empty, Flex, Tag, Tooltip, Tree, type TreeDataNode, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IvrIssue, IvrTree } from '../../../api/ivr';
import { buildOutline, findNode, type OutlineItem, outlineKeys, promptSnippet } from '../lib/ivr-tree';
import { KIND_ICON, KindTag, useQueueNames } from './ivr-labels';

type Props = {
  tree: IvrTree;
  selectedId?: string | null;
  onSelect?: (nodeId: string) => void;
  issues?: readonly IvrIssue[];
};

/**
 * The menu as a navigable outline from the start node: "1 → billing 按键菜单 查询余额请按1…",
 * terminal nodes with their kind; nodes the start cannot reach are listed underneath.
 */
export function IvrOutline({ tree, selectedId = null, onSelect, issues = [] }: Props) {
  const { t, i18n } = useTranslation();
  const { name: queueName } = useQueueNames();
  const { items, unreachable } = useMemo(() => buildOutline(tree), [tree]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const language = tree.languages.includes(i18n.language) ? i18n.language : tree.defaultLanguage;

  const severity = useMemo(() => {
    const map = new Map<string, 'error' | 'warning'>();
    for (const i of issues) if (i.nodeId && map.get(i.nodeId) !== 'error') map.set(i.nodeId, i.severity);
    return map;
  }, [issues]);

  const title = (nodeId: string, via: ReactNode, flags: { repeated?: boolean; missing?: boolean }) => {
    const node = findNode(tree, nodeId);
    const s = severity.get(nodeId);
    const detail = node?.kind === 'queue' ? queueName(node.queueId) : node?.kind === 'self_service' ? t(`ivr.selfService.${node.action}`) : promptSnippet(node, language);
    return (
      <Flex gap={6} align="center" wrap style={{ minWidth: 0 }} data-testid={`ivr-outline-${nodeId}`}>
        {via}
        <Typography.Text strong={!flags.repeated} delete={flags.missing} type={flags.missing ? 'danger' : undefined}>
          {nodeId}
        </Typography.Text>
        {node ? <KindTag kind={node.kind} /> : <Tag color="error">{t('ivr.outline.missing')}</Tag>}
        {detail && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {detail}
          </Typography.Text>
        )}
        {flags.repeated && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ivr.outline.seeAbove')}
          </Typography.Text>
        )}
        {s === 'error' && <ExclamationCircleOutlined style={{ color: 'var(--ant-color-error, #ff4d4f)' }} />}
        {s === 'warning' && <WarningOutlined style={{ color: 'var(--ant-color-warning, #faad14)' }} />}
      </Flex>
    );
  };

  const viaLabel = (item: OutlineItem): ReactNode => {
    switch (item.via.type) {
      case 'start':
        return <Tag color="processing">{t('ivr.outline.start')}</Tag>;
      case 'option':
        return <Tag style={{ fontFamily: 'monospace', fontWeight: 600 }}>{`${item.via.digit} →`}</Tag>;
      case 'fallback':
        return <Tag>{`${t('ivr.outline.fallback')} →`}</Tag>;
      case 'next':
        return <Tag>{`${t('ivr.outline.next')} →`}</Tag>;
    }
  };

  const toData = (item: OutlineItem): TreeDataNode => {
    const node = findNode(tree, item.nodeId);
    return {
      key: item.key,
      title: title(item.nodeId, viaLabel(item), item),
      icon: node ? KIND_ICON[node.kind] : <DisconnectOutlined />,
      children: item.children.map(toData),
      isLeaf: item.children.length === 0,
    };
  };
  const treeData = items.map(toData);
  const allKeys = useMemo(() => outlineKeys(items), [items]);
  const byKey = useMemo(() => {
    const map = new Map<string, string>();
    const add = (i: OutlineItem) => {
      map.set(i.key, i.nodeId);
      i.children.forEach(add);
    };
    items.forEach(add);
    return map;
  }, [items]);
  const selectedKeys = useMemo(() => allKeys.filter((k) => byKey.get(k) === selectedId), [allKeys, byKey, selectedId]);

  if (tree.nodes.length === 0) return <Empty description={t('ivr.outline.empty')} />;
  return (
    <div data-testid="ivr-outline">
      <Tree
        showLine
        showIcon={false}
        blockNode
        treeData={treeData}
        expandedKeys={allKeys.filter((k) => !collapsed.has(k))}
        onExpand={(keys) => setCollapsed(new Set(allKeys.filter((k) => !keys.includes(k))))}
        selectedKeys={selectedKeys}
        onSelect={(_keys, info) => {
          const id = byKey.get(String(info.node.key));
          if (id && onSelect && findNode(tree, id)) onSelect(id);
        }}
      />
      {unreachable.length > 0 && (
        <div style={{ marginTop: 16 }} data-testid="ivr-unreachable">
          <Tooltip title={t('ivr.outline.unreachableHint')}>
            <Typography.Text type="warning" strong>
              <DisconnectOutlined /> {t('ivr.outline.unreachable')}
            </Typography.Text>
          </Tooltip>
          <Flex vertical gap={4} style={{ marginTop: 8 }}>
            {unreachable.map((id) => (
              <button
                key={id}
                type="button"
                className="kefu-ivr-unreachable"
                onClick={() => onSelect?.(id)}
                style={{ all: 'unset', cursor: onSelect ? 'pointer' : 'default', padding: '2px 4px', borderRadius: 4, background: id === selectedId ? 'var(--ant-control-item-bg-active, #e6f4ff)' : undefined }}
              >
                {title(id, null, {})}
              </button>
            ))}
          </Flex>
        </div>
      )}
    </div>
  );
}
