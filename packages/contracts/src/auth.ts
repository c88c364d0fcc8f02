import { z } from 'zod';
import { ZTimestamp } from './common.ts';

export const ZLoginRequest = z.strictObject({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) });
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZMe = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleName: z.object({ zh: z.string(), en: z.string() }),
  permissions: z.array(z.string()),
  scope: z.enum(['all', 'department', 'areas', 'self']),
  workNumber: z.string().nullable(),
  departmentId: z.string().nullable(),
  teamId: z.string().nullable(),
  customerId: z.string().nullable(),
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  brands: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })),
});
export type TMe = z.infer<typeof ZMe>;

export const ZLoginResponse = z.object({ user: ZMe });

export const ZChangePasswordRequest = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) });

export const ZApiToken = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: ZTimestamp,
  lastUsedAt: ZTimestamp.nullable(),
  expiresAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
});
export const ZCreateApiTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string()).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export const ZCreatedApiToken = ZApiToken.extend({ token: z.string() });
