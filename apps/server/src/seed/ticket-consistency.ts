import {
  type AreaType,
  type BusinessCalendar,
  computeDueTimes,
  createTicketState,
  isOpen,
  SLA_MILESTONES,
  type SlaDueTimes,
  type SlaMilestone,
  type SlaPriority,
  type TicketAction,
  type TicketState,
  type TicketStatus,
  transition,
} from '@kefu/domain';
import { chooseSlaPolicy } from '@kefu/domain';
import { getMilestoneCompletions } from './ticket-generator.ts';
import type { SlaPolicyConfig } from './work-order-config.seed.ts';

// Checks that a stored work order tells one consistent story: its timeline replays through the
// state machine to its status and counters, its timestamps are those of the timeline, its due
// times are the chosen policy's, and its SLA state is true. Used by the seed tests on generated
// and on stored orders; handy for any bulk import too.

export type CheckedEvent = {
  at: Date;
  type: string;
  visibility: string;
  actorId: string | null;
  data: Readonly<Record<string, unknown>>;
};

export type CheckedTicket = {
  id: string;
  categoryCode: string;
  status: TicketStatus;
  urgency: string;
  areaKind: AreaType | null;
  departmentId: string | null;
  assigneeId: string | null;
  dispatchedToUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  contactedAt: Date | null;
  dispatchedAt: Date | null;
  arrivedAt: Date | null;
  handledAt: Date | null;
  repliedAt: Date | null;
  followedUpAt: Date | null;
  archivedAt: Date | null;
  resolvedAt: Date | null;
  urgeCount: number;
  reopenCount: number;
  returnCount: number;
  dispatchCount: number;
  fcr: boolean;
  slaPolicyId: string | null;
  due: SlaDueTimes;
  slaState: string;
  slaPausedAt: Date | null;
  slaNextCheckAt: Date | null;
  /** In timeline order. */
  events: readonly CheckedEvent[];
};

export type ConsistencyContext = {
  now: Date;
  policies: readonly SlaPolicyConfig[];
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** department id → member user ids */
  members: ReadonlyMap<string, ReadonlySet<string>>;
};

const CUSTOMER_VISIBLE = new Set(['replied', 'resolved_at_first_contact']);

/** The state-machine action an event records, or null for events that are not transitions. */
export function getEventAction(e: CheckedEvent): TicketAction | null {
  const d = e.data;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  switch (e.type) {
    case 'dispatched':
      return { type: 'dispatch', departmentId: text('departmentId') };
    case 'dispatch_accepted':
      return { type: 'accept_dispatch' };
    case 'arrived':
      return { type: 'arrive' };
    case 'handled':
      return { type: 'handle', result: text('result') };
    case 'returned':
      return { type: 'return', reason: text('reason') };
    case 'replied':
      return { type: 'reply' };
    case 'resolved_at_first_contact':
      return { type: 'resolve_at_first_contact', resolution: text('resolution') };
    case 'followed_up':
      return { type: 'follow_up' };
    case 'archived':
      return { type: 'archive' };
    case 'reopened':
      return { type: 'reopen', reason: text('reason') };
    case 'urged':
      return { type: 'urge', urgency: d.urgency as 'normal' | 'high' | 'critical' };
    case 'paused':
      return { type: 'pause' };
    case 'resumed':
      return { type: 'resume' };
    default:
      return null;
  }
}

const same = (a: Date | null | undefined, b: Date | null | undefined) => (a ?? null)?.getTime() === (b ?? null)?.getTime();
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : 'null');

const DUE_KEYS = SLA_MILESTONES.map((m) => `${m}DueAt` as const);

/** Everything wrong with one order; empty when its story holds together. */
export function findTicketProblems(t: CheckedTicket, ctx: ConsistencyContext): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  const { events } = t;

  // Timeline shape
  if (events.length === 0 || events[0].type !== 'created') fail('timeline does not start with created');
  else if (!same(events[0].at, t.createdAt)) fail('created event is not at created_at');
  for (let i = 1; i < events.length; i++) if (events[i].at < events[i - 1].at) fail(`event ${i} (${events[i].type}) goes back in time`);
  const lastAt = events[events.length - 1]?.at;
  if (!same(lastAt, t.updatedAt)) fail(`updated_at ${iso(t.updatedAt)} is not the last event ${iso(lastAt)}`);
  if (lastAt && lastAt > ctx.now) fail('an event lies in the future');
  for (const e of events) {
    const want = CUSTOMER_VISIBLE.has(e.type) ? 'customer' : 'internal';
    if (e.visibility !== want) fail(`${e.type} event is ${e.visibility}`);
  }

  // Replay through the state machine
  let state: TicketState = createTicketState();
  let cycleStart = t.createdAt;
  let dispatchedAt: Date | null = null;
  let repliedAt: Date | null = null;
  let followedUpAt: Date | null = null;
  for (const e of events) {
    const action = getEventAction(e);
    if (action === null) continue;
    const result = transition(state, action, e.at);
    if (!result.ok) {
      fail(`${e.type} at ${iso(e.at)} refused in ${state.status}: ${result.reason}`);
      return problems;
    }
    const own = result.events[result.events.length - 1];
    if (e.data.from !== own.from || e.data.to !== own.to) fail(`${e.type} records ${String(e.data.from)}→${String(e.data.to)}, replay gives ${own.from}→${own.to}`);
    state = result.ticket;
    if (e.type === 'reopened') {
      cycleStart = e.at;
      dispatchedAt = repliedAt = followedUpAt = null;
    }
    if (e.type === 'dispatched') dispatchedAt = e.at;
    if (e.type === 'replied') repliedAt = e.at;
    if (e.type === 'followed_up') followedUpAt = e.at;
  }
  const expect = (label: string, actual: unknown, wanted: unknown) => {
    if (actual !== wanted) fail(`${label} is ${String(actual)}, the timeline says ${String(wanted)}`);
  };
  expect('status', t.status, state.status);
  expect('urgency', t.urgency, state.urgency);
  expect('urge_count', t.urgeCount, state.urgeCount);
  expect('reopen_count', t.reopenCount, state.reopenCount);
  expect('return_count', t.returnCount, state.returnCount);
  expect('dispatch_count', t.dispatchCount, state.dispatchCount);
  expect('department_id', t.departmentId, state.departmentId);
  expect('fcr', t.fcr, state.resolvedAtFirstContact);
  const dates: [string, Date | null, Date | null][] = [
    ['arrived_at', t.arrivedAt, state.arrivedAt],
    ['handled_at', t.handledAt, state.handledAt],
    ['resolved_at', t.resolvedAt, state.resolvedAt],
    ['archived_at', t.archivedAt, state.closedAt],
    ['sla_paused_at', t.slaPausedAt, state.pausedAt],
    ['dispatched_at', t.dispatchedAt, dispatchedAt],
    ['replied_at', t.repliedAt, repliedAt],
    ['followed_up_at', t.followedUpAt, followedUpAt],
  ];
  for (const [label, actual, wanted] of dates) if (!same(actual, wanted)) fail(`${label} is ${iso(actual)}, the timeline says ${iso(wanted)}`);
  const chain = [t.createdAt, t.dispatchedAt, t.handledAt, t.repliedAt ?? t.resolvedAt, t.followedUpAt, t.archivedAt].filter((d): d is Date => d !== null);
  for (let i = 1; i < chain.length; i++) if (chain[i] < chain[i - 1]) fail('milestone timestamps are out of order');
  if (t.contactedAt && (t.contactedAt < cycleStart || t.contactedAt > ctx.now)) fail('contacted_at outside the cycle');

  // Who holds it
  if (t.departmentId === null) {
    if (t.assigneeId !== null || t.dispatchedToUserId !== null) fail('assignee without a department');
  } else {
    const members = ctx.members.get(t.departmentId);
    for (const [label, id] of [['assignee_id', t.assigneeId], ['dispatched_to_user_id', t.dispatchedToUserId]] as const) {
      if (id !== null && !members?.has(id)) fail(`${label} is not a member of the department`);
    }
  }

  // SLA: the chosen policy's due times, and a true state
  const created = events[0]?.data ?? {};
  const policy = ctx.policies.find((p) => p.id === t.slaPolicyId) ?? null;
  const chosen = chooseSlaPolicy(ctx.policies, { categoryCode: t.categoryCode, priority: created.priority as SlaPriority, areaKind: t.areaKind });
  if ((chosen?.id ?? null) !== t.slaPolicyId) fail(`sla_policy_id ${t.slaPolicyId} is not the chosen ${chosen?.id}`);
  if (policy) {
    const calendar = ctx.calendars.get(policy.calendarId);
    if (!calendar) fail('policy calendar missing');
    else {
      const reached: Partial<Record<SlaMilestone, Date>> = {};
      if (t.handledAt) reached.handle = t.handledAt;
      if (t.repliedAt) reached.reply = t.repliedAt;
      const due = computeDueTimes(policy.targets, calendar, cycleStart, reached);
      for (const key of DUE_KEYS) if (!same(t.due[key], due[key])) fail(`${key} is ${iso(t.due[key])}, the policy gives ${iso(due[key])}`);
    }
  }
  const completions = getMilestoneCompletions(t);
  const judgedAt = t.slaPausedAt ?? ctx.now;
  const pastDue = SLA_MILESTONES.filter((m) => {
    const due = t.due[`${m}DueAt`];
    if (!due) return false;
    return (completions[m] ?? judgedAt) > due;
  });
  if (t.slaState === 'breached' && pastDue.length === 0) fail('breached but nothing is past due');
  const closed = t.status === 'followed_up' || t.status === 'resolved' || t.status === 'archived';
  if (isOpen(t.status) && t.slaState === 'ok') {
    const overdue = pastDue.filter((m) => completions[m] === undefined);
    if (overdue.length > 0) fail(`sla_state ok while ${overdue.join(', ')} is past due`);
  }
  if (closed && t.slaNextCheckAt !== null) fail('a closed order has sla_next_check_at');
  const running = SLA_MILESTONES.some((m) => t.due[`${m}DueAt`] !== undefined && completions[m] === undefined);
  // Null is right only when paused or when every event of a breached clock has fired.
  if (!closed && t.slaPausedAt === null && running && t.slaState !== 'breached' && t.slaNextCheckAt === null) fail('an order with a running clock has no sla_next_check_at');
  return problems;
}
