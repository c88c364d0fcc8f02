import { UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Select, Space, Typography } from 'antd';
import { type CSSProperties, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CustomerSummary, Page } from '../../../api/types';

export type PickedCustomer = Pick<CustomerSummary, 'id' | 'name' | 'phones' | 'areaId' | 'areaName'>;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

type Props = {
  value?: string;
  onChange?: (id: string | undefined) => void;
  /** Called with the whole row so the form knows the customer's area. */
  onPick?: (customer: PickedCustomer | undefined) => void;
  /** The customer the form was opened from (shown before any search). */
  initial?: PickedCustomer;
  disabled?: boolean;
  style?: CSSProperties;
};

/** Searches the customer archive (phone, name, account number) as the agent types. */
export function CustomerSelect({ value, onChange, onPick, initial, disabled, style }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const search = useQuery({
    queryKey: ['customers', 'list', { q, picker: true }],
    queryFn: ({ signal }) => api.get<Page<CustomerSummary>>('/customers', { q, limit: 10 }, signal).then((r) => r.items),
    enabled: q.length >= 2,
    staleTime: 30_000,
  });
  const [known, setKnown] = useState<Record<string, PickedCustomer>>(() => (initial ? { [initial.id]: initial } : {}));
  const rows: PickedCustomer[] = search.data ?? [];
  const options = [...rows];
  if (value && known[value] && !rows.some((r) => r.id === value)) options.unshift(known[value]);

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      allowClear
      disabled={disabled}
      style={style}
      value={value}
      placeholder={t('tickets.create.customerPlaceholder')}
      loading={search.isFetching}
      notFoundContent={q.length < 2 ? t('tickets.create.customerTypeMore') : search.isFetching ? null : t('tickets.create.customerNone')}
      onChange={(id?: string) => {
        const row = options.find((o) => o.id === id);
        if (row) setKnown((k) => ({ ...k, [row.id]: row }));
        onChange?.(id);
        onPick?.(row);
      }}
      options={options.map((c) => ({
        value: c.id,
        label: (
          <Space size={6}>
            <UserOutlined />
            <span>{c.name}</span>
            <Typography.Text type="secondary" className="kefu-mono">
              {c.phones[0] ?? ''}
            </Typography.Text>
            {c.areaName && <Typography.Text type="secondary">{c.areaName}</Typography.Text>}
          </Space>
        ),
      }))}
      data-testid="ticket-form-customer"
    />
  );
}
