import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Table, type TableColumnsType, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../api/client';
import type { BulkDispatchResponse, BulkDispatchResult } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useBulkDispatch } from '../hooks/use-tickets';
import { DepartmentSelect, MemberSelect } from './dispatch-fields';
import { StatusTag } from './ticket-badges';

export const BULK_DISPATCH_MAX = 200;

type Values = { mode: 'rules' | 'department'; departmentId?: string; assigneeId?: string; instructions?: string };

/** The message of one failed order of a bulk dispatch, translated like any API error. */
export function useBulkErrorMessage(): (r: BulkDispatchResult) => string {
  const toMessage = useErrorMessage();
  return (r) => (r.error ? toMessage(new ApiError(409, r.error)) : '');
}

/**
 * 批量派单: sends the chosen orders to one department (optionally one person), or lets the dispatch
 * rules choose per order; then lists the result of every order (which failed and why).
 */
export function BulkDispatchModal({
  open,
  ticketIds,
  numbers,
  onClose,
  onDone,
}: {
  open: boolean;
  ticketIds: string[];
  /** Order numbers by id, for results the server answers without one. */
  numbers: Record<string, string>;
  onClose: () => void;
  onDone: (result: BulkDispatchResponse) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form);
  const departmentId = Form.useWatch('departmentId', form) as string | undefined;
  const mutation = useBulkDispatch();
  const toMessage = useErrorMessage();
  const errorOf = useBulkErrorMessage();
  const result = mutation.data;

  const close = () => {
    mutation.reset();
    onClose();
  };

  const submit = (v: Values) => {
    mutation.mutate(
      {
        ticketIds,
        ...(v.mode === 'department' && v.departmentId ? { departmentId: v.departmentId } : {}),
        ...(v.mode === 'department' && v.assigneeId ? { assigneeId: v.assigneeId } : {}),
        ...(v.instructions?.trim() ? { instructions: v.instructions.trim() } : {}),
      },
      { onSuccess: onDone },
    );
  };

  const failed = result ? result.results.length - result.dispatched : 0;
  const columns: TableColumnsType<BulkDispatchResult> = [
    {
      title: t('tickets.fields.number'),
      key: 'number',
      width: 170,
      render: (_, r) => (
        <Link to={`/tickets/${r.ticketId}`} className="kefu-mono">
          {r.number ?? numbers[r.ticketId] ?? r.ticketId.slice(0, 8)}
        </Link>
      ),
    },
    {
      title: t('dispatch.result.outcome'),
      key: 'ok',
      width: 110,
      render: (_, r) =>
        r.ok ? (
          <Typography.Text type="success">
            <CheckCircleFilled /> {t('dispatch.result.ok')}
          </Typography.Text>
        ) : (
          <Typography.Text type="danger">
            <CloseCircleFilled /> {t('dispatch.result.failed')}
          </Typography.Text>
        ),
    },
    {
      title: t('dispatch.result.detail'),
      key: 'detail',
      render: (_, r) => (r.ok ? r.status ? <StatusTag status={r.status} /> : '—' : <Typography.Text type="danger">{errorOf(r)}</Typography.Text>),
    },
  ];

  return (
    <Modal
      open={open}
      title={result ? t('dispatch.result.title') : t('dispatch.bulk.title', { count: ticketIds.length })}
      onCancel={close}
      width={result ? 680 : 560}
      destroyOnHidden
      footer={
        result ? (
          <Button type="primary" onClick={close} data-testid="bulk-dispatch-done">
            {t('common.done')}
          </Button>
        ) : (
          <>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" loading={mutation.isPending} onClick={() => form.submit()} data-testid="bulk-dispatch-submit">
              {t('dispatch.bulk.submit', { count: ticketIds.length })}
            </Button>
          </>
        )
      }
    >
      <div data-testid="bulk-dispatch-modal">
        {result ? (
          <div data-testid="bulk-dispatch-results" data-dispatched={result.dispatched} data-failed={failed}>
            <Alert
              type={failed === 0 ? 'success' : result.dispatched === 0 ? 'error' : 'warning'}
              showIcon
              style={{ marginBottom: 16 }}
              title={failed === 0 ? t('dispatch.result.allOk', { count: result.dispatched }) : t('dispatch.result.someFailed', { ok: result.dispatched, failed })}
              description={failed > 0 ? t('dispatch.result.failedKept') : undefined}
            />
            <Table<BulkDispatchResult>
              rowKey="ticketId"
              size="small"
              columns={columns}
              dataSource={[...result.results].sort((a, b) => Number(a.ok) - Number(b.ok))}
              pagination={result.results.length > 10 ? { pageSize: 10, size: 'small' } : false}
              onRow={(r) => ({ 'data-testid': 'bulk-dispatch-result', 'data-ticket-id': r.ticketId, 'data-ok': String(r.ok) }) as HTMLAttributes<HTMLTableRowElement>}
            />
          </div>
        ) : (
          <>
            {mutation.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(mutation.error)} />}
            <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'rules' }} preserve={false}>
              <Form.Item name="mode" label={t('dispatch.bulk.target')}>
                <Radio.Group
                  style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                  options={[
                    {
                      value: 'rules',
                      label: (
                        <span data-testid="bulk-dispatch-mode-rules">
                          {t('dispatch.bulk.byRules')}
                          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                            {t('dispatch.bulk.byRulesHint')}
                          </Typography.Text>
                        </span>
                      ),
                    },
                    { value: 'department', label: <span data-testid="bulk-dispatch-mode-department">{t('dispatch.bulk.toDepartment')}</span> },
                  ]}
                />
              </Form.Item>
              {mode === 'department' && (
                <>
                  <Form.Item name="departmentId" label={t('tickets.dispatch.department')} rules={[{ required: true, message: t('tickets.validation.departmentRequired') }]}>
                    <DepartmentSelect data-testid="bulk-dispatch-department" onChange={(v) => form.setFieldsValue({ departmentId: v, assigneeId: undefined })} />
                  </Form.Item>
                  <Form.Item name="assigneeId" label={t('tickets.dispatch.assignee')}>
                    <MemberSelect departmentId={departmentId} data-testid="bulk-dispatch-assignee" />
                  </Form.Item>
                </>
              )}
              <Form.Item name="instructions" label={t('tickets.dispatch.note')} style={{ marginBottom: 0 }}>
                <Input.TextArea rows={2} maxLength={2000} placeholder={t('tickets.dispatch.notePlaceholder')} data-testid="bulk-dispatch-instructions" />
              </Form.Item>
            </Form>
          </>
        )}
      </div>
    </Modal>
  );
}
