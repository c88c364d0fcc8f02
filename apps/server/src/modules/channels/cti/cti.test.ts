import { createHmac } from 'node:crypto';
import { EMPTY_IVR_DOCUMENT, type IvrTree, type PublishedIvr, publishIvrDraft, reduceCallEvents, saveIvrDraft } from '@kefu/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAdapterApp, silentLog, startFakeServer } from '../api/fake-server.testing.ts';
import type { LoadedChannel } from '../types.ts';
import { assertPublishableIvr, ZIvrTree } from './cti.ivr-schema.ts';
import { buildOriginateRequest, createCtiOriginator } from './cti.originate.ts';
import { type CtiEventResult, ctiRoutes, getSignedTarget } from './cti.routes.ts';
import { type TCtiEvent, toCallEvent } from './cti.schemas.ts';

const SECRET = 'cti-signing-secret-0123456789';
const NOW = new Date('2026-11-27T01:00:00Z');
const channel = (id: string, extra: Partial<LoadedChannel> = {}, config: Record<string, unknown> = {}): LoadedChannel => ({
  id,
  brandId: 'brand-1',
  type: 'cti',
  name: '95598 热线',
  enabled: true,
  config: { agentExtensions: { 'agent-zhang': '8001', 'agent-li': '8002' }, ...config },
  secrets: { signingSecret: SECRET },
  ...extra,
});
const channels = new Map<string, LoadedChannel>([
  ['pbx', channel('pbx')],
  ['off', channel('off', { enabled: false })],
  ['chat', channel('chat', { type: 'webchat' })],
  ['noivr', channel('noivr')],
]);

const tree: IvrTree = {
  root: 'main',
  defaultLanguage: 'zh-CN',
  languages: ['zh-CN'],
  nodes: [
    { id: 'main', kind: 'menu', prompt: { text: { 'zh-CN': '人工服务请按0' } }, options: { '0': 'agent' }, timeoutSeconds: 5, maxRetries: 1, fallback: 'agent' },
    { id: 'agent', kind: 'queue', queueId: 'q-general' },
  ],
};
const published = (() => {
  const r = publishIvrDraft(saveIvrDraft(EMPTY_IVR_DOCUMENT, tree), NOW);
  if (!r.ok) throw new Error('publish');
  return r.published;
})();

let app: FastifyInstance;
let now = NOW;
let route: CtiEventResult['route'];
const events: { channelId: string; event: TCtiEvent }[] = [];
const selfServiceCalls: unknown[] = [];

beforeAll(async () => {
  app = await buildAdapterApp(async (a) => {
    await a.register(ctiRoutes, {
      loadChannel: async (id) => channels.get(id) ?? null,
      clock: () => now,
      log: silentLog,
      onEvent: async (ch, event) => {
        events.push({ channelId: ch.id, event });
        return event.type === 'offered' ? { route } : {};
      },
      loadIvr: async (ch): Promise<PublishedIvr | null> => (ch.id === 'pbx' ? published : null),
      selfService: async (_ch, input) => {
        selfServiceCalls.push(input);
        return input.action === 'balance' ? '您的电费余额为128.50元。' : '今日无计划停电。';
      },
    });
  });
});
afterAll(() => app.close());
beforeEach(() => {
  events.length = 0;
  selfServiceCalls.length = 0;
  now = NOW;
  route = { queueId: 'q-general' };
});

const ts = (d = now) => String(Math.floor(d.getTime() / 1000));
const sign = (body: string, t = ts(), secret = SECRET) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
function post(channelId: string, payload: unknown, opts: { t?: string; signature?: string; contentType?: string } = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const t = opts.t ?? ts();
  return app.inject({
    method: 'POST',
    url: `/channels/cti/${channelId}`,
    headers: { 'content-type': opts.contentType ?? 'application/json', 'x-kefu-timestamp': t, 'x-kefu-signature': opts.signature ?? sign(body, t) },
    payload: body,
  });
}
const offered = { eventId: 'e-1', callId: '1732669200.42', type: 'offered', at: '2026-11-27T09:00:00+08:00', caller: '13900000001', called: '95598', ivrPath: '1>3' };

describe('POST /channels/cti/:channelId', () => {
  it('accepts a signed offered event and answers where to route (queue)', async () => {
    const res = await post('pbx', offered);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, eventId: 'e-1', action: 'queue', queueId: 'q-general' });
    expect(events).toHaveLength(1);
    expect(events[0]!.event).toMatchObject({ type: 'offered', caller: '13900000001', ivrPath: '1>3' });
    expect((events[0]!.event as { at: Date }).at).toEqual(new Date('2026-11-27T01:00:00Z'));
  });

  it('answers an agent by extension, falls back to the queue for an agent without one, else continue', async () => {
    route = { agentId: 'agent-li', queueId: 'q-general' };
    expect((await post('pbx', offered)).json()).toMatchObject({ action: 'agent', extension: '8002' });
    route = { agentId: 'agent-unknown', queueId: 'q-vip' };
    expect((await post('pbx', { ...offered, eventId: 'e-2' })).json()).toMatchObject({ action: 'queue', queueId: 'q-vip' });
    route = undefined;
    expect((await post('pbx', { ...offered, eventId: 'e-3' })).json()).toMatchObject({ action: 'continue' });
  });

  it('accepts the PBX body whatever content type its curl sends, and Unix seconds as `at`', async () => {
    const res = await post('pbx', { eventId: 'e-9', callId: 'c', type: 'answered', at: 1764205205.5, agentExtension: '8001' }, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, eventId: 'e-9' });
    const ev = events[0]!.event;
    expect(ev.at).toEqual(new Date(1764205205500));
    expect(toCallEvent(ev, { agentExtensions: { 'agent-zhang': '8001' } })).toMatchObject({ type: 'answered', agentId: 'agent-zhang' });
    expect(toCallEvent(ev, { agentExtensions: {} })).toBeNull();
  });

  it('refuses a forged, a missing and a stale signature with 401 and records nothing', async () => {
    const forged = await post('pbx', offered, { signature: sign(JSON.stringify(offered), ts(), 'another-secret-0123456789') });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error).toMatchObject({ code: 'cti.invalid_signature', details: { reason: 'mismatch' } });
    // Same signature, body changed after signing.
    const tampered = await app.inject({
      method: 'POST',
      url: '/channels/cti/pbx',
      headers: { 'content-type': 'application/json', 'x-kefu-timestamp': ts(), 'x-kefu-signature': sign(JSON.stringify(offered)) },
      payload: JSON.stringify({ ...offered, caller: '13800000000' }),
    });
    expect(tampered.statusCode).toBe(401);
    const missing = await app.inject({ method: 'POST', url: '/channels/cti/pbx', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offered) });
    expect(missing.json().error.details).toEqual({ reason: 'missing' });
    const old = new Date(NOW.getTime() - 301_000);
    const stale = await post('pbx', offered, { t: ts(old) });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.details).toEqual({ reason: 'stale' });
    const edge = await post('pbx', offered, { t: ts(new Date(NOW.getTime() + 299_000)) });
    expect(edge.statusCode).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('answers 400 for a body that is not JSON, an unknown type (listing the types) and a bad field', async () => {
    const notJson = await post('pbx', '{"type":"offered",');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('cti.invalid_event');
    const unknown = await post('pbx', { ...offered, type: 'ringing' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'cti.unknown_event_type', details: { type: 'ringing', allowed: expect.arrayContaining(['offered', 'ended', 'recording_ready']) } });
    const badPath = await post('pbx', { ...offered, ivrPath: '1>>3' });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.json().error).toMatchObject({ code: 'cti.invalid_event', details: { issues: [{ path: 'ivrPath' }] } });
    const extra = await post('pbx', { ...offered, hack: true });
    expect(extra.json().error.code).toBe('cti.invalid_event');
    const noAgent = await post('pbx', { eventId: 'x', callId: 'c', type: 'answered', at: '2026-11-27T01:00:00Z' });
    expect(noAgent.json().error.code).toBe('cti.invalid_event');
    const badReason = await post('pbx', { eventId: 'x', callId: 'c', type: 'ended', at: '2026-11-27T01:00:00Z', reason: 'bored' });
    expect(badReason.json().error.code).toBe('cti.invalid_event');
    const badUrl = await post('pbx', { eventId: 'x', callId: 'c', type: 'recording_ready', at: '2026-11-27T01:00:00Z', url: 'file:///etc/passwd' });
    expect(badUrl.json().error.code).toBe('cti.invalid_event');
    expect(events).toHaveLength(0);
  });

  it('answers 404 for an unknown, disabled or non-CTI channel and 413 for an oversized body', async () => {
    for (const id of ['nope', 'off', 'chat']) expect((await post(id, offered)).json().error.code).toBe('cti.unknown_channel');
    const huge = await post('pbx', { ...offered, caller: 'x'.repeat(70_000) });
    expect(huge.statusCode).toBe(413);
  });

  it('carries a whole call into the domain reducer (events posted out of order and twice)', async () => {
    const call = [
      { ...offered, eventId: 'a1' },
      { eventId: 'a2', callId: offered.callId, type: 'queued', at: '2026-11-27T01:00:10Z', queueId: 'q-general' },
      { eventId: 'a3', callId: offered.callId, type: 'answered', at: '2026-11-27T01:00:40Z', agentExtension: '8001' },
      { eventId: 'a4', callId: offered.callId, type: 'held', at: '2026-11-27T01:01:00Z' },
      { eventId: 'a5', callId: offered.callId, type: 'resumed', at: '2026-11-27T01:01:30Z' },
      { eventId: 'a6', callId: offered.callId, type: 'ended', at: '2026-11-27T01:02:40Z', reason: 'agent_hangup' },
      { eventId: 'a7', callId: offered.callId, type: 'recording_ready', at: '2026-11-27T01:02:45Z', url: 'https://pbx.example/monitor/1732669200.42.wav' },
    ];
    for (const i of [0, 2, 1, 5, 3, 4, 6, 2, 5]) expect((await post('pbx', call[i])).statusCode).toBe(200);
    const domain = events.map((e) => toCallEvent(e.event, { agentExtensions: { 'agent-zhang': '8001' } })!);
    const state = reduceCallEvents(offered.callId, domain);
    expect(state.contact).toMatchObject({ status: 'wrap_up', agentId: 'agent-zhang', talkMs: 90_000, holdMs: 30_000, endReason: 'completed' });
    expect(state.recordingUrls).toEqual(['https://pbx.example/monitor/1732669200.42.wav']);
  });
});

describe('GET /channels/cti/:channelId/ivr', () => {
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('serves the published IVR to a request signed in headers', async () => {
    const url = '/channels/cti/pbx/ivr';
    const res = await get(url, { 'x-kefu-timestamp': ts(), 'x-kefu-signature': sign(url) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'kefu-ivr/1', version: 1, root: 'main', nodes: { main: { kind: 'menu', options: { '0': 'agent' } }, agent: { kind: 'queue', queueId: 'q-general' } } });
  });

  it('accepts the signature in the query, and signs the query it carries', async () => {
    const target = '/channels/cti/pbx/ivr?lang=zh-CN';
    const hex = sign(target).slice(3);
    expect((await get(`${target}&kefu_ts=${ts()}&kefu_sig=${hex}`)).statusCode).toBe(200);
    expect(getSignedTarget(`${target}&kefu_ts=1&kefu_sig=2`)).toBe(target);
    // The same signature on another query string is refused.
    const other = await get(`/channels/cti/pbx/ivr?lang=en-US&kefu_ts=${ts()}&kefu_sig=${hex}`);
    expect(other.statusCode).toBe(401);
    const stale = await get(`${target}&kefu_ts=${ts(new Date(NOW.getTime() - 600_000))}&kefu_sig=${sign(target, ts(new Date(NOW.getTime() - 600_000))).slice(3)}`);
    expect(stale.json().error.details).toEqual({ reason: 'stale' });
    expect((await get('/channels/cti/pbx/ivr')).statusCode).toBe(401);
  });

  it('answers ivr.not_published when no version is published', async () => {
    const url = '/channels/cti/noivr/ivr';
    const res = await get(url, { 'x-kefu-timestamp': ts(), 'x-kefu-signature': sign(url) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ivr.not_published');
  });

  it('reads a self-service text (Chinese) for the PBX to speak', async () => {
    const url = '/channels/cti/pbx/ivr/self-service?action=balance&parameter=electricity&caller=13900000001&callId=c1&lang=zh-CN';
    const res = await get(url, { 'x-kefu-timestamp': ts(), 'x-kefu-signature': sign(url) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ action: 'balance', text: '您的电费余额为128.50元。' });
    expect(selfServiceCalls).toEqual([{ action: 'balance', parameter: 'electricity', caller: '13900000001', callId: 'c1', language: 'zh-CN' }]);
    const bad = '/channels/cti/pbx/ivr/self-service?action=transfer_money';
    expect((await get(bad, { 'x-kefu-timestamp': ts(), 'x-kefu-signature': sign(bad) })).statusCode).toBe(400);
  });
});

describe('click-to-call / callback originate', () => {
  it('posts a signed originate to the PBX, retries a 503 and returns its call id', async () => {
    const pbx = await startFakeServer(SECRET, [{ status: 503 }, { status: 200, body: { callId: '1732669300.7' } }]);
    try {
      const ch = channel('pbx', {}, { originateUrl: `${pbx.url}/kefu/originate` });
      const originate = createCtiOriginator({ clock: () => NOW, retryDelaysMs: [0, 0], sleep: async () => {} });
      const result = await originate(ch, { agentId: 'agent-zhang', number: '139 0000 0001', callbackTaskId: 'cb-1', requestId: 'req-1' });
      expect(result).toEqual({ callId: '1732669300.7' });
      expect(pbx.requests).toHaveLength(2);
      expect(pbx.requests.every((r) => r.signatureValid && r.path === '/kefu/originate')).toBe(true);
      expect(pbx.requests[1]!.json).toEqual({ action: 'originate', requestId: 'req-1', agentExtension: '8001', number: '13900000001', callbackTaskId: 'cb-1' });
    } finally {
      await pbx.close();
    }
  });

  it('fails with cti.originate_failed after a 4xx without retrying, and refuses without URL or extension', async () => {
    const pbx = await startFakeServer(SECRET, [{ status: 400 }]);
    try {
      const ch = channel('pbx', {}, { originateUrl: pbx.url });
      const originate = createCtiOriginator({ clock: () => NOW, sleep: async () => {} });
      await expect(originate(ch, { agentId: 'agent-zhang', number: '13900000001', requestId: 'r' })).rejects.toMatchObject({ code: 'cti.originate_failed', details: { status: 400, attempts: 1 } });
    } finally {
      await pbx.close();
    }
    expect(() => buildOriginateRequest(channel('pbx'), { agentId: 'agent-zhang', number: '13900000001', requestId: 'r' }, NOW)).toThrow(expect.objectContaining({ code: 'cti.not_configured' }));
    const ch = channel('pbx', {}, { originateUrl: 'https://pbx.example/o' });
    expect(() => buildOriginateRequest(ch, { agentId: 'nobody', number: '13900000001', requestId: 'r' }, NOW)).toThrow(expect.objectContaining({ code: 'cti.not_configured' }));
    expect(() => buildOriginateRequest(ch, { agentId: 'agent-li', number: '139; rm -rf', requestId: 'r' }, NOW)).toThrow(expect.objectContaining({ code: 'validation.failed' }));
  });
});

describe('IVR tree schema (admin API edge)', () => {
  it('accepts a designed tree and round-trips it', () => {
    const parsed = ZIvrTree.parse(JSON.parse(JSON.stringify(tree)));
    expect(parsed).toEqual(tree);
    expect(assertPublishableIvr(parsed)).toEqual([]);
  });

  it('refuses keys outside 0-9*#, path-like audio names, unknown kinds and extra fields', () => {
    const menu = tree.nodes[0]!;
    const withNode = (node: unknown) => ({ ...tree, nodes: [node, tree.nodes[1]] });
    expect(ZIvrTree.safeParse(withNode({ ...menu, options: { A: 'agent' } })).success).toBe(false);
    expect(ZIvrTree.safeParse(withNode({ ...menu, prompt: { text: { 'zh-CN': '你好' }, audio: '../../etc/passwd' } })).success).toBe(false);
    expect(ZIvrTree.safeParse(withNode({ id: 'x', kind: 'transfer_money' })).success).toBe(false);
    expect(ZIvrTree.safeParse({ ...tree, owner: 'me' }).success).toBe(false);
  });

  it('refuses to publish a tree with errors, listing them', () => {
    const broken: IvrTree = { ...tree, nodes: [{ ...tree.nodes[0]!, fallback: 'main' } as IvrTree['nodes'][number], tree.nodes[1]!] };
    expect(() => assertPublishableIvr(broken)).toThrow(expect.objectContaining({ code: 'ivr.invalid_tree', details: { issues: [expect.objectContaining({ code: 'cycle', nodeId: 'main' })] } }));
  });
});
