import { Alert, App, Button, Col, Descriptions, Divider, Drawer, Flex, Form, Input, InputNumber, Row, Select, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { BusinessCalendar, EscalationActionSpec, EscalationPolicy, EscalationRule, SlaPolicy, SlaTarget, SlaTargets, UpdateSlaPolicyRequest } from '../../../api/types';
import { SLA_MILESTONES } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useUpdateSlaPolicy } from '../hooks/use-sla-settings';
import { describeCalendar } from '../lib/sla-format';
import { saveErrorTitle, validationIssues } from '../lib/validation';
import { type ActionRow, EscalationRulesEditor, type RuleRow } from './escalation-rules-editor';
import { SlaTargetsEditor, type TargetRow } from './sla-targets-editor';

type FormValues = {
  name: string;
  active: boolean;
  calendarId: string;
  atRiskPercent: number | null;
  targets: Record<string, TargetRow>;
  escalation: { rules: RuleRow[] };
};

function toTargetRows(targets: SlaTargets): Record<string, TargetRow> {
  const rows: Record<string, TargetRow> = {};
  for (const m of SLA_MILESTONES) {
    const target = targets[m];
    rows[m] = target
      ? { enabled: true, amount: target.amount, unit: target.unit, clock: target.clock ?? 'business', after: target.after ?? '' }
      : { enabled: false, amount: null, unit: 'hours', clock: 'business', after: '' };
  }
  return rows;
}

/** The wire targets; business is the default clock, so only 'natural' is written out. */
function fromTargetRows(rows: Record<string, TargetRow>): SlaTargets {
  const targets: SlaTargets = {};
  for (const m of SLA_MILESTONES) {
    const row = rows[m];
    if (!row?.enabled || typeof row.amount !== 'number') continue;
    const target: SlaTarget = { amount: row.amount, unit: row.unit };
    if (row.clock === 'natural') target.clock = 'natural';
    if (row.after) target.after = row.after;
    targets[m] = target;
  }
  return targets;
}

function normaliseTargets(targets: SlaTargets): SlaTargets {
  return fromTargetRows(toTargetRows(targets));
}

function toRuleRows(policy: EscalationPolicy | undefined): RuleRow[] {
  return (policy?.rules ?? []).map((r) => ({
    id: r.id,
    milestone: r.milestone ?? '',
    overdueMinutes: r.overdueMinutes,
    actions: r.actions.map((a): ActionRow => ({ ...a })),
  }));
}

function fromRuleRows(rows: RuleRow[] | undefined): EscalationPolicy {
  return {
    rules: (rows ?? []).map((r): EscalationRule => {
      const actions = (r.actions ?? []).map((a): EscalationActionSpec => {
        switch (a.type) {
          case 'notify':
            return { type: 'notify', audience: a.audience ?? 'supervisor' };
          case 'reassign':
            return a.assigneeId ? { type: 'reassign', departmentCode: a.departmentCode ?? '', assigneeId: a.assigneeId } : { type: 'reassign', departmentCode: a.departmentCode ?? '' };
          default:
            return { type: a.type };
        }
      });
      return {
        ...(r.id ? { id: r.id } : {}),
        ...(r.milestone ? { milestone: r.milestone } : {}),
        overdueMinutes: r.overdueMinutes ?? 0,
        actions,
      };
    }),
  };
}

function toFormValues(policy: SlaPolicy): FormValues {
  return {
    name: policy.name,
    active: policy.active,
    calendarId: policy.calendarId,
    atRiskPercent: Math.round(policy.atRiskRatio * 100),
    targets: toTargetRows(policy.targets),
    escalation: { rules: toRuleRows(policy.escalation) },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the form changed, as a PATCH body (empty when nothing changed). */
function diff(policy: SlaPolicy, values: FormValues): UpdateSlaPolicyRequest {
  const body: UpdateSlaPolicyRequest = {};
  const name = values.name.trim();
  if (name !== policy.name) body.name = name;
  if (values.active !== policy.active) body.active = values.active;
  if (values.calendarId !== policy.calendarId) body.calendarId = values.calendarId;
  const ratio = Math.round(values.atRiskPercent ?? 80) / 100;
  if (Math.abs(ratio - policy.atRiskRatio) > 1e-9) body.atRiskRatio = ratio;
  const targets = fromTargetRows(values.targets);
  if (!same(targets, normaliseTargets(policy.targets))) body.targets = targets;
  const escalation = fromRuleRows(values.escalation?.rules);
  if (!same(escalation, fromRuleRows(toRuleRows(policy.escalation)))) body.escalation = escalation;
  return body;
}

type Props = {
  policy: SlaPolicy | null;
  scope: { category: string; priority: string; area: string };
  calendars: BusinessCalendar[];
  readOnly: boolean;
  onClose: () => void;
};

/** Edit one SLA policy: its targets per milestone, at-risk ratio, calendar and escalation rules. */
export function SlaPolicyDrawer({ policy, scope, calendars, readOnly, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const update = useUpdateSlaPolicy();
  const toMessage = useErrorMessage();
  const open = Boolean(policy);
  const calendarId = Form.useWatch('calendarId', form);
  const calendar = calendars.find((c) => c.id === calendarId);

  const issues = useMemo(() => validationIssues(t, update.error), [t, update.error]);

  // Put the server's field problems on the fields they name.
  useEffect(() => {
    const fieldIssues = issues.filter((i) => i.path.length > 0);
    if (fieldIssues.length === 0) return;
    // The wire names are the form's names, except the ratio the form holds as a percentage.
    const mapped = fieldIssues.map((i) => ({ name: (i.path[0] === 'atRiskRatio' ? ['atRiskPercent'] : i.path) as never, errors: [i.message] }));
    try {
      form.setFields(mapped);
    } catch {
      // a path the form does not hold: the alert lists it anyway
    }
  }, [issues, form]);

  const submit = (values: FormValues) => {
    if (!policy) return;
    const body = diff(policy, values);
    if (Object.keys(body).length === 0) {
      void message.info(t('slaAdmin.noChanges'));
      onClose();
      return;
    }
    update.mutate(
      { id: policy.id, body },
      {
        onSuccess: () => {
          void message.success(t('slaAdmin.saved', { name: body.name ?? policy.name }));
          onClose();
        },
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={880}
      title={
        policy && (
          <Flex align="center" gap={8}>
            {readOnly ? t('slaAdmin.viewTitle') : t('slaAdmin.editTitle')} · {policy.name}
            {!policy.active && <Tag>{t('slaAdmin.inactive')}</Tag>}
          </Flex>
        )
      }
      afterOpenChange={(visible) => !visible && update.reset()}
      footer={
        readOnly ? null : (
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text type="secondary">{t('slaAdmin.appliesToNew')}</Typography.Text>
            <Flex gap={8}>
              <Button onClick={onClose}>{t('common.cancel')}</Button>
              <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="sla-policy-save">
                {t('common.save')}
              </Button>
            </Flex>
          </Flex>
        )
      }
    >
      {policy && (
        <div data-testid="sla-policy-drawer">
          {update.isError && (
            <Alert
              type="error"
              showIcon
              title={saveErrorTitle(t, toMessage, update.error)}
              description={
                issues.length > 0 && (
                  <ul className="kefu-issue-list" data-testid="sla-policy-errors">
                    {issues.map((i) => (
                      <li key={i.text}>{i.text}</li>
                    ))}
                  </ul>
                )
              }
              style={{ marginBottom: 16 }}
            />
          )}
          {!readOnly && <Alert type="info" showIcon title={t('slaAdmin.appliesToNewLong')} style={{ marginBottom: 16 }} />}
          <Descriptions
            size="small"
            column={3}
            bordered
            style={{ marginBottom: 16 }}
            items={[
              { key: 'category', label: t('slaAdmin.fields.category'), children: scope.category },
              { key: 'priority', label: t('slaAdmin.fields.priority'), children: scope.priority },
              { key: 'area', label: t('slaAdmin.fields.areaKind'), children: scope.area },
            ]}
          />
          <Form<FormValues> key={policy.id} form={form} layout="vertical" initialValues={toFormValues(policy)} onFinish={submit} scrollToFirstError disabled={readOnly} requiredMark={false}>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item name="name" label={t('slaAdmin.fields.name')} rules={[{ required: true, whitespace: true, max: 80, message: t('slaAdmin.validation.name') }]}>
                  <Input maxLength={80} data-testid="sla-policy-name" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="atRiskPercent" label={t('slaAdmin.fields.atRisk')} tooltip={t('slaAdmin.atRiskHint')} rules={[{ required: true, type: 'number', min: 10, max: 100, message: t('slaAdmin.validation.atRisk') }]}>
                  <InputNumber min={10} max={100} step={5} precision={0} suffix="%" style={{ width: '100%' }} data-testid="sla-policy-at-risk" />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item name="active" label={t('slaAdmin.fields.active')} valuePropName="checked" tooltip={t('slaAdmin.activeHint')}>
                  <Switch data-testid="sla-policy-active" />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item
                  name="calendarId"
                  label={t('slaAdmin.fields.calendar')}
                  rules={[{ required: true, message: t('slaAdmin.validation.calendar') }]}
                  extra={
                    <span>
                      {describeCalendar(t, calendar)} · <Link to="/admin/calendars">{t('slaAdmin.editCalendars')}</Link>
                    </span>
                  }
                >
                  <Select options={calendars.map((c) => ({ value: c.id, label: c.name }))} data-testid="sla-policy-calendar" />
                </Form.Item>
              </Col>
            </Row>
            <Divider titlePlacement="start" style={{ marginTop: 0 }}>
              {t('slaAdmin.sections.targets')}
            </Divider>
            <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
              {t('slaAdmin.targetsHint')}
            </Typography.Paragraph>
            <SlaTargetsEditor disabled={readOnly} />
            <Divider titlePlacement="start">{t('slaAdmin.sections.escalation')}</Divider>
            <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
              {t('slaAdmin.escalationHint')}
            </Typography.Paragraph>
            <EscalationRulesEditor disabled={readOnly} />
          </Form>
        </div>
      )}
    </Drawer>
  );
}
