import type { TFunction } from 'i18next';
import type { BusinessCalendar, CategoryNode, SlaMilestone, SlaPolicy, SlaTarget, SlaTargets, WorkingHours } from '../../../api/types';
import { SLA_MILESTONES, TICKET_PRIORITIES } from '../../../api/types';

/** "45分钟(自然时)" / "3小时" / "4个工作日" / "2个自然日"; whole hours written in minutes read as hours. */
export function formatTargetAmount(t: TFunction, target: SlaTarget): string {
  const natural = target.clock === 'natural';
  if (target.unit === 'working_days') return t(natural ? 'slaAdmin.amount.naturalDays' : 'slaAdmin.amount.workingDays', { n: target.amount });
  let { amount, unit } = target;
  if (unit === 'minutes' && amount >= 60 && amount % 60 === 0) {
    amount /= 60;
    unit = 'hours';
  }
  const text = t(unit === 'hours' ? 'slaAdmin.amount.hours' : 'slaAdmin.amount.minutes', { n: amount });
  return natural ? t('slaAdmin.amount.natural', { text }) : text;
}

/** "到达 45分钟(自然时)", "回访 1个工作日(回复后)". */
export function formatTarget(t: TFunction, milestone: SlaMilestone, target: SlaTarget): string {
  const text = `${t(`slaAdmin.milestoneShort.${milestone}`)} ${formatTargetAmount(t, target)}`;
  return target.after ? t('slaAdmin.amount.after', { text, milestone: t(`slaAdmin.milestoneShort.${target.after}`) }) : text;
}

// The clocks a customer notices; the others are listed in the tooltip.
const KEY_MILESTONES: readonly SlaMilestone[] = ['contact', 'arrive', 'handle', 'reply'];

/** The key targets of a policy in milestone order, and all of them. */
export function summariseTargets(t: TFunction, targets: SlaTargets): { key: string[]; all: string[] } {
  const present = SLA_MILESTONES.filter((m) => targets[m]);
  const all = present.map((m) => formatTarget(t, m, targets[m] as SlaTarget));
  let keyMilestones = present.filter((m) => KEY_MILESTONES.includes(m));
  if (keyMilestones.length === 0) keyMilestones = present.slice(0, 3);
  // Follow-ups counted after another milestone are details: show them only in the full list.
  const key = keyMilestones.map((m) => {
    const target = targets[m] as SlaTarget;
    return `${t(`slaAdmin.milestoneShort.${m}`)} ${formatTargetAmount(t, target)}`;
  });
  return { key, all };
}

function nodeName(lang: string, node: { nameZh: string; nameEn: string; code: string }): string {
  return (lang === 'en-US' ? node.nameEn : node.nameZh) || node.code;
}

/** The category a policy covers: '' is every category; sub-categories read "故障报修 / 低压故障". */
export function categoryPrefixLabel(t: TFunction, lang: string, categories: readonly CategoryNode[] | undefined, prefix: string): string {
  if (prefix === '') return t('slaAdmin.allCategories');
  for (const node of categories ?? []) {
    if (node.code === prefix) return nodeName(lang, node);
    const child = node.children.find((c) => c.code === prefix);
    if (child) return `${nodeName(lang, node)} / ${nodeName(lang, child)}`;
  }
  return prefix;
}

const AREA_ORDER = ['urban', 'rural', 'remote'];

/**
 * Policies in the order an administrator reads them: by category as the tree lists them (policies
 * for every category last), then general before specific: no conditions, per area kind, per
 * priority, both.
 */
export function sortPolicies(policies: readonly SlaPolicy[], categories: readonly CategoryNode[] | undefined): SlaPolicy[] {
  const position = new Map<string, number>();
  for (const [i, node] of (categories ?? []).entries()) {
    position.set(node.code, i * 1000);
    for (const [j, child] of node.children.entries()) position.set(child.code, i * 1000 + j + 1);
  }
  const catRank = (p: SlaPolicy) => (p.categoryPrefix === '' ? Number.MAX_SAFE_INTEGER : (position.get(p.categoryPrefix) ?? Number.MAX_SAFE_INTEGER - 1));
  const prioRank = (p: SlaPolicy) => (p.priority === null ? -1 : TICKET_PRIORITIES.indexOf(p.priority));
  const areaRank = (p: SlaPolicy) => (p.areaKind === null ? -1 : AREA_ORDER.indexOf(p.areaKind));
  return [...policies].sort(
    (a, b) =>
      catRank(a) - catRank(b) ||
      a.categoryPrefix.localeCompare(b.categoryPrefix) ||
      prioRank(a) - prioRank(b) ||
      areaRank(a) - areaRank(b) ||
      a.name.localeCompare(b.name),
  );
}

/** Minutes of a 'HH:mm' wall time ('24:00' allowed), NaN when malformed. Mirrors the server's check. */
export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return Number.NaN;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return Number.NaN;
  return h * 60 + min;
}

export function isValidRange(r: WorkingHours): boolean {
  const [s, e] = [parseClock(r.start), parseClock(r.end)];
  return !Number.isNaN(s) && !Number.isNaN(e) && s < e;
}

/** Working minutes of one day's ranges, overlaps counted once; invalid ranges ignored. */
export function dayMinutes(ranges: readonly WorkingHours[]): number {
  const spans = ranges
    .filter(isValidRange)
    .map((r) => [parseClock(r.start), parseClock(r.end)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

/** "1天2小时" / "1小时30分钟" / "45分钟": a span of minutes without zero parts. */
export function formatMinutes(t: TFunction, minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = Math.round(minutes % 60);
  const parts: string[] = [];
  if (d) parts.push(t('slaAdmin.amount.days', { n: d }));
  if (h) parts.push(t('slaAdmin.amount.hours', { n: h }));
  if (m || parts.length === 0) parts.push(t('slaAdmin.amount.minutes', { n: m }));
  return parts.join(' ');
}

/** "8小时" / "7.5小时". */
export function formatHours(t: TFunction, minutes: number): string {
  return t('slaAdmin.amount.hours', { n: Math.round((minutes / 60) * 100) / 100 });
}

/** One line for a calendar: 24×7, or its Monday–Sunday hours grouped ("周一至周五 08:30–12:00, 14:00–17:30"). */
export function describeCalendar(t: TFunction, calendar: BusinessCalendar | undefined): string {
  if (!calendar) return '—';
  const def = calendar.definition;
  if (def.alwaysOpen) return t('calendars.alwaysOpenShort');
  const order = ['1', '2', '3', '4', '5', '6', '0'] as const;
  const parts: string[] = [];
  let i = 0;
  while (i < order.length) {
    const key = order[i] as (typeof order)[number];
    const text = def.weekly[key].map((r) => `${r.start}–${r.end}`).join(', ');
    let j = i;
    while (j + 1 < order.length && def.weekly[order[j + 1] as (typeof order)[number]].map((r) => `${r.start}–${r.end}`).join(', ') === text) j++;
    if (text) {
      const days = i === j ? t(`calendars.weekday.${key}`) : t('calendars.weekdayRange', { from: t(`calendars.weekday.${key}`), to: t(`calendars.weekday.${order[j]}`) });
      parts.push(`${days} ${text}`);
    }
    i = j + 1;
  }
  return parts.join(t('calendars.separator')) || t('calendars.noHours');
}
