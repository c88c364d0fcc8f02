import { SLA_PRIORITIES, type SlaPriority } from '../sla/state-grid-preset.ts';
import { isOpen, maxUrgency, type TicketState, type TicketStatus } from './ticket-status.ts';

// Merging duplicates (合并工单) and splitting an order that holds several issues (拆分工单).
// Neither moves an order through the state machine: a merged duplicate keeps its status and
// history and points at the survivor (tickets.merged_into_id), so lists and the SLA sweeper leave
// it out; a split creates new orders pointing at their parent (tickets.parent_id).

/** The slice of an order merge and split look at. */
export type MergeableTicket = {
  id: string;
  number: string;
  customerId: string;
  createdAt: Date;
  priority: SlaPriority;
  /** Index into ESCALATION_LEVELS (tickets.escalation_level). */
  escalationLevel: number;
  tags: readonly string[];
  mergedIntoId: string | null;
  state: TicketState;
};

export type MergeEventType = 'merged' | 'merged_into' | 'split' | 'split_from';

/** A timeline entry (ticket_events row) of a merge or split, for the order `ticketId`. */
export type MergeEvent = {
  ticketId: string;
  type: MergeEventType;
  at: Date;
  details: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
};

export const MERGE_REFUSALS = [
  'no_duplicates',
  'duplicate_listed_twice',
  'survivor_listed_as_duplicate',
  'different_customers',
  'already_merged',
  'survivor_not_open',
  'duplicate_not_open',
  'missing_reason',
] as const;
export type MergeRefusal = (typeof MERGE_REFUSALS)[number];

export type MergePlan =
  | {
      ok: true;
      survivor: {
        id: string;
        state: TicketState;
        priority: SlaPriority;
        escalationLevel: number;
        tags: string[];
      };
      /** Each duplicate gets merged_into_id = survivor id; its status and history stay. */
      duplicates: { id: string; mergedIntoId: string }[];
      events: MergeEvent[];
    }
  | { ok: false; reason: MergeRefusal; ticketId?: string };

const higherPriority = (a: SlaPriority, b: SlaPriority): SlaPriority => (SLA_PRIORITIES.indexOf(a) <= SLA_PRIORITIES.indexOf(b) ? a : b);

/** Default survivor of a set of duplicates: the earliest order (its clocks started first), ties by id. */
export function chooseMergeSurvivor<T extends Pick<MergeableTicket, 'id' | 'createdAt'>>(tickets: readonly T[]): T | null {
  let best: T | null = null;
  for (const t of tickets) {
    if (best === null || t.createdAt < best.createdAt || (t.createdAt.getTime() === best.createdAt.getTime() && t.id < best.id)) best = t;
  }
  return best;
}

/**
 * Merges `duplicates` into `survivor`: same customer, all open and not merged before. The
 * survivor sums the urge, reopen and return counters, takes the highest urgency, priority and
 * escalation level and the union of tags; its own dispatch count and SLA clocks stay (the earliest
 * order should survive, see chooseMergeSurvivor). Both sides get events: `merged` on the survivor
 * per duplicate, `merged_into` on each duplicate.
 */
export function planMerge(
  survivor: MergeableTicket,
  duplicates: readonly MergeableTicket[],
  request: { reason: string },
  now: Date,
): MergePlan {
  if (request.reason.trim() === '') return { ok: false, reason: 'missing_reason' };
  if (duplicates.length === 0) return { ok: false, reason: 'no_duplicates' };
  const ids = new Set<string>();
  for (const d of duplicates) {
    if (d.id === survivor.id) return { ok: false, reason: 'survivor_listed_as_duplicate', ticketId: d.id };
    if (ids.has(d.id)) return { ok: false, reason: 'duplicate_listed_twice', ticketId: d.id };
    ids.add(d.id);
  }
  for (const t of [survivor, ...duplicates]) {
    if (t.mergedIntoId !== null) return { ok: false, reason: 'already_merged', ticketId: t.id };
    if (t.customerId !== survivor.customerId) return { ok: false, reason: 'different_customers', ticketId: t.id };
  }
  if (!isOpen(survivor.state.status)) return { ok: false, reason: 'survivor_not_open', ticketId: survivor.id };
  const closed = duplicates.find((d) => !isOpen(d.state.status));
  if (closed !== undefined) return { ok: false, reason: 'duplicate_not_open', ticketId: closed.id };

  const reason = request.reason.trim();
  let state = survivor.state;
  let { priority, escalationLevel } = survivor;
  const tags = new Set(survivor.tags);
  const events: MergeEvent[] = [];
  for (const d of duplicates) {
    state = {
      ...state,
      urgeCount: state.urgeCount + d.state.urgeCount,
      reopenCount: state.reopenCount + d.state.reopenCount,
      returnCount: state.returnCount + d.state.returnCount,
      urgency: maxUrgency(state.urgency, d.state.urgency),
    };
    priority = higherPriority(priority, d.priority);
    escalationLevel = Math.max(escalationLevel, d.escalationLevel);
    for (const tag of d.tags) tags.add(tag);
    events.push({
      ticketId: survivor.id,
      type: 'merged',
      at: now,
      details: { duplicateId: d.id, duplicateNumber: d.number, duplicateStatus: d.state.status, reason },
    });
    events.push({
      ticketId: d.id,
      type: 'merged_into',
      at: now,
      details: { survivorId: survivor.id, survivorNumber: survivor.number, reason },
    });
  }
  return {
    ok: true,
    survivor: { id: survivor.id, state, priority, escalationLevel, tags: [...tags] },
    duplicates: duplicates.map((d) => ({ id: d.id, mergedIntoId: survivor.id })),
    events,
  };
}

export type SplitPart = { categoryCode: string; description: string; title?: string };

export const SPLIT_REFUSALS = ['no_parts', 'too_many_parts', 'terminal', 'already_merged', 'missing_category', 'missing_description', 'missing_reason'] as const;
export type SplitRefusal = (typeof SPLIT_REFUSALS)[number];

/** An order to create from a split: the service adds the number and computes due times from `clockStartsAt`. */
export type SplitChild = {
  /** Index of the part it comes from. */
  part: number;
  parentId: string;
  customerId: string;
  categoryCode: string;
  description: string;
  title: string | null;
  priority: SlaPriority;
  status: TicketStatus;
  urgency: TicketState['urgency'];
  /**
   * The customer asked when the parent was registered, so the child's SLA clocks start then,
   * not at the split.
   */
  clockStartsAt: Date;
  tags: string[];
};

export type SplitPlan =
  | { ok: true; children: SplitChild[]; events: Omit<MergeEvent, 'ticketId'>[]; parentEvent: MergeEvent }
  | { ok: false; reason: SplitRefusal; part?: number };

export const MAX_SPLIT_PARTS = 10;

/**
 * Splits further issues out of an order into new orders (the parent keeps the first issue and its
 * own state). Each child starts as a fresh accepted order of the same customer, with the
 * parent's priority, urgency and tags, and SLA clocks counted from the parent's registration.
 * Returns the parent's `split` event; each child's `split_from` event is in `events` (by index),
 * to be written once the child has its id.
 */
export function planSplit(parent: MergeableTicket, parts: readonly SplitPart[], request: { reason: string }, now: Date): SplitPlan {
  if (request.reason.trim() === '') return { ok: false, reason: 'missing_reason' };
  if (parts.length === 0) return { ok: false, reason: 'no_parts' };
  if (parts.length > MAX_SPLIT_PARTS) return { ok: false, reason: 'too_many_parts' };
  if (parent.state.status === 'archived') return { ok: false, reason: 'terminal' };
  if (parent.mergedIntoId !== null) return { ok: false, reason: 'already_merged' };
  for (const [i, p] of parts.entries()) {
    if (p.categoryCode.trim() === '') return { ok: false, reason: 'missing_category', part: i };
    if (p.description.trim() === '') return { ok: false, reason: 'missing_description', part: i };
  }
  const reason = request.reason.trim();
  const children = parts.map(
    (p, i): SplitChild => ({
      part: i,
      parentId: parent.id,
      customerId: parent.customerId,
      categoryCode: p.categoryCode.trim(),
      description: p.description.trim(),
      title: p.title?.trim() || null,
      priority: parent.priority,
      status: 'accepted',
      urgency: parent.state.urgency,
      clockStartsAt: parent.createdAt,
      tags: [...parent.tags],
    }),
  );
  return {
    ok: true,
    children,
    events: children.map((c) => ({
      type: 'split_from' as const,
      at: now,
      details: { parentId: parent.id, parentNumber: parent.number, categoryCode: c.categoryCode, reason },
    })),
    parentEvent: {
      ticketId: parent.id,
      type: 'split',
      at: now,
      details: { parts: children.length, categoryCodes: children.map((c) => c.categoryCode), reason },
    },
  };
}
