import { BranchesOutlined, DownOutlined, LinkOutlined, MergeCellsOutlined, RiseOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Col, Dropdown, Empty, Flex, Form, Input, Modal, Radio, Row, Select, Skeleton, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ESCALATION_LEVELS, type EscalationLevel, type Ticket } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCan } from '../../auth/hooks/use-me';
import { useIncidents, useLinkIncident, useMatchingIncidents } from '../../incidents/hooks/use-incidents';
import { useTicketCategories, useTicketList } from '../hooks/use-tickets';
import { useEscalateTicket, useMergeTickets, useSplitTicket } from '../hooks/use-ticket-operations';
import { isLeafCategory, OPEN_STATUSES, URGEABLE_STATUSES } from '../lib/ticket-labels';
import { CategoryCascader } from './category-cascader';
import { StatusTag } from './ticket-badges';

type Op = 'incident' | 'merge' | 'split' | 'escalate';

export function escalationLevelLabel(t: TFunction, level: number): string {
  const code = ESCALATION_LEVELS[level] ?? String(level);
  return t(`ticket.escalation.${code}`, { defaultValue: code });
}

/** 更多操作: link to an incident, merge duplicates, split, escalate a complaint. */
export function TicketOperationsMenu({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const can = useCan();
  const [op, setOp] = useState<Op | null>(null);
  if (!can('ticket:update') || ticket.mergedIntoId) return null;
  const open = URGEABLE_STATUSES.includes(ticket.status);
  const complaint = ticket.categoryCode === 'complaint' || ticket.categoryCode.startsWith('complaint.');
  const candidates: (false | { key: Op; icon: ReactNode; label: ReactNode })[] = [
    open && !ticket.incidentId && { key: 'incident', icon: <LinkOutlined />, label: <span data-testid="op-incident">{t('ticket.ops.linkIncident')}</span> },
    OPEN_STATUSES.includes(ticket.status) && { key: 'merge', icon: <MergeCellsOutlined />, label: <span data-testid="op-merge">{t('ticket.ops.merge')}</span> },
    ticket.status !== 'archived' && { key: 'split', icon: <BranchesOutlined />, label: <span data-testid="op-split">{t('ticket.ops.split')}</span> },
    complaint && ticket.escalationLevel < ESCALATION_LEVELS.length - 1 && { key: 'escalate', icon: <RiseOutlined />, label: <span data-testid="op-escalate">{t('ticket.ops.escalate')}</span> },
  ];
  const items = candidates.filter((x): x is { key: Op; icon: ReactNode; label: ReactNode } => Boolean(x));
  if (items.length === 0) return null;
  return (
    <>
      <Dropdown menu={{ items, onClick: ({ key }) => setOp(key as Op) }}>
        <Button data-testid="ticket-more">
          {t('ticket.ops.more')} <DownOutlined />
        </Button>
      </Dropdown>
      {op === 'incident' && <LinkIncidentModal ticket={ticket} onClose={() => setOp(null)} />}
      {op === 'merge' && <MergeModal ticket={ticket} onClose={() => setOp(null)} />}
      {op === 'split' && <SplitModal ticket={ticket} onClose={() => setOp(null)} />}
      {op === 'escalate' && <EscalateModal ticket={ticket} onClose={() => setOp(null)} />}
    </>
  );
}

function LinkIncidentModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const matching = useMatchingIncidents(ticket.area?.id, ticket.categoryCode);
  const active = useIncidents('active');
  const link = useLinkIncident(ticket.id);
  const [chosen, setChosen] = useState<string | undefined>();
  const matchIds = new Set((matching.data ?? []).map((i) => i.id));
  const options = [...(matching.data ?? []), ...(active.data ?? []).filter((i) => !matchIds.has(i.id))];
  return (
    <Modal
      open
      title={t('ticket.ops.linkIncident')}
      onCancel={onClose}
      okButtonProps={{ disabled: !chosen }}
      confirmLoading={link.isPending}
      onOk={() => chosen && link.mutate(chosen, { onSuccess: () => {
            message.success(t('ticket.ops.linked'));
            onClose();
          }, })}
      destroyOnHidden
    >
      {link.isError && <Alert type="error" showIcon title={toMessage(link.error)} style={{ marginBottom: 12 }} />}
      {active.isPending ? (
        <Skeleton active />
      ) : options.length === 0 ? (
        <Empty description={t('ticket.ops.noActiveIncident')} />
      ) : (
        <Radio.Group value={chosen} onChange={(e) => setChosen(e.target.value)} style={{ width: '100%' }}>
          <Flex vertical gap={8}>
            {options.map((i) => (
              <Radio key={i.id} value={i.id}>
                <Space size={6} wrap>
                  <span className="kefu-mono">{i.number}</span>
                  <Typography.Text strong>{i.title}</Typography.Text>
                  {matchIds.has(i.id) && <Typography.Text type="success">{t('ticket.ops.sameArea')}</Typography.Text>}
                  <Typography.Text type="secondary">
                    {i.expectedRestoreAt ? t('incidents.restoreBy', { time: formatDateTime(i.expectedRestoreAt) }) : t('incidents.restoreUnknown')}
                  </Typography.Text>
                </Space>
              </Radio>
            ))}
          </Flex>
        </Radio.Group>
      )}
    </Modal>
  );
}

function MergeModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const candidates = useTicketList({ customerId: ticket.customer.id, open: 'true' }, 50);
  const merge = useMergeTickets(ticket.id);
  const [form] = Form.useForm<{ duplicateIds: string[]; reason: string }>();
  const rows = (candidates.data?.pages.flatMap((p) => p.items) ?? []).filter((r) => r.id !== ticket.id);
  return (
    <Modal open title={t('ticket.ops.mergeTitle', { number: ticket.number })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={merge.isPending} width={620} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('ticket.ops.mergeHint')}</Typography.Paragraph>
      {merge.isError && <Alert type="error" showIcon title={toMessage(merge.error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => merge.mutate({ duplicateIds: v.duplicateIds, reason: v.reason.trim() }, { onSuccess: () => {
              message.success(t('ticket.ops.merged'));
              onClose();
            }, })}
      >
        <Form.Item name="duplicateIds" label={t('ticket.ops.duplicates')} rules={[{ required: true, message: t('ticket.ops.duplicatesRequired') }]}>
          {candidates.isPending ? (
            <Skeleton active />
          ) : rows.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.ops.noDuplicates')} />
          ) : (
            <Checkbox.Group style={{ width: '100%' }}>
              <Flex vertical gap={6}>
                {rows.map((r) => (
                  <Checkbox key={r.id} value={r.id}>
                    <Space size={6} wrap>
                      <span className="kefu-mono">{r.number}</span>
                      <StatusTag status={r.status} />
                      <Typography.Text type="secondary">{r.categoryName}</Typography.Text>
                      <Typography.Text>{r.title}</Typography.Text>
                    </Space>
                  </Checkbox>
                ))}
              </Flex>
            </Checkbox.Group>
          )}
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.ops.reason')} rules={[{ required: true, whitespace: true, message: t('ticket.ops.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type SplitValues = { reason: string; parts: { categoryCode?: string; title?: string; description: string }[] };

function SplitModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const split = useSplitTicket(ticket.id);
  const categories = useTicketCategories();
  const [form] = Form.useForm<SplitValues>();
  return (
    <Modal open title={t('ticket.ops.splitTitle', { number: ticket.number })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={split.isPending} width={720} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('ticket.ops.splitHint')}</Typography.Paragraph>
      {split.isError && <Alert type="error" showIcon title={toMessage(split.error)} style={{ marginBottom: 12 }} />}
      <Form<SplitValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ parts: [{ description: '' }] }}
        onFinish={(v) =>
          split.mutate(
            {
              reason: v.reason.trim(),
              parts: v.parts.map((p) => ({ categoryCode: p.categoryCode as string, description: p.description.trim(), ...(p.title?.trim() ? { title: p.title.trim() } : {}) })),
            },
            {
              onSuccess: (r) => {
                message.success(t('ticket.ops.splitDone', { numbers: r.items.map((x) => x.number).join('、') }));
                onClose();
              },
            },
          )
        }
      >
        <Form.List name="parts">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <div key={f.key} className="kefu-pick-row">
                  <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
                    <Typography.Text strong>{t('ticket.ops.part', { n: i + 1 })}</Typography.Text>
                    {fields.length > 1 && (
                      <Button type="link" danger size="small" onClick={() => remove(f.name)}>
                        {t('common.delete')}
                      </Button>
                    )}
                  </Flex>
                  <Row gutter={12}>
                    <Col xs={24} md={10}>
                      <Form.Item
                        name={[f.name, 'categoryCode']}
                        label={t('tickets.fields.category')}
                        rules={[
                          { required: true, message: t('tickets.validation.categoryRequired') },
                          {
                            validator: async (_, v?: string) =>
                              !v || isLeafCategory(categories.data ?? [], v) ? undefined : Promise.reject(new Error(t('tickets.validation.categoryLeaf'))),
                          },
                        ]}
                      >
                        <CategoryCascader />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={14}>
                      <Form.Item name={[f.name, 'title']} label={t('tickets.fields.title')}>
                        <Input maxLength={120} />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item
                    name={[f.name, 'description']}
                    label={t('tickets.fields.description')}
                    rules={[{ required: true, whitespace: true, message: t('tickets.validation.descriptionRequired') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <Input.TextArea rows={2} maxLength={5000} />
                  </Form.Item>
                </div>
              ))}
              {fields.length < 10 && (
                <Button type="dashed" onClick={() => add({ description: '' })}>
                  {t('ticket.ops.addPart')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
        <Form.Item name="reason" label={t('ticket.ops.reason')} rules={[{ required: true, whitespace: true, message: t('ticket.ops.reasonRequired') }]} style={{ marginTop: 16 }}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EscalateModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const escalate = useEscalateTicket(ticket.id);
  const [form] = Form.useForm<{ reason: string; to?: EscalationLevel }>();
  const higher = ESCALATION_LEVELS.slice(ticket.escalationLevel + 1);
  return (
    <Modal open title={t('ticket.ops.escalateTitle', { number: ticket.number })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={escalate.isPending} destroyOnHidden>
      <Typography.Paragraph>
        {t('ticket.ops.currentLevel')}: <Typography.Text strong>{escalationLevelLabel(t, ticket.escalationLevel)}</Typography.Text>
      </Typography.Paragraph>
      {escalate.isError && <Alert type="error" showIcon title={toMessage(escalate.error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ to: higher[0] }}
        onFinish={(v) =>
          escalate.mutate(
            { reason: v.reason.trim(), ...(v.to ? { to: v.to } : {}) },
            { onSuccess: (tk) => {
                message.success(t('ticket.ops.escalated', { level: escalationLevelLabel(t, tk.escalationLevel) }));
                onClose();
              }, },
          )
        }
      >
        <Form.Item name="to" label={t('ticket.ops.escalateTo')}>
          <Select options={higher.map((l) => ({ value: l, label: t(`ticket.escalation.${l}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.ops.reason')} rules={[{ required: true, whitespace: true, message: t('ticket.ops.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
