import { sql } from 'kysely';
import { buildCustomerSearchDocument } from '../modules/customers/customers.search.ts';
import { type CustomerDraft, createTakenValues, draftFixtureCustomers, generateCustomers } from './customer-generator.ts';
import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import { type CustomerRefs, insertInChunks, requireRef, type SeedContext } from './seed-context.ts';

export const DEFAULT_DEMO_CUSTOMERS = 5_000;

// ~13 parameters per customer row and 6 per identity: far below PostgreSQL's 65,535 per statement.
const CUSTOMER_CHUNK = 500;
const IDENTITY_CHUNK = 2_000;

/**
 * The customer archive: the fixed demo customers plus generated ones, `count` in all,
 * each with phones, a meter number and (some) email, WeChat and contract identities.
 */
export async function seedCustomers(ctx: SeedContext, options: { count?: number } = {}): Promise<CustomerRefs> {
  const areas = requireRef(ctx.refs, 'areas');
  const areaIds = new Map(areas.map((a) => [a.code, a.id]));
  const rng = ctx.rng.fork('customers');
  const taken = createTakenValues();
  const fixtures = draftFixtureCustomers(rng.fork('fixtures'), ctx.now, taken);
  const count = Math.max(0, (options.count ?? DEFAULT_DEMO_CUSTOMERS) - fixtures.length);
  const drafts = [...fixtures, ...generateCustomers(rng.fork('generated'), { count, now: ctx.now, taken })];

  await insertInChunks(drafts, CUSTOMER_CHUNK, (chunk) =>
    ctx.db
      .insertInto('customers')
      .values(chunk.map((d) => toCustomerRow(d, ctx.brandId, areaIds)))
      .execute(),
  );
  const identities = drafts.flatMap((d) =>
    d.identities.map((i) => ({
      id: i.id,
      brand_id: ctx.brandId,
      customer_id: d.id,
      kind: i.kind,
      value: i.value,
      verified: i.verified,
      created_at: d.createdAt,
    })),
  );
  await insertInChunks(identities, IDENTITY_CHUNK, (chunk) => ctx.db.insertInto('customer_identities').values(chunk).execute());

  return {
    fixtures: Object.fromEntries(DEMO_CUSTOMER_FIXTURES.map((f) => [f.key, f.id])),
    customers: drafts.length,
    identities: identities.length,
  };
}

function toCustomerRow(d: CustomerDraft, brandId: string, areaIds: Map<string, string>) {
  const areaId = areaIds.get(d.areaCode);
  if (!areaId) throw new Error(`customer ${d.id} is in unseeded area "${d.areaCode}"`);
  const doc = buildCustomerSearchDocument({ name: d.name, addresses: d.addresses, identities: d.identities, tags: d.tags });
  return {
    id: d.id,
    brand_id: brandId,
    name: d.name,
    id_number: d.idNumber,
    area_id: areaId,
    // JSON text: the pg driver would turn a JS array into a PostgreSQL array literal.
    addresses: JSON.stringify(d.addresses),
    preferred_language: d.preferredLanguage,
    flags: d.flags,
    tags: d.tags,
    attributes: JSON.stringify(d.attributes),
    notes: d.notes,
    search_text: sql<string>`to_tsvector('simple', ${doc})`,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}
