import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { DEMO_PASSWORD } from '../../demo-password.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('signs in with a session cookie that is httpOnly and SameSite', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.username).toBe('agent');
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/kefu_sid=/);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `kefu_sid=${res.cookies[0]?.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().permissions).toContain('customer:read');
    expect(me.json().permissions).not.toContain('user:manage');
  });

  it('answers a wrong password with 401 in the standard error shape', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'qa', password: 'wrong-password' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'auth.invalid_credentials', message: expect.any(String) } });
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'planner', password: `nope-${i}` } });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'planner', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('auth.throttled');
    expect(res.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('throttles one IP trying many accounts', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    for (let i = 0; i < 30; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: `ghost${i}`, password: 'x' } });
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: 'manager', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(429);
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '203.0.113.78' }, payload: { username: 'manager', password: DEMO_PASSWORD } });
    expect(other.statusCode).toBe(200);
  });

  it('refuses unknown properties in the body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'agent', password: 'x', role: 'admin' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
  });

  it('answers 401 without a session and after logout', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const cookie = await t.login('dispatcher');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('auth.unauthenticated');
  });
});

describe('passwords and sessions', () => {
  it('ends the other sessions when a user changes their password', async () => {
    const a = await t.login('accountmgr');
    const b = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'accountmgr', password: DEMO_PASSWORD } })).cookies[0]?.value;
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: a },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'New-Secret-2026' },
    });
    expect(change.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: a } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `kefu_sid=${b}` } })).statusCode).toBe(401);
  });

  it('refuses a weak new password with 422', async () => {
    const cookie = await t.login('supervisor');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie }, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('auth.weak_password');
  });

  it('lets an admin reset a password and disable a user, ending their sessions', async () => {
    const admin = await t.login('admin');
    const victim = await t.login('repair');
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: victim } })).json();
    const reset = await t.app.inject({ method: 'POST', url: `/api/v1/users/${me.id}/reset-password`, headers: { cookie: admin }, payload: { newPassword: 'Reset-Pass-2026' } });
    expect(reset.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: victim } })).statusCode).toBe(401);
    const again = await t.login('repair', 'Reset-Pass-2026');
    const disable = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${me.id}`, headers: { cookie: admin }, payload: { disabled: true } });
    expect(disable.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: again } })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'repair', password: 'Reset-Pass-2026' } });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('auth.user_disabled');
  });
});

describe('API tokens', () => {
  it('creates a scoped token, uses it as Bearer, and revokes it', async () => {
    const cookie = await t.login('supervisor');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: { cookie }, payload: { name: 'CRM sync', scopes: ['customer:read'] } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^kft_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/customers?limit=1', headers: bearer })).statusCode).toBe(200);
    // The supervisor may write customers, but this token was not given that scope.
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload: { name: '测试', phones: ['13700001111'] } });
    expect(write.statusCode).toBe(403);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: { cookie } });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, headers: { cookie } })).statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/customers?limit=1', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('auth.invalid_token');
  });

  it('refuses a scope the user does not hold', async () => {
    const cookie = await t.login('agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: { cookie }, payload: { name: 'x', scopes: ['user:manage'] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('token.unknown_scope');
  });

  it('stores only a hash of the token', async () => {
    const cookie = await t.login('qa');
    const { token } = (await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: { cookie }, payload: { name: 'q', scopes: ['customer:read'] } })).json();
    const rows = await t.database.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });
});
