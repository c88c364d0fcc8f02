import type { ChannelHealth, InboundResult, LoadedChannel, Receive } from '../types.ts';
import { ownAddresses } from './email.config.ts';
import { createImapPoller, type ImapPoller, type ImapSource, type ImapStore } from './imap-poller.ts';
import { loadEmailChannel } from './outbound.ts';
import { parseEmail } from './parse.ts';
import { type SmtpListener, startSmtpListener } from './smtp-listener.ts';
import { type EmailInbound, resolveThread, toInboundMessage } from './threading.ts';

// Glue between the protocol pieces and the pipeline: raw mail → parse → thread resolution →
// InboundMessage → receive(). Automated mail (auto-replies, bounces, DSNs, lists) is not received:
// it opens no conversation and is never answered (loop protection); it is logged and counted.

export type ImportOutcome =
  | { outcome: 'received'; result: InboundResult; inbound: EmailInbound }
  | { outcome: 'ignored'; reason: string; inbound: EmailInbound };

export type EmailInboundDeps = {
  receive: Receive;
  clock: () => Date;
  log?: { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };
};

export async function importEmail(
  deps: EmailInboundDeps,
  channel: LoadedChannel,
  raw: Buffer,
  envelope: { mailFrom?: string | null } = {},
): Promise<ImportOutcome> {
  const { config, secrets } = loadEmailChannel(channel);
  const mail = await parseEmail(raw, {
    maxAttachments: config.attachments.maxCount,
    maxAttachmentBytes: config.attachments.maxBytes,
    envelopeFrom: envelope.mailFrom,
  });
  const thread = resolveThread(mail, secrets.threadSecret, ownAddresses(config));
  const inbound = toInboundMessage(channel.id, mail, thread, deps.clock());
  if (mail.automated) {
    deps.log?.info?.({ channelId: channel.id, automated: mail.automated, messageId: mail.messageId }, 'email: automated mail ignored');
    return { outcome: 'ignored', reason: mail.automated, inbound };
  }
  if (mail.from && ownAddresses(config).includes(mail.from.address)) {
    return { outcome: 'ignored', reason: 'own-address', inbound };
  }
  return { outcome: 'received', result: await deps.receive(inbound.message), inbound };
}

export type RunningEmailChannel = { smtp: SmtpListener | null; imap: ImapPoller | null; health: () => ChannelHealth; stop: () => Promise<void> };

/** Starts the channel's SMTP listener and/or IMAP poller as configured. The lead calls it per enabled email channel. */
export async function startEmailChannel(deps: EmailInboundDeps & { imapStore: ImapStore }, channel: LoadedChannel): Promise<RunningEmailChannel> {
  const { config, secrets } = loadEmailChannel(channel);
  let lastOk: Date | null = null;
  let lastError: string | null = null;
  const onMail = async (raw: Buffer, envelope: { mailFrom?: string | null }) => {
    try {
      await importEmail(deps, channel, raw, envelope);
      lastOk = deps.clock();
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  };
  const smtp = config.smtpListener?.enabled
    ? await startSmtpListener({
        host: config.smtpListener.host,
        port: config.smtpListener.port,
        addresses: ownAddresses(config),
        maxBytes: config.smtpListener.maxBytes,
        perSenderPerHour: config.smtpListener.perSenderPerHour,
        clock: deps.clock,
        log: deps.log,
        onMail: (raw, env) => onMail(raw, { mailFrom: env.mailFrom }),
      })
    : null;
  let imap: ImapPoller | null = null;
  if (config.imap?.enabled) {
    const c = config.imap;
    imap = createImapPoller({
      host: c.host,
      port: c.port,
      secure: c.secure,
      user: c.user,
      password: secrets.imapPassword ?? '',
      mailbox: c.mailbox,
      mailboxKey: `${channel.id}:${c.user}@${c.host}/${c.mailbox}`,
      batchSize: c.batchSize,
      pollMs: c.pollSeconds * 1000,
      store: deps.imapStore,
      log: deps.log,
      onMail: (raw, _source: ImapSource) => onMail(raw, {}),
    });
    imap.start();
  }
  return {
    smtp,
    imap,
    health: () => ({
      ok: (imap?.failures ?? 0) === 0 && lastError === null,
      checkedAt: deps.clock(),
      detail: imap?.lastError ?? lastError ?? (lastOk ? `last mail ${lastOk.toISOString()}` : undefined),
    }),
    async stop() {
      await imap?.stop();
      await smtp?.close();
    },
  };
}
