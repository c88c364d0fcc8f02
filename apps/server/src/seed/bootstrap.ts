import type { DB } from '@kefu/db';
import { BUILTIN_ROLES, type BuiltinRole, DEFAULT_ROLES } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { installContactDefaults } from './contact-config.seed.ts';
import { installSearchDefaults } from './knowledge.seed.ts';
import { installWorkOrderDefaults } from './work-order-config.seed.ts';

export const DEFAULT_BRAND = { code: 'default', name: '国网青海电力 95598 客服中心' } as const;

export const ROLE_NAMES: Readonly<Record<BuiltinRole, { zh: string; en: string }>> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  supervisor: { zh: '班组长', en: 'Team lead' },
  agent: { zh: '坐席', en: 'Agent' },
  dispatcher: { zh: '派单员', en: 'Dispatcher' },
  department_member: { zh: '部门人员', en: 'Department member' },
  qa: { zh: '质检员', en: 'QA inspector' },
  planner: { zh: '排班计划员', en: 'Workforce planner' },
  account_manager: { zh: '客户经理', en: 'Account manager' },
  manager: { zh: '管理层', en: 'Manager' },
  customer: { zh: '客户', en: 'Customer' },
};

export type BootstrapOptions = { adminPasswordHash: string; now: Date };
/** `adminId` is null only when an existing installation has no admin user left. */
export type BootstrapResult = { brandId: string; adminId: string | null; created: boolean };

// Serialises concurrent first starts against one PostgreSQL; any constant works.
const BOOTSTRAP_LOCK = 955_980_001;

/**
 * Prepares a fresh database: the default brand, the built-in roles and the `admin` user.
 * Runs at every start and does nothing once the brand exists, so an admin who renamed or
 * removed the first account never gets it back with the initial password.
 */
export async function bootstrapInstallation(db: Kysely<DB>, options: BootstrapOptions): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(trx);
    const existing = await trx.selectFrom('brands').select('id').where('code', '=', DEFAULT_BRAND.code).executeTakeFirst();
    if (existing) {
      const admin = await trx
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .orderBy(sql`lower(username) = 'admin'`, 'desc')
        .orderBy('created_at')
        .executeTakeFirst();
      // Installations made before work orders existed get their defaults now (idempotent).
      await installWorkOrderDefaults(trx, { brandId: existing.id, now: options.now });
      await installContactDefaults(trx, existing.id, { now: options.now });
      await installSearchDefaults(trx, existing.id, { now: options.now });
      return { brandId: existing.id, adminId: admin?.id ?? null, created: false };
    }

    await trx
      .insertInto('roles')
      .values(
        BUILTIN_ROLES.map((code) => ({
          code,
          name_zh: ROLE_NAMES[code].zh,
          name_en: ROLE_NAMES[code].en,
          permissions: [...DEFAULT_ROLES[code].permissions],
          scope: DEFAULT_ROLES[code].scope,
          builtin: true,
          updated_at: options.now,
        })),
      )
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();

    const brand = await trx
      .insertInto('brands')
      .values({ code: DEFAULT_BRAND.code, name: DEFAULT_BRAND.name, created_at: options.now })
      .returning('id')
      .executeTakeFirstOrThrow();

    const admin = await trx
      .insertInto('users')
      .values({
        username: 'admin',
        display_name: ROLE_NAMES.admin.zh,
        password_hash: options.adminPasswordHash,
        role: 'admin',
        password_changed_at: options.now,
        created_at: options.now,
        updated_at: options.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_brands').values({ user_id: admin.id, brand_id: brand.id }).execute();
    // The 95598 category tree, business calendars and State Grid SLA defaults, all editable later.
    await installWorkOrderDefaults(trx, { brandId: brand.id, now: options.now });
    // Queues, reason tree, canned replies, the website chat channel and agent states.
    await installContactDefaults(trx, brand.id, { now: options.now });
    // Search synonyms (停电/断电/没电 …), editable on the search page.
    await installSearchDefaults(trx, brand.id, { now: options.now });

    return { brandId: brand.id, adminId: admin.id, created: true };
  });
}
