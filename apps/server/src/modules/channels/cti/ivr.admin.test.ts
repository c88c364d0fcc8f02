import { createHmac, randomUUID } from 'node:crypto';
import { type IvrTree, toPbxIvrJson, validateIvrTree } from '@kefu/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CTI_CHANNEL_ID } from '../../../seed/cti.seed.ts';
import { DEMO_WEBCHAT_CHANNEL_ID } from '../../../seed/demo-fixtures.ts';
import { createTestApp, type TestContext } from '../../../testing/test-app.ts';
import { buildAdapterApp, silentLog } from '../api/fake-server.testing.ts';
import { ZIvrTree } from './cti.ivr-schema.ts';
import { ctiRoutes } from './cti.routes.ts';
import { loadPublishedIvr } from './ivr.admin.ts';

// The IVR designer's API: drafts that may be wrong, publishing only valid trees as immutable
// versions 1, 2, 3…, history and restore, optimistic concurrency, access; and the PBX getting the
// latest version through loadPublishedIvr.

let t: TestContext;
let admin = '';
let channelId = '';
let signingSecret = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

const zh = (text: string) => ({ text: { 'zh-CN': text, 'en-US': `EN ${text}` } });
function tree(queueId: string, mainText = '电费查询请按1，人工服务请按0'): IvrTree {
  return {
    root: 'welcome',
    defaultLanguage: 'zh-CN',
    languages: ['zh-CN', 'en-US'],
    nodes: [
      { id: 'welcome', kind: 'prompt', prompt: zh('您好，欢迎致电95598。'), next: 'main' },
      { id: 'main', kind: 'menu', prompt: zh(mainText), options: { '1': 'billing', '0': 'agent', '#': '@repeat' }, timeoutSeconds: 5, maxRetries: 1, invalidPrompt: zh('输入有误'), fallback: 'agent' },
      { id: 'billing', kind: 'menu', prompt: zh('查询余额请按1，返回请按*'), options: { '1': 'balance', '*': '@back' }, timeoutSeconds: 5, maxRetries: 0, fallback: 'agent' },
      { id: 'balance', kind: 'self_service', action: 'balance', parameter: 'electricity', next: 'bye' },
      { id: 'agent', kind: 'queue', queueId },
      { id: 'bye', kind: 'hang_up', prompt: zh('再见') },
    ],
  };
}
let generalQueueId = '';
let valid: IvrTree;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  const created = await call(admin, 'POST', '/api/v1/channels', { type: 'cti', name: 'IVR 测试热线' });
  expect(created.status).toBe(201);
  channelId = created.body.id;
  signingSecret = created.body.generatedSecrets.signingSecret;
  generalQueueId = (await t.database.db.selectFrom('queues').select('id').where('code', '=', 'general').executeTakeFirstOrThrow()).id;
  valid = tree(generalQueueId);
});
afterAll(() => t?.close());

const base = () => `/api/v1/channels/${channelId}/ivr`;

describe('IVR designer API', () => {
  it('starts empty: no draft, no version', async () => {
    const res = await call(admin, 'GET', base());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ channelId, draft: null, draftVersion: 0, issues: [], versions: [], published: null });
  });

  it('saves a draft with errors and returns its issues; publishing it is refused and nothing is published', async () => {
    const broken: IvrTree = { ...valid, nodes: valid.nodes.map((n) => (n.id === 'billing' && n.kind === 'menu' ? { ...n, options: { ...n.options, '2': 'nowhere' } } : n)) };
    const saved = await call(admin, 'PUT', `${base()}/draft`, { tree: broken, version: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body.draftVersion).toBe(1);
    expect(saved.body.draft.nodes.find((n: Body) => n.id === 'billing').options['2']).toBe('nowhere');
    expect(saved.body.issues).toContainEqual({ code: 'unknown_target', severity: 'error', nodeId: 'billing', detail: 'nowhere' });

    const refused = await call(admin, 'POST', `${base()}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('ivr.invalid_tree');
    expect(refused.body.error.details.issues).toContainEqual({ code: 'unknown_target', severity: 'error', nodeId: 'billing', detail: 'nowhere' });
    const after = await call(admin, 'GET', base());
    expect(after.body.versions).toEqual([]);
    expect(after.body.published).toBeNull();
    expect(await loadPublishedIvr(t.database.db, channelId)).toBeNull();
  });

  it('refuses to publish a cycle or a prompt missing a language, listing each problem', async () => {
    // billing's fallback goes back to main: a loop only @back / @repeat may make.
    const cycle: IvrTree = { ...valid, nodes: valid.nodes.map((n) => (n.id === 'billing' && n.kind === 'menu' ? { ...n, fallback: 'main' } : n)) };
    const noEnglish: IvrTree = { ...valid, nodes: valid.nodes.map((n) => (n.id === 'bye' ? { ...n, prompt: { text: { 'zh-CN': '再见' } } } : n)) };
    for (const [draft, expected] of [
      [cycle, { code: 'cycle', nodeId: 'billing', detail: 'main' }],
      [noEnglish, { code: 'missing_text', nodeId: 'bye', detail: 'en-US' }],
    ] as const) {
      const current = (await call(admin, 'GET', base())).body.draftVersion;
      expect((await call(admin, 'PUT', `${base()}/draft`, { tree: draft, version: current })).status).toBe(200);
      const refused = await call(admin, 'POST', `${base()}/publish`, {});
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('ivr.invalid_tree');
      expect(refused.body.error.details.issues).toContainEqual({ severity: 'error', ...expected });
      expect(refused.body.error.details.issues.every((i: Body) => i.severity === 'error')).toBe(true);
    }
    expect((await call(admin, 'GET', base())).body.versions).toEqual([]);
  });

  it('publishes versions 1 and 2; version 1 stays as it was when the draft changes', async () => {
    let draftVersion = (await call(admin, 'GET', base())).body.draftVersion;
    const unreachable: IvrTree = { ...valid, nodes: [...valid.nodes, { id: 'spare', kind: 'hang_up', prompt: zh('备用') }] };
    draftVersion = (await call(admin, 'PUT', `${base()}/draft`, { tree: unreachable, version: draftVersion })).body.draftVersion;
    const first = await call(admin, 'POST', `${base()}/publish`, { draftVersion });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ version: 1, publishedAt: expect.any(String), warnings: [{ code: 'unreachable', severity: 'warning', nodeId: 'spare' }] });

    const edited = tree(generalQueueId, '新的主菜单：人工服务请按0');
    const saved = await call(admin, 'PUT', `${base()}/draft`, { tree: edited, version: draftVersion });
    expect(saved.status).toBe(200);
    const second = await call(admin, 'POST', `${base()}/publish`);
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);

    const v1 = await call(admin, 'GET', `${base()}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.tree).toEqual(unreachable);
    expect(v1.body.publishedByName).toEqual(expect.any(String));
    const v2 = await call(admin, 'GET', `${base()}/versions/2`);
    expect(v2.body.tree.nodes.find((n: Body) => n.id === 'main').prompt.text['zh-CN']).toBe('新的主菜单：人工服务请按0');

    // Editing the draft again changes neither version.
    await call(admin, 'PUT', `${base()}/draft`, { tree: tree(generalQueueId, '草稿改动') });
    expect((await call(admin, 'GET', `${base()}/versions/1`)).body.tree).toEqual(unreachable);
    const doc = await call(admin, 'GET', base());
    expect(doc.body.versions.map((v: Body) => v.version)).toEqual([2, 1]);
    expect(doc.body.published).toEqual({ version: 2, publishedAt: second.body.publishedAt });
    expect(doc.body.draft.nodes.find((n: Body) => n.id === 'main').prompt.text['zh-CN']).toBe('草稿改动');

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'after']).where('entity_type', '=', 'ivr').where('entity_id', '=', channelId).where('action', '=', 'ivr.publish').execute();
    expect(audit.map((a) => (a.after as { version: number }).version).sort()).toEqual([1, 2]);
  });

  it('serves the latest published version to the PBX through loadPublishedIvr', async () => {
    const latest = await loadPublishedIvr(t.database.db, channelId);
    expect(latest?.version).toBe(2);
    expect(validateIvrTree(latest?.tree as IvrTree).filter((i) => i.severity === 'error')).toEqual([]);

    // The PBX route, wired the way app.ts will wire it.
    const secret = 'pbx-signing-secret-0123456789';
    const now = new Date();
    const pbx: FastifyInstance = await buildAdapterApp(async (a) => {
      await a.register(ctiRoutes, {
        loadChannel: async (id) => ({ id, brandId: 'b', type: 'cti', name: 'x', enabled: true, config: {}, secrets: { signingSecret: secret } }),
        clock: () => now,
        log: silentLog,
        onEvent: async () => ({}),
        loadIvr: (ch) => loadPublishedIvr(t.database.db, ch.id),
      });
    });
    try {
      const get = (id: string) => {
        const path = `/channels/cti/${id}/ivr`;
        const ts = String(Math.floor(now.getTime() / 1000));
        const sig = createHmac('sha256', secret).update(`${ts}.${path}`).digest('hex');
        return pbx.inject({ method: 'GET', url: path, headers: { 'x-kefu-timestamp': ts, 'x-kefu-signature': `v1=${sig}` } });
      };
      const res = await get(channelId);
      expect(res.statusCode).toBe(200);
      const json = res.json();
      expect(json).toEqual(toPbxIvrJson(latest as NonNullable<typeof latest>));
      expect(json).toMatchObject({ format: 'kefu-ivr/1', version: 2, root: 'welcome' });
      expect(json.nodes.main.prompt.text['zh-CN']).toBe('新的主菜单：人工服务请按0');
      const none = await get(randomUUID());
      expect(none.statusCode).toBe(404);
      expect(none.json().error.code).toBe('ivr.not_published');
    } finally {
      await pbx.close();
    }

    // And through the app itself, signed with the channel's own secret (kefu_ts / kefu_sig in the query).
    const path = `/channels/cti/${channelId}/ivr`;
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', signingSecret).update(`${ts}.${path}`).digest('hex');
    const live = await t.app.inject({ method: 'GET', url: `${path}?kefu_ts=${ts}&kefu_sig=${sig}` });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ format: 'kefu-ivr/1', version: 2 });
  });

  it('restores an old version into the draft without publishing it', async () => {
    const before = await call(admin, 'GET', base());
    const restored = await call(admin, 'POST', `${base()}/versions/1/restore`, { draftVersion: before.body.draftVersion });
    expect(restored.status).toBe(200);
    expect(restored.body.draft).toEqual((await call(admin, 'GET', `${base()}/versions/1`)).body.tree);
    expect(restored.body.draftVersion).toBe(before.body.draftVersion + 1);
    expect(restored.body.issues).toEqual([{ code: 'unreachable', severity: 'warning', nodeId: 'spare' }]);
    expect(restored.body.published.version).toBe(2);
    expect((await loadPublishedIvr(t.database.db, channelId))?.version).toBe(2);
    expect((await call(admin, 'POST', `${base()}/versions/9/restore`)).status).toBe(404);
    expect((await call(admin, 'GET', `${base()}/versions/9`)).status).toBe(404);
  });

  it('answers 409 ivr.version_conflict to a stale save and keeps the newer draft', async () => {
    const { draftVersion, draft } = (await call(admin, 'GET', base())).body;
    const stale = await call(admin, 'PUT', `${base()}/draft`, { tree: tree(generalQueueId, '过期的编辑'), version: draftVersion - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'ivr.version_conflict', details: { expected: draftVersion - 1, actual: draftVersion } });
    const publishStale = await call(admin, 'POST', `${base()}/publish`, { draftVersion: draftVersion - 1 });
    expect(publishStale.status).toBe(409);
    const now = (await call(admin, 'GET', base())).body;
    expect(now.draftVersion).toBe(draftVersion);
    expect(now.draft).toEqual(draft);
    expect(now.versions.length).toBe(2);
  });

  it('numbers concurrent publishes one after the other, never the same number twice', async () => {
    const { draftVersion, versions } = (await call(admin, 'GET', base())).body;
    await call(admin, 'PUT', `${base()}/draft`, { tree: valid, version: draftVersion });
    const next = (versions[0]?.version ?? 0) + 1;
    const results = await Promise.all(Array.from({ length: 6 }, () => call(admin, 'POST', `${base()}/publish`)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5].map((i) => next + i));
  });

  it('simulates a call on an unsaved tree: prompts, keys, back, path and outcome', async () => {
    const start = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, language: 'en-US' });
    expect(start.status).toBe(200);
    expect(start.body.prompts.map((p: Body) => p.text)).toEqual(['EN 您好，欢迎致电95598。', 'EN 电费查询请按1，人工服务请按0']);
    expect(start.body.outcome).toEqual({ kind: 'waiting_input', nodeId: 'main', timeoutSeconds: 5 });
    const one = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, state: start.body.state, digits: '1' });
    expect(one.body.outcome.nodeId).toBe('billing');
    expect(one.body.ivrPath).toBe('1');
    const back = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, state: one.body.state, digits: '*' });
    expect(back.body.outcome.nodeId).toBe('main');
    expect(back.body.ivrPath).toBe('');
    const balance = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, state: back.body.state, digits: '11' });
    expect(balance.body.outcome).toEqual({ kind: 'hang_up', nodeId: 'bye' });
    expect(balance.body.ivrPath).toBe('1>1');
    expect(balance.body.prompts.map((p: Body) => p.text)).toContain('[balance:electricity]');
    // Timeouts: main allows one retry, then its fallback (the general queue).
    const t1 = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, state: start.body.state, digits: '' });
    const t2 = await call(admin, 'POST', `${base()}/simulate`, { tree: valid, state: t1.body.state, digits: '' });
    expect(t1.body.outcome.kind).toBe('waiting_input');
    expect(t2.body.outcome).toEqual({ kind: 'queue', nodeId: 'agent', queueId: generalQueueId });
    // A draft pointing nowhere cannot be walked there: 422 with the errors, not a 500.
    const broken: IvrTree = { ...valid, nodes: valid.nodes.map((n) => (n.id === 'main' && n.kind === 'menu' ? { ...n, options: { '1': 'nowhere' } } : n)) };
    const s = await call(admin, 'POST', `${base()}/simulate`, { tree: broken });
    const dead = await call(admin, 'POST', `${base()}/simulate`, { tree: broken, state: s.body.state, digits: '1' });
    expect(dead.status).toBe(422);
    expect(dead.body.error.details.issues).toContainEqual({ code: 'unknown_target', severity: 'error', nodeId: 'main', detail: 'nowhere' });
    // Live validation of the editor's tree, without saving it.
    const before = (await call(admin, 'GET', base())).body.draftVersion;
    const checked = await call(admin, 'POST', `${base()}/validate`, { tree: broken });
    expect(checked.status).toBe(200);
    expect(checked.body.issues).toEqual(validateIvrTree(broken));
    expect(checked.body.issues).toContainEqual({ code: 'unknown_target', severity: 'error', nodeId: 'main', detail: 'nowhere' });
    expect((await call(admin, 'GET', base())).body.draftVersion).toBe(before);
  });

  it('answers 400 to bad bodies and ids, and stores nothing', async () => {
    const before = (await call(admin, 'GET', base())).body.draftVersion;
    const badKey = { ...valid, nodes: valid.nodes.map((n) => (n.id === 'main' && n.kind === 'menu' ? { ...n, options: { A: 'agent' } } : n)) };
    for (const body of [{}, { tree: badKey }, { tree: { ...valid, nodes: [] } }, { tree: valid, version: -1 }, { tree: valid, extra: true }, { tree: { ...valid, root: 'not valid!' } }]) {
      const res = await call(admin, 'PUT', `${base()}/draft`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('validation.failed');
    }
    expect((await call(admin, 'GET', '/api/v1/channels/not-a-uuid/ivr')).status).toBe(400);
    expect((await call(admin, 'GET', `${base()}/versions/zero`)).status).toBe(400);
    expect((await call(admin, 'POST', `${base()}/simulate`, { tree: valid, digits: '12a' })).status).toBe(400);
    expect((await call(admin, 'GET', base())).body.draftVersion).toBe(before);
  });

  it('answers 404 for an unknown channel and for a channel that is not CTI', async () => {
    for (const id of [randomUUID(), DEMO_WEBCHAT_CHANNEL_ID]) {
      const get = await call(admin, 'GET', `/api/v1/channels/${id}/ivr`);
      expect(get.status, id).toBe(404);
      expect(get.body.error.code).toBe('resource.not_found');
      expect((await call(admin, 'PUT', `/api/v1/channels/${id}/ivr/draft`, { tree: valid })).status).toBe(404);
      expect((await call(admin, 'POST', `/api/v1/channels/${id}/ivr/publish`)).status).toBe(404);
    }
    expect(await t.database.db.selectFrom('ivr_documents').select('channel_id').where('channel_id', '=', DEMO_WEBCHAT_CHANNEL_ID).executeTakeFirst()).toBeUndefined();
  });

  it('is for channel administrators only: 403 for an agent', async () => {
    const agent = await t.login('agent');
    for (const [method, url, body] of [
      ['GET', base(), undefined],
      ['PUT', `${base()}/draft`, { tree: valid }],
      ['POST', `${base()}/publish`, {}],
      ['POST', `${base()}/versions/1/restore`, {}],
    ] as const) {
      const res = await call(agent, method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.code).toBe('auth.forbidden');
    }
  });
});

describe('the demo center phone line', () => {
  it('has the 95598 CTI channel with agent extensions and a published bilingual IVR (version 1) on real queues', async () => {
    const db = t.database.db;
    const channel = await db.selectFrom('channels').selectAll().where('id', '=', DEMO_CTI_CHANNEL_ID).executeTakeFirstOrThrow();
    expect(channel).toMatchObject({ type: 'cti', name: '95598 供电服务热线', enabled: true });
    const agentId = (await db.selectFrom('users').select('id').where('username', '=', 'agent').executeTakeFirstOrThrow()).id;
    const agent02 = (await db.selectFrom('users').select('id').where('username', '=', 'agent02').executeTakeFirstOrThrow()).id;
    expect((channel.config as { agentExtensions: Record<string, string> }).agentExtensions).toMatchObject({ [agentId]: '8001', [agent02]: '8002' });
    // The runtime reads the signing secret (the seed cannot seal it: see cti.seed.ts).
    const loaded = await t.app.services.outbound.channels.load(DEMO_CTI_CHANNEL_ID);
    expect(loaded?.secrets.signingSecret).toMatch(/^[0-9a-f]{64}$/);
    const path = `/channels/cti/${DEMO_CTI_CHANNEL_ID}/ivr?lang=zh-CN`;
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', loaded?.secrets.signingSecret ?? '').update(`${ts}.${path}`).digest('hex');
    const pbx = await t.app.inject({ method: 'GET', url: path, headers: { 'x-kefu-timestamp': ts, 'x-kefu-signature': `v1=${sig}` } });
    expect(pbx.statusCode).toBe(200);
    expect(pbx.json()).toMatchObject({ format: 'kefu-ivr/1', version: 1, root: 'welcome', languages: ['zh-CN', 'en-US'] });

    const doc = await call(admin, 'GET', `/api/v1/channels/${DEMO_CTI_CHANNEL_ID}/ivr`);
    expect(doc.status).toBe(200);
    expect(doc.body.versions.map((v: Body) => v.version)).toEqual([1]);
    expect(doc.body.issues.filter((i: Body) => i.severity === 'error')).toEqual([]);
    const published = await loadPublishedIvr(db, DEMO_CTI_CHANNEL_ID);
    expect(published?.version).toBe(1);
    const demo = ZIvrTree.parse(published?.tree);
    expect(demo.languages).toEqual(['zh-CN', 'en-US']);
    expect(validateIvrTree(demo)).toEqual([]);
    const queues = await db.selectFrom('queues').select(['id', 'code']).execute();
    const queueOf = (nodeId: string) => {
      const node = demo.nodes.find((n) => n.id === nodeId);
      return queues.find((q) => node && 'queueId' in node && q.id === node.queueId)?.code;
    };
    const main = demo.nodes.find((n) => n.id === 'main');
    expect(main?.kind === 'menu' && main.options).toMatchObject({ '1': 'billing', '2': 'outage', '3': 'complaint', '9': 'english', '0': 'agent' });
    expect([queueOf('billing-queue'), queueOf('complaint'), queueOf('english'), queueOf('agent'), queueOf('repair-queue')]).toEqual(['billing', 'complaint', 'english', 'general', 'general']);
  });
});
