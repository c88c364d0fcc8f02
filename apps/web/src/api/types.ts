// Response and request shapes of /api/v1, mirrored from the server's contracts.
// Kept local until @kefu/contracts exports them; field names match the wire exactly.

export type Page<T> = { items: T[]; nextCursor: string | null };
export type ItemList<T> = { items: T[] };

export type DataScope = 'all' | 'department' | 'areas' | 'self';

export type Brand = { id: string; code: string; name: string };

export type Me = {
  id: string;
  username: string;
  displayName: string;
  role: string;
  roleName: { zh: string; en: string };
  permissions: string[];
  scope: DataScope;
  workNumber: string | null;
  departmentId: string | null;
  teamId: string | null;
  customerId?: string | null;
  skills: string[];
  languages: string[];
  brands: Brand[];
};

export type CustomerFlag = 'vulnerable' | 'key_account' | 'high_risk';
export const CUSTOMER_FLAGS: CustomerFlag[] = ['vulnerable', 'key_account', 'high_risk'];

export type CustomerSummary = {
  id: string;
  name: string;
  phones: string[];
  areaId: string | null;
  areaName: string | null;
  flags: string[];
  tags: string[];
  preferredLanguage: string;
  createdAt: string;
};

export type IdentityKind = 'phone' | 'email' | 'wechat_openid' | 'meter' | 'policy' | 'contract' | 'account';
export const IDENTITY_KINDS: IdentityKind[] = ['phone', 'email', 'wechat_openid', 'meter', 'policy', 'contract', 'account'];

export type CustomerIdentity = { id: string; kind: IdentityKind; value: string; verified: boolean };
export type CustomerAddress = { label?: string; text: string; primary?: boolean };
export type AccountManager = { id: string; displayName: string };

export type Customer = {
  id: string;
  brandId?: string;
  name: string;
  idNumber: string | null;
  identities: CustomerIdentity[];
  area: { id: string; code: string; name: string; kind: string; accountManager: AccountManager | null } | null;
  addresses: CustomerAddress[];
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  masked: boolean;
};

export type CreateCustomerRequest = {
  name: string;
  phones: string[];
  emails?: string[];
  identities?: { kind: IdentityKind; value: string }[];
  idNumber?: string;
  areaId?: string;
  addresses?: CustomerAddress[];
  preferredLanguage?: string;
  flags?: string[];
  tags?: string[];
  attributes?: Record<string, unknown>;
  notes?: string;
};

export type UpdateCustomerRequest = Partial<{
  name: string;
  idNumber: string | null;
  areaId: string | null;
  addresses: CustomerAddress[];
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
}>;

export type ImportRowError = { row: number; field: string | null; code: string; message: string };
export type ImportResult = { dryRun: boolean; total: number; valid: number; created: number; errors: ImportRowError[] };

export type AttributeDefinition = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: string;
  options: string[];
  required: boolean;
};

export type Area = {
  id: string;
  code: string;
  name: string;
  kind: string;
  district: string;
  accountManager: AccountManager | null;
};
export type Team = { id: string; code: string; name: string };
export type Department = { id: string; code: string; name: string; kind: string };

export type User = {
  id: string;
  username: string;
  displayName: string;
  role: string;
  workNumber: string | null;
  teamId: string | null;
  departmentId: string | null;
  skills: string[];
  languages: string[];
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

export type CreateUserRequest = {
  username: string;
  displayName: string;
  role: string;
  password: string;
  workNumber?: string;
  teamId?: string;
  departmentId?: string;
  skills?: string[];
  languages?: string[];
};
export type UpdateUserRequest = Partial<{
  displayName: string;
  role: string;
  workNumber: string | null;
  teamId: string | null;
  departmentId: string | null;
  skills: string[];
  languages: string[];
  disabled: boolean;
}>;

export type Role = {
  code: string;
  nameZh: string;
  nameEn: string;
  permissions: string[];
  scope: DataScope;
  builtin: boolean;
  userCount: number;
};

export type AuditEntry = {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
};

export type ApiToken = {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};
export type CreatedApiToken = ApiToken & { token: string };

// ── Work orders (工单): /api/v1/tickets, /ticket-categories (packages/contracts/src/tickets.ts) ──

export const TICKET_STATUSES = ['accepted', 'dispatched', 'in_progress', 'handled', 'replied', 'followed_up', 'archived', 'resolved', 'returned'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_CHANNELS = ['phone', 'wechat', 'web', 'sms', 'email', 'walk_in', 'app', 'outbound'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export type SlaState = 'ok' | 'at_risk' | 'breached';
export const SLA_MILESTONES = ['accept', 'contact', 'dispatch', 'arrive', 'handle', 'reply', 'followUp'] as const;
export type SlaMilestone = (typeof SLA_MILESTONES)[number];

export type Ref = { id: string; name: string } | null;

export type CategoryFieldOption = { value: string; nameZh: string; nameEn: string };
export type CategoryField = {
  key: string;
  type: 'text' | 'number' | 'boolean' | 'enum' | 'date' | 'datetime';
  labelZh: string;
  labelEn: string;
  required?: boolean;
  options?: CategoryFieldOption[];
  maxLength?: number;
  multiline?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
  unit?: string;
};
export type CategoryLeaf = { code: string; nameZh: string; nameEn: string; fields: CategoryField[] };
export type CategoryNode = CategoryLeaf & { children: CategoryLeaf[] };

export type Ticket = {
  id: string;
  number: string;
  brandId: string;
  categoryCode: string;
  categoryPath: { code: string; nameZh: string; nameEn: string }[];
  priority: TicketPriority;
  urgency: 'normal' | 'high' | 'critical';
  status: TicketStatus;
  channel: string;
  title: string | null;
  description: string;
  fields: Record<string, unknown>;
  tags: string[];
  customer: { id: string; name: string; phones: string[]; flags: string[] };
  area: { id: string; name: string; kind: string } | null;
  department: Ref;
  assignee: Ref;
  dispatchedTo: Ref;
  createdBy: Ref;
  incidentId: string | null;
  mergedIntoId: string | null;
  parentId: string | null;
  originContactId: string | null;
  counters: { urges: number; reopens: number; returns: number; dispatches: number };
  escalationLevel: number;
  fcr: boolean;
  times: {
    createdAt: string;
    updatedAt: string;
    contactedAt: string | null;
    dispatchedAt: string | null;
    arrivedAt: string | null;
    handledAt: string | null;
    repliedAt: string | null;
    followedUpAt: string | null;
    archivedAt: string | null;
    resolvedAt: string | null;
  };
  sla: { state: SlaState; pausedAt: string | null; due: Record<SlaMilestone, string | null> };
  /** The next deadline the order works towards (earliest unmet one for its status), if any. */
  dueAt: string | null;
  allowedActions: string[];
  version: number;
};

/** GET /tickets/:id: the order with its timeline. */
export type TicketDetail = Ticket & { timeline: TicketEvent[] };

export type TicketSummary = {
  id: string;
  number: string;
  categoryCode: string;
  categoryName: string;
  priority: string;
  urgency: string;
  status: TicketStatus;
  title: string | null;
  customerId: string;
  customerName: string;
  areaName: string | null;
  departmentName: string | null;
  slaState: string;
  nextDueAt: string | null;
  urgeCount: number;
  incidentId: string | null;
  createdAt: string;
};

export type TicketEvent = {
  id: number;
  at: string;
  type: string;
  visibility: 'internal' | 'customer';
  actor: Ref;
  body: string | null;
  data: Record<string, unknown>;
};

export type TicketAction =
  | { type: 'dispatch'; departmentId?: string; assigneeId?: string; note?: string }
  | { type: 'accept_dispatch' }
  | { type: 'arrive' }
  | { type: 'handle'; result: string }
  | { type: 'return'; reason: string }
  | { type: 'reply'; message: string }
  | { type: 'resolve_at_first_contact'; resolution: string }
  | { type: 'follow_up'; satisfied?: boolean; note?: string }
  | { type: 'archive' }
  | { type: 'reopen'; reason: string }
  | { type: 'urge'; note?: string }
  | { type: 'pause'; reason?: string }
  | { type: 'resume' };
export type TicketActionType = TicketAction['type'];

export type CreateTicketRequest = {
  customerId: string;
  categoryCode: string;
  priority?: TicketPriority;
  channel?: TicketChannel;
  title?: string;
  description: string;
  fields?: Record<string, unknown>;
  tags?: string[];
  areaId?: string;
  incidentId?: string;
  /** The live contact (call, chat) the order was created from. */
  originContactId?: string;
  resolveAtFirstContact?: { resolution: string };
  dispatch?: { departmentId?: string; assigneeId?: string; note?: string };
};
export type CreateTicketResponse = Ticket & { outcome: 'created' | 'urged' };

export type TicketListFilters = {
  q?: string;
  status?: string;
  open?: 'true';
  categoryCode?: string;
  departmentId?: string;
  customerId?: string;
  assigneeId?: string;
  areaId?: string;
  incidentId?: string;
  slaState?: SlaState;
};

/** A person an order can be dispatched to: GET /departments/:id/members (ticket:read). */
export type DepartmentMember = { id: string; displayName: string; workNumber: string | null };

/** POST /tickets/bulk-dispatch. */
export type BulkDispatchRequest = { ticketIds: string[]; departmentId?: string; assigneeId?: string; instructions?: string };
export type BulkDispatchResult = { ticketId: string; ok: boolean; status?: string; number?: string; error?: { code: string; message: string } };
export type BulkDispatchResponse = { dispatched: number; results: BulkDispatchResult[] };

/** GET /tickets/board: open orders by status, SLA state and department. */
export type TicketBoard = {
  byStatus: Partial<Record<TicketStatus, number>>;
  bySla: { ok?: number; at_risk?: number; breached?: number };
  byDepartment: { departmentId: string | null; name: string | null; open: number; atRisk: number; breached: number }[];
  awaitingDispatch: number;
};

// ── Mass incidents (停电事件): /api/v1/incidents ──

export type IncidentStatus = 'active' | 'resolved' | 'closed';
export type Incident = {
  id: string;
  number: string;
  title: string;
  areaIds: string[];
  startedAt: string;
  expectedRestoreAt: string | null;
  status: IncidentStatus | string;
  description: string;
  resolution: string | null;
  departmentId: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  linkedTickets: number;
  openTickets: number;
};
export type CreateIncidentRequest = {
  title: string;
  areaIds: string[];
  description?: string;
  startedAt?: string;
  expectedRestoreAt?: string;
  departmentId?: string;
};
export type ResolveIncidentRequest = { mode: 'reply' | 'close'; departmentId: string; result: string; message: string; followUpNote?: string };
export type ResolveIncidentResponse = {
  status: string;
  counts: { updated: number; unchanged: number; refused: number };
  tickets: { ticketId: string; outcome: string; reason?: string }[];
};

/** Complaint escalation ladder (投诉升级), index = Ticket.escalationLevel. */
export const ESCALATION_LEVELS = ['agent', 'team_lead', 'local_complaint_line', 'provincial_supervision', 'national_supervision'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

// ── SLA policies and business calendars (时限策略、工作日历): /api/v1/sla-policies, /calendars ──

export const AREA_KINDS = ['urban', 'rural', 'remote'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export type SlaTargetUnit = 'minutes' | 'hours' | 'working_days';
export type SlaClock = 'business' | 'natural';
/** One deadline: `amount` `unit` on the policy's calendar ('business', the default) or around the clock ('natural'). */
export type SlaTarget = { amount: number; unit: SlaTargetUnit; clock?: SlaClock; after?: SlaMilestone };
export type SlaTargets = Partial<Record<SlaMilestone, SlaTarget>>;

export const ESCALATION_AUDIENCES = ['owner', 'supervisor', 'manager'] as const;
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];
export const ESCALATION_ACTION_TYPES = ['notify', 'raise_priority', 'reassign', 'raise_escalation_level'] as const;
export type EscalationActionType = (typeof ESCALATION_ACTION_TYPES)[number];
export type EscalationActionSpec =
  | { type: 'notify'; audience: EscalationAudience }
  | { type: 'raise_priority' }
  | { type: 'reassign'; departmentCode: string; assigneeId?: string }
  | { type: 'raise_escalation_level' };
export type EscalationRule = { id?: string; milestone?: SlaMilestone; overdueMinutes: number; actions: EscalationActionSpec[] };
export type EscalationPolicy = { rules: EscalationRule[] };

export type SlaPolicy = {
  id: string;
  name: string;
  /** Category code or ancestor code; '' matches every category. */
  categoryPrefix: string;
  priority: TicketPriority | null;
  areaKind: AreaKind | null;
  targets: SlaTargets;
  calendarId: string;
  escalation: EscalationPolicy;
  /** At risk once this share of the window is used (0.1–1). */
  atRiskRatio: number;
  active: boolean;
};
export type UpdateSlaPolicyRequest = Partial<Pick<SlaPolicy, 'name' | 'targets' | 'escalation' | 'calendarId' | 'atRiskRatio' | 'active'>>;

/** Local wall-clock hours 'HH:mm'–'HH:mm'; `end` may be '24:00'. */
export type WorkingHours = { start: string; end: string };
export const WEEKDAYS = ['0', '1', '2', '3', '4', '5', '6'] as const;
export type WeekdayKey = (typeof WEEKDAYS)[number];
export type CalendarDefinition = {
  timeZone: string;
  /** 24×7: every instant is working time; weekly, holidays and workdays are ignored. */
  alwaysOpen: boolean;
  /** '0' = Sunday … '6' = Saturday. */
  weekly: Record<WeekdayKey, WorkingHours[]>;
  /** Public holidays 'YYYY-MM-DD' (wins over `workdays`). */
  holidays: string[];
  /** Swapped working days (调休上班) 'YYYY-MM-DD', worked with the hours of `workdayTemplate` (default Monday). */
  workdays: string[];
  workdayTemplate?: number;
};
export type BusinessCalendar = { id: string; code: string; name: string; definition: CalendarDefinition };
export type UpdateCalendarRequest = { name?: string; definition?: CalendarDefinition };
