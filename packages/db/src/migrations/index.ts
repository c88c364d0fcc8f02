import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './20261123_0001_foundation.ts';
import * as m0002 from './20261127_0002_work_orders.ts';
import * as m0003 from './20261127_0003_ticket_list_indexes.ts';
import * as m0004 from './20261127_0004_contacts.ts';
import * as m0005 from './20261127_0005_knowledge.ts';
import * as m0006 from './20261127_0006_channel_pipeline.ts';
import * as m0007 from './20261127_0007_email_imap.ts';
import * as m0008 from './20261128_0008_channel_adapters.ts';

// Migrations are listed in code (not read from disk) so they bundle and run the same everywhere.
export const MIGRATIONS: Record<string, Migration> = {
  '20261123_0001_foundation': m0001,
  '20261127_0002_work_orders': m0002,
  '20261127_0003_ticket_list_indexes': m0003,
  '20261127_0004_contacts': m0004,
  '20261127_0005_knowledge': m0005,
  '20261127_0006_channel_pipeline': m0006,
  '20261127_0007_email_imap': m0007,
  '20261128_0008_channel_adapters': m0008,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
