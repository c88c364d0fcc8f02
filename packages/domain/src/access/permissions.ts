/** Every permission a route can require. Roles hold a subset; admins hold all. */
export const PERMISSIONS = [
  'customer:read',
  'customer:write',
  'customer:unmask',
  'customer:import',
  'customer:export',
  'user:read',
  'user:manage',
  'role:manage',
  'audit:read',
  'token:manage',
  'settings:manage',
  'ticket:read',
  'ticket:create',
  'ticket:update',
  'ticket:dispatch',
  'ticket:handle',
  'ticket:manage',
  'sla:manage',
  'dashboard:read',
  'contact:read', // contacts, conversations and their messages
  'contact:handle', // agent desktop: presence, offers, replies, wrap-up
  'contact:supervise', // supervisor wall: listen, whisper, take over, approve abusive-contact closure
  'routing:manage', // queues, channels, reason codes, agent skills and capacity
  'kb:read', // knowledge base (internal and public articles), scripts, search, agent assist
  'kb:write', // write and edit articles and scripts, submit them for review
  'kb:publish', // approve, publish, archive and roll back articles; synonyms
  'bot:manage', // bot settings, unanswered questions, classifier training
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Row-level scope of a role: which customers/tickets its holders see. */
export const DATA_SCOPES = ['all', 'department', 'areas', 'self'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const BUILTIN_ROLES = [
  'admin',
  'supervisor',
  'agent',
  'dispatcher',
  'department_member',
  'qa',
  'planner',
  'account_manager',
  'manager',
  'customer',
] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

export type RoleDefinition = { code: string; permissions: readonly Permission[]; scope: DataScope };

const AGENT_BASE: Permission[] = ['customer:read', 'customer:write', 'ticket:read', 'ticket:create', 'ticket:update', 'contact:read', 'contact:handle', 'kb:read'];

/** Default permissions per built-in role; admins may edit them later (stored in the roles table). */
export const DEFAULT_ROLES: Readonly<Record<BuiltinRole, RoleDefinition>> = {
  admin: { code: 'admin', permissions: PERMISSIONS, scope: 'all' },
  supervisor: {
    code: 'supervisor',
    permissions: [...AGENT_BASE, 'customer:unmask', 'customer:export', 'user:read', 'ticket:dispatch', 'ticket:manage', 'dashboard:read', 'contact:supervise', 'kb:write', 'kb:publish'],
    scope: 'all',
  },
  agent: { code: 'agent', permissions: AGENT_BASE, scope: 'all' },
  dispatcher: { code: 'dispatcher', permissions: [...AGENT_BASE, 'ticket:dispatch'], scope: 'all' },
  department_member: { code: 'department_member', permissions: ['customer:read', 'ticket:read', 'ticket:handle', 'kb:read'], scope: 'department' },
  qa: { code: 'qa', permissions: ['customer:read', 'ticket:read', 'user:read', 'dashboard:read', 'contact:read', 'contact:supervise', 'kb:read'], scope: 'all' },
  planner: { code: 'planner', permissions: ['user:read', 'dashboard:read', 'contact:read'], scope: 'all' },
  account_manager: {
    code: 'account_manager',
    permissions: ['customer:read', 'customer:write', 'customer:unmask', 'ticket:read', 'ticket:create', 'contact:read', 'contact:handle', 'kb:read'],
    scope: 'areas',
  },
  manager: { code: 'manager', permissions: ['customer:read', 'ticket:read', 'user:read', 'audit:read', 'dashboard:read', 'contact:read', 'contact:supervise', 'kb:read'], scope: 'all' },
  customer: { code: 'customer', permissions: ['customer:read', 'ticket:read', 'ticket:create'], scope: 'self' },
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function hasPermission(granted: readonly string[], needed: Permission): boolean {
  return granted.includes(needed);
}
