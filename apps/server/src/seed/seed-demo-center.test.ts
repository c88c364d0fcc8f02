import { type Database, type DB, migrateToLatest, openDatabase } from '@kefu/db';
import { BUILTIN_ROLES, DEFAULT_ROLES } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapInstallation } from './bootstrap.ts';
import { DEMO_CUSTOMER_FIXTURES, DEMO_LOGINS, type DemoSeedSummary, getDemoCustomerFixture, seedDemoCenter } from './index.ts';

const NOW = new Date('2026-11-20T08:00:00Z');
const options = { demoPasswordHash: 'demo-hash', adminPasswordHash: 'admin-hash', now: NOW, customers: 300 };

async function freshDatabase(): Promise<Database> {
  const database = await openDatabase({ kind: 'pglite' });
  await migrateToLatest(database.db);
  return database;
}

async function count(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

describe('bootstrapInstallation', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it('creates the default brand, the built-in roles and an admin linked to the brand', async () => {
    const result = await bootstrapInstallation(database.db, { adminPasswordHash: 'admin-hash', now: NOW });
    expect(result.created).toBe(true);
    const roles = await database.db.selectFrom('roles').selectAll().orderBy('code').execute();
    expect(roles.map((r) => r.code).sort()).toEqual([...BUILTIN_ROLES].sort());
    for (const role of roles) {
      expect(role.builtin).toBe(true);
      expect(role.name_zh).not.toBe('');
      expect(role.name_en).not.toBe('');
      expect(role.scope).toBe(DEFAULT_ROLES[role.code as keyof typeof DEFAULT_ROLES].scope);
    }
    expect(roles.find((r) => r.code === 'supervisor')?.name_zh).toBe('班组长');
    const admin = await database.db.selectFrom('users').selectAll().where('id', '=', result.adminId ?? '').executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', display_name: '系统管理员', password_hash: 'admin-hash' });
    const link = await database.db.selectFrom('user_brands').selectAll().where('user_id', '=', admin.id).execute();
    expect(link).toEqual([{ user_id: admin.id, brand_id: result.brandId }]);
  });

  it('does nothing on a second run and returns the same ids', async () => {
    const first = await bootstrapInstallation(database.db, { adminPasswordHash: 'admin-hash', now: NOW });
    const second = await bootstrapInstallation(database.db, { adminPasswordHash: 'other-hash', now: NOW });
    expect(second).toEqual({ ...first, created: false });
    expect(await count(database.db, 'brands')).toBe(1);
    expect(await count(database.db, 'users')).toBe(1);
    expect(await count(database.db, 'roles')).toBe(BUILTIN_ROLES.length);
  });
});

describe('seedDemoCenter', () => {
  let database: Database;
  let db: Kysely<DB>;
  let summary: DemoSeedSummary;
  beforeAll(async () => {
    database = await freshDatabase();
    db = database.db;
    summary = await seedDemoCenter(db, options);
  });
  afterAll(() => database.close());

  it('reports what it wrote', async () => {
    expect(summary).toMatchObject({ seeded: true, departments: 5, areas: 20, customers: 300 });
    expect(await count(db, 'customers')).toBe(300);
    expect(await count(db, 'customer_identities')).toBe(summary.identities);
    // staff + portal users, plus the bootstrap admin
    expect(await count(db, 'users')).toBe(summary.users + 1);
    expect(summary.users).toBeGreaterThanOrEqual(55);
    expect(await count(db, 'teams')).toBe(4);
    expect(await count(db, 'attribute_definitions')).toBeGreaterThanOrEqual(5);
  });

  it('creates every fixed demo login with its role and display name', async () => {
    const users = await db.selectFrom('users').select(['username', 'role', 'display_name']).execute();
    for (const login of DEMO_LOGINS) {
      expect(users.find((u) => u.username === login.username), login.username).toEqual({
        username: login.username,
        role: login.role,
        display_name: login.displayNameZh,
      });
    }
  });

  it('links every user to the brand and gives demo users the demo password', async () => {
    const unlinked = await db
      .selectFrom('users')
      .leftJoin('user_brands', 'user_brands.user_id', 'users.id')
      .select('users.username')
      .where('user_brands.brand_id', 'is', null)
      .execute();
    expect(unlinked).toEqual([]);
    const other = await db.selectFrom('users').select('username').where('password_hash', '!=', 'demo-hash').execute();
    expect(other.map((u) => u.username)).toEqual(['admin']);
  });

  it('places the repair login in the first urban repair crew and team leads in teams', async () => {
    const repair = await db
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.department_id')
      .select(['departments.name', 'departments.kind'])
      .where('users.username', '=', 'repair')
      .executeTakeFirstOrThrow();
    expect(repair).toEqual({ name: '城区抢修班', kind: 'repair' });
    const leads = await db.selectFrom('users').select('team_id').where('role', '=', 'supervisor').execute();
    expect(leads).toHaveLength(4);
    expect(new Set(leads.map((l) => l.team_id)).size).toBe(4);
  });

  it('gives every area an account manager and accountmgr several areas', async () => {
    const areas = await db
      .selectFrom('areas')
      .leftJoin('users', 'users.id', 'areas.account_manager_id')
      .select(['areas.code', 'users.role', 'users.username'])
      .execute();
    expect(areas).toHaveLength(20);
    for (const a of areas) expect(a.role, a.code).toBe('account_manager');
    expect(areas.filter((a) => a.username === 'accountmgr').length).toBeGreaterThanOrEqual(3);
    expect(areas.find((a) => a.code === 'chengzhong')?.username).toBe('accountmgr');
  });

  it('stores the fixture customers with their known phones and links the customer login', async () => {
    for (const f of DEMO_CUSTOMER_FIXTURES) {
      const row = await db
        .selectFrom('customer_identities')
        .innerJoin('customers', 'customers.id', 'customer_identities.customer_id')
        .select(['customers.id', 'customers.name'])
        .where('customer_identities.kind', '=', 'phone')
        .where('customer_identities.value', '=', f.phones[0])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ id: f.id, name: f.name });
    }
    const portal = getDemoCustomerFixture('portal');
    const user = await db.selectFrom('users').select(['customer_id', 'role']).where('username', '=', 'customer').executeTakeFirstOrThrow();
    expect(user).toEqual({ customer_id: portal.id, role: 'customer' });
  });

  it('makes customers findable through search_text', async () => {
    const hits = await db
      .selectFrom('customers')
      .select('id')
      .where(sql<boolean>`search_text @@ to_tsquery('simple', ${'13900000003:*'})`)
      .execute();
    expect(hits.map((h) => h.id)).toEqual([getDemoCustomerFixture('elderlyAlone').id]);
  });

  it('keeps phone and meter numbers unique', async () => {
    const dupes = await db
      .selectFrom('customer_identities')
      .select(['kind', 'value'])
      .where('kind', 'in', ['phone', 'meter'])
      .groupBy(['kind', 'value'])
      .having(sql<number>`count(*)`, '>', 1)
      .execute();
    expect(dupes).toEqual([]);
    const withoutMeter = await db
      .selectFrom('customers')
      .select('id')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('customer_identities as i').select('i.id').whereRef('i.customer_id', '=', 'customers.id').where('i.kind', '=', 'meter'))))
      .execute();
    expect(withoutMeter).toEqual([]);
  });

  it('does nothing when run again', async () => {
    const again = await seedDemoCenter(db, options);
    expect(again).toMatchObject({ seeded: false, brandId: summary.brandId, customers: 0 });
    expect(await count(db, 'customers')).toBe(300);
  });

  it('writes the same rows, ids included, into another database for the same seed', async () => {
    const other = await freshDatabase();
    try {
      await seedDemoCenter(other.db, options);
      const rows = (d: Kysely<DB>) => d.selectFrom('customers').select(['id', 'name', 'id_number', 'created_at']).orderBy('id').execute();
      const users = (d: Kysely<DB>) => d.selectFrom('users').select(['id', 'username']).where('username', '!=', 'admin').orderBy('id').execute();
      expect(await rows(other.db)).toEqual(await rows(db));
      expect(await users(other.db)).toEqual(await users(db));
    } finally {
      await other.close();
    }
  });
});

describe('seedDemoCenter at full size', () => {
  it('seeds the default 5,000 customers quickly', async () => {
    const database = await freshDatabase();
    try {
      const summary = await seedDemoCenter(database.db, { demoPasswordHash: 'demo-hash', now: NOW });
      expect(summary.customers).toBe(5_000);
      expect(summary.identities).toBeGreaterThan(12_000);
      expect(summary.ms).toBeLessThan(30_000);
      expect(await count(database.db, 'customers')).toBe(5_000);
    } finally {
      await database.close();
    }
  });
});
