import {
  TICKET_PRIORITIES,
  ZAddNoteRequest,
  ZCategoryNode,
  ZCreateTicketRequest,
  ZIdParams,
  ZItems,
  ZPage,
  ZTicket,
  ZDispatchRequest,
  ZTicketActionRequest,
  ZTicketDetail,
  ZTransitionRequest,
  ZUrgeRequest,
  ZTicketEvent,
  ZTicketListQuery,
  ZTicketSummary,
} from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { TicketsService } from './tickets.service.ts';

const tags = ['tickets'];

export const ticketsRoutes: FastifyPluginAsyncZod<{ tickets: TicketsService }> = async (app, { tickets }) => {
  app.get('/tickets', { schema: { tags, querystring: ZTicketListQuery, response: { 200: ZPage(ZTicketSummary) } }, config: { access: 'ticket:read' } }, (req) =>
    tickets.listTickets(requireAuth(req), req.query, /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh'),
  );

  app.post(
    '/tickets',
    {
      schema: {
        tags,
        description: 'Records a work order (受理). In the urging category an existing open order of the customer is urged instead (200, outcome "urged").',
        body: ZCreateTicketRequest,
        response: { 201: ZTicket.extend({ outcome: z.literal('created') }), 200: ZTicket.extend({ outcome: z.literal('urged') }) },
      },
      config: { access: 'ticket:create' },
    },
    async (req, reply) => {
      const ctx = requestContext(req);
      const result = await tickets.createTicket(ctx, req.body);
      const ticket = await tickets.getTicket(ctx.auth, result.id);
      return result.outcome === 'created' ? reply.code(201).send({ ...ticket, outcome: 'created' as const }) : reply.code(200).send({ ...ticket, outcome: 'urged' as const });
    },
  );

  app.get(
    '/ticket-categories',
    { schema: { tags, response: { 200: ZItems(ZCategoryNode) } }, config: { access: 'authenticated' } },
    (req) => tickets.getCategoryTree(requireAuth(req)),
  );

  app.get(
    '/tickets/dispatch-suggestion',
    {
      schema: {
        tags,
        querystring: z.strictObject({ categoryCode: z.string().min(1).max(80), areaId: z.uuid().optional(), priority: z.enum(TICKET_PRIORITIES).default('normal') }),
        response: { 200: z.object({ department: z.object({ id: z.string(), name: z.string() }).nullable(), assigneeId: z.string().nullable().optional() }) },
      },
      config: { access: 'ticket:read' },
    },
    (req) => tickets.suggestDispatch(requireAuth(req), req.query.categoryCode, req.query.areaId, req.query.priority),
  );

  app.post(
    '/tickets/bulk-dispatch',
    {
      schema: {
        tags,
        description: 'Dispatches up to 200 orders at once (each in its own transaction); answers one result per order.',
        body: z.strictObject({ ticketIds: z.array(z.uuid()).min(1).max(200), departmentId: z.uuid().optional(), assigneeId: z.uuid().optional(), instructions: z.string().max(2000).optional() }),
        response: {
          200: z.object({
            dispatched: z.number(),
            results: z.array(z.object({ ticketId: z.string(), ok: z.boolean(), status: z.string().optional(), number: z.string().optional(), error: z.object({ code: z.string(), message: z.string() }).optional() })),
          }),
        },
      },
      config: { access: 'ticket:dispatch' },
    },
    (req) => tickets.bulkDispatch(requestContext(req), [...new Set(req.body.ticketIds)], { departmentId: req.body.departmentId, assigneeId: req.body.assigneeId, note: req.body.instructions }),
  );

  app.get(
    '/tickets/board',
    {
      schema: {
        tags,
        description: 'Open orders by status, SLA state and department (the supervisor board).',
        response: {
          200: z.object({
            byStatus: z.record(z.string(), z.number()),
            bySla: z.record(z.string(), z.number()),
            byDepartment: z.array(z.object({ departmentId: z.string().nullable(), name: z.string().nullable(), open: z.number(), atRisk: z.number(), breached: z.number() })),
            awaitingDispatch: z.number(),
          }),
        },
      },
      config: { access: 'ticket:read' },
    },
    (req) => tickets.getBoard(requireAuth(req)),
  );

  app.get('/tickets/:id', { schema: { tags, params: ZIdParams, response: { 200: ZTicketDetail } }, config: { access: 'ticket:read' } }, async (req) => {
    const auth = requireAuth(req);
    const ticket = await tickets.getTicket(auth, req.params.id);
    return { ...ticket, timeline: (await tickets.listEvents(auth, req.params.id)).items };
  });

  app.post(
    '/tickets/:id/transitions',
    {
      schema: {
        tags,
        description: 'Moves the order to a target status (contract form of /actions); `note` becomes the handling result, reply, or reason the move needs.',
        params: ZIdParams,
        body: ZTransitionRequest,
        response: { 200: ZTicket },
      },
      config: { access: 'ticket:read' },
    },
    (req) => tickets.transitionTo(requestContext(req), req.params.id, req.body.to, req.body.note, req.body.expectedVersion),
  );

  app.post(
    '/tickets/:id/dispatch',
    {
      schema: { tags, description: 'Dispatches (or re-dispatches) to a department and optionally a person; without departmentId the dispatch rules choose.', params: ZIdParams, body: ZDispatchRequest, response: { 200: ZTicket } },
      config: { access: 'ticket:dispatch' },
    },
    (req) =>
      tickets.act(
        requestContext(req),
        req.params.id,
        {
          type: 'dispatch',
          ...(req.body.departmentId ? { departmentId: req.body.departmentId } : {}),
          ...(req.body.assigneeId ? { assigneeId: req.body.assigneeId } : {}),
          ...(req.body.instructions ? { note: req.body.instructions } : {}),
        },
        req.body.expectedVersion,
      ),
  );

  app.post(
    '/tickets/:id/urge',
    { schema: { tags, description: 'Urges (催办) an open order: counted, raises urgency, notifies its handlers.', params: ZIdParams, body: ZUrgeRequest, response: { 200: ZTicket } }, config: { access: 'ticket:update' } },
    (req) => tickets.act(requestContext(req), req.params.id, { type: 'urge', ...(req.body.note ? { note: req.body.note } : {}) }),
  );

  app.get('/tickets/:id/events', { schema: { tags, params: ZIdParams, response: { 200: ZItems(ZTicketEvent) } }, config: { access: 'ticket:read' } }, (req) =>
    tickets.listEvents(requireAuth(req), req.params.id),
  );

  app.post(
    '/tickets/:id/actions',
    {
      schema: {
        tags,
        description: 'Moves the order through its lifecycle (dispatch, accept_dispatch, arrive, handle, return, reply, resolve_at_first_contact, follow_up, archive, reopen, urge, pause, resume). Refused moves are 409 ticket.transition_refused.',
        params: ZIdParams,
        body: ZTicketActionRequest,
        response: { 200: ZTicket },
      },
      config: { access: 'ticket:read' },
    },
    (req) => tickets.act(requestContext(req), req.params.id, req.body.action, req.body.expectedVersion),
  );

  app.post('/tickets/:id/notes', { schema: { tags, params: ZIdParams, body: ZAddNoteRequest, response: { 200: ZTicket } }, config: { access: 'ticket:read' } }, (req) =>
    tickets.addNote(requestContext(req), req.params.id, req.body.body, req.body.visibility),
  );
};
