import { ZArea, ZItems } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import { enqueueEvent, recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { installContactDefaults } from '../../seed/contact-config.seed.ts';
import { installWorkOrderDefaults } from '../../seed/work-order-config.seed.ts';

/** Organisation reference data every signed-in staff screen needs: areas, teams, departments, brands. */
export const referenceRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, { db }) => {
  const tags = ['reference'];
  app.get('/areas', { schema: { tags, response: { 200: ZItems(ZArea) } }, config: { access: 'authenticated' } }, async () => {
    const rows = await db
      .selectFrom('areas')
      .leftJoin('users', 'users.id', 'areas.account_manager_id')
      .select(['areas.id', 'areas.code', 'areas.name', 'areas.kind', 'areas.district', 'users.id as manager_id', 'users.display_name as manager_name'])
      .orderBy('areas.code')
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        kind: r.kind,
        district: r.district,
        accountManager: r.manager_id ? { id: r.manager_id, displayName: r.manager_name ?? '' } : null,
      })),
    };
  });
  app.get(
    '/teams',
    { schema: { tags, response: { 200: ZItems(z.object({ id: z.string(), code: z.string(), name: z.string() })) } }, config: { access: 'authenticated' } },
    async () => ({ items: await db.selectFrom('teams').select(['id', 'code', 'name']).orderBy('code').execute() }),
  );
  app.get(
    '/departments',
    {
      schema: { tags, response: { 200: ZItems(z.object({ id: z.string(), code: z.string(), name: z.string(), kind: z.string() })) } },
      config: { access: 'authenticated' },
    },
    async () => ({ items: await db.selectFrom('departments').select(['id', 'code', 'name', 'kind']).orderBy('code').execute() }),
  );
  app.get(
    '/departments/:id/members',
    {
      schema: {
        tags,
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: ZItems(z.object({ id: z.string(), displayName: z.string(), workNumber: z.string().nullable() })) },
      },
      // Dispatchers pick the person to send an order to without the user-admin permission.
      config: { access: 'ticket:read' },
    },
    async (req) => ({
      items: (
        await db
          .selectFrom('users')
          .select(['id', 'display_name', 'work_number'])
          .where('department_id', '=', req.params.id)
          .where('disabled', '=', false)
          .orderBy('work_number')
          .execute()
      ).map((u) => ({ id: u.id, displayName: u.display_name, workNumber: u.work_number })),
    }),
  );
  // A second brand (an outsourcing client, a separate business line) gets its own customers,
  // orders and SLA defaults; staff see it once an administrator assigns it to them.
  app.post(
    '/brands',
    {
      schema: {
        tags,
        body: z.strictObject({ code: z.string().trim().regex(/^[a-z0-9-]{2,40}$/), name: z.string().trim().min(1).max(100) }),
        response: { 201: z.object({ id: z.string(), code: z.string(), name: z.string() }) },
      },
      config: { access: 'settings:manage' },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      if (await db.selectFrom('brands').select('id').where('code', '=', req.body.code).executeTakeFirst()) {
        throw new AppError('validation.failed', 'A brand with this code exists', { field: 'code' });
      }
      const brand = await db.transaction().execute(async (trx) => {
        const row = await trx.insertInto('brands').values({ code: req.body.code, name: req.body.name }).returning(['id', 'code', 'name']).executeTakeFirstOrThrow();
        await trx.insertInto('user_brands').values({ user_id: ctx.auth.userId, brand_id: row.id }).execute();
        await installWorkOrderDefaults(trx, { brandId: row.id, now: new Date() });
        await installContactDefaults(trx, row.id);
        await recordAudit(trx, ctx, { action: 'brand.create', entityType: 'brand', entityId: row.id, brandId: row.id, after: req.body });
        await enqueueEvent(trx, { topic: 'brand.created', aggregateType: 'brand', aggregateId: row.id, payload: { brandId: row.id } });
        return row;
      });
      return reply.code(201).send(brand);
    },
  );
  app.put(
    '/users/:id/brands',
    {
      schema: { tags, params: z.strictObject({ id: z.uuid() }), body: z.strictObject({ brandIds: z.array(z.uuid()).min(1).max(100) }), response: { 200: z.object({ brandIds: z.array(z.string()) }) } },
      config: { access: 'user:manage' },
    },
    async (req) => {
      const ctx = requestContext(req);
      const ids = [...new Set(req.body.brandIds)];
      const found = await db.selectFrom('brands').select('id').where('id', 'in', ids).execute();
      if (found.length !== ids.length) throw new AppError('validation.failed', 'Unknown brand', { field: 'brandIds' });
      if (!(await db.selectFrom('users').select('id').where('id', '=', req.params.id).executeTakeFirst())) {
        throw new AppError('resource.not_found', 'User not found', { entity: 'user', id: req.params.id });
      }
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_brands').where('user_id', '=', req.params.id).execute();
        await trx.insertInto('user_brands').values(ids.map((brand_id) => ({ user_id: req.params.id, brand_id }))).execute();
        await recordAudit(trx, ctx, { action: 'user.brands', entityType: 'user', entityId: req.params.id, after: { brandIds: ids } });
      });
      return { brandIds: ids };
    },
  );
  app.get(
    '/brands',
    { schema: { tags, response: { 200: ZItems(z.object({ id: z.string(), code: z.string(), name: z.string() })) } }, config: { access: 'authenticated' } },
    async (req) => {
      const auth = requireAuth(req);
      if (auth.brandIds.length === 0) return { items: [] };
      return { items: await db.selectFrom('brands').select(['id', 'code', 'name']).where('id', 'in', [...auth.brandIds]).orderBy('created_at').execute() };
    },
  );
};
