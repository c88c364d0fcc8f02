import {
  BellOutlined,
  CheckCircleOutlined,
  CheckSquareOutlined,
  EnvironmentOutlined,
  InboxOutlined,
  MessageOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  RollbackOutlined,
  SendOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, type ButtonProps, Card, Flex, Form, Input, Modal, Popconfirm, Radio, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import type { Ticket, TicketAction, TicketActionType } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { ticketKeys, useTicketAction } from '../hooks/use-tickets';
import { actionLabel, mayPerform } from '../lib/ticket-labels';
import { DispatchFields } from './dispatch-fields';

const ACTION_ORDER: TicketActionType[] = [
  'accept_dispatch',
  'arrive',
  'handle',
  'dispatch',
  'reply',
  'follow_up',
  'archive',
  'resolve_at_first_contact',
  'return',
  'urge',
  'pause',
  'resume',
  'reopen',
];

/** Actions recorded with one click: they carry no payload. */
const ONE_CLICK: ReadonlySet<TicketActionType> = new Set(['accept_dispatch', 'arrive', 'resume']);
/** The department's own steps (接单 / 到达现场 / 处理完成 / 退单). */
export const HANDLER_ACTIONS: ReadonlySet<TicketActionType> = new Set(['accept_dispatch', 'arrive', 'handle', 'return']);

const ICONS: Record<TicketActionType, ReactNode> = {
  dispatch: <SendOutlined />,
  accept_dispatch: <CheckSquareOutlined />,
  arrive: <EnvironmentOutlined />,
  handle: <ToolOutlined />,
  return: <RollbackOutlined />,
  reply: <MessageOutlined />,
  resolve_at_first_contact: <CheckCircleOutlined />,
  follow_up: <PhoneOutlined />,
  archive: <InboxOutlined />,
  reopen: <RedoOutlined />,
  urge: <BellOutlined />,
  pause: <PauseCircleOutlined />,
  resume: <PlayCircleOutlined />,
};

/** The actions this user may take on the order now: allowedActions ∩ permissions ∩ the order's state. */
export function availableActions(ticket: Ticket, can: (p: string) => boolean): TicketActionType[] {
  const allowed = new Set(ticket.allowedActions);
  const paused = Boolean(ticket.sla.pausedAt);
  return ACTION_ORDER.filter((a) => {
    if (!allowed.has(a) || !mayPerform(a, can)) return false;
    if (a === 'pause') return !paused;
    if (a === 'resume') return paused;
    if (a === 'arrive') return !ticket.times.arrivedAt && (Boolean(ticket.sla.due.arrive) || ticket.categoryCode.startsWith('fault-repair'));
    return true;
  });
}

function isPrimary(ticket: Ticket, a: TicketActionType): boolean {
  if (a === 'dispatch') return ticket.status === 'accepted' || ticket.status === 'returned';
  return ['accept_dispatch', 'handle', 'reply', 'follow_up', 'archive'].includes(a);
}

export function useActionLabel() {
  const { t } = useTranslation();
  return (ticket: Ticket, a: TicketActionType) => (a === 'dispatch' && ticket.status === 'dispatched' ? t('tickets.action.redispatch') : actionLabel(t, a));
}

/** Runs an action, and turns a version conflict into "someone else changed it, reloaded". */
function useRunAction(ticket: Ticket) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const mutation = useTicketAction(ticket.id);
  const run = (action: TicketAction, onDone?: () => void) =>
    mutation.mutate(
      { action, expectedVersion: ticket.version },
      {
        onSuccess: (updated) => {
          message.success(t('ticket.actionDone', { action: actionLabel(t, action.type), status: t(`tickets.status.${updated.status}`) }));
          onDone?.();
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'ticket.version_conflict') {
            message.warning(t('ticket.versionConflict'));
            void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(ticket.id) });
            void queryClient.invalidateQueries({ queryKey: ticketKeys.events(ticket.id) });
          } else {
            message.error(toMessage(error));
          }
        },
      },
    );
  return { run, mutation };
}

type Layout = 'header' | 'prominent';

/**
 * The buttons of the order's next steps. `prominent` is the department member's big action bar
 * (接单 / 到达现场 / 处理完成 / 退单); `header` lists the rest (or everything for other roles).
 */
export function TicketActionBar({ ticket, layout, only, exclude }: { ticket: Ticket; layout: Layout; only?: ReadonlySet<TicketActionType>; exclude?: ReadonlySet<TicketActionType> }) {
  const { t } = useTranslation();
  const can = useCan();
  const label = useActionLabel();
  const { run, mutation } = useRunAction(ticket);
  const [modal, setModal] = useState<TicketActionType | null>(null);
  const actions = availableActions(ticket, can).filter((a) => (!only || only.has(a)) && !exclude?.has(a));
  if (actions.length === 0 && layout === 'header') return null;

  const size: 'large' | 'middle' = layout === 'prominent' ? 'large' : 'middle';
  const buttons = actions.map((a) => {
    const common = {
      size,
      icon: ICONS[a],
      type: isPrimary(ticket, a) ? ('primary' as const) : ('default' as const),
      danger: a === 'return' || a === 'urge' ? true : undefined,
      loading: mutation.isPending && mutation.variables?.action.type === a,
      'data-testid': `ticket-action-${a}`,
    };
    if (ONE_CLICK.has(a)) {
      return (
        <Button key={a} {...common} onClick={() => run({ type: a } as TicketAction)}>
          {label(ticket, a)}
        </Button>
      );
    }
    if (a === 'archive') {
      return (
        <Popconfirm key={a} title={t('ticket.confirmArchive')} onConfirm={() => run({ type: 'archive' })} okButtonProps={{ 'data-testid': 'ticket-archive-confirm' } as ButtonProps}>
          <Button {...common}>
            {label(ticket, a)}
          </Button>
        </Popconfirm>
      );
    }
    return (
      <Button key={a} {...common} onClick={() => setModal(a)}>
        {label(ticket, a)}
      </Button>
    );
  });

  const modalNode = modal && (
    <ActionModal ticket={ticket} action={modal} onClose={() => setModal(null)} run={run} pending={mutation.isPending} error={mutation.error} />
  );

  if (layout === 'prominent') {
    return (
      <Card variant="borderless" style={{ marginBottom: 16 }} data-testid="ticket-handler-bar">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Flex vertical>
            <Typography.Text strong style={{ fontSize: 16 }}>
              {actions.length ? t('ticket.handlerBar.title') : t('ticket.handlerBar.nothing')}
            </Typography.Text>
            <Typography.Text type="secondary">{t(`ticket.handlerBar.hint.${ticket.status}`, { defaultValue: '' })}</Typography.Text>
          </Flex>
          <Flex gap={12} wrap>
            {buttons}
          </Flex>
        </Flex>
        {modalNode}
      </Card>
    );
  }
  return (
    <>
      {buttons}
      {modalNode}
    </>
  );
}

type ModalValues = {
  departmentId?: string;
  assigneeId?: string;
  note?: string;
  text?: string;
  satisfied?: boolean;
};

/** The payload form of one action (dispatch target, result, reason, reply…). */
function ActionModal({
  ticket,
  action,
  onClose,
  run,
  pending,
  error,
}: {
  ticket: Ticket;
  action: TicketActionType;
  onClose: () => void;
  run: (a: TicketAction, onDone?: () => void) => void;
  pending: boolean;
  error: Error | null;
}) {
  const { t } = useTranslation();
  const label = useActionLabel();
  const [form] = Form.useForm<ModalValues>();
  const toMessage = useErrorMessage();
  const conflict = isApiError(error) && error.code === 'ticket.version_conflict';

  const textRequired = ['handle', 'return', 'reply', 'reopen', 'resolve_at_first_contact'].includes(action);
  const textLabel: Partial<Record<TicketActionType, string>> = {
    handle: t('ticket.payload.result'),
    return: t('ticket.payload.returnReason'),
    reply: t('ticket.payload.reply'),
    reopen: t('ticket.payload.reopenReason'),
    resolve_at_first_contact: t('ticket.payload.resolution'),
    urge: t('ticket.payload.urgeNote'),
    pause: t('ticket.payload.pauseReason'),
    follow_up: t('ticket.payload.followUpNote'),
  };

  const submit = (v: ModalValues) => {
    const text = v.text?.trim() ?? '';
    let payload: TicketAction;
    switch (action) {
      case 'dispatch':
        payload = { type: 'dispatch', departmentId: v.departmentId, ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}), ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
        break;
      case 'handle':
        payload = { type: 'handle', result: text };
        break;
      case 'return':
        payload = { type: 'return', reason: text };
        break;
      case 'reply':
        payload = { type: 'reply', message: text };
        break;
      case 'reopen':
        payload = { type: 'reopen', reason: text };
        break;
      case 'resolve_at_first_contact':
        payload = { type: 'resolve_at_first_contact', resolution: text };
        break;
      case 'follow_up':
        payload = { type: 'follow_up', ...(v.satisfied !== undefined ? { satisfied: v.satisfied } : {}), ...(text ? { note: text } : {}) };
        break;
      case 'urge':
        payload = { type: 'urge', ...(text ? { note: text } : {}) };
        break;
      case 'pause':
        payload = { type: 'pause', ...(text ? { reason: text } : {}) };
        break;
      default:
        payload = { type: action } as TicketAction;
    }
    run(payload, onClose);
  };

  return (
    <Modal
      open
      title={`${label(ticket, action)} · ${ticket.number}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={label(ticket, action)}
      okButtonProps={{ danger: action === 'return', 'data-testid': 'ticket-action-submit' } as ButtonProps}
      confirmLoading={pending}
      destroyOnHidden
      width={action === 'dispatch' ? 560 : 480}
    >
      <div data-testid={`ticket-action-modal-${action}`}>
        {error && !conflict && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(error)} />}
        {conflict && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('ticket.versionConflict')} />}
        {action === 'reply' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('ticket.payload.replyVisible')} />}
        <Form<ModalValues> form={form} layout="vertical" onFinish={submit} preserve={false}>
          {action === 'dispatch' ? (
            <DispatchFields
              categoryCode={ticket.categoryCode}
              areaId={ticket.area?.id}
              priority={ticket.priority}
              currentDepartmentId={ticket.status === 'dispatched' ? ticket.department?.id : undefined}
            />
          ) : (
            <>
              {action === 'follow_up' && (
                <Form.Item name="satisfied" label={t('ticket.payload.satisfied')} rules={[{ required: true, message: t('ticket.payload.satisfiedRequired') }]}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: true, label: <span data-testid="follow-up-satisfied">{t('ticket.payload.satisfiedYes')}</span> },
                      { value: false, label: <span data-testid="follow-up-unsatisfied">{t('ticket.payload.satisfiedNo')}</span> },
                    ]}
                  />
                </Form.Item>
              )}
              <Form.Item
                name="text"
                label={textLabel[action]}
                rules={textRequired ? [{ required: true, whitespace: true, message: t('ticket.payload.textRequired', { field: textLabel[action] ?? '' }) }] : []}
              >
                <Input.TextArea rows={4} maxLength={action === 'handle' || action === 'reply' ? 5000 : 2000} showCount autoFocus data-testid="ticket-action-text" />
              </Form.Item>
            </>
          )}
        </Form>
      </div>
    </Modal>
  );
}
