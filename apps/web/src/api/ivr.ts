// The IVR designer's API (语音导航, docs/cti.md): the draft, publishing, versions, live checks and
// the simulator. The tree types mirror packages/domain/src/cti/ivr.ts (the web app does not bundle
// the domain package; the server runs validateIvrTree and startIvr / press for it).
import { api, apiRequest } from './client';

export const IVR_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type IvrDigit = (typeof IVR_DIGITS)[number];
export const IVR_BACK = '@back';
export const IVR_REPEAT = '@repeat';
export const IVR_SELF_SERVICE_ACTIONS = ['outage_notice', 'balance'] as const;
export type IvrSelfServiceAction = (typeof IVR_SELF_SERVICE_ACTIONS)[number];
export const IVR_NODE_KINDS = ['prompt', 'menu', 'queue', 'self_service', 'leave_message', 'callback', 'hang_up'] as const;
export type IvrNodeKind = (typeof IVR_NODE_KINDS)[number];
/** The server's rules for ids, language tags and audio file names (cti.ivr-schema.ts). */
export const IVR_NODE_ID = /^[A-Za-z0-9_-]{1,40}$/;
export const IVR_LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const IVR_AUDIO = /^[\w./-]{1,200}$/;

export type IvrPrompt = { text: Record<string, string>; audio?: string | null };
export type IvrNode =
  | { id: string; kind: 'prompt'; prompt: IvrPrompt; next: string }
  | {
      id: string;
      kind: 'menu';
      prompt: IvrPrompt;
      options: Partial<Record<IvrDigit, string>>;
      timeoutSeconds: number;
      maxRetries: number;
      invalidPrompt?: IvrPrompt | null;
      fallback: string;
    }
  | { id: string; kind: 'queue'; queueId: string; prompt?: IvrPrompt | null }
  | { id: string; kind: 'self_service'; action: IvrSelfServiceAction; parameter?: string | null; prompt?: IvrPrompt | null; next: string }
  | { id: string; kind: 'leave_message'; queueId?: string | null; prompt?: IvrPrompt | null }
  | { id: string; kind: 'callback'; queueId?: string | null; prompt?: IvrPrompt | null }
  | { id: string; kind: 'hang_up'; prompt?: IvrPrompt | null };
export type IvrTree = { root: string; defaultLanguage: string; languages: string[]; nodes: IvrNode[]; maxDepth?: number };

export const IVR_ISSUE_CODES = [
  'missing_root',
  'duplicate_node',
  'invalid_node_id',
  'unknown_target',
  'invalid_digit',
  'empty_menu',
  'invalid_timing',
  'missing_text',
  'missing_queue',
  'back_at_root',
  'cycle',
  'too_deep',
  'unreachable',
] as const;
export type IvrIssueCode = (typeof IVR_ISSUE_CODES)[number];
export type IvrIssue = { code: IvrIssueCode; severity: 'error' | 'warning'; nodeId?: string; detail?: string };

export type IvrVersionSummary = { version: number; publishedAt: string; publishedBy: string | null; publishedByName: string | null };
export type IvrDocument = {
  channelId: string;
  draft: IvrTree | null;
  /** Optimistic concurrency: send it back with the next save (0 before the first save). */
  draftVersion: number;
  issues: IvrIssue[];
  /** Newest first. */
  versions: IvrVersionSummary[];
  published: { version: number; publishedAt: string } | null;
};
export type IvrVersion = IvrVersionSummary & { channelId: string; tree: IvrTree };
export type IvrPublishResult = { version: number; publishedAt: string; warnings: IvrIssue[] };

export type IvrSimulation = { language: string; nodeId: string | null; retries: number; stack: { nodeId: string; pathLength: number }[]; path: string[] };
export type IvrOutcome =
  | { kind: 'waiting_input'; nodeId: string; timeoutSeconds: number }
  | { kind: 'queue'; nodeId: string; queueId: string }
  | { kind: 'leave_message'; nodeId: string; queueId: string | null }
  | { kind: 'callback'; nodeId: string; queueId: string | null }
  | { kind: 'hang_up'; nodeId: string };
export type IvrSpokenPrompt = { nodeId: string; text: string; audio: string | null };
export type IvrSimulateResult = { state: IvrSimulation; prompts: IvrSpokenPrompt[]; outcome: IvrOutcome; ivrPath: string };

const base = (channelId: string) => `/channels/${encodeURIComponent(channelId)}/ivr`;

export const ivrQueryKey = (channelId: string) => ['ivr', channelId] as const;

export function getIvr(channelId: string, signal?: AbortSignal) {
  return api.get<IvrDocument>(base(channelId), undefined, signal);
}

/** Saves the draft (it may have errors); 409 ivr.version_conflict when `version` is stale. */
export function saveIvrDraft(channelId: string, tree: IvrTree, version?: number) {
  return api.put<IvrDocument>(`${base(channelId)}/draft`, { tree, ...(version !== undefined ? { version } : {}) });
}

/** Publishes the saved draft as the next version; 422 ivr.invalid_tree (details.issues) when it has errors. */
export function publishIvr(channelId: string, draftVersion?: number) {
  return api.post<IvrPublishResult>(`${base(channelId)}/publish`, draftVersion !== undefined ? { draftVersion } : {});
}

export function getIvrVersion(channelId: string, version: number) {
  return api.get<IvrVersion>(`${base(channelId)}/versions/${version}`);
}

/** Copies a published version into the draft (nothing is published). */
export function restoreIvrVersion(channelId: string, version: number, draftVersion?: number) {
  return api.post<IvrDocument>(`${base(channelId)}/versions/${version}/restore`, draftVersion !== undefined ? { draftVersion } : {});
}

/** The checks of a tree that is not saved yet. */
export function validateIvr(channelId: string, tree: IvrTree, signal?: AbortSignal) {
  return apiRequest<{ issues: IvrIssue[] }>('POST', `${base(channelId)}/validate`, { body: { tree }, signal });
}

/** One step of a test call on the given tree: start it (no state) or press keys ('' = timeout). */
export function simulateIvr(channelId: string, body: { tree: IvrTree; language?: string; state?: IvrSimulation; digits?: string }) {
  return api.post<IvrSimulateResult>(`${base(channelId)}/simulate`, body);
}
