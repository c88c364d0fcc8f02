import {
  ZAbuseRequest,
  ZAgentDesk,
  ZContact,
  ZContactDetail,
  ZContactListQuery,
  ZConversation,
  ZConversationListQuery,
  ZIdParams,
  ZMessage,
  ZMessageListQuery,
  ZPage,
  ZPresence,
  ZSendMessageRequest,
  ZSetPresenceRequest,
  ZTransferRequest,
  ZVersionBody,
  ZWrapUpRequest,
} from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { ChatFiles } from './chat-files.ts';
import { readUpload } from './chat-upload.ts';
import type { ContactsService } from './contacts.service.ts';
import type { ConversationsService } from './conversations.service.ts';

/** Agent desktop, contact actions and the read API over contacts and conversations. */
export const contactsRoutes: FastifyPluginAsyncZod<{ contacts: ContactsService; conversations: ConversationsService; files: ChatFiles }> = async (app, { contacts, conversations, files }) => {
  const tags = ['contacts'];
  app.get('/agent/desk', { schema: { tags, response: { 200: ZAgentDesk } }, config: { access: 'contact:handle' } }, (req) => contacts.desk(requestContext(req)));
  app.put('/agent/presence', { schema: { tags, body: ZSetPresenceRequest, response: { 200: ZPresence } }, config: { access: 'contact:handle' } }, (req) =>
    contacts.setPresence(requestContext(req), req.body),
  );

  const simple = [
    ['accept', contacts.accept],
    ['decline', contacts.decline],
    ['hold', contacts.hold],
    ['resume', contacts.resume],
    ['end', contacts.end],
  ] as const;
  for (const [name, fn] of simple) {
    app.post(
      `/contacts/:id/${name}`,
      { schema: { tags, params: ZIdParams, body: ZVersionBody.optional(), response: { 200: ZContact } }, config: { access: 'contact:handle' } },
      (req) => fn(requestContext(req), req.params.id, { version: req.body?.version }),
    );
  }
  app.post(
    '/contacts/:id/takeover',
    { schema: { tags, params: ZIdParams, body: ZVersionBody.optional(), response: { 200: ZContact } }, config: { access: 'contact:supervise' } },
    (req) => contacts.takeover(requestContext(req), req.params.id, { version: req.body?.version }),
  );
  app.post(
    '/contacts/:id/transfer',
    { schema: { tags, params: ZIdParams, body: ZTransferRequest.extend({ version: z.number().int().min(1).optional() }), response: { 200: ZContact } }, config: { access: 'contact:handle' } },
    (req) => contacts.transfer(requestContext(req), req.params.id, req.body),
  );
  app.post(
    '/contacts/:id/wrap-up',
    { schema: { tags, params: ZIdParams, body: ZWrapUpRequest.extend({ version: z.number().int().min(1).optional() }), response: { 200: ZContact } }, config: { access: 'contact:handle' } },
    (req) => contacts.wrapUp(requestContext(req), req.params.id, req.body),
  );
  app.post(
    '/contacts/:id/abuse',
    { schema: { tags, params: ZIdParams, body: ZAbuseRequest, response: { 200: ZContact } }, config: { access: 'contact:handle' } },
    (req) => contacts.abuse(requestContext(req), req.params.id, req.body),
  );
  app.get('/contacts', { schema: { tags, querystring: ZContactListQuery, response: { 200: ZPage(ZContact) } }, config: { access: 'contact:read' } }, (req) =>
    contacts.list(requestContext(req), req.query),
  );
  app.get('/customers/:id/contacts', { schema: { tags, params: ZIdParams, querystring: ZContactListQuery.omit({ customerId: true }), response: { 200: ZPage(ZContact) } }, config: { access: 'contact:read' } }, (req) =>
    contacts.list(requestContext(req), { ...req.query, customerId: req.params.id }),
  );
  app.get('/contacts/:id', { schema: { tags, params: ZIdParams, response: { 200: ZContactDetail } }, config: { access: 'contact:read' } }, (req) =>
    contacts.get(requestContext(req), req.params.id),
  );

  const conv = ['conversations'];
  app.get('/conversations', { schema: { tags: conv, querystring: ZConversationListQuery, response: { 200: ZPage(ZConversation) } }, config: { access: 'contact:read' } }, (req) =>
    conversations.list(requireAuth(req), req.query),
  );
  app.get('/conversations/:id', { schema: { tags: conv, params: ZIdParams, response: { 200: ZConversation } }, config: { access: 'contact:read' } }, (req) =>
    conversations.get({ kind: 'staff', auth: requireAuth(req) }, req.params.id),
  );
  app.get(
    '/conversations/:id/messages',
    { schema: { tags: conv, params: ZIdParams, querystring: ZMessageListQuery, response: { 200: ZPage(ZMessage) } }, config: { access: 'contact:read' } },
    (req) => conversations.messages({ kind: 'staff', auth: requireAuth(req) }, req.params.id, req.query),
  );
  app.post(
    '/conversations/:id/messages',
    { schema: { tags: conv, params: ZIdParams, body: ZSendMessageRequest, response: { 201: ZMessage } }, config: { access: 'contact:read' } },
    async (req, reply) => reply.code(201).send(await conversations.send({ kind: 'staff', auth: requireAuth(req) }, req.params.id, req.body)),
  );
  app.post('/conversations/:id/attachments', { schema: { tags: conv, params: ZIdParams, response: { 201: ZMessage } }, config: { access: 'contact:handle' } }, async (req, reply) => {
    const { fileName, data } = await readUpload(req);
    return reply.code(201).send(await files.upload({ kind: 'staff', auth: requireAuth(req) }, req.params.id, fileName, data));
  });
  app.post(
    '/conversations/:id/read',
    { schema: { tags: conv, params: ZIdParams, body: z.strictObject({ seq: z.number().int().min(0) }), response: { 204: z.null() } }, config: { access: 'contact:read' } },
    async (req, reply) => {
      await conversations.markRead({ kind: 'staff', auth: requireAuth(req) }, req.params.id, req.body.seq);
      return reply.code(204).send(null);
    },
  );
};
