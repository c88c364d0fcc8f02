import {
  AlertOutlined,
  BellOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  CheckSquareOutlined,
  EditOutlined,
  EnvironmentOutlined,
  ExclamationCircleOutlined,
  EyeOutlined,
  FileAddOutlined,
  InboxOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  RiseOutlined,
  RollbackOutlined,
  SendOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Empty, Flex, Form, Input, Radio, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../../api/reference';
import type { TicketEvent } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { useAddTicketNote, useTicketEvents } from '../hooks/use-tickets';
import { eventLabel, milestoneLabel, urgencyLabel } from '../lib/ticket-labels';

const EVENT_STYLE: Record<string, { icon: ReactNode; color: string }> = {
  created: { icon: <FileAddOutlined />, color: 'blue' },
  dispatched: { icon: <SendOutlined />, color: 'blue' },
  dispatch_accepted: { icon: <CheckSquareOutlined />, color: 'blue' },
  arrived: { icon: <EnvironmentOutlined />, color: 'blue' },
  handled: { icon: <ToolOutlined />, color: 'green' },
  returned: { icon: <RollbackOutlined />, color: '#fa8c16' },
  replied: { icon: <MessageOutlined />, color: 'purple' },
  resolved_at_first_contact: { icon: <CheckCircleOutlined />, color: 'green' },
  followed_up: { icon: <PhoneOutlined />, color: 'green' },
  archived: { icon: <InboxOutlined />, color: 'gray' },
  reopened: { icon: <RedoOutlined />, color: '#fa8c16' },
  urged: { icon: <BellOutlined />, color: 'red' },
  paused: { icon: <PauseCircleOutlined />, color: 'gray' },
  resumed: { icon: <PlayCircleOutlined />, color: 'blue' },
  note: { icon: <EditOutlined />, color: 'gray' },
  escalated: { icon: <RiseOutlined />, color: 'red' },
  sla_at_risk: { icon: <WarningOutlined />, color: '#fa8c16' },
  sla_breached: { icon: <ExclamationCircleOutlined />, color: 'red' },
  sla_escalated: { icon: <AlertOutlined />, color: 'red' },
  merged: { icon: <MergeCellsOutlined />, color: 'gray' },
  merged_into: { icon: <MergeCellsOutlined />, color: 'gray' },
  split: { icon: <BranchesOutlined />, color: 'gray' },
  split_from: { icon: <BranchesOutlined />, color: 'gray' },
  incident_linked: { icon: <ThunderboltOutlined />, color: '#fa8c16' },
};

const SLA_EVENTS = new Set(['sla_at_risk', 'sla_breached', 'sla_escalated']);

/** One line about the event's data the body does not already say. */
function useEventDetail() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const deptName = (id: unknown) => (typeof id === 'string' ? (departments.data?.find((d) => d.id === id)?.name ?? null) : null);
  return (e: TicketEvent): ReactNode => {
    const d = e.data;
    switch (e.type) {
      case 'dispatched': {
        const name = deptName(d.departmentId);
        if (!name) return null;
        return d.redispatch ? t('ticket.event.redispatchedTo', { name }) : t('ticket.event.dispatchedTo', { name });
      }
      case 'returned': {
        const name = deptName(d.departmentId);
        return name ? t('ticket.event.returnedBy', { name }) : null;
      }
      case 'urged':
        return t('ticket.event.urged', { count: Number(d.urgeCount ?? 0), urgency: urgencyLabel(t, String(d.urgency ?? 'normal')) });
      case 'followed_up':
        return d.satisfied === true ? t('ticket.event.satisfied') : d.satisfied === false ? t('ticket.event.unsatisfied') : null;
      case 'sla_at_risk':
      case 'sla_breached':
      case 'sla_escalated': {
        // Escalation actions arrive as codes or as { type, audience } objects.
        const actions = (Array.isArray(d.actions) ? d.actions : []).map((a) => (typeof a === 'string' ? { type: a } : (a as { type?: string; audience?: string })));
        const audiences = new Set<string>([
          ...(Array.isArray(d.notify) ? d.notify.map(String) : []),
          ...actions.filter((a) => a.type === 'notify' && a.audience).map((a) => String(a.audience)),
        ]);
        const parts = [
          typeof d.dueAt === 'string'
            ? t('ticket.event.slaDetail', { milestone: milestoneLabel(t, String(d.milestone ?? '')), time: formatDateTime(d.dueAt) })
            : milestoneLabel(t, String(d.milestone ?? '')),
          ...[...new Set(actions.map((a) => a.type).filter((x): x is string => Boolean(x) && x !== 'notify'))].map((x) =>
            t(`ticket.escalationAction.${x}`, { defaultValue: x }),
          ),
        ];
        if (audiences.size) parts.push(t('ticket.event.notified', { who: [...audiences].map((a) => t(`ticket.audience.${a}`, { defaultValue: a })).join(t('ticket.event.separator')) }));
        return parts.join(' · ');
      }
      case 'resumed':
        return d.automatic ? t('ticket.event.autoResumed') : null;
      case 'escalated':
        return typeof d.to === 'string' ? t('ticket.event.escalatedTo', { level: t(`ticket.escalation.${d.to}`, { defaultValue: d.to }) }) : null;
      case 'incident_linked':
        return typeof d.number === 'string' ? t('ticket.event.incident', { number: d.number }) : null;
      case 'merged':
      case 'merged_into':
      case 'split':
      case 'split_from': {
        const numbers = [d.duplicateNumber, d.survivorNumber, d.parentNumber, ...(Array.isArray(d.childNumbers) ? d.childNumbers : [])].filter(
          (x): x is string => typeof x === 'string',
        );
        return numbers.length ? numbers.join('、') : null;
      }
      default:
        return null;
    }
  };
}

/** The order's timeline, newest first, with the note box on top. */
export function TicketTimeline({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const events = useTicketEvents(ticketId);
  const detail = useEventDetail();
  const mayNote = ['ticket:update', 'ticket:handle', 'ticket:dispatch'].some(can);

  return (
    <Flex vertical gap={16}>
      {mayNote && <NoteForm ticketId={ticketId} />}
      {events.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : events.isError ? (
        <Alert type="error" showIcon title={toMessage(events.error)} />
      ) : events.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          data-testid="ticket-timeline"
          items={[...events.data].reverse().map((e) => {
            const style = EVENT_STYLE[e.type] ?? { icon: <EditOutlined />, color: 'gray' };
            const sla = SLA_EVENTS.has(e.type);
            const extra = detail(e);
            return {
              key: e.id,
              color: style.color,
              icon: style.icon,
              content: (
                <div data-testid="ticket-event" data-type={e.type} className={sla ? `kefu-event-sla kefu-event-${e.type}` : undefined}>
                  <Space size={8} wrap>
                    <Typography.Text strong style={sla ? { color: e.type === 'sla_at_risk' ? '#d46b08' : '#cf1322' } : undefined}>
                      {eventLabel(t, e.type)}
                    </Typography.Text>
                    {e.visibility === 'customer' && (
                      <Tag color="purple" icon={<EyeOutlined />} data-testid="event-customer-visible">
                        {t('ticket.customerVisible')}
                      </Tag>
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.actor?.name ?? t('ticket.system')} · <span className="kefu-mono">{formatDateTime(e.at)}</span>
                    </Typography.Text>
                  </Space>
                  {extra && (
                    <div>
                      <Typography.Text type="secondary">{extra}</Typography.Text>
                    </div>
                  )}
                  {e.body && <div className={e.visibility === 'customer' ? 'kefu-event-body kefu-event-body-customer' : 'kefu-event-body'}>{e.body}</div>}
                </div>
              ),
            };
          })}
        />
      )}
    </Flex>
  );
}

function NoteForm({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<{ body: string; visibility: 'internal' | 'customer' }>();
  const add = useAddTicketNote(ticketId);
  const visibility = Form.useWatch('visibility', form) ?? 'internal';
  return (
    <Form
      form={form}
      initialValues={{ visibility: 'internal' }}
      onFinish={(v) =>
        add.mutate(
          { body: v.body.trim(), visibility: v.visibility },
          {
            onSuccess: () => {
              form.resetFields(['body']);
              message.success(t('ticket.note.added'));
            },
            onError: notifyError,
          },
        )
      }
    >
      <Form.Item name="body" rules={[{ required: true, whitespace: true, message: t('ticket.note.required') }]} style={{ marginBottom: 8 }}>
        <Input.TextArea
          rows={2}
          maxLength={5000}
          placeholder={visibility === 'customer' ? t('ticket.note.placeholderCustomer') : t('ticket.note.placeholder')}
          data-testid="ticket-note-body"
        />
      </Form.Item>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Form.Item name="visibility" noStyle>
          <Radio.Group
            size="small"
            options={[
              { value: 'internal', label: t('ticket.note.internal') },
              { value: 'customer', label: <span data-testid="ticket-note-customer">{t('ticket.note.customer')}</span> },
            ]}
          />
        </Form.Item>
        <Button type={visibility === 'customer' ? 'primary' : 'default'} htmlType="submit" loading={add.isPending} data-testid="ticket-note-submit">
          {visibility === 'customer' ? t('ticket.note.submitCustomer') : t('ticket.note.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
