import { z } from 'zod';
import { ZTimestamp } from './common.ts';

export const IDENTITY_KINDS = ['phone', 'email', 'wechat_openid', 'meter', 'policy', 'contract', 'account'] as const;
export const CUSTOMER_FLAGS = ['vulnerable', 'key_account', 'high_risk'] as const;
export const LANGUAGES = ['zh-CN', 'en-US', 'bo-amdo', 'bo-kham'] as const;

export const ZAddress = z.strictObject({ label: z.string().max(50).optional(), text: z.string().trim().min(1).max(300), primary: z.boolean().optional() });
export const ZIdentityInput = z.strictObject({ kind: z.enum(IDENTITY_KINDS), value: z.string().trim().min(1).max(200) });
const ZTag = z.string().trim().min(1).max(40);
const ZAttributes = z.record(z.string().max(60), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]));

export const ZCreateCustomerRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  phones: z.array(z.string().trim().min(1).max(30)).max(10),
  emails: z.array(z.string().trim().min(1).max(254)).max(10).optional(),
  identities: z.array(ZIdentityInput).max(20).optional(),
  idNumber: z.string().trim().regex(/^[0-9]{17}[0-9Xx]$|^[A-Z0-9]{6,20}$/, 'not an ID number').optional(),
  areaId: z.uuid().optional(),
  brandId: z.uuid().optional(),
  addresses: z.array(ZAddress).max(10).optional(),
  preferredLanguage: z.enum(LANGUAGES).optional(),
  flags: z.array(z.enum(CUSTOMER_FLAGS)).max(3).optional(),
  tags: z.array(ZTag).max(30).optional(),
  attributes: ZAttributes.optional(),
  notes: z.string().max(2000).optional(),
});
export type TCreateCustomerRequest = z.infer<typeof ZCreateCustomerRequest>;

export const ZUpdateCustomerRequest = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  idNumber: z.string().trim().regex(/^[0-9]{17}[0-9Xx]$|^[A-Z0-9]{6,20}$/, 'not an ID number').nullable().optional(),
  areaId: z.uuid().nullable().optional(),
  addresses: z.array(ZAddress).max(10).optional(),
  preferredLanguage: z.enum(LANGUAGES).optional(),
  flags: z.array(z.enum(CUSTOMER_FLAGS)).max(3).optional(),
  tags: z.array(ZTag).max(30).optional(),
  attributes: ZAttributes.optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type TUpdateCustomerRequest = z.infer<typeof ZUpdateCustomerRequest>;

export const ZCustomerSummary = z.object({
  id: z.string(),
  name: z.string(),
  phones: z.array(z.string()),
  areaId: z.string().nullable(),
  areaName: z.string().nullable(),
  flags: z.array(z.string()),
  tags: z.array(z.string()),
  preferredLanguage: z.string(),
  createdAt: ZTimestamp,
});
export type TCustomerSummary = z.infer<typeof ZCustomerSummary>;

export const ZCustomer = z.object({
  id: z.string(),
  brandId: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  identities: z.array(z.object({ id: z.string(), kind: z.string(), value: z.string(), verified: z.boolean() })),
  area: z
    .object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      accountManager: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    })
    .nullable(),
  addresses: z.array(z.object({ label: z.string().optional(), text: z.string(), primary: z.boolean().optional() })),
  preferredLanguage: z.string(),
  flags: z.array(z.string()),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  notes: z.string().nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
  masked: z.boolean(),
});
export type TCustomer = z.infer<typeof ZCustomer>;

export const ZCustomerListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  areaId: z.uuid().optional(),
  flag: z.enum(CUSTOMER_FLAGS).optional(),
  tag: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TCustomerListQuery = z.infer<typeof ZCustomerListQuery>;

export const ZImportReport = z.object({
  dryRun: z.boolean(),
  total: z.number(),
  valid: z.number(),
  created: z.number(),
  errors: z.array(z.object({ row: z.number(), field: z.string().nullable(), code: z.string(), message: z.string() })),
});
export type TImportReport = z.infer<typeof ZImportReport>;

export const ZAttributeDefinition = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: z.string(),
  options: z.array(z.string()),
  required: z.boolean(),
});

export const ZArea = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  district: z.string(),
  accountManager: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
