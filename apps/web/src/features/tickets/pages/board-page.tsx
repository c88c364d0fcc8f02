import { ClockCircleOutlined, ExclamationCircleOutlined, InboxOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Flex, Progress, Row, Skeleton, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type HTMLAttributes, type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { TicketBoard, TicketStatus } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { PageHeader } from '../../shell/components/page-header';
import { type BarSeries, StackedBarChart } from '../components/stacked-bar-chart';
import { BOARD_REFRESH_MS, useTicketBoard } from '../hooks/use-tickets';
import { statusLabel } from '../lib/ticket-labels';

const COLORS = { open: '#1677ff', awaiting: '#722ed1', ok: '#95de64', at_risk: '#fa8c16', breached: '#f5222d' } as const;

/** The open statuses in the order of the lifecycle, with the quick view of /tickets that lists them. */
const STATUS_FLOW: { status: TicketStatus; tab: string; color: string }[] = [
  { status: 'accepted', tab: 'toDispatch', color: '#69b1ff' },
  { status: 'returned', tab: 'toDispatch', color: '#ffc53d' },
  { status: 'dispatched', tab: 'inProgress', color: '#36cfc9' },
  { status: 'in_progress', tab: 'inProgress', color: '#1677ff' },
  { status: 'handled', tab: 'toReply', color: '#597ef7' },
  { status: 'replied', tab: 'toFollowUp', color: '#9254de' },
];

type DepartmentRow = TicketBoard['byDepartment'][number];

/** /tickets filtered to one slice of the board (open orders, optionally by SLA state and department). */
export function boardLink(opts: { sla?: 'at_risk' | 'breached' | 'ok'; departmentId?: string | null; tab?: string }): string {
  const p = new URLSearchParams();
  // Orders without a department are the ones waiting for dispatch.
  p.set('tab', opts.tab ?? (opts.departmentId === null ? 'toDispatch' : 'open'));
  if (opts.sla) p.set('sla', opts.sla);
  if (opts.departmentId) p.set('department', opts.departmentId);
  return `/tickets?${p.toString()}`;
}

function NumberLink({ to, value, color, testId }: { to: string; value: number; color?: string; testId?: string }) {
  return (
    <Link to={to} className="kefu-board-num kefu-mono" style={{ color: value ? color : 'rgba(0,0,0,0.35)', fontWeight: value && color ? 600 : undefined }} data-testid={testId} data-count={value}>
      {value.toLocaleString()}
    </Link>
  );
}

function StatCard({ to, icon, color, label, value, foot, testId }: { to: string; icon: ReactNode; color: string; label: string; value: number; foot?: ReactNode; testId: string }) {
  return (
    <Link to={to} className="kefu-board-card" data-testid={testId} data-count={value}>
      <Card variant="borderless" style={{ height: '100%', borderTop: `3px solid ${color}` }} styles={{ body: { padding: '16px 20px' } }}>
        <Flex align="center" gap={14}>
          <Flex align="center" justify="center" style={{ width: 44, height: 44, borderRadius: 22, background: `${color}1a`, color, fontSize: 20, flex: 'none' }}>
            {icon}
          </Flex>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text type="secondary">{label}</Typography.Text>
            <span className="kefu-board-num" style={{ fontSize: 30, fontWeight: 600, lineHeight: 1.2, color: value ? color : 'rgba(0,0,0,0.45)' }}>
              {value.toLocaleString()}
            </span>
          </Flex>
        </Flex>
        {foot && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
            {foot}
          </Typography.Text>
        )}
      </Card>
    </Link>
  );
}

/** 工单监控: open orders by SLA state, status and department; every number opens the filtered order list. */
export function BoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const toMessage = useErrorMessage();
  const board = useTicketBoard();
  const data = board.data;

  const open = data ? Object.values(data.byStatus).reduce<number>((sum, n) => sum + (n ?? 0), 0) : 0;
  const atRisk = data?.bySla.at_risk ?? 0;
  const breached = data?.bySla.breached ?? 0;
  const pct = (n: number) => (open ? Math.round((n / open) * 1000) / 10 : 0);
  const departmentName = (r: DepartmentRow) => r.name ?? t('board.noDepartment');

  const series: BarSeries[] = useMemo(
    () => [
      { key: 'ok', name: t('tickets.slaState.ok'), color: COLORS.ok },
      { key: 'at_risk', name: t('tickets.slaState.at_risk'), color: COLORS.at_risk },
      { key: 'breached', name: t('tickets.slaState.breached'), color: COLORS.breached },
    ],
    [t],
  );
  const chartRows = useMemo(
    () =>
      (data?.byDepartment ?? []).map((r) => ({
        key: r.departmentId ?? '',
        label: r.name ?? t('board.noDepartment'),
        values: [Math.max(0, r.open - r.atRisk - r.breached), r.atRisk, r.breached],
      })),
    [data, t],
  );

  const columns: TableColumnsType<DepartmentRow> = [
    {
      title: t('tickets.fields.department'),
      key: 'name',
      ellipsis: true,
      render: (_, r) => (
        <Link to={boardLink({ departmentId: r.departmentId })} style={{ color: 'inherit' }}>
          {r.departmentId ? departmentName(r) : <Typography.Text type="secondary">{departmentName(r)}</Typography.Text>}
        </Link>
      ),
    },
    { title: t('board.open'), key: 'open', width: 96, align: 'right', render: (_, r) => <NumberLink to={boardLink({ departmentId: r.departmentId })} value={r.open} testId="board-department-open" /> },
    {
      title: t('tickets.slaState.at_risk'),
      key: 'atRisk',
      width: 96,
      align: 'right',
      render: (_, r) => <NumberLink to={boardLink({ departmentId: r.departmentId, sla: 'at_risk' })} value={r.atRisk} color={COLORS.at_risk} testId="board-department-at-risk" />,
    },
    {
      title: t('tickets.slaState.breached'),
      key: 'breached',
      width: 96,
      align: 'right',
      render: (_, r) => <NumberLink to={boardLink({ departmentId: r.departmentId, sla: 'breached' })} value={r.breached} color={COLORS.breached} testId="board-department-breached" />,
    },
    {
      title: t('board.breachedRate'),
      key: 'rate',
      width: 150,
      render: (_, r) => {
        const rate = r.open ? Math.round((r.breached / r.open) * 100) : 0;
        return <Progress percent={rate} size="small" strokeColor={rate >= 20 ? COLORS.breached : rate >= 10 ? COLORS.at_risk : COLORS.ok} format={(p) => `${p}%`} />;
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.board')}
        subTitle={t('board.subtitle')}
        breadcrumbs={[{ title: t('nav.board') }]}
        extra={
          <>
            {data && (
              <Tooltip title={t('board.autoRefresh', { seconds: BOARD_REFRESH_MS / 1000 })}>
                <Typography.Text type="secondary" style={{ alignSelf: 'center' }} data-testid="board-updated">
                  <ClockCircleOutlined style={{ marginInlineEnd: 4 }} />
                  {t('board.updatedAt', { time: dayjs(board.dataUpdatedAt).format('HH:mm:ss') })}
                </Typography.Text>
              </Tooltip>
            )}
            <Button icon={<ReloadOutlined spin={board.isFetching} />} onClick={() => void board.refetch()} data-testid="board-refresh">
              {t('common.refresh')}
            </Button>
          </>
        }
      />
      {board.isError && <Alert type="error" showIcon title={toMessage(board.error)} style={{ marginBottom: 16 }} />}
      {!data ? (
        board.isPending && (
          <Card variant="borderless">
            <Skeleton active paragraph={{ rows: 8 }} />
          </Card>
        )
      ) : (
        <Flex vertical gap={16} data-testid="ticket-board">
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                to={boardLink({})}
                icon={<InboxOutlined />}
                color={COLORS.open}
                label={t('board.cards.open')}
                value={open}
                foot={t('board.cards.openFoot', { count: data.byDepartment.filter((d) => d.departmentId).length })}
                testId="board-card-open"
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                to={boardLink({ tab: 'toDispatch' })}
                icon={<ClockCircleOutlined />}
                color={COLORS.awaiting}
                label={t('board.cards.awaiting')}
                value={data.awaitingDispatch}
                foot={t('board.cards.awaitingFoot', { accepted: data.byStatus.accepted ?? 0, returned: data.byStatus.returned ?? 0 })}
                testId="board-card-awaiting"
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                to={boardLink({ sla: 'at_risk' })}
                icon={<WarningOutlined />}
                color={COLORS.at_risk}
                label={t('board.cards.atRisk')}
                value={atRisk}
                foot={t('board.cards.share', { pct: pct(atRisk) })}
                testId="board-card-at-risk"
              />
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <StatCard
                to={boardLink({ sla: 'breached' })}
                icon={<ExclamationCircleOutlined />}
                color={COLORS.breached}
                label={t('board.cards.breached')}
                value={breached}
                foot={t('board.cards.share', { pct: pct(breached) })}
                testId="board-card-breached"
              />
            </Col>
          </Row>

          <Card variant="borderless" title={t('board.byStatus')} data-testid="board-status">
            {open === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} />
            ) : (
              <>
                <div style={{ display: 'flex', height: 12, borderRadius: 6, overflow: 'hidden', background: '#f0f0f0' }}>
                  {STATUS_FLOW.map(({ status, color }) => {
                    const n = data.byStatus[status] ?? 0;
                    return n ? (
                      <Tooltip key={status} title={`${statusLabel(t, status)} ${n}`}>
                        <div style={{ width: `${(n / open) * 100}%`, background: color, minWidth: 3 }} />
                      </Tooltip>
                    ) : null;
                  })}
                </div>
                <Flex wrap gap={24} style={{ marginTop: 12 }}>
                  {STATUS_FLOW.map(({ status, tab, color }) => (
                    <Flex key={status} align="center" gap={6} data-testid="board-status-item" data-status={status}>
                      <span style={{ width: 8, height: 8, borderRadius: 4, background: color, display: 'inline-block' }} />
                      <Typography.Text type="secondary">{statusLabel(t, status)}</Typography.Text>
                      <NumberLink to={boardLink({ tab })} value={data.byStatus[status] ?? 0} color="rgba(0,0,0,0.88)" />
                    </Flex>
                  ))}
                </Flex>
              </>
            )}
          </Card>

          <Card variant="borderless" title={t('board.byDepartment')} extra={<Typography.Text type="secondary">{t('board.byDepartmentHint')}</Typography.Text>}>
            {data.byDepartment.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} />
            ) : (
              <Row gutter={[24, 16]}>
                <Col xs={24} xl={11}>
                  <StackedBarChart
                    rows={chartRows}
                    series={series}
                    height={Math.max(220, chartRows.length * 40 + 60)}
                    onPick={(key, s) => navigate(boardLink({ departmentId: key || null, sla: s as 'ok' | 'at_risk' | 'breached' }))}
                    data-testid="board-chart"
                  />
                </Col>
                <Col xs={24} xl={13}>
                  <Table<DepartmentRow>
                    rowKey={(r) => r.departmentId ?? 'none'}
                    size="small"
                    columns={columns}
                    dataSource={data.byDepartment}
                    pagination={false}
                    data-testid="board-departments"
                    onRow={(r) => ({ 'data-testid': 'board-department-row', 'data-department-id': r.departmentId ?? '' }) as HTMLAttributes<HTMLTableRowElement>}
                  />
                </Col>
              </Row>
            )}
          </Card>
        </Flex>
      )}
    </>
  );
}
