import { ZCreateUserRequest, ZIdParams, ZItems, ZPage, ZResetPasswordRequest, ZRole, ZUpdateRoleRequest, ZUpdateUserRequest, ZUser, ZUserListQuery } from '@kefu/contracts';
import { PERMISSIONS } from '@kefu/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../../platform/access.ts';
import type { UsersService } from './users.service.ts';

export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService }> = async (app, { users }) => {
  const tags = ['users'];
  app.get('/users', { schema: { tags, querystring: ZUserListQuery, response: { 200: ZPage(ZUser) } }, config: { access: 'user:read' } }, (req) =>
    users.listUsers(req.query),
  );
  app.post('/users', { schema: { tags, body: ZCreateUserRequest, response: { 201: ZUser } }, config: { access: 'user:manage' } }, async (req, reply) =>
    reply.code(201).send(await users.createUser(requestContext(req), req.body)),
  );
  app.patch('/users/:id', { schema: { tags, params: ZIdParams, body: ZUpdateUserRequest, response: { 200: ZUser } }, config: { access: 'user:manage' } }, (req) =>
    users.updateUser(requestContext(req), req.params.id, req.body),
  );
  app.post('/users/:id/reset-password', { schema: { tags, params: ZIdParams, body: ZResetPasswordRequest }, config: { access: 'user:manage' } }, async (req, reply) => {
    await users.resetPassword(requestContext(req), req.params.id, req.body.newPassword);
    return reply.code(204).send();
  });
  app.get('/roles', { schema: { tags, response: { 200: ZItems(ZRole) } }, config: { access: 'user:read' } }, async () => ({ items: await users.listRoles() }));
  app.patch(
    '/roles/:code',
    { schema: { tags, params: z.strictObject({ code: z.string().max(40) }), body: ZUpdateRoleRequest, response: { 200: ZRole } }, config: { access: 'role:manage' } },
    (req) => users.updateRole(requestContext(req), req.params.code, req.body),
  );
  app.get('/permissions', { schema: { tags, response: { 200: ZItems(z.string()) } }, config: { access: 'authenticated' } }, async () => ({ items: [...PERMISSIONS] }));
};
