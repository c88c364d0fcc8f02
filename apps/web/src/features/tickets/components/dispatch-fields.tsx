import { BulbOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAreas, useDepartments } from '../../../api/reference';
import type { TicketPriority } from '../../../api/types';
import { useCan } from '../../auth/hooks/use-me';
import { useDepartmentMembers, useDispatchSuggestion } from '../hooks/use-tickets';

export function DepartmentSelect(props: { value?: string; onChange?: (v: string | undefined) => void; 'data-testid'?: string; placeholder?: string; style?: React.CSSProperties; disabled?: boolean }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={props.placeholder ?? t('tickets.fields.department')}
      loading={departments.isLoading}
      value={props.value}
      onChange={(v?: string) => props.onChange?.(v)}
      options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
      disabled={props.disabled}
      style={props.style}
      data-testid={props['data-testid']}
    />
  );
}

export function AreaSelect(props: { value?: string; onChange?: (v: string | undefined) => void; 'data-testid'?: string; placeholder?: string; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  const areas = useAreas();
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={props.placeholder ?? t('tickets.fields.area')}
      loading={areas.isLoading}
      value={props.value}
      onChange={(v?: string) => props.onChange?.(v)}
      options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.district ? `${a.name} · ${a.district}` : a.name }))}
      popupMatchSelectWidth={false}
      style={props.style}
      data-testid={props['data-testid']}
    />
  );
}

/** The active members of a department (GET /departments/:id/members, readable with ticket:read). */
export function MemberSelect(props: { departmentId?: string; value?: string; onChange?: (v: string | undefined) => void; 'data-testid'?: string; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  const members = useDepartmentMembers(props.departmentId);
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      disabled={!props.departmentId}
      placeholder={props.departmentId ? t('tickets.dispatch.assigneePlaceholder') : t('tickets.dispatch.assigneeNeedsDepartment')}
      loading={members.isLoading}
      value={props.value}
      onChange={(v?: string) => props.onChange?.(v)}
      options={(members.data ?? []).map((u) => ({ value: u.id, label: u.workNumber ? `${u.displayName} · ${u.workNumber}` : u.displayName }))}
      notFoundContent={members.isSuccess ? t('tickets.dispatch.noMembers') : undefined}
      style={props.style}
      data-testid={props['data-testid']}
    />
  );
}

/**
 * Department (pre-filled from the dispatch rules), optional member and instructions, as form items
 * named departmentId / assigneeId / note. Without ticket:dispatch (agents dispatching a new order at
 * once) the rules' department is shown read-only and no person can be chosen: the server lets only
 * dispatchers pick another department or a person, so the caller sends no target and the rules choose.
 */
export function DispatchFields({
  categoryCode,
  areaId,
  priority,
  currentDepartmentId,
}: {
  categoryCode?: string;
  areaId?: string | null;
  priority?: TicketPriority;
  currentDepartmentId?: string | null;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const mayChoose = can('ticket:dispatch');
  const form = Form.useFormInstance();
  const departmentId = Form.useWatch('departmentId', form) as string | undefined;
  const suggestion = useDispatchSuggestion({ categoryCode, areaId, priority });
  const suggested = suggestion.data?.department ?? null;
  const touched = useRef(false);

  // The suggested department fills the field until the user picks another one.
  useEffect(() => {
    if (touched.current || !suggested) return;
    if (!form.getFieldValue('departmentId') || form.getFieldValue('departmentId') !== suggested.id) {
      form.setFieldsValue({ departmentId: suggested.id, assigneeId: mayChoose ? (suggestion.data?.assigneeId ?? undefined) : undefined });
    }
  }, [suggested, suggestion.data?.assigneeId, form, mayChoose]);

  return (
    <>
      <Form.Item
        name="departmentId"
        label={t('tickets.dispatch.department')}
        rules={mayChoose ? [{ required: true, message: t('tickets.validation.departmentRequired') }] : []}
        extra={
          suggestion.isFetching ? (
            t('tickets.dispatch.suggesting')
          ) : suggested ? (
            <Space size={4} data-testid="dispatch-suggestion">
              <BulbOutlined />
              {t('tickets.dispatch.suggested', { name: suggested.name })}
              {!mayChoose && <Typography.Text type="secondary">{t('tickets.dispatch.rulesOnly')}</Typography.Text>}
              {mayChoose && departmentId !== suggested.id && (
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0, height: 'auto' }}
                  onClick={() => form.setFieldsValue({ departmentId: suggested.id, assigneeId: undefined })}
                >
                  {t('tickets.dispatch.useSuggestion')}
                </Button>
              )}
            </Space>
          ) : categoryCode ? (
            <Typography.Text type="secondary">{t('tickets.dispatch.noSuggestion')}</Typography.Text>
          ) : undefined
        }
      >
        <DepartmentSelect
          data-testid="dispatch-department"
          disabled={!mayChoose}
          onChange={(v) => {
            touched.current = true;
            form.setFieldsValue({ departmentId: v, assigneeId: undefined });
          }}
        />
      </Form.Item>
      {currentDepartmentId && departmentId && currentDepartmentId !== departmentId && (
        <Typography.Paragraph type="warning" style={{ marginTop: -12 }}>
          {t('tickets.dispatch.redispatchHint')}
        </Typography.Paragraph>
      )}
      {mayChoose && (
        <Form.Item name="assigneeId" label={t('tickets.dispatch.assignee')}>
          <MemberSelect departmentId={departmentId} data-testid="dispatch-assignee" />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('tickets.dispatch.note')}>
        <Input.TextArea rows={2} maxLength={2000} placeholder={t('tickets.dispatch.notePlaceholder')} data-testid="dispatch-note" />
      </Form.Item>
    </>
  );
}
