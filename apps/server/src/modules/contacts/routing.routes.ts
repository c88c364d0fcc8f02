import { ZAgentSummary, ZCallbackTask, ZCompleteCallbackRequest, ZCreateQueueRequest, ZCreateReasonCodeRequest, ZIdParams, ZItems, ZQueue, ZReasonCode, ZUpdateQueueRequest, ZWall } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { RoutingAdmin } from './routing.admin.ts';

/** Queues, wrap-up reason codes, callback tasks and the supervisor wall (scripts: modules/scripts). */
export const routingRoutes: FastifyPluginAsyncZod<{ admin: RoutingAdmin }> = async (app, { admin }) => {
  const tags = ['routing'];
  app.get('/queues', { schema: { tags, response: { 200: ZItems(ZQueue) } }, config: { access: 'contact:read' } }, (req) => admin.listQueues(requireAuth(req)));
  app.post('/queues', { schema: { tags, body: ZCreateQueueRequest, response: { 201: ZQueue } }, config: { access: 'routing:manage' } }, async (req, reply) =>
    reply.code(201).send(await admin.createQueue(requestContext(req), req.body)),
  );
  app.patch('/queues/:id', { schema: { tags, params: ZIdParams, body: ZUpdateQueueRequest, response: { 200: ZQueue } }, config: { access: 'routing:manage' } }, (req) =>
    admin.updateQueue(requestContext(req), req.params.id, req.body),
  );
  app.get('/reason-codes', { schema: { tags, response: { 200: ZItems(ZReasonCode) } }, config: { access: 'contact:read' } }, (req) => admin.listReasonCodes(requireAuth(req)));
  app.post('/reason-codes', { schema: { tags, body: ZCreateReasonCodeRequest, response: { 201: ZReasonCode } }, config: { access: 'routing:manage' } }, async (req, reply) =>
    reply.code(201).send(await admin.createReasonCode(requestContext(req), req.body)),
  );
  app.get(
    '/callbacks',
    {
      schema: { tags, querystring: z.strictObject({ status: z.enum(['open', 'done', 'cancelled']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) }), response: { 200: ZItems(ZCallbackTask) } },
      config: { access: 'contact:handle' },
    },
    (req) => admin.listCallbacks(requireAuth(req), req.query.status, req.query.limit),
  );
  app.post('/callbacks/:id/complete', { schema: { tags, params: ZIdParams, body: ZCompleteCallbackRequest, response: { 200: ZCallbackTask } }, config: { access: 'contact:handle' } }, (req) =>
    admin.completeCallback(requestContext(req), req.params.id, req.body),
  );
  app.get('/agents', { schema: { tags, response: { 200: ZItems(ZAgentSummary) } }, config: { access: 'contact:handle' } }, (req) => admin.listAgents(requireAuth(req)));
  app.get('/routing/wall', { schema: { tags, response: { 200: ZWall } }, config: { access: 'contact:supervise' } }, (req) => admin.wall(requireAuth(req)));
};
