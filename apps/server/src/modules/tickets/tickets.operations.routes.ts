import { ZIdParams, ZItems, ZTicket } from '@kefu/contracts';
import { ESCALATION_LEVELS } from '@kefu/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { TicketOperations } from './tickets.operations.ts';

const ZIncident = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  areaIds: z.array(z.string()),
  startedAt: z.string(),
  expectedRestoreAt: z.string().nullable(),
  status: z.string(),
  description: z.string(),
  resolution: z.string().nullable(),
  departmentId: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  linkedTickets: z.number(),
  openTickets: z.number(),
});
const ZText = (max: number) => z.string().trim().min(1).max(max);

export const ticketOperationsRoutes: FastifyPluginAsyncZod<{ operations: TicketOperations }> = async (app, { operations }) => {
  const tags = ['incidents'];
  app.get(
    '/incidents',
    { schema: { tags, querystring: z.strictObject({ status: z.enum(['active', 'resolved', 'closed']).optional() }), response: { 200: ZItems(ZIncident) } }, config: { access: 'ticket:read' } },
    (req) => operations.listIncidents(requireAuth(req), req.query.status),
  );
  app.get(
    '/incidents/match',
    { schema: { tags, querystring: z.strictObject({ areaId: z.uuid(), categoryCode: z.string().min(1).max(80) }), response: { 200: ZItems(ZIncident) } }, config: { access: 'ticket:read' } },
    (req) => operations.matchIncidents(requireAuth(req), req.query.areaId, req.query.categoryCode),
  );
  app.post(
    '/incidents',
    {
      schema: {
        tags,
        body: z.strictObject({
          title: ZText(200),
          areaIds: z.array(z.uuid()).min(1).max(50),
          description: z.string().max(5000).optional(),
          startedAt: z.iso.datetime({ offset: true }).optional(),
          expectedRestoreAt: z.iso.datetime({ offset: true }).optional(),
          departmentId: z.uuid().optional(),
        }),
        response: { 201: ZIncident },
      },
      config: { access: 'ticket:dispatch' },
    },
    async (req, reply) => reply.code(201).send(await operations.createIncident(requestContext(req), req.body)),
  );
  app.get('/incidents/:id', { schema: { tags, params: ZIdParams, response: { 200: ZIncident } }, config: { access: 'ticket:read' } }, async (req) =>
    (await operations.getIncident(requireAuth(req), req.params.id)) as z.infer<typeof ZIncident>,
  );
  app.patch(
    '/incidents/:id',
    {
      schema: {
        tags,
        params: ZIdParams,
        body: z.strictObject({ title: ZText(200).optional(), description: z.string().max(5000).optional(), expectedRestoreAt: z.iso.datetime({ offset: true }).nullable().optional() }),
        response: { 200: ZIncident },
      },
      config: { access: 'ticket:dispatch' },
    },
    async (req) => (await operations.updateIncident(requestContext(req), req.params.id, req.body)) as z.infer<typeof ZIncident>,
  );
  app.post(
    '/incidents/:id/resolve',
    {
      schema: {
        tags,
        description: 'Replies to (mode reply) or closes (mode close) every linked order in one action; each order gets its own timeline entries.',
        params: ZIdParams,
        body: z.strictObject({ mode: z.enum(['reply', 'close']), departmentId: z.uuid(), result: ZText(2000), message: ZText(2000), followUpNote: z.string().max(2000).optional() }),
        response: {
          200: z.object({
            status: z.string(),
            counts: z.object({ updated: z.number(), unchanged: z.number(), refused: z.number() }),
            tickets: z.array(z.object({ ticketId: z.string(), outcome: z.string(), reason: z.string().optional() })),
          }),
        },
      },
      config: { access: 'ticket:dispatch' },
    },
    (req) => operations.resolveIncident(requestContext(req), req.params.id, req.body),
  );
  app.post(
    '/tickets/:id/incident',
    { schema: { tags, params: ZIdParams, body: z.strictObject({ incidentId: z.uuid() }), response: { 200: ZTicket } }, config: { access: 'ticket:update' } },
    (req) => operations.linkTicket(requestContext(req), req.params.id, req.body.incidentId),
  );
  app.post(
    '/tickets/:id/merge',
    {
      schema: { tags: ['tickets'], params: ZIdParams, body: z.strictObject({ duplicateIds: z.array(z.uuid()).min(1).max(20), reason: ZText(500) }), response: { 200: ZTicket } },
      config: { access: 'ticket:update' },
    },
    (req) => operations.mergeTickets(requestContext(req), req.params.id, req.body.duplicateIds, req.body.reason),
  );
  app.post(
    '/tickets/:id/split',
    {
      schema: {
        tags: ['tickets'],
        params: ZIdParams,
        body: z.strictObject({
          reason: ZText(500),
          parts: z.array(z.strictObject({ categoryCode: z.string().min(1).max(80), description: ZText(5000), title: z.string().max(120).optional() })).min(1).max(10),
        }),
        response: { 201: ZItems(ZTicket) },
      },
      config: { access: 'ticket:update' },
    },
    async (req, reply) => reply.code(201).send(await operations.splitTicket(requestContext(req), req.params.id, req.body.parts, req.body.reason)),
  );
  app.post(
    '/tickets/:id/escalate',
    {
      schema: { tags: ['tickets'], params: ZIdParams, body: z.strictObject({ reason: ZText(1000), to: z.enum(ESCALATION_LEVELS).optional() }), response: { 200: ZTicket } },
      config: { access: 'ticket:update' },
    },
    (req) => operations.escalateTicket(requestContext(req), req.params.id, req.body.reason, req.body.to),
  );
};
