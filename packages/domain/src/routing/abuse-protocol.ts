import type { BuiltinRole } from '../access/permissions.ts';
import { assertNever } from '../tickets/assert-never.ts';

// Abusive-contact protocol (恶意/辱骂来电处理): the contact's agent sends scripted warning 1, then
// warning 2, then asks to close the session; a team lead (值班长) approves or rejects it live.
// Steps cannot be skipped, so every closed session shows two warnings and an approval.

export const ABUSE_STAGES = [
  'none',
  'warned_once', // 第一次警示
  'warned_twice', // 第二次警示
  'closure_requested', // waiting for the team lead
  'closed', // closure approved (terminal)
] as const;
export type AbuseStage = (typeof ABUSE_STAGES)[number];

/** Script keys (话术) sent to the customer at each step; the texts live in the script library. */
export const ABUSE_SCRIPT_KEYS = {
  warning1: 'abuse.warning_1',
  warning2: 'abuse.warning_2',
  closing: 'abuse.closing',
} as const;
export type AbuseScriptKey = (typeof ABUSE_SCRIPT_KEYS)[keyof typeof ABUSE_SCRIPT_KEYS];

export type AbuseProtocolState = {
  /** The agent handling the contact: the only one who may warn and request closure. */
  agentId: string;
  stage: AbuseStage;
  warnedAt: readonly Date[];
  closureRequestedAt: Date | null;
  /** Closure requests rejected so far (the agent may ask again). */
  rejections: number;
  decidedBy: string | null;
  closedAt: Date | null;
  lastChangedAt: Date | null;
};

export type AbuseActor = { userId: string; role: BuiltinRole };

export type AbuseAction =
  | { type: 'warn'; level: 1 | 2 }
  | { type: 'request_closure'; note?: string }
  | { type: 'approve_closure' }
  | { type: 'reject_closure'; note?: string };

export const ABUSE_REFUSALS = [
  'terminal', // session already closed
  'before_last_change',
  'not_contact_agent', // only the contact's agent warns and requests closure
  'not_supervisor', // only a team lead approves or rejects
  'self_approval', // a team lead handling the contact cannot approve their own request
  'step_skipped', // warning 2 before 1, closure before two warnings
  'already_warned',
  'request_pending', // a closure request waits for a decision
  'no_pending_request',
] as const;
export type AbuseRefusal = (typeof ABUSE_REFUSALS)[number];

export type AbuseEvent = {
  type: 'warned' | 'closure_requested' | 'closure_approved' | 'closure_rejected';
  from: AbuseStage;
  to: AbuseStage;
  at: Date;
  by: string;
  details: Readonly<Record<string, string | number | null>>;
};

export type AbuseResult =
  | { ok: true; state: AbuseProtocolState; event: AbuseEvent; scriptKey: AbuseScriptKey | null }
  | { ok: false; reason: AbuseRefusal };

/** A fresh protocol for a contact handled by `agentId`. */
export function startAbuseProtocol(agentId: string): AbuseProtocolState {
  return { agentId, stage: 'none', warnedAt: [], closureRequestedAt: null, rejections: 0, decidedBy: null, closedAt: null, lastChangedAt: null };
}

const STAGE_INDEX = (stage: AbuseStage) => ABUSE_STAGES.indexOf(stage);

function checkAction(state: AbuseProtocolState, action: AbuseAction, actor: AbuseActor): AbuseRefusal | null {
  switch (action.type) {
    case 'warn': {
      if (actor.userId !== state.agentId) return 'not_contact_agent';
      if (state.stage === 'closure_requested') return 'request_pending';
      const needed: AbuseStage = action.level === 1 ? 'none' : 'warned_once';
      if (state.stage === needed) return null;
      return STAGE_INDEX(state.stage) < STAGE_INDEX(needed) ? 'step_skipped' : 'already_warned';
    }
    case 'request_closure':
      if (actor.userId !== state.agentId) return 'not_contact_agent';
      if (state.stage === 'closure_requested') return 'request_pending';
      return state.stage === 'warned_twice' ? null : 'step_skipped';
    case 'approve_closure':
    case 'reject_closure':
      if (actor.role !== 'supervisor') return 'not_supervisor';
      if (actor.userId === state.agentId) return 'self_approval';
      return state.stage === 'closure_requested' ? null : 'no_pending_request';
    default:
      return assertNever(action);
  }
}

/**
 * Applies one step of the protocol by `actor` at `now`. Warnings return the script key to send;
 * an approved closure returns the closing script, after which the service ends the contact.
 */
export function advanceAbuseProtocol(state: AbuseProtocolState, action: AbuseAction, actor: AbuseActor, now: Date): AbuseResult {
  if (state.stage === 'closed') return { ok: false, reason: 'terminal' };
  if (state.lastChangedAt !== null && now.getTime() < state.lastChangedAt.getTime()) return { ok: false, reason: 'before_last_change' };
  const refusal = checkAction(state, action, actor);
  if (refusal !== null) return { ok: false, reason: refusal };
  const done = (
    type: AbuseEvent['type'],
    patch: Partial<AbuseProtocolState>,
    scriptKey: AbuseScriptKey | null,
    details: AbuseEvent['details'] = {},
  ): AbuseResult => {
    const next = { ...state, ...patch, lastChangedAt: now };
    return { ok: true, state: next, scriptKey, event: { type, from: state.stage, to: next.stage, at: now, by: actor.userId, details } };
  };
  switch (action.type) {
    case 'warn':
      return done(
        'warned',
        { stage: action.level === 1 ? 'warned_once' : 'warned_twice', warnedAt: [...state.warnedAt, now] },
        action.level === 1 ? ABUSE_SCRIPT_KEYS.warning1 : ABUSE_SCRIPT_KEYS.warning2,
        { level: action.level },
      );
    case 'request_closure':
      return done('closure_requested', { stage: 'closure_requested', closureRequestedAt: now }, null, { note: action.note ?? null });
    case 'approve_closure':
      return done('closure_approved', { stage: 'closed', decidedBy: actor.userId, closedAt: now }, ABUSE_SCRIPT_KEYS.closing);
    case 'reject_closure':
      return done(
        'closure_rejected',
        { stage: 'warned_twice', decidedBy: actor.userId, closureRequestedAt: null, rejections: state.rejections + 1 },
        null,
        { note: action.note ?? null },
      );
    default:
      return assertNever(action);
  }
}
