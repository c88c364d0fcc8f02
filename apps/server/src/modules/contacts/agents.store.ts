import type { AgentStateRow } from '@kefu/db';
import { type AgentPresence, type CapacityProfile, type ContactChannel, DEFAULT_CAPACITY_PROFILE, type RoutingCandidate } from '@kefu/domain';
import { sql } from 'kysely';
import type { Executor } from './contacts.queries.ts';

/** Statuses in which a contact counts against an agent's capacity. */
export const LOAD_STATUSES = ['offered', 'active', 'on_hold', 'wrap_up'] as const;

type Load = Partial<Record<ContactChannel, number>>;

/** Contacts per channel each agent is offered or holds (offered ones count for the offered agent). */
export async function loadAgentLoads(ex: Executor, agentIds: readonly string[] | null, brandId: string): Promise<Map<string, Load>> {
  let q = ex
    .selectFrom('contacts')
    .select([sql<string>`case when status = 'offered' then offer_agent_id else agent_id end`.as('agent'), 'channel', sql<number>`count(*)::int`.as('n')])
    .where('brand_id', '=', brandId)
    .where('status', 'in', [...LOAD_STATUSES])
    .groupBy(['agent', 'channel']);
  if (agentIds !== null) {
    if (agentIds.length === 0) return new Map();
    q = q.where((eb) => eb.or([eb('agent_id', 'in', [...agentIds]), eb('offer_agent_id', 'in', [...agentIds])]));
  }
  const rows = await q.execute();
  const loads = new Map<string, Load>();
  for (const r of rows) {
    if (r.agent === null) continue;
    const load = loads.get(r.agent) ?? {};
    load[r.channel as ContactChannel] = (load[r.channel as ContactChannel] ?? 0) + r.n;
    loads.set(r.agent, load);
  }
  return loads;
}

function toCapacity(value: unknown): CapacityProfile {
  const v = value as Partial<CapacityProfile> | null;
  return v?.limits && (v.blending === 'shared' || v.blending === 'per_channel') ? (v as CapacityProfile) : DEFAULT_CAPACITY_PROFILE;
}

export function toAgentPresence(row: AgentStateRow, load: Load): AgentPresence {
  return {
    agentId: row.user_id,
    state: row.state as AgentPresence['state'],
    reason: row.reason,
    since: row.since,
    capacity: toCapacity(row.capacity),
    load,
    lastOfferedAt: row.last_offered_at,
    lastContactEndedAt: row.last_contact_ended_at,
  };
}

/** Logged-in agents of a brand with their skills and load: the routing candidates. */
export async function loadCandidates(ex: Executor, brandId: string): Promise<RoutingCandidate[]> {
  const rows = await ex
    .selectFrom('agent_states as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .selectAll('a')
    .select('u.skills')
    .where('a.brand_id', '=', brandId)
    .where('a.state', '!=', 'offline')
    .where('u.disabled', '=', false)
    .execute();
  const loads = await loadAgentLoads(ex, null, brandId);
  return rows.map((r) => ({ ...toAgentPresence(r, loads.get(r.user_id) ?? {}), skills: r.skills }));
}

/** One agent's presence (created offline on first use) with skills; locks the row when asked. */
export async function loadAgent(ex: Executor, userId: string, brandId: string, now: Date, lock = false): Promise<{ presence: AgentPresence; skills: string[]; capacity: CapacityProfile }> {
  await ex.insertInto('agent_states').values({ user_id: userId, brand_id: brandId, since: now }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  let q = ex.selectFrom('agent_states as a').innerJoin('users as u', 'u.id', 'a.user_id').selectAll('a').select('u.skills').where('a.user_id', '=', userId);
  if (lock) q = q.forUpdate('a');
  const row = await q.executeTakeFirstOrThrow();
  const loads = await loadAgentLoads(ex, [userId], row.brand_id);
  const presence = toAgentPresence(row, loads.get(userId) ?? {});
  return { presence, skills: row.skills, capacity: presence.capacity };
}

/** Writes a presence change and its log line. */
export async function savePresence(
  ex: Executor,
  next: AgentPresence,
  record: { state: string; reason: string | null; from: Date; to: Date; seconds: number } | null,
): Promise<void> {
  await ex
    .updateTable('agent_states')
    .set({ state: next.state, reason: next.reason, since: next.since, last_offered_at: next.lastOfferedAt, last_contact_ended_at: next.lastContactEndedAt, updated_at: next.since })
    .where('user_id', '=', next.agentId)
    .execute();
  if (record) {
    await ex
      .insertInto('presence_log')
      .values({ user_id: next.agentId, state: record.state, reason: record.reason, started_at: record.from, ended_at: record.to, seconds: Math.round(record.seconds) })
      .execute();
  }
}
