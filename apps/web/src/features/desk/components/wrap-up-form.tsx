import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type TContact, WRAP_UP_OUTCOMES, type WrapUpOutcome } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { useDebounced, useSuggestions } from '../../classify/hooks/use-classify';
import { SuggestionChips } from '../../classify/components/suggestion-chips';
import { useConversationMessages, useReasonCodes } from '../../contacts/hooks/use-contacts';
import { buildReasonTree, outcomeLabel } from '../../contacts/lib/contact-labels';
import { useWrapUp } from '../hooks/use-desk';

type Values = { reasonCode?: string; outcome: WrapUpOutcome; note?: string };

/** 话后小结: why the customer got in touch and how it ended; the contact closes (and its tab with it) once saved. */
export function WrapUpForm({ contact, agentId }: { contact: TContact; agentId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const codes = useReasonCodes();
  const wrapUp = useWrapUp(agentId);
  const tree = useMemo(() => buildReasonTree(codes.data ?? [], i18n.language), [codes.data, i18n.language]);
  // Suggested reasons (联络原因分类) from what the customer wrote plus the agent's note.
  const messages = useConversationMessages(contact.conversationId);
  const note = Form.useWatch('note', form);
  const reasonCode = Form.useWatch('reasonCode', form);
  const customerText = useMemo(
    () => (messages.data ?? []).filter((m) => m.senderType === 'customer' && !m.internal && m.kind === 'text').map((m) => m.body).join('\n'),
    [messages.data],
  );
  const suggestText = useDebounced(`${customerText}\n${note ?? ''}`.trim().slice(-5000), 500);
  const suggestions = useSuggestions(suggestText, { target: 'reason_code', limit: 3 });
  // A sensible default: an order was created, the contact came by transfer, an abusive session was closed, or resolved.
  const initialOutcome: WrapUpOutcome =
    contact.ticketIds.length > 0 ? 'ticket_created' : contact.abuse?.stage === 'closed' ? 'unresolved' : contact.transferCount > 0 ? 'transferred' : 'resolved';

  const submit = (values: Values) => {
    if (!values.reasonCode) return;
    wrapUp.mutate(
      {
        contactId: contact.id,
        body: { reasonCode: values.reasonCode, outcome: values.outcome, ...(values.note?.trim() ? { note: values.note.trim() } : {}) },
      },
      { onSuccess: () => message.success(t('desk.wrapUp.done')) },
    );
  };

  return (
    <Card size="small" variant="outlined" style={{ borderColor: '#d3adf7', background: '#f9f0ff' }} data-testid="wrap-up-form">
      <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
        {t('desk.wrapUp.title')}
      </Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('desk.wrapUp.hint')}
      </Typography.Paragraph>
      {wrapUp.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(wrapUp.error)} />}
      {codes.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={toMessage(codes.error)} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ outcome: initialOutcome }}>
        <Row gutter={12}>
          <Col xs={24} md={14}>
            <SuggestionChips
              items={suggestions.data?.reasonCodes ?? []}
              selected={reasonCode}
              onPick={(code) => form.setFieldsValue({ reasonCode: code })}
              label={t('classify.suggestedReasons')}
              data-testid="wrap-up-suggested"
            />
            <Form.Item name="reasonCode" label={t('desk.wrapUp.reason')} rules={[{ required: true, message: t('desk.wrapUp.reasonRequired') }]}>
              <TreeSelect
                treeData={tree}
                loading={codes.isPending}
                showSearch={{ treeNodeFilterProp: 'title' }}
                treeDefaultExpandAll
                placeholder={t('desk.wrapUp.reasonPlaceholder')}
                popupMatchSelectWidth={false}
                data-testid="wrap-up-reason"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="outcome" label={t('desk.wrapUp.outcome')}>
              <Select options={WRAP_UP_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(t, o) }))} data-testid="wrap-up-outcome" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('desk.wrapUp.note')}>
          <Input.TextArea rows={2} maxLength={2000} showCount data-testid="wrap-up-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<CheckCircleOutlined />} loading={wrapUp.isPending} data-testid="wrap-up-submit">
          {t('desk.wrapUp.submit')}
        </Button>
      </Form>
    </Card>
  );
}
