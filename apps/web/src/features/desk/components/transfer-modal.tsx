import { useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { TContact } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { useQueues } from '../../contacts/hooks/use-contacts';
import { PRESENCE_BADGES, presenceLabel } from '../../contacts/lib/contact-labels';
import { useTransferContact } from '../hooks/use-desk';

type Values = { kind: 'agent' | 'queue'; agentId?: string; queueId?: string; note?: string };
type AgentOption = { id: string; name: string; state?: string };

type AgentSummary = { id: string; displayName: string; workNumber: string | null; state: string };

/** The brand's agents with their presence (GET /agents, contact:handle), online ones first. */
function useTransferAgents(open: boolean, selfId: string): { options: AgentOption[]; loading: boolean; available: boolean } {
  const agents = useQuery({
    queryKey: ['agents', 'for-transfer'],
    queryFn: ({ signal }) => api.get<{ items: AgentSummary[] }>('/agents', undefined, signal).then((r) => r.items),
    enabled: open,
    staleTime: 10_000,
  });
  const rank = (state: string) => ['online', 'away', 'busy', 'offline'].indexOf(state);
  return {
    options: (agents.data ?? [])
      .filter((a) => a.id !== selfId)
      .sort((a, b) => rank(a.state) - rank(b.state))
      .map((a) => ({ id: a.id, name: a.workNumber ? `${a.displayName}（${a.workNumber}）` : a.displayName, state: a.state })),
    loading: agents.isPending,
    available: !agents.isError,
  };
}

type Props = { contact: TContact | null; agentId: string; onClose: () => void };

/** 转接: to a named agent (offered at once) or back into a queue, with a note for whoever answers. */
export function TransferModal({ contact, agentId, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const open = contact !== null;
  const transfer = useTransferContact(agentId);
  const queues = useQueues(open);
  const agents = useTransferAgents(open, agentId);
  const kind = Form.useWatch('kind', form) ?? 'queue';

  const submit = (values: Values) => {
    if (!contact) return;
    const to = values.kind === 'agent' ? { kind: 'agent' as const, agentId: values.agentId ?? '' } : { kind: 'queue' as const, queueId: values.queueId ?? '' };
    transfer.mutate(
      { contactId: contact.id, body: { to, ...(values.note?.trim() ? { note: values.note.trim() } : {}) } },
      {
        onSuccess: () => {
          message.success(t('desk.transfer.done'));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('desk.transfer.title')}
      okText={t('desk.transfer.submit')}
      onOk={() => form.submit()}
      confirmLoading={transfer.isPending}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && transfer.reset()}
      data-testid="transfer-modal"
    >
      {transfer.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(transfer.error)} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'queue', queueId: contact?.queueId ?? undefined }} preserve={false}>
        <Form.Item name="kind" label={t('desk.transfer.to')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'queue', label: t('desk.transfer.toQueue') },
              { value: 'agent', label: t('desk.transfer.toAgent'), disabled: !agents.available },
            ]}
          />
        </Form.Item>
        {!agents.available && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
            {t('desk.transfer.noAgentList')}
          </Typography.Paragraph>
        )}
        {kind === 'queue' ? (
          <Form.Item name="queueId" label={t('desk.transfer.queue')} rules={[{ required: true, message: t('desk.transfer.queueRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={queues.isPending}
              options={(queues.data ?? []).filter((q) => q.active).map((q) => ({ value: q.id, label: i18n.language === 'en-US' ? q.nameEn : q.nameZh }))}
              data-testid="transfer-queue"
            />
          </Form.Item>
        ) : (
          <Form.Item name="agentId" label={t('desk.transfer.agent')} rules={[{ required: true, message: t('desk.transfer.agentRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'title' }}
              loading={agents.loading}
              options={agents.options.map((a) => ({
                value: a.id,
                title: a.name,
                label: (
                  <Space size={6}>
                    {a.state && <Badge status={PRESENCE_BADGES[a.state] ?? 'default'} />}
                    <span>{a.name}</span>
                    {a.state && <Typography.Text type="secondary">{presenceLabel(t, a.state)}</Typography.Text>}
                  </Space>
                ),
              }))}
              data-testid="transfer-agent"
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('desk.transfer.note')}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('desk.transfer.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
