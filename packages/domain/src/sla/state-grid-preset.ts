import { assertNever } from '../tickets/assert-never.ts';
import type { SlaTarget, SlaTargets } from './sla.ts';

// Default SLA targets for a State Grid (国家电网) 95598-style center. Values that come from a
// published commitment say so; the others are product defaults, marked as such, and every value
// is only a default that a center's sla_policies override.
//
// Sources:
// [A] State Grid "供电服务十项承诺" (2023 text), art. 3: repair crews on site on average within
//     45 min (urban), 90 min (rural), 2 h (special remote areas); supply restored on average within
//     3 h (urban), 4 h (rural). GB/T 28583-2012 《供电服务规范》 uses the same arrival figures as caps.
//     The commitment states averages; the preset applies them per order, which is stricter.
// [B] State Grid Jiangsu, 2021 complaint practice: contact the customer within 24 h, handle and
//     reply within 4 working days; reports (举报) within 9 working days. (The older 2011 "十项承诺"
//     no. 10 said contact within 1 working day, reply within 7 working days.)
// [C] 十项承诺: meter tests, meter-data anomaly checks and residential new connections within
//     5 working days each — used for service requests (业务申请).
// Southern Grid (南方电网) uses other limits (restore 4 h urban / 5 h rural): a separate preset.

export const TICKET_CATEGORY_CODES = [
  'fault-repair', // 故障报修
  'complaint', // 投诉
  'report', // 举报
  'opinion', // 意见
  'suggestion', // 建议
  'praise', // 表扬
  'service-request', // 业务申请 / 服务申请
  'subscription', // 信息订阅 (e.g. outage notices)
  'inquiry', // 咨询
  'urging', // 催办
] as const;
export type TicketCategoryCode = (typeof TICKET_CATEGORY_CODES)[number];

/** Supply area kinds of the repair commitment: 城区, 农村, 特殊边远地区. */
export const AREA_TYPES = ['urban', 'rural', 'remote'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

export const SLA_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];

export type SlaPresetContext = { area?: AreaType; priority?: SlaPriority };

/** Minutes for a repair crew to be on site [A]. */
export function getRepairArrivalMinutes(area: AreaType): number {
  switch (area) {
    case 'urban':
      return 45;
    case 'rural':
      return 90;
    case 'remote':
      return 120;
    default:
      return assertNever(area);
  }
}

/** Minutes to restore supply [A]; the commitment names no remote figure, so remote uses rural's. */
export function getRepairRestoreMinutes(area: AreaType): number {
  return area === 'urban' ? 180 : 240;
}

const natural = (amount: number, unit: SlaTarget['unit'], after?: SlaTarget['after']): SlaTarget =>
  after === undefined ? { amount, unit, clock: 'natural' } : { amount, unit, clock: 'natural', after };
const workingDays = (amount: number, after?: SlaTarget['after']): SlaTarget =>
  after === undefined ? { amount, unit: 'working_days' } : { amount, unit: 'working_days', after };

// Product defaults shared by the non-repair categories.
const DISPATCH_WITHIN_BUSINESS_HOUR: SlaTarget = { amount: 60, unit: 'minutes' };
const FOLLOW_UP_NEXT_WORKING_DAY = workingDays(1, 'reply');

// Categories whose limits come from a commitment; priority never loosens or tightens them.
const FIXED_BY_COMMITMENT: readonly TicketCategoryCode[] = ['fault-repair', 'complaint', 'report'];

function baseTargets(category: TicketCategoryCode, area: AreaType): SlaTargets {
  switch (category) {
    case 'fault-repair':
      return {
        dispatch: natural(5, 'minutes'), // product default: repairs go out at once, day and night
        arrive: natural(getRepairArrivalMinutes(area), 'minutes'), // [A]
        handle: natural(getRepairRestoreMinutes(area), 'minutes'), // [A]
        reply: natural(24, 'hours', 'handle'), // product default
        followUp: natural(24, 'hours', 'reply'), // product default
      };
    case 'complaint':
      return {
        contact: natural(24, 'hours'), // [B]
        dispatch: DISPATCH_WITHIN_BUSINESS_HOUR,
        reply: workingDays(4), // [B]
        followUp: FOLLOW_UP_NEXT_WORKING_DAY,
      };
    case 'report':
      return { dispatch: DISPATCH_WITHIN_BUSINESS_HOUR, reply: workingDays(9), followUp: FOLLOW_UP_NEXT_WORKING_DAY }; // [B]
    case 'service-request':
      return { dispatch: DISPATCH_WITHIN_BUSINESS_HOUR, reply: workingDays(5), followUp: FOLLOW_UP_NEXT_WORKING_DAY }; // [C]
    case 'opinion':
    case 'suggestion':
      // product default, in line with the 2011 complaint reply limit [B]
      return { dispatch: DISPATCH_WITHIN_BUSINESS_HOUR, reply: workingDays(7), followUp: FOLLOW_UP_NEXT_WORKING_DAY };
    case 'praise':
      return { dispatch: DISPATCH_WITHIN_BUSINESS_HOUR, reply: workingDays(5) }; // product default
    case 'subscription':
    case 'inquiry':
    case 'urging':
      return { dispatch: DISPATCH_WITHIN_BUSINESS_HOUR, reply: workingDays(1) }; // product default
    default:
      return assertNever(category);
  }
}

// Product default: urgent orders are answered within 4 business hours, high ones in half the time
// (rounded up to whole working days); normal and low keep the category's limit.
function applyPriority(targets: SlaTargets, priority: SlaPriority): SlaTargets {
  const reply = targets.reply;
  if (reply === undefined || reply.unit !== 'working_days') return targets;
  switch (priority) {
    case 'urgent':
      return { ...targets, reply: { amount: 4, unit: 'hours' } };
    case 'high':
      return { ...targets, reply: workingDays(Math.max(1, Math.ceil(reply.amount / 2))) };
    case 'normal':
    case 'low':
      return targets;
    default:
      return assertNever(priority);
  }
}

/** Default targets for a category; area defaults to urban and priority to normal. */
export function getStateGridSlaTargets(category: TicketCategoryCode, context: SlaPresetContext = {}): SlaTargets {
  const { area = 'urban', priority = 'normal' } = context;
  const base = baseTargets(category, area);
  return FIXED_BY_COMMITMENT.includes(category) ? base : applyPriority(base, priority);
}

/** The preset as a table: category → targets for an area and priority. */
export const STATE_GRID_SLA_PRESET: Readonly<Record<TicketCategoryCode, (context?: SlaPresetContext) => SlaTargets>> =
  Object.fromEntries(
    TICKET_CATEGORY_CODES.map((code) => [code, (context: SlaPresetContext = {}) => getStateGridSlaTargets(code, context)]),
  ) as Record<TicketCategoryCode, (context?: SlaPresetContext) => SlaTargets>;
