// Agents' replies on an API channel: a signed `message.created` webhook to the platform, retried.
import { AppError } from '../../../platform/errors.ts';
import type { ChannelSender, LoadedChannel, OutboundMessage, SendResult } from '../types.ts';
import { ZApiChannelConfig, ZApiChannelSecrets } from './api.config.ts';
import { signRequest } from './signing.ts';

export type ApiSenderDeps = {
  clock: () => Date;
  fetch?: typeof fetch;
  /** Waits between attempts; default 1 s then 4 s (3 attempts in all). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
};

const DEFAULT_DELAYS = [1000, 4000] as const;
const DEFAULT_TIMEOUT_MS = 5000;
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** The webhook body (documented in docs/channels-sms-and-api.md). */
export function buildMessageCreatedEvent(message: OutboundMessage, sentAt: Date) {
  return {
    event: 'message.created' as const,
    conversationId: message.conversationId,
    messageId: message.messageId,
    to: { id: message.to.value },
    text: message.text,
    ...(message.attachments?.length ? { attachments: message.attachments.map((a) => ({ name: a.fileName, contentType: a.contentType, base64: a.data.toString('base64') })) } : {}),
    sentAt: sentAt.toISOString(),
  };
}

export function createApiSender(deps: ApiSenderDeps): { sendApiWebhook: ChannelSender } {
  const doFetch = deps.fetch ?? fetch;
  const delays = deps.retryDelaysMs ?? DEFAULT_DELAYS;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function sendApiWebhook(channel: LoadedChannel, message: OutboundMessage): Promise<SendResult> {
    const config = ZApiChannelConfig.safeParse(channel.config);
    const secrets = ZApiChannelSecrets.safeParse(channel.secrets);
    if (!config.success || !secrets.success || !config.data.webhookUrl) throw new AppError('api_channel.not_configured', 'The API channel has no webhook URL or signing secret');
    if (message.to.kind !== 'external') throw new AppError('validation.failed', 'An API channel replies to the platform user id', { to: message.to.kind });
    const body = JSON.stringify(buildMessageCreatedEvent(message, deps.clock()));
    const attempts = delays.length + 1;
    let last: { status?: number; cause?: string } = {};
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(delays[attempt - 2]!);
      made = attempt;
      try {
        // Signed anew for each attempt: the platform's replay guard would refuse a re-sent signature.
        const res = await doFetch(config.data.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-kefu-event': 'message.created', 'x-kefu-delivery': message.messageId, ...signRequest(secrets.data.signingSecret, body, deps.clock()) },
          body,
          signal: AbortSignal.timeout(config.data.webhookTimeoutMs ?? DEFAULT_TIMEOUT_MS),
          redirect: 'error',
        });
        const answer = (await res.json().catch(() => null)) as { id?: unknown } | null;
        if (res.ok) return { externalId: typeof answer?.id === 'string' && answer.id ? answer.id.slice(0, 200) : null };
        last = { status: res.status };
        if (!retryable(res.status)) break;
      } catch (err) {
        last = { cause: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network' };
      }
    }
    throw new AppError('api_channel.webhook_failed', last.status ? `The webhook answered ${last.status}` : `The webhook did not answer (${last.cause})`, { ...last, attempts: made });
  }

  return { sendApiWebhook };
}
