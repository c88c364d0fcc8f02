import { ZBotChannel, ZBotChannelSettings, ZBotStats, ZBotStatsQuery, ZBotTurn, ZBotTurnsQuery, ZBotUnanswered, ZBotUnansweredPatch, ZBotUnansweredQuery, ZIdParams, ZItems } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { BotAdmin } from './bot.admin.ts';

/** The bot's reports and settings. Unanswered questions: bot:manage or kb:write (checked by the service). */
export const botRoutes: FastifyPluginAsyncZod<{ admin: BotAdmin }> = async (app, { admin }) => {
  const tags = ['bot'];
  app.get('/bot/unanswered', { schema: { tags, querystring: ZBotUnansweredQuery, response: { 200: ZItems(ZBotUnanswered) } }, config: { access: 'authenticated' } }, (req) =>
    admin.listUnanswered(requireAuth(req), req.query),
  );
  app.patch('/bot/unanswered/:id', { schema: { tags, params: ZIdParams, body: ZBotUnansweredPatch, response: { 200: ZBotUnanswered } }, config: { access: 'authenticated' } }, (req) =>
    admin.updateUnanswered(requestContext(req), req.params.id, req.body),
  );
  app.get('/bot/turns', { schema: { tags, querystring: ZBotTurnsQuery, response: { 200: ZItems(ZBotTurn) } }, config: { access: 'contact:read' } }, (req) => admin.listTurns(requireAuth(req), req.query));
  app.get('/bot/stats', { schema: { tags, querystring: ZBotStatsQuery, response: { 200: ZBotStats } }, config: { access: 'contact:read' } }, (req) => admin.stats(requireAuth(req), req.query));
  app.get('/bot/channels', { schema: { tags, response: { 200: ZItems(ZBotChannel) } }, config: { access: 'bot:manage' } }, (req) => admin.listChannels(requireAuth(req)));
  app.patch(
    '/bot/channels/:channelId',
    { schema: { tags, params: z.strictObject({ channelId: z.uuid() }), body: ZBotChannelSettings, response: { 200: ZBotChannel } }, config: { access: 'bot:manage' } },
    (req) => admin.updateChannel(requestContext(req), req.params.channelId, req.body),
  );
};
