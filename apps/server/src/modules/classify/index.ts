import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { classifyModelRoutes } from './classify.routes.ts';
import { createClassifyService } from './classify.service.ts';

// Contact-reason and work-order-category classifier: train, evaluate, suggest.
export type ClassifyDeps = { db: Kysely<DB>; clock: () => Date };
export { type ClassifyService, createClassifyService } from './classify.service.ts';

export const classifyRoutes: FastifyPluginAsyncZod<ClassifyDeps> = async (app, deps) => {
  await app.register(classifyModelRoutes, { classify: createClassifyService(deps) });
};
