import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WEBCHAT_CHANNEL_ID } from '../../seed/demo-fixtures.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie: await t.login(user) }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

describe('routing configuration', () => {
  it('installs queues, the reason tree and the demo web chat channel', async () => {
    const queues = await call('agent', 'GET', '/api/v1/queues');
    expect(queues.body.items.map((q: { code: string }) => q.code)).toEqual(expect.arrayContaining(['general', 'billing', 'complaint', 'tibetan-amdo']));
    const codes = await call('agent', 'GET', '/api/v1/reason-codes');
    const tree = codes.body.items as { code: string; parentCode: string | null }[];
    expect(tree.filter((c) => c.parentCode === null).length).toBeGreaterThanOrEqual(6);
    // Every child names an existing parent.
    const known = new Set(tree.map((c) => c.code));
    expect(tree.filter((c) => c.parentCode !== null && !known.has(c.parentCode))).toEqual([]);
    const channels = await call('admin', 'GET', '/api/v1/channels');
    const demo = channels.body.items.find((c: { id: string }) => c.id === DEMO_WEBCHAT_CHANNEL_ID);
    expect(demo).toMatchObject({ type: 'webchat', enabled: true });
    expect(demo.secrets.identitySecret).toMatch(/^••••.{4}$/);
  });

  it('validates queues and refuses a taken code', async () => {
    const dup = await call('admin', 'POST', '/api/v1/queues', { code: 'general', nameZh: '重复', nameEn: 'Dup' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('routing.code_taken');
    const bad = await call('admin', 'POST', '/api/v1/queues', { code: 'Bad Code', nameZh: 'x', nameEn: 'x' });
    expect(bad.status).toBe(400);
    const calendar = await call('admin', 'POST', '/api/v1/queues', { code: 'with-calendar', nameZh: 'x', nameEn: 'x', calendarId: '00000000-0000-4000-8000-000000000000' });
    expect(calendar.status).toBe(400);
    const general = (await call('admin', 'GET', '/api/v1/queues')).body.items.find((q: { code: string }) => q.code === 'general');
    const patched = await call('admin', 'PATCH', `/api/v1/queues/${general.id}`, { maxWaitSeconds: 240, requiredSkills: ['electricity', 'vip'] });
    expect(patched.body).toMatchObject({ maxWaitSeconds: 240, requiredSkills: ['electricity', 'vip'] });
    const audit = await call('admin', 'GET', '/api/v1/audit?entityType=queue');
    expect(JSON.stringify(audit.body)).toContain('queue.update');
    expect((await call('agent', 'PATCH', `/api/v1/queues/${general.id}`, { maxWaitSeconds: 10 })).status).toBe(403);
  });

  it('lists agents with presence for the transfer picker and shows the wall to supervisors only', async () => {
    const agents = await call('agent', 'GET', '/api/v1/agents');
    expect(agents.body.items.length).toBeGreaterThan(30);
    expect(agents.body.items.every((a: { state: string }) => ['online', 'busy', 'away', 'offline'].includes(a.state))).toBe(true);
    expect((await call('agent', 'GET', '/api/v1/routing/wall')).status).toBe(403);
    const wall = await call('supervisor', 'GET', '/api/v1/routing/wall');
    expect(wall.status).toBe(200);
    expect(wall.body.queues.length).toBeGreaterThan(3);
    expect(wall.body.queues[0]).toHaveProperty('serviceLevelToday');
  });
});
