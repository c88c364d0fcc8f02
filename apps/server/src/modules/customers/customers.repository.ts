import type { CustomerRow, DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { Executor } from '../../platform/audit.ts';
import type { AuthContext } from '../../platform/auth-context.ts';
import { customerVisibility } from './customers.scope.ts';

export type CustomerListFilter = {
  tsQuery: string | null;
  identityValue: string | null;
  areaId?: string | undefined;
  flag?: string | undefined;
  tag?: string | undefined;
};

export type SummaryRow = Pick<CustomerRow, 'id' | 'name' | 'area_id' | 'flags' | 'tags' | 'preferred_language' | 'created_at'> & {
  area_name: string | null;
  phones: string[];
};

/** How many full-text matches are ranked at most. */
export const SEARCH_CANDIDATES = 2000;

const phonesOf = sql<string[]>`coalesce((select array_agg(ci.value order by ci.created_at, ci.value) from customer_identities ci where ci.customer_id = customers.id and ci.kind = 'phone'), '{}')`;

export function createCustomersRepository(db: Kysely<DB>) {
  function summaries(auth: AuthContext, filter: CustomerListFilter) {
    let q = db
      .selectFrom('customers')
      .leftJoin('areas', 'areas.id', 'customers.area_id')
      .select([
        'customers.id',
        'customers.name',
        'customers.area_id',
        'customers.flags',
        'customers.tags',
        'customers.preferred_language',
        'customers.created_at',
        'areas.name as area_name',
        phonesOf.as('phones'),
      ])
      .where(customerVisibility(auth));
    if (filter.identityValue) {
      const value = filter.identityValue;
      q = q.where('customers.id', 'in', db.selectFrom('customer_identities').select('customer_id').where('value', '=', value));
    }
    if (filter.tsQuery) q = q.where(sql<boolean>`customers.search_text @@ to_tsquery('simple', ${filter.tsQuery})`);
    if (filter.areaId) q = q.where('customers.area_id', '=', filter.areaId);
    if (filter.flag) q = q.where(sql<boolean>`customers.flags @> array[${filter.flag}]::text[]`);
    if (filter.tag) q = q.where(sql<boolean>`customers.tags @> array[${filter.tag}]::text[]`);
    return q;
  }

  return {
    /** Newest first, keyset-paginated on (created_at, id). */
    async listCustomers(auth: AuthContext, filter: CustomerListFilter, limit: number, after?: [string, string]): Promise<SummaryRow[]> {
      let q = summaries(auth, filter);
      if (after) q = q.where(sql<boolean>`(customers.created_at, customers.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
      return q.orderBy('customers.created_at', 'desc').orderBy('customers.id', 'desc').limit(limit + 1).execute();
    },

    /**
     * Ranked full-text matches; offset pagination because rank is not a stable key. Ranking looks
     * at the first SEARCH_CANDIDATES matches only, so a broad query (a street shared by 30,000
     * customers) costs the same as a narrow one; the box is for finding, not for browsing.
     */
    async searchCustomers(auth: AuthContext, filter: CustomerListFilter, limit: number, offset: number): Promise<SummaryRow[]> {
      const candidates = summaries(auth, filter).clearSelect().select('customers.id').limit(SEARCH_CANDIDATES);
      return summaries(auth, { ...filter, tsQuery: null })
        .where('customers.id', 'in', candidates)
        .orderBy(sql`ts_rank(customers.search_text, to_tsquery('simple', ${filter.tsQuery ?? ''}))`, 'desc')
        .orderBy('customers.id')
        .offset(offset)
        .limit(limit + 1)
        .execute();
    },

    async getVisibleCustomer(auth: AuthContext, id: string, trx: Executor = db) {
      return trx.selectFrom('customers').selectAll().where('id', '=', id).where(customerVisibility(auth)).executeTakeFirst();
    },

    async customerExists(id: string, trx: Executor = db) {
      return (await trx.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async getIdentities(customerId: string, trx: Executor = db) {
      return trx.selectFrom('customer_identities').selectAll().where('customer_id', '=', customerId).orderBy('kind').orderBy('created_at').execute();
    },

    async getArea(areaId: string, trx: Executor = db) {
      return trx
        .selectFrom('areas')
        .leftJoin('users', 'users.id', 'areas.account_manager_id')
        .select(['areas.id', 'areas.code', 'areas.name', 'areas.kind', 'users.id as manager_id', 'users.display_name as manager_name'])
        .where('areas.id', '=', areaId)
        .executeTakeFirst();
    },

    async findIdentityOwners(trx: Executor, brandId: string, identities: readonly { kind: string; value: string }[]) {
      if (identities.length === 0) return [];
      return trx
        .selectFrom('customer_identities')
        .select(['kind', 'value', 'customer_id'])
        .where('brand_id', '=', brandId)
        .where((eb) => eb.or(identities.map((i) => eb.and([eb('kind', '=', i.kind), eb('value', '=', i.value)]))))
        .execute();
    },

    async getAttributeDefinitions(brandId: string, trx: Executor = db) {
      return trx.selectFrom('attribute_definitions').selectAll().where('brand_id', '=', brandId).orderBy('position').execute();
    },
  };
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>;
