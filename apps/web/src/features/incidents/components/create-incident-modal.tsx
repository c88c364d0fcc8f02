import { Alert, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useAreas } from '../../../api/reference';
import type { Incident } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { DepartmentSelect } from '../../tickets/components/dispatch-fields';
import { useCreateIncident } from '../hooks/use-incidents';

type Values = { title: string; areaIds: string[]; description?: string; startedAt?: Dayjs; expectedRestoreAt?: Dayjs; departmentId?: string };

/** 新建停电事件: a feeder outage with its affected areas and expected restore time. */
export function CreateIncidentModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (i: Incident) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const areas = useAreas(open);
  const create = useCreateIncident();
  const toMessage = useErrorMessage();
  return (
    <Modal
      open={open}
      title={t('incidents.create')}
      width={640}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={create.isPending}
      destroyOnHidden
      afterClose={() => create.reset()}
    >
      {create.isError && <Alert type="error" showIcon title={toMessage(create.error)} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ startedAt: dayjs() }}
        onFinish={(v) =>
          create.mutate(
            {
              title: v.title.trim(),
              areaIds: v.areaIds,
              ...(v.description?.trim() ? { description: v.description.trim() } : {}),
              ...(v.startedAt ? { startedAt: v.startedAt.second(0).millisecond(0).format() } : {}),
              ...(v.expectedRestoreAt ? { expectedRestoreAt: v.expectedRestoreAt.second(0).millisecond(0).format() } : {}),
              ...(v.departmentId ? { departmentId: v.departmentId } : {}),
            },
            { onSuccess: onCreated },
          )
        }
      >
        <Form.Item name="title" label={t('incidents.fields.title')} rules={[{ required: true, whitespace: true, message: t('incidents.validation.title') }]}>
          <Input maxLength={200} placeholder={t('incidents.placeholders.title')} />
        </Form.Item>
        <Form.Item name="areaIds" label={t('incidents.fields.areas')} rules={[{ required: true, message: t('incidents.validation.areas') }]}>
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={areas.isLoading}
            options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.district ? `${a.name} · ${a.district}` : a.name }))}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="startedAt" label={t('incidents.fields.startedAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="expectedRestoreAt" label={t('incidents.fields.expectedRestoreAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="departmentId" label={t('incidents.fields.department')}>
          <DepartmentSelect />
        </Form.Item>
        <Form.Item name="description" label={t('incidents.fields.description')}>
          <Input.TextArea rows={3} maxLength={5000} placeholder={t('incidents.placeholders.description')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
