import { CheckOutlined, ClockCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Empty, Flex, Form, Input, Modal, Radio, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CallbackTask } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { CallButton } from '../../calls/components/call-button';
import { useNow } from '../../tickets/lib/sla';
import { useCompleteCallback, useOpenCallbacks } from '../hooks/use-desk';

type CompleteValues = { outcome: string; status: 'done' | 'cancelled' };

function CompleteModal({ task, onClose }: { task: CallbackTask | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<CompleteValues>();
  const complete = useCompleteCallback();
  return (
    <Modal
      open={task !== null}
      title={t('desk.callbacks.completeTitle', { name: task?.name ?? task?.phone ?? '' })}
      okText={t('desk.callbacks.complete')}
      confirmLoading={complete.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && complete.reset()}
    >
      {complete.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(complete.error)} />}
      <Form<CompleteValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ status: 'done' }}
        onFinish={(values) => {
          if (!task) return;
          complete.mutate(
            { id: task.id, outcome: values.outcome.trim(), status: values.status },
            {
              onSuccess: () => {
                message.success(t('desk.callbacks.completed'));
                onClose();
              },
            },
          );
        }}
      >
        <Form.Item name="status" label={t('desk.callbacks.result')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'done', label: t('desk.callbacks.statusDone') },
              { value: 'cancelled', label: t('desk.callbacks.statusCancelled') },
            ]}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('desk.callbacks.outcome')} rules={[{ required: true, whitespace: true, message: t('desk.callbacks.outcomeRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('desk.callbacks.outcomePlaceholder')} data-testid="callback-outcome" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 回呼任务: callbacks and messages left while nobody could answer, soonest due first. */
export function CallbacksDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const now = useNow(30_000);
  const list = useOpenCallbacks();
  const [completing, setCompleting] = useState<CallbackTask | null>(null);
  const rows = [...(list.data ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));

  return (
    <Drawer open={open} onClose={onClose} size={480} title={t('desk.callbacks.title')} data-testid="callbacks-drawer">
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" showIcon title={toMessage(list.error)} />
      ) : rows.length === 0 ? (
        <Empty description={t('desk.callbacks.none')} />
      ) : (
        <Flex vertical gap={12}>
          {rows.map((task) => {
            const overdue = Date.parse(task.dueAt) <= now;
            return (
              <Card key={task.id} size="small" data-testid="callback-task" data-overdue={overdue ? 'true' : undefined}>
                <Flex justify="space-between" align="flex-start" gap={12}>
                  <Flex vertical gap={4} style={{ minWidth: 0 }}>
                    <Space size={6} wrap>
                      <Tag color={task.kind === 'callback' ? 'blue' : 'cyan'}>{t(`desk.callbacks.kind.${task.kind}`, { defaultValue: task.kind })}</Tag>
                      <Typography.Text strong>{task.name ?? t('contacts.anonymous')}</Typography.Text>
                      {task.phone && (
                        <Typography.Text className="kefu-mono" copyable>
                          {task.phone}
                        </Typography.Text>
                      )}
                    </Space>
                    {task.message && <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{task.message}</Typography.Paragraph>}
                    <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                      <ClockCircleOutlined /> {t(overdue ? 'desk.callbacks.overdue' : 'desk.callbacks.due', { time: formatDateTime(task.dueAt), relative: formatRelative(task.dueAt) })}
                    </Typography.Text>
                    {task.customerId && (
                      <Link to={`/customers/${task.customerId}`} target="_blank" style={{ fontSize: 12 }}>
                        {t('desk.customer.open')}
                      </Link>
                    )}
                  </Flex>
                  <Flex vertical gap={6}>
                    {task.phone && <CallButton size="small" target={{ callbackTaskId: task.id }} telFallback={task.phone} />}
                    <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setCompleting(task)} data-testid="callback-complete">
                      {t('desk.callbacks.complete')}
                    </Button>
                  </Flex>
                </Flex>
              </Card>
            );
          })}
        </Flex>
      )}
      <CompleteModal task={completing} onClose={() => setCompleting(null)} />
    </Drawer>
  );
}
