// Editing helpers for the IVR tree in the designer: the outline shown on the left, new nodes with
// valid defaults, kind changes, deletion. The rules (what may be published) stay on the server.
import { IVR_BACK, IVR_DIGITS, IVR_REPEAT, type IvrDigit, type IvrNode, type IvrNodeKind, type IvrPrompt, type IvrTree } from '../../../api/ivr';

export type OutlineVia = { type: 'start' } | { type: 'option'; digit: IvrDigit } | { type: 'fallback' } | { type: 'next' };

export type OutlineItem = {
  /** Unique in the outline: the path of the item from the root. */
  key: string;
  nodeId: string;
  via: OutlineVia;
  /** The node already appears above on this path, or elsewhere (shown once, expanded once). */
  repeated: boolean;
  /** The target does not exist. */
  missing: boolean;
  children: OutlineItem[];
};

export function findNode(tree: IvrTree, id: string): IvrNode | undefined {
  return tree.nodes.find((n) => n.id === id);
}

/** Digits of a menu in keypad order. */
export function menuDigits(options: Partial<Record<IvrDigit, string>>): IvrDigit[] {
  return IVR_DIGITS.filter((d) => options[d] !== undefined);
}

function childrenOf(node: IvrNode): { via: OutlineVia; target: string }[] {
  switch (node.kind) {
    case 'prompt':
    case 'self_service':
      return [{ via: { type: 'next' }, target: node.next }];
    case 'menu':
      return [
        ...menuDigits(node.options)
          .map((digit) => ({ via: { type: 'option', digit } as OutlineVia, target: node.options[digit] as string }))
          .filter((c) => c.target !== IVR_BACK && c.target !== IVR_REPEAT),
        { via: { type: 'fallback' }, target: node.fallback },
      ];
    default:
      return [];
  }
}

/**
 * The tree as an outline from the root: each node is expanded the first time it is met (depth
 * first); later mentions are leaves marked `repeated`, so shared targets and loops stay finite.
 * `unreachable` lists the nodes the walk never met.
 */
export function buildOutline(tree: IvrTree): { items: OutlineItem[]; unreachable: string[] } {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const expanded = new Set<string>();
  const walk = (nodeId: string, via: OutlineVia, key: string): OutlineItem => {
    const node = byId.get(nodeId);
    if (!node) return { key, nodeId, via, repeated: false, missing: true, children: [] };
    if (expanded.has(nodeId)) return { key, nodeId, via, repeated: true, missing: false, children: [] };
    expanded.add(nodeId);
    const children = childrenOf(node).map((c, i) => walk(c.target, c.via, `${key}/${c.via.type === 'option' ? c.via.digit : c.via.type}${i}`));
    return { key, nodeId, via, repeated: false, missing: false, children };
  };
  const items = tree.nodes.length === 0 ? [] : [walk(tree.root, { type: 'start' }, 'root')];
  return { items, unreachable: tree.nodes.filter((n) => !expanded.has(n.id)).map((n) => n.id) };
}

/** Every outline key (to expand everything). */
export function outlineKeys(items: readonly OutlineItem[]): string[] {
  return items.flatMap((i) => [i.key, ...outlineKeys(i.children)]);
}

/** The first words of a node's prompt, for labels. */
export function promptSnippet(node: IvrNode | undefined, language: string, max = 24): string {
  const text = node?.prompt?.text[language] ?? Object.values(node?.prompt?.text ?? {})[0] ?? '';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function emptyPrompt(languages: readonly string[]): IvrPrompt {
  return { text: Object.fromEntries(languages.map((l) => [l, ''])) };
}

/** A prompt with nothing in it is stored as null (optional prompts). */
export function isBlankPrompt(prompt: IvrPrompt | null | undefined): boolean {
  return !prompt || (!prompt.audio && Object.values(prompt.text).every((v) => v.trim() === ''));
}

/** A node of `kind` with valid defaults (keeping id and prompt), e.g. when the admin changes a node's type. */
export function makeNode(id: string, kind: IvrNodeKind, defaults: { languages: readonly string[]; target: string; queueId: string; prompt?: IvrPrompt | null }): IvrNode {
  const prompt = defaults.prompt ?? null;
  const required = prompt ?? emptyPrompt(defaults.languages);
  switch (kind) {
    case 'prompt':
      return { id, kind, prompt: required, next: defaults.target };
    case 'menu':
      return { id, kind, prompt: required, options: { '0': defaults.target }, timeoutSeconds: 5, maxRetries: 2, invalidPrompt: null, fallback: defaults.target };
    case 'queue':
      return { id, kind, queueId: defaults.queueId, prompt };
    case 'self_service':
      return { id, kind, action: 'balance', parameter: null, prompt, next: defaults.target };
    case 'leave_message':
    case 'callback':
      return { id, kind, queueId: null, prompt };
    case 'hang_up':
      return { id, kind, prompt };
  }
}

/** The tree without a node; menu keys that led to it go too (other references stay and show as errors). */
export function removeNode(tree: IvrTree, id: string): IvrTree {
  return {
    ...tree,
    nodes: tree.nodes
      .filter((n) => n.id !== id)
      .map((n) => (n.kind === 'menu' ? { ...n, options: Object.fromEntries(Object.entries(n.options).filter(([, target]) => target !== id)) } : n)),
  };
}

export function replaceNode(tree: IvrTree, node: IvrNode): IvrTree {
  return { ...tree, nodes: tree.nodes.map((n) => (n.id === node.id ? node : n)) };
}

/** A free id like "menu-2" for a new node of `kind`. */
export function suggestNodeId(tree: IvrTree, kind: IvrNodeKind): string {
  const prefix = kind.replace('_', '-');
  for (let i = 1; ; i++) {
    const id = `${prefix}-${i}`;
    if (!findNode(tree, id)) return id;
  }
}

/** Adds or removes languages: each prompt gets an empty text for a new language and loses a removed one. */
export function setLanguages(tree: IvrTree, languages: string[]): IvrTree {
  const fix = (p: IvrPrompt | null | undefined): IvrPrompt | null | undefined =>
    p ? { ...p, text: Object.fromEntries(languages.map((l) => [l, p.text[l] ?? ''])) } : p;
  return {
    ...tree,
    languages,
    defaultLanguage: languages.includes(tree.defaultLanguage) ? tree.defaultLanguage : (languages[0] ?? tree.defaultLanguage),
    nodes: tree.nodes.map((n) => {
      if (n.kind === 'prompt') return { ...n, prompt: fix(n.prompt) as IvrPrompt };
      if (n.kind === 'menu') return { ...n, prompt: fix(n.prompt) as IvrPrompt, invalidPrompt: fix(n.invalidPrompt) };
      return { ...n, prompt: fix(n.prompt) };
    }),
  };
}
