import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Kysely types of the work-order tables (migration 20261127_0002_work_orders). Merged into `DB`
// as `DB = FoundationTables & WorkOrderTables`. JSON columns are typed loosely here (the db
// package does not depend on @kefu/domain); repositories map them to the domain types named in
// the comments.

/** A timestamptz the insert must give. */
type Instant = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;
/** A JSON column with a default: optional on insert. */
type JsonDefault<T> = ColumnType<T, T | string | undefined, T | string>;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type CalendarsTable = {
  id: Generated<string>;
  brand_id: string;
  code: string;
  name: string;
  /** BusinessCalendar */
  definition: Json<JsonObject>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type TicketCategoriesTable = {
  id: Generated<string>;
  brand_id: string;
  /** 'fault-repair.low-voltage' */
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  /** CategoryFieldDefinition[] */
  fields: JsonDefault<JsonObject[]>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type SlaPoliciesTable = {
  id: Generated<string>;
  brand_id: string;
  name: Generated<string>;
  /** '' matches every category. */
  category_prefix: Generated<string>;
  /** null matches every priority. */
  priority: string | null;
  /** null matches every area kind. */
  area_kind: string | null;
  /** SlaTargets */
  targets: Json<JsonObject>;
  calendar_id: string;
  /** EscalationPolicy */
  escalation: JsonDefault<JsonObject>;
  at_risk_ratio: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type DispatchRulesTable = {
  id: Generated<string>;
  brand_id: string;
  /** '' matches every category. */
  category_prefix: Generated<string>;
  /** Empty matches every area. */
  area_ids: Generated<string[]>;
  area_kinds: Generated<string[]>;
  priority: string | null;
  department_id: string;
  assignee_id: string | null;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type TicketNumberCountersTable = {
  /** 'GD' orders, 'SJ' incidents */
  prefix: string;
  /**
   * Local date, written as 'YYYY-MM-DD' (getTicketNumberDate). Drivers read a date back as a Date
   * at local midnight: compare in SQL, never in JS.
   */
  day: ColumnType<Date, string, string>;
  last_value: number;
};

export type IncidentsTable = {
  id: Generated<string>;
  brand_id: string;
  number: string;
  title: string;
  area_ids: string[];
  started_at: Instant;
  expected_restore_at: Instant | null;
  status: Generated<string>;
  description: Generated<string>;
  resolution: string | null;
  department_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  resolved_at: Instant | null;
  closed_at: Instant | null;
};

export type TicketsTable = {
  id: Generated<string>;
  brand_id: string;
  number: string;
  category_code: string;
  priority: Generated<string>;
  urgency: Generated<string>;
  status: Generated<string>;
  customer_id: string;
  origin_contact_id: string | null;
  channel: Generated<string>;
  title: string | null;
  description: string;
  /** Custom field values of the category. */
  fields: JsonDefault<Record<string, string | number | boolean>>;
  tags: Generated<string[]>;
  area_id: string | null;
  department_id: string | null;
  assignee_id: string | null;
  dispatched_to_user_id: string | null;
  incident_id: string | null;
  merged_into_id: string | null;
  parent_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  accepted_at: Instant | null;
  contacted_at: Instant | null;
  dispatched_at: Instant | null;
  arrived_at: Instant | null;
  handled_at: Instant | null;
  replied_at: Instant | null;
  followed_up_at: Instant | null;
  archived_at: Instant | null;
  resolved_at: Instant | null;
  urge_count: Generated<number>;
  reopen_count: Generated<number>;
  return_count: Generated<number>;
  dispatch_count: Generated<number>;
  /** Index into ESCALATION_LEVELS. */
  escalation_level: Generated<number>;
  fcr: Generated<boolean>;
  sla_policy_id: string | null;
  accept_due_at: Instant | null;
  contact_due_at: Instant | null;
  dispatch_due_at: Instant | null;
  arrive_due_at: Instant | null;
  handle_due_at: Instant | null;
  reply_due_at: Instant | null;
  follow_up_due_at: Instant | null;
  sla_state: Generated<string>;
  sla_paused_at: Instant | null;
  sla_paused_minutes: Generated<number>;
  /** SlaFiredMarkers */
  sla_fired: JsonDefault<Record<string, string>>;
  sla_next_check_at: Instant | null;
  version: Generated<number>;
  search_text: ColumnType<string, string | undefined, string>;
};

export type TicketEventsTable = {
  id: Generated<number>;
  ticket_id: string;
  at: Generated<Date>;
  actor_id: string | null;
  type: string;
  /** 'internal' | 'customer' */
  visibility: Generated<string>;
  body: string | null;
  data: JsonDefault<JsonObject>;
};

export type TicketAttachmentsTable = {
  id: Generated<string>;
  ticket_id: string;
  event_id: number | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  storage_key: string;
  sha256: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
};

export type WorkOrderTables = {
  calendars: CalendarsTable;
  ticket_categories: TicketCategoriesTable;
  sla_policies: SlaPoliciesTable;
  dispatch_rules: DispatchRulesTable;
  ticket_number_counters: TicketNumberCountersTable;
  incidents: IncidentsTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
};

export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
export type NewTicketEvent = Insertable<TicketEventsTable>;
export type TicketCategoryRow = Selectable<TicketCategoriesTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type NewIncident = Insertable<IncidentsTable>;
export type SlaPolicyRow = Selectable<SlaPoliciesTable>;
export type DispatchRuleRow = Selectable<DispatchRulesTable>;
export type CalendarRow = Selectable<CalendarsTable>;
export type TicketAttachmentRow = Selectable<TicketAttachmentsTable>;
