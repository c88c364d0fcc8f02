import { z } from 'zod';

// Channel config and secrets of an email channel (issue 5). `config` is shown in the admin UI;
// `secrets` are stored encrypted and shown masked.

const ZPort = z.number().int().min(1).max(65535);

export const ZEmailChannelConfig = z.strictObject({
  /** The channel's address: From of outbound mail and base of the plus-token reply address. */
  address: z.email(),
  /** Display name of outbound mail, e.g. "某某公司客服". */
  fromName: z.string().trim().max(100).optional(),
  /** Further addresses that are ours (aliases, forwarding sources): accepted inbound, never replied to. */
  aliases: z.array(z.email()).max(50).default([]),
  /** Domain part of Message-IDs; default: the address's domain. */
  messageIdDomain: z.string().regex(/^[A-Za-z0-9.-]+$/).optional(),
  smtpListener: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: z.string().default('0.0.0.0'),
      port: ZPort.default(2525),
      /** Largest message accepted (SIZE extension); default 25 MiB. */
      maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(25 * 1024 * 1024),
      /** Messages one envelope sender may deliver per hour. */
      perSenderPerHour: z.number().int().min(1).max(100_000).default(60),
    })
    .optional(),
  imap: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: z.string().min(1),
      port: ZPort.default(993),
      secure: z.boolean().default(true),
      user: z.string().min(1),
      mailbox: z.string().min(1).default('INBOX'),
      pollSeconds: z.number().int().min(5).max(3600).default(60),
      batchSize: z.number().int().min(1).max(500).default(50),
    })
    .optional(),
  smtp: z
    .strictObject({
      host: z.string().min(1),
      port: ZPort.default(465),
      secure: z.boolean().default(true),
      user: z.string().optional(),
      /** Outbound mails to one recipient per hour (loop and abuse protection). */
      perRecipientPerHour: z.number().int().min(1).max(10_000).default(30),
    })
    .optional(),
  attachments: z
    .strictObject({
      maxCount: z.number().int().min(0).max(100).default(20),
      maxBytes: z.number().int().min(1).max(50 * 1024 * 1024).default(10 * 1024 * 1024),
    })
    .default({ maxCount: 20, maxBytes: 10 * 1024 * 1024 }),
});
export type TEmailChannelConfig = z.infer<typeof ZEmailChannelConfig>;

export const ZEmailChannelSecrets = z.strictObject({
  /** Key of the thread tokens (HMAC-SHA256); at least 16 characters. Rotating it unthreads old mail. */
  threadSecret: z.string().min(16),
  smtpPassword: z.string().optional(),
  imapPassword: z.string().optional(),
});
export type TEmailChannelSecrets = z.infer<typeof ZEmailChannelSecrets>;

/** Lower-cased addresses that are ours: the channel address and its aliases. */
export function ownAddresses(config: TEmailChannelConfig): string[] {
  return [config.address, ...config.aliases].map((a) => a.toLowerCase());
}
