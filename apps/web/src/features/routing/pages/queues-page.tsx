import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Col, Drawer, Flex, Form, Input, InputNumber, Row, Select, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { ContactChannel, TQueue, UpdateQueueRequest } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { useQueues } from '../../contacts/hooks/use-contacts';
import { contactChannelLabel } from '../../contacts/lib/contact-labels';
import { useCalendars } from '../../settings/hooks/use-sla-settings';
import { PageHeader } from '../../shell/components/page-header';

const CHANNELS: readonly ContactChannel[] = ['chat', 'call', 'wechat', 'sms', 'email', 'walk_in', 'outbound'];
const OVERFLOW = ['leave_message', 'callback'] as const;

type Values = Required<Omit<UpdateQueueRequest, 'calendarId'>> & { calendarId: string | null };

function useUpdateQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateQueueRequest }) => api.patch<TQueue>(`/queues/${encodeURIComponent(id)}`, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['queues'] }),
  });
}

function seconds(t: (k: string, o?: Record<string, unknown>) => string, n: number) {
  return t('queues.seconds', { count: n });
}

function QueueDrawer({ queue, onClose }: { queue: TQueue | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const update = useUpdateQueue();
  const calendars = useCalendars(queue !== null);

  const submit = (values: Values) => {
    if (!queue) return;
    const body: UpdateQueueRequest = { ...values, requiredSkills: values.requiredSkills.map((s) => s.trim().toLowerCase()).filter(Boolean) };
    update.mutate(
      { id: queue.id, body },
      {
        onSuccess: () => {
          message.success(t('queues.saved'));
          onClose();
        },
      },
    );
  };

  const number = (name: keyof Values, label: string, min: number, max: number, suffix?: string) => (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={label} rules={[{ required: true }]}>
        <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} suffix={suffix} />
      </Form.Item>
    </Col>
  );

  return (
    <Drawer
      open={queue !== null}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={queue ? t('queues.editTitle', { name: i18n.language === 'en-US' ? queue.nameEn : queue.nameZh }) : ''}
      afterOpenChange={(v) => !v && update.reset()}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="queue-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
      data-testid="queue-drawer"
    >
      {update.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(update.error)} />}
      {queue && (
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={{
            nameZh: queue.nameZh,
            nameEn: queue.nameEn,
            channels: queue.channels,
            requiredSkills: queue.requiredSkills,
            calendarId: queue.calendarId,
            maxWaitSeconds: queue.maxWaitSeconds,
            accountManagerWaitSeconds: queue.accountManagerWaitSeconds,
            afterHoursAction: queue.afterHoursAction,
            overflowAction: queue.overflowAction,
            callbackWithinMinutes: queue.callbackWithinMinutes,
            serviceLevelSeconds: queue.serviceLevelSeconds,
            offerTimeoutSeconds: queue.offerTimeoutSeconds,
            maxOffers: queue.maxOffers,
            active: queue.active,
          }}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="nameZh" label={t('queues.fields.nameZh')} rules={[{ required: true, whitespace: true, max: 60 }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="nameEn" label={t('queues.fields.nameEn')} rules={[{ required: true, whitespace: true, max: 60 }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="channels" label={t('queues.fields.channels')} rules={[{ required: true, type: 'array', min: 1, message: t('queues.channelsRequired') }]}>
            <Select mode="multiple" options={CHANNELS.map((c) => ({ value: c, label: contactChannelLabel(t, c) }))} />
          </Form.Item>
          <Form.Item
            name="requiredSkills"
            label={t('queues.fields.requiredSkills')}
            tooltip={t('queues.skillsHint')}
            rules={[{ validator: async (_, v: string[] = []) => (v.every((s) => /^[a-z0-9-]{1,40}$/.test(s.trim().toLowerCase())) ? undefined : Promise.reject(new Error(t('queues.skillsInvalid')))) }]}
          >
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
          <Form.Item name="calendarId" label={t('queues.fields.calendar')} tooltip={t('queues.calendarHint')}>
            <Select allowClear loading={calendars.isPending} options={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))} placeholder={t('queues.alwaysOpen')} />
          </Form.Item>
          <Row gutter={16}>
            {number('serviceLevelSeconds', t('queues.fields.serviceLevelSeconds'), 5, 3600, t('queues.unitSeconds'))}
            {number('maxWaitSeconds', t('queues.fields.maxWaitSeconds'), 10, 86_400, t('queues.unitSeconds'))}
            {number('offerTimeoutSeconds', t('queues.fields.offerTimeoutSeconds'), 5, 300, t('queues.unitSeconds'))}
            {number('maxOffers', t('queues.fields.maxOffers'), 1, 20)}
            {number('accountManagerWaitSeconds', t('queues.fields.accountManagerWaitSeconds'), 0, 3600, t('queues.unitSeconds'))}
            {number('callbackWithinMinutes', t('queues.fields.callbackWithinMinutes'), 5, 10_080, t('queues.unitMinutes'))}
            <Col xs={24} sm={12}>
              <Form.Item name="overflowAction" label={t('queues.fields.overflowAction')}>
                <Select options={OVERFLOW.map((o) => ({ value: o, label: t(`queues.overflow.${o}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="afterHoursAction" label={t('queues.fields.afterHoursAction')}>
                <Select options={OVERFLOW.map((o) => ({ value: o, label: t(`queues.overflow.${o}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="active" label={t('queues.fields.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}

/** 队列管理: the queues contacts wait in — channels, skills, hours, service level target, overflow. */
export function QueuesPage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const toMessage = useErrorMessage();
  const queues = useQueues();
  const [editing, setEditing] = useState<TQueue | null>(null);

  const columns: TableColumnsType<TQueue> = [
    {
      title: t('queues.fields.name'),
      key: 'name',
      render: (_, q) => (
        <Flex vertical>
          <Typography.Text strong>{i18n.language === 'en-US' ? q.nameEn : q.nameZh}</Typography.Text>
          <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
            {q.code}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('queues.fields.channels'),
      key: 'channels',
      render: (_, q) => (
        <Space size={[4, 4]} wrap>
          {q.channels.map((c) => (
            <Tag key={c} style={{ marginInlineEnd: 0 }}>
              {contactChannelLabel(t, c)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('queues.fields.requiredSkills'),
      key: 'skills',
      render: (_, q) => (q.requiredSkills.length ? q.requiredSkills.map((s) => <Tag key={s}>{s}</Tag>) : '—'),
    },
    { title: t('queues.fields.serviceLevelSeconds'), key: 'sl', width: 110, render: (_, q) => seconds(t, q.serviceLevelSeconds) },
    { title: t('queues.fields.maxWaitSeconds'), key: 'wait', width: 110, render: (_, q) => seconds(t, q.maxWaitSeconds) },
    { title: t('queues.fields.overflowAction'), key: 'overflow', width: 110, render: (_, q) => t(`queues.overflow.${q.overflowAction}`, { defaultValue: q.overflowAction }) },
    {
      title: t('queues.fields.active'),
      key: 'active',
      width: 90,
      render: (_, q) => (q.active ? <Badge status="success" text={t('queues.active')} /> : <Badge status="default" text={t('queues.inactive')} />),
    },
    ...(can('routing:manage')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, q: TQueue) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(q)} data-testid="queue-edit">
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.queues')}
        subTitle={t('queues.subtitle')}
        breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.queues') }]}
        extra={
          <Button icon={<ReloadOutlined />} loading={queues.isFetching} onClick={() => void queues.refetch()}>
            {t('common.refresh')}
          </Button>
        }
      />
      <Card variant="borderless">
        {queues.isError && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(queues.error)} />}
        <Table<TQueue> rowKey="id" loading={queues.isPending} columns={columns} dataSource={queues.data ?? []} pagination={false} scroll={{ x: 900 }} data-testid="queues-table" />
      </Card>
      <QueueDrawer queue={editing} onClose={() => setEditing(null)} />
    </>
  );
}
