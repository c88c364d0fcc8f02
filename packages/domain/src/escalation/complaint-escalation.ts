import type { BuiltinRole } from '../access/permissions.ts';
import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween } from '../calendar/business-calendar.ts';
import { evaluateSla, SLA_MILESTONES, type SlaMilestone, type SlaState } from '../sla/sla.ts';
import { SLA_PRIORITIES, type SlaPriority } from '../sla/state-grid-preset.ts';
import { assertNever } from '../tickets/assert-never.ts';
import { getTopLevelCategoryCode } from '../tickets/categories.ts';
import { allowedActions, type TicketStatus } from '../tickets/ticket-status.ts';

// Two things that decide "who must act now" on an order:
// 1. the complaint escalation ladder (投诉升级): agent → team lead → local complaint line →
//    provincial supervision → national supervision; raising it is recorded with a reason and
//    notifies the next level;
// 2. the SLA sweeper's decision: which at-risk / breached / escalation events an order owes, each
//    fired exactly once (see sweepDecision).

/**
 * Rungs of the ladder, lowest first. tickets.escalation_level stores the index (0..4); the codes
 * are what the API and events show.
 */
export const ESCALATION_LEVELS = [
  'agent', // 座席
  'team_lead', // 值班长/班长
  'local_complaint_line', // 本地投诉专线 (city company complaint desk)
  'provincial_supervision', // 省公司监督专线
  'national_supervision', // 国网总部 / 国家能源局 12398 监管热线
] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export type EscalationHandler = {
  level: EscalationLevel;
  /** The role inside the center that owns the order at this level. */
  role: BuiltinRole;
  nameZh: string;
  nameEn: string;
  /**
   * True when the level is a body outside the center: the order is then owned by a manager who
   * liaises with it, and the notification goes to that manager.
   */
  external: boolean;
};

/** Who handles an order at each rung. */
export function getEscalationHandler(level: EscalationLevel): EscalationHandler {
  switch (level) {
    case 'agent':
      return { level, role: 'agent', nameZh: '座席', nameEn: 'Agent', external: false };
    case 'team_lead':
      return { level, role: 'supervisor', nameZh: '值班长', nameEn: 'Team lead', external: false };
    case 'local_complaint_line':
      return { level, role: 'manager', nameZh: '本地投诉专线', nameEn: 'Local complaint line', external: false };
    case 'provincial_supervision':
      return { level, role: 'manager', nameZh: '省级监督专线', nameEn: 'Provincial supervision line', external: true };
    case 'national_supervision':
      return { level, role: 'manager', nameZh: '国家级监督热线', nameEn: 'National supervision line', external: true };
    default:
      return assertNever(level);
  }
}

/** The rung above, or null at the top. */
export function nextEscalationLevel(level: EscalationLevel): EscalationLevel | null {
  return ESCALATION_LEVELS[ESCALATION_LEVELS.indexOf(level) + 1] ?? null;
}

/** The stored index of a level (tickets.escalation_level). */
export function getEscalationLevelIndex(level: EscalationLevel): number {
  return ESCALATION_LEVELS.indexOf(level);
}

/** The level stored as `index`; RangeError outside 0..4. */
export function getEscalationLevelAt(index: number): EscalationLevel {
  const level = Number.isInteger(index) ? ESCALATION_LEVELS[index] : undefined;
  if (level === undefined) throw new RangeError(`Escalation level index must be within 0..${ESCALATION_LEVELS.length - 1}, got ${index}`);
  return level;
}

/** Complaints (投诉) climb the ladder; other orders stay with the front line. */
export function isEscalatableCategory(categoryCode: string): boolean {
  return getTopLevelCategoryCode(categoryCode) === 'complaint';
}

export type EscalationEvent = {
  type: 'escalated';
  at: Date;
  details: {
    from: EscalationLevel;
    to: EscalationLevel;
    reason: string;
    /** True when the SLA sweeper raised it, false for a person. */
    automatic: boolean;
  };
};

export const ESCALATION_REFUSALS = ['not_escalatable', 'terminal', 'at_top', 'not_higher', 'missing_reason'] as const;
export type EscalationRefusal = (typeof ESCALATION_REFUSALS)[number];

export type RaiseEscalationResult =
  | { ok: true; level: EscalationLevel; event: EscalationEvent; notify: EscalationHandler }
  | { ok: false; reason: EscalationRefusal };

export type EscalatableTicket = { categoryCode: string; status: TicketStatus; escalationLevel: EscalationLevel };

/**
 * Raises a complaint to the next rung, or straight to `to` (a customer who already called the
 * provincial line). Never lowers; refuses archived orders and non-complaints. The result names
 * the handler to notify.
 */
export function raiseEscalation(
  ticket: EscalatableTicket,
  request: { reason: string; to?: EscalationLevel; automatic?: boolean },
  now: Date,
): RaiseEscalationResult {
  if (!isEscalatableCategory(ticket.categoryCode)) return { ok: false, reason: 'not_escalatable' };
  if (ticket.status === 'archived') return { ok: false, reason: 'terminal' };
  if (request.reason.trim() === '') return { ok: false, reason: 'missing_reason' };
  const next = nextEscalationLevel(ticket.escalationLevel);
  if (next === null) return { ok: false, reason: 'at_top' };
  const to = request.to ?? next;
  if (getEscalationLevelIndex(to) <= getEscalationLevelIndex(ticket.escalationLevel)) return { ok: false, reason: 'not_higher' };
  return {
    ok: true,
    level: to,
    event: {
      type: 'escalated',
      at: now,
      details: { from: ticket.escalationLevel, to, reason: request.reason.trim(), automatic: request.automatic ?? false },
    },
    notify: getEscalationHandler(to),
  };
}

// ---------------------------------------------------------------------------------------------
// Escalation on breach: policy as data (sla_policies.escalation jsonb).

export const ESCALATION_AUDIENCES = ['owner', 'supervisor', 'manager'] as const;
/** owner: the assignee, else the holding department; supervisor: the owner's team lead; manager: center manager. */
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];

export type EscalationActionSpec =
  | { type: 'notify'; audience: EscalationAudience }
  /** One step up urgent > high > normal > low. */
  | { type: 'raise_priority' }
  /** Re-dispatch to a fallback department (and person). */
  | { type: 'reassign'; departmentCode: string; assigneeId?: string }
  /** Complaints: one rung up the ladder. */
  | { type: 'raise_escalation_level' };

export type EscalationRule = {
  /** Stable key for the fired markers; defaults to the rule's index. Give ids when rules get reordered. */
  id?: string;
  /** Only this clock; absent = every clock of the order. */
  milestone?: SlaMilestone;
  /** Fire once the clock is this many elapsed minutes past due; 0 = at the breach. */
  overdueMinutes: number;
  actions: readonly EscalationActionSpec[];
};

export type EscalationPolicy = { rules: readonly EscalationRule[] };

/**
 * Product default: at the breach, tell the supervisor and lift a complaint to the team lead;
 * four hours later, raise the priority and tell the manager.
 */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  rules: [
    { id: 'breach', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'supervisor' }, { type: 'raise_escalation_level' }] },
    { id: 'overdue-4h', overdueMinutes: 240, actions: [{ type: 'raise_priority' }, { type: 'notify', audience: 'manager' }] },
  ],
};

/** An action decided for this order, with what it changes. */
export type EscalationAction =
  | { type: 'notify'; audience: EscalationAudience }
  | { type: 'raise_priority'; from: SlaPriority; to: SlaPriority }
  | { type: 'reassign'; departmentCode: string; assigneeId: string | null; previousDepartmentCode: string | null }
  | { type: 'raise_escalation_level'; from: EscalationLevel; to: EscalationLevel; notify: EscalationHandler };

export const ESCALATION_SKIPS = ['at_top_priority', 'at_top_level', 'not_escalatable', 'already_assigned', 'not_allowed_in_status'] as const;
export type EscalationSkip = (typeof ESCALATION_SKIPS)[number];

/** A clock still running (its milestone not yet met), as stored on the order. */
export type SlaClockSnapshot = {
  milestone: SlaMilestone;
  /** When this clock started; identifies the cycle (a reopened order starts new clocks). */
  startedAt: Date;
  /** Deadline, already pushed by past pauses. */
  dueAt: Date;
  /** Finished pauses already added to dueAt (as evaluateSla's pausedMinutes). */
  pausedMinutes?: number;
};

/** What the sweeper knows of an order. */
export type SweepTicketSnapshot = {
  categoryCode: string;
  status: TicketStatus;
  priority: SlaPriority;
  escalationLevel: EscalationLevel;
  departmentCode: string | null;
  assigneeId: string | null;
  /** Stored tickets.sla_state. */
  slaState: SlaState;
  /** Running clocks; met milestones are left out. */
  clocks: readonly SlaClockSnapshot[];
  /** Set while paused (挂起): every clock is frozen at that moment. */
  pausedSince: Date | null;
  /** Default 0.8 (see evaluateSla). */
  atRiskRatio?: number;
  /** Measure the at-risk window in business minutes of this calendar (default elapsed time). */
  calendar?: BusinessCalendar;
};

/** tickets.sla_fired: marker key → ISO instant it fired. */
export type SlaFiredMarkers = Readonly<Record<string, string>>;

export type EscalationStep = {
  key: string;
  ruleId: string;
  milestone: SlaMilestone;
  dueAt: Date;
  overdueMinutes: number;
  actions: EscalationAction[];
  skipped: { type: EscalationActionSpec['type']; reason: EscalationSkip }[];
};

export type EscalationPlan = {
  steps: EscalationStep[];
  /** The order after every step, for the service to persist. */
  priority: SlaPriority;
  escalationLevel: EscalationLevel;
  departmentCode: string | null;
  assigneeId: string | null;
};

/** Marker key of one clock event: milestone and cycle start, so a new cycle fires anew. */
export function getSlaMarkerKey(clock: Pick<SlaClockSnapshot, 'milestone' | 'startedAt'>, event: 'at_risk' | 'breached' | `esc:${string}`): string {
  return `${clock.milestone}@${clock.startedAt.toISOString()}:${event}`;
}

// The instant the clock is judged at: frozen while paused.
function judgedAt(ticket: SweepTicketSnapshot, now: Date): Date {
  return ticket.pausedSince !== null && ticket.pausedSince < now ? ticket.pausedSince : now;
}

function raisePriority(p: SlaPriority): SlaPriority {
  return SLA_PRIORITIES[Math.max(0, SLA_PRIORITIES.indexOf(p) - 1)];
}

function sortedClocks(ticket: SweepTicketSnapshot): SlaClockSnapshot[] {
  return [...ticket.clocks].sort(
    (a, b) => SLA_MILESTONES.indexOf(a.milestone) - SLA_MILESTONES.indexOf(b.milestone) || a.startedAt.getTime() - b.startedAt.getTime(),
  );
}

function ruleId(rule: EscalationRule, index: number): string {
  return rule.id ?? String(index);
}

/**
 * The escalation steps a breached order owes at `now` under `policy`: for each running clock past
 * due, each rule whose overdue threshold is reached and whose marker is not in `fired`. Steps are
 * folded in order (a second raise_priority starts where the first ended) and no-op actions are
 * reported as skipped. Overdue time is elapsed time, frozen while the order is paused. Not
 * idempotent by itself: pass the stored markers, or use sweepDecision.
 */
export function escalationOnBreach(
  policy: EscalationPolicy,
  ticket: SweepTicketSnapshot,
  now: Date,
  fired: SlaFiredMarkers = {},
): EscalationPlan {
  const at = judgedAt(ticket, now);
  let { priority, escalationLevel, departmentCode, assigneeId } = ticket;
  const steps: EscalationStep[] = [];
  const rules = policy.rules
    .map((rule, index) => ({ rule, id: ruleId(rule, index), index }))
    .sort((a, b) => a.rule.overdueMinutes - b.rule.overdueMinutes || a.index - b.index);
  for (const clock of sortedClocks(ticket)) {
    if (at <= clock.dueAt) continue;
    const overdueMinutes = (at.getTime() - clock.dueAt.getTime()) / 60_000;
    for (const { rule, id } of rules) {
      if (rule.milestone !== undefined && rule.milestone !== clock.milestone) continue;
      if (overdueMinutes < rule.overdueMinutes) continue;
      const key = getSlaMarkerKey(clock, `esc:${id}`);
      if (Object.hasOwn(fired, key)) continue;
      const step: EscalationStep = { key, ruleId: id, milestone: clock.milestone, dueAt: clock.dueAt, overdueMinutes, actions: [], skipped: [] };
      for (const spec of rule.actions) {
        switch (spec.type) {
          case 'notify':
            step.actions.push({ type: 'notify', audience: spec.audience });
            break;
          case 'raise_priority': {
            const to = raisePriority(priority);
            if (to === priority) step.skipped.push({ type: spec.type, reason: 'at_top_priority' });
            else {
              step.actions.push({ type: 'raise_priority', from: priority, to });
              priority = to;
            }
            break;
          }
          case 'reassign': {
            const target = spec.assigneeId ?? null;
            if (spec.departmentCode === departmentCode && (target === null || target === assigneeId)) {
              step.skipped.push({ type: spec.type, reason: 'already_assigned' });
            } else if (!allowedActions(ticket.status).includes('dispatch')) {
              // Only a dispatchable order can be re-dispatched; a crew at work must return it first.
              step.skipped.push({ type: spec.type, reason: 'not_allowed_in_status' });
            } else {
              step.actions.push({ type: 'reassign', departmentCode: spec.departmentCode, assigneeId: target, previousDepartmentCode: departmentCode });
              departmentCode = spec.departmentCode;
              assigneeId = target;
            }
            break;
          }
          case 'raise_escalation_level': {
            const to = nextEscalationLevel(escalationLevel);
            if (!isEscalatableCategory(ticket.categoryCode)) step.skipped.push({ type: spec.type, reason: 'not_escalatable' });
            else if (to === null) step.skipped.push({ type: spec.type, reason: 'at_top_level' });
            else {
              step.actions.push({ type: 'raise_escalation_level', from: escalationLevel, to, notify: getEscalationHandler(to) });
              escalationLevel = to;
            }
            break;
          }
          default:
            assertNever(spec);
        }
      }
      steps.push(step);
    }
  }
  return { steps, priority, escalationLevel, departmentCode, assigneeId };
}

// ---------------------------------------------------------------------------------------------
// The sweeper's decision.

export type SweepEvent =
  | { kind: 'at_risk'; key: string; milestone: SlaMilestone; dueAt: Date; notify: readonly EscalationAudience[] }
  | { kind: 'breached'; key: string; milestone: SlaMilestone; dueAt: Date; notify: readonly EscalationAudience[] }
  | { kind: 'escalation'; key: string; step: EscalationStep };

export type SweepDecision = {
  /** Worst state of the running clocks: the new tickets.sla_state. */
  slaState: SlaState;
  /** Events to write and fan out now, in order. */
  events: SweepEvent[];
  /** The markers to store: the old ones plus one per fired (or superseded) event. */
  fired: SlaFiredMarkers;
  /** Priority, level and holder after the escalation steps. */
  escalation: EscalationPlan;
  /**
   * When the order next needs a look (tickets.sla_next_check_at); null when nothing more can
   * fire (no running clock, or paused: resuming is a write that recomputes it).
   */
  nextCheckAt: Date | null;
  /** False when there is nothing to write but nextCheckAt. */
  changed: boolean;
};

const SEVERITY: Readonly<Record<SlaState, number>> = { ok: 0, at_risk: 1, breached: 2 };

function atRiskMoment(ticket: SweepTicketSnapshot, clock: SlaClockSnapshot, ratio: number): number {
  const paused = clock.pausedMinutes ?? 0;
  const cal = ticket.calendar;
  const window = (cal === undefined ? (clock.dueAt.getTime() - clock.startedAt.getTime()) / 60_000 : businessMinutesBetween(cal, clock.startedAt, clock.dueAt)) - paused;
  // One millisecond past the exact point, so float rounding in evaluateSla's ratio cannot leave
  // the order just short of at-risk when the sweeper comes back.
  const minutes = Math.max(0, paused + ratio * Math.max(0, window)) + 1 / 60_000;
  return Math.ceil(cal === undefined ? clock.startedAt.getTime() + minutes * 60_000 : addBusinessMinutes(cal, clock.startedAt, minutes).getTime());
}

/**
 * What the SLA sweeper must do for one order at `now`, given the markers already fired
 * (tickets.sla_fired). Each event — a clock turning at risk, a clock breached, an escalation rule
 * reached — has a marker key (milestone + cycle start + event) and fires only if its key is not
 * in `fired`; a clock found already breached fires the breach alone and marks its at-risk event
 * as superseded. So the decision is idempotent: with the returned markers it fires nothing again.
 *
 * Exactly-once needs the caller's half: the sweeper locks due rows
 * (`… where sla_next_check_at <= now() for update skip locked`), decides, then writes sla_fired,
 * sla_state, sla_next_check_at, the events and the outbox in the same transaction. A restarted
 * sweeper reads the stored markers; a second process skips the locked rows, and once they commit
 * it sees the new markers.
 */
export function sweepDecision(
  ticket: SweepTicketSnapshot,
  now: Date,
  fired: SlaFiredMarkers,
  policy: EscalationPolicy = { rules: [] },
): SweepDecision {
  const ratio = ticket.atRiskRatio ?? 0.8;
  const stamp = now.toISOString();
  const markers: Record<string, string> = { ...fired };
  const events: SweepEvent[] = [];
  let slaState: SlaState = 'ok';
  const clocks = sortedClocks(ticket);
  const paused = ticket.pausedSince !== null;

  for (const clock of clocks) {
    const state = evaluateSla({
      dueAt: clock.dueAt,
      startedAt: clock.startedAt,
      now,
      atRiskRatio: ratio,
      pausedMinutes: clock.pausedMinutes ?? 0,
      ...(ticket.pausedSince !== null ? { pausedSince: ticket.pausedSince } : {}),
      ...(ticket.calendar !== undefined ? { calendar: ticket.calendar } : {}),
    });
    if (SEVERITY[state] > SEVERITY[slaState]) slaState = state;
    const riskKey = getSlaMarkerKey(clock, 'at_risk');
    const breachKey = getSlaMarkerKey(clock, 'breached');
    switch (state) {
      case 'ok':
        break;
      case 'at_risk':
        if (!Object.hasOwn(markers, riskKey)) {
          events.push({ kind: 'at_risk', key: riskKey, milestone: clock.milestone, dueAt: clock.dueAt, notify: ['owner'] });
          markers[riskKey] = stamp;
        }
        break;
      case 'breached':
        if (!Object.hasOwn(markers, riskKey)) markers[riskKey] = stamp; // superseded by the breach
        if (!Object.hasOwn(markers, breachKey)) {
          events.push({ kind: 'breached', key: breachKey, milestone: clock.milestone, dueAt: clock.dueAt, notify: ['owner', 'supervisor'] });
          markers[breachKey] = stamp;
        }
        break;
      default:
        assertNever(state);
    }
  }

  const escalation = escalationOnBreach(policy, ticket, now, markers);
  for (const step of escalation.steps) {
    events.push({ kind: 'escalation', key: step.key, step });
    markers[step.key] = stamp;
  }

  let next: number | null = null;
  if (!paused) {
    const consider = (ms: number) => {
      next = next === null ? ms : Math.min(next, ms);
    };
    for (const clock of clocks) {
      if (!Object.hasOwn(markers, getSlaMarkerKey(clock, 'at_risk'))) consider(atRiskMoment(ticket, clock, ratio));
      if (!Object.hasOwn(markers, getSlaMarkerKey(clock, 'breached'))) consider(clock.dueAt.getTime() + 1); // breached once past due
      policy.rules.forEach((rule, index) => {
        if (rule.milestone !== undefined && rule.milestone !== clock.milestone) return;
        if (Object.hasOwn(markers, getSlaMarkerKey(clock, `esc:${ruleId(rule, index)}`))) return;
        consider(clock.dueAt.getTime() + Math.max(rule.overdueMinutes * 60_000, 1));
      });
    }
  }
  // Never in the past: rounding could otherwise keep an order due on every pass.
  const nextCheckAt = next === null ? null : new Date(Math.max(Math.ceil(next), now.getTime() + 1000));
  return {
    slaState,
    events,
    fired: markers,
    escalation,
    nextCheckAt,
    changed: events.length > 0 || slaState !== ticket.slaState || Object.keys(markers).length !== Object.keys(fired).length,
  };
}
