import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import type { ChannelSender, LoadedChannel, OutboundMessage } from '../types.ts';
import { ownAddresses, type TEmailChannelConfig, type TEmailChannelSecrets, ZEmailChannelConfig, ZEmailChannelSecrets } from './email.config.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { outboundMessageId, replyAddress } from './threading.ts';

// Outbound mail through the channel's SMTP server (nodemailer). Auto-Submitted follows RFC 3834:
// a reply an agent wrote is a person's mail and carries no Auto-Submitted header ("no" is implied);
// mail the system writes on its own (notifications, bot answers) is `auto-generated`; an automatic
// acknowledgement of an inbound mail is `auto-replied`. Every mail asks Exchange not to send
// out-of-office replies back (X-Auto-Response-Suppress). Loop protection refuses our own addresses,
// machine senders (mailer-daemon, no-reply…, or an inbound mail flagged automated) and more than
// `perRecipientPerHour` mails to one recipient.

export type EmailOutboundMessage = OutboundMessage & {
  /** Set for mail the system sends by itself; absent for an agent's reply. */
  automatic?: 'auto-generated' | 'auto-replied' | null;
  /** The `automated` reason of the inbound mail being answered (parse.ts), if any: such mail is never answered. */
  answeringAutomated?: string | null;
};

export type EmailSenderDeps = {
  clock: () => Date;
  rateLimiter?: RateLimiter;
  /** Test seam: nodemailer transport options → transport. */
  createTransport?: (options: SMTPTransport.Options) => Transporter<SMTPTransport.SentMessageInfo>;
};

const MACHINE_LOCAL_PART = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.-]|$)/i;
/** <id> of printable ASCII without spaces or angle brackets. */
const MESSAGE_ID = /^<[!-;=?-~]{1,250}>$/;

/** Subject safe for a header: control characters (CR, LF, NUL, TAB…) become spaces; at most 250 characters. */
/** An agent's answer to a thread is a reply: "Re: " once, whatever prefix the customer's client used (Re/RE/回复/答复). */
export function replySubject(subject: string): string {
  if (!subject) return '';
  return /^(re|回复|答复)\s*[:：]/i.test(subject) ? subject : `Re: ${subject}`;
}

export function sanitizeSubject(subject: string | null | undefined): string {
  return [...(subject ?? '')]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 ? ' ' : ch;
    })
    .join('')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .slice(0, 250);
}

function refuse(reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('email.send_refused', message, { reason, ...details });
}

export function loadEmailChannel(channel: LoadedChannel): { config: TEmailChannelConfig; secrets: TEmailChannelSecrets } {
  const config = ZEmailChannelConfig.safeParse(channel.config);
  const secrets = ZEmailChannelSecrets.safeParse(channel.secrets);
  if (!config.success || !secrets.success) {
    throw new AppError('email.invalid_config', 'The email channel is not configured correctly', {
      channelId: channel.id,
      issues: [...(config.error?.issues ?? []), ...(secrets.error?.issues ?? []).map((i) => ({ ...i, path: ['secrets', ...i.path] }))].map(
        (i) => ({ path: i.path.join('.'), message: i.message }),
      ),
    });
  }
  return { config: config.data, secrets: secrets.data };
}

/** True when `address` is one of ours, including plus variants (service+anything@domain). */
export function isOwnAddress(address: string, own: string[]): boolean {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  const base = `${lower.slice(0, at).split('+')[0]}@${lower.slice(at + 1)}`;
  return own.includes(lower) || own.includes(base);
}

export function createEmailSender(deps: EmailSenderDeps): ChannelSender {
  const limiter = deps.rateLimiter ?? createRateLimiter();
  const make = deps.createTransport ?? ((o: SMTPTransport.Options) => nodemailer.createTransport(o));
  const transports = new Map<string, { key: string; transport: Transporter<SMTPTransport.SentMessageInfo> }>();

  return async (channel, outbound) => {
    const message = outbound as EmailOutboundMessage;
    const { config, secrets } = loadEmailChannel(channel);
    if (!config.smtp) throw new AppError('email.invalid_config', 'The email channel has no outbound SMTP server', { channelId: channel.id });
    if (message.to.kind !== 'email') refuse('not_email', 'The recipient is not an email address', { kind: message.to.kind });
    const to = z.email().safeParse(message.to.value.trim());
    if (!to.success) refuse('bad_address', 'The recipient address is not valid', { to: message.to.value });
    const recipient = to.data.toLowerCase();
    if (isOwnAddress(recipient, ownAddresses(config))) refuse('own_address', 'Mail to our own address is never sent (loop protection)', { to: recipient });
    if (MACHINE_LOCAL_PART.test(recipient.split('@')[0] ?? '')) refuse('automated_recipient', 'The recipient is an automated mailbox', { to: recipient });
    if (message.answeringAutomated) refuse('automated_recipient', 'Automated mail (auto-reply, bounce) is never answered', { automated: message.answeringAutomated });
    const now = deps.clock().getTime();
    if (!limiter.take(`${channel.id}:${recipient}`, config.smtp.perRecipientPerHour, 3_600_000, now)) {
      throw new AppError('email.rate_limited', 'Too many mails to this recipient; try again later', { to: recipient, perHour: config.smtp.perRecipientPerHour });
    }

    const domain = config.messageIdDomain ?? (config.address.split('@')[1] as string);
    const messageId = outboundMessageId(secrets.threadSecret, domain, message.conversationId, message.messageId);
    const inReplyTo = message.inReplyTo && MESSAGE_ID.test(message.inReplyTo) ? message.inReplyTo : undefined;
    const references = [...(message.references ?? []), ...(inReplyTo ? [inReplyTo] : [])].filter((r, i, all) => MESSAGE_ID.test(r) && all.indexOf(r) === i).slice(-20);
    const headers: Record<string, string> = { 'X-Auto-Response-Suppress': 'OOF, AutoReply' };
    if (message.automatic) headers['Auto-Submitted'] = message.automatic;

    const key = JSON.stringify([config.smtp, secrets.smtpPassword ?? null]);
    let entry = transports.get(channel.id);
    if (!entry || entry.key !== key) {
      entry?.transport.close();
      entry = {
        key,
        transport: make({
          host: config.smtp.host,
          port: config.smtp.port,
          secure: config.smtp.secure,
          auth: config.smtp.user ? { user: config.smtp.user, pass: secrets.smtpPassword ?? '' } : undefined,
          connectionTimeout: 15_000,
          greetingTimeout: 15_000,
          socketTimeout: 30_000,
        }),
      };
      transports.set(channel.id, entry);
    }
    const fromName = sanitizeSubject(config.fromName ?? channel.name).replace(/["\\]/g, '');
    try {
      const info = await entry.transport.sendMail({
        from: { name: fromName, address: config.address },
        to: { name: sanitizeSubject(message.to.name ?? '').replace(/["\\]/g, ''), address: recipient },
        replyTo: replyAddress(config.address, secrets.threadSecret, message.conversationId),
        subject: replySubject(sanitizeSubject(message.subject)) || sanitizeSubject(config.fromName ?? channel.name),
        messageId,
        inReplyTo,
        references: references.length > 0 ? references : undefined,
        date: deps.clock(),
        text: message.text,
        headers,
        attachments: message.attachments?.map((a) => ({ filename: a.fileName, contentType: a.contentType, content: a.data })),
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      if (info.rejected.length > 0) throw new Error(`rejected: ${info.rejected.join(', ')}`);
      return { externalId: messageId };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('email.delivery_failed', 'The SMTP server did not accept the mail', {
        detail: err instanceof Error ? err.message.slice(0, 300) : String(err),
      });
    }
  };
}
