import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../testing/test-app.ts';
import { registerAccessControl } from './access.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Routes that are public on purpose; anything else public fails this test.
// The web chat widget's endpoints are public by nature; they authenticate the visitor with a
// signed visitor token (x-visitor-token / ?visitorToken=) and are rate-limited per IP.
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
  'GET /ws',
  'GET /widget.js',
  'GET /widget/demo',
  'GET /api/v1/widget/channels/:channelId/config',
  'POST /api/v1/widget/sessions',
  'POST /api/v1/widget/conversations',
  'GET /api/v1/widget/conversations/:id/messages',
  'POST /api/v1/widget/messages',
  'POST /api/v1/widget/conversations/:id/end',
  'POST /api/v1/widget/leave-message',
  'OPTIONS /api/v1/widget/*',
  'POST /api/v1/widget/conversations/:id/attachments',
  'GET /api/v1/chat-files/:fileId',
  // The public help center (issue 6): published, public, in-force articles only; votes rate-limited per IP.
  'GET /help/:channelId',
  'GET /help/:channelId/articles/:articleId',
  'GET /help/:channelId/search',
  'GET /help/:channelId/sitemap.xml',
  'GET /channels/wechat/:channelId',
  'POST /channels/wechat/:channelId',
  'POST /channels/sms/:channelId',
  'POST /channels/sms/:channelId/:token',
  'POST /channels/api/:channelId/messages',
  // CTI (issue 5): each signed with the channel's secret (docs/cti.md).
  'POST /channels/cti/:channelId',
  'GET /channels/cti/:channelId/ivr',
  'GET /channels/cti/:channelId/ivr/self-service',
  'POST /help/:channelId/articles/:articleId/feedback',
  'GET /help/:channelId/attachments/:attachmentId',
]);

describe('deny by default', () => {
  it('refuses to boot when a route has no declared access', () => {
    const app = Fastify();
    registerAccessControl(app);
    expect(() => app.get('/api/v1/oops', async () => 'x')).toThrow(/does not declare config.access/);
  });

  it('has only the intended public API routes', () => {
    const publicApi = t.app.routeTable
      .filter((r) => r.access === 'public' && r.method !== 'HEAD' && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(publicApi.sort()).toEqual([...PUBLIC].sort());
  });

  it('answers every protected route with 401 in the error shape when signed out', async () => {
    const protectedRoutes = t.app.routeTable.filter((r) => r.access !== 'public' && r.method !== 'HEAD');
    expect(protectedRoutes.length).toBeGreaterThan(20);
    for (const route of protectedRoutes) {
      const url = route.url.replace(/:id|:identityId/g, '00000000-0000-4000-8000-000000000000').replace(/:code/g, 'agent');
      const withBody = route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT';
      const res = await t.app.inject({ method: route.method as 'GET', url, ...(withBody ? { payload: {} } : {}) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code, `${route.method} ${route.url}`).toBe('auth.unauthenticated');
    }
  });

  it('answers a role without the permission with 403', async () => {
    const cookie = await t.login('agent');
    for (const [method, url] of [
      ['GET', '/api/v1/audit'],
      ['GET', '/api/v1/users'],
      ['PATCH', '/api/v1/roles/agent'],
      ['POST', '/api/v1/users'],
      ['GET', '/api/v1/customers/export'],
      ['GET', '/api/v1/routing/wall'],
      ['POST', '/api/v1/queues'],
      ['POST', '/api/v1/channels'],
      ['POST', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/takeover'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: { cookie }, ...(method === 'GET' ? {} : { payload: {} }) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('auth.forbidden');
    }
  });
});
