import type { DB } from '@kefu/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import type { ContactView, ConversationView } from './contacts.mapper.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/** Contacts with the queue, agent and customer names and linked order ids. */
export function selectContactViews(ex: Executor) {
  return ex
    .selectFrom('contacts as c')
    .leftJoin('queues as q', 'q.id', 'c.queue_id')
    .leftJoin('users as u', 'u.id', 'c.agent_id')
    .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
    .leftJoin('conversations as cv', 'cv.id', 'c.conversation_id')
    .leftJoin('visitors as vi', 'vi.id', 'cv.visitor_id')
    .selectAll('c')
    .select([
      'vi.name as visitor_name',
      'q.name_zh as queue_name',
      'q.offer_timeout_seconds',
      'u.display_name as agent_name',
      'cu.name as customer_name',
      sql<string[] | null>`(select array_agg(ct.ticket_id::text) from contact_tickets ct where ct.contact_id = c.id)`.as('ticket_ids'),
    ]);
}

export async function loadContactView(ex: Executor, id: string): Promise<ContactView | undefined> {
  return (await selectContactViews(ex).where('c.id', '=', id).executeTakeFirst()) as ContactView | undefined;
}

export function selectConversationViews(ex: Executor) {
  return ex
    .selectFrom('conversations as v')
    .leftJoin('customers as cu', 'cu.id', 'v.customer_id')
    .leftJoin('visitors as vi', 'vi.id', 'v.visitor_id')
    .selectAll('v')
    .select(['cu.name as customer_name', 'vi.name as visitor_name']);
}

export async function loadConversationView(ex: Executor, id: string): Promise<ConversationView | undefined> {
  return (await selectConversationViews(ex).where('v.id', '=', id).executeTakeFirst()) as ConversationView | undefined;
}

/** Realtime pushes collected during a transaction and published after it commits. */
export type Pushes = RealtimeMessage[];

export async function publishAll(publish: (m: RealtimeMessage) => Promise<void>, pushes: Pushes): Promise<void> {
  for (const m of pushes) await publish(m);
}

/** Appends one contact timeline row. */
export async function insertContactEvent(
  ex: Executor,
  contactId: string,
  e: { type: string; from: string | null; to: string | null; at: Date; actorId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await ex
    .insertInto('contact_events')
    .values({ contact_id: contactId, type: e.type, from_status: e.from, to_status: e.to, at: e.at, actor_id: e.actorId, details: JSON.stringify(e.details ?? {}) })
    .execute();
}
