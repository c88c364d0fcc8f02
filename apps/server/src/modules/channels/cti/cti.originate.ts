// Click-to-call and callbacks (点击外呼 / 预约回呼): Kefu asks the PBX to ring the agent's extension
// and then dial the customer, by a signed webhook to the channel's originateUrl (docs/cti.md).
// The call that follows is reported like any other, as `offered` with direction "outbound".
import { AppError } from '../../../platform/errors.ts';
import { signRequest } from '../api/signing.ts';
import type { LoadedChannel } from '../types.ts';
import { getAgentExtension, ZCtiChannelConfig, ZCtiChannelSecrets } from './cti.schemas.ts';

export type OriginateInput = {
  /** Kefu agent id; the channel's agentExtensions gives the extension. */
  agentId: string;
  /** The number to dial, as the PBX dials it (the caller formats it: prefixes, area codes). */
  number: string;
  /** The callback task this call works off, echoed back in `offered.callbackTaskId`. */
  callbackTaskId?: string | null;
  /** Idempotency key for the PBX: one originate per request id. */
  requestId: string;
};

/** The webhook body. */
export type OriginateBody = { action: 'originate'; requestId: string; agentExtension: string; number: string; callbackTaskId?: string };

export type OriginateRequest = { url: string; headers: Record<string, string>; body: string };

const NUMBER = /^\+?[0-9*#]{3,32}$/;

/** The signed request for one originate (no I/O). AppError cti.not_configured / validation.failed. */
export function buildOriginateRequest(channel: LoadedChannel, input: OriginateInput, now: Date): OriginateRequest {
  const config = ZCtiChannelConfig.safeParse(channel.config);
  const secrets = ZCtiChannelSecrets.safeParse(channel.secrets);
  if (channel.type !== 'cti' || !config.success || !secrets.success || !config.data.originateUrl) {
    throw new AppError('cti.not_configured', 'The CTI channel has no originate URL or signing secret');
  }
  const agentExtension = getAgentExtension(config.data, input.agentId);
  if (agentExtension === null) throw new AppError('cti.not_configured', 'The agent has no extension on this CTI channel', { agentId: input.agentId });
  const number = input.number.replace(/[\s()-]/g, '');
  if (!NUMBER.test(number)) throw new AppError('validation.failed', 'The number to dial is not valid', { issues: [{ path: 'number', message: 'expected digits, optionally a leading +' }] });
  const payload: OriginateBody = { action: 'originate', requestId: input.requestId, agentExtension, number, ...(input.callbackTaskId ? { callbackTaskId: input.callbackTaskId } : {}) };
  const body = JSON.stringify(payload);
  return { url: config.data.originateUrl, headers: { 'content-type': 'application/json', ...signRequest(secrets.data.signingSecret, body, now) }, body };
}

export type CtiOriginatorDeps = {
  clock: () => Date;
  fetch?: typeof fetch;
  /** Waits between attempts; default 500 ms then 2 s (3 attempts in all): an agent is waiting. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
};

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends originate requests; resolves with the PBX's call id when it answers one ({ "callId": "…" }). */
export function createCtiOriginator(deps: CtiOriginatorDeps) {
  const doFetch = deps.fetch ?? fetch;
  const delays = deps.retryDelaysMs ?? [500, 2000];
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async function originate(channel: LoadedChannel, input: OriginateInput): Promise<{ callId: string | null }> {
    const timeoutMs = ZCtiChannelConfig.safeParse(channel.config).data?.originateTimeoutMs ?? 5000;
    let last: { status?: number; cause?: string } = {};
    let attempts = 0;
    for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
      if (attempt > 1) await sleep(delays[attempt - 2]!);
      attempts = attempt;
      // Signed anew for each attempt, so a retry is never outside the PBX's replay window.
      const request = buildOriginateRequest(channel, input, deps.clock());
      try {
        const res = await doFetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
        const answer = (await res.json().catch(() => null)) as { callId?: unknown } | null;
        if (res.ok) return { callId: typeof answer?.callId === 'string' && answer.callId ? answer.callId.slice(0, 128) : null };
        last = { status: res.status };
        if (!retryable(res.status)) break;
      } catch (err) {
        last = { cause: err instanceof Error ? err.name : 'error' };
      }
    }
    throw new AppError('cti.originate_failed', 'The PBX did not accept the call request', { ...last, attempts });
  };
}
