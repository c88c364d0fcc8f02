import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAreas } from '../../../api/reference';

const COLORS: Record<string, string> = { active: 'red', resolved: 'green', closed: 'default' };

export function IncidentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="incident-status" data-status={status}>
      {t(`incidents.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** Area names of an incident (the ids resolved through the cached area list). */
export function useAreaNames(): (ids: readonly string[]) => string[] {
  const areas = useAreas();
  return (ids) => ids.map((id) => areas.data?.find((a) => a.id === id)?.name ?? id.slice(0, 8));
}
