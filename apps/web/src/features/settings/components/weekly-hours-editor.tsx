import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Switch, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CalendarDefinition, WeekdayKey, WorkingHours } from '../../../api/types';
import { dayMinutes, formatHours, isValidRange } from '../lib/sla-format';
import { TimeInput } from './time-input';

/** Monday first, as Chinese calendars read. */
export const WEEK_ORDER: WeekdayKey[] = ['1', '2', '3', '4', '5', '6', '0'];
const MAX_RANGES = 6;
const DEFAULT_RANGE: WorkingHours = { start: '09:00', end: '17:00' };

type Weekly = CalendarDefinition['weekly'];

/** Working hours per weekday: any number of ranges (≤6) a day, a day with none is a day off. */
export function WeeklyHoursEditor({ value, onChange, disabled }: { value: Weekly; onChange: (next: Weekly) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const setDay = (day: WeekdayKey, ranges: WorkingHours[]) => onChange({ ...value, [day]: ranges });
  const weekMinutes = WEEK_ORDER.reduce((sum, d) => sum + dayMinutes(value[d]), 0);
  const copyMondayToWeekdays = () => {
    const monday = value['1'];
    onChange({ ...value, '2': monday.map((r) => ({ ...r })), '3': monday.map((r) => ({ ...r })), '4': monday.map((r) => ({ ...r })), '5': monday.map((r) => ({ ...r })) });
  };
  return (
    <Flex vertical gap={0} data-testid="weekly-hours">
      {WEEK_ORDER.map((day) => {
        const ranges = value[day];
        const working = ranges.length > 0;
        return (
          <Flex key={day} align="flex-start" gap={12} className="kefu-week-row" data-testid="weekday-row" data-weekday={day}>
            <Typography.Text strong={working} type={working ? undefined : 'secondary'} style={{ width: 76, flex: 'none', paddingTop: 5, whiteSpace: 'nowrap' }}>
              {t(`calendars.weekday.${day}`)}
            </Typography.Text>
            <Switch
              checked={working}
              disabled={disabled}
              checkedChildren={t('calendars.working')}
              unCheckedChildren={t('calendars.dayOff')}
              onChange={(on) => setDay(day, on ? [{ ...DEFAULT_RANGE }] : [])}
              style={{ marginTop: 5, minWidth: 56 }}
              data-testid="weekday-switch"
            />
            <Flex wrap gap={8} style={{ flex: 1, minWidth: 0 }}>
              {ranges.map((range, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ranges have no identity but their position
                <Flex key={i} align="center" gap={4} className="kefu-range" data-testid="weekday-range">
                  <TimeInput
                    value={range.start}
                    disabled={disabled}
                    invalid={!isValidRange(range)}
                    onChange={(start) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, start } : r)))}
                    data-testid="range-start"
                  />
                  <span>–</span>
                  <TimeInput
                    value={range.end}
                    disabled={disabled}
                    invalid={!isValidRange(range)}
                    onChange={(end) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, end } : r)))}
                    data-testid="range-end"
                  />
                  {!disabled && (
                    <Tooltip title={t('calendars.removeRange')}>
                      <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('calendars.removeRange')} onClick={() => setDay(day, ranges.filter((_, j) => j !== i))} data-testid="range-remove" />
                    </Tooltip>
                  )}
                </Flex>
              ))}
              {!disabled && working && ranges.length < MAX_RANGES && (
                <Tooltip title={t('calendars.addRange')}>
                  <Button
                    type="dashed"
                    size="small"
                    icon={<PlusOutlined />}
                    aria-label={t('calendars.addRange')}
                    style={{ marginTop: 4 }}
                    onClick={() => setDay(day, [...ranges, nextRange(ranges)])}
                    data-testid="range-add"
                  />
                </Tooltip>
              )}
              {!working && (
                <Typography.Text type="secondary" style={{ paddingTop: 5 }}>
                  {t('calendars.dayOffHint')}
                </Typography.Text>
              )}
            </Flex>
            <Typography.Text type="secondary" className="kefu-mono" style={{ width: 72, flex: 'none', textAlign: 'right', paddingTop: 5, whiteSpace: 'nowrap' }}>
              {working ? formatHours(t, dayMinutes(ranges)) : '—'}
            </Typography.Text>
          </Flex>
        );
      })}
      <Flex justify="space-between" align="center" style={{ paddingTop: 10 }}>
        {!disabled ? (
          <Button size="small" icon={<CopyOutlined />} onClick={copyMondayToWeekdays} disabled={value['1'].length === 0} data-testid="copy-monday">
            {t('calendars.copyMonday')}
          </Button>
        ) : (
          <span />
        )}
        <Typography.Text type="secondary">{t('calendars.weekTotal', { hours: formatHours(t, weekMinutes) })}</Typography.Text>
      </Flex>
    </Flex>
  );
}

// A new range after the day's last one (an hour long, within the day).
function nextRange(ranges: WorkingHours[]): WorkingHours {
  const last = ranges[ranges.length - 1];
  if (!last) return { ...DEFAULT_RANGE };
  const m = /^(\d{2}):(\d{2})$/.exec(last.end);
  const end = m ? Number(m[1]) * 60 + Number(m[2]) : 17 * 60;
  const start = Math.min(end + 60, 23 * 60);
  const fmt = (x: number) => `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  return { start: fmt(start), end: fmt(Math.min(start + 60, 24 * 60)) };
}
