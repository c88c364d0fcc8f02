import { z } from 'zod';

export const SMS_PROVIDERS = ['generic', 'aliyun', 'tencent'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

/** An SMS channel's `config` (shown in the admin UI as is). */
export const ZSmsChannelConfig = z.strictObject({
  /** Which callback format `/channels/sms/:channelId` speaks. */
  provider: z.enum(SMS_PROVIDERS),
  /** 短信签名, e.g. 【某某燃气】 without brackets. */
  signName: z.string().trim().min(1).max(30),
  /** Default template for providers that only send templates (Alibaba Cloud, Tencent Cloud). */
  templateCode: z.string().trim().min(1).max(64).optional(),
  /** Outbound gateway: 'generic' POSTs our signed JSON to `sendUrl`. Defaults to 'generic' when sendUrl is set. */
  outboundProvider: z.string().trim().min(1).max(40).optional(),
  sendUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Seconds a signed request stays valid (generic format); default 300. */
  replayWindowSeconds: z.number().int().min(30).max(3600).optional(),
  /** Replaces the default unsubscribe keywords TD / 退订 / T / STOP. */
  unsubscribeKeywords: z.array(z.string().trim().min(1).max(20)).min(1).max(20).optional(),
  /** Longest text sent, in SMS segments; default 10. */
  maxSegments: z.number().int().min(1).max(20).optional(),
  sendTimeoutMs: z.number().int().min(500).max(60_000).optional(),
});
export type TSmsChannelConfig = z.infer<typeof ZSmsChannelConfig>;

/** An SMS channel's `secrets` (stored encrypted, shown masked). */
export const ZSmsChannelSecrets = z.strictObject({
  /** HMAC secret of the generic format (inbound callbacks and the generic outbound gateway). */
  signingSecret: z.string().min(16).max(200).optional(),
  /** Shared token in the callback URL (`?token=`) or `X-Kefu-Token` header: Alibaba Cloud and Tencent Cloud do not sign their callbacks. */
  callbackToken: z.string().min(16).max(200).optional(),
});
export type TSmsChannelSecrets = z.infer<typeof ZSmsChannelSecrets>;

/** Cross-field rule for the admin's save: each provider needs the secret its callbacks are checked with. */
export function checkSmsChannel(config: TSmsChannelConfig, secrets: TSmsChannelSecrets): string[] {
  const problems: string[] = [];
  if (config.provider === 'generic' && !secrets.signingSecret) problems.push('signingSecret is required for the generic format');
  if (config.provider !== 'generic' && !secrets.callbackToken) problems.push(`callbackToken is required for ${config.provider}`);
  if ((config.outboundProvider ?? 'generic') === 'generic' && config.sendUrl && !secrets.signingSecret) problems.push('signingSecret is required to sign requests to sendUrl');
  return problems;
}
