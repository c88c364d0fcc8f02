import { ZCreateSynonymGroupRequest, ZIdParams, ZItems, ZKbSearchQuery, ZKbSearchResponse, ZSearchResponse, ZSynonymGroup, ZUnifiedSearchQuery, type TSearchKind } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { AuthContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { SearchService } from './search.service.ts';
import type { SynonymsService } from './synonyms.service.ts';

// Past orders are searched without the caller's data scope, so only callers who see every order get them.
function mayFindOrders(auth: AuthContext): boolean {
  return auth.permissions.has('ticket:read') && auth.scope === 'all';
}

/** GET /kb/search (stable contract), GET /search (articles, scripts, past orders), synonyms. */
export const searchRoutes: FastifyPluginAsyncZod<{ search: SearchService; synonyms: SynonymsService }> = async (app, { search, synonyms }) => {
  const tags = ['search'];
  app.get('/kb/search', { schema: { tags, querystring: ZKbSearchQuery, response: { 200: ZKbSearchResponse } }, config: { access: 'kb:read' } }, async (req) => {
    const auth = requireAuth(req);
    const q = req.query;
    const hits = await search.search({
      brandIds: auth.brandIds,
      q: q.q,
      audience: q.audience,
      kinds: ['article'],
      limit: q.limit,
      ...(q.language ? { language: q.language } : {}),
      ...(q.categoryId ? { categoryId: q.categoryId } : {}),
      ...(q.tag ? { tags: [q.tag] } : {}),
    });
    return { items: hits };
  });

  app.get('/search', { schema: { tags, querystring: ZUnifiedSearchQuery, response: { 200: ZSearchResponse } }, config: { access: 'kb:read' } }, async (req) => {
    const auth = requireAuth(req);
    const q = req.query;
    let kinds: TSearchKind[] = q.kinds ?? ['article', 'script', 'ticket'];
    if (!mayFindOrders(auth)) {
      if (q.kinds?.includes('ticket')) throw new AppError('auth.forbidden', 'Searching past orders needs ticket:read over all orders', { permission: 'ticket:read' });
      kinds = kinds.filter((k) => k !== 'ticket');
    }
    const hits = await search.search({
      brandIds: auth.brandIds,
      q: q.q,
      audience: q.audience,
      kinds,
      limit: q.limit,
      ...(q.language ? { language: q.language } : {}),
      ...(q.categoryId ? { categoryId: q.categoryId } : {}),
      ...(q.tag ? { tags: [q.tag] } : {}),
    });
    return { items: hits };
  });

  app.get('/kb/synonyms', { schema: { tags, response: { 200: ZItems(ZSynonymGroup) } }, config: { access: 'kb:publish' } }, async (req) => ({
    items: await synonyms.listSynonyms(requireAuth(req)),
  }));
  app.post('/kb/synonyms', { schema: { tags, body: ZCreateSynonymGroupRequest, response: { 201: ZSynonymGroup } }, config: { access: 'kb:publish' } }, async (req, reply) =>
    reply.code(201).send(await synonyms.createSynonyms(requestContext(req), req.body)),
  );
  app.delete('/kb/synonyms/:id', { schema: { tags, params: ZIdParams }, config: { access: 'kb:publish' } }, async (req, reply) => {
    await synonyms.deleteSynonyms(requestContext(req), req.params.id);
    return reply.code(204).send();
  });
};
