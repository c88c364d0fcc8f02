import { ExclamationCircleOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Drawer, Flex, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { type CreateTicketRequest, TICKET_CHANNELS, TICKET_PRIORITIES, type TicketChannel, type TicketPriority } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { cleanList, formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { SuggestionChips } from '../../classify/components/suggestion-chips';
import { useDebounced, useSuggestions } from '../../classify/hooks/use-classify';
import { useMatchingIncidents } from '../../incidents/hooks/use-incidents';
import { useCreateTicket, useTicketCategories, useTicketList } from '../hooks/use-tickets';
import { categoryFields, channelLabel, fieldLabel, isLeafCategory, priorityLabel } from '../lib/ticket-labels';
import { CategoryCascader } from './category-cascader';
import { ChooseOrderToUrgeModal } from './choose-order-to-urge-modal';
import { CustomFieldInputs, toFieldValues } from './custom-fields';
import { CustomerSelect, type PickedCustomer } from './customer-select';
import { DispatchFields } from './dispatch-fields';
import { StatusTag } from './ticket-badges';

type Handling = 'accept' | 'resolve' | 'dispatch';

type FormValues = {
  customerId?: string;
  categoryCode?: string;
  fields?: Record<string, unknown>;
  priority?: TicketPriority;
  channel: TicketChannel;
  title?: string;
  description: string;
  tags?: string[];
  handling: Handling;
  incidentId?: string;
  resolution?: string;
  departmentId?: string;
  assigneeId?: string;
  note?: string;
};

type Props = {
  open: boolean;
  onClose: () => void;
  /** Pre-fills the customer (opened from the customer's page or a call). */
  customer?: PickedCustomer;
  /** The live contact (call, chat) the order is created from: linked to it and counted for its wrap-up. */
  originContactId?: string;
  /** Pre-fills the description (e.g. what the customer wrote in the chat). */
  initialDescription?: string;
  initialChannel?: TicketChannel;
  /** Called instead of opening the new order (the agent desktop stays on the conversation). */
  onCreated?: (ticket: { id: string; number: string; outcome: 'created' | 'urged' }) => void;
};

/** 新建工单: customer, category with its custom fields, and what happens next (受理 / 一次办结 / 立即派单). */
export function CreateTicketDrawer({ open, onClose, customer, originContactId, initialDescription, initialChannel, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateTicket();
  const categories = useTicketCategories(open);
  const [picked, setPicked] = useState<PickedCustomer | undefined>(customer);
  const [urgeCandidates, setUrgeCandidates] = useState<string[]>([]);
  useEffect(() => {
    if (open) setPicked(customer);
  }, [open, customer]);

  const customerId = Form.useWatch('customerId', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const priority = Form.useWatch('priority', form);
  const handling = Form.useWatch('handling', form) ?? 'accept';
  // Suggested categories (联络原因分类) from the title and description as they are typed.
  const title = Form.useWatch('title', form);
  const description = Form.useWatch('description', form);
  const suggestText = useDebounced(`${title ?? ''}\n${description ?? ''}`.trim().slice(0, 5000), 500);
  const suggestions = useSuggestions(suggestText, { target: 'ticket_category', limit: 3, enabled: open });
  const tree = categories.data ?? [];
  const fields = useMemo(() => categoryFields(tree, categoryCode), [tree, categoryCode]);

  // The caller's open orders, the moment the customer is identified: urge instead of duplicating.
  const openOrders = useTicketList({ customerId, open: 'true' }, 5, open && Boolean(customerId));
  const openRows = openOrders.data?.pages[0]?.items ?? [];
  // A contact from an area with an active outage (停电事件) is offered to join it.
  const incidents = useMatchingIncidents(picked?.areaId, isLeafCategory(tree, categoryCode) ? categoryCode : undefined, open);
  const matches = incidents.data ?? [];
  useEffect(() => {
    const first = incidents.data?.[0];
    if (first && form.getFieldValue('incidentId') === undefined) form.setFieldsValue({ incidentId: first.id });
  }, [incidents.data, form]);

  const close = () => {
    onClose();
  };

  const finish = (id: string, number: string, outcome: 'created' | 'urged') => {
    if (outcome === 'urged') message.warning({ content: t('tickets.create.urgedInstead', { number }), duration: 6 });
    else message.success(t('tickets.create.created', { number }));
    form.resetFields();
    onClose();
    if (onCreated) onCreated({ id, number, outcome });
    else navigate(`/tickets/${id}`);
  };

  const submit = (values: FormValues) => {
    if (!values.customerId || !values.categoryCode) return;
    const body: CreateTicketRequest = {
      customerId: values.customerId,
      categoryCode: values.categoryCode,
      channel: values.channel,
      description: values.description.trim(),
      ...(values.priority ? { priority: values.priority } : {}),
      ...(values.title?.trim() ? { title: values.title.trim() } : {}),
      ...(values.tags?.length ? { tags: cleanList(values.tags) } : {}),
      ...(values.incidentId && matches.some((m) => m.id === values.incidentId) ? { incidentId: values.incidentId } : {}),
      ...(originContactId ? { originContactId } : {}),
    };
    const fieldValues = toFieldValues(fields, values.fields);
    if (Object.keys(fieldValues).length) body.fields = fieldValues;
    if (values.handling === 'resolve' && values.resolution?.trim()) body.resolveAtFirstContact = { resolution: values.resolution.trim() };
    if (values.handling === 'dispatch') {
      // Only dispatchers choose the target; for everyone else the dispatch rules do (server-enforced).
      const mayChoose = can('ticket:dispatch');
      body.dispatch = {
        ...(mayChoose && values.departmentId ? { departmentId: values.departmentId } : {}),
        ...(mayChoose && values.assigneeId ? { assigneeId: values.assigneeId } : {}),
        ...(values.note?.trim() ? { note: values.note.trim() } : {}),
      };
    }
    create.mutate(body, {
      onSuccess: (ticket) => finish(ticket.id, ticket.number, ticket.outcome),
      onError: (error) => {
        if (!isApiError(error)) return;
        if (error.code === 'ticket.choose_order_to_urge') {
          const ids = (error.details as { ticketIds?: string[] } | undefined)?.ticketIds ?? [];
          setUrgeCandidates(ids);
        } else if (error.code === 'ticket.invalid_fields') {
          const problems = (error.details as { problems?: { key: string; problem: string }[] } | undefined)?.problems ?? [];
          form.setFields(
            problems
              .filter((p) => fields.some((f) => f.key === p.key))
              .map((p) => {
                const f = fields.find((x) => x.key === p.key);
                const label = f ? fieldLabel(i18n.language, f) : p.key;
                return { name: ['fields', p.key], errors: [t(`tickets.fieldProblem.${p.problem}`, { field: label, defaultValue: p.problem })] };
              }),
          );
        }
      },
    });
  };

  return (
    <Drawer
      open={open}
      size={760}
      title={t('tickets.create.title')}
      onClose={close}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (!visible) {
          create.reset();
          setUrgeCandidates([]);
        }
      }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="ticket-create-submit">
            {handling === 'dispatch' ? t('tickets.create.submitDispatch') : handling === 'resolve' ? t('tickets.create.submitResolve') : t('tickets.create.submit')}
          </Button>
        </Flex>
      }
      data-testid="ticket-create-drawer"
    >
      {create.isError && !(isApiError(create.error) && create.error.code === 'ticket.choose_order_to_urge') && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={toMessage(create.error)} data-testid="ticket-create-error" />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ customerId: customer?.id, channel: initialChannel ?? 'phone', handling: 'accept', tags: [], description: initialDescription }}
        scrollToFirstError
      >
        <Form.Item name="customerId" label={t('tickets.fields.customer')} rules={[{ required: true, message: t('tickets.validation.customerRequired') }]}>
          <CustomerSelect initial={customer} onPick={setPicked} />
        </Form.Item>
        {customerId && openRows.length > 0 && (
          <Alert
            type="warning"
            showIcon
            icon={<ExclamationCircleOutlined />}
            style={{ marginTop: -8, marginBottom: 16 }}
            title={t('tickets.create.customerHasOpen', { count: openRows.length })}
            description={
              <Flex vertical gap={4}>
                {openRows.map((r) => (
                  <Space key={r.id} size={8} wrap>
                    <Link to={`/tickets/${r.id}`} target="_blank" className="kefu-mono">
                      {r.number}
                    </Link>
                    <StatusTag status={r.status} />
                    <Typography.Text type="secondary">{r.categoryName}</Typography.Text>
                    <Typography.Text ellipsis style={{ maxWidth: 220 }}>
                      {r.title}
                    </Typography.Text>
                  </Space>
                ))}
                <Typography.Text type="secondary">{t('tickets.create.urgeHint')}</Typography.Text>
              </Flex>
            }
            data-testid="ticket-create-open-orders"
          />
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="categoryCode"
              label={t('tickets.fields.category')}
              rules={[
                { required: true, message: t('tickets.validation.categoryRequired') },
                { validator: async (_, v?: string) => (!v || isLeafCategory(tree, v) ? undefined : Promise.reject(new Error(t('tickets.validation.categoryLeaf')))) },
              ]}
            >
              <CategoryCascader data-testid="ticket-form-category" />
            </Form.Item>
            <SuggestionChips
              items={suggestions.data?.categories ?? []}
              selected={categoryCode}
              onPick={(code) => form.setFieldsValue({ categoryCode: code })}
              label={t('classify.suggestedCategories')}
              data-testid="ticket-form-suggested-category"
            />
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="priority" label={t('tickets.fields.priority')} tooltip={t('tickets.create.priorityHint')}>
              <Select
                allowClear
                placeholder={t('tickets.create.priorityAuto')}
                options={TICKET_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(t, p) }))}
                data-testid="ticket-form-priority"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="channel" label={t('tickets.fields.channel')}>
              <Select options={TICKET_CHANNELS.map((c) => ({ value: c, label: channelLabel(t, c) }))} data-testid="ticket-form-channel" />
            </Form.Item>
          </Col>
        </Row>
        {matches.length > 0 && (
          <Alert
            type="warning"
            showIcon
            icon={<ThunderboltOutlined />}
            style={{ marginBottom: 16 }}
            title={t('tickets.create.incidentMatch', { count: matches.length })}
            description={
              <Form.Item name="incidentId" noStyle>
                <Radio.Group
                  style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 4 }}
                  options={[
                    ...matches.map((m) => ({
                      value: m.id,
                      label: (
                        <span data-testid="ticket-form-incident">
                          {t('tickets.create.joinIncident', { number: m.number, title: m.title })}
                          {m.expectedRestoreAt && ` · ${t('incidents.restoreBy', { time: formatDateTime(m.expectedRestoreAt) })}`}
                        </span>
                      ),
                    })),
                    { value: '', label: t('tickets.create.noIncident') },
                  ]}
                />
              </Form.Item>
            }
            data-testid="ticket-create-incidents"
          />
        )}
        <CustomFieldInputs fields={fields} />
        <Form.Item name="title" label={t('tickets.fields.title')} rules={[{ max: 120 }]}>
          <Input maxLength={120} placeholder={t('tickets.create.titlePlaceholder')} data-testid="ticket-form-title" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('tickets.fields.description')}
          rules={[{ required: true, whitespace: true, message: t('tickets.validation.descriptionRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('tickets.create.descriptionPlaceholder')} data-testid="ticket-form-description" />
        </Form.Item>
        <Form.Item name="tags" label={t('tickets.fields.tags')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ';', '；']} placeholder={t('customer.placeholders.tags')} />
        </Form.Item>
        <Form.Item name="handling" label={t('tickets.create.handling')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'accept', label: t('tickets.create.handlingAccept') },
              { value: 'resolve', label: <span data-testid="ticket-form-resolve">{t('tickets.create.handlingResolve')}</span> },
              { value: 'dispatch', label: <span data-testid="ticket-form-dispatch">{t('tickets.create.handlingDispatch')}</span> },
            ]}
          />
        </Form.Item>
        {handling === 'accept' && <Typography.Paragraph type="secondary">{t('tickets.create.handlingAcceptHint')}</Typography.Paragraph>}
        {handling === 'resolve' && (
          <Form.Item
            name="resolution"
            label={t('tickets.create.resolution')}
            rules={[{ required: true, whitespace: true, message: t('tickets.validation.resolutionRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('tickets.create.resolutionPlaceholder')} data-testid="ticket-form-resolution" />
          </Form.Item>
        )}
        {handling === 'dispatch' && <DispatchFields categoryCode={isLeafCategory(tree, categoryCode) ? categoryCode : undefined} areaId={picked?.areaId} priority={priority} />}
      </Form>
      <ChooseOrderToUrgeModal
        ticketIds={urgeCandidates}
        note={form.getFieldValue('description')}
        onCancel={() => setUrgeCandidates([])}
        onUrged={(ticket) => {
          setUrgeCandidates([]);
          finish(ticket.id, ticket.number, 'urged');
        }}
      />
    </Drawer>
  );
}
