import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Empty, Flex, Popconfirm, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

const DAY_MS = 86_400_000;

/** Every date from `from` to `to` inclusive, 'YYYY-MM-DD' (at most `limit`). */
export function datesBetween(from: string, to: string, limit = 400): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  for (let x = Math.min(start, end); x <= Math.max(start, end) && out.length < limit; x += DAY_MS) out.push(new Date(x).toISOString().slice(0, 10));
  return out;
}

/** 0 = Sunday … 6 = Saturday of a 'YYYY-MM-DD' date (no time zone involved). */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

type Props = {
  kind: 'holidays' | 'workdays';
  value: string[];
  onChange: (next: string[]) => void;
  max: number;
  disabled?: boolean;
  /** Extra marks on a date's tag (e.g. a swapped workday that is also a holiday). */
  decorate?: (date: string) => { color?: string; hint?: string } | undefined;
};

/**
 * A list of dates grouped by year and month, each a removable tag; holidays are added as a range
 * (a break of several days), swapped workdays one by one.
 */
export function DateListEditor({ kind, value, onChange, max, disabled, decorate }: Props) {
  const { t, i18n } = useTranslation();
  const monthName = useMemo(() => new Intl.DateTimeFormat(i18n.language, { month: 'short', timeZone: 'UTC' }), [i18n.language]);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [single, setSingle] = useState<Dayjs | null>(null);
  const sorted = useMemo(() => [...new Set(value)].sort(), [value]);

  const add = (dates: string[]) => {
    const next = [...new Set([...sorted, ...dates])].sort();
    onChange(next.slice(0, Math.max(max, sorted.length)));
  };
  const addPicked = () => {
    if (kind === 'holidays' && range?.[0] && range[1]) {
      add(datesBetween(range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')));
      setRange(null);
    } else if (kind === 'workdays' && single) {
      add([single.format('YYYY-MM-DD')]);
      setSingle(null);
    }
  };
  const picked = kind === 'holidays' ? Boolean(range?.[0] && range[1]) : Boolean(single);

  // year → month → dates
  const groups = useMemo(() => {
    const years = new Map<string, Map<string, string[]>>();
    for (const d of sorted) {
      const [y, m] = [d.slice(0, 4), d.slice(5, 7)];
      let months = years.get(y);
      if (!months) years.set(y, (months = new Map()));
      months.set(m, [...(months.get(m) ?? []), d]);
    }
    return [...years.entries()];
  }, [sorted]);

  return (
    <Flex vertical gap={12} data-testid={`${kind}-editor`}>
      {!disabled && (
        <Flex gap={8} wrap align="center">
          {kind === 'holidays' ? (
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
              placeholder={[t('calendars.rangeStart'), t('calendars.rangeEnd')]}
              disabledDate={(d) => sorted.includes(d.format('YYYY-MM-DD'))}
              data-testid="holiday-range"
            />
          ) : (
            <DatePicker
              value={single}
              onChange={(v) => setSingle(v)}
              placeholder={t('calendars.pickDate')}
              disabledDate={(d) => sorted.includes(d.format('YYYY-MM-DD'))}
              data-testid="workday-date"
            />
          )}
          <Button icon={<PlusOutlined />} disabled={!picked || sorted.length >= max} onClick={addPicked} data-testid={`${kind}-add`}>
            {kind === 'holidays' ? t('calendars.addHolidays') : t('calendars.addWorkday')}
          </Button>
          <Typography.Text type={sorted.length >= max ? 'danger' : 'secondary'}>{t('calendars.countOfMax', { count: sorted.length, max })}</Typography.Text>
        </Flex>
      )}
      {groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={kind === 'holidays' ? t('calendars.noHolidays') : t('calendars.noWorkdays')} style={{ margin: '8px 0' }} />
      ) : (
        groups.map(([year, months]) => {
          const count = [...months.values()].reduce((n, list) => n + list.length, 0);
          return (
            <div key={year} className="kefu-date-year" data-testid={`${kind}-year`} data-year={year}>
              <Flex justify="space-between" align="center" className="kefu-date-year-head">
                <Typography.Text strong>{t('calendars.yearCount', { year, count })}</Typography.Text>
                {!disabled && (
                  <Popconfirm
                    title={kind === 'holidays' ? t('calendars.confirmClearHolidays', { year }) : t('calendars.confirmClearWorkdays', { year })}
                    onConfirm={() => onChange(sorted.filter((d) => !d.startsWith(`${year}-`)))}
                  >
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} style={{ paddingInline: 0 }}>
                      {t('calendars.clearYear')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
              {[...months.entries()].map(([month, dates]) => (
                <Flex key={month} gap={8} align="flex-start" className="kefu-date-month">
                  <Typography.Text type="secondary" style={{ width: 44, flex: 'none', paddingTop: 1 }}>
                    {monthName.format(new Date(Date.UTC(2000, Number(month) - 1, 1)))}
                  </Typography.Text>
                  <Flex wrap gap={4}>
                    {dates.map((d) => (
                      <DateTag key={d} date={d} disabled={disabled} mark={decorate?.(d)} onRemove={() => onChange(sorted.filter((x) => x !== d))} />
                    ))}
                  </Flex>
                </Flex>
              ))}
            </div>
          );
        })
      )}
    </Flex>
  );
}

function DateTag({ date, disabled, mark, onRemove }: { date: string; disabled?: boolean; mark?: { color?: string; hint?: string }; onRemove: () => void }) {
  const { t } = useTranslation();
  const weekday = weekdayOf(date);
  const weekend = weekday === 0 || weekday === 6;
  const tag: ReactNode = (
    <Tag
      color={mark?.color ?? (weekend ? undefined : 'blue')}
      closable={!disabled}
      onClose={(e) => {
        e.preventDefault();
        onRemove();
      }}
      style={{ marginInlineEnd: 0 }}
      data-testid="date-tag"
      data-date={date}
    >
      {t('calendars.dayLabel', { day: Number(date.slice(8, 10)), weekday: t(`calendars.weekdayShort.${weekday}`) })}
    </Tag>
  );
  return mark?.hint ? <Tooltip title={mark.hint}>{tag}</Tooltip> : <Tooltip title={dayjs(date).format('YYYY-MM-DD')}>{tag}</Tooltip>;
}
