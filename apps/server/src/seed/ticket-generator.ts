import {
  addBusinessMinutes,
  type AreaType,
  type BusinessCalendar,
  businessMinutesBetween,
  CALENDAR_24X7,
  type CategoryFieldDefinition,
  chooseDispatchTarget,
  computeDueAt,
  computeDueTimes,
  createTicketState,
  type DispatchRule,
  ESCALATION_LEVELS,
  type EscalationLevel,
  formatTicketNumber,
  getEscalationLevelAt,
  getTicketNumberDate,
  getUrgedCategoryPrefix,
  INCIDENT_NUMBER_PREFIX,
  isLeafCategory,
  isOpen,
  listCategoryFields,
  planIncidentClosure,
  planUrge,
  raiseEscalation,
  type SlaClockSnapshot,
  type SlaDueTimes,
  type SlaMilestone,
  type SlaPriority,
  type SlaState,
  type SlaTarget,
  sweepDecision,
  TICKET_NUMBER_PREFIX,
  type TicketAction,
  type TicketCategory,
  type TicketEvent,
  type TicketState,
  type TicketStatus,
  transition,
} from '@kefu/domain';
import { chooseSlaPolicy } from '@kefu/domain';
import type { Rng } from './rng.ts';
import {
  COMPLAINT_DEMANDS,
  CONTACT_NOTES,
  DESCRIPTION_TEMPLATES,
  OFFICE_DISPATCH_NOTES,
  ESCALATION_REASONS,
  FCR_RESOLUTIONS,
  FOLLOW_UP_NOTES_SATISFIED,
  fillTemplate,
  INCIDENT_TEMPLATES,
  PAUSE_REASONS,
  REOPEN_REASONS,
  REPAIR_DISPATCH_NOTES,
  REPAIR_RESULTS,
  REPLIES,
  RETURN_REASONS,
  SERVICE_RESULTS,
  STAFF_SURNAMES,
  type TemplateVars,
  type TextTemplate,
  URGE_NOTES,
} from './ticket-texts.ts';
import type { SlaPolicyConfig } from './work-order-config.seed.ts';

// Pure generator of the demo work orders: who called about what, when, and everything that
// happened to the order since, up to `now`. Every status change goes through the domain's
// `transition`, so each order's timeline replays to its stored status; due times come from the
// chosen SLA policy, and the SLA state, markers and next check of open orders from `sweepDecision`.

// ---------------------------------------------------------------------------------------------
// Input and output

export type GeneratorCustomer = {
  id: string;
  areaId: string | null;
  address: string;
  preferredLanguage: string;
  flags: readonly string[];
  meter: string | null;
};
export type GeneratorArea = { id: string; code: string; name: string; kind: AreaType };
export type GeneratorDepartment = { id: string; code: string; name: string; memberIds: readonly string[] };
export type GeneratorStaff = { id: string; username: string; role: string; languages: readonly string[] };

export type TicketWorld = {
  now: Date;
  customers: readonly GeneratorCustomer[];
  areas: readonly GeneratorArea[];
  departments: readonly GeneratorDepartment[];
  staff: readonly GeneratorStaff[];
  categories: readonly TicketCategory[];
  policies: readonly SlaPolicyConfig[];
  /** calendar id → calendar */
  calendars: ReadonlyMap<string, BusinessCalendar>;
  dispatchRules: readonly DispatchRule[];
  /** DemoCustomerFixture key → customer id, for the scripted orders of the demo customers. */
  fixtures: Readonly<Record<string, string>>;
};

export type GenerateOptions = {
  /** Orders in all, fixture and incident orders included. */
  count: number;
  /** How far back orders go (default 90 days). */
  days?: number;
};

type JsonScalar = string | number | boolean | null;
export type EventData = Record<string, JsonScalar | readonly string[]>;

export type GeneratedEvent = {
  at: Date;
  actorId: string | null;
  /** TicketEventType, or created, note, escalated and the SLA_EVENT_TYPES. */
  type: string;
  visibility: 'internal' | 'customer';
  body: string | null;
  data: EventData;
};

/** Event types the seed writes besides the state machine's TicketEventType. */
export const SEED_EVENT_TYPES = {
  created: 'created',
  note: 'note',
  /** A complaint raised up the ladder by a person (raiseEscalation). */
  escalated: 'escalated',
  slaAtRisk: 'sla_at_risk',
  slaBreached: 'sla_breached',
  /** A sweeper escalation step (escalationOnBreach). */
  slaEscalated: 'sla_escalated',
} as const;

/** note events carry data.kind: */
export const NOTE_KINDS = { contacted: 'customer_contacted', incidentLinked: 'incident_linked' } as const;

export type GeneratedTicket = {
  id: string;
  number: string;
  categoryCode: string;
  priority: SlaPriority;
  urgency: TicketState['urgency'];
  status: TicketStatus;
  customerId: string;
  channel: string;
  title: string;
  description: string;
  fields: Record<string, string | number | boolean>;
  tags: string[];
  areaId: string | null;
  departmentId: string | null;
  assigneeId: string | null;
  dispatchedToUserId: string | null;
  incidentId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  acceptedAt: Date;
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
  escalationLevel: number;
  fcr: boolean;
  slaPolicyId: string | null;
  /** Start of the current cycle: creation, or the last reopen. */
  cycleStartedAt: Date;
  due: SlaDueTimes;
  slaState: SlaState;
  slaPausedAt: Date | null;
  slaFired: Record<string, string>;
  slaNextCheckAt: Date | null;
  version: number;
  events: GeneratedEvent[];
};

export type GeneratedIncident = {
  id: string;
  number: string;
  title: string;
  areaIds: string[];
  startedAt: Date;
  expectedRestoreAt: Date;
  status: 'resolved';
  description: string;
  resolution: string;
  departmentId: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date;
};

export type NumberCounter = { prefix: string; day: string; lastValue: number };

export type GeneratedWorkOrders = {
  tickets: GeneratedTicket[];
  incidents: GeneratedIncident[];
  /** Final per-day sequences, for ticket_number_counters. */
  counters: NumberCounter[];
};

// ---------------------------------------------------------------------------------------------
// Mix

type Weighted<T> = readonly (readonly [T, number])[];

const TOP_MIX: Weighted<string> = [
  ['fault-repair', 40],
  ['inquiry', 20],
  ['complaint', 10],
  ['service-request', 8],
  ['urging', 5],
  ['subscription', 4],
  ['opinion', 4],
  ['suggestion', 3],
  ['praise', 3],
  ['report', 3],
];

// Relative weights of the sub-categories; a leaf not listed gets 10.
const LEAF_WEIGHTS: Readonly<Record<string, number>> = {
  'fault-repair.low-voltage': 50,
  'fault-repair.high-voltage': 8,
  'fault-repair.metering': 10,
  'fault-repair.power-quality': 12,
  'fault-repair.customer-internal': 12,
  'fault-repair.charging-facility': 4,
  'fault-repair.non-power': 4,
  'complaint.service-attitude': 15,
  'complaint.outage': 25,
  'complaint.meter-reading-billing': 12,
  'complaint.tariff': 18,
  'complaint.new-connection': 10,
  'complaint.supply-quality': 15,
  'complaint.grid-construction': 5,
  'report.power-theft': 35,
  'report.unauthorized-use': 15,
  'report.staff-misconduct': 15,
  'report.facility-damage': 25,
  'report.illegal-charges': 10,
  'praise.repair-crew': 45,
  'praise.service-hall': 20,
  'praise.hotline': 25,
  'service-request.new-connection': 20,
  'service-request.meter-test': 12,
  'service-request.billing-check': 15,
  'service-request.name-transfer': 15,
  'service-request.reconnection': 18,
  'subscription.outage-notice': 40,
  'subscription.bill-notice': 25,
  'subscription.arrears-reminder': 15,
  'subscription.balance-alert': 20,
  'inquiry.tariff': 15,
  'inquiry.billing': 30,
  'inquiry.outage-info': 20,
  'inquiry.procedures': 15,
  'inquiry.metering': 8,
  'inquiry.distributed-solar': 6,
  'inquiry.online-services': 6,
  'urging.repair-progress': 45,
  'urging.application-progress': 25,
  'urging.complaint-progress': 20,
};

// Share closed at first contact (一次办结); the rest is dispatched.
const FCR_SHARE: Readonly<Record<string, number>> = {
  inquiry: 0.25,
  subscription: 0.85,
  praise: 0.5,
  urging: 0.4,
  opinion: 0.15,
  suggestion: 0.3,
  'service-request': 0.03,
  'fault-repair.customer-internal': 0.3,
  'fault-repair.non-power': 0.6,
};

const CHANNELS_DEFAULT: Weighted<string> = [
  ['phone', 70],
  ['wechat', 12],
  ['web', 7],
  ['sms', 3],
  ['email', 2],
  ['walk_in', 6],
];
const CHANNELS_REPAIR: Weighted<string> = [
  ['phone', 86],
  ['wechat', 9],
  ['web', 3],
  ['sms', 2],
];
const CHANNELS_APPLICATION: Weighted<string> = [
  ['phone', 50],
  ['walk_in', 20],
  ['web', 15],
  ['wechat', 13],
  ['email', 2],
];

// Calls per local hour 0..23: the hotline's daytime peaks; repairs also at night and at supper.
const HOURS_DEFAULT = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 7, 10, 10, 9, 7, 7, 8, 9, 9, 8, 7, 7, 6, 5, 3, 2];
const HOURS_REPAIR = [3, 2, 1.5, 1, 1, 1.5, 3, 5, 6, 7, 7, 7, 6, 6, 6, 7, 7, 8, 10, 11, 10, 8, 6, 4];

const ZONE = 'Asia/Shanghai';
// Asia/Shanghai has kept UTC+8 without DST since 1991: local clock arithmetic by a fixed offset.
const OFFSET_MS = 8 * 3_600_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const localDayStart = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY) * DAY - OFFSET_MS;
const localHour = (ms: number) => Math.floor((((ms + OFFSET_MS) % DAY) + DAY) % DAY / HOUR);

/** '2026-11-20T19:42:00+08:00' */
function toLocalIso(ms: number): string {
  return `${new Date(Math.floor(ms / MINUTE) * MINUTE + OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

// The hotline works 24 h, but call-backs, follow-ups and archiving happen 08:00–21:00.
function centerTime(ms: number, rng: Rng): number {
  const h = localHour(ms);
  if (h >= 8 && h < 21) return ms;
  const start = localDayStart(ms) + (h >= 21 ? DAY : 0) + 8 * HOUR;
  return start + rng.int(0, 90) * MINUTE;
}

/** A value in [min, max], skewed towards min when skew > 1. */
function spread(rng: Rng, min: number, max: number, skew = 1): number {
  return min + (max - min) * rng.next() ** skew;
}

// ---------------------------------------------------------------------------------------------
// The world, indexed

type Context = {
  rng: Rng;
  now: Date;
  nowMs: number;
  world: TicketWorld;
  areas: Map<string, GeneratorArea>;
  departmentsByCode: Map<string, GeneratorDepartment>;
  departmentsById: Map<string, GeneratorDepartment>;
  leavesByTop: Map<string, TicketCategory[]>;
  agents: string[];
  amdoAgents: string[];
  khamAgents: string[];
  englishAgents: string[];
  dispatchers: string[];
  supervisors: string[];
  /** Callers for generated orders: every customer but the demo fixtures (their orders are scripted). */
  customers: readonly GeneratorCustomer[];
  /** A twentieth of them who call often. */
  frequentCallers: readonly GeneratorCustomer[];
  customersByArea: Map<string, GeneratorCustomer[]>;
  /** Per-day weights (index 0 = today) for repairs and for the rest. */
  dayWeightsRepair: number[];
  dayWeightsOther: number[];
  days: number;
};

function indexWorld(rng: Rng, world: TicketWorld, days: number): Context {
  const leavesByTop = new Map<string, TicketCategory[]>();
  for (const c of world.categories) {
    if (!c.active || !isLeafCategory(world.categories, c.code)) continue;
    const top = c.code.split('.')[0];
    if (!leavesByTop.has(top)) leavesByTop.set(top, []);
    leavesByTop.get(top)?.push(c);
  }
  const byRole = (role: string) => world.staff.filter((s) => s.role === role).map((s) => s.id);
  const agents = byRole('agent');
  if (agents.length === 0) throw new Error('ticket seed needs agents');
  const pickOr = (list: string[], fallback: string[]) => (list.length > 0 ? list : fallback);
  const fixtureIds = new Set(Object.values(world.fixtures));
  const callers = world.customers.filter((c) => !fixtureIds.has(c.id));
  const customersByArea = new Map<string, GeneratorCustomer[]>();
  for (const c of callers) {
    if (c.areaId === null) continue;
    if (!customersByArea.has(c.areaId)) customersByArea.set(c.areaId, []);
    customersByArea.get(c.areaId)?.push(c);
  }
  const nowMs = world.now.getTime();
  const dayRng = rng.fork('days');
  const dayWeightsRepair: number[] = [];
  const dayWeightsOther: number[] = [];
  const todayStart = localDayStart(nowMs);
  for (let d = 0; d < days; d++) {
    const start = todayStart - d * DAY;
    const weekday = new Date(start + OFFSET_MS).getUTCDay();
    // Today is partly over; weight it by the share of the day gone.
    const share = d === 0 ? Math.max(0.01, (nowMs - start) / DAY) : 1;
    const storm = dayRng.chance(0.08) ? 1.5 + dayRng.next() * 1.5 : 1 + dayRng.next() * 0.3;
    const weekdayFactor = weekday === 0 ? 0.8 : weekday === 6 ? 0.85 : weekday === 1 ? 1.1 : 1;
    dayWeightsRepair.push(share * storm);
    dayWeightsOther.push(share * weekdayFactor * (0.9 + dayRng.next() * 0.2));
  }
  return {
    rng,
    now: world.now,
    nowMs,
    world,
    areas: new Map(world.areas.map((a) => [a.id, a])),
    departmentsByCode: new Map(world.departments.map((d) => [d.code, d])),
    departmentsById: new Map(world.departments.map((d) => [d.id, d])),
    leavesByTop,
    agents,
    amdoAgents: pickOr(world.staff.filter((s) => s.role === 'agent' && s.languages.includes('bo-amdo')).map((s) => s.id), agents),
    khamAgents: pickOr(world.staff.filter((s) => s.role === 'agent' && s.languages.includes('bo-kham')).map((s) => s.id), agents),
    englishAgents: pickOr(world.staff.filter((s) => s.role === 'agent' && s.languages.includes('en-US')).map((s) => s.id), agents),
    dispatchers: pickOr(byRole('dispatcher'), agents),
    supervisors: pickOr(byRole('supervisor'), agents),
    customers: callers,
    frequentCallers: callers.filter((_, i) => i % 20 === 7),
    customersByArea,
    dayWeightsRepair,
    dayWeightsOther,
    days,
  };
}

// ---------------------------------------------------------------------------------------------
// One order: what it is about

type Fate = {
  fcr: boolean;
  /** Misses its main target by a little. */
  late: boolean;
  /** Misses it by days (the breached board). */
  stall: boolean;
  returned: boolean;
  reopened: boolean;
  urges: number;
  /** Paused (挂起) when still open at `now`. */
  pause: boolean;
  /** Complaint escalation raises by people. */
  escalations: number;
  /** Still waiting in the dispatcher's queue at `now` (web and WeChat submissions mostly). */
  queued?: boolean;
  /** Stop once the order reaches this status (keeps scripted orders open). */
  holdAt?: TicketStatus;
  /** Named department member to dispatch to. */
  dispatchTo?: string;
};

type OrderSpec = {
  id: string;
  customer: GeneratorCustomer;
  category: TicketCategory;
  createdAt: number;
  priority: SlaPriority;
  channel: string;
  createdBy: string;
  template: TextTemplate;
  fate: Fate;
  incident?: { id: string; number: string; linkAt: number };
  tags: string[];
};

function top(code: string): string {
  return code.split('.')[0];
}

function pickLeaf(ctx: Context, rng: Rng, topCode: string): TicketCategory {
  const leaves = ctx.leavesByTop.get(topCode);
  if (!leaves || leaves.length === 0) throw new Error(`no leaf categories under ${topCode}`);
  return rng.weighted(leaves.map((l) => [l, LEAF_WEIGHTS[l.code] ?? 10] as const));
}

function pickTemplate(rng: Rng, category: TicketCategory): TextTemplate {
  const list = DESCRIPTION_TEMPLATES[category.code];
  if (list && list.length > 0) return rng.pick(list);
  return { summary: category.nameZh, text: `客户来电反映${category.nameZh}相关问题，请处理。` };
}

function pickCreatedAt(ctx: Context, rng: Rng, repair: boolean): number {
  const weights = repair ? ctx.dayWeightsRepair : ctx.dayWeightsOther;
  const hours = repair ? HOURS_REPAIR : HOURS_DEFAULT;
  const todayStart = localDayStart(ctx.nowMs);
  for (let attempt = 0; attempt < 20; attempt++) {
    const d = rng.weighted(weights.map((w, i) => [i, w] as const));
    const hour = rng.weighted(hours.map((w, h) => [h, w] as const));
    const ms = todayStart - d * DAY + hour * HOUR + rng.int(0, 3599) * 1000;
    if (ms < ctx.nowMs - MINUTE) return ms;
  }
  return ctx.nowMs - rng.int(2, 600) * MINUTE;
}

function pickCustomer(ctx: Context, rng: Rng): GeneratorCustomer {
  // A twentieth of the customers makes about a sixth of the contacts (repeat callers).
  if (ctx.frequentCallers.length > 0 && rng.chance(0.15)) return rng.pick(ctx.frequentCallers);
  return rng.pick(ctx.customers);
}

function pickAgent(ctx: Context, rng: Rng, customer: GeneratorCustomer): string {
  if (customer.preferredLanguage === 'bo-amdo' && rng.chance(0.8)) return rng.pick(ctx.amdoAgents);
  if (customer.preferredLanguage === 'bo-kham' && rng.chance(0.8)) return rng.pick(ctx.khamAgents);
  if (customer.preferredLanguage === 'en-US' && rng.chance(0.8)) return rng.pick(ctx.englishAgents);
  return rng.pick(ctx.agents);
}

const HAZARD = /冒烟|刮断|放电|火花|起火/;

function pickPriority(rng: Rng, category: TicketCategory, customer: GeneratorCustomer, template: TextTemplate): SlaPriority {
  const code = category.code;
  switch (top(code)) {
    case 'fault-repair': {
      // Urgent: a safety hazard or a key account; high: a feeder fault or a vulnerable household.
      if (customer.flags.includes('key_account') && rng.chance(0.5)) return 'urgent';
      if (HAZARD.test(template.text) && rng.chance(0.3)) return 'urgent';
      if (code === 'fault-repair.high-voltage') return rng.chance(0.2) ? 'urgent' : 'high';
      if (customer.flags.includes('vulnerable')) return 'high';
      return rng.chance(0.02) ? 'urgent' : rng.chance(0.08) ? 'high' : 'normal';
    }
    case 'complaint':
      if (customer.flags.includes('high_risk')) return 'high';
      return rng.chance(0.03) ? 'urgent' : rng.chance(0.2) ? 'high' : 'normal';
    case 'report':
      return rng.chance(0.15) ? 'high' : 'normal';
    case 'service-request':
      if (code === 'service-request.reconnection') return rng.chance(0.35) ? 'high' : 'normal';
      return rng.chance(0.02) ? 'urgent' : rng.chance(0.08) ? 'high' : 'normal';
    case 'urging':
      return rng.chance(0.5) ? 'high' : 'normal';
    default:
      return rng.chance(0.25) ? 'low' : rng.chance(0.05) ? 'high' : 'normal';
  }
}

function pickChannel(rng: Rng, category: TicketCategory): string {
  const t = top(category.code);
  if (t === 'fault-repair' || t === 'urging') return rng.weighted(CHANNELS_REPAIR);
  if (t === 'service-request' || t === 'subscription') return rng.weighted(CHANNELS_APPLICATION);
  return rng.weighted(CHANNELS_DEFAULT);
}

function rollFate(rng: Rng, category: TicketCategory): Fate {
  const code = category.code;
  const t = top(code);
  const fcr = rng.chance(FCR_SHARE[code] ?? FCR_SHARE[t] ?? 0);
  const stall = !fcr && rng.chance(t === 'fault-repair' ? 0.008 : 0.02);
  const late = !fcr && !stall && rng.chance(t === 'fault-repair' ? 0.05 : 0.04);
  const urgeShare = stall || late ? 0.5 : t === 'fault-repair' ? 0.05 : t === 'complaint' ? 0.08 : t === 'service-request' ? 0.06 : 0.015;
  const urges = !fcr && rng.chance(urgeShare) ? rng.weighted([[1, 60], [2, 30], [3, 10]] as const) : 0;
  return {
    fcr,
    late,
    stall,
    returned: !fcr && rng.chance(0.035),
    reopened: rng.chance(t === 'complaint' ? 0.06 : 0.015),
    urges,
    pause: (t === 'service-request' || t === 'complaint') && rng.chance(0.12),
    escalations: t === 'complaint' ? rng.weighted([[0, 80], [1, 14], [2, 5], [3, 1]] as const) : 0,
  };
}

function timePhrase(createdAt: number, startedAt: number): string {
  const h = localHour(startedAt);
  const sameDay = localDayStart(createdAt) === localDayStart(startedAt);
  const day = sameDay ? '今天' : '昨天';
  const part = h < 6 ? '凌晨' : h < 9 ? '早上' : h < 12 ? '上午' : h < 14 ? '中午' : h < 18 ? '下午' : h < 20 ? '傍晚' : '晚上';
  const clock = h > 12 ? h - 12 : h;
  return `${day}${part}${clock}点左右`;
}

function templateVars(ctx: Context, rng: Rng, spec: Pick<OrderSpec, 'customer' | 'createdAt'>, startedAt: number): TemplateVars {
  const area = spec.customer.areaId ? ctx.areas.get(spec.customer.areaId) : undefined;
  const local = new Date(spec.createdAt + OFFSET_MS);
  const month = ((local.getUTCMonth() + 11) % 12) + 1;
  return {
    addr: spec.customer.address,
    area: area?.name ?? '',
    time: timePhrase(spec.createdAt, startedAt),
    month: `${month}月`,
    amount: (rng.int(8000, 120000) / 100).toFixed(2),
    n: String(rng.int(2, 6)),
    staff: `${rng.pick(STAFF_SURNAMES)}师傅`,
    kva: String(rng.pick([50, 80, 100, 160, 200, 315, 400])),
  };
}

function fieldValue(
  field: CategoryFieldDefinition,
  rng: Rng,
  spec: Pick<OrderSpec, 'customer' | 'createdAt' | 'template'>,
  vars: TemplateVars,
  startedAt: number,
): string | number | boolean | undefined {
  switch (field.key) {
    case 'outageScope': {
      const text = spec.template.summary + spec.template.text;
      return /片区|大面积|全村|整片/.test(text) ? 'area' : /整栋|楼道/.test(text) ? 'building' : 'single-household';
    }
    case 'safetyHazard':
      return HAZARD.test(spec.template.text) || rng.chance(0.03);
    case 'faultAddress':
    case 'location':
      return spec.customer.address.slice(0, 200);
    case 'outageStartedAt':
      return toLocalIso(startedAt);
    case 'meterNumber':
      return spec.customer.meter ?? rng.digits(10);
    case 'demand':
      return rng.pick(COMPLAINT_DEMANDS);
    case 'complainedParty':
      return rng.chance(0.5) ? vars.staff : undefined;
    case 'occurredAt':
      return toLocalIso(startedAt);
    case 'anonymous':
      return rng.chance(0.4);
    case 'reportedParty':
      return undefined;
    case 'praisedParty':
      return vars.staff;
    case 'accountNumber':
      return spec.customer.meter ?? rng.digits(10);
    case 'capacityKva':
      return Number(vars.kva);
    case 'paidAt':
      return toLocalIso(spec.createdAt - rng.int(10, 180) * MINUTE);
    case 'deliveryChannel':
      return rng.weighted([['sms', 50], ['wechat', 40], ['email', 10]] as const);
    case 'originalNumber':
      return undefined; // filled once numbers exist
    default:
      // Fields a center added: fill the required ones with something valid for the type.
      if (field.required !== true) return undefined;
      switch (field.type) {
        case 'text':
          return '—';
        case 'number':
          return field.min ?? 0;
        case 'boolean':
          return false;
        case 'enum':
          return field.options[0]?.value;
        case 'date':
          return toLocalIso(spec.createdAt).slice(0, 10);
        case 'datetime':
          return toLocalIso(spec.createdAt);
      }
  }
}

// ---------------------------------------------------------------------------------------------
// One order: what happened to it

type Step =
  | { at: number; kind: 'action'; action: TicketAction; actor: string | null; body?: string | null; visibility?: 'customer'; extra?: EventData }
  | { at: number; kind: 'note'; actor: string | null; body: string; data: EventData; contact?: boolean }
  | { at: number; kind: 'escalate'; actor: string; reason: string };

type Cycle = {
  start: number;
  contactedAt: number | null;
  dispatchedAt: number | null;
  repliedAt: number | null;
  followedUpAt: number | null;
};

/** The running order while its history is played. */
type Sim = {
  spec: OrderSpec;
  policy: SlaPolicyConfig | null;
  calendar: BusinessCalendar;
  state: TicketState;
  events: GeneratedEvent[];
  cycle: Cycle;
  assigneeId: string | null;
  dispatchedToUserId: string | null;
  escalationLevel: number;
  priority: SlaPriority;
  /** A step lay beyond `now`: nothing later happens. */
  stopped: boolean;
  /** Reached fate.holdAt: no more status changes, though urges and notes still come. */
  held: boolean;
};

function recordTransition(sim: Sim, events: readonly TicketEvent[], actor: string | null, step: { body?: string | null; visibility?: 'customer'; extra?: EventData }) {
  for (const e of events) {
    const at = e.at.getTime();
    switch (e.type) {
      case 'dispatched':
        sim.cycle.dispatchedAt = at;
        sim.assigneeId = null;
        sim.dispatchedToUserId = typeof step.extra?.assigneeId === 'string' ? step.extra.assigneeId : null;
        break;
      case 'dispatch_accepted':
        sim.assigneeId = actor;
        break;
      case 'returned':
        sim.assigneeId = null;
        sim.dispatchedToUserId = null;
        break;
      case 'replied':
        sim.cycle.repliedAt = at;
        if (sim.cycle.contactedAt === null && sim.policy?.targets.contact) sim.cycle.contactedAt = at;
        break;
      case 'followed_up':
        sim.cycle.followedUpAt = at;
        break;
      case 'reopened':
        sim.cycle = { start: at, contactedAt: null, dispatchedAt: null, repliedAt: null, followedUpAt: null };
        sim.assigneeId = null;
        sim.dispatchedToUserId = null;
        break;
      default:
        break;
    }
    const own = e === events[events.length - 1];
    sim.events.push({
      at: e.at,
      actorId: actor,
      type: e.type,
      visibility: own && step.visibility ? step.visibility : 'internal',
      body: own ? (step.body ?? null) : null,
      data: { from: e.from, to: e.to, ...e.details, ...(own ? step.extra : {}) },
    });
  }
}

function applyStep(ctx: Context, sim: Sim, step: Step): boolean {
  if (sim.stopped || step.at > ctx.nowMs) {
    sim.stopped = true;
    return false;
  }
  const at = new Date(step.at);
  switch (step.kind) {
    case 'action': {
      if (sim.held) return true;
      const result = transition(sim.state, step.action, at);
      if (!result.ok) throw new Error(`seed order ${sim.spec.id}: ${step.action.type} refused (${result.reason}) in ${sim.state.status}`);
      sim.state = result.ticket;
      recordTransition(sim, result.events, step.actor, step);
      if (sim.spec.fate.holdAt === sim.state.status) sim.held = true;
      return true;
    }
    case 'note':
      if (step.contact) sim.cycle.contactedAt = step.at;
      sim.events.push({ at, actorId: step.actor, type: SEED_EVENT_TYPES.note, visibility: 'internal', body: step.body, data: step.data });
      return true;
    case 'escalate': {
      const result = raiseEscalation(
        { categoryCode: sim.spec.category.code, status: sim.state.status, escalationLevel: getEscalationLevelAt(sim.escalationLevel) },
        { reason: step.reason },
        at,
      );
      if (!result.ok) return true; // at the top already: nothing to record
      sim.escalationLevel = ESCALATION_LEVELS.indexOf(result.level);
      sim.events.push({
        at,
        actorId: step.actor,
        type: SEED_EVENT_TYPES.escalated,
        visibility: 'internal',
        body: step.reason,
        data: { from: result.event.details.from, to: result.event.details.to, reason: result.event.details.reason, automatic: false, notifyRole: result.notify.role },
      });
      return true;
    }
  }
}

/** The time `frac` of the way through a target's window counted from `start` (frac > 1: late). */
function within(target: SlaTarget, calendar: BusinessCalendar, start: number, frac: number): number {
  const clock = target.clock === 'natural' ? CALENDAR_24X7 : calendar;
  const from = new Date(start);
  const due = computeDueAt(target, calendar, from);
  const window = Math.max(1, businessMinutesBetween(clock, from, due));
  return addBusinessMinutes(clock, from, window * frac).getTime();
}

function pickMember(rng: Rng, department: GeneratorDepartment | undefined): string | null {
  return department && department.memberIds.length > 0 ? rng.pick(department.memberIds) : null;
}

function dispatchTarget(ctx: Context, categoryCode: string, areaId: string | null, priority: SlaPriority): GeneratorDepartment {
  const area = areaId ? ctx.areas.get(areaId) : undefined;
  const target = chooseDispatchTarget(ctx.world.dispatchRules, {
    categoryCode,
    areaId: area?.id ?? null,
    areaKind: area?.kind ?? null,
    priority,
  });
  const department = (target && ctx.departmentsByCode.get(target.departmentCode)) ?? ctx.world.departments[0];
  if (!department) throw new Error('ticket seed needs departments');
  return department;
}

// The department a returned order goes to next, by the reason given.
function redispatchTarget(ctx: Context, reasonIndex: number, current: GeneratorDepartment): GeneratorDepartment {
  const code = reasonIndex === 2 ? 'metering' : reasonIndex === 3 ? 'business-hall' : reasonIndex === 0 ? null : current.code;
  if (code === null) {
    const other = ctx.world.departments.find((d) => d.code !== current.code && d.code.startsWith('repair'));
    return other ?? current;
  }
  return ctx.departmentsByCode.get(code) ?? current;
}

/**
 * The steps of one cycle (from `start`), in time order. Times are planned up front from the SLA
 * windows and the fate; steps past `now` are simply not played.
 */
function planCycle(ctx: Context, rng: Rng, sim: Sim, start: number, second: boolean): Step[] {
  const { spec } = sim;
  const { fate } = spec;
  const steps: Step[] = [];
  const cal = sim.calendar;
  const targets = sim.policy?.targets ?? {};
  const repair = top(spec.category.code) === 'fault-repair';
  const t = top(spec.category.code);
  let last = start;
  const after = (ms: number, minGapMinutes = 1) => Math.max(ms, last + minGapMinutes * MINUTE);
  const push = (step: Step) => {
    steps.push(step);
    last = step.at;
  };
  const agent = spec.createdBy;
  const dispatcher = rng.pick(ctx.dispatchers);
  const lateFrac = () => (fate.stall ? spread(rng, 1.6, 4) : spread(rng, 1.05, 1.8));
  const okFrac = (min: number, max: number, skew = 1) => spread(rng, min, max, skew);
  const isLate = !second && (fate.late || fate.stall);

  if (fate.fcr && !second) {
    const resolution = rng.pick(FCR_RESOLUTIONS[t] ?? FCR_RESOLUTIONS.inquiry);
    push({ at: start + rng.int(2, 14) * MINUTE, kind: 'action', action: { type: 'resolve_at_first_contact', resolution }, actor: agent, visibility: 'customer', body: resolution });
    if (fate.reopened) {
      push({ at: centerTime(last + rng.int(20, 72) * HOUR, rng), kind: 'action', action: { type: 'reopen', reason: rng.pick(REOPEN_REASONS) }, actor: rng.pick(ctx.agents) });
      return steps;
    }
    push({ at: centerTime(last + spread(rng, 0.2, 48, 2) * HOUR, rng), kind: 'action', action: { type: 'archive' }, actor: dispatcher });
    return steps;
  }

  // Complaints: call the customer back within 24 h (runs beside the dispatch).
  const contactTarget = targets.contact;
  let contactAt: number | null = null;
  if (contactTarget) {
    contactAt = centerTime(within(contactTarget, cal, start, fate.late && rng.chance(0.5) ? spread(rng, 1.05, 1.4) : okFrac(0.05, 0.75, 1.5)), rng);
  }

  // Dispatch (派单)
  let department = dispatchTarget(ctx, spec.category.code, spec.customer.areaId, sim.priority);
  const dispatchFrac = isLate && rng.chance(0.3) ? lateFrac() : okFrac(0.1, 0.9, 1.3);
  let dispatchAt = targets.dispatch ? within(targets.dispatch, cal, start, dispatchFrac) : start + rng.int(3, 60) * MINUTE;
  if (!repair && !targets.dispatch) dispatchAt = centerTime(dispatchAt, rng);
  // A stalled office order may sit in the dispatch queue for a day or more.
  if (fate.stall && !second && !repair && rng.chance(0.3)) dispatchAt = addBusinessMinutes(cal, new Date(start), rng.int(300, 1500)).getTime();
  // Still waiting for the dispatcher at `now`.
  if (fate.queued && !second) dispatchAt = Math.max(dispatchAt, ctx.nowMs + rng.int(10, 240) * MINUTE);
  const named = fate.dispatchTo ?? (rng.chance(repair ? 0.7 : 0.5) ? pickMember(rng, department) : null);
  const dispatchActor = repair && rng.chance(0.7) ? agent : dispatcher;
  const instructions = rng.pick(repair ? REPAIR_DISPATCH_NOTES : OFFICE_DISPATCH_NOTES);
  push({
    at: after(dispatchAt),
    kind: 'action',
    action: { type: 'dispatch', departmentId: department.id, note: instructions },
    actor: dispatchActor,
    body: instructions,
    extra: { assigneeId: named },
  });

  // Accept the dispatch (接单): repairs in minutes, offices within working hours.
  const acceptAt = repair ? last + rng.int(1, 6) * MINUTE : addBusinessMinutes(cal, new Date(last), rng.int(10, 240)).getTime();
  let acceptor = named ?? pickMember(rng, department);

  // A department may send the order back (退单) and it goes out again.
  if (fate.returned && !second) {
    const beforeAccept = rng.chance(0.5);
    if (!beforeAccept) push({ at: after(acceptAt), kind: 'action', action: { type: 'accept_dispatch' }, actor: acceptor });
    const reasonIndex = rng.int(0, RETURN_REASONS.length - 1);
    const returnAt = repair ? last + rng.int(5, 40) * MINUTE : addBusinessMinutes(cal, new Date(last), rng.int(30, 480)).getTime();
    push({ at: after(returnAt), kind: 'action', action: { type: 'return', reason: RETURN_REASONS[reasonIndex] }, actor: acceptor ?? dispatcher, body: RETURN_REASONS[reasonIndex] });
    department = redispatchTarget(ctx, reasonIndex, department);
    // The dispatcher reviews a returned order before sending it out again.
    let again = repair ? last + rng.int(5, 45) * MINUTE : addBusinessMinutes(cal, new Date(last), rng.int(30, 600)).getTime();
    // Recent returns may still wait in the dispatcher's queue (the customer must be reached first).
    if (!repair && ctx.nowMs - start < 6 * DAY && rng.chance(0.6)) again = Math.max(again, ctx.nowMs + rng.int(10, 240) * MINUTE);
    const renamed = rng.chance(0.6) ? pickMember(rng, department) : null;
    push({
      at: after(again),
      kind: 'action',
      action: { type: 'dispatch', departmentId: department.id, note: '退单后改派，请按时限处理。' },
      actor: dispatcher,
      body: '退单后改派，请按时限处理。',
      extra: { assigneeId: renamed },
    });
    acceptor = renamed ?? pickMember(rng, department);
    const reaccept = repair ? last + rng.int(1, 8) * MINUTE : addBusinessMinutes(cal, new Date(last), rng.int(10, 180)).getTime();
    push({ at: after(reaccept), kind: 'action', action: { type: 'accept_dispatch' }, actor: acceptor });
  } else {
    push({ at: after(acceptAt), kind: 'action', action: { type: 'accept_dispatch' }, actor: acceptor });
  }

  // On site and handled (到达现场, 处理完成)
  let handledAt: number;
  if (repair) {
    const arriveFrac = isLate ? lateFrac() : okFrac(0.3, 0.95, 1.2);
    const arriveAt = targets.arrive ? within(targets.arrive, cal, start, arriveFrac) : last + rng.int(20, 90) * MINUTE;
    push({ at: after(arriveAt, 3), kind: 'action', action: { type: 'arrive' }, actor: acceptor });
    const handleFrac = isLate ? Math.max(arriveFrac + 0.1, lateFrac()) : okFrac(Math.min(0.9, arriveFrac / 2 + 0.3), 0.97);
    const handleAt = targets.handle ? within(targets.handle, cal, start, handleFrac) : last + rng.int(20, 150) * MINUTE;
    handledAt = after(handleAt, 10);
  } else {
    const replyTarget = targets.reply;
    const handleFrac = isLate ? lateFrac() : okFrac(0.2, 0.8);
    const handleAt = replyTarget && !replyTarget.after ? within(replyTarget, cal, start, handleFrac) : addBusinessMinutes(cal, new Date(last), rng.int(60, 1200)).getTime();
    handledAt = after(handleAt, 20);
  }
  const results = repair ? REPAIR_RESULTS : (SERVICE_RESULTS[t] ?? SERVICE_RESULTS.inquiry);
  const result = rng.pick(results);
  push({ at: handledAt, kind: 'action', action: { type: 'handle', result }, actor: acceptor, body: result });

  // Reply to the customer (回复)
  let replyAt: number;
  if (repair) {
    // Called back after the restore, within the reply target counted from it.
    const frac = isLate && rng.chance(0.2) ? spread(rng, 1.05, 1.5) : okFrac(0.02, 0.9, 2.5);
    replyAt = targets.reply ? within(targets.reply, cal, last, frac) : last + spread(rng, 10, 240, 2) * MINUTE;
  } else {
    const replyTarget = targets.reply;
    const soon = addBusinessMinutes(cal, new Date(last), rng.int(20, 300)).getTime();
    if (replyTarget && !replyTarget.after && !isLate) {
      // Before the deadline, after the result is in.
      const deadline = within(replyTarget, cal, start, 0.98);
      replyAt = Math.min(soon, Math.max(deadline, last + 10 * MINUTE));
    } else replyAt = soon;
  }
  if (contactAt !== null && contactAt < replyAt) {
    // A note may sit before earlier actions (it runs beside them): steps are sorted before they are played.
    steps.push({
      at: Math.max(start + MINUTE, Math.min(contactAt, replyAt - MINUTE)),
      kind: 'note',
      actor: rng.pick(ctx.agents),
      body: rng.pick(CONTACT_NOTES),
      data: { kind: NOTE_KINDS.contacted },
      contact: true,
    });
  }
  const message = rng.pick(REPLIES[t] ?? REPLIES.inquiry);
  push({ at: after(replyAt, 5), kind: 'action', action: { type: 'reply', message }, actor: repair && rng.chance(0.5) ? dispatcher : rng.pick(ctx.agents), visibility: 'customer', body: message });

  // The customer is not satisfied: reopened (重开) at the follow-up call, a new cycle starts.
  if (fate.reopened && !second) {
    const reopenAt = centerTime(last + spread(rng, 2, 30) * HOUR, rng);
    push({ at: after(reopenAt), kind: 'action', action: { type: 'reopen', reason: rng.pick(REOPEN_REASONS) }, actor: rng.pick(ctx.agents) });
    return steps;
  }

  // Follow-up (回访) and archive (归档)
  const followTarget = targets.followUp;
  const lateFollow = isLate && rng.chance(0.2);
  const followDue = followTarget ? computeDueAt(followTarget, cal, new Date(last)).getTime() : Number.POSITIVE_INFINITY;
  let followAt = last;
  // Follow-up calls happen 08:00–21:00: draw again when that pushes an on-time call past its deadline.
  for (let attempt = 0; attempt < 6; attempt++) {
    const planned = followTarget ? within(followTarget, cal, last, lateFollow ? spread(rng, 1.05, 1.5) : okFrac(0.05, 0.9, 1.3)) : last + spread(rng, 2, 30) * HOUR;
    followAt = centerTime(planned, rng);
    if (lateFollow || followAt <= followDue) break;
  }
  const note = rng.pick(FOLLOW_UP_NOTES_SATISFIED);
  push({ at: after(followAt), kind: 'action', action: { type: 'follow_up', satisfied: true, note }, actor: rng.pick(ctx.agents), body: note });
  // Most orders are archived the same or the next day; a few wait in the follow-up pile.
  const archiveDelay = rng.chance(0.04) ? spread(rng, 5, 20) * DAY : spread(rng, 0.2, 60, 2) * HOUR;
  push({ at: after(centerTime(last + archiveDelay, rng)), kind: 'action', action: { type: 'archive' }, actor: dispatcher });
  return steps;
}

function createSim(ctx: Context, spec: OrderSpec): Sim {
  const area = spec.customer.areaId ? ctx.areas.get(spec.customer.areaId) : undefined;
  const policy = chooseSlaPolicy(ctx.world.policies, { categoryCode: spec.category.code, priority: spec.priority, areaKind: area?.kind ?? null });
  const calendar = policy ? ctx.world.calendars.get(policy.calendarId) : undefined;
  if (policy && !calendar) throw new Error(`SLA policy ${policy.id} has an unknown calendar`);
  return {
    spec,
    policy,
    calendar: calendar ?? CALENDAR_24X7,
    state: createTicketState(),
    events: [
      {
        at: new Date(spec.createdAt),
        actorId: spec.createdBy,
        type: SEED_EVENT_TYPES.created,
        visibility: 'internal',
        body: null,
        data: { status: 'accepted', channel: spec.channel, categoryCode: spec.category.code, priority: spec.priority },
      },
    ],
    cycle: { start: spec.createdAt, contactedAt: null, dispatchedAt: null, repliedAt: null, followedUpAt: null },
    assigneeId: null,
    dispatchedToUserId: null,
    escalationLevel: 0,
    priority: spec.priority,
    stopped: false,
    held: false,
  };
}

/** Plays an order's whole life up to `now`: cycles, urges, escalations, a pause. */
function simulate(ctx: Context, rng: Rng, spec: OrderSpec): Sim {
  const sim = createSim(ctx, spec);
  const first = planCycle(ctx, rng, sim, spec.createdAt, false);
  const steps = [...first];

  // Urges (催办) while the customer still waits: for a repair until the supply is back, else until the answer.
  const repair = top(spec.category.code) === 'fault-repair';
  const answerStep = first.find(
    (s) => s.kind === 'action' && (s.action.type === 'reply' || s.action.type === 'resolve_at_first_contact' || (repair && s.action.type === 'handle')),
  );
  const urgeEnd = Math.min(answerStep?.at ?? ctx.nowMs, ctx.nowMs) - 5 * MINUTE;
  const urgeStart = spec.createdAt + 20 * MINUTE;
  if (spec.fate.urges > 0 && urgeEnd > urgeStart) {
    const times = Array.from({ length: spec.fate.urges }, () => urgeStart + (urgeEnd - urgeStart) * (0.3 + 0.7 * rng.next())).sort((a, b) => a - b);
    times.forEach((at, i) => {
      steps.push({ at, kind: 'action', action: { type: 'urge', note: URGE_NOTES[Math.min(i, URGE_NOTES.length - 1)] }, actor: rng.pick(ctx.agents), body: URGE_NOTES[Math.min(i, URGE_NOTES.length - 1)] });
    });
  }
  // Complaint escalations by people, before the answer and before the reply deadline (after it,
  // the sweeper's escalation policy takes over).
  if (spec.fate.escalations > 0) {
    const replyTarget = sim.policy?.targets.reply;
    const replyDue = replyTarget && !replyTarget.after ? computeDueAt(replyTarget, sim.calendar, new Date(spec.createdAt)).getTime() : ctx.nowMs;
    const end = Math.min(answerStep?.at ?? ctx.nowMs, ctx.nowMs, replyDue) - MINUTE;
    for (let i = 0; i < spec.fate.escalations; i++) {
      const at = spec.createdAt + (end - spec.createdAt) * (0.15 + 0.8 * ((i + rng.next()) / spec.fate.escalations));
      if (at > spec.createdAt) steps.push({ at, kind: 'escalate', actor: rng.pick(ctx.supervisors), reason: rng.pick(ESCALATION_REASONS) });
    }
  }
  playSteps(ctx, rng, sim, steps);
  return sim;
}

function playSteps(ctx: Context, rng: Rng, sim: Sim, steps: Step[]) {
  // Urges go before the transition they tie with, so they always find the order open.
  const order = (s: Step) => (s.kind === 'action' && s.action.type === 'urge' ? 0 : 1);
  const sorted = steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || order(a.s) - order(b.s) || a.i - b.i);
  for (const { s } of sorted) {
    if (s.kind === 'action' && s.action.type === 'urge') {
      if (sim.stopped || s.at > ctx.nowMs || !isOpen(sim.state.status)) continue;
      const urged = planUrge(sim.state, { note: s.action.note }, new Date(s.at));
      if (!urged.ok) continue;
      sim.state = urged.ticket;
      recordTransition(sim, urged.events, s.actor, s);
      continue;
    }
    if (s.kind === 'escalate') {
      if (s.at <= ctx.nowMs && !sim.stopped) applyStep(ctx, sim, s);
      continue;
    }
    if (!applyStep(ctx, sim, s)) break;
    // A reopened order starts a second cycle, planned from the reopen.
    if (s.kind === 'action' && s.action.type === 'reopen') {
      const second = planCycle(ctx, rng, sim, s.at, true);
      playSteps(ctx, rng, sim, second);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SLA at `now`

// Milestones an order still owes in a status (their clocks run until met).
function owedMilestones(status: TicketStatus, repair: boolean, arrived: boolean): SlaMilestone[] {
  switch (status) {
    case 'accepted':
    case 'returned':
      return repair ? ['contact', 'dispatch', 'arrive', 'handle', 'reply'] : ['contact', 'dispatch', 'handle', 'reply'];
    case 'dispatched':
    case 'in_progress':
      return repair && !arrived ? ['contact', 'arrive', 'handle', 'reply'] : ['contact', 'handle', 'reply'];
    case 'handled':
      return ['contact', 'reply'];
    case 'replied':
      return ['followUp'];
    case 'followed_up':
    case 'resolved':
    case 'archived':
      return [];
  }
}

const MILESTONE_COLUMNS: Record<SlaMilestone, `${SlaMilestone}DueAt`> = {
  accept: 'acceptDueAt',
  contact: 'contactDueAt',
  dispatch: 'dispatchDueAt',
  arrive: 'arriveDueAt',
  handle: 'handleDueAt',
  reply: 'replyDueAt',
  followUp: 'followUpDueAt',
};

type SlaOutcome = {
  due: SlaDueTimes;
  slaState: SlaState;
  fired: Record<string, string>;
  nextCheckAt: Date | null;
  events: GeneratedEvent[];
  priority: SlaPriority;
  escalationLevel: number;
};

/** When each milestone of the current cycle was met, as the stored columns say. */
export function getMilestoneCompletions(t: {
  contactedAt: Date | null;
  dispatchedAt: Date | null;
  arrivedAt: Date | null;
  handledAt: Date | null;
  repliedAt: Date | null;
  resolvedAt: Date | null;
  followedUpAt: Date | null;
}): Partial<Record<SlaMilestone, Date>> {
  const out: Partial<Record<SlaMilestone, Date>> = {};
  if (t.contactedAt) out.contact = t.contactedAt;
  if (t.dispatchedAt) out.dispatch = t.dispatchedAt;
  if (t.arrivedAt) out.arrive = t.arrivedAt;
  if (t.handledAt) out.handle = t.handledAt;
  const answered = t.repliedAt ?? t.resolvedAt;
  if (answered) out.reply = answered;
  if (t.followedUpAt) out.followUp = t.followedUpAt;
  return out;
}

function evaluateSlaAtNow(ctx: Context, sim: Sim, columns: Parameters<typeof getMilestoneCompletions>[0], pausedAt: Date | null): SlaOutcome {
  const policy = sim.policy;
  const noSla: SlaOutcome = { due: {}, slaState: 'ok', fired: {}, nextCheckAt: null, events: [], priority: sim.priority, escalationLevel: sim.escalationLevel };
  if (!policy) return noSla;
  const start = new Date(sim.cycle.start);
  const reached: Partial<Record<SlaMilestone, Date>> = {};
  if (columns.handledAt) reached.handle = columns.handledAt;
  if (columns.repliedAt) reached.reply = columns.repliedAt;
  const due = computeDueTimes(policy.targets, sim.calendar, start, reached);
  const completions = getMilestoneCompletions(columns);
  const repair = top(sim.spec.category.code) === 'fault-repair';
  // A returned order was dispatched once: its dispatch clock is met, the handle and reply clocks run on.
  const owed = owedMilestones(sim.state.status, repair, sim.state.arrivedAt !== null).filter(
    (m) => due[MILESTONE_COLUMNS[m]] !== undefined && completions[m] === undefined,
  );

  if (owed.length === 0) {
    // Nothing runs: the state records whether this cycle met its deadlines.
    const late = (Object.keys(completions) as SlaMilestone[]).some((m) => {
      const d = due[MILESTONE_COLUMNS[m]];
      return d !== undefined && (completions[m] as Date) > d;
    });
    return { ...noSla, due, slaState: late ? 'breached' : 'ok' };
  }

  const clocks: SlaClockSnapshot[] = owed.map((m) => {
    const after = policy.targets[m]?.after;
    const startedAt = after ? (reached[after] ?? start) : start;
    return { milestone: m, startedAt, dueAt: due[MILESTONE_COLUMNS[m]] as Date };
  });
  const department = sim.state.departmentId ? ctx.departmentsById.get(sim.state.departmentId) : undefined;
  const level: EscalationLevel = getEscalationLevelAt(sim.escalationLevel);
  const decision = sweepDecision(
    {
      categoryCode: sim.spec.category.code,
      status: sim.state.status,
      priority: sim.priority,
      escalationLevel: level,
      departmentCode: department?.code ?? null,
      assigneeId: sim.assigneeId,
      slaState: 'ok',
      clocks,
      pausedSince: pausedAt,
      atRiskRatio: policy.atRiskRatio,
      // Elapsed time: natural-clock targets (contact within 24 h) run on business calendars too.
    },
    ctx.now,
    {},
    policy.escalation,
  );

  // Stamp each event when the sweeper would have seen it, not all at `now`.
  const events: GeneratedEvent[] = [];
  const fired: Record<string, string> = {};
  const nowMs = ctx.nowMs;
  const clamp = (ms: number) => new Date(Math.min(nowMs, Math.max(ms, sim.cycle.start)));
  const stampOf = new Map<string, Date>();
  const clockOf = (milestone: SlaMilestone) => clocks.find((c) => c.milestone === milestone) as SlaClockSnapshot;
  for (const e of decision.events) {
    let at: Date;
    if (e.kind === 'at_risk') {
      const c = clockOf(e.milestone);
      at = clamp(c.startedAt.getTime() + policy.atRiskRatio * (c.dueAt.getTime() - c.startedAt.getTime()) + MINUTE);
      events.push({ at, actorId: null, type: SEED_EVENT_TYPES.slaAtRisk, visibility: 'internal', body: null, data: { milestone: e.milestone, dueAt: e.dueAt.toISOString(), key: e.key, notify: [...e.notify] } });
    } else if (e.kind === 'breached') {
      at = clamp(e.dueAt.getTime() + MINUTE);
      events.push({ at, actorId: null, type: SEED_EVENT_TYPES.slaBreached, visibility: 'internal', body: null, data: { milestone: e.milestone, dueAt: e.dueAt.toISOString(), key: e.key, notify: [...e.notify] } });
    } else {
      at = clamp(e.step.dueAt.getTime() + (ruleOverdue(policy, e.step.ruleId) ?? 0) * MINUTE + MINUTE);
      events.push({
        at,
        actorId: null,
        type: SEED_EVENT_TYPES.slaEscalated,
        visibility: 'internal',
        body: null,
        data: {
          milestone: e.step.milestone,
          ruleId: e.step.ruleId,
          key: e.key,
          actions: e.step.actions.map((a) => a.type),
          skipped: e.step.skipped.map((s) => s.type),
          notify: e.step.actions.flatMap((a) => (a.type === 'notify' ? [a.audience] : [])),
          priority: e.step.actions.reduce<string | null>((p, a) => (a.type === 'raise_priority' ? a.to : p), null),
          escalationLevel: e.step.actions.reduce<string | null>((l, a) => (a.type === 'raise_escalation_level' ? a.to : l), null),
        },
      });
    }
    stampOf.set(e.key, at);
  }
  for (const [key] of Object.entries(decision.fired)) {
    // A superseded at-risk marker takes its breach's time.
    const breachKey = key.replace(/:at_risk$/, ':breached');
    const at = stampOf.get(key) ?? stampOf.get(breachKey) ?? ctx.now;
    fired[key] = at.toISOString();
  }
  return {
    due,
    slaState: decision.slaState,
    fired,
    nextCheckAt: decision.nextCheckAt,
    events,
    priority: decision.escalation.priority,
    escalationLevel: ESCALATION_LEVELS.indexOf(decision.escalation.escalationLevel),
  };
}

function ruleOverdue(policy: SlaPolicyConfig, ruleId: string): number | undefined {
  return policy.escalation.rules.find((r, i) => (r.id ?? String(i)) === ruleId)?.overdueMinutes;
}

// ---------------------------------------------------------------------------------------------
// Putting an order together

function maybePause(ctx: Context, rng: Rng, sim: Sim): Date | null {
  if (!sim.spec.fate.pause) return null;
  const status = sim.state.status;
  if (status !== 'dispatched' && status !== 'in_progress') return null;
  const lastAt = sim.events[sim.events.length - 1].at.getTime();
  if (ctx.nowMs - lastAt < 2 * HOUR) return null;
  const at = new Date(lastAt + (ctx.nowMs - lastAt) * spread(rng, 0.1, 0.9));
  const reason = rng.pick(PAUSE_REASONS);
  const result = transition(sim.state, { type: 'pause', reason }, at);
  if (!result.ok) return null;
  sim.state = result.ticket;
  recordTransition(sim, result.events, sim.assigneeId ?? rng.pick(ctx.dispatchers), { body: reason });
  return at;
}

function finish(ctx: Context, rng: Rng, sim: Sim, extra: { title: string; description: string; fields: Record<string, string | number | boolean> }): GeneratedTicket {
  const { spec } = sim;
  const pausedAt = maybePause(ctx, rng, sim);
  const state = sim.state;
  const inCycle = (ms: number | null) => (ms !== null && ms >= sim.cycle.start ? new Date(ms) : null);
  const columns = {
    contactedAt: inCycle(sim.cycle.contactedAt),
    dispatchedAt: inCycle(sim.cycle.dispatchedAt),
    arrivedAt: state.arrivedAt,
    handledAt: state.handledAt,
    repliedAt: state.resolvedAtFirstContact ? null : inCycle(sim.cycle.repliedAt),
    resolvedAt: state.resolvedAt,
    followedUpAt: inCycle(sim.cycle.followedUpAt),
  };
  const sla = evaluateSlaAtNow(ctx, sim, columns, pausedAt);
  const events = [...sim.events, ...sla.events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const area = spec.customer.areaId;
  return {
    id: spec.id,
    number: '',
    categoryCode: spec.category.code,
    priority: sla.priority,
    urgency: state.urgency,
    status: state.status,
    customerId: spec.customer.id,
    channel: spec.channel,
    title: extra.title,
    description: extra.description,
    fields: extra.fields,
    tags: [...spec.tags, ...(state.urgeCount > 0 ? ['催办'] : []), ...(state.reopenCount > 0 ? ['重开'] : [])],
    areaId: area,
    departmentId: state.departmentId,
    assigneeId: state.departmentId ? sim.assigneeId : null,
    dispatchedToUserId: state.departmentId ? sim.dispatchedToUserId : null,
    incidentId: spec.incident?.id ?? null,
    createdBy: spec.createdBy,
    createdAt: new Date(spec.createdAt),
    updatedAt: events[events.length - 1].at,
    acceptedAt: new Date(spec.createdAt),
    ...columns,
    followedUpAt: columns.followedUpAt,
    archivedAt: state.closedAt,
    urgeCount: state.urgeCount,
    reopenCount: state.reopenCount,
    returnCount: state.returnCount,
    dispatchCount: state.dispatchCount,
    escalationLevel: sla.escalationLevel,
    fcr: state.resolvedAtFirstContact,
    slaPolicyId: sim.policy?.id ?? null,
    cycleStartedAt: new Date(sim.cycle.start),
    due: sla.due,
    slaState: sla.slaState,
    slaPausedAt: pausedAt,
    slaFired: sla.fired,
    slaNextCheckAt: sla.nextCheckAt,
    version: events.length,
    events,
  };
}

function describeOrder(ctx: Context, rng: Rng, spec: OrderSpec) {
  const startedAt = spec.createdAt - rng.int(5, 90) * MINUTE;
  const vars = templateVars(ctx, rng, spec, startedAt);
  const description = fillTemplate(spec.template.text, vars);
  const area = spec.customer.areaId ? ctx.areas.get(spec.customer.areaId) : undefined;
  const summary = fillTemplate(spec.template.summary, vars);
  const title = top(spec.category.code) === 'fault-repair' && area ? `${area.name}${summary}` : summary;
  const fields: Record<string, string | number | boolean> = {};
  for (const field of listCategoryFields(ctx.world.categories, spec.category.code)) {
    const value = fieldValue(field, rng, spec, vars, startedAt);
    if (value !== undefined) fields[field.key] = value;
  }
  return { title, description, fields };
}

// Recent non-repair orders, mostly written in (web, WeChat, email), may still wait for dispatch.
function isQueued(ctx: Context, rng: Rng, category: TicketCategory, createdAt: number, channel: string | undefined): boolean {
  if (top(category.code) === 'fault-repair' || ctx.nowMs - createdAt > 30 * HOUR) return false;
  return rng.chance(channel === undefined || channel === 'phone' || channel === 'walk_in' ? 0.1 : 0.35);
}

function buildSpec(ctx: Context, rng: Rng, partial: Partial<OrderSpec> & { category: TicketCategory; customer: GeneratorCustomer; createdAt: number }, fate?: Partial<Fate>): OrderSpec {
  const template = partial.template ?? pickTemplate(rng, partial.category);
  const rolled = rollFate(rng, partial.category);
  return {
    id: partial.id ?? rng.uuid(),
    customer: partial.customer,
    category: partial.category,
    createdAt: partial.createdAt,
    priority: partial.priority ?? pickPriority(rng, partial.category, partial.customer, template),
    channel: partial.channel ?? pickChannel(rng, partial.category),
    createdBy: partial.createdBy ?? pickAgent(ctx, rng, partial.customer),
    template,
    fate: { ...rolled, queued: isQueued(ctx, rng, partial.category, partial.createdAt, partial.channel), ...fate },
    ...(partial.incident ? { incident: partial.incident } : {}),
    tags: partial.tags ?? [],
  };
}

function generateOne(ctx: Context, rng: Rng, spec: OrderSpec): GeneratedTicket {
  const text = describeOrder(ctx, rng, spec);
  const sim = simulate(ctx, rng, spec);
  return finish(ctx, rng, sim, text);
}

// ---------------------------------------------------------------------------------------------
// The mass incident: a feeder outage in one area, answered as one

const INCIDENT_DAYS_AGO = 10;

function generateIncident(ctx: Context, rng: Rng, count: number): { incident: GeneratedIncident; tickets: GeneratedTicket[] } | null {
  const urbanAreas = ctx.world.areas.filter((a) => a.kind === 'urban' && (ctx.customersByArea.get(a.id)?.length ?? 0) > 0);
  const area = urbanAreas.find((a) => a.code === 'chengbei') ?? urbanAreas[0] ?? ctx.world.areas.find((a) => ctx.customersByArea.has(a.id));
  const repairLeaf = ctx.leavesByTop.get('fault-repair');
  if (!area || !repairLeaf || count <= 0) return null;
  const crew = dispatchTarget(ctx, repairLeaf[0].code, area.id, 'normal');
  const dayStart = localDayStart(ctx.nowMs) - INCIDENT_DAYS_AGO * DAY;
  const startedAt = dayStart + 19 * HOUR + rng.int(20, 50) * MINUTE;
  if (startedAt + 30 * HOUR > ctx.nowMs) return null;
  const createdAt = startedAt + rng.int(12, 20) * MINUTE;
  const restoredAt = startedAt + rng.int(140, 170) * MINUTE;
  const dispatcher = rng.pick(ctx.dispatchers);
  const id = rng.uuid();
  const number = formatTicketNumber(new Date(createdAt), 1, { prefix: INCIDENT_NUMBER_PREFIX });
  const feeder = `10kV${area.name.replace(/区|市|县/, '')}Ⅱ回线`;
  const result = `${feeder}07号杆跌落式熔断器故障，已更换并恢复送电。`;
  const message = `您好，您反映的停电系${feeder}线路故障所致，抢修人员已完成抢修，供电已恢复，给您带来不便敬请谅解。`;
  const incident: GeneratedIncident = {
    id,
    number,
    title: `${feeder}故障停电`,
    areaIds: [area.id],
    startedAt: new Date(startedAt),
    expectedRestoreAt: new Date(startedAt + 3 * HOUR),
    status: 'resolved',
    description: `${area.name}${feeder}跳闸，沿线小区及商铺停电，抢修班组已赶赴现场。`,
    resolution: result,
    departmentId: crew.id,
    createdBy: dispatcher,
    createdAt: new Date(createdAt),
    updatedAt: new Date(restoredAt),
    resolvedAt: new Date(restoredAt),
  };

  const customers = rng.sample(ctx.customersByArea.get(area.id) ?? [], count);
  const times = customers.map((_, i) => (i === 0 ? startedAt + rng.int(3, 6) * MINUTE : startedAt + Math.min(150, -Math.log(1 - rng.next() * 0.999) * 25 + 4) * MINUTE)).sort((a, b) => a - b);
  const crewMember = pickMember(rng, crew);
  const tickets: GeneratedTicket[] = [];
  const sims: { sim: Sim; text: ReturnType<typeof describeOrder> }[] = [];
  customers.forEach((customer, i) => {
    const leaf = repairLeaf.find((c) => c.code === (rng.chance(0.7) ? 'fault-repair.high-voltage' : 'fault-repair.low-voltage')) ?? repairLeaf[0];
    const orderCreatedAt = Math.min(times[i], restoredAt - 5 * MINUTE);
    const spec = buildSpec(
      ctx,
      rng,
      {
        category: leaf,
        customer,
        createdAt: orderCreatedAt,
        channel: rng.chance(0.9) ? 'phone' : 'wechat',
        template: rng.pick(INCIDENT_TEMPLATES),
        incident: { id, number, linkAt: Math.max(orderCreatedAt + MINUTE, createdAt) },
        tags: ['停电事件'],
      },
      { fcr: false, late: false, stall: false, returned: false, reopened: false, urges: i % 9 === 4 ? 1 : 0, pause: false, escalations: 0 },
    );
    spec.priority = spec.priority === 'urgent' ? 'urgent' : 'high';
    const text = describeOrder(ctx, rng, spec);
    text.fields.outageScope = 'area';
    const sim = createSim(ctx, spec);
    const steps: Step[] = [];
    if (i === 0) {
      // The first caller's order sends the crew that finds the feeder fault.
      const t0 = spec.createdAt;
      steps.push({ at: t0 + 2 * MINUTE, kind: 'action', action: { type: 'dispatch', departmentId: crew.id, note: '片区停电，请立即出发查线。' }, actor: spec.createdBy, body: '片区停电，请立即出发查线。', extra: { assigneeId: crewMember } });
      steps.push({ at: t0 + 4 * MINUTE, kind: 'action', action: { type: 'accept_dispatch' }, actor: crewMember });
      steps.push({ at: t0 + rng.int(25, 40) * MINUTE, kind: 'action', action: { type: 'arrive' }, actor: crewMember });
    }
    const linkAt = spec.incident?.linkAt ?? createdAt;
    steps.push({ at: linkAt, kind: 'note', actor: i === 0 || linkAt === createdAt ? dispatcher : spec.createdBy, body: `关联停电事件 ${number}`, data: { kind: NOTE_KINDS.incidentLinked, incidentId: id, incidentNumber: number } });
    if (spec.fate.urges > 0) {
      const at = spec.createdAt + rng.int(40, 90) * MINUTE;
      if (at < restoredAt) steps.push({ at, kind: 'action', action: { type: 'urge', note: URGE_NOTES[0] }, actor: rng.pick(ctx.agents), body: URGE_NOTES[0] });
    }
    playSteps(ctx, rng, sim, steps);
    sims.push({ sim, text });
  });

  // Restored: the incident answers every linked order (planIncidentClosure), each with its own events.
  const plan = planIncidentClosure(
    { id, areaIds: [area.id], startedAt: new Date(startedAt), expectedRestoreAt: incident.expectedRestoreAt, status: 'active' },
    sims.map(({ sim }) => ({ id: sim.spec.id, state: sim.state })),
    new Date(restoredAt),
    { mode: 'reply', departmentId: crew.id, result, message },
  );
  if (!plan.ok) throw new Error(`incident closure refused: ${plan.reason}`);
  plan.tickets.forEach((p, i) => {
    const { sim, text } = sims[i];
    if (p.outcome !== 'updated') throw new Error(`incident order ${p.ticketId} not answered: ${p.outcome}`);
    for (const e of p.events) {
      const body = e.type === 'handled' ? result : e.type === 'replied' ? message : e.type === 'dispatched' ? `incident:${id}` : null;
      recordTransition(sim, [e], e.type === 'dispatch_accepted' || e.type === 'handled' ? crewMember : dispatcher, {
        body,
        ...(e.type === 'replied' ? { visibility: 'customer' as const } : {}),
        ...(e.type === 'dispatched' ? { extra: { assigneeId: crewMember } } : {}),
      });
      if (e.type === 'dispatch_accepted') sim.assigneeId = crewMember;
    }
    sim.state = p.ticket;
    // Each customer is followed up on its own, then archived.
    // Within the day after the restore (the follow-up target is 24 h).
    const followAt = Math.min(centerTime(restoredAt + spread(rng, 10, 20) * HOUR, rng), restoredAt + 23 * HOUR);
    const note = rng.pick(FOLLOW_UP_NOTES_SATISFIED);
    const archiveAt = centerTime(followAt + spread(rng, 0.5, 48, 2) * HOUR, rng);
    playSteps(ctx, rng, sim, [
      { at: followAt, kind: 'action', action: { type: 'follow_up', satisfied: true, note }, actor: rng.pick(ctx.agents), body: note },
      { at: archiveAt, kind: 'action', action: { type: 'archive' }, actor: dispatcher },
    ]);
    tickets.push(finish(ctx, rng, sim, text));
  });
  return { incident, tickets };
}

// ---------------------------------------------------------------------------------------------
// The demo customers' own orders, scripted so walkthroughs can rely on them

type FixtureOrder = {
  key: string;
  leaf: string;
  daysAgo: number;
  hour?: number;
  fate: Partial<Fate>;
  channel?: string;
  priority?: SlaPriority;
  agent?: string;
  templateIndex?: number;
};

const NEVER: Partial<Fate> = { fcr: false, late: false, stall: false, returned: false, reopened: false, urges: 0, pause: false, escalations: 0 };

const FIXTURE_ORDERS: readonly FixtureOrder[] = [
  // 张明远 (portal customer): one open repair with the urban crew, two archived orders.
  { key: 'portal', leaf: 'service-request.ev-charger', daysAgo: 70, hour: 10, fate: NEVER, channel: 'web' },
  { key: 'portal', leaf: 'inquiry.tariff', daysAgo: 40, hour: 20, fate: { ...NEVER, fcr: true }, templateIndex: 1 },
  { key: 'portal', leaf: 'fault-repair.low-voltage', daysAgo: 0, fate: { ...NEVER, holdAt: 'in_progress' }, templateIndex: 0 },
  // 刘志强 (repeat complainer): three answered complaints about low voltage, one open, urged and escalated.
  { key: 'repeatComplainer', leaf: 'complaint.supply-quality', daysAgo: 75, hour: 19, fate: NEVER, templateIndex: 0 },
  { key: 'repeatComplainer', leaf: 'complaint.supply-quality', daysAgo: 50, hour: 20, fate: { ...NEVER, reopened: true }, templateIndex: 0 },
  { key: 'repeatComplainer', leaf: 'complaint.outage', daysAgo: 25, hour: 21, fate: { ...NEVER, escalations: 1 }, templateIndex: 0 },
  { key: 'repeatComplainer', leaf: 'complaint.supply-quality', daysAgo: 3, hour: 9, fate: { ...NEVER, urges: 2, escalations: 2, holdAt: 'in_progress' }, priority: 'high', templateIndex: 1 },
  // 马桂英 (elderly, alone): a repair answered quickly, an inquiry closed at first contact.
  { key: 'elderlyAlone', leaf: 'fault-repair.low-voltage', daysAgo: 33, hour: 21, fate: NEVER, templateIndex: 1 },
  { key: 'elderlyAlone', leaf: 'inquiry.billing', daysAgo: 12, hour: 10, fate: { ...NEVER, fcr: true }, templateIndex: 1 },
  // Key account: an urgent high-voltage repair, a capacity increase in progress.
  { key: 'keyAccount', leaf: 'fault-repair.high-voltage', daysAgo: 45, hour: 14, fate: NEVER, priority: 'urgent' },
  { key: 'keyAccount', leaf: 'service-request.new-connection', daysAgo: 6, hour: 10, fate: { ...NEVER, holdAt: 'in_progress' }, channel: 'walk_in', templateIndex: 1 },
  // 韩玉梅 (low income): reconnection after paying, a billing question.
  { key: 'lowIncome', leaf: 'service-request.reconnection', daysAgo: 20, hour: 18, fate: NEVER, priority: 'high' },
  { key: 'lowIncome', leaf: 'inquiry.billing', daysAgo: 8, hour: 11, fate: { ...NEVER, fcr: true } },
  // 才让卓玛 (Amdo): rooftop solar question answered, a repair archived.
  { key: 'amdo', leaf: 'inquiry.distributed-solar', daysAgo: 4, hour: 15, fate: { ...NEVER, holdAt: 'replied' } },
  { key: 'amdo', leaf: 'fault-repair.low-voltage', daysAgo: 28, hour: 22, fate: NEVER },
  // 扎西多杰 (Kham, remote area): a repair archived.
  { key: 'kham', leaf: 'fault-repair.low-voltage', daysAgo: 16, hour: 7, fate: NEVER, templateIndex: 4 },
  // Emma Clarke: app question by email, closed at first contact.
  { key: 'english', leaf: 'inquiry.online-services', daysAgo: 9, hour: 16, fate: { ...NEVER, fcr: true }, channel: 'email' },
];

function generateFixtureOrders(ctx: Context, rng: Rng): GeneratedTicket[] {
  const out: GeneratedTicket[] = [];
  const byId = new Map(ctx.world.customers.map((c) => [c.id, c]));
  const repairUser = ctx.world.staff.find((s) => s.username === 'repair')?.id;
  for (const f of FIXTURE_ORDERS) {
    const customerId = ctx.world.fixtures[f.key];
    const customer = customerId ? byId.get(customerId) : undefined;
    const category = ctx.world.categories.find((c) => c.code === f.leaf);
    if (!customer || !category) continue;
    const r = rng.fork(`${f.key}:${f.leaf}:${f.daysAgo}`);
    const createdAt =
      f.daysAgo === 0 ? ctx.nowMs - r.int(30, 50) * MINUTE : localDayStart(ctx.nowMs) - f.daysAgo * DAY + (f.hour ?? 10) * HOUR + r.int(0, 50) * MINUTE;
    const templates = DESCRIPTION_TEMPLATES[f.leaf] ?? [];
    const fate: Partial<Fate> = { ...f.fate };
    if (f.leaf.startsWith('fault-repair') && customer.areaId && ctx.areas.get(customer.areaId)?.kind === 'urban' && repairUser) fate.dispatchTo = repairUser;
    const spec = buildSpec(
      ctx,
      r,
      {
        category,
        customer,
        createdAt,
        ...(f.channel ? { channel: f.channel } : {}),
        ...(f.priority ? { priority: f.priority } : {}),
        ...(f.templateIndex !== undefined && templates[f.templateIndex] ? { template: templates[f.templateIndex] } : {}),
      },
      fate,
    );
    out.push(generateOne(ctx, r, spec));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Everything

/**
 * The demo work orders over the last `days` days before `world.now`: `count` orders in all
 * (the demo customers' scripted orders and one mass incident's orders included), numbered per
 * local day, with their timelines, due times and SLA state. Deterministic for an rng seed.
 */
export function generateWorkOrders(rng: Rng, world: TicketWorld, options: GenerateOptions): GeneratedWorkOrders {
  const days = options.days ?? 90;
  const ctx = indexWorld(rng.fork('world'), world, days);
  const tickets: GeneratedTicket[] = [];
  const incidents: GeneratedIncident[] = [];
  if (world.customers.length === 0 || options.count <= 0) return { tickets, incidents, counters: [] };

  tickets.push(...generateFixtureOrders(ctx, rng.fork('fixtures')).slice(0, options.count));

  const incidentSize = Math.min(60, Math.max(Math.min(5, options.count - tickets.length), Math.round(options.count * 0.003)));
  const incident = generateIncident(ctx, rng.fork('incident'), incidentSize);
  if (incident) {
    incidents.push(incident.incident);
    tickets.push(...incident.tickets);
  }

  const remaining = Math.max(0, options.count - tickets.length);
  const urgingShare = (TOP_MIX.find(([c]) => c === 'urging')?.[1] ?? 0) / TOP_MIX.reduce((s, [, w]) => s + w, 0);
  const urgingCount = Math.round(remaining * urgingShare);
  const mix = TOP_MIX.filter(([c]) => c !== 'urging' && ctx.leavesByTop.has(c));
  const gen = rng.fork('orders');
  for (let i = 0; i < remaining - urgingCount; i++) {
    const r = gen.fork(String(i));
    const topCode = r.weighted(mix);
    const category = pickLeaf(ctx, r, topCode);
    const customer = pickCustomer(ctx, r);
    const createdAt = pickCreatedAt(ctx, r, topCode === 'fault-repair');
    tickets.push(generateOne(ctx, r, buildSpec(ctx, r, { category, customer, createdAt })));
  }

  // Urging orders (催办) chase an earlier order of the same customer.
  const urgeGen = rng.fork('urging');
  const originals = new Map<string, GeneratedTicket[]>();
  const fixtureIds = new Set(Object.values(world.fixtures));
  for (const t of tickets) {
    if (fixtureIds.has(t.customerId)) continue; // the demo customers keep their scripted orders only
    const key = top(t.categoryCode);
    if (!originals.has(key)) originals.set(key, []);
    originals.get(key)?.push(t);
  }
  const references = new Map<string, string>();
  const customersById = new Map(ctx.customers.map((c) => [c.id, c]));
  if (ctx.leavesByTop.has('urging')) {
    for (let i = 0; i < urgingCount; i++) {
      const r = urgeGen.fork(String(i));
      const category = pickLeaf(ctx, r, 'urging');
      const chased = getUrgedCategoryPrefix(category.code);
      const pool = chased ? (originals.get(chased) ?? []) : [];
      const original = pool.length > 0 ? r.pick(pool) : null;
      const originalCustomer = original ? customersById.get(original.customerId) : undefined;
      let createdAt = original ? original.createdAt.getTime() + spread(r, 1, 72, 2) * HOUR : pickCreatedAt(ctx, r, false);
      if (createdAt >= ctx.nowMs - MINUTE) createdAt = pickCreatedAt(ctx, r, false);
      const customer = originalCustomer ?? pickCustomer(ctx, r);
      const ticket = generateOne(ctx, r, buildSpec(ctx, r, { category, customer, createdAt }));
      if (original) references.set(ticket.id, original.id);
      tickets.push(ticket);
    }
  }

  // Numbers: per local day, in order of creation.
  tickets.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const sequences = new Map<string, number>();
  for (const t of tickets) {
    const day = getTicketNumberDate(t.createdAt, ZONE);
    const seq = (sequences.get(day) ?? 0) + 1;
    sequences.set(day, seq);
    t.number = formatTicketNumber(t.createdAt, seq, { prefix: TICKET_NUMBER_PREFIX, timeZone: ZONE });
  }
  const numbers = new Map(tickets.map((t) => [t.id, t.number]));
  for (const t of tickets) {
    const originalId = references.get(t.id);
    const originalNumber = originalId ? numbers.get(originalId) : undefined;
    if (originalNumber) t.fields.originalNumber = originalNumber;
  }
  const counters: NumberCounter[] = [...sequences].map(([day, lastValue]) => ({ prefix: TICKET_NUMBER_PREFIX, day, lastValue }));
  for (const i of incidents) counters.push({ prefix: INCIDENT_NUMBER_PREFIX, day: getTicketNumberDate(i.createdAt, ZONE), lastValue: 1 });
  counters.sort((a, b) => a.prefix.localeCompare(b.prefix) || a.day.localeCompare(b.day));
  return { tickets, incidents, counters };
}
