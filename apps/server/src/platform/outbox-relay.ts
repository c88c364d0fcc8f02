import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { RealtimeBus } from './realtime.ts';

/**
 * Publishes committed outbox events to the realtime bus. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several server processes never publish one event twice.
 */
export async function relayOutbox(db: Kysely<DB>, bus: RealtimeBus, batch = 200): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('outbox')
      .select(['id', 'topic', 'payload', 'aggregate_type', 'aggregate_id'])
      .where('published_at', 'is', null)
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    for (const r of rows) {
      const payload = r.payload as { brandId?: string; userIds?: string[]; permissions?: string[] } & Record<string, unknown>;
      const { userIds, permissions, ...rest } = payload;
      await bus.publish({ topic: r.topic, payload: rest, brandId: payload.brandId ?? null, ...(userIds ? { userIds } : {}), ...(permissions ? { permissions } : {}) });
    }
    await trx
      .updateTable('outbox')
      .set({ published_at: sql`now()` })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    return rows.length;
  });
}
