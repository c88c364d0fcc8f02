import { Form, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { SLA_MILESTONES, type SlaClock, type SlaMilestone, type SlaTargetUnit } from '../../../api/types';

/** One milestone's row in the drawer's form; `enabled` false drops the target. */
export type TargetRow = { enabled: boolean; amount?: number | null; unit: SlaTargetUnit; clock: SlaClock; after: SlaMilestone | '' };

const UNITS: SlaTargetUnit[] = ['minutes', 'hours', 'working_days'];
const CLOCKS: SlaClock[] = ['business', 'natural'];

/** A row per milestone (受理 … 回访): on/off, amount, unit, clock, and the milestone it counts from. */
export function SlaTargetsEditor({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="kefu-sla-grid" data-testid="sla-targets">
      <Typography.Text type="secondary">{t('slaAdmin.fields.milestone')}</Typography.Text>
      <Typography.Text type="secondary">{t('slaAdmin.fields.enabled')}</Typography.Text>
      <Typography.Text type="secondary">{t('slaAdmin.fields.amount')}</Typography.Text>
      <Typography.Text type="secondary">{t('slaAdmin.fields.unit')}</Typography.Text>
      <Typography.Text type="secondary">{t('slaAdmin.fields.clock')}</Typography.Text>
      <Typography.Text type="secondary">{t('slaAdmin.fields.after')}</Typography.Text>
      {SLA_MILESTONES.map((m) => (
        <TargetRowEditor key={m} milestone={m} disabled={disabled} />
      ))}
    </div>
  );
}

function TargetRowEditor({ milestone, disabled }: { milestone: SlaMilestone; disabled?: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const enabled = Form.useWatch(['targets', milestone, 'enabled'], form) as boolean | undefined;
  const off = disabled || !enabled;
  return (
    <>
      <Typography.Text strong={Boolean(enabled)} type={enabled ? undefined : 'secondary'} style={{ paddingTop: 5 }}>
        {t(`slaAdmin.milestone.${milestone}`)}
      </Typography.Text>
      <Form.Item name={['targets', milestone, 'enabled']} valuePropName="checked" noStyle>
        <Switch size="small" disabled={disabled} style={{ marginTop: 6 }} data-testid={`sla-target-${milestone}-enabled`} />
      </Form.Item>
      <Form.Item
        name={['targets', milestone, 'amount']}
        rules={[
          {
            validator: (_, value: number | null | undefined) =>
              !enabled || (typeof value === 'number' && value > 0 && value <= 100_000) ? Promise.resolve() : Promise.reject(new Error(t('slaAdmin.validation.amount'))),
          },
        ]}
        dependencies={[['targets', milestone, 'enabled']]}
        style={{ marginBottom: 0 }}
      >
        <InputNumber min={0} max={100_000} step={1} disabled={off} style={{ width: '100%' }} data-testid={`sla-target-${milestone}-amount`} />
      </Form.Item>
      <Form.Item name={['targets', milestone, 'unit']} style={{ marginBottom: 0 }}>
        <Select disabled={off} options={UNITS.map((u) => ({ value: u, label: t(`slaAdmin.unit.${u}`) }))} data-testid={`sla-target-${milestone}-unit`} />
      </Form.Item>
      <Form.Item name={['targets', milestone, 'clock']} style={{ marginBottom: 0 }}>
        <Select disabled={off} options={CLOCKS.map((c) => ({ value: c, label: t(`slaAdmin.clock.${c}`) }))} data-testid={`sla-target-${milestone}-clock`} />
      </Form.Item>
      <Form.Item name={['targets', milestone, 'after']} style={{ marginBottom: 0 }}>
        <Select
          disabled={off}
          popupMatchSelectWidth={false}
          options={[
            { value: '', label: t('slaAdmin.afterStart') },
            ...SLA_MILESTONES.filter((x) => x !== milestone).map((x) => ({ value: x, label: t('slaAdmin.afterMilestone', { milestone: t(`slaAdmin.milestone.${x}`) }) })),
          ]}
          data-testid={`sla-target-${milestone}-after`}
        />
      </Form.Item>
    </>
  );
}
