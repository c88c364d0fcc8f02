import { AutoComplete } from 'antd';
import { useMemo } from 'react';
import { parseClock } from '../lib/sla-format';

// Every half hour, 00:00 … 24:00 ('24:00' closes a day that works until midnight).
const HALF_HOURS = Array.from({ length: 49 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

/** 'HH:mm' typed or picked from half-hour suggestions; red while it is not a valid time. */
export function TimeInput({ value, onChange, disabled, invalid, 'data-testid': testId }: { value: string; onChange: (v: string) => void; disabled?: boolean; invalid?: boolean; 'data-testid'?: string }) {
  const options = useMemo(() => {
    const typed = value.trim();
    const list = typed && Number.isNaN(parseClock(typed)) ? HALF_HOURS.filter((h) => h.startsWith(typed)) : HALF_HOURS;
    return list.map((h) => ({ value: h }));
  }, [value]);
  return (
    <AutoComplete
      value={value}
      onChange={(v: string) => onChange(v)}
      options={options}
      disabled={disabled}
      status={invalid || Number.isNaN(parseClock(value)) ? 'error' : undefined}
      placeholder="08:30"
      style={{ width: 76 }}
      popupMatchSelectWidth={110}
      data-testid={testId}
    />
  );
}
