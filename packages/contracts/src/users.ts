import { z } from 'zod';
import { ZTimestamp } from './common.ts';

export const ZUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  workNumber: z.string().nullable(),
  teamId: z.string().nullable(),
  departmentId: z.string().nullable(),
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  disabled: z.boolean(),
  lastLoginAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
});
export type TUser = z.infer<typeof ZUser>;

const ZList = z.array(z.string().trim().min(1).max(40)).max(30);

export const ZCreateUserRequest = z.strictObject({
  username: z.string().trim().regex(/^[a-zA-Z0-9._-]{2,40}$/, 'letters, digits, . _ - (2–40)'),
  displayName: z.string().trim().min(1).max(60),
  role: z.string().min(1).max(40),
  password: z.string().min(1).max(200),
  workNumber: z.string().trim().max(20).optional(),
  teamId: z.uuid().optional(),
  departmentId: z.uuid().optional(),
  skills: ZList.optional(),
  languages: ZList.optional(),
});
export const ZUpdateUserRequest = z.strictObject({
  displayName: z.string().trim().min(1).max(60).optional(),
  role: z.string().min(1).max(40).optional(),
  workNumber: z.string().trim().max(20).nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  departmentId: z.uuid().nullable().optional(),
  skills: ZList.optional(),
  languages: ZList.optional(),
  disabled: z.boolean().optional(),
});
export const ZResetPasswordRequest = z.strictObject({ newPassword: z.string().min(1).max(200) });
export const ZUserListQuery = z.strictObject({
  q: z.string().trim().max(60).optional(),
  role: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const ZRole = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  permissions: z.array(z.string()),
  scope: z.string(),
  builtin: z.boolean(),
  userCount: z.number(),
});
export const ZUpdateRoleRequest = z.strictObject({
  nameZh: z.string().trim().min(1).max(40).optional(),
  nameEn: z.string().trim().min(1).max(40).optional(),
  permissions: z.array(z.string()).max(100).optional(),
  scope: z.enum(['all', 'department', 'areas', 'self']).optional(),
});

export const ZAuditEntry = z.object({
  id: z.number(),
  at: ZTimestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
export const ZAuditQuery = z.strictObject({
  actorId: z.uuid().optional(),
  action: z.string().max(60).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
