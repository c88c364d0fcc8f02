import { getLocalDayNumber } from '../calendar/time-zone.ts';
import {
  type ContactState,
  DEFAULT_SHORT_ABANDON_SECONDS,
  getWaitSeconds,
  isAbandoned,
  isAnsweredWithin,
  isShortAbandon,
  isContactWaiting,
} from '../contacts/contact.ts';
import { assertNever } from '../tickets/assert-never.ts';

// Queue figures for the supervisor wall and reports, computed from contacts with the KPI
// definitions of REFERENCE.md. Only contacts that queued count: direct assignments (outbound,
// counter) never waited for a person.

/**
 * Service level X/T variants (N秒接通率). 'answered_and_abandoned' (default, F3): answered within
 * T / (answered + abandoned), short abandons left out. 'answered_only': answered within T /
 * answered. 'offered': answered within T / every request (answered + all abandons, short ones too,
 * + queue time-outs).
 */
export const SERVICE_LEVEL_FORMULAS = ['answered_and_abandoned', 'answered_only', 'offered'] as const;
export type ServiceLevelFormula = (typeof SERVICE_LEVEL_FORMULAS)[number];

/** Default threshold T of the service level (the common 80/20 target). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

export type ServiceFigureOptions = {
  serviceLevelSeconds?: number;
  shortAbandonSeconds?: number;
  serviceLevelFormula?: ServiceLevelFormula;
};

export type ServiceFigures = {
  /** Requests for a person: answered + abandoned + overflowed (short abandons left out of both terms). */
  offered: number;
  answered: number;
  answeredWithinThreshold: number;
  /** Abandons after the short-abandon threshold. */
  abandoned: number;
  shortAbandoned: number;
  /** Queue time-outs: sent to leave-a-message / callback after waiting past the short-abandon threshold. */
  overflowed: number;
  /**
   * Sent to leave-a-message / callback within the short-abandon threshold (closed hours, nobody
   * logged in): no request the queue failed to answer in time, so in no KPI term.
   */
  overflowedAtOnce: number;
  /** 0…1 by the chosen formula; null when its denominator is 0. */
  serviceLevel: number | null;
  /** 接通率: answered / offered. */
  answerRate: number | null;
  abandonRate: number | null;
  /** ASA: mean wait of answered contacts, in seconds. */
  averageSpeedOfAnswerSeconds: number | null;
};

export type QueueFigures = ServiceFigures & {
  /** Contacts queued or ringing now. */
  waiting: number;
  /** Longest current wait in the queue, seconds; 0 when nobody waits. */
  longestWaitSeconds: number;
};

type FigureFields = Pick<
  ContactState,
  'status' | 'queueId' | 'queuedAt' | 'waitingSince' | 'answeredAt' | 'endedAt' | 'endReason'
>;

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

/**
 * Service KPIs over a set of contacts (a day, an interval, a queue): every contact that queued
 * and has an outcome — answered, abandoned or overflowed; those still waiting are not counted yet.
 */
export function computeServiceFigures(contacts: readonly FigureFields[], options: ServiceFigureOptions = {}): ServiceFigures {
  const threshold = options.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;
  const shortAbandon = options.shortAbandonSeconds ?? DEFAULT_SHORT_ABANDON_SECONDS;
  let answered = 0;
  let within = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let overflowed = 0;
  let overflowedAtOnce = 0;
  let waitSum = 0;
  for (const c of contacts) {
    if (c.queuedAt === null) continue;
    if (c.answeredAt !== null) {
      answered++;
      waitSum += getWaitSeconds(c) ?? 0;
      if (isAnsweredWithin(c, threshold)) within++;
    } else if (isAbandoned(c, shortAbandon)) abandoned++;
    else if (isShortAbandon(c, shortAbandon)) shortAbandoned++;
    else if (c.endReason === 'overflowed') {
      if ((getWaitSeconds(c) ?? 0) > shortAbandon) overflowed++;
      else overflowedAtOnce++;
    }
  }
  const offered = answered + abandoned + overflowed;
  const formula = options.serviceLevelFormula ?? 'answered_and_abandoned';
  let denominator: number;
  switch (formula) {
    case 'answered_and_abandoned':
      denominator = answered + abandoned;
      break;
    case 'answered_only':
      denominator = answered;
      break;
    case 'offered':
      denominator = answered + abandoned + shortAbandoned + overflowed;
      break;
    default:
      return assertNever(formula);
  }
  return {
    offered,
    answered,
    answeredWithinThreshold: within,
    abandoned,
    shortAbandoned,
    overflowed,
    overflowedAtOnce,
    serviceLevel: ratio(within, denominator),
    answerRate: ratio(answered, offered),
    abandonRate: ratio(abandoned, offered),
    averageSpeedOfAnswerSeconds: ratio(waitSum, answered),
  };
}

export type QueueFigureOptions = ServiceFigureOptions & {
  /** IANA zone whose local date is "today", e.g. the queue calendar's 'Asia/Shanghai'. */
  timeZone: string;
};

/**
 * Live figures of one queue (the caller passes that queue's contacts): waiting now, longest
 * current wait, and today's service figures — contacts first queued on `now`'s local date.
 */
export function computeQueueFigures(contacts: readonly FigureFields[], now: Date, options: QueueFigureOptions): QueueFigures {
  const today = getLocalDayNumber(now.getTime(), options.timeZone);
  let waiting = 0;
  let longestMs = 0;
  const todays: FigureFields[] = [];
  for (const c of contacts) {
    if (isContactWaiting(c)) {
      waiting++;
      if (c.waitingSince !== null) longestMs = Math.max(longestMs, now.getTime() - c.waitingSince.getTime());
    }
    if (c.queuedAt !== null && getLocalDayNumber(c.queuedAt.getTime(), options.timeZone) === today) todays.push(c);
  }
  return { waiting, longestWaitSeconds: longestMs / 1000, ...computeServiceFigures(todays, options) };
}

/**
 * computeQueueFigures for every queue among `contacts`, keyed by queue id (a contact counts in
 * the queue it is in now or ended in). Contacts without a queue are left out.
 */
export function computeFiguresByQueue(
  contacts: readonly FigureFields[],
  now: Date,
  options: QueueFigureOptions,
): Record<string, QueueFigures> {
  const byQueue = new Map<string, FigureFields[]>();
  for (const c of contacts) {
    if (c.queueId === null) continue;
    const list = byQueue.get(c.queueId);
    if (list === undefined) byQueue.set(c.queueId, [c]);
    else list.push(c);
  }
  const out: Record<string, QueueFigures> = {};
  for (const [queueId, list] of byQueue) out[queueId] = computeQueueFigures(list, now, options);
  return out;
}
