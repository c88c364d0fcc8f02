import type { DB } from '@kefu/db';
import { type BusinessCalendar, SLA_MILESTONES, validateCalendar } from '@kefu/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import { enqueueEvent, recordAudit } from '../../platform/audit.ts';
import type { RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { WorkOrderConfigCache } from './tickets.config.ts';

const ZSlaTarget = z.strictObject({
  amount: z.number().positive().max(100_000),
  unit: z.enum(['minutes', 'hours', 'working_days']),
  clock: z.enum(['business', 'natural']).optional(),
  after: z.enum(SLA_MILESTONES).optional(),
});
const ZTargets = z.partialRecord(z.enum(SLA_MILESTONES), ZSlaTarget);
const ZEscalation = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        id: z.string().max(40).optional(),
        milestone: z.enum(SLA_MILESTONES).optional(),
        overdueMinutes: z.number().min(0).max(100_000),
        actions: z
          .array(
            z.discriminatedUnion('type', [
              z.strictObject({ type: z.literal('notify'), audience: z.enum(['owner', 'supervisor', 'manager']) }),
              z.strictObject({ type: z.literal('raise_priority') }),
              z.strictObject({ type: z.literal('reassign'), departmentCode: z.string().min(1).max(40), assigneeId: z.uuid().optional() }),
              z.strictObject({ type: z.literal('raise_escalation_level') }),
            ]),
          )
          .min(1)
          .max(10),
      }),
    )
    .max(20),
});
const ZWorkingHours = z.strictObject({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) });
const ZCalendarDefinition = z.strictObject({
  timeZone: z.string().min(1).max(60),
  alwaysOpen: z.boolean(),
  weekly: z.strictObject(Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), z.array(ZWorkingHours).max(6)])) as Record<string, z.ZodArray<typeof ZWorkingHours>>),
  holidays: z.array(z.iso.date()).max(400),
  workdays: z.array(z.iso.date()).max(100),
  workdayTemplate: z.number().int().min(0).max(6).optional(),
});

const ZPolicy = z.object({
  id: z.string(),
  name: z.string(),
  categoryPrefix: z.string(),
  priority: z.string().nullable(),
  areaKind: z.string().nullable(),
  targets: z.record(z.string(), z.unknown()),
  calendarId: z.string(),
  escalation: z.unknown(),
  atRiskRatio: z.number(),
  active: z.boolean(),
});

/**
 * SLA policies and business calendars are data an administrator edits. Changes apply to orders
 * recorded afterwards; existing orders keep the deadlines stored when they were recorded.
 */
export function createWorkOrderSettings({ db, config, clock }: { db: Kysely<DB>; config: WorkOrderConfigCache; clock: () => Date }) {
  const brandOf = (ctx: { brandIds: readonly string[] }) => {
    const b = ctx.brandIds[0];
    if (!b) throw new AppError('auth.forbidden', 'You do not serve any brand');
    return b;
  };
  async function audit(ctx: RequestContext, action: string, entityType: string, id: string, brandId: string, before: unknown, after: unknown) {
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, ctx, { action, entityType, entityId: id, brandId, before, after });
      await enqueueEvent(trx, { topic: action, aggregateType: entityType, aggregateId: id, payload: { id } });
    });
  }
  return {
    async listPolicies(brandId: string) {
      const cfg = await config.get(brandId);
      return cfg.policies.map((p) => ({ ...p, targets: p.targets as Record<string, unknown> }));
    },
    async updatePolicy(ctx: RequestContext, id: string, patch: z.infer<typeof ZPolicyPatch>) {
      const brandId = brandOf(ctx.auth);
      const before = await db.selectFrom('sla_policies').selectAll().where('id', '=', id).where('brand_id', '=', brandId).executeTakeFirst();
      if (!before) throw new AppError('resource.not_found', 'SLA policy not found', { entity: 'sla_policy', id });
      if (patch.calendarId && !(await db.selectFrom('calendars').select('id').where('id', '=', patch.calendarId).where('brand_id', '=', brandId).executeTakeFirst())) {
        throw new AppError('validation.failed', 'Unknown calendar', { field: 'calendarId' });
      }
      await db
        .updateTable('sla_policies')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.targets !== undefined ? { targets: JSON.stringify(patch.targets) } : {}),
          ...(patch.escalation !== undefined ? { escalation: JSON.stringify(patch.escalation) } : {}),
          ...(patch.calendarId !== undefined ? { calendar_id: patch.calendarId } : {}),
          ...(patch.atRiskRatio !== undefined ? { at_risk_ratio: patch.atRiskRatio } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          updated_at: clock(),
        })
        .where('id', '=', id)
        .execute();
      await audit(ctx, 'sla_policy.update', 'sla_policy', id, brandId, { targets: before.targets, active: before.active }, patch);
      config.invalidate(brandId);
      return (await this.listPolicies(brandId)).find((p) => p.id === id);
    },
    async listCalendars(brandId: string) {
      const rows = await db.selectFrom('calendars').select(['id', 'code', 'name', 'definition']).where('brand_id', '=', brandId).orderBy('code').execute();
      return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, definition: r.definition as unknown as Record<string, unknown> }));
    },
    async updateCalendar(ctx: RequestContext, id: string, patch: { name?: string | undefined; definition?: z.infer<typeof ZCalendarDefinition> | undefined }) {
      const brandId = brandOf(ctx.auth);
      const before = await db.selectFrom('calendars').selectAll().where('id', '=', id).where('brand_id', '=', brandId).executeTakeFirst();
      if (!before) throw new AppError('resource.not_found', 'Calendar not found', { entity: 'calendar', id });
      if (patch.definition) {
        const problems = validateCalendar(patch.definition as unknown as BusinessCalendar);
        if (problems.length) throw new AppError('validation.failed', 'The calendar is invalid', { problems });
      }
      await db
        .updateTable('calendars')
        .set({ ...(patch.name ? { name: patch.name } : {}), ...(patch.definition ? { definition: JSON.stringify(patch.definition) } : {}), updated_at: clock() })
        .where('id', '=', id)
        .execute();
      await audit(ctx, 'calendar.update', 'calendar', id, brandId, { name: before.name }, patch);
      config.invalidate(brandId);
      return (await this.listCalendars(brandId)).find((c) => c.id === id);
    },
  };
}

const ZPolicyPatch = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  targets: ZTargets.optional(),
  escalation: ZEscalation.optional(),
  calendarId: z.uuid().optional(),
  atRiskRatio: z.number().min(0.1).max(1).optional(),
  active: z.boolean().optional(),
});

const ZCalendar = z.object({ id: z.string(), code: z.string(), name: z.string(), definition: z.record(z.string(), z.unknown()) });

export const workOrderSettingsRoutes: FastifyPluginAsyncZod<{ settings: ReturnType<typeof createWorkOrderSettings> }> = async (app, { settings }) => {
  const tags = ['sla'];
  const brand = (b: readonly string[]) => b[0] ?? '';
  app.get('/sla-policies', { schema: { tags, response: { 200: z.object({ items: z.array(ZPolicy) }) } }, config: { access: 'ticket:read' } }, async (req) => ({
    items: await settings.listPolicies(brand(requireAuth(req).brandIds)),
  }));
  app.patch('/sla-policies/:id', { schema: { tags, params: z.strictObject({ id: z.uuid() }), body: ZPolicyPatch, response: { 200: ZPolicy } }, config: { access: 'sla:manage' } }, async (req) =>
    (await settings.updatePolicy(requestContext(req), req.params.id, req.body)) as z.infer<typeof ZPolicy>,
  );
  app.get('/calendars', { schema: { tags, response: { 200: z.object({ items: z.array(ZCalendar) }) } }, config: { access: 'ticket:read' } }, async (req) => ({
    items: await settings.listCalendars(brand(requireAuth(req).brandIds)),
  }));
  app.patch(
    '/calendars/:id',
    { schema: { tags, params: z.strictObject({ id: z.uuid() }), body: z.strictObject({ name: z.string().trim().min(1).max(80).optional(), definition: ZCalendarDefinition.optional() }), response: { 200: ZCalendar } }, config: { access: 'sla:manage' } },
    async (req) => (await settings.updateCalendar(requestContext(req), req.params.id, req.body)) as z.infer<typeof ZCalendar>,
  );
};
