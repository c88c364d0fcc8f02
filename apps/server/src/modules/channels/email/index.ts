// Email channel (issue 5): the module's public surface.
export { ownAddresses, type TEmailChannelConfig, type TEmailChannelSecrets, ZEmailChannelConfig, ZEmailChannelSecrets } from './email.config.ts';
export { type EmailInboundDeps, type ImportOutcome, importEmail, type RunningEmailChannel, startEmailChannel } from './email.inbound.ts';
export { createImapPoller, createMemoryImapStore, type ImapCursor, type ImapPoller, type ImapSource, type ImapStore } from './imap-poller.ts';
export { createEmailSender, type EmailOutboundMessage, isOwnAddress, loadEmailChannel, sanitizeSubject } from './outbound.ts';
export { detectAutomated, type ParsedMail, parseEmail } from './parse.ts';
export { splitQuotedHistory } from './quoted.ts';
export { sanitizeEmailHtml } from './sanitize.ts';
export { startSmtpListener, type SmtpEnvelope, type SmtpListener } from './smtp-listener.ts';
export {
  type EmailInbound,
  findOrderNumbers,
  outboundMessageId,
  replyAddress,
  resolveThread,
  type ThreadResolution,
  threadToken,
  toInboundMessage,
} from './threading.ts';
