import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('users', () => {
  it('lists about sixty seeded staff with cursor pages', async () => {
    const cookie = await t.login('admin');
    const first = (await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=40', headers: { cookie } })).json();
    expect(first.items).toHaveLength(40);
    const second = (await t.app.inject({ method: 'GET', url: `/api/v1/users?limit=40&cursor=${first.nextCursor}`, headers: { cookie } })).json();
    const total = first.items.length + second.items.length;
    expect(total).toBeGreaterThanOrEqual(55);
    expect(total).toBeLessThanOrEqual(70);
    expect(second.nextCursor).toBeNull();
    expect(JSON.stringify(first)).not.toContain('password');
  });

  it('creates a user with a strong password; refuses duplicates and mass-assigned fields', async () => {
    const cookie = await t.login('admin');
    const payload = { username: 'newagent', displayName: '新坐席', role: 'agent', password: 'Welcome-2026!', workNumber: '9559899' };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'newagent', role: 'agent', disabled: false });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload: { ...payload, username: 'NewAgent' } })).statusCode).toBe(409);
    const mass = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload: { ...payload, username: 'x2', passwordHash: 'x' } });
    expect(mass.statusCode).toBe(400);
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload: { ...payload, username: 'x3', password: '12345678' } });
    expect(weak.statusCode).toBe(422);
    const role = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload: { ...payload, username: 'x4', role: 'god' } });
    expect(role.json().error.code).toBe('user.unknown_role');
    await t.login('newagent', 'Welcome-2026!');
  });

  it('does not let a supervisor manage users, nor an admin disable themself', async () => {
    const sup = await t.login('supervisor');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: sup }, payload: { username: 'x', displayName: 'x', role: 'admin', password: 'Welcome-2026!' } });
    expect(res.statusCode).toBe(403);
    const admin = await t.login('admin');
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: admin } })).json();
    const self = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: { cookie: admin }, payload: { disabled: true } });
    expect(self.statusCode).toBe(409);
  });
});

describe('roles', () => {
  it('lets an admin edit a role; the change applies to its users at once', async () => {
    const admin = await t.login('admin');
    const agent = await t.login('agent');
    const before = await t.app.inject({ method: 'POST', url: '/api/v1/customers/de000000-0000-4000-8000-000000000001/reveal', headers: { cookie: agent } });
    expect(before.statusCode).toBe(403);
    const roles = (await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: { cookie: admin } })).json().items;
    const agentRole = roles.find((r: { code: string }) => r.code === 'agent');
    expect(agentRole.userCount).toBeGreaterThan(10);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/roles/agent', headers: { cookie: admin }, payload: { permissions: [...agentRole.permissions, 'customer:unmask'] } });
    expect(res.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'POST', url: '/api/v1/customers/de000000-0000-4000-8000-000000000001/reveal', headers: { cookie: agent } });
    expect(after.statusCode).toBe(200);
  });

  it('refuses unknown permissions and keeps the admin role whole', async () => {
    const admin = await t.login('admin');
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/v1/roles/qa', headers: { cookie: admin }, payload: { permissions: ['everything'] } });
    expect(bad.statusCode).toBe(400);
    const locked = await t.app.inject({ method: 'PATCH', url: '/api/v1/roles/admin', headers: { cookie: admin }, payload: { permissions: [] } });
    expect(locked.statusCode).toBe(409);
  });
});

describe('audit log', () => {
  it('records who changed what, from where, with before and after, filterable', async () => {
    const admin = await t.login('admin');
    const agent = await t.login('agent');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/customers/de000000-0000-4000-8000-000000000003',
      headers: { cookie: agent, 'x-request-id': 'req-audit-test-1', 'x-forwarded-for': '198.51.100.9' },
      payload: { notes: '审计测试' },
    });
    expect(patch.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit?entityType=customer&entityId=de000000-0000-4000-8000-000000000003&action=customer.update', headers: { cookie: admin } });
    const entry = res.json().items[0];
    expect(entry).toMatchObject({ actorName: 'agent', action: 'customer.update', requestId: 'req-audit-test-1', ip: '198.51.100.9' });
    expect(entry.after).toEqual({ notes: '审计测试' });
    expect(entry.before.notes).not.toBe('审计测试');
  });

  it('is readable by managers but not agents', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: await t.login('manager') } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: await t.login('agent') } })).statusCode).toBe(403);
  });
});
