import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Knowledge base: articles, categories, versions, review, attachments, usage, help center.
export type KbDeps = { db: Kysely<DB>; clock: () => Date; dataDir: string };

/** Routes under /api/v1 (articles, categories, versions, review, attachments, usage). */
export const kbRoutes: FastifyPluginAsyncZod<KbDeps> = async () => {};

/** Public help center pages outside /api/v1 (server-rendered, SEO-friendly). */
export async function registerHelpCenter(_app: FastifyInstance, _deps: KbDeps): Promise<void> {}
