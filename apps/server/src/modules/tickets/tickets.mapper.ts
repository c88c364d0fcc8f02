import type { TTicket, TTicketSummary } from '@kefu/contracts';
import { allowedActions, getCategoryPath, maskIdentity, type TicketCategory, type TicketStatus } from '@kefu/domain';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

export type TicketDetailRow = {
  id: string;
  brand_id: string;
  number: string;
  category_code: string;
  priority: string;
  urgency: string;
  status: string;
  channel: string;
  title: string | null;
  description: string;
  fields: unknown;
  tags: string[];
  customer_id: string;
  customer_name: string;
  customer_flags: string[];
  customer_phones: string[];
  area_id: string | null;
  area_name: string | null;
  area_kind: string | null;
  department_id: string | null;
  department_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  dispatched_to_user_id: string | null;
  dispatched_to_name: string | null;
  created_by: string | null;
  created_by_name: string | null;
  incident_id: string | null;
  merged_into_id: string | null;
  parent_id: string | null;
  origin_contact_id: string | null;
  urge_count: number;
  reopen_count: number;
  return_count: number;
  dispatch_count: number;
  escalation_level: number;
  fcr: boolean;
  created_at: Date;
  updated_at: Date;
  contacted_at: Date | null;
  dispatched_at: Date | null;
  arrived_at: Date | null;
  handled_at: Date | null;
  replied_at: Date | null;
  followed_up_at: Date | null;
  archived_at: Date | null;
  resolved_at: Date | null;
  sla_state: string;
  sla_paused_at: Date | null;
  accept_due_at: Date | null;
  contact_due_at: Date | null;
  dispatch_due_at: Date | null;
  arrive_due_at: Date | null;
  handle_due_at: Date | null;
  reply_due_at: Date | null;
  follow_up_due_at: Date | null;
  version: number;
};

export function toTicket(row: TicketDetailRow, categories: readonly TicketCategory[]): TTicket {
  return {
    id: row.id,
    number: row.number,
    brandId: row.brand_id,
    categoryCode: row.category_code,
    categoryPath: getCategoryPath(categories, row.category_code).map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn })),
    priority: row.priority as TTicket['priority'],
    urgency: row.urgency as TTicket['urgency'],
    status: row.status as TTicket['status'],
    channel: row.channel,
    title: row.title,
    description: row.description,
    fields: (row.fields ?? {}) as Record<string, unknown>,
    tags: row.tags,
    customer: { id: row.customer_id, name: row.customer_name, phones: row.customer_phones.map((p) => maskIdentity('phone', p)), flags: row.customer_flags },
    area: row.area_id ? { id: row.area_id, name: row.area_name ?? '', kind: row.area_kind ?? '' } : null,
    department: ref(row.department_id, row.department_name),
    assignee: ref(row.assignee_id, row.assignee_name),
    dispatchedTo: ref(row.dispatched_to_user_id, row.dispatched_to_name),
    createdBy: ref(row.created_by, row.created_by_name),
    incidentId: row.incident_id,
    mergedIntoId: row.merged_into_id,
    parentId: row.parent_id,
    originContactId: row.origin_contact_id,
    counters: { urges: row.urge_count, reopens: row.reopen_count, returns: row.return_count, dispatches: row.dispatch_count },
    escalationLevel: row.escalation_level,
    fcr: row.fcr,
    times: {
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      contactedAt: iso(row.contacted_at),
      dispatchedAt: iso(row.dispatched_at),
      arrivedAt: iso(row.arrived_at),
      handledAt: iso(row.handled_at),
      repliedAt: iso(row.replied_at),
      followedUpAt: iso(row.followed_up_at),
      archivedAt: iso(row.archived_at),
      resolvedAt: iso(row.resolved_at),
    },
    sla: {
      state: row.sla_state as TTicket['sla']['state'],
      pausedAt: iso(row.sla_paused_at),
      due: {
        accept: iso(row.accept_due_at),
        contact: iso(row.contact_due_at),
        dispatch: iso(row.dispatch_due_at),
        arrive: iso(row.arrive_due_at),
        handle: iso(row.handle_due_at),
        reply: iso(row.reply_due_at),
        followUp: iso(row.follow_up_due_at),
      },
    },
    dueAt: iso(nextDueAt(row)),
    allowedActions: row.merged_into_id ? [] : [...allowedActions(row.status as TicketStatus)],
    version: row.version,
  };
}

/** The deadline the order works towards in its status; the same rule as the list's next_due_at. */
export function nextDueAt(row: Pick<TicketDetailRow, 'status' | 'dispatch_due_at' | 'arrive_due_at' | 'handle_due_at' | 'reply_due_at' | 'follow_up_due_at' | 'arrived_at'>): Date | null {
  switch (row.status) {
    case 'accepted':
    case 'returned':
      return row.dispatch_due_at;
    case 'dispatched':
    case 'in_progress':
      return (!row.arrived_at ? row.arrive_due_at : null) ?? row.handle_due_at;
    case 'handled':
      return row.reply_due_at;
    case 'replied':
      return row.follow_up_due_at;
    default:
      return null;
  }
}

export type TicketSummaryRow = {
  id: string;
  number: string;
  category_code: string;
  priority: string;
  urgency: string;
  status: string;
  title: string | null;
  customer_id: string;
  customer_name: string;
  area_name: string | null;
  department_name: string | null;
  sla_state: string;
  next_due_at: Date | null;
  urge_count: number;
  incident_id: string | null;
  created_at: Date;
};

export function toTicketSummary(row: TicketSummaryRow, categoryName: (code: string) => string): TTicketSummary {
  return {
    id: row.id,
    number: row.number,
    categoryCode: row.category_code,
    categoryName: categoryName(row.category_code),
    priority: row.priority,
    urgency: row.urgency,
    status: row.status as TTicketSummary['status'],
    title: row.title,
    customerId: row.customer_id,
    customerName: row.customer_name,
    areaName: row.area_name,
    departmentName: row.department_name,
    slaState: row.sla_state,
    nextDueAt: iso(row.next_due_at),
    urgeCount: row.urge_count,
    incidentId: row.incident_id,
    createdAt: row.created_at.toISOString(),
  };
}
