import { ClockCircleOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Result, Row, Skeleton, Space, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../lib/errors';
import { useRealtimeStatus } from '../../../lib/realtime';
import { PageHeader } from '../../shell/components/page-header';
import { useNow } from '../../tickets/lib/sla';
import { AgentTable } from '../components/agent-table';
import { ClosureRequests } from '../components/closure-requests';
import { ListenDrawer, type ListenTarget } from '../components/listen-drawer';
import { QueueCards } from '../components/queue-cards';
import { WaitingList } from '../components/waiting-list';
import { useWall, WALL_REFRESH_MS } from '../hooks/use-wall';

/** 实时监控: queues, agents, waiting contacts and closure requests, live; click a contact to listen in. */
export function WallPage() {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const wall = useWall();
  const now = useNow(1000);
  const connection = useRealtimeStatus();
  const [listening, setListening] = useState<ListenTarget | null>(null);

  const header = (
    <PageHeader
      title={t('nav.wall')}
      subTitle={t('wall.subtitle')}
      breadcrumbs={[{ title: t('nav.wall') }]}
      extra={
        <>
          {wall.data && (
            <Tooltip title={t('wall.autoRefresh', { seconds: WALL_REFRESH_MS / 1000 })}>
              <Typography.Text type="secondary" style={{ alignSelf: 'center' }} data-testid="wall-updated">
                <ClockCircleOutlined /> {t('wall.updatedAt', { time: dayjs(wall.data.at).format('HH:mm:ss') })}
                {connection !== 'open' && ` · ${t('desk.connection.reconnecting')}`}
              </Typography.Text>
            </Tooltip>
          )}
          <Button icon={<ReloadOutlined />} loading={wall.isFetching} onClick={() => void wall.refetch()}>
            {t('common.refresh')}
          </Button>
        </>
      }
    />
  );

  if (wall.isPending) {
    return (
      <>
        {header}
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </>
    );
  }
  if (wall.isError && !wall.data) {
    return (
      <>
        {header}
        <Result status="error" title={t('wall.loadFailed')} subTitle={toMessage(wall.error)} />
      </>
    );
  }
  const data = wall.data;
  const drift = Math.max(0, (now - Date.parse(data.at)) / 1000);
  const online = data.agents.filter((a) => a.state !== 'offline').length;

  return (
    <>
      {header}
      {wall.isError && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('wall.stale', { error: toMessage(wall.error) })} />}
      <Flex vertical gap={16} data-testid="wall-page">
        <QueueCards queues={data.queues} drift={drift} />
        <Row gutter={[16, 16]}>
          <Col xs={24} xxl={16}>
            <Card
              variant="borderless"
              title={
                <Space>
                  <TeamOutlined />
                  {t('wall.agents.title')}
                  <Typography.Text type="secondary">{t('wall.agents.online', { online, total: data.agents.length })}</Typography.Text>
                </Space>
              }
            >
              <AgentTable agents={data.agents} now={now} onListen={setListening} />
            </Card>
          </Col>
          <Col xs={24} xxl={8}>
            <Flex vertical gap={16}>
              <ClosureRequests contacts={data.pendingClosures} now={now} onListen={setListening} />
              <Card
                variant="borderless"
                title={
                  <Space>
                    {t('wall.waiting.title')}
                    {data.waiting.length > 0 && <Typography.Text type="danger">{data.waiting.length}</Typography.Text>}
                  </Space>
                }
              >
                <WaitingList contacts={data.waiting} agents={data.agents} now={now} onListen={setListening} />
              </Card>
            </Flex>
          </Col>
        </Row>
      </Flex>
      <ListenDrawer target={listening} onClose={() => setListening(null)} />
    </>
  );
}
