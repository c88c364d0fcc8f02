import { ZChannel, ZCtiSettingsRequest, ZCurrentCall, ZIdParams, ZItems, ZLinkCallCustomerRequest, ZOriginateRequest, ZOrigination, ZScreenPop } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext } from '../../../platform/access.ts';
import type { CtiAgent } from './cti.agent.ts';
import type { createCtiSettings } from './cti.settings.ts';

/** Agents' phone calls: screen pop, linking the caller to the archive, click-to-call (docs/cti.md). */
export const ctiAgentRoutes: FastifyPluginAsyncZod<{ calls: CtiAgent; settings: ReturnType<typeof createCtiSettings> }> = async (app, { calls, settings }) => {
  const tags = ['calls'];
  app.get('/calls/current', { schema: { tags, response: { 200: ZItems(ZCurrentCall) } }, config: { access: 'contact:handle' } }, (req) => calls.current(requestContext(req)));
  app.get('/calls/:id/screen-pop', { schema: { tags, params: ZIdParams, response: { 200: ZScreenPop } }, config: { access: 'contact:handle' } }, (req) =>
    calls.screenPop(requestContext(req), req.params.id),
  );
  app.post('/calls/:id/customer', { schema: { tags, params: ZIdParams, body: ZLinkCallCustomerRequest, response: { 200: ZScreenPop } }, config: { access: 'contact:handle' } }, (req) =>
    calls.linkCustomer(requestContext(req), req.params.id, req.body),
  );
  app.post('/calls/originate', { schema: { tags, body: ZOriginateRequest, response: { 202: ZOrigination } }, config: { access: 'contact:handle' } }, async (req, reply) =>
    reply.code(202).send(await calls.originate(requestContext(req), req.body)),
  );
  app.put('/channels/:id/cti-settings', { schema: { tags: ['channels'], params: ZIdParams, body: ZCtiSettingsRequest, response: { 200: ZChannel } }, config: { access: 'routing:manage' } }, (req) =>
    settings(requestContext(req), req.params.id, req.body),
  );
};
