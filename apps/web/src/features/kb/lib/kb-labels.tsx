import { App, Badge, Tag } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import type { TKbCategory } from '../hooks/use-kb';

const STATUS_COLOR: Record<string, string> = { draft: 'default', review: 'orange', published: 'green', archived: 'default' };

export function KbStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`kb-status-${status}`}>
      {t(`kb.status.${status}`)}
    </Tag>
  );
}

export function KbValidityBadge({ validity, validFrom, validTo }: { validity: string; validFrom: string | null; validTo: string | null }) {
  const { t } = useTranslation();
  if (!validFrom && !validTo) return null;
  const status = validity === 'current' ? 'success' : validity === 'scheduled' ? 'processing' : 'default';
  const range = `${validFrom ? validFrom.slice(0, 10) : '…'} ~ ${validTo ? validTo.slice(0, 10) : '…'}`;
  return <Badge status={status} text={`${t(`kb.validity.${validity}`)} ${range}`} />;
}

export type CategoryNode = { key: string; value: string; title: string; children: CategoryNode[] };

/** Categories as a tree (for Tree and TreeSelect), names in the UI language. */
export function categoryTree(items: TKbCategory[], lang: string): CategoryNode[] {
  const nodes = new Map(items.map((c) => [c.id, { key: c.id, value: c.id, title: `${lang.startsWith('zh') ? c.nameZh : c.nameEn} (${c.articleCount})`, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const c of items) {
    const node = nodes.get(c.id);
    if (!node) continue;
    const parent = c.parentId ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Error toasts for the knowledge pages: kb.* codes get their own wording (kb.errors.*), the rest the shared one. */
export function useKbNotifyError(): (error: unknown) => void {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const fallback = useErrorMessage();
  return useCallback(
    (error: unknown) => {
      const key = isApiError(error) && error.code.startsWith('kb.') ? `kb.errors.${error.code.slice(3)}` : null;
      void message.error(key && i18n.exists(key) ? t(key) : fallback(error));
    },
    [t, i18n, message, fallback],
  );
}
