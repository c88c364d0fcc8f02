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
  idNumber: string;
  areaId: string | null;
  addresses: CustomerAddress[];
  preferredLanguage: string;
  flags: string[];
  tags: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
}>;

export type ImportRowError = { row: number; field: string; code: string; message: string };
export type ImportResult = { dryRun: boolean; total: number; valid: number; created: number; errors: ImportRowError[] };

export type AttributeDefinition = {
  key: string;
  labelZh: string;
  labelEn: string;
  type: string;
  options: string[] | null;
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
  id: string | number;
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
