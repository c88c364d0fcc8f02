import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Form, InputNumber, Select, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../../api/reference';
import { ESCALATION_ACTION_TYPES, ESCALATION_AUDIENCES, type EscalationActionType, type EscalationAudience, SLA_MILESTONES, type SlaMilestone } from '../../../api/types';
import { useDepartmentMembers } from '../../tickets/hooks/use-tickets';
import { formatMinutes } from '../lib/sla-format';

export type ActionRow = { type: EscalationActionType; audience?: EscalationAudience; departmentCode?: string; assigneeId?: string };
/** `milestone` '' = every clock of the order. */
export type RuleRow = { id?: string; milestone: SlaMilestone | ''; overdueMinutes: number | null; actions: ActionRow[] };

export const MAX_RULES = 20;
const MAX_ACTIONS = 10;

/** The escalation ladder of a policy: rules fire once a clock is `overdueMinutes` past due, each with its actions. */
export function EscalationRulesEditor({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List name={['escalation', 'rules']}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={12} data-testid="escalation-rules">
          {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('slaAdmin.escalation.none')} />}
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              data-testid="escalation-rule"
              title={<RuleTitle index={index} name={field.name} />}
              extra={
                !disabled && (
                  <Tooltip title={t('slaAdmin.escalation.removeRule')}>
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('slaAdmin.escalation.removeRule')} data-testid="escalation-rule-remove" />
                  </Tooltip>
                )
              }
            >
              <Form.Item name={[field.name, 'id']} hidden>
                <input />
              </Form.Item>
              <Flex gap={16} wrap align="flex-start">
                <Form.Item
                  label={t('slaAdmin.fields.overdueMinutes')}
                  name={[field.name, 'overdueMinutes']}
                  rules={[{ required: true, type: 'number', min: 0, max: 100_000, message: t('slaAdmin.validation.overdue') }]}
                  extra={<OverdueHint name={field.name} />}
                  style={{ marginBottom: 8 }}
                >
                  <InputNumber min={0} max={100_000} step={15} precision={0} disabled={disabled} suffix={t('slaAdmin.escalation.minutesSuffix')} style={{ width: 160 }} data-testid="escalation-overdue" />
                </Form.Item>
                <Form.Item label={t('slaAdmin.fields.ruleMilestone')} name={[field.name, 'milestone']} style={{ marginBottom: 8, minWidth: 200 }}>
                  <Select
                    disabled={disabled}
                    options={[{ value: '', label: t('slaAdmin.escalation.anyMilestone') }, ...SLA_MILESTONES.map((m) => ({ value: m, label: t(`slaAdmin.milestone.${m}`) }))]}
                    data-testid="escalation-milestone"
                  />
                </Form.Item>
              </Flex>
              <Typography.Text type="secondary">{t('slaAdmin.fields.actions')}</Typography.Text>
              <ActionsEditor ruleName={field.name} disabled={disabled} />
            </Card>
          ))}
          {!disabled && fields.length < MAX_RULES && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ id: `r-${Date.now().toString(36)}`, milestone: '', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'supervisor' }] } satisfies RuleRow)}
              data-testid="escalation-rule-add"
            >
              {t('slaAdmin.escalation.addRule')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}

function RuleTitle({ index, name }: { index: number; name: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const minutes = Form.useWatch(['escalation', 'rules', name, 'overdueMinutes'], form) as number | null | undefined;
  return (
    <span>
      {t('slaAdmin.escalation.ruleTitle', { n: index + 1 })}
      <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8 }}>
        {!minutes ? t('slaAdmin.escalation.atBreach') : t('slaAdmin.escalation.afterBreach', { time: formatMinutes(t, minutes) })}
      </Typography.Text>
    </span>
  );
}

function OverdueHint({ name }: { name: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const minutes = Form.useWatch(['escalation', 'rules', name, 'overdueMinutes'], form) as number | null | undefined;
  return minutes ? t('slaAdmin.escalation.overdueHint', { time: formatMinutes(t, minutes) }) : t('slaAdmin.escalation.zeroHint');
}

function ActionsEditor({ ruleName, disabled }: { ruleName: number; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List
      name={[ruleName, 'actions']}
      rules={[{ validator: (_, value: unknown[] | undefined) => ((value?.length ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(t('slaAdmin.validation.actions')))) }]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical gap={8} style={{ marginTop: 8 }}>
          {fields.map((field) => (
            <ActionRowEditor key={field.key} ruleName={ruleName} name={field.name} disabled={disabled} onRemove={fields.length > 1 ? () => remove(field.name) : undefined} />
          ))}
          <Form.ErrorList errors={errors} />
          {!disabled && fields.length < MAX_ACTIONS && (
            <div>
              <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => add({ type: 'notify', audience: 'manager' } satisfies ActionRow)} style={{ paddingInline: 0 }} data-testid="escalation-action-add">
                {t('slaAdmin.escalation.addAction')}
              </Button>
            </div>
          )}
        </Flex>
      )}
    </Form.List>
  );
}

function ActionRowEditor({ ruleName, name, disabled, onRemove }: { ruleName: number; name: number; disabled?: boolean; onRemove?: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const departments = useDepartments();
  const type = Form.useWatch(['escalation', 'rules', ruleName, 'actions', name, 'type'], form) as EscalationActionType | undefined;
  const departmentCode = Form.useWatch(['escalation', 'rules', ruleName, 'actions', name, 'departmentCode'], form) as string | undefined;
  const departmentId = departments.data?.find((d) => d.code === departmentCode)?.id;
  const members = useDepartmentMembers(type === 'reassign' ? departmentId : undefined);
  return (
    <Flex gap={8} wrap align="flex-start" data-testid="escalation-action">
      <Form.Item name={[name, 'type']} style={{ marginBottom: 0, width: 150 }}>
        <Select
          disabled={disabled}
          popupMatchSelectWidth={false}
          options={ESCALATION_ACTION_TYPES.map((x) => ({ value: x, label: t(`slaAdmin.actionType.${x}`) }))}
          onChange={(next: EscalationActionType) => {
            // Keep only the fields of the chosen type, with a sensible default.
            const path = ['escalation', 'rules', ruleName, 'actions', name];
            form.setFieldValue(path, next === 'notify' ? { type: next, audience: 'supervisor' } : { type: next });
          }}
          data-testid="escalation-action-type"
        />
      </Form.Item>
      {type === 'notify' && (
        <Form.Item name={[name, 'audience']} rules={[{ required: true, message: t('slaAdmin.validation.audience') }]} style={{ marginBottom: 0, width: 140 }}>
          <Select disabled={disabled} options={ESCALATION_AUDIENCES.map((a) => ({ value: a, label: t(`slaAdmin.audience.${a}`) }))} data-testid="escalation-action-audience" />
        </Form.Item>
      )}
      {type === 'reassign' && (
        <>
          <Form.Item name={[name, 'departmentCode']} rules={[{ required: true, message: t('slaAdmin.validation.department') }]} style={{ marginBottom: 0, width: 200 }}>
            <Select
              disabled={disabled}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('slaAdmin.fields.department')}
              loading={departments.isLoading}
              options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
              onChange={() => form.setFieldValue(['escalation', 'rules', ruleName, 'actions', name, 'assigneeId'], undefined)}
              data-testid="escalation-action-department"
            />
          </Form.Item>
          <Form.Item name={[name, 'assigneeId']} style={{ marginBottom: 0, width: 200 }}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              disabled={disabled || !departmentId}
              placeholder={t('slaAdmin.fields.assigneeOptional')}
              loading={members.isLoading}
              popupMatchSelectWidth={false}
              options={(members.data ?? []).map((u) => ({ value: u.id, label: u.workNumber ? `${u.displayName} · ${u.workNumber}` : u.displayName }))}
              data-testid="escalation-action-assignee"
            />
          </Form.Item>
        </>
      )}
      {type === 'raise_priority' && <HintText text={t('slaAdmin.actionHint.raise_priority')} />}
      {type === 'raise_escalation_level' && <HintText text={t('slaAdmin.actionHint.raise_escalation_level')} />}
      {!disabled && onRemove && (
        <Tooltip title={t('slaAdmin.escalation.removeAction')}>
          <Button type="text" size="small" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('slaAdmin.escalation.removeAction')} style={{ marginTop: 4 }} />
        </Tooltip>
      )}
    </Flex>
  );
}

function HintText({ text }: { text: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, paddingTop: 6 }}>
      {text}
    </Typography.Text>
  );
}
