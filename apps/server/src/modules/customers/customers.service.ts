import type { TCreateCustomerRequest, TCustomerListQuery, TUpdateCustomerRequest } from '@kefu/contracts';
import type { CustomerAddress, CustomerRow, DB } from '@kefu/db';
import { type IdentityKind, looksLikePhone, maskIdNumber, normalizeIdentity, normalizePhone } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { enqueueEvent, type Executor, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, ZKeysetCursor, ZOffsetCursor } from '../../platform/pagination.ts';
import { toPrefixQuery } from '../../platform/text-search.ts';
import { validateAttributes } from './customers.attributes.ts';
import { toCustomer, toCustomerSummary } from './customers.mapper.ts';
import { createCustomersRepository } from './customers.repository.ts';
import { buildCustomerSearchDocument } from './customers.search.ts';

export type Clock = () => Date;
type IdentityInput = { kind: IdentityKind; value: string };

/** Normalises every identity of a request; the first bad one is refused with its field path. */
export function collectIdentities(input: { phones?: string[]; emails?: string[] | undefined; identities?: IdentityInput[] | undefined }) {
  const raw: IdentityInput[] = [
    ...(input.phones ?? []).map((value) => ({ kind: 'phone' as const, value })),
    ...(input.emails ?? []).map((value) => ({ kind: 'email' as const, value })),
    ...(input.identities ?? []),
  ];
  const seen = new Set<string>();
  const out: IdentityInput[] = [];
  for (const item of raw) {
    const n = normalizeIdentity(item.kind, item.value);
    if (!n.ok) throw new AppError('validation.failed', `Invalid ${item.kind}: ${n.reason}`, { field: item.kind, value: item.value });
    const key = `${item.kind}:${n.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: item.kind, value: n.value });
  }
  return out;
}

const PATCH_COLUMNS: Record<keyof TUpdateCustomerRequest, keyof CustomerRow> = {
  name: 'name',
  idNumber: 'id_number',
  areaId: 'area_id',
  addresses: 'addresses',
  preferredLanguage: 'preferred_language',
  flags: 'flags',
  tags: 'tags',
  attributes: 'attributes',
  notes: 'notes',
};

/**
 * The audit view of a customer change: only the fields the patch touched, both sides in the API's
 * names, with the ID number masked so the audit log never holds it in clear.
 */
export function describeCustomerChange(before: CustomerRow, patch: TUpdateCustomerRequest) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof TUpdateCustomerRequest)[]) {
    const oldValue = before[PATCH_COLUMNS[key]];
    const newValue = patch[key];
    b[key] = key === 'idNumber' && typeof oldValue === 'string' ? maskIdNumber(oldValue) : oldValue;
    a[key] = key === 'idNumber' && typeof newValue === 'string' ? maskIdNumber(newValue) : newValue;
  }
  return { before: b, after: a };
}

export function createCustomersService({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  const repo = createCustomersRepository(db);

  async function loadVisible(auth: AuthContext, id: string, trx: Executor = db) {
    const row = await repo.getVisibleCustomer(auth, id, trx);
    if (row) return row;
    // Existing but outside the caller's scope is a denial, not a missing record.
    if (await repo.customerExists(id, trx)) throw new AppError('auth.forbidden', 'This customer is outside your data scope');
    throw new AppError('resource.not_found', 'Customer not found', { entity: 'customer', id });
  }

  async function view(id: string, auth: AuthContext, reveal: boolean, trx: Executor = db) {
    const row = await loadVisible(auth, id, trx);
    const [identities, area] = await Promise.all([repo.getIdentities(id, trx), row.area_id ? repo.getArea(row.area_id, trx) : undefined]);
    return { row, identities, view: toCustomer(row, identities, area, reveal) };
  }

  async function assertIdentitiesFree(trx: Executor, brandId: string, identities: IdentityInput[], exceptCustomerId?: string) {
    const owners = (await repo.findIdentityOwners(trx, brandId, identities)).filter((o) => o.customer_id !== exceptCustomerId);
    const first = owners[0];
    if (first) {
      throw new AppError('customer.duplicate_identity', `This ${first.kind} already belongs to another customer`, {
        kind: first.kind,
        value: first.value,
        customerId: first.customer_id,
      });
    }
  }

  async function assertArea(trx: Executor, areaId: string | null | undefined) {
    if (!areaId) return;
    if (!(await repo.getArea(areaId, trx))) throw new AppError('customer.unknown_area', 'Unknown area', { areaId });
  }

  function pickBrand(auth: AuthContext, brandId: string | undefined): string {
    const chosen = brandId ?? auth.brandIds[0];
    if (!chosen || !auth.brandIds.includes(chosen)) throw new AppError('auth.forbidden', 'You do not serve this brand');
    return chosen;
  }

  async function searchDocument(trx: Executor, customerId: string, row: { name: string; addresses: CustomerAddress[]; tags: string[] }) {
    const identities = await repo.getIdentities(customerId, trx);
    return buildCustomerSearchDocument({ name: row.name, addresses: row.addresses, identities, tags: row.tags });
  }

  /** Inserts one customer and its identities; used by the API and by imports (inside their transaction). */
  async function insertCustomer(trx: Executor, ctx: RequestContext, brandId: string, input: TCreateCustomerRequest, identities: IdentityInput[]) {
    const definitions = await repo.getAttributeDefinitions(brandId, trx);
    const attributes = validateAttributes(input.attributes ?? {}, definitions);
    await assertArea(trx, input.areaId);
    await assertIdentitiesFree(trx, brandId, identities);
    const addresses = input.addresses ?? [];
    const tags = input.tags ?? [];
    const doc = buildCustomerSearchDocument({ name: input.name, addresses, identities, tags });
    const now = clock();
    const row = await trx
      .insertInto('customers')
      .values({
        brand_id: brandId,
        name: input.name,
        id_number: input.idNumber?.toUpperCase() ?? null,
        area_id: input.areaId ?? null,
        addresses: JSON.stringify(addresses),
        preferred_language: input.preferredLanguage ?? 'zh-CN',
        flags: input.flags ?? [],
        tags,
        attributes: JSON.stringify(attributes),
        notes: input.notes ?? null,
        search_text: sql<string>`to_tsvector('simple', ${doc})`,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (identities.length > 0) {
      await trx
        .insertInto('customer_identities')
        .values(identities.map((i) => ({ brand_id: brandId, customer_id: row.id, kind: i.kind, value: i.value })))
        .execute();
    }
    await recordAudit(trx, ctx, { action: 'customer.create', entityType: 'customer', entityId: row.id, brandId, after: { ...input, ...(input.idNumber ? { idNumber: maskIdNumber(input.idNumber) } : {}), identities: identities.map((i) => ({ kind: i.kind })) } });
    await enqueueEvent(trx, { topic: 'customer.created', aggregateType: 'customer', aggregateId: row.id, payload: { customerId: row.id, brandId } });
    return row.id;
  }

  return {
    insertCustomer,

    async listCustomers(auth: AuthContext, query: TCustomerListQuery) {
      const base = { areaId: query.areaId, flag: query.flag, tag: query.tag };
      const q = query.q?.trim();
      if (!q) {
        const after = decodeCursor(query.cursor, ZKeysetCursor);
        const rows = await repo.listCustomers(auth, { ...base, tsQuery: null, identityValue: null }, query.limit, after);
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
          items: page.map(toCustomerSummary),
          nextCursor: rows.length > query.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
        };
      }
      // A phone number or an account number is an exact identity lookup — the screen-pop path.
      if (looksLikePhone(q) || /^[A-Za-z0-9-]{6,40}$/.test(q)) {
        const value = looksLikePhone(q) ? normalizePhone(q) : q.toUpperCase();
        const exact = await repo.listCustomers(auth, { ...base, tsQuery: null, identityValue: value }, query.limit);
        if (exact.length > 0 || looksLikePhone(q)) return { items: exact.slice(0, query.limit).map(toCustomerSummary), nextCursor: null };
      }
      const tsQuery = toPrefixQuery(q);
      if (!tsQuery) return { items: [], nextCursor: null };
      const offset = decodeCursor(query.cursor, ZOffsetCursor)?.o ?? 0;
      const rows = await repo.searchCustomers(auth, { ...base, tsQuery, identityValue: null }, query.limit, offset);
      return {
        items: rows.slice(0, query.limit).map(toCustomerSummary),
        nextCursor: rows.length > query.limit ? encodeCursor({ o: offset + query.limit }) : null,
      };
    },

    /** Exact phone match for screen pops: one indexed lookup. */
    async lookupByPhone(auth: AuthContext, phone: string) {
      const n = normalizeIdentity('phone', phone);
      if (!n.ok) throw new AppError('validation.failed', `Invalid phone: ${n.reason}`, { field: 'phone' });
      const rows = await repo.listCustomers(auth, { tsQuery: null, identityValue: n.value }, 20);
      return { items: rows.map(toCustomerSummary) };
    },

    async getCustomer(auth: AuthContext, id: string) {
      return (await view(id, auth, false)).view;
    },

    /** Shows one record unmasked; every reveal is audited. */
    async revealCustomer(ctx: RequestContext, id: string) {
      return db.transaction().execute(async (trx) => {
        const { row, view: customer } = await view(id, ctx.auth, true, trx);
        await recordAudit(trx, ctx, { action: 'customer.reveal', entityType: 'customer', entityId: id, brandId: row.brand_id });
        return customer;
      });
    },

    async createCustomer(ctx: RequestContext, input: TCreateCustomerRequest) {
      const brandId = pickBrand(ctx.auth, input.brandId);
      const identities = collectIdentities(input);
      if (identities.length === 0) throw new AppError('validation.failed', 'A customer needs at least one phone or identity', { field: 'phones' });
      const id = await db.transaction().execute((trx) => insertCustomer(trx, ctx, brandId, input, identities));
      return (await view(id, ctx.auth, false)).view;
    },

    async updateCustomer(ctx: RequestContext, id: string, patch: TUpdateCustomerRequest) {
      await db.transaction().execute(async (trx) => {
        const before = await loadVisible(ctx.auth, id, trx);
        await trx.selectFrom('customers').select('id').where('id', '=', id).forUpdate().execute();
        if (patch.areaId !== undefined) await assertArea(trx, patch.areaId);
        const attributes =
          patch.attributes !== undefined
            ? { ...before.attributes, ...validateAttributes(patch.attributes, await repo.getAttributeDefinitions(before.brand_id, trx)) }
            : undefined;
        const next = {
          name: patch.name ?? before.name,
          addresses: patch.addresses ?? (before.addresses as CustomerAddress[]),
          tags: patch.tags ?? before.tags,
        };
        const doc = await searchDocument(trx, id, next);
        await trx
          .updateTable('customers')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.idNumber !== undefined ? { id_number: patch.idNumber?.toUpperCase() ?? null } : {}),
            ...(patch.areaId !== undefined ? { area_id: patch.areaId } : {}),
            ...(patch.addresses !== undefined ? { addresses: JSON.stringify(patch.addresses) } : {}),
            ...(patch.preferredLanguage !== undefined ? { preferred_language: patch.preferredLanguage } : {}),
            ...(patch.flags !== undefined ? { flags: patch.flags } : {}),
            ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
            ...(attributes !== undefined ? { attributes: JSON.stringify(attributes) } : {}),
            ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
            search_text: sql<string>`to_tsvector('simple', ${doc})`,
            updated_at: clock(),
          })
          .where('id', '=', id)
          .execute();
        const change = describeCustomerChange(before, patch);
        await recordAudit(trx, ctx, { action: 'customer.update', entityType: 'customer', entityId: id, brandId: before.brand_id, ...change });
        await enqueueEvent(trx, { topic: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { customerId: id, fields: Object.keys(patch) } });
      });
      return (await view(id, ctx.auth, false)).view;
    },

    async addIdentity(ctx: RequestContext, id: string, input: IdentityInput) {
      await db.transaction().execute(async (trx) => {
        const customer = await loadVisible(ctx.auth, id, trx);
        const [identity] = collectIdentities({ identities: [input] });
        if (!identity) return;
        await assertIdentitiesFree(trx, customer.brand_id, [identity], id);
        await trx
          .insertInto('customer_identities')
          .values({ brand_id: customer.brand_id, customer_id: id, kind: identity.kind, value: identity.value })
          .onConflict((oc) => oc.columns(['brand_id', 'kind', 'value']).doNothing())
          .execute();
        const doc = await searchDocument(trx, id, { name: customer.name, addresses: customer.addresses as CustomerAddress[], tags: customer.tags });
        await trx.updateTable('customers').set({ search_text: sql<string>`to_tsvector('simple', ${doc})`, updated_at: clock() }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, { action: 'customer.identity_add', entityType: 'customer', entityId: id, brandId: customer.brand_id, after: identity });
        await enqueueEvent(trx, { topic: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { customerId: id, fields: ['identities'] } });
      });
      return (await view(id, ctx.auth, false)).view;
    },

    async removeIdentity(ctx: RequestContext, id: string, identityId: string) {
      await db.transaction().execute(async (trx) => {
        const customer = await loadVisible(ctx.auth, id, trx);
        const identities = await repo.getIdentities(id, trx);
        const target = identities.find((i) => i.id === identityId);
        if (!target) throw new AppError('resource.not_found', 'Identity not found', { entity: 'identity', id: identityId });
        if (identities.length === 1) throw new AppError('customer.last_identity', 'A customer keeps at least one identity');
        await trx.deleteFrom('customer_identities').where('id', '=', identityId).execute();
        const doc = await searchDocument(trx, id, { name: customer.name, addresses: customer.addresses as CustomerAddress[], tags: customer.tags });
        await trx.updateTable('customers').set({ search_text: sql<string>`to_tsvector('simple', ${doc})`, updated_at: clock() }).where('id', '=', id).execute();
        await recordAudit(trx, ctx, { action: 'customer.identity_remove', entityType: 'customer', entityId: id, brandId: customer.brand_id, before: { kind: target.kind, value: target.value } });
        await enqueueEvent(trx, { topic: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { customerId: id, fields: ['identities'] } });
      });
    },

    async listAttributeDefinitions(auth: AuthContext) {
      const brandId = auth.brandIds[0];
      if (!brandId) return [];
      return (await repo.getAttributeDefinitions(brandId)).map((d) => ({
        key: d.key,
        labelZh: d.label_zh,
        labelEn: d.label_en,
        type: d.type,
        options: d.options,
        required: d.required,
      }));
    },
  };
}

export type CustomersService = ReturnType<typeof createCustomersService>;
