import { type Kysely, sql } from 'kysely';

// PGlite's extended protocol runs one statement per query, so DDL scripts are split here.
export async function executeStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
