import { isPermission } from '@kefu/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthContext, RequestContext, RouteAccess } from './auth-context.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

// Routes added by third-party plugins (API docs, static files) are public by design.
const PLUGIN_PUBLIC_PREFIXES = ['/api/docs', '/assets/', '/favicon'];

export type RouteEntry = { method: string; url: string; access: RouteAccess };

/**
 * Refuses to boot when a route does not declare its access; checks it on every request.
 * Returns the route table (method, url, access) so tests can walk it.
 */
export function registerAccessControl(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  const remember = (method: string | string[], url: string, access: RouteAccess) => {
    for (const m of Array.isArray(method) ? method : [method]) table.push({ method: m, url, access });
  };
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      if (PLUGIN_PUBLIC_PREFIXES.some((p) => route.url.startsWith(p)) || route.url === '/*' || route.url === '/') {
        route.config = { ...(route.config ?? {}), access: 'public' };
        remember(route.method, route.url, 'public');
        return;
      }
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
    }
    if (access !== 'public' && access !== 'authenticated' && !isPermission(access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares unknown access ${access}`);
    }
    remember(route.method, route.url, access);
  });
  // Before validation, so a caller without access learns nothing about the input schema.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === 'public' || access === undefined) return;
    if (!request.auth) throw new AppError('auth.unauthenticated', 'Sign in first');
    if (access !== 'authenticated' && !request.auth.permissions.has(access)) {
      throw new AppError('auth.forbidden', `Missing permission ${access}`, { permission: access });
    }
  });
  return table;
}

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('auth.unauthenticated', 'Sign in first');
  return request.auth;
}

export function requestContext(request: FastifyRequest): RequestContext {
  return { auth: requireAuth(request), requestId: request.id, ip: request.ip ?? null };
}
