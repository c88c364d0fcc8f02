import { z } from 'zod';
import { ZTimestamp } from './common.ts';

export const TICKET_STATUSES = ['accepted', 'dispatched', 'in_progress', 'handled', 'replied', 'followed_up', 'archived', 'resolved', 'returned'] as const;
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const TICKET_CHANNELS = ['phone', 'wechat', 'web', 'sms', 'email', 'walk_in', 'app', 'outbound'] as const;

const ZText = (max: number) => z.string().trim().min(1).max(max);

export const ZCreateTicketRequest = z.strictObject({
  customerId: z.uuid(),
  categoryCode: z.string().min(1).max(80),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  channel: z.enum(TICKET_CHANNELS).default('phone'),
  title: z.string().trim().max(120).optional(),
  description: ZText(5000),
  fields: z.record(z.string().max(60), z.unknown()).optional(),
  tags: z.array(ZText(40)).max(20).optional(),
  areaId: z.uuid().optional(),
  originContactId: z.uuid().optional(),
  incidentId: z.uuid().optional(),
  /** Closed by the agent during the contact (一次办结), counted as FCR. */
  resolveAtFirstContact: z.strictObject({ resolution: ZText(2000) }).optional(),
  /** Dispatch at once; without departmentId the dispatch rules choose. */
  dispatch: z.strictObject({ departmentId: z.uuid().optional(), assigneeId: z.uuid().optional(), note: z.string().max(2000).optional() }).optional(),
});
export type TCreateTicketRequest = z.infer<typeof ZCreateTicketRequest>;

export const ZTicketAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dispatch'), departmentId: z.uuid().optional(), assigneeId: z.uuid().optional(), note: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('accept_dispatch') }),
  z.strictObject({ type: z.literal('arrive') }),
  z.strictObject({ type: z.literal('handle'), result: ZText(5000) }),
  z.strictObject({ type: z.literal('return'), reason: ZText(2000) }),
  z.strictObject({ type: z.literal('reply'), message: ZText(5000) }),
  z.strictObject({ type: z.literal('resolve_at_first_contact'), resolution: ZText(2000) }),
  z.strictObject({ type: z.literal('follow_up'), satisfied: z.boolean().optional(), note: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('archive') }),
  z.strictObject({ type: z.literal('reopen'), reason: ZText(2000) }),
  z.strictObject({ type: z.literal('urge'), note: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('pause'), reason: z.string().max(2000).optional() }),
  z.strictObject({ type: z.literal('resume') }),
]);
export type TTicketAction = z.infer<typeof ZTicketAction>;

export const ZTicketActionRequest = z.strictObject({ action: ZTicketAction, expectedVersion: z.number().int().min(1).optional() });

const ZRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const ZTicket = z.object({
  id: z.string(),
  number: z.string(),
  brandId: z.string(),
  categoryCode: z.string(),
  categoryPath: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
  priority: z.enum(TICKET_PRIORITIES),
  urgency: z.enum(['normal', 'high', 'critical']),
  status: z.enum(TICKET_STATUSES),
  channel: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  fields: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  customer: z.object({ id: z.string(), name: z.string(), phones: z.array(z.string()), flags: z.array(z.string()) }),
  area: z.object({ id: z.string(), name: z.string(), kind: z.string() }).nullable(),
  department: ZRef,
  assignee: ZRef,
  dispatchedTo: ZRef,
  createdBy: ZRef,
  incidentId: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  parentId: z.string().nullable(),
  originContactId: z.string().nullable(),
  counters: z.object({ urges: z.number(), reopens: z.number(), returns: z.number(), dispatches: z.number() }),
  escalationLevel: z.number(),
  fcr: z.boolean(),
  times: z.object({
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    contactedAt: ZTimestamp.nullable(),
    dispatchedAt: ZTimestamp.nullable(),
    arrivedAt: ZTimestamp.nullable(),
    handledAt: ZTimestamp.nullable(),
    repliedAt: ZTimestamp.nullable(),
    followedUpAt: ZTimestamp.nullable(),
    archivedAt: ZTimestamp.nullable(),
    resolvedAt: ZTimestamp.nullable(),
  }),
  sla: z.object({
    state: z.enum(['ok', 'at_risk', 'breached']),
    pausedAt: ZTimestamp.nullable(),
    due: z.object({
      accept: ZTimestamp.nullable(),
      contact: ZTimestamp.nullable(),
      dispatch: ZTimestamp.nullable(),
      arrive: ZTimestamp.nullable(),
      handle: ZTimestamp.nullable(),
      reply: ZTimestamp.nullable(),
      followUp: ZTimestamp.nullable(),
    }),
  }),
  /** The next deadline the order is working towards (the earliest unmet one for its status), if any. */
  dueAt: ZTimestamp.nullable(),
  allowedActions: z.array(z.string()),
  version: z.number(),
});
export type TTicket = z.infer<typeof ZTicket>;

export const ZTicketSummary = z.object({
  id: z.string(),
  number: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  priority: z.string(),
  urgency: z.string(),
  status: z.enum(TICKET_STATUSES),
  title: z.string().nullable(),
  customerId: z.string(),
  customerName: z.string(),
  areaName: z.string().nullable(),
  departmentName: z.string().nullable(),
  slaState: z.string(),
  nextDueAt: ZTimestamp.nullable(),
  urgeCount: z.number(),
  incidentId: z.string().nullable(),
  createdAt: ZTimestamp,
});
export type TTicketSummary = z.infer<typeof ZTicketSummary>;

export const ZTicketListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: z.string().max(200).optional(),
  open: z.enum(['true', 'false']).optional(),
  categoryCode: z.string().max(80).optional(),
  departmentId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  /** Orders held by this person: dispatched to them or accepted by them. */
  assigneeId: z.uuid().optional(),
  createdBy: z.uuid().optional(),
  areaId: z.uuid().optional(),
  incidentId: z.uuid().optional(),
  slaState: z.enum(['ok', 'at_risk', 'breached']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TTicketListQuery = z.infer<typeof ZTicketListQuery>;

export const ZTicketEvent = z.object({
  id: z.number(),
  at: ZTimestamp,
  type: z.string(),
  visibility: z.enum(['internal', 'customer']),
  actor: ZRef,
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ZTicketDetail = ZTicket.extend({ timeline: z.array(ZTicketEvent) });

/** Contract form of a move: the target status; the note becomes the result, reply, reason… the move needs. */
export const ZTransitionRequest = z.strictObject({ to: z.enum(TICKET_STATUSES), note: z.string().trim().max(5000).optional(), expectedVersion: z.number().int().min(1).optional() });
export const ZDispatchRequest = z.strictObject({ departmentId: z.uuid().optional(), assigneeId: z.uuid().optional(), instructions: z.string().max(2000).optional(), expectedVersion: z.number().int().min(1).optional() });
export const ZUrgeRequest = z.strictObject({ note: z.string().max(2000).optional() });

export const ZAddNoteRequest = z.strictObject({ body: ZText(5000), visibility: z.enum(['internal', 'customer']).default('internal') });

const ZCategoryLeaf = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), fields: z.array(z.unknown()) });
/** The category tree is two levels deep (category → sub-category). */
export const ZCategoryNode = ZCategoryLeaf.extend({ children: z.array(ZCategoryLeaf) });
