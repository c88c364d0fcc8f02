import { ZCreateChannelRequest, ZCreatedChannel, ZChannel, ZDecideQuarantineRequest, ZIdParams, ZItems, ZQuarantinedMessage, ZUpdateChannelRequest } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { ChannelsAdmin } from './channels.admin.ts';

/** Channel administration (every type) and the quarantine of unverified inbound messages. */
export const channelsRoutes: FastifyPluginAsyncZod<{ admin: ChannelsAdmin }> = async (app, { admin }) => {
  const tags = ['channels'];
  app.get('/channels', { schema: { tags, response: { 200: ZItems(ZChannel) } }, config: { access: 'routing:manage' } }, (req) => admin.list(requireAuth(req)));
  app.post('/channels', { schema: { tags, body: ZCreateChannelRequest, response: { 201: ZCreatedChannel } }, config: { access: 'routing:manage' } }, async (req, reply) =>
    reply.code(201).send(await admin.create(requestContext(req), req.body)),
  );
  app.patch('/channels/:id', { schema: { tags, params: ZIdParams, body: ZUpdateChannelRequest, response: { 200: ZChannel } }, config: { access: 'routing:manage' } }, (req) =>
    admin.update(requestContext(req), req.params.id, req.body),
  );
  app.get(
    '/channel-quarantine',
    { schema: { tags, querystring: z.strictObject({ status: z.enum(['open', 'accepted', 'rejected']).default('open') }), response: { 200: ZItems(ZQuarantinedMessage) } }, config: { access: 'contact:handle' } },
    (req) => admin.listQuarantine(requireAuth(req), req.query.status),
  );
  app.post('/channel-quarantine/:id/decision', { schema: { tags, params: ZIdParams, body: ZDecideQuarantineRequest, response: { 200: ZQuarantinedMessage } }, config: { access: 'contact:handle' } }, (req) =>
    admin.decideQuarantine(requestContext(req), req.params.id, req.body.decision),
  );
};
