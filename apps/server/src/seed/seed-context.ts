import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { Rng } from './rng.ts';

export type AreaKind = 'urban' | 'rural' | 'remote';

/** An area as later modules need it: its row plus the address material customers are placed with. */
export type SeededArea = {
  id: string;
  code: string;
  name: string;
  district: string;
  kind: AreaKind;
  /** The 6-digit administrative code, used as the region prefix of resident ID numbers. */
  regionCode: string;
  accountManagerId: string;
};

export type OrgRefs = {
  departments: Record<string, string>;
  teams: Record<string, string>;
  /** username → user id, every staff user */
  users: Record<string, string>;
  /** account manager user ids in a stable order */
  accountManagerIds: string[];
};

export type CustomerRefs = {
  /** fixture key → customer id (see DEMO_CUSTOMER_FIXTURES) */
  fixtures: Record<string, string>;
  customers: number;
  identities: number;
};

/** Ids produced by earlier modules; each module adds its own part. */
export type SeedRefs = {
  org?: OrgRefs;
  areas?: SeededArea[];
  customers?: CustomerRefs;
};

export type SeedContext = {
  db: Kysely<DB>;
  /** The root stream; each module forks its own so modules stay independent. */
  rng: Rng;
  now: Date;
  brandId: string;
  demoPasswordHash: string;
  refs: SeedRefs;
};

export function requireRef<K extends keyof SeedRefs>(refs: SeedRefs, key: K): NonNullable<SeedRefs[K]> {
  const value = refs[key];
  if (!value) throw new Error(`seed module order: "${key}" must be seeded first`);
  return value as NonNullable<SeedRefs[K]>;
}

const DAY_MS = 86_400_000;

export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Inserts rows in chunks so one statement never carries too many parameters. */
export async function insertInChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}
