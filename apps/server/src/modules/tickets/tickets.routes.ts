import {
  TICKET_PRIORITIES,
  ZAddNoteRequest,
  ZCategoryNode,
  ZCreateTicketRequest,
  ZIdParams,
  ZItems,
  ZPage,
  ZTicket,
  ZTicketActionRequest,
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
    tickets.listTickets(requireAuth(req), req.query),
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

  app.get('/tickets/:id', { schema: { tags, params: ZIdParams, response: { 200: ZTicket } }, config: { access: 'ticket:read' } }, (req) =>
    tickets.getTicket(requireAuth(req), req.params.id),
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
