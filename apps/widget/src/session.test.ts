import { describe, expect, it } from 'vitest';
import type { TWidgetSession } from './contracts.ts';
import { apiError, type RequestJson, type RequestOptions } from './http.ts';
import { nextSessionAttempt, openSession } from './session.ts';
import { memoryStore } from './storage.ts';

const KEY = 'kefu.widget.ch1';
const session = (visitorToken: string, verified = false): TWidgetSession => ({ visitorToken, visitorId: 'v1', verified, name: null, conversation: null });

/** A server that answers each POST /sessions from a list, recording the bodies. */
function server(...answers: (TWidgetSession | Error)[]) {
  const bodies: unknown[] = [];
  const request = (async (path: string, options?: RequestOptions) => {
    expect(path).toBe('/api/v1/widget/sessions');
    bodies.push(options?.body);
    const a = answers.shift();
    if (!a || a instanceof Error) throw a ?? new Error('no answer');
    return a;
  }) as RequestJson;
  return { request, bodies };
}

describe('nextSessionAttempt', () => {
  const invalidIdentity = apiError(401, 'widget.invalid_identity', 'bad token');
  const invalidVisitor = apiError(401, 'widget.invalid_visitor', 'expired');

  it('falls back to an anonymous session when the identity token is refused', () => {
    expect(nextSessionAttempt({ channelId: 'ch', identityToken: 'x.y', visitorToken: 'v' }, invalidIdentity)).toEqual({ channelId: 'ch', visitorToken: 'v' });
    expect(nextSessionAttempt({ channelId: 'ch', identityToken: 'x.y' }, invalidIdentity)).toEqual({ channelId: 'ch' });
  });

  it('drops a stale visitor token but keeps the identity token', () => {
    expect(nextSessionAttempt({ channelId: 'ch', identityToken: 'x.y', visitorToken: 'v' }, invalidVisitor)).toEqual({ channelId: 'ch', identityToken: 'x.y' });
    expect(nextSessionAttempt({ channelId: 'ch', visitorToken: 'v' }, apiError(401, 'auth.unauthenticated', ''))).toEqual({ channelId: 'ch' });
  });

  it('gives up on anything that is not a 401, or when nothing is left to drop', () => {
    expect(nextSessionAttempt({ channelId: 'ch', identityToken: 'x.y' }, apiError(500, 'internal', ''))).toBeNull();
    expect(nextSessionAttempt({ channelId: 'ch', identityToken: 'x.y' }, new Error('network'))).toBeNull();
    expect(nextSessionAttempt({ channelId: 'ch' }, invalidIdentity)).toBeNull();
  });
});

describe('openSession', () => {
  it('resumes with the stored visitor token and stores the one the server returns', async () => {
    const store = memoryStore();
    store.set(KEY, 'old-token');
    const { request, bodies } = server(session('new-token'));
    await openSession(request, store, KEY, { channelId: 'ch', language: 'zh-CN' });
    expect(bodies).toEqual([{ channelId: 'ch', language: 'zh-CN', visitorToken: 'old-token' }]);
    expect(store.get(KEY)).toBe('new-token');
  });

  it('continues anonymously after a refused identity token', async () => {
    const store = memoryStore();
    const { request, bodies } = server(apiError(401, 'widget.invalid_identity', 'expired'), session('anon'));
    const s = await openSession(request, store, KEY, { channelId: 'ch', identityToken: 'x.y' });
    expect(s.visitorToken).toBe('anon');
    expect(bodies).toEqual([{ channelId: 'ch', identityToken: 'x.y' }, { channelId: 'ch' }]);
  });

  it('forgets a visitor token the server no longer knows', async () => {
    const store = memoryStore();
    store.set(KEY, 'stale');
    const { request, bodies } = server(apiError(401, 'widget.invalid_visitor', ''), session('fresh'));
    await openSession(request, store, KEY, { channelId: 'ch' });
    expect(bodies[1]).toEqual({ channelId: 'ch' });
    expect(store.get(KEY)).toBe('fresh');
  });

  it('leaves empty optional fields out of the strict request body', async () => {
    const { request, bodies } = server(session('t'));
    await openSession(request, memoryStore(), KEY, { channelId: 'ch', name: '', phone: undefined, email: 'a@b.cn' });
    expect(bodies).toEqual([{ channelId: 'ch', email: 'a@b.cn' }]);
  });
});
