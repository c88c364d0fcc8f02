import { Col, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CategoryField } from '../../../api/types';
import { formatDate, formatDateTime } from '../../../lib/format';
import { fieldLabel, localName } from '../lib/ticket-labels';

/** The inputs of a category's custom fields, under the form name ['fields', key]. */
export function CustomFieldInputs({ fields }: { fields: readonly CategoryField[] }) {
  const { t, i18n } = useTranslation();
  if (fields.length === 0) return null;
  const lang = i18n.language;
  return (
    <Row gutter={16} data-testid="ticket-form-fields">
      {fields.map((f) => {
        const label = fieldLabel(lang, f);
        const rules = [{ required: Boolean(f.required), message: t('tickets.validation.fieldRequired', { field: label }) }];
        const wide = f.type === 'text' && (f.multiline || (f.maxLength ?? 2000) > 100);
        let input: React.ReactNode;
        switch (f.type) {
          case 'text':
            input = f.multiline ? <Input.TextArea rows={3} maxLength={f.maxLength ?? 2000} showCount /> : <Input maxLength={f.maxLength ?? 2000} />;
            break;
          case 'number':
            input = (
              <InputNumber
                style={{ width: '100%' }}
                min={f.min}
                max={f.max}
                precision={f.integer ? 0 : undefined}
                suffix={f.unit}
              />
            );
            break;
          case 'boolean':
            input = (
              <Radio.Group
                options={[
                  { value: true, label: t('common.yes') },
                  { value: false, label: t('common.no') },
                ]}
              />
            );
            break;
          case 'enum':
            input = <Select allowClear options={(f.options ?? []).map((o) => ({ value: o.value, label: localName(lang, o) }))} />;
            break;
          case 'date':
            input = <DatePicker style={{ width: '100%' }} />;
            break;
          case 'datetime':
            input = <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />;
            break;
          default:
            input = <Input />;
        }
        return (
          <Col key={f.key} xs={24} md={wide ? 24 : 12}>
            <Form.Item name={['fields', f.key]} label={label} rules={rules} data-testid={`ticket-field-${f.key}`}>
              {input}
            </Form.Item>
          </Col>
        );
      })}
    </Row>
  );
}

/** Form values → the wire values the server validates (dates as strings, blanks left out). */
export function toFieldValues(fields: readonly CategoryField[], raw: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = raw?.[f.key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    if (f.type === 'date') out[f.key] = (v as Dayjs).format('YYYY-MM-DD');
    else if (f.type === 'datetime') out[f.key] = (v as Dayjs).second(0).millisecond(0).format();
    else if (f.type === 'text') out[f.key] = String(v).trim();
    else out[f.key] = v;
  }
  return out;
}

/** Read-only display of an order's custom fields, labelled from the category definitions. */
export function CustomFieldValues({ fields, values }: { fields: readonly CategoryField[]; values: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const keys = new Set([...fields.map((f) => f.key), ...Object.keys(values)]);
  const items = [...keys]
    .filter((key) => values[key] !== undefined && values[key] !== null && values[key] !== '')
    .map((key) => {
      const f = fields.find((x) => x.key === key);
      const v = values[key];
      let text: React.ReactNode = String(v);
      if (f?.type === 'boolean' || typeof v === 'boolean') text = v ? t('common.yes') : t('common.no');
      else if (f?.type === 'enum') {
        const o = f.options?.find((x) => x.value === v);
        text = o ? localName(lang, o) : String(v);
      } else if (f?.type === 'datetime') text = formatDateTime(String(v));
      else if (f?.type === 'date') text = formatDate(String(v));
      else if (f?.type === 'number' && f.unit) text = `${v} ${f.unit}`;
      return { key, label: f ? fieldLabel(lang, f) : key, children: text };
    });
  if (items.length === 0) return <Typography.Text type="secondary">{t('ticket.noFields')}</Typography.Text>;
  return <Descriptions size="small" column={{ xs: 1, md: 2 }} items={items} data-testid="ticket-fields" />;
}
