import path from 'node:path';
import { type Database, migrateToLatest, openDatabase } from '@kefu/db';
import type { Config } from '../config.ts';

/** Opens PostgreSQL when DATABASE_URL is set, else the embedded PGlite under the data directory. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
  await migrateToLatest(database.db);
  return database;
}
