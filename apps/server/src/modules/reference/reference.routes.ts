import { ZArea, ZItems } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireAuth } from '../../platform/access.ts';

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
