import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Contact-reason and work-order-category classifier: train, evaluate, suggest.
export type ClassifyDeps = { db: Kysely<DB>; clock: () => Date };

export const classifyRoutes: FastifyPluginAsyncZod<ClassifyDeps> = async () => {};
