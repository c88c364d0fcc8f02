import { Card, Col, Empty, Flex, Progress, Row, Statistic, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WallQueue } from '../../../api/contact-types';
import { formatClock } from '../../contacts/lib/contact-labels';

/** Service level as a percentage; the server sends 0…1 (a plain percentage is accepted too). */
export function serviceLevelPercent(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.round((value <= 1 ? value * 100 : value) * 10) / 10;
}

/** The common 80/20 target: green at or above 80 %, orange from 60 %, red below. */
function levelColor(pct: number): string {
  if (pct >= 80) return '#52c41a';
  if (pct >= 60) return '#fa8c16';
  return '#f5222d';
}

type Props = { queues: readonly WallQueue[]; /** Seconds since the wall was computed: waits keep growing between refreshes. */ drift: number };

/** One card per queue: who waits and for how long, who can answer, and today's service level. */
export function QueueCards({ queues, drift }: Props) {
  const { t, i18n } = useTranslation();
  if (queues.length === 0) {
    return (
      <Card variant="borderless">
        <Empty description={t('wall.queues.none')} />
      </Card>
    );
  }
  return (
    <Row gutter={[16, 16]} data-testid="wall-queues">
      {queues.map((q) => {
        const pct = serviceLevelPercent(q.serviceLevelToday);
        const longest = q.waiting > 0 ? q.longestWaitSeconds + drift : 0;
        const name = (i18n.language === 'en-US' ? q.nameEn : q.nameZh) || q.code;
        return (
          <Col key={q.id} xs={24} sm={12} xl={8} xxl={6}>
            <Card
              variant="borderless"
              style={{ height: '100%', borderTop: `3px solid ${q.waiting > 0 ? (q.agentsFree === 0 ? '#f5222d' : '#fa8c16') : '#52c41a'}` }}
              styles={{ body: { padding: '14px 18px' } }}
              data-testid="wall-queue"
              data-queue={q.code}
              data-waiting={q.waiting}
            >
              <Flex justify="space-between" align="baseline" style={{ marginBottom: 8 }}>
                <Typography.Text strong style={{ fontSize: 15 }}>
                  {name}
                </Typography.Text>
                <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
                  {q.code}
                </Typography.Text>
              </Flex>
              <Row gutter={8}>
                <Col span={8}>
                  <Statistic title={t('wall.queues.waiting')} value={q.waiting} styles={{ content: { color: q.waiting ? '#f5222d' : undefined, fontSize: 24 } }} />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('wall.queues.longestWait')}
                    value={formatClock(longest)}
                    styles={{ content: { fontSize: 24, color: longest > 60 ? '#fa8c16' : undefined } }}
                    data-testid="wall-queue-longest"
                  />
                </Col>
                <Col span={8}>
                  <Tooltip title={t('wall.queues.agentsHint')}>
                    <Statistic title={t('wall.queues.agents')} value={`${q.agentsFree}/${q.agentsOnline}`} styles={{ content: { fontSize: 24 } }} />
                  </Tooltip>
                </Col>
              </Row>
              <Flex align="center" gap={10} style={{ marginTop: 10 }}>
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
                  {t('wall.queues.serviceLevel')}
                </Typography.Text>
                {pct === null ? (
                  <Typography.Text type="secondary">—</Typography.Text>
                ) : (
                  <Progress percent={pct} size="small" strokeColor={levelColor(pct)} format={(p) => `${p}%`} data-testid="wall-queue-sl" />
                )}
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('wall.queues.today', {
                  offered: q.offeredToday,
                  answered: q.answeredToday,
                  abandoned: q.abandonedToday,
                  asa: formatClock(q.averageWaitSecondsToday),
                })}
              </Typography.Text>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
