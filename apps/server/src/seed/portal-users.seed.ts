import { DEMO_CUSTOMER_FIXTURES } from './demo-fixtures.ts';
import { requireRef, type SeedContext } from './seed-context.ts';

/** Customer-role logins for the portal, each linked to a fixture customer. Returns username → user id. */
export async function seedPortalUsers(ctx: SeedContext): Promise<Record<string, string>> {
  const { fixtures } = requireRef(ctx.refs, 'customers');
  const rng = ctx.rng.fork('portal-users');
  const users = DEMO_CUSTOMER_FIXTURES.flatMap((f) => (f.login ? [{ ...f, login: f.login }] : [])).map((f) => ({
    id: rng.uuid(),
    username: f.login.username,
    display_name: f.name,
    password_hash: ctx.demoPasswordHash,
    role: 'customer',
    customer_id: fixtures[f.key],
    languages: [f.preferredLanguage],
    password_changed_at: ctx.now,
    created_at: ctx.now,
    updated_at: ctx.now,
  }));
  if (users.length === 0) return {};
  await ctx.db.insertInto('users').values(users).execute();
  await ctx.db
    .insertInto('user_brands')
    .values(users.map((u) => ({ user_id: u.id, brand_id: ctx.brandId })))
    .execute();
  return Object.fromEntries(users.map((u) => [u.username, u.id]));
}
