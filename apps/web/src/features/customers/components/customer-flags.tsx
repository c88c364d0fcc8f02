import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { FLAG_COLORS, flagLabel } from '../../../lib/labels';

export function CustomerFlags({ flags }: { flags: readonly string[] }) {
  const { t } = useTranslation();
  if (flags.length === 0) return null;
  return (
    <>
      {flags.map((flag) => (
        <Tag key={flag} color={FLAG_COLORS[flag] ?? 'default'} data-testid={`flag-${flag}`}>
          {flagLabel(t, flag)}
        </Tag>
      ))}
    </>
  );
}

export function CustomerTags({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return null;
  return (
    <>
      {tags.map((tag) => (
        <Tag key={tag}>
          {tag}
        </Tag>
      ))}
    </>
  );
}
