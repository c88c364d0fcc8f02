import {
  addBusinessMinutes,
  addWorkingDays,
  type BusinessCalendar,
  businessMinutesBetween,
} from '../calendar/business-calendar.ts';
import { assertNever } from '../tickets/assert-never.ts';
import type { TicketStatus } from '../tickets/ticket-status.ts';

/**
 * Clocks a work order can run against.
 * accept: the center registers an inbound request (web form, WeChat message) as an order (受理).
 * contact: someone calls the customer back (e.g. complaints within 24 h); runs beside the others.
 * dispatch, arrive (on site, repairs), handle (result or supply restored), reply (answer to the
 * customer), followUp (回访).
 */
export const SLA_MILESTONES = ['accept', 'contact', 'dispatch', 'arrive', 'handle', 'reply', 'followUp'] as const;
export type SlaMilestone = (typeof SLA_MILESTONES)[number];

export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export type SlaTarget = {
  amount: number;
  /** minutes and hours are business time; working_days end at closing time (see addWorkingDays). */
  unit: 'minutes' | 'hours' | 'working_days';
  /**
   * 'business' (default): counted on the policy's calendar. 'natural': elapsed time around the
   * clock (自然时), as for "on site within 45 minutes"; natural working_days are calendar days
   * ending at local midnight.
   */
  clock?: 'business' | 'natural';
  /** Count from the moment this milestone was met instead of from the order's start. */
  after?: SlaMilestone;
};

export type SlaTargets = Partial<Record<SlaMilestone, SlaTarget>>;

/** acceptDueAt, contactDueAt, dispatchDueAt, arriveDueAt, handleDueAt, replyDueAt, followUpDueAt. */
export type SlaDueTimes = Partial<Record<`${SlaMilestone}DueAt`, Date>>;

const naturalCalendars = new Map<string, BusinessCalendar>();

// 24x7 in the policy calendar's zone (the zone still says where a natural day ends).
function getNaturalCalendar(calendar: BusinessCalendar): BusinessCalendar {
  let cal = naturalCalendars.get(calendar.timeZone);
  if (cal === undefined) {
    cal = { timeZone: calendar.timeZone, alwaysOpen: true, weekly: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] }, holidays: [], workdays: [] };
    naturalCalendars.set(calendar.timeZone, cal);
  }
  return cal;
}

/** The deadline of one target counted from `from`. */
export function computeDueAt(target: SlaTarget, calendar: BusinessCalendar, from: Date): Date {
  if (!Number.isFinite(target.amount) || target.amount < 0) throw new RangeError(`SLA amount must be ≥ 0, got ${target.amount}`);
  const cal = target.clock === 'natural' ? getNaturalCalendar(calendar) : calendar;
  switch (target.unit) {
    case 'minutes':
      return addBusinessMinutes(cal, from, target.amount);
    case 'hours':
      return addBusinessMinutes(cal, from, target.amount * 60);
    case 'working_days':
      return addWorkingDays(cal, from, target.amount);
    default:
      return assertNever(target.unit);
  }
}

/**
 * Due times of every target. Targets counted from the order's start use `from`; a target with
 * `after` is computed only once that milestone is in `reached` (e.g. followUp after the reply),
 * so call again as milestones are met.
 */
export function computeDueTimes(
  targets: SlaTargets,
  calendar: BusinessCalendar,
  from: Date,
  reached: Partial<Record<SlaMilestone, Date>> = {},
): SlaDueTimes {
  const due: SlaDueTimes = {};
  for (const milestone of SLA_MILESTONES) {
    const target = targets[milestone];
    if (target === undefined) continue;
    const start = target.after === undefined ? from : reached[target.after];
    if (start !== undefined) due[`${milestone}DueAt`] = computeDueAt(target, calendar, start);
  }
  return due;
}

export type EvaluateSlaInput = {
  /** The deadline, already pushed by past pauses (shiftForPause). */
  dueAt: Date;
  now: Date;
  /** When the clock started. */
  startedAt: Date;
  /** At risk once this share of the window is used; default 0.8. */
  atRiskRatio?: number;
  /** Total of the finished pauses already added to dueAt, in the same measure as the window. */
  pausedMinutes?: number;
  /** Set while paused: the clock is frozen at that moment. */
  pausedSince?: Date;
  /** When the milestone was met: judged at that moment, never at risk afterwards. */
  completedAt?: Date;
  /** Measure the window in business minutes (default: elapsed minutes). */
  calendar?: BusinessCalendar;
};

/**
 * 'breached' after the deadline; 'at_risk' once elapsed / window ≥ atRiskRatio, where pause time
 * counts in neither; else 'ok'. A met milestone is 'ok' or 'breached', judged when it was met.
 */
export function evaluateSla(input: EvaluateSlaInput): SlaState {
  const { dueAt, startedAt, atRiskRatio = 0.8, pausedMinutes = 0, calendar } = input;
  if (!(atRiskRatio >= 0 && atRiskRatio <= 1)) throw new RangeError(`atRiskRatio must be within 0..1, got ${atRiskRatio}`);
  if (input.completedAt !== undefined) return input.completedAt > dueAt ? 'breached' : 'ok';
  const at = input.pausedSince !== undefined && input.pausedSince < input.now ? input.pausedSince : input.now;
  if (at > dueAt) return 'breached';
  const minutes = (a: Date, b: Date) =>
    calendar === undefined ? (b.getTime() - a.getTime()) / 60_000 : businessMinutesBetween(calendar, a, b);
  const window = minutes(startedAt, dueAt) - pausedMinutes;
  if (window <= 0) return 'at_risk'; // due now and not yet past
  const elapsed = minutes(startedAt, at) - pausedMinutes;
  return elapsed / window >= atRiskRatio ? 'at_risk' : 'ok';
}

/**
 * The deadline after a pause (挂起): pushed by the business minutes the pause lasted, so the time
 * left when it began is still left when it ends. A pause begun after the deadline changes nothing:
 * waiting for the customer cannot cure a breach. Use a 24x7 calendar for natural-clock targets.
 */
export function shiftForPause(dueAt: Date, calendar: BusinessCalendar, pausedFrom: Date, resumedAt: Date): Date {
  if (pausedFrom >= dueAt) return dueAt;
  const paused = businessMinutesBetween(calendar, pausedFrom, resumedAt);
  return paused > 0 ? addBusinessMinutes(calendar, dueAt, paused) : dueAt;
}

export type NextMilestoneOptions = {
  /** The order needs someone on site (fault repair). */
  requiresArrival?: boolean;
  /** The crew has arrived for the current dispatch. */
  arrived?: boolean;
};

/**
 * Which due time governs an order in `status`: the next thing owed. For repairs the arrival
 * governs until the crew is on site, whether or not the department has accepted the dispatch.
 * Null once the order needs nothing more (followed up, resolved at first contact, archived).
 */
export function nextMilestone(status: TicketStatus, options: NextMilestoneOptions = {}): SlaMilestone | null {
  switch (status) {
    case 'accepted':
    case 'returned':
      return 'dispatch';
    case 'dispatched':
    case 'in_progress':
      return options.requiresArrival === true && options.arrived !== true ? 'arrive' : 'handle';
    case 'handled':
      return 'reply';
    case 'replied':
      return 'followUp';
    case 'followed_up':
    case 'resolved':
    case 'archived':
      return null;
    default:
      return assertNever(status);
  }
}
