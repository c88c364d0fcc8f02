import { ZCreateScriptRequest, ZIdParams, ZItems, ZListScriptsQuery, ZPreviewScriptRequest, ZRenderedScript, ZRenderScriptRequest, ZScript, ZScriptPreview, ZScriptUsage, ZUpdateScriptRequest } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { ScriptsService } from './scripts.service.ts';

/** Standard scripts (标准话术): the library, its editor, and rendering for the reply box. */
export const scriptsRoutes: FastifyPluginAsyncZod<{ scripts: ScriptsService }> = async (app, { scripts }) => {
  const tags = ['scripts'];
  app.get('/scripts', { schema: { tags, querystring: ZListScriptsQuery, response: { 200: ZItems(ZScript) } }, config: { access: 'kb:read' } }, (req) =>
    scripts.list(requireAuth(req), req.query),
  );
  app.post('/scripts', { schema: { tags, body: ZCreateScriptRequest, response: { 201: ZScript } }, config: { access: 'kb:write' } }, async (req, reply) =>
    reply.code(201).send(await scripts.create(requestContext(req), req.body)),
  );
  app.post('/scripts/preview', { schema: { tags, body: ZPreviewScriptRequest, response: { 200: ZScriptPreview } }, config: { access: 'kb:read' } }, (req) =>
    scripts.preview(requireAuth(req), req.body),
  );
  app.get('/scripts/:id', { schema: { tags, params: ZIdParams, response: { 200: ZScript } }, config: { access: 'kb:read' } }, (req) => scripts.get(requireAuth(req), req.params.id));
  app.patch('/scripts/:id', { schema: { tags, params: ZIdParams, body: ZUpdateScriptRequest, response: { 200: ZScript } }, config: { access: 'kb:write' } }, (req) =>
    scripts.update(requestContext(req), req.params.id, req.body),
  );
  app.delete('/scripts/:id', { schema: { tags, params: ZIdParams, response: { 200: ZScript } }, config: { access: 'kb:write' } }, (req) =>
    scripts.deactivate(requestContext(req), req.params.id),
  );
  app.post('/scripts/:id/render', { schema: { tags, params: ZIdParams, body: ZRenderScriptRequest, response: { 200: ZRenderedScript } }, config: { access: 'kb:read' } }, (req) =>
    scripts.render(requestContext(req), req.params.id, req.body),
  );
  app.post('/scripts/:id/use', { schema: { tags, params: ZIdParams, response: { 200: ZScriptUsage } }, config: { access: 'kb:read' } }, (req) =>
    scripts.use(requireAuth(req), req.params.id),
  );
};
