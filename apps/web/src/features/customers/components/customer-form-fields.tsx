import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Flex, Form, type FormRule, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAreas } from '../../../api/reference';
import { type AttributeDefinition, CUSTOMER_FLAGS } from '../../../api/types';
import { flagLabel, languageLabel, SERVICE_LANGUAGES } from '../../../lib/labels';

// Form pieces shared by the create modal and the edit drawer.

export function AreaSelect(props: { value?: string | null; onChange?: (v: string | null) => void; 'data-testid'?: string }) {
  const { t } = useTranslation();
  const areas = useAreas();
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('customer.placeholders.area')}
      loading={areas.isLoading}
      value={props.value ?? undefined}
      onChange={(v?: string) => props.onChange?.(v ?? null)}
      options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.district ? `${a.name} · ${a.district}` : a.name }))}
      data-testid={props['data-testid']}
    />
  );
}

export function LanguageSelect(props: { value?: string; onChange?: (v: string) => void }) {
  const { t } = useTranslation();
  const codes: string[] = [...SERVICE_LANGUAGES];
  if (props.value && !codes.includes(props.value)) codes.push(props.value);
  return <Select value={props.value} onChange={props.onChange} options={codes.map((c) => ({ value: c, label: languageLabel(t, c) }))} />;
}

export function FlagsCheckboxes(props: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group
      value={props.value}
      onChange={(v) => props.onChange?.(v as string[])}
      options={CUSTOMER_FLAGS.map((f) => ({ value: f, label: flagLabel(t, f) }))}
    />
  );
}

export function TagsSelect(props: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      mode="tags"
      value={props.value}
      onChange={props.onChange}
      placeholder={t('customer.placeholders.tags')}
      tokenSeparators={[',', '，', ';', '；']}
      open={false}
      suffixIcon={null}
    />
  );
}

/** A list of single-line values (phones) with add/remove buttons. */
export function StringListField({ name, label, placeholder, addLabel, rules, testId }: {
  name: string;
  label: string;
  placeholder: string;
  addLabel: string;
  rules?: FormRule[];
  testId?: string;
}) {
  return (
    <Form.Item label={label} required={false}>
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field, index) => (
              <Flex key={field.key} gap={8}>
                <Form.Item name={field.name} rules={rules} noStyle={false} style={{ flex: 1, marginBottom: 0 }}>
                  <Input placeholder={placeholder} data-testid={testId ? `${testId}-${index}` : undefined} />
                </Form.Item>
                {fields.length > 1 && <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={addLabel} />}
              </Flex>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} style={{ width: 'fit-content' }}>
              {addLabel}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

export function AddressesField() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('customer.fields.addresses')}>
      <Form.List name="addresses">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => (
              <Flex key={field.key} gap={8} align="start">
                <Form.Item name={[field.name, 'label']} style={{ width: 110, marginBottom: 0 }}>
                  <Input placeholder={t('customer.placeholders.addressLabel')} />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'text']}
                  style={{ flex: 1, marginBottom: 0 }}
                  rules={[{ required: true, whitespace: true, message: t('customer.validation.addressRequired') }]}
                >
                  <Input placeholder={t('customer.placeholders.address')} />
                </Form.Item>
                <Form.Item name={[field.name, 'primary']} valuePropName="checked" style={{ marginBottom: 0 }}>
                  <Checkbox>{t('customer.fields.primaryAddress')}</Checkbox>
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
              </Flex>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '', primary: fields.length === 0 })} style={{ width: 'fit-content' }}>
              {t('customer.actions.addAddress')}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** One input per attribute definition, chosen by its type. */
export function AttributeFields({ definitions }: { definitions: AttributeDefinition[] }) {
  const { i18n } = useTranslation();
  return (
    <>
      {definitions.map((def) => {
        const label = i18n.language === 'en-US' ? def.labelEn || def.labelZh : def.labelZh || def.labelEn;
        const name = ['attributes', def.key];
        const rules = def.required ? [{ required: true, message: label }] : undefined;
        switch (def.type) {
          case 'boolean':
            return (
              <Form.Item key={def.key} name={name} label={label} valuePropName="checked">
                <Switch />
              </Form.Item>
            );
          case 'number':
            return (
              <Form.Item key={def.key} name={name} label={label} rules={rules}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            );
          case 'select':
          case 'enum':
            return (
              <Form.Item key={def.key} name={name} label={label} rules={rules}>
                <Select allowClear options={(def.options ?? []).map((o) => ({ value: o, label: o }))} />
              </Form.Item>
            );
          case 'date':
            return (
              <Form.Item key={def.key} name={name} label={label} rules={rules}>
                <Input type="date" />
              </Form.Item>
            );
          default:
            return (
              <Form.Item key={def.key} name={name} label={label} rules={rules}>
                <Input />
              </Form.Item>
            );
        }
      })}
    </>
  );
}

/** Form values → the attributes object the API takes (empty inputs dropped). */
export function cleanAttributes(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    out[key] = value;
  }
  return out;
}
