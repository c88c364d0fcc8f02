import type { DB } from '@kefu/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { searchRoutes as routes } from './search.routes.ts';
import { createSearchService } from './search.service.ts';
import { createSynonymsService } from './synonyms.service.ts';

// One Chinese-aware search over articles, scripts and resolved orders; the synonym dictionary.
export type SearchDeps = { db: Kysely<DB>; clock: () => Date };
export {
  createSearchService,
  invalidateSynonymCache,
  RESOLVED_TICKET_STATUSES,
  SEARCH_CANDIDATES,
  type SearchHit,
  type SearchKind,
  type SearchOptions,
  type SearchQuery,
  type SearchService,
} from './search.service.ts';
export { createSynonymsService, type SynonymsService } from './synonyms.service.ts';

/** Routes under /api/v1: GET /kb/search, GET /search, /kb/synonyms. */
export const searchRoutes: FastifyPluginAsyncZod<SearchDeps> = async (app, { db, clock }) => {
  await app.register(routes, { search: createSearchService({ db, clock }), synonyms: createSynonymsService({ db, clock }) });
};
