import { assertNever } from '../tickets/assert-never.ts';

// The IVR (interactive voice response, 语音导航) menu tree: what the caller hears and which keys
// lead where. Designed in the admin UI, validated and published as immutable versions, served as
// JSON to the PBX (toPbxIvrJson) and simulated in the browser (startIvr / press).

/** Keys a caller can press. */
export const IVR_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export type IvrDigit = (typeof IVR_DIGITS)[number];

/** Self-service actions answered by an integration the server provides (停电公告, 电费余额). */
export const IVR_SELF_SERVICE_ACTIONS = ['outage_notice', 'balance'] as const;
export type IvrSelfServiceAction = (typeof IVR_SELF_SERVICE_ACTIONS)[number];

/** Option targets that are not nodes: go back to the previous menu, or say this menu again. */
export const IVR_BACK = '@back';
export const IVR_REPEAT = '@repeat';

export const DEFAULT_IVR_MAX_DEPTH = 12;
export const DEFAULT_IVR_TIMEOUT_SECONDS = 5;
export const DEFAULT_IVR_MAX_RETRIES = 2;

/** Text per language ('zh-CN', 'en-US', …); audio: a file name the PBX plays instead (its sound dir). */
export type IvrPrompt = { text: Readonly<Record<string, string>>; audio?: string | null };

export type IvrNode =
  | { id: string; kind: 'prompt'; prompt: IvrPrompt; next: string }
  | {
      id: string;
      kind: 'menu';
      prompt: IvrPrompt;
      /** digit → node id, IVR_BACK or IVR_REPEAT. */
      options: Readonly<Partial<Record<IvrDigit, string>>>;
      timeoutSeconds: number;
      /** Invalid keys or timeouts tolerated before the fallback (the menu is said again each time). */
      maxRetries: number;
      invalidPrompt?: IvrPrompt | null;
      fallback: string;
    }
  | { id: string; kind: 'queue'; queueId: string; prompt?: IvrPrompt | null }
  | { id: string; kind: 'self_service'; action: IvrSelfServiceAction; parameter?: string | null; prompt?: IvrPrompt | null; next: string }
  | { id: string; kind: 'leave_message'; queueId?: string | null; prompt?: IvrPrompt | null }
  | { id: string; kind: 'callback'; queueId?: string | null; prompt?: IvrPrompt | null }
  | { id: string; kind: 'hang_up'; prompt?: IvrPrompt | null };
export type IvrNodeKind = IvrNode['kind'];

export type IvrTree = {
  root: string;
  defaultLanguage: string;
  /** Every prompt has text in each of these. */
  languages: readonly string[];
  nodes: readonly IvrNode[];
  maxDepth?: number;
};

export type IvrIssueCode =
  | 'missing_root'
  | 'duplicate_node'
  | 'invalid_node_id'
  | 'unknown_target'
  | 'invalid_digit'
  | 'empty_menu'
  | 'invalid_timing'
  | 'missing_text'
  | 'missing_queue'
  | 'back_at_root'
  | 'cycle'
  | 'too_deep'
  | 'unreachable';

/** Errors block publishing; warnings (unreachable nodes) are shown. */
export type IvrIssue = { code: IvrIssueCode; severity: 'error' | 'warning'; nodeId?: string; detail?: string };

const NODE_ID = /^[A-Za-z0-9_-]{1,40}$/;
const TERMINAL_KINDS: readonly IvrNodeKind[] = ['queue', 'leave_message', 'callback', 'hang_up'];

export function isIvrTerminal(node: IvrNode): boolean {
  return TERMINAL_KINDS.includes(node.kind);
}

// Node ids a node leads to (menu back/repeat excluded: they never go deeper).
function getTargets(node: IvrNode): string[] {
  switch (node.kind) {
    case 'prompt':
    case 'self_service':
      return [node.next];
    case 'menu':
      return [...Object.values(node.options).filter((t): t is string => t !== undefined && t !== IVR_BACK && t !== IVR_REPEAT), node.fallback];
    case 'queue':
    case 'leave_message':
    case 'callback':
    case 'hang_up':
      return [];
    default:
      return assertNever(node);
  }
}

function getPrompts(node: IvrNode): IvrPrompt[] {
  const prompts = [node.prompt ?? null];
  if (node.kind === 'menu') prompts.push(node.invalidPrompt ?? null);
  return prompts.filter((p): p is IvrPrompt => p !== null);
}

/**
 * Every problem of a tree: keys outside 0–9*#, targets that do not exist, cycles (only IVR_BACK
 * and IVR_REPEAT may go back), paths deeper than maxDepth, prompts missing a language, and
 * unreachable nodes (warning). With no error every path from the root ends in a terminal node.
 */
export function validateIvrTree(tree: IvrTree): IvrIssue[] {
  const issues: IvrIssue[] = [];
  const error = (code: IvrIssueCode, nodeId?: string, detail?: string) => issues.push({ code, severity: 'error', ...(nodeId ? { nodeId } : {}), ...(detail ? { detail } : {}) });
  const byId = new Map<string, IvrNode>();
  for (const node of tree.nodes) {
    if (!NODE_ID.test(node.id)) error('invalid_node_id', node.id);
    if (byId.has(node.id)) error('duplicate_node', node.id);
    else byId.set(node.id, node);
  }
  if (!byId.has(tree.root)) error('missing_root', undefined, tree.root);
  const languages = tree.languages.length > 0 ? tree.languages : [tree.defaultLanguage];
  for (const node of byId.values()) {
    for (const target of getTargets(node)) if (!byId.has(target)) error('unknown_target', node.id, target);
    for (const prompt of getPrompts(node)) {
      for (const lang of languages) if ((prompt.text[lang] ?? '').trim() === '' && !prompt.audio) error('missing_text', node.id, lang);
    }
    if (node.kind === 'menu') {
      const keys = Object.keys(node.options);
      if (keys.length === 0) error('empty_menu', node.id);
      for (const key of keys) if (!(IVR_DIGITS as readonly string[]).includes(key)) error('invalid_digit', node.id, key);
      if (!(node.timeoutSeconds >= 1 && node.timeoutSeconds <= 60) || !Number.isInteger(node.maxRetries) || node.maxRetries < 0 || node.maxRetries > 9) {
        error('invalid_timing', node.id);
      }
      if (node.id === tree.root && Object.values(node.options).includes(IVR_BACK)) error('back_at_root', node.id);
    }
    if (node.kind === 'queue' && node.queueId.trim() === '') error('missing_queue', node.id);
  }
  if (!byId.has(tree.root)) return issues;

  // Depth-first walk from the root: grey nodes are on the current path (a grey target is a cycle).
  const colour = new Map<string, 'grey' | 'black'>();
  const depth = new Map<string, number>(); // longest path (in nodes) from a node to a terminal
  const maxDepth = tree.maxDepth ?? DEFAULT_IVR_MAX_DEPTH;
  const visit = (id: string): number => {
    const node = byId.get(id);
    if (node === undefined) return 0;
    const state = colour.get(id);
    if (state === 'black') return depth.get(id) ?? 0;
    if (state === 'grey') return 0;
    colour.set(id, 'grey');
    let deepest = 0;
    for (const target of getTargets(node)) {
      if (colour.get(target) === 'grey') error('cycle', node.id, target);
      else deepest = Math.max(deepest, visit(target));
    }
    colour.set(id, 'black');
    depth.set(id, deepest + 1);
    return deepest + 1;
  };
  const rootDepth = visit(tree.root);
  if (rootDepth > maxDepth) error('too_deep', tree.root, `${rootDepth} > ${maxDepth}`);
  for (const id of byId.keys()) if (!colour.has(id)) issues.push({ code: 'unreachable', severity: 'warning', nodeId: id });
  return issues;
}

export function hasIvrErrors(issues: readonly IvrIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

// ---------------------------------------------------------------------------------------------
// Versions: one editable draft; publishing freezes a copy under the next version number.

export type PublishedIvr = { readonly version: number; readonly publishedAt: Date; readonly tree: IvrTree };
export type IvrDocument = { readonly draft: IvrTree | null; readonly published: readonly PublishedIvr[] };

export const EMPTY_IVR_DOCUMENT: IvrDocument = Object.freeze({ draft: null, published: Object.freeze([]) as readonly PublishedIvr[] });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// JSON round trip: trees are plain data, and a copy shares nothing with the editor's objects.
const copyTree = (tree: IvrTree): IvrTree => JSON.parse(JSON.stringify(tree)) as IvrTree;

/** Replaces the draft; published versions are untouched. */
export function saveIvrDraft(doc: IvrDocument, tree: IvrTree): IvrDocument {
  return { ...doc, draft: copyTree(tree) };
}

/** A new draft copied from a published version (to edit an older one), or null for an unknown version. */
export function draftFromIvrVersion(doc: IvrDocument, version: number): IvrDocument | null {
  const found = doc.published.find((p) => p.version === version);
  return found === undefined ? null : { ...doc, draft: copyTree(found.tree) };
}

export type PublishIvrResult = { ok: true; doc: IvrDocument; published: PublishedIvr; issues: IvrIssue[] } | { ok: false; reason: 'no_draft' | 'invalid'; issues: IvrIssue[] };

/** Validates the draft and publishes a frozen copy as version last + 1 (the draft stays for further edits). */
export function publishIvrDraft(doc: IvrDocument, now: Date): PublishIvrResult {
  if (doc.draft === null) return { ok: false, reason: 'no_draft', issues: [] };
  const issues = validateIvrTree(doc.draft);
  if (hasIvrErrors(issues)) return { ok: false, reason: 'invalid', issues };
  const version = (doc.published.at(-1)?.version ?? 0) + 1;
  const published = deepFreeze<PublishedIvr>({ version, publishedAt: new Date(now.getTime()), tree: copyTree(doc.draft) });
  return { ok: true, doc: { draft: doc.draft, published: Object.freeze([...doc.published, published]) }, published, issues };
}

/** The latest published version (the one the PBX gets), or a given one. */
export function getPublishedIvr(doc: IvrDocument, version?: number): PublishedIvr | null {
  if (version === undefined) return doc.published.at(-1) ?? null;
  return doc.published.find((p) => p.version === version) ?? null;
}

// ---------------------------------------------------------------------------------------------
// ivrPath: the keys accepted at successive menus, joined by '>' ("1>3"); back removes the last.

const IVR_PATH = /^[0-9*#](>[0-9*#])*$/;

export function encodeIvrPath(digits: readonly string[]): string {
  return digits.join('>');
}

/** The keys of an ivrPath, or null when it is malformed; '' is the empty path. */
export function parseIvrPath(path: string): IvrDigit[] | null {
  if (path === '') return [];
  return IVR_PATH.test(path) ? (path.split('>') as IvrDigit[]) : null;
}

// ---------------------------------------------------------------------------------------------
// Simulator (and reference semantics for PBX scripts).

export type IvrOutcome =
  | { kind: 'waiting_input'; nodeId: string; timeoutSeconds: number }
  | { kind: 'queue'; nodeId: string; queueId: string }
  | { kind: 'leave_message'; nodeId: string; queueId: string | null }
  | { kind: 'callback'; nodeId: string; queueId: string | null }
  | { kind: 'hang_up'; nodeId: string };

export type IvrSimulation = {
  language: string;
  /** The menu waiting for keys; null once an outcome is reached. */
  nodeId: string | null;
  /** Invalid keys / timeouts at the current menu so far. */
  retries: number;
  /** Menus entered and the path length on entering each, for IVR_BACK. */
  stack: readonly { nodeId: string; pathLength: number }[];
  /** Keys accepted so far (encodeIvrPath gives the ivrPath). */
  path: readonly string[];
};

export type IvrSpokenPrompt = { nodeId: string; text: string; audio: string | null };
export type IvrStep = { state: IvrSimulation; prompts: IvrSpokenPrompt[]; outcome: IvrOutcome };

/** Text of a self-service action (the server asks its integration; the simulator passes a stub). */
export type IvrSelfServiceResolver = (action: IvrSelfServiceAction, parameter: string | null) => string;

const defaultResolver: IvrSelfServiceResolver = (action, parameter) => `[${action}${parameter ? `:${parameter}` : ''}]`;

function say(tree: IvrTree, language: string, nodeId: string, prompt: IvrPrompt | null | undefined): IvrSpokenPrompt[] {
  if (!prompt) return [];
  const text = prompt.text[language] ?? prompt.text[tree.defaultLanguage] ?? '';
  return [{ nodeId, text, audio: prompt.audio ?? null }];
}

function nodeOf(tree: IvrTree, id: string): IvrNode {
  const node = tree.nodes.find((n) => n.id === id);
  if (node === undefined) throw new RangeError(`IVR node ${id} does not exist`);
  return node;
}

// Walks from `id` through prompts and self-service until a menu waits or a terminal is reached.
function enter(tree: IvrTree, state: IvrSimulation, id: string, resolve: IvrSelfServiceResolver, prompts: IvrSpokenPrompt[]): IvrStep {
  let node = nodeOf(tree, id);
  // Validated trees have no cycles; the bound keeps an unvalidated draft from looping forever.
  for (let hops = 0; hops <= tree.nodes.length; hops++) {
    prompts.push(...say(tree, state.language, node.id, node.prompt));
    switch (node.kind) {
      case 'prompt':
        node = nodeOf(tree, node.next);
        continue;
      case 'self_service':
        prompts.push({ nodeId: node.id, text: resolve(node.action, node.parameter ?? null), audio: null });
        node = nodeOf(tree, node.next);
        continue;
      case 'menu':
        return {
          state: { ...state, nodeId: node.id, retries: 0, stack: [...state.stack, { nodeId: node.id, pathLength: state.path.length }] },
          prompts,
          outcome: { kind: 'waiting_input', nodeId: node.id, timeoutSeconds: node.timeoutSeconds },
        };
      case 'queue':
        return { state: { ...state, nodeId: null }, prompts, outcome: { kind: 'queue', nodeId: node.id, queueId: node.queueId } };
      case 'leave_message':
      case 'callback':
        return { state: { ...state, nodeId: null }, prompts, outcome: { kind: node.kind, nodeId: node.id, queueId: node.queueId ?? null } };
      case 'hang_up':
        return { state: { ...state, nodeId: null }, prompts, outcome: { kind: 'hang_up', nodeId: node.id } };
      default:
        return assertNever(node);
    }
  }
  throw new RangeError('IVR tree has a cycle');
}

/** A call entering the tree: the prompts until the first menu (or outcome). */
export function startIvr(tree: IvrTree, language?: string, resolve: IvrSelfServiceResolver = defaultResolver): IvrStep {
  const lang = language !== undefined && tree.languages.includes(language) ? language : tree.defaultLanguage;
  return enter(tree, { language: lang, nodeId: null, retries: 0, stack: [], path: [] }, tree.root, resolve, []);
}

/**
 * The caller presses `digits` (one key at a time, in order) at the waiting menu; '' means the
 * menu timed out without a key. Invalid keys and timeouts say the invalid prompt and the menu
 * again until maxRetries is exceeded, then go to the fallback. RangeError when no menu waits.
 */
export function press(tree: IvrTree, state: IvrSimulation, digits: string, resolve: IvrSelfServiceResolver = defaultResolver): IvrStep {
  if (state.nodeId === null) throw new RangeError('The IVR is not waiting for input');
  const keys = digits === '' ? [null] : [...digits];
  let current: IvrStep | null = null;
  let s = state;
  const prompts: IvrSpokenPrompt[] = [];
  for (const key of keys) {
    if (s.nodeId === null) break; // an outcome was reached: later keys are ignored
    current = pressOne(tree, s, key, resolve, prompts);
    s = current.state;
  }
  return { ...(current as IvrStep), prompts };
}

function pressOne(tree: IvrTree, state: IvrSimulation, key: string | null, resolve: IvrSelfServiceResolver, prompts: IvrSpokenPrompt[]): IvrStep {
  const menu = nodeOf(tree, state.nodeId as string);
  if (menu.kind !== 'menu') throw new RangeError(`IVR node ${menu.id} is not a menu`);
  const target = key === null ? undefined : menu.options[key as IvrDigit];
  if (target === undefined) {
    if (state.retries >= menu.maxRetries) return enter(tree, state, menu.fallback, resolve, prompts);
    prompts.push(...say(tree, state.language, menu.id, menu.invalidPrompt), ...say(tree, state.language, menu.id, menu.prompt));
    return { state: { ...state, retries: state.retries + 1 }, prompts, outcome: { kind: 'waiting_input', nodeId: menu.id, timeoutSeconds: menu.timeoutSeconds } };
  }
  if (target === IVR_REPEAT) {
    prompts.push(...say(tree, state.language, menu.id, menu.prompt));
    return { state: { ...state, retries: 0 }, prompts, outcome: { kind: 'waiting_input', nodeId: menu.id, timeoutSeconds: menu.timeoutSeconds } };
  }
  if (target === IVR_BACK) {
    // Back to the menu before this one, with the keys it had then (validation forbids back at the root).
    const stack = state.stack.slice(0, -1);
    const previous = stack.at(-1);
    if (previous === undefined) return enter(tree, { ...state, stack: [], path: [] }, tree.root, resolve, prompts);
    return enter(tree, { ...state, stack: stack.slice(0, -1), path: state.path.slice(0, previous.pathLength) }, previous.nodeId, resolve, prompts);
  }
  return enter(tree, { ...state, path: [...state.path, key as string] }, target, resolve, prompts);
}

/** Where an ivrPath leads from the root (prompts and self-service passed through), or null when it does not fit the tree. */
export function resolveIvrPath(tree: IvrTree, path: string): IvrOutcome | null {
  const keys = parseIvrPath(path);
  if (keys === null) return null;
  let step = startIvr(tree, undefined, () => '');
  for (const key of keys) {
    if (step.state.nodeId === null) return null;
    const menu = nodeOf(tree, step.state.nodeId);
    if (menu.kind !== 'menu' || menu.options[key] === undefined || menu.options[key] === IVR_BACK || menu.options[key] === IVR_REPEAT) return null;
    step = press(tree, step.state, key, () => '');
  }
  return step.outcome;
}

// ---------------------------------------------------------------------------------------------
// What the PBX receives: GET /channels/cti/:channelId/ivr.

export const IVR_PBX_FORMAT = 'kefu-ivr/1';

export type PbxIvrJson = {
  format: typeof IVR_PBX_FORMAT;
  version: number;
  publishedAt: string;
  root: string;
  defaultLanguage: string;
  languages: string[];
  /** Node id → node (without its id); option targets are node ids, "@back" or "@repeat". */
  nodes: Record<string, Record<string, unknown>>;
};

/** The published tree as the PBX gets it: nodes keyed by id for direct look-ups in a dialplan script. */
export function toPbxIvrJson(published: PublishedIvr): PbxIvrJson {
  const nodes: Record<string, Record<string, unknown>> = {};
  for (const node of published.tree.nodes) {
    const { id, ...rest } = node;
    const body: Record<string, unknown> = JSON.parse(JSON.stringify(rest));
    if (node.kind === 'menu') body.options = Object.fromEntries(IVR_DIGITS.filter((d) => node.options[d] !== undefined).map((d) => [d, node.options[d]]));
    nodes[id] = body;
  }
  return {
    format: IVR_PBX_FORMAT,
    version: published.version,
    publishedAt: published.publishedAt.toISOString(),
    root: published.tree.root,
    defaultLanguage: published.tree.defaultLanguage,
    languages: [...published.tree.languages],
    nodes,
  };
}
