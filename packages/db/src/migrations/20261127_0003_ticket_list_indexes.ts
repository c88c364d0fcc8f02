import type { Kysely } from 'kysely';
import { executeStatements } from './execute-statements.ts';

// Found by bench/ticket-intake over 1,000,000 orders: paging deep into open orders walked the
// brand index past ~200k closed rows (190 ms), and slaState=at_risk over all orders fell back to a
// sequential scan (530 ms). Both lists get their own index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    create index tickets_open_created_idx on tickets (brand_id, created_at desc, id desc)
      where status in ('accepted','dispatched','in_progress','handled','returned','replied') and merged_into_id is null;
    create index tickets_brand_sla_created_idx on tickets (brand_id, sla_state, created_at desc, id desc)
      where merged_into_id is null;
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, `
    drop index tickets_brand_sla_created_idx;
    drop index tickets_open_created_idx;
  `);
}
