import { ZAuditEntry, ZAuditQuery, ZPage } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';

const ZAuditCursor = z.object({ id: z.number().int() });

export function createAuditQueries(db: Kysely<DB>) {
  return {
    /** Newest first; the identity id orders entries, so it is the cursor. */
    async listAudit(query: z.infer<typeof ZAuditQuery>) {
      let q = db.selectFrom('audit_log').selectAll();
      if (query.actorId) q = q.where('actor_id', '=', query.actorId);
      if (query.action) q = q.where('action', 'like', `${query.action}%`);
      if (query.entityType) q = q.where('entity_type', '=', query.entityType);
      if (query.entityId) q = q.where('entity_id', '=', query.entityId);
      if (query.from) q = q.where('at', '>=', new Date(query.from));
      if (query.to) q = q.where('at', '<', new Date(query.to));
      const after = decodeCursor(query.cursor, ZAuditCursor);
      if (after) q = q.where('id', '<', after.id);
      const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          requestId: r.request_id,
          ip: r.ip,
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
      };
    },
  };
}

export const auditRoutes: FastifyPluginAsyncZod<{ db: Kysely<DB> }> = async (app, { db }) => {
  const audit = createAuditQueries(db);
  app.get('/audit', { schema: { tags: ['audit'], querystring: ZAuditQuery, response: { 200: ZPage(ZAuditEntry) } }, config: { access: 'audit:read' } }, (req) =>
    audit.listAudit(req.query),
  );
};
