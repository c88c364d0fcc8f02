import { BulbOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../../../api/reference';
import type { TicketPriority } from '../../../api/types';
import { useCan } from '../../auth/hooks/use-me';
import { useDepartmentMembers, useDispatchSuggestion } from '../hooks/use-tickets';

export function DepartmentSelect(props: { value?: string; onChange?: (v: string | undefined) => void; 'data-testid'?: string; placeholder?: string; style?: React.CSSProperties }) {
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
      style={props.style}
      data-testid={props['data-testid']}
    />
  );
}

/**
 * Department (pre-filled from the dispatch rules), optional member and instructions, as form items
 * named departmentId / assigneeId / note. Members are listed only to users who may read users.
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
  const form = Form.useFormInstance();
  const departmentId = Form.useWatch('departmentId', form) as string | undefined;
  const suggestion = useDispatchSuggestion({ categoryCode, areaId, priority });
  const members = useDepartmentMembers(can('user:read'));
  const suggested = suggestion.data?.department ?? null;
  const touched = useRef(false);

  // The suggested department fills the field until the user picks another one.
  useEffect(() => {
    if (touched.current || !suggested) return;
    if (!form.getFieldValue('departmentId') || form.getFieldValue('departmentId') !== suggested.id) {
      form.setFieldsValue({ departmentId: suggested.id, assigneeId: suggestion.data?.assigneeId ?? undefined });
    }
  }, [suggested, suggestion.data?.assigneeId, form]);

  const memberOptions = (members.data ?? []).filter((u) => u.departmentId === departmentId).map((u) => ({ value: u.id, label: u.workNumber ? `${u.displayName} · ${u.workNumber}` : u.displayName }));

  return (
    <>
      <Form.Item
        name="departmentId"
        label={t('tickets.dispatch.department')}
        rules={[{ required: true, message: t('tickets.validation.departmentRequired') }]}
        extra={
          suggestion.isFetching ? (
            t('tickets.dispatch.suggesting')
          ) : suggested ? (
            <Space size={4} data-testid="dispatch-suggestion">
              <BulbOutlined />
              {t('tickets.dispatch.suggested', { name: suggested.name })}
              {departmentId !== suggested.id && (
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
      {can('user:read') && (
        <Form.Item name="assigneeId" label={t('tickets.dispatch.assignee')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            disabled={!departmentId}
            placeholder={t('tickets.dispatch.assigneePlaceholder')}
            loading={members.isLoading}
            options={memberOptions}
            data-testid="dispatch-assignee"
          />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('tickets.dispatch.note')}>
        <Input.TextArea rows={2} maxLength={2000} placeholder={t('tickets.dispatch.notePlaceholder')} data-testid="dispatch-note" />
      </Form.Item>
    </>
  );
}
