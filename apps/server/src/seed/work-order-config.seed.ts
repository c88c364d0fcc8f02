import type { DB } from '@kefu/db';
import {
  AREA_TYPES,
  type AreaType,
  type BusinessCalendar,
  CALENDAR_24X7,
  CN_2026_HOLIDAYS,
  CN_2026_WORKDAYS,
  type CategoryFieldDefinition,
  DEFAULT_ESCALATION_POLICY,
  type DispatchRule,
  type EscalationPolicy,
  getStateGridSlaTargets,
  type SlaPriority,
  type SlaTargets,
  STATE_GRID_CATEGORIES,
  TICKET_CATEGORY_CODES,
  type TicketCategory,
  type TicketCategoryCode,
  validateCalendar,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import type { SlaPolicyScope } from '@kefu/domain';
import type { DEMO_DEPARTMENTS } from './org.seed.ts';
import { requireRef, type SeedContext } from './seed-context.ts';

// Work-order defaults every installation gets (the 95598 category tree, a 24x7 and a working-day
// calendar, SLA policies from the State Grid preset), and the demo center's dispatch rules.

export const CALENDAR_CODES = { allDay: '24x7', workdays: 'workdays' } as const;

/** Weekday office hours of a Chinese utility (营业时间): 08:30–12:00 and 14:00–17:30, Monday to Friday. */
const OFFICE_HOURS = [
  { start: '08:30', end: '12:00' },
  { start: '14:00', end: '17:30' },
] as const;

/**
 * The working-day calendar: office hours, the 2026 public holidays and swapped working days
 * (调休). Later years are added when the State Council publishes them (cn-public-holidays.ts).
 */
export const WORKDAYS_CALENDAR: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  alwaysOpen: false,
  weekly: { 0: [], 1: [...OFFICE_HOURS], 2: [...OFFICE_HOURS], 3: [...OFFICE_HOURS], 4: [...OFFICE_HOURS], 5: [...OFFICE_HOURS], 6: [] },
  holidays: [...CN_2026_HOLIDAYS],
  workdays: [...CN_2026_WORKDAYS],
  workdayTemplate: 1,
};

type CalendarCode = (typeof CALENDAR_CODES)[keyof typeof CALENDAR_CODES];

export const DEFAULT_CALENDARS: readonly { code: CalendarCode; name: string; definition: BusinessCalendar }[] = [
  { code: CALENDAR_CODES.allDay, name: '7×24小时', definition: CALENDAR_24X7 },
  { code: CALENDAR_CODES.workdays, name: '工作日 08:30–12:00, 14:00–17:30（含法定节假日与调休）', definition: WORKDAYS_CALENDAR },
];

/** An SLA policy before it has an id: scope, targets, calendar by code, escalation. */
export type SlaPolicyDraft = {
  name: string;
  categoryPrefix: string;
  priority: SlaPriority | null;
  areaKind: AreaType | null;
  targets: SlaTargets;
  calendarCode: CalendarCode;
  escalation: EscalationPolicy;
  atRiskRatio: number;
};

// Repairs: a breach tells the team lead at once; an hour later the priority rises and the manager hears of it.
const REPAIR_ESCALATION: EscalationPolicy = {
  rules: [
    { id: 'breach', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'supervisor' }] },
    { id: 'overdue-1h', overdueMinutes: 60, actions: [{ type: 'raise_priority' }, { type: 'notify', audience: 'manager' }] },
  ],
};
// Urgent repairs (safety hazard, hospital, key account): the manager hears of the breach itself.
const URGENT_REPAIR_ESCALATION: EscalationPolicy = {
  rules: [
    { id: 'breach', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'supervisor' }, { type: 'notify', audience: 'manager' }] },
    { id: 'overdue-30m', overdueMinutes: 30, actions: [{ type: 'raise_priority' }] },
  ],
};
// Reports and the rest: supervisor at the breach, priority and manager a day later.
const STANDARD_ESCALATION: EscalationPolicy = {
  rules: [
    { id: 'breach', overdueMinutes: 0, actions: [{ type: 'notify', audience: 'supervisor' }] },
    { id: 'overdue-1d', overdueMinutes: 1440, actions: [{ type: 'raise_priority' }, { type: 'notify', audience: 'manager' }] },
  ],
};

const CATEGORY_NAMES_ZH: Readonly<Record<TicketCategoryCode, string>> = Object.fromEntries(
  STATE_GRID_CATEGORIES.filter((c) => c.parentCode === null).map((c) => [c.code, c.nameZh]),
) as Record<TicketCategoryCode, string>;
const AREA_NAMES_ZH: Readonly<Record<AreaType, string>> = { urban: '城区', rural: '农村', remote: '特殊边远地区' };
const PRIORITY_NAMES_ZH: Readonly<Record<SlaPriority, string>> = { urgent: '紧急', high: '高', normal: '普通', low: '低' };

// Urgent repairs: out at once and the customer called back within 2 h of the restore. Travel
// and restore times stay the commitment's: a crew cannot drive faster because of a label.
function urgentRepairTargets(area: AreaType): SlaTargets {
  const base = getStateGridSlaTargets('fault-repair', { area });
  return {
    ...base,
    dispatch: { amount: 2, unit: 'minutes', clock: 'natural' },
    reply: { amount: 2, unit: 'hours', clock: 'natural', after: 'handle' },
  };
}

/**
 * The default SLA policies from the State Grid preset: one per top-level category (repairs on
 * the 24x7 calendar, everything else on working days), repairs per area kind (45/90/120 min on
 * site, 3 h/4 h restore) with an urgent variant of each, and the urgent and high variants the
 * preset tightens for the other categories.
 */
export function buildDefaultSlaPolicies(): SlaPolicyDraft[] {
  const drafts: SlaPolicyDraft[] = [];
  for (const code of TICKET_CATEGORY_CODES) {
    const repair = code === 'fault-repair';
    const calendarCode = repair ? CALENDAR_CODES.allDay : CALENDAR_CODES.workdays;
    const escalation = repair ? REPAIR_ESCALATION : code === 'complaint' ? DEFAULT_ESCALATION_POLICY : STANDARD_ESCALATION;
    const base = getStateGridSlaTargets(code);
    const name = CATEGORY_NAMES_ZH[code];
    drafts.push({ name, categoryPrefix: code, priority: null, areaKind: null, targets: base, calendarCode, escalation, atRiskRatio: 0.8 });
    if (repair) {
      drafts.push({ name: `${name}（紧急）`, categoryPrefix: code, priority: 'urgent', areaKind: null, targets: urgentRepairTargets('urban'), calendarCode, escalation: URGENT_REPAIR_ESCALATION, atRiskRatio: 0.6 });
      for (const area of AREA_TYPES) {
        const areaName = AREA_NAMES_ZH[area];
        drafts.push({ name: `${name}（${areaName}）`, categoryPrefix: code, priority: null, areaKind: area, targets: getStateGridSlaTargets(code, { area }), calendarCode, escalation, atRiskRatio: 0.8 });
        drafts.push({ name: `${name}（紧急·${areaName}）`, categoryPrefix: code, priority: 'urgent', areaKind: area, targets: urgentRepairTargets(area), calendarCode, escalation: URGENT_REPAIR_ESCALATION, atRiskRatio: 0.6 });
      }
      continue;
    }
    for (const priority of ['urgent', 'high'] as const) {
      const targets = getStateGridSlaTargets(code, { priority });
      // Only where the preset changes something: categories fixed by a commitment keep one policy.
      if (JSON.stringify(targets) === JSON.stringify(base)) continue;
      drafts.push({ name: `${name}（${PRIORITY_NAMES_ZH[priority]}）`, categoryPrefix: code, priority, areaKind: null, targets, calendarCode, escalation, atRiskRatio: priority === 'urgent' ? 0.6 : 0.8 });
    }
  }
  return drafts;
}

export type WorkOrderDefaultsResult = { installed: boolean; categories: number; calendars: number; policies: number };

// Serialises two processes installing the defaults of one brand at the same moment.
const DEFAULTS_LOCK = 955_980_003;

/**
 * Writes the work-order defaults of a brand: category tree, calendars, SLA policies. Does nothing
 * when the brand already has categories (an admin's edits are never overwritten). Runs in the
 * caller's transaction when given one, else in its own.
 */
export async function installWorkOrderDefaults(db: Kysely<DB>, options: { brandId: string; now: Date }): Promise<WorkOrderDefaultsResult> {
  if (!db.isTransaction) return db.transaction().execute((trx) => installWorkOrderDefaults(trx, options));
  const { brandId, now } = options;
  await sql`select pg_advisory_xact_lock(${DEFAULTS_LOCK}, hashtext(${brandId}))`.execute(db);
  const existing = await db.selectFrom('ticket_categories').select('id').where('brand_id', '=', brandId).limit(1).executeTakeFirst();
  if (existing) return { installed: false, categories: 0, calendars: 0, policies: 0 };

  // STATE_GRID_CATEGORIES lists parents before children, as the parent foreign key needs.
  await db
    .insertInto('ticket_categories')
    .values(
      STATE_GRID_CATEGORIES.map((c) => ({
        brand_id: brandId,
        code: c.code,
        parent_code: c.parentCode,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        // JSON text: the pg driver would turn a JS array into a PostgreSQL array literal.
        fields: JSON.stringify(c.fields),
        position: c.position,
        active: c.active,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const calendars = await db
    .insertInto('calendars')
    .values(DEFAULT_CALENDARS.map((c) => ({ brand_id: brandId, code: c.code, name: c.name, definition: JSON.stringify(c.definition), created_at: now, updated_at: now })))
    .returning(['id', 'code'])
    .execute();
  const calendarIds = new Map(calendars.map((c) => [c.code, c.id]));
  const policies = buildDefaultSlaPolicies();
  await db
    .insertInto('sla_policies')
    .values(
      policies.map((p) => ({
        brand_id: brandId,
        name: p.name,
        category_prefix: p.categoryPrefix,
        priority: p.priority,
        area_kind: p.areaKind,
        targets: JSON.stringify(p.targets),
        calendar_id: calendarIds.get(p.calendarCode) as string,
        escalation: JSON.stringify(p.escalation),
        at_risk_ratio: p.atRiskRatio,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  return { installed: true, categories: STATE_GRID_CATEGORIES.length, calendars: calendars.length, policies: policies.length };
}

/** An sla_policies row as services use it. */
export type SlaPolicyConfig = SlaPolicyScope & {
  name: string;
  targets: SlaTargets;
  calendarId: string;
  escalation: EscalationPolicy;
  atRiskRatio: number;
};

export type WorkOrderConfig = {
  /** Parents before children, siblings by position. */
  categories: TicketCategory[];
  /** calendar id → calendar */
  calendars: Map<string, BusinessCalendar>;
  /** calendar code → id */
  calendarIds: Map<string, string>;
  policies: SlaPolicyConfig[];
};

/** The brand's categories, calendars and SLA policies (inactive ones included), parsed. */
export async function loadWorkOrderConfig(db: Kysely<DB>, brandId: string): Promise<WorkOrderConfig> {
  const [categoryRows, calendarRows, policyRows] = await Promise.all([
    db.selectFrom('ticket_categories').selectAll().where('brand_id', '=', brandId).orderBy(sql`parent_code is not null`).orderBy('parent_code').orderBy('position').orderBy('code').execute(),
    db.selectFrom('calendars').selectAll().where('brand_id', '=', brandId).orderBy('code').execute(),
    db.selectFrom('sla_policies').selectAll().where('brand_id', '=', brandId).orderBy('category_prefix').orderBy('id').execute(),
  ]);
  const calendars = new Map<string, BusinessCalendar>();
  for (const row of calendarRows) {
    const calendar = row.definition as unknown as BusinessCalendar;
    const problems = validateCalendar(calendar);
    if (problems.length > 0) throw new Error(`calendar ${row.code}: ${problems.join('; ')}`);
    calendars.set(row.id, calendar);
  }
  return {
    categories: categoryRows.map((r) => ({
      code: r.code,
      parentCode: r.parent_code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      fields: r.fields as unknown as CategoryFieldDefinition[],
      position: r.position,
      active: r.active,
    })),
    calendars,
    calendarIds: new Map(calendarRows.map((r) => [r.code, r.id])),
    policies: policyRows.map((r) => ({
      id: r.id,
      name: r.name,
      categoryPrefix: r.category_prefix,
      priority: r.priority as SlaPriority | null,
      areaKind: r.area_kind as AreaType | null,
      active: r.active,
      targets: r.targets as SlaTargets,
      calendarId: r.calendar_id,
      escalation: r.escalation as unknown as EscalationPolicy,
      atRiskRatio: r.at_risk_ratio,
    })),
  };
}

type DepartmentCode = (typeof DEMO_DEPARTMENTS)[number]['code'];
type DispatchRuleDraft = Omit<DispatchRule, 'id' | 'departmentCode'> & { departmentCode: DepartmentCode };

const URBAN: AreaType[] = ['urban'];
const NOT_URBAN: AreaType[] = ['rural', 'remote'];

/** Category/area → department defaults of the demo center (派单规则); position orders ties only. */
export const DEMO_DISPATCH_RULES: readonly DispatchRuleDraft[] = [
  // Repairs go to the crew of the area's kind.
  { categoryPrefix: 'fault-repair', areaKinds: URBAN, departmentCode: 'repair-urban', position: 10 },
  { categoryPrefix: 'fault-repair', areaKinds: NOT_URBAN, departmentCode: 'repair-rural', position: 11 },
  { categoryPrefix: 'fault-repair', departmentCode: 'repair-urban', position: 12 },
  { categoryPrefix: 'fault-repair.metering', departmentCode: 'metering', position: 13 },
  // Complaints, reports, opinions and suggestions are the complaint group's.
  { categoryPrefix: 'complaint', departmentCode: 'complaint', position: 20 },
  { categoryPrefix: 'report', departmentCode: 'complaint', position: 21 },
  { categoryPrefix: 'report.power-theft', departmentCode: 'metering', position: 22 },
  { categoryPrefix: 'report.unauthorized-use', departmentCode: 'metering', position: 23 },
  { categoryPrefix: 'opinion', departmentCode: 'complaint', position: 24 },
  { categoryPrefix: 'suggestion', departmentCode: 'complaint', position: 25 },
  { categoryPrefix: 'praise', departmentCode: 'complaint', position: 26 },
  { categoryPrefix: 'praise.repair-crew', areaKinds: URBAN, departmentCode: 'repair-urban', position: 27 },
  { categoryPrefix: 'praise.repair-crew', areaKinds: NOT_URBAN, departmentCode: 'repair-rural', position: 28 },
  { categoryPrefix: 'praise.service-hall', departmentCode: 'business-hall', position: 29 },
  // Applications, billing questions and subscriptions go to the service hall, metering to metering.
  { categoryPrefix: 'service-request', departmentCode: 'business-hall', position: 30 },
  { categoryPrefix: 'service-request.meter-test', departmentCode: 'metering', position: 31 },
  { categoryPrefix: 'inquiry', departmentCode: 'business-hall', position: 40 },
  { categoryPrefix: 'inquiry.metering', departmentCode: 'metering', position: 41 },
  { categoryPrefix: 'inquiry.outage-info', areaKinds: URBAN, departmentCode: 'repair-urban', position: 42 },
  { categoryPrefix: 'inquiry.outage-info', areaKinds: NOT_URBAN, departmentCode: 'repair-rural', position: 43 },
  { categoryPrefix: 'subscription', departmentCode: 'business-hall', position: 50 },
  // Urging goes where the chased order is handled.
  { categoryPrefix: 'urging', departmentCode: 'business-hall', position: 60 },
  { categoryPrefix: 'urging.repair-progress', areaKinds: URBAN, departmentCode: 'repair-urban', position: 61 },
  { categoryPrefix: 'urging.repair-progress', areaKinds: NOT_URBAN, departmentCode: 'repair-rural', position: 62 },
  { categoryPrefix: 'urging.complaint-progress', departmentCode: 'complaint', position: 63 },
  // Anything else: the service hall.
  { categoryPrefix: '', departmentCode: 'business-hall', position: 99 },
];

/** Writes the demo dispatch rules; returns them as the domain's DispatchRule (department by code). */
export async function seedDispatchRules(ctx: SeedContext): Promise<DispatchRule[]> {
  const { departments } = requireRef(ctx.refs, 'org');
  const rng = ctx.rng.fork('dispatch-rules');
  const rules: DispatchRule[] = DEMO_DISPATCH_RULES.map((r) => ({ ...r, id: rng.uuid() }));
  await ctx.db
    .insertInto('dispatch_rules')
    .values(
      rules.map((r) => ({
        id: r.id,
        brand_id: ctx.brandId,
        category_prefix: r.categoryPrefix ?? '',
        area_ids: [...(r.areaIds ?? [])],
        area_kinds: [...(r.areaKinds ?? [])],
        priority: r.priority ?? null,
        department_id: departments[r.departmentCode],
        assignee_id: r.assigneeId ?? null,
        position: r.position,
        created_at: ctx.now,
        updated_at: ctx.now,
      })),
    )
    .execute();
  return rules;
}
