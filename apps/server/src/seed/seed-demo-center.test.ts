import { type Database, type DB, migrateToLatest, openDatabase } from '@kefu/db';
import { BUILTIN_ROLES, DEFAULT_ROLES } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapInstallation } from './bootstrap.ts';
import { DEFAULT_SCRIPTS } from './scripts.seed.ts';
import { CONTACT_HANDLING_ROLES, CONTACT_REASON_TREE, DEFAULT_QUEUES, ensureAgentState, installContactDefaults, listReasonLeafCodes } from './contact-config.seed.ts';
import {
  DEMO_CUSTOMER_FIXTURES,
  DEMO_LOGINS,
  DEMO_WEBCHAT_CHANNEL_ID,
  type DemoSeedSummary,
  getDemoCustomerFixture,
  seedDemoCenter,
} from './index.ts';

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

  it('installs the contact defaults with the brand: queues on the 24x7 calendar, reasons, replies, the website chat', async () => {
    const { brandId } = await bootstrapInstallation(database.db, { adminPasswordHash: 'admin-hash', now: NOW });
    const db = database.db;
    const allDay = await db.selectFrom('calendars').select('id').where('brand_id', '=', brandId).where('code', '=', '24x7').executeTakeFirstOrThrow();
    const queues = await db.selectFrom('queues').selectAll().where('brand_id', '=', brandId).orderBy('position').execute();
    expect(queues.map((q) => q.code)).toEqual(DEFAULT_QUEUES.map((q) => q.code));
    for (const q of queues) expect(q.calendar_id, q.code).toBe(allDay.id);
    expect(queues.find((q) => q.code === 'general')).toMatchObject({ channels: ['chat', 'wechat', 'call', 'sms', 'email'], required_skills: ['electricity'], max_wait_seconds: 300 });
    expect(queues.find((q) => q.code === 'vip')?.max_wait_seconds).toBeLessThan(300);
    const reasons = await db.selectFrom('reason_codes').select(['code', 'parent_code']).where('brand_id', '=', brandId).execute();
    expect(reasons.filter((r) => r.parent_code === null).map((r) => r.code).sort()).toEqual(CONTACT_REASON_TREE.map((g) => g.code).sort());
    expect(reasons.filter((r) => r.parent_code !== null).map((r) => r.code).sort()).toEqual(listReasonLeafCodes().sort());
    for (const g of CONTACT_REASON_TREE) expect(g.children.length, g.code).toBeGreaterThanOrEqual(2);
    expect(await count(db, 'scripts')).toBe(DEFAULT_SCRIPTS.length);
    const channel = await db.selectFrom('channels').selectAll().where('brand_id', '=', brandId).executeTakeFirstOrThrow();
    expect(channel).toMatchObject({ type: 'webchat', name: '官网在线客服', queue_id: queues.find((q) => q.code === 'general')?.id, enabled: true });
    expect((channel.secrets as { identitySecret: string }).identitySecret).toMatch(/^[0-9a-f]{64}$/);
    const config = channel.config as { topics: { code: string; queueCode: string }[]; maxUploadBytes: number; preChat: { enabled: boolean } };
    expect(config.topics.map((t) => t.queueCode)).toEqual(['general', 'billing', 'complaint', 'tibetan-amdo', 'english']);
    expect(config).toMatchObject({ maxUploadBytes: 5_242_880, preChat: { enabled: true } });
    // The admin takes no contacts.
    expect(await count(db, 'agent_states')).toBe(0);
  });

  it('does nothing on a second run and returns the same ids', async () => {
    const first = await bootstrapInstallation(database.db, { adminPasswordHash: 'admin-hash', now: NOW });
    const second = await bootstrapInstallation(database.db, { adminPasswordHash: 'other-hash', now: NOW });
    expect(second).toEqual({ ...first, created: false });
    expect(await count(database.db, 'brands')).toBe(1);
    expect(await count(database.db, 'users')).toBe(1);
    expect(await count(database.db, 'roles')).toBe(BUILTIN_ROLES.length);
    expect(await count(database.db, 'queues')).toBe(DEFAULT_QUEUES.length);
    expect(await count(database.db, 'channels')).toBe(1);
  });

  it('gives a user created later an agent state when the role takes contacts', async () => {
    const db = database.db;
    const brand = await db.selectFrom('brands').select('id').executeTakeFirstOrThrow();
    expect(await installContactDefaults(db, brand.id)).toMatchObject({ installed: false });
    const users = await db
      .insertInto('users')
      .values([
        { username: 'late-agent', display_name: '新坐席', password_hash: 'x', role: 'agent' },
        { username: 'late-qa', display_name: '新质检', password_hash: 'x', role: 'qa' },
      ])
      .returning(['id', 'role'])
      .execute();
    for (const u of users) expect(await ensureAgentState(db, u.id, brand.id), u.role).toBe(u.role === 'agent');
    expect(await ensureAgentState(db, users[0].id, brand.id)).toBe(true);
    const states = await db.selectFrom('agent_states').selectAll().execute();
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({ user_id: users[0].id, brand_id: brand.id, state: 'offline' });
    await db.deleteFrom('agent_states').execute();
    await db.deleteFrom('users').where('id', 'in', users.map((u) => u.id)).execute();
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

  it('seeds three months of contacts, six per customer, all closed', async () => {
    expect(summary.contacts).toBe(1_800);
    expect(await count(db, 'contacts')).toBe(1_800);
    expect(await count(db, 'contact_events')).toBe(summary.contactEvents);
    const open = await db.selectFrom('contacts').select('id').where('status', '!=', 'closed').execute();
    expect(open).toEqual([]);
    const noReason = await db.selectFrom('contacts').select('id').where('end_reason', 'is', null).execute();
    expect(noReason).toEqual([]);
    const range = await db
      .selectFrom('contacts')
      .select([sql<Date>`min(created_at)`.as('first'), sql<Date>`max(greatest(created_at, ended_at, wrapped_up_at))`.as('last')])
      .executeTakeFirstOrThrow();
    expect(range.first.getTime()).toBeGreaterThan(NOW.getTime() - 91 * 86_400_000);
    expect(range.last.getTime()).toBeLessThanOrEqual(NOW.getTime());
    // Every timeline ends where its contact stands.
    const mismatched = await sql<{ id: string }>`
      select c.id from contacts c
      where c.version - 1 <> (select count(*) from contact_events e where e.contact_id = c.id)
         or 'closed' <> (select e.to_status from contact_events e where e.contact_id = c.id order by e.id desc limit 1)`.execute(db);
    expect(mismatched.rows).toEqual([]);
    // The seed skips the per-row foreign-key triggers on PGlite: every reference must still hold.
    const dangling = await sql<{ n: number }>`select
      (select count(*) from contact_events e left join contacts c on c.id = e.contact_id where c.id is null)
      + (select count(*) from contacts c left join users u on u.id = c.agent_id where c.agent_id is not null and u.id is null)
      + (select count(*) from contacts c left join customers x on x.id = c.customer_id where c.customer_id is not null and x.id is null)
      + (select count(*) from contacts c left join conversations v on v.id = c.conversation_id where c.conversation_id is not null and v.id is null)
      + (select count(*) from messages m left join conversations v on v.id = m.conversation_id where v.id is null)
      + (select count(*) from contact_tickets l left join tickets t on t.id = l.ticket_id where t.id is null) as n`.execute(db);
    expect(Number(dangling.rows[0].n)).toBe(0);
  });

  it('wraps contacts up with codes of the brand reason tree, handled by agents who hold the queue skills', async () => {
    const unknown = await sql<{ reason_code: string }>`
      select distinct c.reason_code from contacts c
      left join reason_codes r on r.brand_id = c.brand_id and r.code = c.reason_code
      where c.reason_code is not null and (r.code is null or r.parent_code is null)`.execute(db);
    expect(unknown.rows).toEqual([]);
    const unskilled = await sql<{ id: string }>`
      select c.id from contacts c join queues q on q.id = c.queue_id join users u on u.id = c.agent_id
      where not (q.required_skills <@ u.skills) and not exists (select 1 from contact_tickets ct where ct.contact_id = c.id)`.execute(db);
    expect(unskilled.rows).toEqual([]);
    const roles = await sql<{ role: string; n: number }>`
      select u.role, count(*)::int as n from contacts c join users u on u.id = c.agent_id group by u.role`.execute(db);
    expect(roles.rows.map((r) => r.role).sort()).toEqual(['agent', 'supervisor']);
  });

  it('links most orders to the contact they came from, both ways', async () => {
    const links = await db.selectFrom('contact_tickets').select(['contact_id', 'ticket_id']).execute();
    const origins = await db.selectFrom('tickets').select(['id', 'origin_contact_id']).where('origin_contact_id', 'is not', null).execute();
    expect(links.length).toBeGreaterThan(0);
    expect(origins.map((t) => `${t.origin_contact_id}:${t.id}`).sort()).toEqual(links.map((l) => `${l.contact_id}:${l.ticket_id}`).sort());
    const tickets = await count(db, 'tickets');
    expect(links.length / tickets).toBeGreaterThan(0.4);
    expect(links.length / tickets).toBeLessThan(0.7);
    const foreign = await sql<{ id: string }>`
      select t.id from tickets t join contacts c on c.id = t.origin_contact_id
      where c.customer_id is distinct from t.customer_id or c.outcome <> 'ticket_created' or c.answered_at >= t.created_at`.execute(db);
    expect(foreign.rows).toEqual([]);
  });

  it('installs the contact defaults, agent states and the fixed website chat channel for the demo', async () => {
    expect(await count(db, 'queues')).toBe(DEFAULT_QUEUES.length);
    // The website chat and the demo 95598 phone line (CTI).
    const channels = await db.selectFrom('channels').select(['id', 'brand_id', 'type']).orderBy('type', 'desc').execute();
    expect(channels).toEqual([{ id: DEMO_WEBCHAT_CHANNEL_ID, brand_id: summary.brandId, type: 'webchat' }, expect.objectContaining({ brand_id: summary.brandId, type: 'cti' })]);
    const missing = await db
      .selectFrom('users')
      .leftJoin('agent_states', 'agent_states.user_id', 'users.id')
      .select('users.username')
      .where('users.role', 'in', [...CONTACT_HANDLING_ROLES])
      .where('agent_states.user_id', 'is', null)
      .execute();
    expect(missing).toEqual([]);
    expect(await count(db, 'agent_states')).toBe(
      (await db.selectFrom('users').select('id').where('role', 'in', [...CONTACT_HANDLING_ROLES]).execute()).length,
    );
  });

  it('keeps chat conversations with their messages in sequence, and a callback task per overflow', async () => {
    const conversations = await db.selectFrom('conversations').selectAll().execute();
    expect(conversations.length).toBeGreaterThan(0);
    const badSeq = await sql<{ id: string }>`
      select v.id from conversations v
      where v.last_seq <> (select count(*) from messages m where m.conversation_id = v.id)
         or v.last_seq <> (select max(seq) from messages m where m.conversation_id = v.id)
         or not exists (select 1 from contacts c where c.conversation_id = v.id)`.execute(db);
    expect(badSeq.rows).toEqual([]);
    const chats = await db.selectFrom('conversations').select('channel_id').where('channel', '=', 'chat').execute();
    for (const c of chats) expect(c.channel_id).toBe(DEMO_WEBCHAT_CHANNEL_ID);
    const overflowed = await db.selectFrom('contacts').select('id').where('end_reason', '=', 'overflowed').orderBy('id').execute();
    const tasks = await db.selectFrom('callback_tasks').select('contact_id').orderBy('contact_id').execute();
    expect(tasks.map((t) => t.contact_id)).toEqual(overflowed.map((c) => c.id));
    // The demo customers each have a chat with messages.
    for (const f of DEMO_CUSTOMER_FIXTURES) {
      const withMessages = await sql<{ n: number }>`
        select count(*)::int as n from messages m join conversations v on v.id = m.conversation_id where v.customer_id = ${f.id}`.execute(db);
      expect(withMessages.rows[0].n, f.key).toBeGreaterThanOrEqual(4);
    }
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
      const contacts = (d: Kysely<DB>) =>
        d.selectFrom('contacts').select(['id', 'channel', 'created_at', 'answered_at', 'agent_id', 'customer_id', 'reason_code', 'conversation_id']).orderBy('id').execute();
      expect(await contacts(other.db)).toEqual(await contacts(db));
      const messages = (d: Kysely<DB>) => d.selectFrom('messages').select(['id', 'seq', 'body', 'created_at']).orderBy('id').execute();
      expect(await messages(other.db)).toEqual(await messages(db));
    } finally {
      await other.close();
    }
  });
});

describe('seedDemoCenter at full size', () => {
  // Seeding speed is reported at start and measured in bench/, not asserted here (a shared CI
  // machine makes wall-clock limits flaky); this checks the default sizes.
  it('seeds the default 5,000 customers, 20,000 orders and 30,000 contacts', { timeout: 600_000 }, async () => {
    const database = await freshDatabase();
    try {
      const summary = await seedDemoCenter(database.db, { demoPasswordHash: 'demo-hash', now: NOW });
      expect(summary.customers).toBe(5_000);
      expect(summary.identities).toBeGreaterThan(12_000);
      expect(summary.tickets).toBe(20_000);
      expect(summary.contacts).toBe(30_000);
      expect(await count(database.db, 'customers')).toBe(5_000);
      expect(await count(database.db, 'contacts')).toBe(30_000);
    } finally {
      await database.close();
    }
  });
});
