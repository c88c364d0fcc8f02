import { ZConversation, ZMessage, ZMessageListQuery, ZPage, ZWidgetConfig, ZWidgetLeaveMessageRequest, ZWidgetMessageRequest, ZWidgetSession, ZWidgetSessionRequest, ZWidgetStartRequest } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRateLimiter, limitByIp } from '../../platform/rate-limit.ts';
import { AppError } from '../../platform/errors.ts';
import { readUpload } from './chat-upload.ts';
import type { ChatFiles } from './chat-files.ts';
import type { ConversationsService } from './conversations.service.ts';
import type { WidgetService } from './widget.service.ts';

/** Public endpoints of the web chat widget: rate-limited per IP and per visitor, small bodies. */
export const widgetRoutes: FastifyPluginAsyncZod<{
  widget: WidgetService;
  conversations: ConversationsService;
  files: ChatFiles;
  limits?: { perMinute: number; sessionsPerMinute: number };
}> = async (app, { widget, conversations, files, limits }) => {
  const tags = ['widget'];
  const general = createRateLimiter({ windowMs: 60_000, max: limits?.perMinute ?? 120 });
  const sessions = createRateLimiter({ windowMs: 60_000, max: limits?.sessionsPerMinute ?? 20 });
  const perVisitor = createRateLimiter({ windowMs: 60_000, max: limits?.perMinute ?? 120 });
  const ip = limitByIp(general, 'widget');
  const visitorOf = (headers: Record<string, unknown>) => {
    const token = headers['x-visitor-token'];
    const v = widget.authenticate(typeof token === 'string' ? token : undefined);
    const retry = perVisitor.hit(v.visitorId);
    if (retry !== null) throw new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds: retry });
    return v;
  };
  const small = { bodyLimit: 16 * 1024 };
  // The widget runs on other sites: it authenticates with x-visitor-token, never cookies, so any
  // origin may call these routes (CORS with preflight).
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/v1/widget/')) reply.header('access-control-allow-origin', '*');
  });
  app.options('/widget/*', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, x-visitor-token')
      .header('access-control-max-age', '600')
      .send(),
  );
  const ZChannelParams = z.strictObject({ channelId: z.uuid() });

  app.get('/widget/channels/:channelId/config', { schema: { tags, params: ZChannelParams, response: { 200: ZWidgetConfig } }, config: { access: 'public' }, preHandler: ip }, (req) =>
    widget.config(req.params.channelId),
  );
  app.post('/widget/sessions', { ...small, schema: { tags, body: ZWidgetSessionRequest, response: { 200: ZWidgetSession } }, config: { access: 'public' }, preHandler: [ip, limitByIp(sessions, 'widget-session')] }, (req) =>
    widget.session(req.body),
  );
  app.post('/widget/conversations', { ...small, schema: { tags, body: ZWidgetStartRequest, response: { 200: ZConversation } }, config: { access: 'public' }, preHandler: ip }, (req) =>
    widget.start(visitorOf(req.headers), req.body),
  );
  app.get(
    '/widget/conversations/:id/messages',
    { schema: { tags, params: z.strictObject({ id: z.uuid() }), querystring: ZMessageListQuery.omit({ includeInternal: true }), response: { 200: ZPage(ZMessage) } }, config: { access: 'public' }, preHandler: ip },
    (req) => {
      const v = visitorOf(req.headers);
      return conversations.messages({ kind: 'visitor', visitorId: v.visitorId, brandId: v.brandId }, req.params.id, req.query);
    },
  );
  app.post('/widget/messages', { ...small, schema: { tags, body: ZWidgetMessageRequest, response: { 201: ZMessage } }, config: { access: 'public' }, preHandler: ip }, async (req, reply) => {
    const v = visitorOf(req.headers);
    const m = await conversations.send({ kind: 'visitor', visitorId: v.visitorId, brandId: v.brandId }, req.body.conversationId, { text: req.body.text, clientMsgId: req.body.clientMsgId });
    return reply.code(201).send(m);
  });
  app.post(
    '/widget/conversations/:id/attachments',
    { schema: { tags, params: z.strictObject({ id: z.uuid() }), response: { 201: ZMessage } }, config: { access: 'public' }, preHandler: ip },
    async (req, reply) => {
      const v = visitorOf(req.headers);
      const { fileName, data } = await readUpload(req);
      return reply.code(201).send(await files.upload({ kind: 'visitor', visitorId: v.visitorId, brandId: v.brandId }, req.params.id, fileName, data));
    },
  );
  app.get('/chat-files/:fileId', { schema: { hide: true, params: z.strictObject({ fileId: z.uuid() }) }, config: { access: 'public' }, preHandler: ip }, async (req, reply) => {
    const { row, data, inline } = await files.read(req.params.fileId);
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(row.file_name)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400')
      .header('access-control-allow-origin', '*')
      .send(data);
  });
  app.post('/widget/conversations/:id/end', { ...small, schema: { tags, params: z.strictObject({ id: z.uuid() }), response: { 204: z.null() } }, config: { access: 'public' }, preHandler: ip }, async (req, reply) => {
    await widget.end(visitorOf(req.headers), req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/widget/leave-message',
    { ...small, schema: { tags, body: ZWidgetLeaveMessageRequest, response: { 201: z.object({ id: z.string(), dueAt: z.string() }) } }, config: { access: 'public' }, preHandler: [ip, limitByIp(sessions, 'widget-leave')] },
    async (req, reply) => reply.code(201).send(await widget.leaveMessage(visitorOf(req.headers), req.body)),
  );
};
