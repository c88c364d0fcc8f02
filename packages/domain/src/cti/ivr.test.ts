import { describe, expect, it } from 'vitest';
import {
  draftFromIvrVersion,
  EMPTY_IVR_DOCUMENT,
  encodeIvrPath,
  getPublishedIvr,
  IVR_BACK,
  IVR_REPEAT,
  type IvrNode,
  type IvrTree,
  parseIvrPath,
  press,
  publishIvrDraft,
  resolveIvrPath,
  saveIvrDraft,
  startIvr,
  toPbxIvrJson,
  validateIvrTree,
} from './ivr.ts';

const zh = (text: string, en = `EN ${text}`) => ({ text: { 'zh-CN': text, 'en-US': en } });

// A utility hotline (95598-style): 1 electricity bill → balance or agent; 2 outage notice; 0 agent.
const hotline = (): IvrTree => ({
  root: 'welcome',
  defaultLanguage: 'zh-CN',
  languages: ['zh-CN', 'en-US'],
  nodes: [
    { id: 'welcome', kind: 'prompt', prompt: { ...zh('您好，欢迎致电供电服务热线。', 'Welcome to the power service hotline.'), audio: 'welcome.wav' }, next: 'main' },
    {
      id: 'main',
      kind: 'menu',
      prompt: zh('电费查询请按1，停电信息请按2，人工服务请按0。', 'Bills press 1, outages press 2, an agent press 0.'),
      options: { '1': 'billing', '2': 'outage', '0': 'agent', '9': IVR_REPEAT },
      timeoutSeconds: 5,
      maxRetries: 2,
      invalidPrompt: zh('输入有误，请重新输入。', 'Invalid input, please try again.'),
      fallback: 'agent',
    },
    {
      id: 'billing',
      kind: 'menu',
      prompt: zh('查询余额请按1，咨询电费请按2，返回上级请按*。'),
      options: { '1': 'balance', '2': 'billing-queue', '*': IVR_BACK },
      timeoutSeconds: 5,
      maxRetries: 1,
      fallback: 'agent',
    },
    { id: 'balance', kind: 'self_service', action: 'balance', parameter: 'electricity', next: 'bye' },
    { id: 'outage', kind: 'self_service', action: 'outage_notice', prompt: zh('您所在区域的停电信息如下：'), next: 'after-outage' },
    {
      id: 'after-outage',
      kind: 'menu',
      prompt: zh('留言请按1，预约回电请按2。'),
      options: { '1': 'message', '2': 'callback' },
      timeoutSeconds: 8,
      maxRetries: 0,
      fallback: 'bye',
    },
    { id: 'billing-queue', kind: 'queue', queueId: 'q-billing', prompt: zh('正在为您转接电费专席，请稍候。') },
    { id: 'agent', kind: 'queue', queueId: 'q-general' },
    { id: 'message', kind: 'leave_message', queueId: 'q-general', prompt: zh('请在提示音后留言。') },
    { id: 'callback', kind: 'callback', queueId: 'q-general' },
    { id: 'bye', kind: 'hang_up', prompt: zh('感谢您的来电，再见。', 'Thank you for calling, goodbye.') },
  ],
});

const withNodes = (tree: IvrTree, nodes: IvrNode[]): IvrTree => ({ ...tree, nodes });
const codes = (tree: IvrTree) => validateIvrTree(tree).map((i) => `${i.severity}:${i.code}:${i.nodeId ?? ''}`);

describe('IVR validation', () => {
  it('accepts the hotline tree', () => {
    expect(validateIvrTree(hotline())).toEqual([]);
  });

  it('reports keys outside 0-9*#, unknown targets, an empty menu and bad timings', () => {
    const tree = hotline();
    const nodes = tree.nodes.map((n) =>
      n.id === 'main' && n.kind === 'menu' ? { ...n, options: { ...n.options, A: 'agent', '3': 'nowhere' } as never, timeoutSeconds: 0 } : n.id === 'billing' && n.kind === 'menu' ? { ...n, options: {} } : n,
    );
    expect(codes(withNodes(tree, nodes))).toEqual(
      expect.arrayContaining(['error:invalid_digit:main', 'error:unknown_target:main', 'error:invalid_timing:main', 'error:empty_menu:billing', 'warning:unreachable:balance']),
    );
  });

  it('reports a cycle but allows back and repeat', () => {
    const tree = hotline();
    const nodes = tree.nodes.map((n) => (n.id === 'after-outage' && n.kind === 'menu' ? { ...n, options: { ...n.options, '3': 'main' } } : n));
    expect(codes(withNodes(tree, nodes))).toContain('error:cycle:after-outage');
    const self = tree.nodes.map((n) => (n.id === 'billing' && n.kind === 'menu' ? { ...n, fallback: 'billing' } : n));
    expect(codes(withNodes(tree, self))).toContain('error:cycle:billing');
  });

  it('reports a missing language, unreachable nodes, duplicates, a missing root and back at the root', () => {
    const tree = hotline();
    const noEnglish = tree.nodes.map((n) => (n.id === 'bye' ? { ...n, prompt: { text: { 'zh-CN': '再见' } } } : n));
    expect(codes(withNodes(tree, noEnglish))).toEqual(['error:missing_text:bye']);
    const orphan: IvrNode = { id: 'old-menu', kind: 'hang_up' };
    expect(codes(withNodes(tree, [...tree.nodes, orphan]))).toEqual(['warning:unreachable:old-menu']);
    expect(codes(withNodes(tree, [...tree.nodes, { id: 'bye', kind: 'hang_up' }]))).toContain('error:duplicate_node:bye');
    expect(codes({ ...tree, root: 'nope' })).toContain('error:missing_root:');
    const backAtRoot = { ...tree, root: 'main', nodes: tree.nodes.map((n) => (n.id === 'main' && n.kind === 'menu' ? { ...n, options: { ...n.options, '*': IVR_BACK } } : n)) };
    expect(codes(backAtRoot)).toContain('error:back_at_root:main');
  });

  it('reports a tree deeper than maxDepth', () => {
    const chain: IvrNode[] = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, kind: 'prompt', prompt: zh(`第${i}段`), next: i === 5 ? 'end' : `p${i + 1}` }) as IvrNode);
    const tree: IvrTree = { root: 'p0', defaultLanguage: 'zh-CN', languages: ['zh-CN', 'en-US'], nodes: [...chain, { id: 'end', kind: 'hang_up' }], maxDepth: 5 };
    expect(codes(tree)).toEqual(['error:too_deep:p0']);
    expect(codes({ ...tree, maxDepth: 7 })).toEqual([]);
  });
});

describe('IVR versions', () => {
  it('publishes immutable numbered versions while the draft stays editable', () => {
    let doc = saveIvrDraft(EMPTY_IVR_DOCUMENT, hotline());
    const first = publishIvrDraft(doc, new Date('2026-11-27T01:00:00Z'));
    if (!first.ok) throw new Error(first.reason);
    expect(first.published.version).toBe(1);
    doc = first.doc;
    // Editing the draft never reaches the published version.
    const edited = hotline();
    edited.nodes = edited.nodes.map((n) => (n.id === 'bye' ? { ...n, prompt: zh('再见！', 'Bye!') } : n));
    doc = saveIvrDraft(doc, edited);
    const v1 = getPublishedIvr(doc, 1)!;
    expect(Object.isFrozen(v1.tree)).toBe(true);
    expect(() => {
      (v1.tree.nodes as IvrNode[]).push({ id: 'x', kind: 'hang_up' });
    }).toThrow(TypeError);
    const second = publishIvrDraft(doc, new Date('2026-11-27T02:00:00Z'));
    if (!second.ok) throw new Error(second.reason);
    expect(second.published.version).toBe(2);
    expect(getPublishedIvr(second.doc)!.version).toBe(2);
    expect(startIvr(getPublishedIvr(second.doc, 1)!.tree).state.language).toBe('zh-CN');
    expect(getPublishedIvr(second.doc, 1)!.tree.nodes.find((n) => n.id === 'bye')!.prompt!.text['zh-CN']).toBe('感谢您的来电，再见。');
    expect(draftFromIvrVersion(second.doc, 1)!.draft).toEqual(getPublishedIvr(second.doc, 1)!.tree);
    expect(draftFromIvrVersion(second.doc, 7)).toBeNull();
  });

  it('refuses to publish an invalid draft or no draft', () => {
    expect(publishIvrDraft(EMPTY_IVR_DOCUMENT, new Date())).toMatchObject({ ok: false, reason: 'no_draft' });
    const bad = saveIvrDraft(EMPTY_IVR_DOCUMENT, { ...hotline(), root: 'missing' });
    const r = publishIvrDraft(bad, new Date());
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    expect(bad.published).toEqual([]);
  });
});

describe('IVR simulator', () => {
  const tree = hotline();

  it('greets in Chinese and waits at the main menu', () => {
    const s = startIvr(tree);
    expect(s.prompts.map((p) => p.text)).toEqual(['您好，欢迎致电供电服务热线。', '电费查询请按1，停电信息请按2，人工服务请按0。']);
    expect(s.prompts[0]!.audio).toBe('welcome.wav');
    expect(s.outcome).toEqual({ kind: 'waiting_input', nodeId: 'main', timeoutSeconds: 5 });
  });

  it('follows 1 then 2 to the billing queue and encodes the path', () => {
    const s = press(tree, startIvr(tree).state, '12');
    expect(s.outcome).toEqual({ kind: 'queue', nodeId: 'billing-queue', queueId: 'q-billing' });
    expect(s.prompts.map((p) => p.text)).toEqual(['查询余额请按1，咨询电费请按2，返回上级请按*。', '正在为您转接电费专席，请稍候。']);
    expect(encodeIvrPath(s.state.path)).toBe('1>2');
  });

  it('reads the balance through the self-service resolver, then hangs up', () => {
    const s = press(tree, startIvr(tree).state, '11', (action, parameter) => `${action}/${parameter}: 您的电费余额为128.50元。`);
    expect(s.prompts.map((p) => p.text)).toEqual(['查询余额请按1，咨询电费请按2，返回上级请按*。', 'balance/electricity: 您的电费余额为128.50元。', '感谢您的来电，再见。']);
    expect(s.outcome.kind).toBe('hang_up');
  });

  it('says the invalid prompt and the menu again, then falls back after maxRetries', () => {
    let s = press(tree, startIvr(tree).state, '7');
    expect(s.prompts.map((p) => p.text)).toEqual(['输入有误，请重新输入。', '电费查询请按1，停电信息请按2，人工服务请按0。']);
    expect(s.outcome.kind).toBe('waiting_input');
    s = press(tree, s.state, '#');
    expect(s.state.retries).toBe(2);
    s = press(tree, s.state, '8');
    expect(s.outcome).toEqual({ kind: 'queue', nodeId: 'agent', queueId: 'q-general' });
  });

  it('treats a timeout (no key) like an invalid key and resets retries after a valid one', () => {
    let s = press(tree, startIvr(tree).state, '');
    expect(s.state.retries).toBe(1);
    s = press(tree, s.state, '9'); // repeat
    expect(s.state.retries).toBe(0);
    expect(s.prompts.map((p) => p.text)).toEqual(['电费查询请按1，停电信息请按2，人工服务请按0。']);
    s = press(tree, s.state, '2');
    expect(s.prompts.map((p) => p.text)).toEqual(['您所在区域的停电信息如下：', '[outage_notice]', '留言请按1，预约回电请按2。']);
    s = press(tree, s.state, ''); // maxRetries 0: straight to the fallback
    expect(s.outcome.kind).toBe('hang_up');
    expect(encodeIvrPath(s.state.path)).toBe('2');
  });

  it('goes back with * and speaks English to an English caller', () => {
    let s = startIvr(tree, 'en-US');
    expect(s.prompts[0]!.text).toBe('Welcome to the power service hotline.');
    s = press(tree, s.state, '1*');
    expect(s.outcome).toEqual({ kind: 'waiting_input', nodeId: 'main', timeoutSeconds: 5 });
    expect(s.state.path).toEqual([]);
    expect(s.prompts.at(-1)!.text).toBe('Bills press 1, outages press 2, an agent press 0.');
    s = press(tree, s.state, '0');
    expect(s.outcome).toMatchObject({ kind: 'queue', queueId: 'q-general' });
  });

  it('goes back to the previous menu with the keys it had, also from a menu reached by fallback', () => {
    const menu = (id: string, options: Record<string, string>, fallback: string): IvrNode => ({ id, kind: 'menu', prompt: { text: { 'zh-CN': `菜单${id}` } }, options, timeoutSeconds: 3, maxRetries: 0, fallback });
    const t: IvrTree = {
      root: 'm1',
      defaultLanguage: 'zh-CN',
      languages: ['zh-CN'],
      nodes: [menu('m1', { '1': 'm2' }, 'end'), menu('m2', { '1': 'm3' }, 'm3'), menu('m3', { '*': IVR_BACK, '0': 'end' }, 'end'), { id: 'end', kind: 'hang_up' }],
    };
    expect(validateIvrTree(t)).toEqual([]);
    let s = press(t, startIvr(t).state, '1'); // m2, path 1
    s = press(t, s.state, ''); // timeout → fallback m3, path still 1
    expect(s.outcome).toMatchObject({ nodeId: 'm3' });
    s = press(t, s.state, '*');
    expect(s.outcome).toMatchObject({ nodeId: 'm2' });
    expect(encodeIvrPath(s.state.path)).toBe('1');
    s = press(t, s.state, '1*');
    expect(s.outcome).toMatchObject({ nodeId: 'm2' });
    expect(s.prompts.map((p) => p.text)).toEqual(['菜单m3', '菜单m2']);
    expect(encodeIvrPath(s.state.path)).toBe('1');
  });

  it('ignores keys after an outcome and refuses input when nothing waits', () => {
    const s = press(tree, startIvr(tree).state, '0123');
    expect(s.outcome).toMatchObject({ kind: 'queue', queueId: 'q-general' });
    expect(() => press(tree, s.state, '1')).toThrow(RangeError);
  });
});

describe('ivrPath and the PBX JSON', () => {
  it('parses and resolves ivrPath', () => {
    expect(parseIvrPath('1>3')).toEqual(['1', '3']);
    expect(parseIvrPath('')).toEqual([]);
    expect(parseIvrPath('1>>3')).toBeNull();
    expect(parseIvrPath('12')).toBeNull();
    expect(resolveIvrPath(hotline(), '1>2')).toEqual({ kind: 'queue', nodeId: 'billing-queue', queueId: 'q-billing' });
    expect(resolveIvrPath(hotline(), '2>1')).toMatchObject({ kind: 'leave_message' });
    expect(resolveIvrPath(hotline(), '5')).toBeNull();
    expect(resolveIvrPath(hotline(), '1>*')).toBeNull();
  });

  it('serves nodes keyed by id with the published version', () => {
    const r = publishIvrDraft(saveIvrDraft(EMPTY_IVR_DOCUMENT, hotline()), new Date('2026-11-27T01:00:00Z'));
    if (!r.ok) throw new Error(r.reason);
    const json = toPbxIvrJson(r.published);
    expect(json).toMatchObject({ format: 'kefu-ivr/1', version: 1, publishedAt: '2026-11-27T01:00:00.000Z', root: 'welcome', defaultLanguage: 'zh-CN' });
    expect(json.nodes.main).toMatchObject({ kind: 'menu', options: { '0': 'agent', '1': 'billing', '2': 'outage', '9': '@repeat' }, fallback: 'agent', timeoutSeconds: 5 });
    expect(Object.keys(json.nodes.main!.options as object)).toEqual(['0', '1', '2', '9']);
    expect(json.nodes['billing-queue']).toEqual({ kind: 'queue', queueId: 'q-billing', prompt: { text: { 'zh-CN': '正在为您转接电费专席，请稍候。', 'en-US': 'EN 正在为您转接电费专席，请稍候。' } } });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
