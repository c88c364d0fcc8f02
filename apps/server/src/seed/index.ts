import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import { seedAreas } from './areas.seed.ts';
import { seedAttributeDefinitions } from './attributes.seed.ts';
import { bootstrapInstallation } from './bootstrap.ts';
import { installContactDefaults } from './contact-config.seed.ts';
import { DEFAULT_DEMO_CONTACTS, DEMO_CONTACTS_PER_CUSTOMER, seedContacts } from './contacts.seed.ts';
import { DEFAULT_DEMO_CUSTOMERS, seedCustomers } from './customers.seed.ts';
import { seedKnowledge } from './knowledge.seed.ts';
import type { SecretKey } from '../modules/channels/secret-box.ts';
import { seedDemoCti } from './cti.seed.ts';
import { DEMO_WEBCHAT_CHANNEL_ID } from './demo-fixtures.ts';
import { seedOrg } from './org.seed.ts';
import { seedPortalUsers } from './portal-users.seed.ts';
import { createRng } from './rng.ts';
import type { SeedContext } from './seed-context.ts';
import { DEFAULT_DEMO_TICKETS, DEMO_TICKETS_PER_CUSTOMER, seedTickets } from './tickets.seed.ts';
import { installWorkOrderDefaults, seedDispatchRules } from './work-order-config.seed.ts';

export { type BootstrapOptions, type BootstrapResult, bootstrapInstallation, DEFAULT_BRAND } from './bootstrap.ts';
export { ensureAgentState, installContactDefaults } from './contact-config.seed.ts';
export { DEMO_CUSTOMER_FIXTURES, DEMO_WEBCHAT_CHANNEL_ID, type DemoCustomerFixture, getDemoCustomerFixture } from './demo-fixtures.ts';
export { DEMO_LOGINS, type DemoLogin } from './demo-logins.ts';
export { createRng, type Rng } from './rng.ts';
export { DEFAULT_DEMO_CONTACTS, DEFAULT_DEMO_CUSTOMERS, DEFAULT_DEMO_TICKETS };
export { installWorkOrderDefaults, loadWorkOrderConfig, type WorkOrderConfig } from './work-order-config.seed.ts';

export const DEFAULT_DEMO_SEED = 95_598;

export type SeedDemoCenterOptions = {
  demoPasswordHash: string;
  now: Date;
  /** Customers in the archive, fixtures included (default 5,000). */
  customers?: number;
  /**
   * Work orders over the last 90 days, the demo customers' and the mass incident's included.
   * Default: 4 per customer, at most 20,000 (so 20,000 for the default 5,000 customers, and a
   * small archive for a small test center).
   */
  tickets?: number;
  /**
   * Contacts (calls, chats, WeChat, SMS, e-mail, walk-ins, outbound) over the same 90 days, the
   * originating contacts of most orders included. Default: 6 per customer, at most 30,000.
   */
  contacts?: number;
  /** The rng seed (default 95598); the same seed gives the same center, ids included. */
  seed?: number;
  /** Seed into this brand; by default the installation's brand, bootstrapped first when missing. */
  brandId?: string;
  /** Seals the demo channels' secrets at rest (deriveSecretKey of the session secret); without it they are stored readable. */
  channelSecretKey?: SecretKey;
  /** The admin password when this call bootstraps the installation (default: the demo password). */
  adminPasswordHash?: string;
};

export type DemoSeedSummary = {
  brandId: string;
  /** false when the demo center was already there and nothing was written */
  seeded: boolean;
  users: number;
  departments: number;
  areas: number;
  customers: number;
  identities: number;
  tickets: number;
  ticketEvents: number;
  contacts: number;
  contactEvents: number;
  ms: number;
};

const DEMO_SEED_LOCK = 955_980_002;

/**
 * Fills a database with a believable 95598 service center: organisation, areas with account
 * managers, attribute definitions, the customer archive, portal logins, dispatch rules and three
 * months of work orders and of contacts (calls, chats…) with their timelines (the work-order and
 * contact defaults are installed first when the brand lacks them). One transaction:
 * a crash leaves nothing half-seeded. Does nothing when the demo center is already there.
 */
export async function seedDemoCenter(db: Kysely<DB>, options: SeedDemoCenterOptions): Promise<DemoSeedSummary> {
  const started = performance.now();
  const brandId =
    options.brandId ??
    (await bootstrapInstallation(db, { adminPasswordHash: options.adminPasswordHash ?? options.demoPasswordHash, now: options.now }))
      .brandId;

  const counts = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${DEMO_SEED_LOCK})`.execute(trx);
    const already = await trx.selectFrom('teams').select('id').where('code', '=', 'team-1').executeTakeFirst();
    if (already) return null;

    const ctx: SeedContext = {
      db: trx,
      rng: createRng(options.seed ?? DEFAULT_DEMO_SEED),
      now: options.now,
      brandId,
      demoPasswordHash: options.demoPasswordHash,
      refs: {},
    };
    ctx.refs.org = await seedOrg(ctx);
    ctx.refs.areas = await seedAreas(ctx);
    await seedAttributeDefinitions(ctx);
    ctx.refs.customers = await seedCustomers(ctx, { count: options.customers });
    const portalUsers = await seedPortalUsers(ctx);
    await installWorkOrderDefaults(trx, { brandId, now: options.now });
    await installContactDefaults(trx, brandId, { webchatChannelId: DEMO_WEBCHAT_CHANNEL_ID, now: options.now });
    const dispatchRules = await seedDispatchRules(ctx);
    const ticketCount = options.tickets ?? Math.min(DEFAULT_DEMO_TICKETS, DEMO_TICKETS_PER_CUSTOMER * ctx.refs.customers.customers);
    const tickets = await seedTickets(ctx, { count: ticketCount, dispatchRules });
    const contactCount = options.contacts ?? Math.min(DEFAULT_DEMO_CONTACTS, DEMO_CONTACTS_PER_CUSTOMER * ctx.refs.customers.customers);
    const contacts = await seedContacts(ctx, { count: contactCount });
    // The demo knowledge base (articles, categories, synonyms) for search, the bot and assist.
    await seedKnowledge(trx, brandId, { now: options.now });
    // The phone line: a CTI channel with a published IVR (语音导航); its secret is not sealed here (cti.seed.ts).
    await seedDemoCti(ctx, options.channelSecretKey ? { secretKey: options.channelSecretKey } : {});
    return {
      users: Object.keys(ctx.refs.org.users).length + Object.keys(portalUsers).length,
      departments: Object.keys(ctx.refs.org.departments).length,
      areas: ctx.refs.areas.length,
      customers: ctx.refs.customers.customers,
      identities: ctx.refs.customers.identities,
      tickets: tickets.tickets,
      ticketEvents: tickets.ticketEvents,
      contacts: contacts.contacts,
      contactEvents: contacts.contactEvents,
    };
  });

  const ms = Math.round(performance.now() - started);
  if (!counts) return { brandId, seeded: false, users: 0, departments: 0, areas: 0, customers: 0, identities: 0, tickets: 0, ticketEvents: 0, contacts: 0, contactEvents: 0, ms };
  return { brandId, seeded: true, ...counts, ms };
}
