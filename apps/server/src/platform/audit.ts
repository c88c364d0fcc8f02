import type { DB } from '@kefu/db';
import type { Kysely, Transaction } from 'kysely';
import type { RequestContext } from './auth-context.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string | null;
  brandId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Appends an audit row; call inside the same transaction as the change it records. */
export async function recordAudit(trx: Executor, ctx: RequestContext | SystemContext, entry: AuditEntry): Promise<void> {
  const actor = 'auth' in ctx ? ctx.auth : null;
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: actor?.userId ?? null,
      actor_name: 'auth' in ctx ? ctx.auth.username : ctx.actorName,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      brand_id: entry.brandId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      request_id: ctx.requestId,
      ip: ctx.ip,
    })
    .execute();
}

/** A write made by the system itself (seed, sweeper, channel adapter) rather than a signed-in user. */
export type SystemContext = { actorName: string; requestId: string | null; ip: string | null };

export type DomainEvent = { topic: string; aggregateType: string; aggregateId: string; payload: unknown };

/** Appends a domain event to the outbox; the relay publishes it after the transaction commits. */
export async function enqueueEvent(trx: Executor, event: DomainEvent): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      topic: event.topic,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      payload: JSON.stringify(event.payload),
    })
    .execute();
}
