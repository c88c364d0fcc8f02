import type { CustomerAddress, CustomerRow, IdentityRow } from '@kefu/db';
import { type IdentityKind, maskIdentity, maskIdNumber } from '@kefu/domain';
import type { TCustomer, TCustomerSummary } from '@kefu/contracts';
import type { SummaryRow } from './customers.repository.ts';

export type AreaView = { id: string; code: string; name: string; kind: string; manager_id: string | null; manager_name: string | null };

export function toCustomerSummary(row: SummaryRow): TCustomerSummary {
  return {
    id: row.id,
    name: row.name,
    phones: row.phones.map((p) => maskIdentity('phone', p)),
    areaId: row.area_id,
    areaName: row.area_name,
    flags: row.flags,
    tags: row.tags,
    preferredLanguage: row.preferred_language,
    createdAt: row.created_at.toISOString(),
  };
}

/** The API view of one customer; personal data is masked unless `reveal` was requested and allowed. */
export function toCustomer(row: CustomerRow, identities: IdentityRow[], area: AreaView | undefined, reveal: boolean): TCustomer {
  return {
    id: row.id,
    brandId: row.brand_id,
    name: row.name,
    idNumber: row.id_number ? (reveal ? row.id_number : maskIdNumber(row.id_number)) : null,
    identities: identities.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: reveal ? i.value : maskIdentity(i.kind as IdentityKind, i.value),
      verified: i.verified,
    })),
    area: area
      ? {
          id: area.id,
          code: area.code,
          name: area.name,
          kind: area.kind,
          accountManager: area.manager_id ? { id: area.manager_id, displayName: area.manager_name ?? '' } : null,
        }
      : null,
    addresses: row.addresses as CustomerAddress[],
    preferredLanguage: row.preferred_language,
    flags: row.flags,
    tags: row.tags,
    attributes: row.attributes,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    masked: !reveal,
  };
}
