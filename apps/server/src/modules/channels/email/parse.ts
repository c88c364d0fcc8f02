import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';
import { splitQuotedHistory } from './quoted.ts';
import { sanitizeEmailHtml } from './sanitize.ts';

// Raw RFC 5322 message → ParsedMail: addresses, threading headers, text (with the quoted history
// split off), sanitised HTML, bounded attachments, and loop protection (automated: reason | null).

export type MailAddress = { address: string; name: string | null };
export type MailAttachment = { fileName: string; contentType: string; data: Buffer; contentId: string | null };
export type DroppedAttachment = { fileName: string; size: number; reason: 'too_many' | 'too_large' };

export type ParsedMail = {
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  /** Message-ID with its angle brackets, or null when the mail has none. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  date: Date | null;
  /** Full plain text (from the text part, or derived from HTML). */
  text: string;
  visibleText: string;
  quotedText: string;
  /** Sanitised HTML, or null for text-only mail. */
  html: string | null;
  attachments: MailAttachment[];
  droppedAttachments: DroppedAttachment[];
  /** Why this mail was sent by a machine (auto-reply, bounce, DSN, list), or null for a person's mail. */
  automated: string | null;
  /** SHA-256 (hex) of the raw bytes: the dedupe key for mail without a Message-ID. */
  sha256: string;
  size: number;
};

export type ParseOptions = {
  maxAttachments?: number;
  maxAttachmentBytes?: number;
  /** SMTP envelope sender when known; '' (null reverse-path `<>`) marks a bounce. */
  envelopeFrom?: string | null;
};

const DEFAULT_MAX_ATTACHMENTS = 20;
const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!value) return [];
  const out: MailAddress[] = [];
  const visit = (list: AddressObject['value']) => {
    for (const a of list) {
      if (a.group) visit(a.group);
      else if (a.address) out.push({ address: a.address.toLowerCase(), name: a.name?.trim() || null });
    }
  };
  for (const obj of Array.isArray(value) ? value : [value]) visit(obj.value);
  return out;
}

function ids(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  return joined.match(/<[^<>\s]+>/g) ?? [];
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
}

const AUTO_SUBJECT =
  /^\s*(自动回复|自動回覆|自动答复|自動回复|Automatic reply|Auto[- ]?Reply|Autoreply|Out of (the )?Office|Undeliverable|Undelivered Mail Returned|Delivery Status Notification|Mail Delivery (Failed|Failure|System)|Returned mail|退信|系统退信|邮件投递失败)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;

/** Loop protection (RFC 3834, RFC 3464, common vendor headers): a reason string or null. */
export function detectAutomated(
  headers: Map<string, HeaderValue>,
  fromAddress: string | null,
  subject: string,
  envelopeFrom?: string | null,
): string | null {
  const autoSubmitted = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return `auto-submitted:${autoSubmitted.split(/[;\s]/)[0]}`;
  const contentType = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType?.value?.toLowerCase() === 'multipart/report') {
    const reportType = contentType.params?.['report-type']?.toLowerCase() ?? '';
    return reportType === 'disposition-notification' ? 'mdn' : 'dsn';
  }
  const precedence = headerText(headers.get('precedence')).trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply', 'auto-reply'].includes(precedence)) return `precedence:${precedence}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-mail-autoreply']) {
    if (headers.has(h)) return h;
  }
  if (headers.has('x-ms-exchange-generated-message-source')) return 'exchange-generated';
  if (headers.has('list') || headers.has('list-id') || headers.has('list-unsubscribe')) return 'mailing-list';
  if (envelopeFrom === '') return 'bounce:null-sender';
  if (fromAddress && BOUNCE_SENDER.test(fromAddress)) return 'bounce:mailer-daemon';
  if (AUTO_SUBJECT.test(subject)) return 'auto-reply-subject';
  return null;
}

/** Header bytes with undeclared 8-bit text (raw GBK in Subject/From, seen from old clients) re-encoded as RFC 2047 words. */
function repairRawHeaders(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = end >= 0 ? raw.subarray(0, end) : raw;
  if (!head.some((b) => b >= 0x80)) return raw;
  const utf8 = head.toString('utf8');
  if (!utf8.includes('\uFFFD')) return raw; // valid UTF-8 (RFC 6532): fine as is
  // not UTF-8: the common case is GB18030/GBK (a superset of GB2312)
  const decoded = iconv.decode(head, 'gb18030');
  const fixed = decoded.replace(/[\u0080-\uffff]+/g, (run) => `=?UTF-8?B?${Buffer.from(run, 'utf8').toString('base64')}?=`);
  return Buffer.concat([Buffer.from(fixed, 'utf8'), raw.subarray(head.length)]);
}

export async function parseEmail(raw: Buffer, options: ParseOptions = {}): Promise<ParsedMail> {
  const maxCount = options.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  const maxBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const parsed = await simpleParser(repairRawHeaders(raw), { skipImageLinks: true, skipTextLinks: true });
  const from = addresses(parsed.from)[0] ?? null;
  const subject = (parsed.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
  const text = (parsed.text ?? '').replace(/\r\n?/g, '\n');
  const { visibleText, quotedText } = splitQuotedHistory(text);
  const attachments: MailAttachment[] = [];
  const droppedAttachments: DroppedAttachment[] = [];
  for (const [i, a] of parsed.attachments.entries()) {
    const fileName = a.filename?.trim() || `attachment-${i + 1}`;
    if (a.size > maxBytes || a.content.length > maxBytes) droppedAttachments.push({ fileName, size: a.content.length, reason: 'too_large' });
    else if (attachments.length >= maxCount) droppedAttachments.push({ fileName, size: a.content.length, reason: 'too_many' });
    else attachments.push({ fileName, contentType: a.contentType || 'application/octet-stream', data: a.content, contentId: a.cid ?? null });
  }
  const messageId = parsed.messageId ? (parsed.messageId.startsWith('<') ? parsed.messageId : `<${parsed.messageId}>`) : null;
  return {
    from,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    subject,
    messageId,
    inReplyTo: ids(parsed.inReplyTo),
    references: ids(parsed.references),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    text: text.trim(),
    visibleText,
    quotedText,
    html: typeof parsed.html === 'string' && parsed.html !== '' ? sanitizeEmailHtml(parsed.html) : null,
    attachments,
    droppedAttachments,
    automated: detectAutomated(parsed.headers, from?.address ?? null, subject, options.envelopeFrom),
    sha256: createHash('sha256').update(raw).digest('hex'),
    size: raw.length,
  };
}
