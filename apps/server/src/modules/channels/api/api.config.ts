import { z } from 'zod';

/** An API channel's `config`. */
export const ZApiChannelConfig = z.strictObject({
  /** Where agents' replies are POSTed (event `message.created`). Without it the channel only receives. */
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Seconds a signed request stays valid; default 300. */
  replayWindowSeconds: z.number().int().min(30).max(3600).optional(),
  /** Per webhook attempt; default 5000 ms. */
  webhookTimeoutMs: z.number().int().min(500).max(30_000).optional(),
  /** Decoded size of all attachments of one message; default 5 MiB, at most 10 MiB. */
  maxAttachmentBytes: z.number().int().min(1024).max(10 * 1024 * 1024).optional(),
});
export type TApiChannelConfig = z.infer<typeof ZApiChannelConfig>;

/** An API channel's `secrets`: one HMAC secret signs both directions. */
export const ZApiChannelSecrets = z.strictObject({ signingSecret: z.string().min(16).max(200) });
export type TApiChannelSecrets = z.infer<typeof ZApiChannelSecrets>;
