import { Cascader } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTicketCategories } from '../hooks/use-tickets';
import { categoryOptions, categoryPathValue } from '../lib/ticket-labels';

type Props = {
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Filters may stop at a top-level category; orders are filed under a leaf. */
  anyLevel?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  'data-testid'?: string;
};

/** The two-level category tree (工单分类) as a cascader whose value is the category code. */
export function CategoryCascader({ value, onChange, anyLevel = false, placeholder, style, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const categories = useTicketCategories();
  const tree = categories.data ?? [];
  return (
    <Cascader
      allowClear
      changeOnSelect={anyLevel}
      showSearch
      placeholder={placeholder ?? t('tickets.fields.category')}
      loading={categories.isLoading}
      options={categoryOptions(tree, i18n.language)}
      value={categoryPathValue(tree, value)}
      onChange={(path) => onChange?.(path?.length ? String(path[path.length - 1]) : undefined)}
      style={style}
      data-testid={rest['data-testid']}
    />
  );
}
