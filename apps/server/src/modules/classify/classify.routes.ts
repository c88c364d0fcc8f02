import { ZClassifierModelDetail, ZClassifierModelsQuery, ZClassifierModelSummary, ZIdParams, ZItems, ZSuggestRequest, ZSuggestResponse, ZTrainClassifierRequest } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { ClassifyService } from './classify.service.ts';

/** Classifier models (train, history, evaluation) and suggestions for the desk and order intake. */
export const classifyModelRoutes: FastifyPluginAsyncZod<{ classify: ClassifyService }> = async (app, { classify }) => {
  const tags = ['classify'];
  app.post('/classify/models/train', { schema: { tags, body: ZTrainClassifierRequest, response: { 201: ZClassifierModelDetail } }, config: { access: 'bot:manage' } }, async (req, reply) =>
    reply.code(201).send(await classify.trainModel(requestContext(req), req.body)),
  );
  app.get('/classify/models', { schema: { tags, querystring: ZClassifierModelsQuery, response: { 200: ZItems(ZClassifierModelSummary) } }, config: { access: 'bot:manage' } }, (req) =>
    classify.listModels(requireAuth(req), req.query),
  );
  app.get('/classify/models/:id', { schema: { tags, params: ZIdParams, response: { 200: ZClassifierModelDetail } }, config: { access: 'bot:manage' } }, (req) =>
    classify.getModel(requireAuth(req), req.params.id),
  );
  // contact:handle (wrap-up) or ticket:create (order intake): checked in the service.
  app.post('/classify/suggest', { schema: { tags, body: ZSuggestRequest, response: { 200: ZSuggestResponse } }, config: { access: 'authenticated' } }, (req) =>
    classify.suggest(requestContext(req), req.body),
  );
};
