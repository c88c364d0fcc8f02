import type { DB } from '@kefu/db';
import {
  type EscalationPolicy,
  type EscalationLevel,
  ESCALATION_LEVELS,
  getEscalationLevelAt,
  type SlaClockSnapshot,
  type SlaFiredMarkers,
  type SlaMilestone,
  type SlaPriority,
  type SlaState,
  sweepDecision,
  type TicketStatus,
} from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { enqueueEvent, recordAudit } from '../../platform/audit.ts';
import type { WorkOrderConfigCache } from './tickets.config.ts';

// Which timestamp meets each milestone; a clock runs while its due time is set and it is unmet.
const MILESTONES: readonly { milestone: SlaMilestone; due: string; met: readonly string[] }[] = [
  { milestone: 'accept', due: 'accept_due_at', met: ['accepted_at'] },
  { milestone: 'contact', due: 'contact_due_at', met: ['contacted_at', 'replied_at', 'resolved_at'] },
  { milestone: 'dispatch', due: 'dispatch_due_at', met: ['dispatched_at', 'resolved_at'] },
  { milestone: 'arrive', due: 'arrive_due_at', met: ['arrived_at', 'resolved_at'] },
  { milestone: 'handle', due: 'handle_due_at', met: ['handled_at', 'resolved_at'] },
  { milestone: 'reply', due: 'reply_due_at', met: ['replied_at', 'resolved_at'] },
  { milestone: 'followUp', due: 'follow_up_due_at', met: ['followed_up_at', 'archived_at', 'resolved_at'] },
];

const CLOSED: ReadonlySet<string> = new Set(['archived', 'resolved', 'followed_up']);

export type SweepResult = { examined: number; events: number };

/**
 * One pass of the SLA sweeper: claims due orders with FOR UPDATE SKIP LOCKED, asks the pure
 * `sweepDecision` what fires, and writes state, markers, timeline, escalation and notifications in
 * the same transaction. Markers make a restarted sweeper or a second process fire nothing twice.
 */
export async function sweepSla(db: Kysely<DB>, config: WorkOrderConfigCache, now: Date, batch = 200): Promise<SweepResult> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('tickets')
      .leftJoin('departments', 'departments.id', 'tickets.department_id')
      .selectAll('tickets')
      .select(['departments.code as department_code'])
      .where('tickets.sla_next_check_at', '<=', now)
      .orderBy('tickets.sla_next_check_at')
      .limit(batch)
      .forUpdate('tickets')
      .skipLocked()
      .execute();
    let events = 0;
    for (const row of rows) {
      const r = row as unknown as Record<string, unknown> & typeof row;
      if (CLOSED.has(row.status) || row.merged_into_id) {
        await trx.updateTable('tickets').set({ sla_next_check_at: null }).where('id', '=', row.id).execute();
        continue;
      }
      const cfg = await config.get(row.brand_id, trx);
      const policy = cfg.policies.find((p) => p.id === row.sla_policy_id);
      // A reopened order runs a new cycle from its latest reopening (the marker keys depend on it).
      const cycleStart =
        row.reopen_count > 0
          ? ((
              await trx.selectFrom('ticket_events').select('at').where('ticket_id', '=', row.id).where('type', '=', 'reopened').orderBy('at', 'desc').limit(1).executeTakeFirst()
            )?.at ?? row.created_at)
          : row.created_at;
      const clocks: SlaClockSnapshot[] = [];
      for (const m of MILESTONES) {
        const due = r[m.due] as Date | null;
        if (!due || m.met.some((c) => r[c] !== null)) continue;
        const after = policy?.targets[m.milestone]?.after;
        const startedAt = (after ? (r[MILESTONES.find((x) => x.milestone === after)?.met[0] ?? ''] as Date | null) : null) ?? cycleStart;
        clocks.push({ milestone: m.milestone, startedAt, dueAt: due, pausedMinutes: row.sla_paused_minutes });
      }
      const calendar = policy ? cfg.calendars.get(policy.calendarId) : undefined;
      const decision = sweepDecision(
        {
          categoryCode: row.category_code,
          status: row.status as TicketStatus,
          priority: row.priority as SlaPriority,
          escalationLevel: getEscalationLevelAt(row.escalation_level),
          departmentCode: (row.department_code as string | null) ?? null,
          assigneeId: row.dispatched_to_user_id,
          slaState: row.sla_state as SlaState,
          clocks,
          pausedSince: row.sla_paused_at,
          atRiskRatio: policy?.atRiskRatio ?? 0.8,
          ...(calendar ? { calendar } : {}),
        },
        now,
        (row.sla_fired ?? {}) as SlaFiredMarkers,
        (policy?.escalation as EscalationPolicy | undefined) ?? { rules: [] },
      );
      const set: Record<string, unknown> = { sla_next_check_at: decision.nextCheckAt };
      if (decision.changed) {
        set.sla_state = decision.slaState;
        set.sla_fired = JSON.stringify(decision.fired);
        set.priority = decision.escalation.priority;
        set.escalation_level = ESCALATION_LEVELS.indexOf(decision.escalation.escalationLevel as EscalationLevel);
        if (decision.escalation.departmentCode !== (row.department_code ?? null)) {
          const dept = decision.escalation.departmentCode ? cfg.departmentsByCode.get(decision.escalation.departmentCode) : undefined;
          if (dept) {
            set.department_id = dept.id;
            set.dispatched_to_user_id = decision.escalation.assigneeId;
          }
        }
        set.version = sql`version + 1`;
        set.updated_at = now;
      }
      await trx.updateTable('tickets').set(set).where('id', '=', row.id).execute();
      if (decision.events.length === 0) continue;

      const owner = row.dispatched_to_user_id ?? row.assignee_id ?? row.created_by;
      const audience = await resolveAudience(trx, owner);
      for (const e of decision.events) {
        events++;
        const type = e.kind === 'escalation' ? 'sla_escalated' : `sla_${e.kind}`;
        const data = e.kind === 'escalation' ? { milestone: e.step.milestone, actions: e.step.actions, skipped: e.step.skipped } : { milestone: e.milestone, dueAt: e.dueAt.toISOString() };
        await trx.insertInto('ticket_events').values({ ticket_id: row.id, at: now, actor_id: null, type, visibility: 'internal', body: null, data: JSON.stringify(data) }).execute();
        const notify = e.kind === 'escalation' ? e.step.actions.filter((a) => a.type === 'notify').map((a) => a.audience) : [...e.notify];
        const userIds = [...new Set(notify.flatMap((a) => audience[a] ?? []))];
        await enqueueEvent(trx, {
          topic: `ticket.${type}`,
          aggregateType: 'ticket',
          aggregateId: row.id,
          payload: { ticketId: row.id, number: row.number, milestone: data.milestone, userIds, brandId: row.brand_id, permissions: ['ticket:dispatch', 'dashboard:read'] },
        });
      }
      await recordAudit(trx, { actorName: 'sla-sweeper', requestId: null, ip: null }, {
        action: 'ticket.sla_sweep',
        entityType: 'ticket',
        entityId: row.id,
        brandId: row.brand_id,
        after: { slaState: decision.slaState, events: decision.events.map((e) => e.key) },
      });
    }
    return { examined: rows.length, events };
  });
}

/** Owner, their team's supervisors, and the managers: who hears about an at-risk or breached order. */
async function resolveAudience(trx: Kysely<DB>, ownerId: string | null): Promise<Record<'owner' | 'supervisor' | 'manager', string[]>> {
  const owner = ownerId ? await trx.selectFrom('users').select(['id', 'team_id', 'department_id']).where('id', '=', ownerId).executeTakeFirst() : undefined;
  const supervisors = owner?.team_id
    ? await trx.selectFrom('users').select('id').where('role', '=', 'supervisor').where('team_id', '=', owner.team_id).where('disabled', '=', false).execute()
    : await trx.selectFrom('users').select('id').where('role', '=', 'supervisor').where('disabled', '=', false).execute();
  const managers = await trx.selectFrom('users').select('id').where('role', '=', 'manager').where('disabled', '=', false).execute();
  return { owner: owner ? [owner.id] : [], supervisor: supervisors.map((s) => s.id), manager: managers.map((m) => m.id) };
}
