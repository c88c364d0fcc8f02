import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export type BrandsTable = { id: Generated<string>; code: string; name: string; created_at: Generated<Date> };

export type RolesTable = {
  code: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  scope: string;
  builtin: Generated<boolean>;
  updated_at: Generated<Date>;
};

export type DepartmentsTable = {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  created_at: Generated<Date>;
};

export type TeamsTable = { id: Generated<string>; code: string; name: string; created_at: Generated<Date> };

export type AreasTable = {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  district: string;
  account_manager_id: string | null;
};

export type UsersTable = {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  work_number: string | null;
  team_id: string | null;
  department_id: string | null;
  customer_id: string | null;
  skills: Generated<string[]>;
  languages: Generated<string[]>;
  disabled: Generated<boolean>;
  password_changed_at: Generated<Date>;
  last_login_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type UserBrandsTable = { user_id: string; brand_id: string };

export type SessionsTable = {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
};

export type ApiTokensTable = {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
};

export type LoginThrottleTable = {
  key: string;
  failures: number;
  first_failure_at: Timestamp;
  locked_until: Timestamp | null;
};

export type CustomerAddress = { label?: string; text: string; primary?: boolean };

export type CustomersTable = {
  id: Generated<string>;
  brand_id: string;
  name: string;
  id_number: string | null;
  area_id: string | null;
  addresses: Json<CustomerAddress[]>;
  preferred_language: string;
  flags: Generated<string[]>;
  tags: Generated<string[]>;
  attributes: Json<Record<string, unknown>>;
  notes: string | null;
  search_text: ColumnType<string, string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type CustomerIdentitiesTable = {
  id: Generated<string>;
  brand_id: string;
  customer_id: string;
  kind: string;
  value: string;
  verified: Generated<boolean>;
  created_at: Generated<Date>;
};

export type AttributeDefinitionsTable = {
  id: Generated<string>;
  brand_id: string;
  key: string;
  label_zh: string;
  label_en: string;
  type: string;
  options: Json<string[]>;
  required: Generated<boolean>;
  position: Generated<number>;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  brand_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
  ip: string | null;
};

export type OutboxTable = {
  id: Generated<number>;
  created_at: Generated<Date>;
  topic: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<unknown>;
  published_at: Timestamp | null;
};

export type SettingsTable = { key: string; value: Json<unknown>; updated_at: Generated<Date> };

import type { ChannelTables } from './schema-channels.ts';
import type { ContactTables } from './schema-contacts.ts';
import type { KnowledgeTables } from './schema-knowledge.ts';
import type { WorkOrderTables } from './schema-work-orders.ts';

export type DB = WorkOrderTables & ContactTables & KnowledgeTables & ChannelTables & {
  brands: BrandsTable;
  roles: RolesTable;
  departments: DepartmentsTable;
  teams: TeamsTable;
  areas: AreasTable;
  users: UsersTable;
  user_brands: UserBrandsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  attribute_definitions: AttributeDefinitionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  settings: SettingsTable;
};

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type IdentityRow = Selectable<CustomerIdentitiesTable>;
export type RoleRow = Selectable<RolesTable>;
export type AuditRow = Selectable<AuditLogTable>;
