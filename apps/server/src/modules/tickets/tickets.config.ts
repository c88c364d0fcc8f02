import type { DB } from '@kefu/db';
import type { AreaType, BusinessCalendar, DispatchRule, EscalationPolicy, SlaPriority, SlaTargets, TicketCategory } from '@kefu/domain';
import type { Kysely, Transaction } from 'kysely';

export type SlaPolicyConfig = {
  id: string;
  name: string;
  categoryPrefix: string;
  priority: SlaPriority | null;
  areaKind: AreaType | null;
  targets: SlaTargets;
  calendarId: string;
  escalation: EscalationPolicy;
  atRiskRatio: number;
  active: boolean;
};

export type WorkOrderConfig = {
  categories: TicketCategory[];
  calendars: Map<string, BusinessCalendar>;
  policies: SlaPolicyConfig[];
  dispatchRules: DispatchRule[];
  departmentsByCode: Map<string, { id: string; name: string }>;
  departmentsById: Map<string, { code: string; name: string }>;
};

// Configuration changes rarely and is read on every order write, so it is cached per brand
// for a few seconds and dropped at once when this process edits it.
const TTL_MS = 10_000;

export function createWorkOrderConfigCache(db: Kysely<DB>, ttlMs = TTL_MS) {
  const cache = new Map<string, { at: number; config: Promise<WorkOrderConfig> }>();

  async function load(brandId: string, ex: Kysely<DB> | Transaction<DB>): Promise<WorkOrderConfig> {
    const [categories, calendars, policies, rules, departments] = await Promise.all([
      ex.selectFrom('ticket_categories').selectAll().where('brand_id', '=', brandId).orderBy('position').execute(),
      ex.selectFrom('calendars').select(['id', 'definition']).where('brand_id', '=', brandId).execute(),
      ex.selectFrom('sla_policies').selectAll().where('brand_id', '=', brandId).execute(),
      ex.selectFrom('dispatch_rules').selectAll().where('brand_id', '=', brandId).execute(),
      ex.selectFrom('departments').select(['id', 'code', 'name']).execute(),
    ]);
    const departmentsById = new Map(departments.map((d) => [d.id, { code: d.code, name: d.name }]));
    return {
      categories: categories.map((c) => ({
        code: c.code,
        parentCode: c.parent_code,
        nameZh: c.name_zh,
        nameEn: c.name_en,
        fields: c.fields as unknown as TicketCategory["fields"],
        position: c.position,
        active: c.active,
      })),
      calendars: new Map(calendars.map((c) => [c.id, c.definition as unknown as BusinessCalendar])),
      policies: policies.map((p) => ({
        id: p.id,
        name: p.name,
        categoryPrefix: p.category_prefix,
        priority: p.priority as SlaPriority | null,
        areaKind: p.area_kind as AreaType | null,
        targets: p.targets as SlaTargets,
        calendarId: p.calendar_id,
        escalation: p.escalation as unknown as EscalationPolicy,
        atRiskRatio: p.at_risk_ratio,
        active: p.active,
      })),
      dispatchRules: rules.map((r) => ({
        id: r.id,
        categoryPrefix: r.category_prefix,
        areaIds: r.area_ids,
        areaKinds: r.area_kinds as AreaType[],
        ...(r.priority ? { priority: r.priority as SlaPriority } : {}),
        departmentCode: departmentsById.get(r.department_id)?.code ?? '',
        ...(r.assignee_id ? { assigneeId: r.assignee_id } : {}),
        position: r.position,
        active: r.active,
      })),
      departmentsByCode: new Map(departments.map((d) => [d.code, { id: d.id, name: d.name }])),
      departmentsById,
    };
  }

  return {
    /** Inside a transaction pass it: on PGlite a query on the outer handle would wait for the transaction. */
    get(brandId: string, executor: Kysely<DB> | Transaction<DB> = db): Promise<WorkOrderConfig> {
      const now = Date.now();
      const hit = cache.get(brandId);
      if (hit && now - hit.at < ttlMs) return hit.config;
      const config = load(brandId, executor);
      cache.set(brandId, { at: now, config });
      config.catch(() => cache.delete(brandId));
      return config;
    },
    invalidate(brandId?: string) {
      if (brandId) cache.delete(brandId);
      else cache.clear();
    },
  };
}

export type WorkOrderConfigCache = ReturnType<typeof createWorkOrderConfigCache>;
