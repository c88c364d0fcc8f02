import { EyeOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, List, Modal, Popconfirm, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getIvrVersion, type IvrVersionSummary } from '../../../api/ivr';
import { useErrorMessage } from '../../../lib/errors';
import { IvrOutline } from './ivr-outline';

type Props = {
  channelId: string;
  versions: readonly IvrVersionSummary[];
  liveVersion: number | null;
  restoring: boolean;
  onRestore: (version: number) => void;
};

/** 发布历史: every published version (immutable), to look at or to copy back into the draft. */
export function VersionHistory({ channelId, versions, liveVersion, restoring, onRestore }: Props) {
  const { t } = useTranslation();
  const [viewing, setViewing] = useState<number | null>(null);
  if (versions.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ivr.versions.empty')} />;
  return (
    <>
      <List
        size="small"
        dataSource={[...versions]}
        data-testid="ivr-versions"
        renderItem={(v) => (
          <List.Item
            key={v.version}
            actions={[
              <Button key="view" size="small" type="link" icon={<EyeOutlined />} onClick={() => setViewing(v.version)} data-testid={`ivr-version-view-${v.version}`}>
                {t('ivr.versions.view')}
              </Button>,
              <Popconfirm
                key="restore"
                title={t('ivr.versions.restoreConfirm', { version: v.version })}
                description={t('ivr.versions.restoreHint')}
                onConfirm={() => onRestore(v.version)}
              >
                <Button size="small" type="link" icon={<RollbackOutlined />} loading={restoring} data-testid={`ivr-version-restore-${v.version}`}>
                  {t('ivr.versions.restore')}
                </Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={
                <Flex gap={6} align="center">
                  <Typography.Text strong>{`v${v.version}`}</Typography.Text>
                  {v.version === liveVersion && <Tag color="success">{t('ivr.versions.live')}</Tag>}
                </Flex>
              }
              description={t('ivr.versions.by', { name: v.publishedByName ?? t('ivr.versions.system'), at: dayjs(v.publishedAt).format('YYYY-MM-DD HH:mm') })}
            />
          </List.Item>
        )}
      />
      <VersionModal channelId={channelId} version={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

function VersionModal({ channelId, version, onClose }: { channelId: string; version: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const query = useQuery({
    queryKey: ['ivr-version', channelId, version],
    queryFn: () => getIvrVersion(channelId, version as number),
    enabled: version !== null,
    // Published versions never change.
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Modal open={version !== null} onCancel={onClose} footer={null} width={720} title={version !== null ? t('ivr.versions.viewTitle', { version }) : ''} destroyOnHidden data-testid="ivr-version-modal">
      {query.isPending && <Spin />}
      {query.isError && <Alert type="error" showIcon title={toMessage(query.error)} />}
      {query.data && <IvrOutline tree={query.data.tree} />}
    </Modal>
  );
}
