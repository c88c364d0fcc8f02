import { assertNever } from './assert-never.ts';

/**
 * Work-order (工单) statuses. The codes are stable: they are stored in the database and sent over
 * the API, so rename the Chinese labels freely but never these strings.
 */
export const TICKET_STATUSES = [
  'accepted', // 受理
  'dispatched', // 已派单
  'in_progress', // 处理中 (department accepted the dispatch)
  'handled', // 已处理 (department reported its result)
  'replied', // 已回复 (customer told the result)
  'followed_up', // 已回访
  'archived', // 已归档 (terminal)
  'resolved', // 一次办结 (closed at first contact, FCR)
  'returned', // 退单 (sent back by a department, waits for a new dispatch)
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which work is still owed before the customer is answered. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'returned',
];

export const TICKET_ACTIONS = [
  'dispatch', // 派单 (also re-dispatch 改派)
  'accept_dispatch', // 接单
  'arrive', // 到达现场 (repair crews)
  'handle', // 处理完成, report the result
  'return', // 退单
  'reply', // 回复客户
  'resolve_at_first_contact', // 一次办结
  'follow_up', // 回访
  'archive', // 归档
  'reopen', // 重开
  'urge', // 催办
  'pause', // 挂起 (waiting for the customer)
  'resume', // 恢复
] as const;
export type TicketActionType = (typeof TICKET_ACTIONS)[number];

/** Urgency rises with urges (催办): one step per urge unless a policy says otherwise (urging.ts); it never falls. */
export const TICKET_URGENCIES = ['normal', 'high', 'critical'] as const;
export type TicketUrgency = (typeof TICKET_URGENCIES)[number];

export type TicketAction =
  | { type: 'dispatch'; departmentId: string; note?: string }
  | { type: 'accept_dispatch' }
  | { type: 'arrive' }
  | { type: 'handle'; result: string }
  | { type: 'return'; reason: string }
  | { type: 'reply'; message?: string }
  | { type: 'resolve_at_first_contact'; resolution: string }
  | { type: 'follow_up'; satisfied?: boolean; note?: string }
  | { type: 'archive' }
  | { type: 'reopen'; reason: string }
  | {
      type: 'urge';
      note?: string;
      /** Urgency after this urge when a policy decides it (see urging.ts); default one step up. Never lowers it. */
      urgency?: TicketUrgency;
    }
  | { type: 'pause'; reason?: string }
  | { type: 'resume' };

/** The slice of a work order the state machine needs; the service stores the rest. */
export type TicketState = {
  status: TicketStatus;
  urgency: TicketUrgency;
  urgeCount: number;
  reopenCount: number;
  returnCount: number;
  dispatchCount: number;
  /** Department currently holding the order; null while the center holds it. */
  departmentId: string | null;
  /** Set while paused (挂起); a paused ticket is always open. */
  pausedAt: Date | null;
  /** Arrival on site for the current dispatch. */
  arrivedAt: Date | null;
  handledAt: Date | null;
  /** When the customer got the answer: reply or first-contact resolution. */
  resolvedAt: Date | null;
  resolvedAtFirstContact: boolean;
  /** When the order was archived. */
  closedAt: Date | null;
};

export type TicketEventType =
  | 'dispatched'
  | 'dispatch_accepted'
  | 'arrived'
  | 'handled'
  | 'returned'
  | 'replied'
  | 'resolved_at_first_contact'
  | 'followed_up'
  | 'archived'
  | 'reopened'
  | 'urged'
  | 'paused'
  | 'resumed';

/** A timeline entry (ticket_events row) describing one change. */
export type TicketEvent = {
  type: TicketEventType;
  from: TicketStatus;
  to: TicketStatus;
  at: Date;
  details: Readonly<Record<string, string | number | boolean | null>>;
};

export const TRANSITION_REFUSALS = [
  'terminal', // archived orders accept no action
  'not_allowed_in_status',
  'not_followed_up', // archive before follow-up (and not FCR)
  'missing_department',
  'missing_result',
  'missing_reason',
  'missing_resolution',
  'already_arrived',
  'already_paused',
  'not_paused',
] as const;
export type TransitionRefusal = (typeof TRANSITION_REFUSALS)[number];

export type TransitionResult =
  | { ok: true; ticket: TicketState; events: TicketEvent[] }
  | { ok: false; reason: TransitionRefusal };

// Which actions each status permits (before payload and pause checks).
const ALLOWED: Readonly<Record<TicketStatus, readonly TicketActionType[]>> = {
  accepted: ['dispatch', 'resolve_at_first_contact', 'urge', 'pause', 'resume'],
  dispatched: ['dispatch', 'accept_dispatch', 'return', 'urge', 'pause', 'resume'],
  in_progress: ['arrive', 'handle', 'return', 'urge', 'pause', 'resume'],
  handled: ['reply', 'urge', 'pause', 'resume'],
  returned: ['dispatch', 'urge', 'pause', 'resume'],
  replied: ['follow_up', 'reopen'],
  followed_up: ['archive', 'reopen'],
  resolved: ['archive', 'reopen'],
  archived: [],
};

/**
 * Status each action leads to; null for actions that record something without moving the
 * order (arrive, urge, pause, resume).
 */
export const TARGET_STATUS_FOR: Readonly<Record<TicketActionType, TicketStatus | null>> = {
  dispatch: 'dispatched',
  accept_dispatch: 'in_progress',
  arrive: null,
  handle: 'handled',
  return: 'returned',
  reply: 'replied',
  resolve_at_first_contact: 'resolved',
  follow_up: 'followed_up',
  archive: 'archived',
  reopen: 'accepted',
  urge: null,
  pause: null,
  resume: null,
};

/** Actions a status permits in principle (pause state and payload are checked by `transition`). */
export function allowedActions(status: TicketStatus): readonly TicketActionType[] {
  return ALLOWED[status];
}

/** True while work is owed before the customer is answered; urge and pause need it. */
export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * The action that moves an order from `status` to `to`, for `POST /transitions { to }`;
 * null when no single action does. `dispatched → dispatched` is a re-dispatch.
 */
export function findActionTo(status: TicketStatus, to: TicketStatus): TicketActionType | null {
  return ALLOWED[status].find((a) => TARGET_STATUS_FOR[a] === to) ?? null;
}

/** A fresh order as registered (受理). */
export function createTicketState(): TicketState {
  return {
    status: 'accepted',
    urgency: 'normal',
    urgeCount: 0,
    reopenCount: 0,
    returnCount: 0,
    dispatchCount: 0,
    departmentId: null,
    pausedAt: null,
    arrivedAt: null,
    handledAt: null,
    resolvedAt: null,
    resolvedAtFirstContact: false,
    closedAt: null,
  };
}

/** Actions that would pass the status and pause checks right now (payload aside), for UIs. */
export function listAvailableActions(ticket: TicketState): TicketActionType[] {
  return ALLOWED[ticket.status].filter((a) => checkState(ticket, a) === null);
}

/**
 * Applies one action to an order at time `now`. Refuses with a reason code instead of throwing.
 * Any action other than `urge` on a paused order first resumes it (a `resumed` event precedes the
 * action's own event) so that pause time is always accounted for.
 */
export function transition(ticket: TicketState, action: TicketAction, now: Date): TransitionResult {
  const refusal = checkStatus(ticket.status, action.type) ?? checkState(ticket, action.type) ?? checkPayload(action);
  if (refusal !== null) return { ok: false, reason: refusal };
  const events: TicketEvent[] = [];
  let current = ticket;
  if (current.pausedAt !== null && action.type !== 'urge' && action.type !== 'resume') {
    const resumed = applyAction(current, { type: 'resume' }, now);
    events.push({ ...resumed.event, details: { ...resumed.event.details, automatic: true } });
    current = resumed.ticket;
  }
  const { ticket: next, event } = applyAction(current, action, now);
  events.push(event);
  return { ok: true, ticket: next, events };
}

function checkStatus(status: TicketStatus, type: TicketActionType): TransitionRefusal | null {
  if (ALLOWED[status].includes(type)) return null;
  if (status === 'archived') return 'terminal';
  if (type === 'archive' && status === 'replied') return 'not_followed_up';
  return 'not_allowed_in_status';
}

function checkState(ticket: TicketState, type: TicketActionType): TransitionRefusal | null {
  if (type === 'arrive' && ticket.arrivedAt !== null) return 'already_arrived';
  if (type === 'pause' && ticket.pausedAt !== null) return 'already_paused';
  if (type === 'resume' && ticket.pausedAt === null) return 'not_paused';
  return null;
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

function checkPayload(action: TicketAction): TransitionRefusal | null {
  switch (action.type) {
    case 'dispatch':
      return isBlank(action.departmentId) ? 'missing_department' : null;
    case 'handle':
      return isBlank(action.result) ? 'missing_result' : null;
    case 'return':
    case 'reopen':
      return isBlank(action.reason) ? 'missing_reason' : null;
    case 'resolve_at_first_contact':
      return isBlank(action.resolution) ? 'missing_resolution' : null;
    case 'accept_dispatch':
    case 'arrive':
    case 'reply':
    case 'follow_up':
    case 'archive':
    case 'urge':
    case 'pause':
    case 'resume':
      return null;
    default:
      return assertNever(action);
  }
}

type Applied = { ticket: TicketState; event: TicketEvent };

function raiseUrgency(urgency: TicketUrgency): TicketUrgency {
  const i = TICKET_URGENCIES.indexOf(urgency);
  return TICKET_URGENCIES[Math.min(i + 1, TICKET_URGENCIES.length - 1)];
}

/** The higher of two urgencies (urgency never falls). */
export function maxUrgency(a: TicketUrgency, b: TicketUrgency): TicketUrgency {
  return TICKET_URGENCIES.indexOf(a) >= TICKET_URGENCIES.indexOf(b) ? a : b;
}

// Assumes the checks passed and the ticket is not paused (except for urge/resume).
function applyAction(t: TicketState, action: TicketAction, now: Date): Applied {
  const moved = (
    type: TicketEventType,
    patch: Partial<TicketState>,
    details: TicketEvent['details'] = {},
  ): Applied => {
    const ticket = { ...t, ...patch };
    return { ticket, event: { type, from: t.status, to: ticket.status, at: now, details } };
  };
  switch (action.type) {
    case 'dispatch':
      return moved(
        'dispatched',
        {
          status: 'dispatched',
          departmentId: action.departmentId,
          dispatchCount: t.dispatchCount + 1,
          arrivedAt: null,
        },
        {
          departmentId: action.departmentId,
          previousDepartmentId: t.departmentId,
          redispatch: t.status !== 'accepted',
          note: action.note ?? null,
        },
      );
    case 'accept_dispatch':
      return moved('dispatch_accepted', { status: 'in_progress' }, { departmentId: t.departmentId });
    case 'arrive':
      return moved('arrived', { arrivedAt: now }, { departmentId: t.departmentId });
    case 'handle':
      return moved('handled', { status: 'handled', handledAt: now }, { result: action.result });
    case 'return':
      return moved(
        'returned',
        { status: 'returned', returnCount: t.returnCount + 1, departmentId: null, arrivedAt: null },
        { reason: action.reason, departmentId: t.departmentId },
      );
    case 'reply':
      return moved('replied', { status: 'replied', resolvedAt: now }, { message: action.message ?? null });
    case 'resolve_at_first_contact':
      return moved(
        'resolved_at_first_contact',
        { status: 'resolved', resolvedAt: now, resolvedAtFirstContact: true },
        { resolution: action.resolution },
      );
    case 'follow_up':
      return moved(
        'followed_up',
        { status: 'followed_up' },
        { satisfied: action.satisfied ?? null, note: action.note ?? null },
      );
    case 'archive':
      return moved('archived', { status: 'archived', closedAt: now });
    case 'reopen':
      // A reopened order starts a new cycle at the front line; counters keep its history.
      return moved(
        'reopened',
        {
          status: 'accepted',
          reopenCount: t.reopenCount + 1,
          departmentId: null,
          arrivedAt: null,
          handledAt: null,
          resolvedAt: null,
          resolvedAtFirstContact: false,
        },
        { reason: action.reason },
      );
    case 'urge': {
      const urgency = action.urgency === undefined ? raiseUrgency(t.urgency) : maxUrgency(t.urgency, action.urgency);
      return moved(
        'urged',
        { urgeCount: t.urgeCount + 1, urgency },
        { urgeCount: t.urgeCount + 1, urgency, note: action.note ?? null },
      );
    }
    case 'pause':
      return moved('paused', { pausedAt: now }, { reason: action.reason ?? null });
    case 'resume': {
      const pausedAt = t.pausedAt ?? now;
      return moved(
        'resumed',
        { pausedAt: null },
        { pausedAt: pausedAt.toISOString(), pausedMs: Math.max(0, now.getTime() - pausedAt.getTime()) },
      );
    }
    default:
      return assertNever(action);
  }
}
