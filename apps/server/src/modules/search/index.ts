import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// One Chinese-aware search over articles, scripts and resolved orders; scripts; synonyms.
export type SearchDeps = { db: Kysely<DB>; clock: () => Date };

export const searchRoutes: FastifyPluginAsyncZod<SearchDeps> = async () => {};
