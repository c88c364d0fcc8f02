import { Card, Descriptions, Empty, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCustomerAttributes } from '../../../api/reference';

function renderValue(value: unknown, yes: string, no: string) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value)) return value.map((v) => <Tag key={String(v)}>{String(v)}</Tag>);
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return String(value);
}

/** Attributes labelled by their definitions; unknown keys still show, under their raw key. */
export function AttributesCard({ attributes }: { attributes: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const definitions = useCustomerAttributes();
  const defs = definitions.data ?? [];
  const known = new Set(defs.map((d) => d.key));
  const items = [
    ...defs
      .filter((d) => d.key in attributes)
      .map((d) => ({
        key: d.key,
        label: i18n.language === 'en-US' ? d.labelEn || d.labelZh : d.labelZh || d.labelEn,
        children: renderValue(attributes[d.key], t('common.yes'), t('common.no')),
      })),
    ...Object.keys(attributes)
      .filter((k) => !known.has(k))
      .map((k) => ({ key: k, label: k, children: renderValue(attributes[k], t('common.yes'), t('common.no')) })),
  ];
  return (
    <Card variant="borderless" title={t('customer.cards.attributes')} loading={definitions.isLoading} data-testid="customer-attributes">
      {items.length ? <Descriptions column={1} size="small" items={items} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noAttributes')} />}
    </Card>
  );
}
