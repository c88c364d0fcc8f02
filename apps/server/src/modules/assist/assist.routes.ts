import { ZAssistSuggestions, ZIdParams } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAuth } from '../../platform/access.ts';
import type { AssistService } from './assist.service.ts';

/** GET /conversations/:id/assist — the agent side panel's suggestions, recomputed on every call. */
export const assistRoutes: FastifyPluginAsyncZod<{ assist: AssistService }> = async (app, { assist }) => {
  app.get(
    '/conversations/:id/assist',
    { schema: { tags: ['assist'], params: ZIdParams, response: { 200: ZAssistSuggestions } }, config: { access: 'kb:read' } },
    (req) => assist.forConversation(requireAuth(req), req.params.id),
  );
};
