import { FileTextOutlined, HistoryOutlined, PauseCircleOutlined, PhoneOutlined, RiseOutlined, ThunderboltOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import type { Ticket } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { CustomerFlags, CustomerTags } from '../../customers/components/customer-flags';
import { PageHeader } from '../../shell/components/page-header';
import { useIncident } from '../../incidents/hooks/use-incidents';
import { CustomFieldValues } from '../components/custom-fields';
import { SlaPanel } from '../components/sla-panel';
import { HANDLER_ACTIONS, TicketActionBar } from '../components/ticket-actions';
import { PriorityBadges, StatusTag } from '../components/ticket-badges';
import { escalationLevelLabel, TicketOperationsMenu } from '../components/ticket-operations';
import { TicketSteps } from '../components/ticket-steps';
import { TicketTimeline } from '../components/ticket-timeline';
import { useTicket, useTicketCategories, useTicketEvents } from '../hooks/use-tickets';
import { useIsDepartmentMember } from '../lib/roles';
import { categoryFields, channelLabel, localName } from '../lib/ticket-labels';

export function TicketDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const query = useTicket(id);
  const crumbs = [{ title: t('nav.tickets'), path: '/tickets' }];

  if (query.isPending) {
    return (
      <>
        <PageHeader title={<Skeleton.Input active size="small" />} breadcrumbs={crumbs} />
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      </>
    );
  }
  if (query.isError) {
    const notFound = isApiError(query.error) && (query.error.status === 404 || query.error.status === 403);
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('ticket.notFound') : t('shell.loadFailed')}
        subTitle={notFound ? undefined : toMessage(query.error)}
        extra={
          <Link to="/tickets">
            <Button type="primary">{t('ticket.backToList')}</Button>
          </Link>
        }
      />
    );
  }
  return <TicketDetail ticket={query.data} />;
}

function TicketDetail({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const lang = i18n.language;
  const departmentMember = useIsDepartmentMember();
  const categories = useTicketCategories();
  const events = useTicketEvents(ticket.id);
  const fields = categoryFields(categories.data ?? [], ticket.categoryCode);
  const categoryPath = ticket.categoryPath.map((c) => localName(lang, c)).join(' / ') || ticket.categoryCode;

  return (
    <>
      <PageHeader
        title={
          <span className="kefu-mono" data-testid="ticket-number">
            {ticket.number}
          </span>
        }
        breadcrumbs={[{ title: t('nav.tickets'), path: '/tickets' }, { title: ticket.number }]}
        tags={
          <Space size={4} wrap>
            <StatusTag status={ticket.status} />
            <PriorityBadges priority={ticket.priority} urgency={ticket.urgency} showNormal />
            {ticket.sla.pausedAt && (
              <Tag icon={<PauseCircleOutlined />} data-testid="ticket-paused">
                {t('tickets.sla.paused')}
              </Tag>
            )}
            {ticket.fcr && ticket.status !== 'resolved' && <Tag color="green">{t('ticket.fcr')}</Tag>}
            {ticket.counters.urges > 0 && <Tag color="red">{t('tickets.urgeCount', { count: ticket.counters.urges })}</Tag>}
            {ticket.escalationLevel > 0 && (
              <Tag color="volcano" icon={<RiseOutlined />} data-testid="ticket-escalation">
                {t('ticket.escalatedTo', { level: escalationLevelLabel(t, ticket.escalationLevel) })}
              </Tag>
            )}
          </Space>
        }
        extra={
          <>
            <TicketActionBar ticket={ticket} layout="header" exclude={departmentMember ? HANDLER_ACTIONS : undefined} />
            <TicketOperationsMenu ticket={ticket} />
          </>
        }
      >
        <div style={{ margin: '8px 0 16px' }}>
          <TicketSteps ticket={ticket} events={events.data} />
        </div>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'category', label: t('tickets.fields.category'), children: <span data-testid="ticket-category">{categoryPath}</span> },
            { key: 'channel', label: t('tickets.fields.channel'), children: channelLabel(t, ticket.channel) },
            { key: 'area', label: t('tickets.fields.area'), children: ticket.area?.name ?? '—' },
            { key: 'created', label: t('tickets.fields.createdAt'), children: formatDateTime(ticket.times.createdAt) },
            { key: 'department', label: t('tickets.fields.department'), children: <span data-testid="ticket-department">{ticket.department?.name ?? '—'}</span> },
            { key: 'assignee', label: t('ticket.fields.assignee'), children: ticket.dispatchedTo?.name ?? ticket.assignee?.name ?? '—' },
            { key: 'createdBy', label: t('ticket.fields.createdBy'), children: ticket.createdBy?.name ?? '—' },
            { key: 'updated', label: t('ticket.fields.updatedAt'), children: formatDateTime(ticket.times.updatedAt) },
          ]}
        />
      </PageHeader>

      {ticket.mergedIntoId && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('ticket.mergedInto')}
          action={
            <Link to={`/tickets/${ticket.mergedIntoId}`}>
              <Button size="small">{t('ticket.openMerged')}</Button>
            </Link>
          }
        />
      )}

      {ticket.incidentId && <IncidentBanner incidentId={ticket.incidentId} />}
      {ticket.parentId && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('ticket.splitFrom')}
          action={
            <Link to={`/tickets/${ticket.parentId}`}>
              <Button size="small">{t('ticket.openParent')}</Button>
            </Link>
          }
        />
      )}

      {departmentMember && <TicketActionBar ticket={ticket} layout="prominent" only={HANDLER_ACTIONS} />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <Card
              variant="borderless"
              title={
                <Space>
                  <FileTextOutlined />
                  {t('ticket.cards.content')}
                </Space>
              }
              data-testid="ticket-content"
            >
              {ticket.title && (
                <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="ticket-title">
                  {ticket.title}
                </Typography.Title>
              )}
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="ticket-description">
                {ticket.description}
              </Typography.Paragraph>
              {ticket.tags.length > 0 && (
                <div style={{ marginBottom: 12 }}>
                  <CustomerTags tags={ticket.tags} />
                </div>
              )}
              <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                {t('ticket.cards.fields')}
              </Typography.Text>
              <CustomFieldValues fields={fields} values={ticket.fields} />
            </Card>
            <Card
              variant="borderless"
              title={
                <Space>
                  <HistoryOutlined />
                  {t('ticket.cards.timeline')}
                </Space>
              }
            >
              <TicketTimeline ticketId={ticket.id} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <Card variant="borderless" title={t('ticket.cards.customer')} data-testid="ticket-customer">
              <Flex vertical gap={8}>
                <Space size={8} wrap>
                  <UserOutlined />
                  {can('customer:read') ? (
                    <Link to={`/customers/${ticket.customer.id}`} data-testid="ticket-customer-link">
                      <Typography.Text strong style={{ color: 'inherit' }}>
                        {ticket.customer.name}
                      </Typography.Text>
                    </Link>
                  ) : (
                    <Typography.Text strong>{ticket.customer.name}</Typography.Text>
                  )}
                  <CustomerFlags flags={ticket.customer.flags} />
                </Space>
                {ticket.customer.phones.map((p) => (
                  <Space key={p} size={8}>
                    <PhoneOutlined />
                    <span className="kefu-mono">{p}</span>
                  </Space>
                ))}
                {ticket.area && (
                  <Typography.Text type="secondary">
                    {t('tickets.fields.area')}: {ticket.area.name}
                  </Typography.Text>
                )}
              </Flex>
            </Card>
            <SlaPanel ticket={ticket} events={events.data} />
            <Card variant="borderless" title={t('ticket.cards.counters')} data-testid="ticket-counters">
              <Row gutter={8}>
                <Col span={6}>
                  <Statistic title={t('ticket.counters.urges')} value={ticket.counters.urges} styles={{ content: ticket.counters.urges ? { color: '#f5222d' } : undefined }} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('ticket.counters.dispatches')} value={ticket.counters.dispatches} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('ticket.counters.returns')} value={ticket.counters.returns} />
                </Col>
                <Col span={6}>
                  <Statistic title={t('ticket.counters.reopens')} value={ticket.counters.reopens} />
                </Col>
              </Row>
            </Card>
          </Flex>
        </Col>
      </Row>
    </>
  );
}

/** The mass incident (停电事件) this order belongs to: its replies and closing come from there. */
function IncidentBanner({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const incident = useIncident(incidentId);
  return (
    <Alert
      type="warning"
      showIcon
      icon={<ThunderboltOutlined />}
      style={{ marginBottom: 16 }}
      data-testid="ticket-incident"
      title={
        incident.data
          ? t('ticket.incidentLinked', { number: incident.data.number, title: incident.data.title })
          : t('ticket.incidentLinkedShort')
      }
      description={
        incident.data &&
        (incident.data.status === 'active'
          ? incident.data.expectedRestoreAt
            ? t('incidents.restoreBy', { time: formatDateTime(incident.data.expectedRestoreAt) })
            : t('incidents.restoreUnknown')
          : t(`incidents.status.${incident.data.status}`, { defaultValue: incident.data.status }))
      }
      action={
        <Link to={`/incidents?id=${incidentId}`}>
          <Button size="small">{t('ticket.openIncident')}</Button>
        </Link>
      }
    />
  );
}
