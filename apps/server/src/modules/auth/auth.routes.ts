import { ZApiToken, ZChangePasswordRequest, ZCreateApiTokenRequest, ZCreatedApiToken, ZIdParams, ZItems, ZLoginRequest, ZLoginResponse, ZMe } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import type { Executor } from '../../platform/audit.ts';
import type { AuthContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthService } from './auth.service.ts';

export const SESSION_COOKIE = 'kefu_sid';

export type AuthRoutesOptions = { auth: AuthService; db: Executor; sessionTtlHours: number; secureCookies: boolean | 'auto' };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getMe(db: Executor, auth: AuthContext) {
  const row = await db
    .selectFrom('users')
    .innerJoin('roles', 'roles.code', 'users.role')
    .select(['users.work_number', 'users.team_id', 'users.skills', 'users.languages', 'roles.name_zh', 'roles.name_en'])
    .where('users.id', '=', auth.userId)
    .executeTakeFirstOrThrow();
  const brands = auth.brandIds.length
    ? await db.selectFrom('brands').select(['id', 'code', 'name']).where('id', 'in', [...auth.brandIds]).orderBy('created_at').execute()
    : [];
  return {
    id: auth.userId,
    username: auth.username,
    displayName: auth.displayName,
    role: auth.role,
    roleName: { zh: row.name_zh, en: row.name_en },
    permissions: [...auth.permissions].sort(),
    scope: auth.scope,
    workNumber: row.work_number,
    departmentId: auth.departmentId,
    teamId: row.team_id,
    customerId: auth.customerId,
    skills: row.skills,
    languages: row.languages,
    brands,
  };
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, db, sessionTtlHours, secureCookies }) => {
  app.post(
    '/auth/login',
    { schema: { tags: ['auth'], body: ZLoginRequest, response: { 200: ZLoginResponse } }, config: { access: 'public' } },
    async (req, reply) => {
      const session = await auth.login({ ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id });
      const ctx = await auth.authenticateSession(session.token);
      if (!ctx) throw new AppError('auth.unauthenticated', 'Sign in first');
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        maxAge: sessionTtlHours * 3600,
      });
      return { user: await getMe(db, ctx) };
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'] }, config: { access: 'public' } }, async (req, reply) => {
    if (req.auth?.sessionId) await auth.logout(req.auth.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', { schema: { tags: ['auth'], response: { 200: ZMe } }, config: { access: 'authenticated' } }, (req) =>
    getMe(db, requireAuth(req)),
  );

  app.post(
    '/me/password',
    { schema: { tags: ['auth'], body: ZChangePasswordRequest }, config: { access: 'authenticated' } },
    async (req, reply) => {
      await auth.changePassword(requestContext(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  );

  const toToken = (t: Awaited<ReturnType<AuthService['listApiTokens']>>[number]) => ({
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: iso(t.last_used_at),
    expiresAt: iso(t.expires_at),
    revokedAt: iso(t.revoked_at),
  });

  app.get('/api-tokens', { schema: { tags: ['auth'], response: { 200: ZItems(ZApiToken) } }, config: { access: 'authenticated' } }, async (req) => ({
    items: (await auth.listApiTokens(requireAuth(req))).map(toToken),
  }));

  app.post(
    '/api-tokens',
    { schema: { tags: ['auth'], body: ZCreateApiTokenRequest, response: { 201: ZCreatedApiToken } }, config: { access: 'authenticated' } },
    async (req, reply) => {
      if (requireAuth(req).via === 'token') throw new AppError('auth.forbidden', 'API tokens cannot create API tokens');
      const created = await auth.createApiToken(requestContext(req), req.body);
      return reply.code(201).send({ ...toToken(created), token: created.token });
    },
  );

  app.delete('/api-tokens/:id', { schema: { tags: ['auth'], params: ZIdParams }, config: { access: 'authenticated' } }, async (req, reply) => {
    await auth.revokeApiToken(requestContext(req), req.params.id);
    return reply.code(204).send();
  });
};
