import {
  ZCreateKbArticleRequest,
  ZCreateKbCategoryRequest,
  ZIdParams,
  ZItems,
  ZKbArticle,
  ZKbArticleGetQuery,
  ZKbArticleListQuery,
  ZKbArticleSummary,
  ZKbAttachment,
  ZKbCategory,
  ZKbDiff,
  ZKbDiffParams,
  ZKbDiffQuery,
  ZKbEvent,
  ZKbFeedbackRequest,
  ZKbFeedbackResult,
  ZKbRollbackRequest,
  ZKbStats,
  ZKbStatsQuery,
  ZKbTransitionRequest,
  ZKbUsageRequest,
  ZKbVersion,
  ZPage,
  ZUpdateKbArticleRequest,
  ZUpdateKbCategoryRequest,
} from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { type KbAttachments, MAX_ATTACHMENT_BYTES, sendAttachment } from './kb.attachments.ts';
import type { KbService } from './kb.service.ts';

/** Knowledge base API under /api/v1/kb. Permission per route; the service applies the review rules. */
export const kbApiRoutes: FastifyPluginAsyncZod<{ kb: KbService; attachments: KbAttachments }> = async (app, { kb, attachments }) => {
  const tags = ['kb'];
  app.post('/kb/articles', { schema: { tags, body: ZCreateKbArticleRequest, response: { 201: ZKbArticle } }, config: { access: 'kb:write' } }, async (req, reply) =>
    reply.code(201).send(await kb.createArticle(requestContext(req), req.body)),
  );
  app.get('/kb/articles', { schema: { tags, querystring: ZKbArticleListQuery, response: { 200: ZPage(ZKbArticleSummary) } }, config: { access: 'kb:read' } }, (req) =>
    kb.listArticles(requireAuth(req), req.query),
  );
  app.get('/kb/articles/:id', { schema: { tags, params: ZIdParams, querystring: ZKbArticleGetQuery, response: { 200: ZKbArticle } }, config: { access: 'kb:read' } }, (req) =>
    kb.getArticle(requireAuth(req), req.params.id, req.query.view === '1'),
  );
  app.patch('/kb/articles/:id', { schema: { tags, params: ZIdParams, body: ZUpdateKbArticleRequest, response: { 200: ZKbArticle } }, config: { access: 'kb:write' } }, (req) =>
    kb.updateArticle(requestContext(req), req.params.id, req.body),
  );
  // kb:read so the service answers with the precise refusal (kb.publish_required / auth.forbidden).
  app.post('/kb/articles/:id/transitions', { schema: { tags, params: ZIdParams, body: ZKbTransitionRequest, response: { 200: ZKbArticle } }, config: { access: 'kb:read' } }, (req) =>
    kb.transition(requestContext(req), req.params.id, req.body.action, req.body.note),
  );
  app.get('/kb/articles/:id/versions', { schema: { tags, params: ZIdParams, response: { 200: ZItems(ZKbVersion) } }, config: { access: 'kb:read' } }, (req) =>
    kb.listVersions(requireAuth(req), req.params.id),
  );
  app.get('/kb/articles/:id/versions/:v/diff', { schema: { tags, params: ZKbDiffParams, querystring: ZKbDiffQuery, response: { 200: ZKbDiff } }, config: { access: 'kb:read' } }, (req) =>
    kb.diffVersions(requireAuth(req), req.params.id, req.params.v, req.query.against),
  );
  app.post('/kb/articles/:id/rollback', { schema: { tags, params: ZIdParams, body: ZKbRollbackRequest, response: { 200: ZKbArticle } }, config: { access: 'kb:write' } }, (req) =>
    kb.rollback(requestContext(req), req.params.id, req.body.version, req.body.note),
  );
  app.get('/kb/articles/:id/events', { schema: { tags, params: ZIdParams, response: { 200: ZItems(ZKbEvent) } }, config: { access: 'kb:read' } }, (req) =>
    kb.listEvents(requireAuth(req), req.params.id),
  );
  app.post('/kb/articles/:id/feedback', { schema: { tags, params: ZIdParams, body: ZKbFeedbackRequest, response: { 200: ZKbFeedbackResult } }, config: { access: 'authenticated' } }, (req) =>
    kb.feedback(requestContext(req), req.params.id, req.body.helpful),
  );
  app.post('/kb/articles/:id/usage', { schema: { tags, params: ZIdParams, body: ZKbUsageRequest }, config: { access: 'kb:read' } }, async (req, reply) => {
    await kb.recordUsage(requestContext(req), req.params.id, req.body.kind, req.body.channel);
    return reply.code(204).send();
  });
  app.get('/kb/stats', { schema: { tags, querystring: ZKbStatsQuery, response: { 200: ZKbStats } }, config: { access: 'kb:read' } }, (req) => kb.stats(requireAuth(req), req.query));

  app.get('/kb/categories', { schema: { tags, response: { 200: ZItems(ZKbCategory) } }, config: { access: 'kb:read' } }, (req) => kb.listCategories(requireAuth(req)));
  app.post('/kb/categories', { schema: { tags, body: ZCreateKbCategoryRequest, response: { 201: ZKbCategory } }, config: { access: 'kb:publish' } }, async (req, reply) =>
    reply.code(201).send(await kb.createCategory(requestContext(req), req.body)),
  );
  app.patch('/kb/categories/:id', { schema: { tags, params: ZIdParams, body: ZUpdateKbCategoryRequest, response: { 200: ZKbCategory } }, config: { access: 'kb:publish' } }, (req) =>
    kb.updateCategory(requestContext(req), req.params.id, req.body),
  );

  app.post('/kb/articles/:id/attachments', { schema: { tags, params: ZIdParams, response: { 201: ZKbAttachment } }, config: { access: 'kb:write' } }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('request.unsupported_media_type', 'Upload the file as multipart/form-data field "file"');
    const file = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES } });
    if (!file) throw new AppError('validation.failed', 'No file uploaded', { field: 'file' });
    let data: Buffer;
    try {
      data = await file.toBuffer();
    } catch {
      throw new AppError('attachment.too_large', `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`);
    }
    return reply.code(201).send(await attachments.add(requestContext(req), req.params.id, file.filename, data));
  });
  app.get('/kb/articles/:id/attachments', { schema: { tags, params: ZIdParams, response: { 200: ZItems(ZKbAttachment) } }, config: { access: 'kb:read' } }, (req) =>
    attachments.list(requireAuth(req), req.params.id),
  );
  app.get('/kb/attachments/:id', { schema: { tags, params: ZIdParams }, config: { access: 'kb:read' } }, async (req, reply) => {
    const { row, data } = await attachments.read(requireAuth(req).brandIds, req.params.id, () => true);
    return sendAttachment(reply, row, data, 'private');
  });
};
