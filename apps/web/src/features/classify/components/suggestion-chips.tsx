import { BulbOutlined } from '@ant-design/icons';
import type { TSuggestion } from '@kefu/contracts';
import { Flex, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function suggestionName(s: TSuggestion, language: string): string {
  return language.startsWith('en') ? s.nameEn : s.name;
}

export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/**
 * Suggested labels as clickable chips (best first, with the model's probability); the chosen one
 * is highlighted. Renders nothing when there is no suggestion.
 */
export function SuggestionChips({
  items,
  selected,
  onPick,
  label,
  'data-testid': testId,
}: {
  items: readonly TSuggestion[];
  selected?: string;
  onPick: (code: string) => void;
  label?: string;
  'data-testid'?: string;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return null;
  return (
    <Flex align="center" gap={4} wrap style={{ marginBottom: 8 }} data-testid={testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <BulbOutlined /> {label ?? t('classify.suggested')}
      </Typography.Text>
      {items.map((s) => (
        <Tooltip key={s.code} title={t('classify.probability', { value: percent(s.probability) })}>
          <Tag.CheckableTag checked={selected === s.code} onChange={() => onPick(s.code)} data-testid={`${testId ?? 'suggestion'}-${s.code}`} style={{ border: '1px solid #d9d9d9' }}>
            {suggestionName(s, i18n.language)} <span style={{ opacity: 0.65 }}>{percent(s.probability)}</span>
          </Tag.CheckableTag>
        </Tooltip>
      ))}
    </Flex>
  );
}
