import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundMessage } from '../types.ts';
import type { ParsedMail } from './parse.ts';

// Threading and trust (issue 5). Our outbound mail carries
//   Message-ID  <kefu.{conversationId}.{messageId}.{mac}@{domain}>   mac = HMAC(secret, "mid:{conv}.{msg}")
//   Reply-To    {local}+{conversationIdHex}.{token}@{domain}          token = HMAC(secret, "conv:{conv}")
// both truncated to 80 bits, base32 lower case (survives case-folding forwarders), compared in
// constant time. An inbound mail joins a conversation only through a verified token in To/Cc
// (the plus address) or In-Reply-To/References (our Message-ID); the pipeline must then also check
// that the sender is a participant. Reply-To, the mail's own Message-ID and the subject prove nothing.

const MAC_CHARS = 16; // 16 base32 characters = 80 bits
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUR_MESSAGE_ID = /^<?kefu\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,64})\.([a-z2-7]{16})@[^<>\s]+>?$/i;
const PLUS_TAG = /^([0-9a-f]{32})\.([a-z2-7]{16})$/i;
/** Work-order numbers (packages/domain ticket-number.ts): prefix + yyyymmdd + 6-digit sequence, e.g. GD20261127000123. */
const ORDER_NUMBER = /(?<![A-Za-z0-9])(GD\d{8}\d{6})(?![0-9])/g;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= 0xff;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function mac(secret: string, input: string): string {
  return base32(createHmac('sha256', secret).update(input).digest()).slice(0, MAC_CHARS);
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkConversationId(conversationId: string): string {
  if (!UUID.test(conversationId)) throw new RangeError(`conversation id must be a UUID, got ${conversationId}`);
  return conversationId.toLowerCase();
}

export function threadToken(secret: string, conversationId: string): string {
  return mac(secret, `conv:${checkConversationId(conversationId)}`);
}

/** `service+{conversationIdHex}.{token}@example.cn` for `service@example.cn`. */
export function replyAddress(channelAddress: string, secret: string, conversationId: string): string {
  const at = channelAddress.lastIndexOf('@');
  const local = channelAddress.slice(0, at).split('+')[0];
  const conv = checkConversationId(conversationId);
  return `${local}+${conv.replaceAll('-', '')}.${threadToken(secret, conv)}@${channelAddress.slice(at + 1)}`;
}

export function outboundMessageId(secret: string, domain: string, conversationId: string, messageId: string): string {
  const conv = checkConversationId(conversationId);
  const msg = messageId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'm';
  return `<kefu.${conv}.${msg}.${mac(secret, `mid:${conv}.${msg}`)}@${domain}>`;
}

function uuidFromHex(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type ThreadClaim = { conversationId: string; verified: boolean; via: 'plus-address' | 'references' };

/** A claim carried by one of our plus addresses (`local+{hex}.{token}@domain`, local/domain matching one of ours). */
export function readPlusAddress(secret: string, address: string, ownAddresses: string[]): ThreadClaim | null {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  const [local, tag] = [lower.slice(0, at), lower.slice(at + 1)];
  const plus = local.indexOf('+');
  if (plus < 0) return null;
  const base = `${local.slice(0, plus)}@${tag}`;
  if (!ownAddresses.includes(base)) return null;
  const m = PLUS_TAG.exec(local.slice(plus + 1));
  if (!m) return { conversationId: '', verified: false, via: 'plus-address' };
  const conversationId = uuidFromHex(m[1] as string);
  return { conversationId, verified: sameMac(m[2] as string, threadToken(secret, conversationId)), via: 'plus-address' };
}

/** A claim carried by one of our Message-IDs (in In-Reply-To/References). */
export function readMessageIdClaim(secret: string, id: string): ThreadClaim | null {
  const m = OUR_MESSAGE_ID.exec(id.trim());
  if (!m) return null;
  const conversationId = (m[1] as string).toLowerCase();
  if (!UUID.test(conversationId)) return { conversationId: '', verified: false, via: 'references' };
  return { conversationId, verified: sameMac(m[3] as string, mac(secret, `mid:${conversationId}.${m[2]}`)), via: 'references' };
}

export type ThreadResolution = {
  /** The conversation the mail claims (verified or not), or null when it claims none. */
  claimedConversationId: string | null;
  verified: boolean;
  via: ThreadClaim['via'] | null;
  /** Work-order numbers found in the subject: a hint for the agent/pipeline, never proof. */
  orderNumbers: string[];
  /** Why the mail must wait in quarantine for an agent, or null. */
  quarantineReason: string | null;
};

export function findOrderNumbers(subject: string): string[] {
  return [...new Set([...subject.matchAll(ORDER_NUMBER)].map((m) => m[1] as string))];
}

/**
 * Decides which conversation an inbound mail belongs to:
 * - a verified token (To/Cc plus address, or our Message-ID in In-Reply-To/References) → that conversation;
 * - forged/unverifiable tokens, tokens pointing to two conversations, or a token found only in
 *   Reply-To / the mail's own Message-ID → quarantine;
 * - a reply (In-Reply-To/References present) without any token of ours → quarantine (`reply_unverified`);
 * - a fresh mail → no claim: the pipeline opens or continues the customer's conversation.
 */
export function resolveThread(mail: ParsedMail, secret: string, ownAddresses: string[]): ThreadResolution {
  const orderNumbers = findOrderNumbers(mail.subject);
  const claims: ThreadClaim[] = [];
  for (const a of [...mail.to, ...mail.cc]) {
    const c = readPlusAddress(secret, a.address, ownAddresses);
    if (c) claims.push(c);
  }
  for (const id of [...mail.inReplyTo, ...mail.references]) {
    const c = readMessageIdClaim(secret, id);
    if (c) claims.push(c);
  }
  const result = (claimedConversationId: string | null, verified: boolean, via: ThreadClaim['via'] | null, quarantineReason: string | null) => ({
    claimedConversationId,
    verified,
    via,
    orderNumbers,
    quarantineReason,
  });
  const good = claims.filter((c) => c.verified);
  const forged = claims.filter((c) => !c.verified);
  const conversations = new Set(good.map((c) => c.conversationId));
  if (conversations.size > 1) return result(null, false, null, 'email.thread_ambiguous');
  if (good.length > 0) {
    const first = good[0] as ThreadClaim;
    // A forged token next to a good one is odd but harmless: the verified claim wins.
    return result(first.conversationId, true, first.via, null);
  }
  if (forged.length > 0) return result(forged[0]?.conversationId || null, false, forged[0]?.via ?? null, 'email.thread_token_invalid');
  const claimsElsewhere =
    mail.replyTo.some((a) => readPlusAddress(secret, a.address, ownAddresses) !== null) ||
    (mail.messageId !== null && readMessageIdClaim(secret, mail.messageId) !== null);
  if (claimsElsewhere) return result(null, false, null, 'email.thread_unproven');
  if (mail.inReplyTo.length > 0 || mail.references.length > 0) return result(null, false, null, 'email.reply_unverified');
  return result(null, false, null, null);
}

export type EmailInbound = {
  message: InboundMessage;
  thread: ThreadResolution;
  /** Loop protection: a machine's mail (auto-reply, bounce, DSN…) is never answered and opens no conversation. */
  automated: string | null;
  mail: ParsedMail;
};

/** Maps a parsed mail to the pipeline's InboundMessage. `threadRef` is the verified conversation id. */
export function toInboundMessage(channelId: string, mail: ParsedMail, thread: ThreadResolution, receivedAt: Date): EmailInbound {
  const attachmentsNote = mail.droppedAttachments.map((d) => `[附件未保存 attachment not kept: ${d.fileName} (${d.reason})]`).join('\n');
  const text = [mail.visibleText, attachmentsNote].filter((s) => s !== '').join('\n\n');
  const message: InboundMessage = {
    channelId,
    from: { kind: 'email', value: mail.from?.address ?? '', name: mail.from?.name ?? null },
    externalId: mail.messageId ?? `sha256:${mail.sha256}`,
    text,
    kind: mail.attachments.length > 0 && text === '' ? 'file' : 'text',
    attachments: mail.attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, data: a.data })),
    subject: mail.subject || null,
    threadRef: thread.verified ? thread.claimedConversationId : null,
    quarantine: thread.quarantineReason ? { reason: thread.quarantineReason } : mail.from ? null : { reason: 'email.no_sender' },
    at: receivedAt,
  };
  return { message, thread, automated: mail.automated, mail };
}
