import { assertNever } from '../tickets/assert-never.ts';
import { isCategoryWithin } from '../tickets/categories.ts';
import {
  allowedActions,
  isOpen,
  TARGET_STATUS_FOR,
  type TicketAction,
  type TicketActionType,
  type TicketEvent,
  type TicketState,
  type TicketStatus,
  type TransitionRefusal,
  transition,
} from '../tickets/ticket-status.ts';

// Mass incidents (停电事件, e.g. a feeder outage): one record with the affected areas and the
// expected restore time. New contacts from those areas are offered to link to it; answering or
// closing the incident answers or closes every linked order, each through the state machine, so
// every order gets its own timeline entries.

export const INCIDENT_STATUSES = [
  'active', // 抢修中: supply not restored
  'resolved', // 已恢复: restored, customers answered
  'closed', // 已关闭 (terminal)
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Work-order numbers use 'GD'; incidents are numbered the same way with this prefix (事件). */
export const INCIDENT_NUMBER_PREFIX = 'SJ';

export type Incident = {
  id: string;
  areaIds: readonly string[];
  startedAt: Date;
  expectedRestoreAt: Date | null;
  status: IncidentStatus;
};

/** Whether an incident may move from one status to another: a restored feeder can fail again. */
export function canChangeIncidentStatus(from: IncidentStatus, to: IncidentStatus): boolean {
  switch (from) {
    case 'active':
      return to === 'resolved' || to === 'closed';
    case 'resolved':
      return to === 'active' || to === 'closed';
    case 'closed':
      return false;
    default:
      return assertNever(from);
  }
}

/** True while the incident is active past its expected restore time (the supervisor board flags it). */
export function isIncidentOverdue(incident: Incident, now: Date): boolean {
  return incident.status === 'active' && incident.expectedRestoreAt !== null && now > incident.expectedRestoreAt;
}

export type IncidentContact = {
  areaId: string | null;
  /** The category picked for the contact so far. */
  categoryCode: string;
  at: Date;
};

/** Categories whose contacts are offered an incident: repairs, and questions about an outage. */
export const DEFAULT_INCIDENT_CATEGORY_PREFIXES: readonly string[] = ['fault-repair', 'inquiry.outage-info'];

/**
 * Active incidents a new contact may belong to: the contact's area is affected, the contact is
 * about a fault (or an outage question) and came after the outage began. Most recent first, so
 * the agent's first offer is the likeliest.
 */
export function matchIncidentForContact(
  incidents: readonly Incident[],
  contact: IncidentContact,
  categoryPrefixes: readonly string[] = DEFAULT_INCIDENT_CATEGORY_PREFIXES,
): Incident[] {
  const { areaId } = contact;
  if (areaId === null) return [];
  if (!categoryPrefixes.some((p) => p !== '' && isCategoryWithin(contact.categoryCode, p))) return [];
  return incidents
    .filter((i) => i.status === 'active' && i.areaIds.includes(areaId) && i.startedAt <= contact.at)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type IncidentLinkRefusal = 'incident_not_active' | 'ticket_not_open';

/** Why an order cannot be linked to an incident, or null when it can. */
export function checkIncidentLink(incident: Incident, ticketStatus: TicketStatus): IncidentLinkRefusal | null {
  if (incident.status !== 'active') return 'incident_not_active';
  if (!isOpen(ticketStatus)) return 'ticket_not_open';
  return null;
}

export type IncidentClosureRequest = {
  /** reply: answer every linked order (→ replied), incident resolved. close: also follow up and archive, incident closed. */
  mode: 'reply' | 'close';
  /** Crew that handled the incident: orders not yet dispatched are dispatched to it. */
  departmentId: string;
  /** Handling result recorded on every order (e.g. '10kV 线路故障已修复，14:20 恢复送电'). */
  result: string;
  /** Reply each customer gets. */
  message: string;
  /** How the customers were followed up collectively (close mode only, required there). */
  followUpNote?: string;
};

export type LinkedTicket = { id: string; state: TicketState };

export type IncidentTicketPlan =
  | { ticketId: string; outcome: 'updated'; ticket: TicketState; events: TicketEvent[]; actions: TicketActionType[] }
  | { ticketId: string; outcome: 'unchanged'; reason: 'already_answered' | 'already_closed' }
  | { ticketId: string; outcome: 'refused'; status: TicketStatus; reason: TransitionRefusal | 'no_path' | 'duplicate'; action: TicketActionType | null };

export const INCIDENT_CLOSURE_REFUSALS = ['incident_closed', 'missing_department', 'missing_result', 'missing_message', 'missing_follow_up_note'] as const;
export type IncidentClosureRefusal = (typeof INCIDENT_CLOSURE_REFUSALS)[number];

export type IncidentClosurePlan =
  | {
      ok: true;
      incident: Incident;
      tickets: IncidentTicketPlan[];
      counts: { updated: number; unchanged: number; refused: number };
    }
  | { ok: false; reason: IncidentClosureRefusal };

// Moves the bulk closure never makes: they would misstate what happened (a first-contact
// resolution) or go backwards.
const EXCLUDED: readonly TicketActionType[] = ['return', 'reopen', 'resolve_at_first_contact'];

/**
 * Shortest list of status-moving actions from `from` to `goal` the state machine allows, or null.
 * Found by search over allowedActions/TARGET_STATUS_FOR, so the plan follows the state machine
 * when it changes.
 */
export function findActionPath(from: TicketStatus, goal: TicketStatus): TicketActionType[] | null {
  const queue: { status: TicketStatus; path: TicketActionType[] }[] = [{ status: from, path: [] }];
  const seen = new Set<TicketStatus>([from]);
  while (queue.length > 0) {
    const { status, path } = queue.shift() as { status: TicketStatus; path: TicketActionType[] };
    if (status === goal) return path;
    for (const action of allowedActions(status)) {
      const to = TARGET_STATUS_FOR[action];
      if (to === null || EXCLUDED.includes(action) || seen.has(to)) continue;
      seen.add(to);
      queue.push({ status: to, path: [...path, action] });
    }
  }
  return null;
}

const ANSWERED: readonly TicketStatus[] = ['replied', 'followed_up', 'resolved'];

function actionFor(type: TicketActionType, request: IncidentClosureRequest, incidentId: string): TicketAction {
  switch (type) {
    case 'dispatch':
      return { type, departmentId: request.departmentId, note: `incident:${incidentId}` };
    case 'handle':
      return { type, result: request.result };
    case 'reply':
      return { type, message: request.message };
    case 'follow_up':
      return { type, note: request.followUpNote ?? '' };
    case 'accept_dispatch':
    case 'archive':
      return { type };
    case 'arrive':
    case 'return':
    case 'resolve_at_first_contact':
    case 'reopen':
    case 'urge':
    case 'pause':
    case 'resume':
      // Never on a path: they do not move the order, or are excluded above.
      throw new Error(`unexpected action on an incident closure path: ${type}`);
    default:
      return assertNever(type);
  }
}

function planTicket(linked: LinkedTicket, request: IncidentClosureRequest, incidentId: string, now: Date): IncidentTicketPlan {
  const { status } = linked.state;
  if (status === 'archived') return { ticketId: linked.id, outcome: 'unchanged', reason: 'already_closed' };
  if (request.mode === 'reply' && ANSWERED.includes(status)) return { ticketId: linked.id, outcome: 'unchanged', reason: 'already_answered' };
  const goal: TicketStatus = request.mode === 'reply' ? 'replied' : 'archived';
  const path = findActionPath(status, goal);
  if (path === null) return { ticketId: linked.id, outcome: 'refused', status, reason: 'no_path', action: null };
  let ticket = linked.state;
  const events: TicketEvent[] = [];
  for (const type of path) {
    const result = transition(ticket, actionFor(type, request, incidentId), now);
    // All or nothing per order: a refusal mid-way leaves it as it was, and says why.
    if (!result.ok) return { ticketId: linked.id, outcome: 'refused', status, reason: result.reason, action: type };
    ticket = result.ticket;
    events.push(...result.events);
  }
  return { ticketId: linked.id, outcome: 'updated', ticket, events, actions: path };
}

/**
 * Answers (mode reply) or closes (mode close) every order linked to the incident: each is walked
 * through the state machine — dispatched to the incident's crew if it never was, handled with the
 * incident's result, replied to, and in close mode followed up with the collective note and
 * archived — and gets its own events. Orders already answered or archived are left alone; an
 * order the state machine will not move is reported with the reason, never forced. The incident
 * becomes resolved (reply) or closed (close).
 */
export function planIncidentClosure(
  incident: Incident,
  linkedTickets: readonly LinkedTicket[],
  now: Date,
  request: IncidentClosureRequest,
): IncidentClosurePlan {
  if (incident.status === 'closed') return { ok: false, reason: 'incident_closed' };
  if (request.departmentId.trim() === '') return { ok: false, reason: 'missing_department' };
  if (request.result.trim() === '') return { ok: false, reason: 'missing_result' };
  if (request.message.trim() === '') return { ok: false, reason: 'missing_message' };
  if (request.mode === 'close' && (request.followUpNote ?? '').trim() === '') return { ok: false, reason: 'missing_follow_up_note' };

  const seen = new Set<string>();
  const tickets = linkedTickets.map((linked): IncidentTicketPlan => {
    if (seen.has(linked.id)) return { ticketId: linked.id, outcome: 'refused', status: linked.state.status, reason: 'duplicate', action: null };
    seen.add(linked.id);
    return planTicket(linked, request, incident.id, now);
  });
  const counts = { updated: 0, unchanged: 0, refused: 0 };
  for (const t of tickets) counts[t.outcome]++;
  return {
    ok: true,
    incident: { ...incident, status: request.mode === 'reply' ? 'resolved' : 'closed' },
    tickets,
    counts,
  };
}
