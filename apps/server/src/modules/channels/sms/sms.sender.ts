// Outbound SMS: a provider interface, the generic HTTP provider (our signed JSON) and the
// ChannelSender the outbound pipeline calls for agents' replies (and, with `notice`, for notices).
import { AppError } from '../../../platform/errors.ts';
import { signRequest } from '../api/signing.ts';
import type { LoadedChannel, OutboundMessage, SendResult } from '../types.ts';
import { type TSmsChannelConfig, type TSmsChannelSecrets, ZSmsChannelConfig, ZSmsChannelSecrets } from './sms.config.ts';
import { countSmsSegments, type SmsSegments, toArchivePhone, toE164 } from './sms.text.ts';

export type SmsSendOptions = { signName: string; templateCode?: string; messageId?: string };
export type SmsProvider = { send: (to: string, text: string, options: SmsSendOptions) => Promise<{ providerMessageId: string }> };
export type SmsProviderFactory = (input: { channel: LoadedChannel; config: TSmsChannelConfig; secrets: TSmsChannelSecrets; clock: () => Date; fetch: typeof fetch }) => SmsProvider;

export const DEFAULT_MAX_SEGMENTS = 10;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The generic gateway: POST `url` with `{ messageId, to (E.164), text, signName, templateCode?, segments }`,
 * signed like our webhooks. It answers 2xx with `{ providerMessageId }` (or `{ messageId }`), the id
 * its delivery receipts will carry; without one our messageId is that id. Not retried here: the
 * messageId lets the gateway drop a repeat if the caller retries.
 */
export function createGenericSmsProvider(input: { url: string; secret: string; clock: () => Date; timeoutMs?: number; fetch?: typeof fetch }): SmsProvider {
  const doFetch = input.fetch ?? fetch;
  return {
    async send(to, text, options) {
      const messageId = options.messageId ?? crypto.randomUUID();
      const body = JSON.stringify({ messageId, to: toE164(to), text, signName: options.signName, ...(options.templateCode ? { templateCode: options.templateCode } : {}), segments: countSmsSegments(`【${options.signName}】${text}`).segments });
      let res: Response;
      try {
        res = await doFetch(input.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signRequest(input.secret, body, input.clock()) },
          body,
          signal: AbortSignal.timeout(input.timeoutMs ?? DEFAULT_TIMEOUT_MS),
          redirect: 'error',
        });
      } catch (err) {
        throw new AppError('sms.send_failed', 'The SMS gateway did not answer', { cause: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network' });
      }
      const answer = (await res.json().catch(() => null)) as { providerMessageId?: unknown; messageId?: unknown } | null;
      if (!res.ok) throw new AppError('sms.send_failed', `The SMS gateway answered ${res.status}`, { status: res.status });
      const id = answer?.providerMessageId ?? answer?.messageId;
      return { providerMessageId: typeof id === 'string' && id ? id.slice(0, 200) : messageId };
    },
  };
}

const genericFactory: SmsProviderFactory = ({ config, secrets, clock, fetch: f }) => {
  if (!config.sendUrl || !secrets.signingSecret) throw new AppError('sms.provider_unsupported', 'The channel has no sendUrl and signingSecret for the generic gateway');
  return createGenericSmsProvider({ url: config.sendUrl, secret: secrets.signingSecret, clock, timeoutMs: config.sendTimeoutMs, fetch: f });
};

export type SmsSenderDeps = {
  clock: () => Date;
  /** Whether a number replied TD/退订 (the notice subscription module answers; absent = nobody unsubscribed). */
  isUnsubscribed?: (phone: string, brandId: string) => Promise<boolean>;
  /** Extra providers by name (e.g. a future Alibaba Cloud SendSms client); 'generic' is built in. */
  providers?: Record<string, SmsProviderFactory>;
  fetch?: typeof fetch;
};
export type SmsSendResult = SendResult & { segments: SmsSegments };

/**
 * `sendSms(channel, message)` is the ChannelSender for agents' replies: it never refuses an
 * unsubscribed number, since the customer just wrote. Notices pass `{ notice: true }` and are refused
 * (`sms.unsubscribed`) for numbers that replied TD/退订.
 */
export function createSmsSender(deps: SmsSenderDeps) {
  const providers: Record<string, SmsProviderFactory> = { generic: genericFactory, ...deps.providers };

  async function sendSms(channel: LoadedChannel, message: OutboundMessage, options: { notice?: boolean } = {}): Promise<SmsSendResult> {
    const config = ZSmsChannelConfig.safeParse(channel.config);
    const secrets = ZSmsChannelSecrets.safeParse(channel.secrets);
    if (!config.success || !secrets.success) throw new AppError('sms.provider_unsupported', 'The SMS channel is not configured');
    if (message.to.kind !== 'phone') throw new AppError('validation.failed', 'An SMS goes to a phone number', { to: message.to.kind });
    const phone = toArchivePhone(message.to.value);
    if (!phone) throw new AppError('validation.failed', 'The recipient is not a phone number');
    if (message.attachments?.length) throw new AppError('sms.provider_unsupported', 'An SMS cannot carry attachments');
    const text = message.text.trim();
    if (!text) throw new AppError('validation.failed', 'The SMS text is empty');
    if (options.notice && deps.isUnsubscribed && (await deps.isUnsubscribed(phone, channel.brandId))) {
      throw new AppError('sms.unsubscribed', 'The number unsubscribed from notices (TD/退订)');
    }
    // The carrier puts 【签名】 in front of the text, and it counts toward the length.
    const segments = countSmsSegments(`【${config.data.signName}】${text}`);
    const maxSegments = config.data.maxSegments ?? DEFAULT_MAX_SEGMENTS;
    if (segments.segments > maxSegments) throw new AppError('sms.too_long', `The text needs ${segments.segments} SMS; at most ${maxSegments}`, { segments: segments.segments, maxSegments });

    const name = config.data.outboundProvider ?? (config.data.sendUrl ? 'generic' : config.data.provider);
    const factory = providers[name];
    if (!factory) throw new AppError('sms.provider_unsupported', `No outbound SMS provider '${name}'`, { provider: name });
    const provider = factory({ channel, config: config.data, secrets: secrets.data, clock: deps.clock, fetch: deps.fetch ?? fetch });
    const sent = await provider.send(phone, text, { signName: config.data.signName, templateCode: config.data.templateCode, messageId: message.messageId });
    return { externalId: sent.providerMessageId, segments };
  }

  return { sendSms };
}
