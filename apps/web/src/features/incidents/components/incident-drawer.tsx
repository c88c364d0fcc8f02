import { CheckCircleOutlined, MessageOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Flex, Form, Input, Modal, Radio, Result, Skeleton, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDepartments } from '../../../api/reference';
import type { Incident, ResolveIncidentResponse } from '../../../api/types';
import { useErrorMessage, useNotifyError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { DepartmentSelect } from '../../tickets/components/dispatch-fields';
import { SlaCountdown, StatusTag } from '../../tickets/components/ticket-badges';
import { useTicketList } from '../../tickets/hooks/use-tickets';
import { useIncident, useResolveIncident, useUpdateIncident } from '../hooks/use-incidents';
import { IncidentStatusTag, useAreaNames } from './incident-status';

/** One incident: what is out, until when, the orders linked to it, and the bulk reply / close. */
export function IncidentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const query = useIncident(id);
  const departments = useDepartments();
  const areaNames = useAreaNames();
  const linked = useTicketList({ incidentId: id ?? undefined }, 100, Boolean(id));
  const [resolving, setResolving] = useState<'reply' | 'close' | null>(null);
  const incident = query.data;
  const rows = linked.data?.pages.flatMap((p) => p.items) ?? [];
  const mayManage = can('ticket:dispatch') && incident && incident.status !== 'closed';

  return (
    <Drawer open={Boolean(id)} onClose={onClose} size={720} title={incident ? `${incident.number} · ${incident.title}` : t('incidents.title')} destroyOnHidden>
      {query.isPending ? (
        <Skeleton active />
      ) : query.isError ? (
        <Alert type="error" showIcon title={toMessage(query.error)} />
      ) : (
        <Flex vertical gap={16} data-testid="incident-drawer">
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'status', label: t('incidents.fields.status'), children: <IncidentStatusTag status={query.data.status} /> },
              { key: 'number', label: t('incidents.fields.number'), children: <span className="kefu-mono">{query.data.number}</span> },
              { key: 'areas', label: t('incidents.fields.areas'), span: 2, children: areaNames(query.data.areaIds).join('、') },
              { key: 'started', label: t('incidents.fields.startedAt'), children: formatDateTime(query.data.startedAt) },
              {
                key: 'restore',
                label: t('incidents.fields.expectedRestoreAt'),
                children: <RestoreTime incident={query.data} editable={Boolean(mayManage) && query.data.status === 'active'} />,
              },
              {
                key: 'dept',
                label: t('incidents.fields.department'),
                children: departments.data?.find((d) => d.id === query.data.departmentId)?.name ?? '—',
              },
              { key: 'count', label: t('incidents.fields.linked'), children: t('incidents.linkedCount', { count: query.data.linkedTickets, open: query.data.openTickets }) },
              { key: 'desc', label: t('incidents.fields.description'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{query.data.description || '—'}</span> },
              ...(query.data.resolution
                ? [{ key: 'res', label: t('incidents.fields.resolution'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{query.data.resolution}</span> }]
                : []),
            ]}
          />
          {mayManage && (
            <Flex gap={8} wrap>
              {query.data.status === 'active' && (
                <Button type="primary" icon={<MessageOutlined />} onClick={() => setResolving('reply')} data-testid="incident-reply">
                  {t('incidents.replyAll')}
                </Button>
              )}
              <Button icon={<CheckCircleOutlined />} onClick={() => setResolving('close')} data-testid="incident-close">
                {t('incidents.closeAll')}
              </Button>
            </Flex>
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('incidents.linkedOrders')}
          </Typography.Title>
          {linked.isPending ? (
            <Skeleton active />
          ) : rows.length === 0 ? (
            <Typography.Text type="secondary">{t('incidents.noLinked')}</Typography.Text>
          ) : (
            <Flex vertical gap={6}>
              {rows.map((r) => (
                <Flex key={r.id} justify="space-between" align="center" gap={8} className="kefu-pick-row">
                  <Space size={8} wrap>
                    <Link to={`/tickets/${r.id}`} className="kefu-mono">
                      {r.number}
                    </Link>
                    <StatusTag status={r.status} />
                    <Typography.Text>{r.customerName}</Typography.Text>
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
                      {r.title}
                    </Typography.Text>
                  </Space>
                  <SlaCountdown state={r.slaState} dueAt={r.nextDueAt} />
                </Flex>
              ))}
            </Flex>
          )}
          {resolving && <ResolveModal incident={query.data} mode={resolving} onClose={() => setResolving(null)} />}
        </Flex>
      )}
    </Drawer>
  );
}

function RestoreTime({ incident, editable }: { incident: Incident; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const update = useUpdateIncident(incident.id);
  if (!editable) return <>{formatDateTime(incident.expectedRestoreAt)}</>;
  return (
    <DatePicker
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      size="small"
      value={incident.expectedRestoreAt ? dayjs(incident.expectedRestoreAt) : null}
      onChange={(v) =>
        update.mutate(
          { expectedRestoreAt: v ? v.second(0).millisecond(0).format() : null },
          { onSuccess: () => message.success(t('incidents.restoreUpdated')), onError: notifyError },
        )
      }
      data-testid="incident-restore"
    />
  );
}

type ResolveValues = { mode: 'reply' | 'close'; departmentId: string; result: string; message: string; followUpNote?: string };

/** 回复全部 / 关闭事件: every linked order is answered (or closed) with its own timeline entries. */
function ResolveModal({ incident, mode, onClose }: { incident: Incident; mode: 'reply' | 'close'; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResolveValues>();
  const resolve = useResolveIncident(incident.id);
  const toMessage = useErrorMessage();
  const [done, setDone] = useState<ResolveIncidentResponse | null>(null);
  const chosen = Form.useWatch('mode', form) ?? mode;
  return (
    <Modal
      open
      title={t('incidents.resolveTitle', { number: incident.number })}
      onCancel={onClose}
      width={600}
      destroyOnHidden
      footer={done ? <Button onClick={onClose}>{t('common.done')}</Button> : undefined}
      onOk={() => form.submit()}
      okText={chosen === 'close' ? t('incidents.closeAll') : t('incidents.replyAll')}
      confirmLoading={resolve.isPending}
    >
      {done ? (
        <Result
          status={done.counts.refused ? 'warning' : 'success'}
          title={t('incidents.resolved', { updated: done.counts.updated, unchanged: done.counts.unchanged, refused: done.counts.refused })}
        />
      ) : (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('incidents.resolveHint', { count: incident.linkedTickets })} />
          {resolve.isError && <Alert type="error" showIcon title={toMessage(resolve.error)} style={{ marginBottom: 16 }} />}
          <Form<ResolveValues>
            form={form}
            layout="vertical"
            preserve={false}
            initialValues={{ mode, departmentId: incident.departmentId ?? undefined, result: incident.resolution ?? '' }}
            onFinish={(v) =>
              resolve.mutate(
                {
                  mode: v.mode,
                  departmentId: v.departmentId,
                  result: v.result.trim(),
                  message: v.message.trim(),
                  ...(v.mode === 'close' && v.followUpNote?.trim() ? { followUpNote: v.followUpNote.trim() } : {}),
                },
                { onSuccess: setDone },
              )
            }
          >
            <Form.Item name="mode" label={t('incidents.fields.mode')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'reply', label: t('incidents.modeReply'), disabled: incident.status !== 'active' },
                  { value: 'close', label: t('incidents.modeClose') },
                ]}
              />
            </Form.Item>
            <Form.Item name="departmentId" label={t('incidents.fields.department')} rules={[{ required: true, message: t('tickets.validation.departmentRequired') }]}>
              <DepartmentSelect />
            </Form.Item>
            <Form.Item name="result" label={t('incidents.fields.result')} rules={[{ required: true, whitespace: true, message: t('incidents.validation.result') }]}>
              <Input.TextArea rows={2} maxLength={2000} placeholder={t('incidents.placeholders.result')} />
            </Form.Item>
            <Form.Item name="message" label={t('incidents.fields.message')} rules={[{ required: true, whitespace: true, message: t('incidents.validation.message') }]}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('incidents.placeholders.message')} />
            </Form.Item>
            {chosen === 'close' && (
              <Form.Item name="followUpNote" label={t('incidents.fields.followUpNote')} rules={[{ required: true, whitespace: true, message: t('incidents.validation.followUpNote') }]}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            )}
          </Form>
        </>
      )}
    </Modal>
  );
}
