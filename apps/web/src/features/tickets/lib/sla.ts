import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` so countdowns move. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "2天3小时" / "1小时5分" / "12分钟" (and English equivalents) for a positive span. */
export function formatSpan(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('tickets.span.days', { d, h });
  if (h > 0) return t('tickets.span.hours', { h, m });
  return t('tickets.span.minutes', { m });
}

export type DueTone = 'ok' | 'at_risk' | 'breached';

/** How a deadline reads right now: breached once passed, at risk when the server says so. */
export function dueTone(dueAt: string | null, now: number, slaState: string): DueTone {
  if (dueAt && Date.parse(dueAt) <= now) return 'breached';
  if (slaState === 'breached') return 'breached';
  if (slaState === 'at_risk') return 'at_risk';
  return 'ok';
}

export const TONE_COLORS: Record<DueTone, string> = { ok: 'rgba(0,0,0,0.65)', at_risk: '#fa8c16', breached: '#f5222d' };
