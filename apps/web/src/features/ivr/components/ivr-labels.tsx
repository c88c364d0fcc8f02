import { AppstoreOutlined, CustomerServiceOutlined, FileSearchOutlined, MessageOutlined, PhoneOutlined, PoweroffOutlined, SoundOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { type ReactNode, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { IvrIssue, IvrNodeKind } from '../../../api/ivr';
import { useQueues } from '../../contacts/hooks/use-contacts';

export const KIND_ICON: Record<IvrNodeKind, ReactNode> = {
  prompt: <SoundOutlined />,
  menu: <AppstoreOutlined />,
  queue: <CustomerServiceOutlined />,
  self_service: <FileSearchOutlined />,
  leave_message: <MessageOutlined />,
  callback: <PhoneOutlined />,
  hang_up: <PoweroffOutlined />,
};

const KIND_COLOR: Record<IvrNodeKind, string> = {
  prompt: 'default',
  menu: 'blue',
  queue: 'green',
  self_service: 'cyan',
  leave_message: 'orange',
  callback: 'purple',
  hang_up: 'default',
};

export function KindTag({ kind }: { kind: IvrNodeKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLOR[kind]} icon={KIND_ICON[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`ivr.kinds.${kind}`)}
    </Tag>
  );
}

/** One sentence per issue, in the user's language. */
export function useIssueText(): (issue: IvrIssue) => string {
  const { t } = useTranslation();
  return useCallback((issue: IvrIssue) => t(`ivr.issues.${issue.code}`, { node: issue.nodeId ?? '', detail: issue.detail ?? '' }), [t]);
}

/** Queue names by id in the user's language (the queues the IVR may send calls to). */
export function useQueueNames() {
  const { i18n } = useTranslation();
  const queues = useQueues();
  const items = queues.data ?? [];
  const name = useCallback(
    (id: string | null | undefined) => {
      if (!id) return '';
      const q = items.find((x) => x.id === id);
      if (!q) return id;
      return i18n.language === 'en-US' ? q.nameEn : q.nameZh;
    },
    [items, i18n.language],
  );
  return { queues: items, loading: queues.isPending, name };
}
