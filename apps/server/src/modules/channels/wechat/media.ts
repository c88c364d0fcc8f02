// Incoming media (图片, 语音): WeChat hands us a MediaId whose file it deletes after 3 days, so the
// callback downloads it (cgi-bin/media/get) and passes it to the pipeline as an attachment. The
// download has a budget inside WeChat's 5 seconds; whatever goes wrong (API error, timeout, too
// large, content that is not what it claims), the message keeps its text description (with PicUrl).
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { DEFAULT_CHAT_UPLOAD_BYTES } from '../../contacts/chat-files.ts';
import { classifyAttachment } from '../../tickets/tickets.attachments.ts';
import type { InboundMessage } from '../types.ts';
import type { WechatApiClient, WechatCredentials, WechatMedia } from './api-client.ts';

/** How long the download may take, counted from the callback's arrival (WeChat gives up at 5 s). */
export const DEFAULT_MEDIA_BUDGET_MS = 3000;
/** The chat-file limit: what a customer may upload in web chat, a WeChat customer may send. */
export const MAX_WECHAT_MEDIA_BYTES = DEFAULT_CHAT_UPLOAD_BYTES;

export type WechatMediaKind = 'image' | 'voice';
export type InboundAttachment = NonNullable<InboundMessage['attachments']>[number];

/** The types kept per message kind, with the extension classifyAttachment checks them under. */
const KEPT: Record<WechatMediaKind, Readonly<Record<string, string>>> = {
  image: { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' },
  voice: { 'audio/amr': 'amr' },
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes are (never what the server declared), or null. */
export function sniffMediaType(data: Buffer): string | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 8).equals(PNG)) return 'image/png';
  const head = data.subarray(0, 9).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'image/gif';
  if (head.startsWith('#!AMR\n') || head.startsWith('#!AMR-WB\n')) return 'audio/amr';
  return null;
}

export class WechatMediaRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WechatMediaRefused';
  }
}

/**
 * Checks a downloaded file before it becomes an attachment: the declared type must be of the
 * message's family, the bytes must be a kept type (magic bytes), and the shared upload check
 * (classifyAttachment: extension ↔ content, no HTML or markup) must pass. The attachment's type is
 * the one the bytes have. Throws WechatMediaRefused.
 */
export function checkWechatMedia(kind: WechatMediaKind, media: WechatMedia, baseName: string, maxBytes = MAX_WECHAT_MEDIA_BYTES): InboundAttachment {
  const { data, contentType } = media;
  if (data.length === 0) throw new WechatMediaRefused('empty file');
  if (data.length > maxBytes) throw new WechatMediaRefused(`larger than ${maxBytes} bytes`);
  const family = kind === 'image' ? 'image/' : 'audio/';
  if (!contentType.startsWith(family) && contentType !== 'application/octet-stream') throw new WechatMediaRefused(`declared as ${contentType.slice(0, 64)}, not ${family}*`);
  const actual = sniffMediaType(data);
  const ext = actual ? KEPT[kind][actual] : undefined;
  if (!actual || !ext) throw new WechatMediaRefused(`the content is not ${Object.keys(KEPT[kind]).join(' / ')}`);
  const fileName = `${baseName}.${ext}`;
  try {
    return { fileName, contentType: classifyAttachment(fileName, data), data };
  } catch (e) {
    if (e instanceof AppError) throw new WechatMediaRefused(e.message);
    throw e;
  }
}

export type DownloadMediaInput = {
  client: WechatApiClient;
  creds: WechatCredentials;
  media: { kind: WechatMediaKind; mediaId: string };
  /** Names the file: `wechat-<externalId>.<ext>`. */
  externalId: string;
  /** Milliseconds left for the whole download (token included). */
  budgetMs: number;
  maxBytes?: number;
  log: Pick<FastifyBaseLogger, 'warn'>;
  /** For the log. */
  channelId: string;
};

/**
 * Downloads and checks one media file. Never throws: on any failure it logs a warning (errcode,
 * reason; never the token or URL) and returns null, and the message is stored as text.
 */
export async function downloadWechatMedia(input: DownloadMediaInput): Promise<InboundAttachment | null> {
  const { media, log } = input;
  const maxBytes = input.maxBytes ?? MAX_WECHAT_MEDIA_BYTES;
  const ctx = { channelId: input.channelId, externalId: input.externalId, mediaKind: media.kind };
  // AbortSignal.timeout takes whole milliseconds.
  const budgetMs = Math.floor(input.budgetMs);
  if (!(budgetMs > 0)) {
    log.warn({ ...ctx, reason: 'no time left' }, 'wechat media not downloaded; the message is stored as text');
    return null;
  }
  const started = performance.now();
  try {
    const file = await input.client.getMedia(input.creds, media.mediaId, { signal: AbortSignal.timeout(budgetMs), maxBytes });
    return checkWechatMedia(media.kind, file, `wechat-${input.externalId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}`, maxBytes);
  } catch (e) {
    const details = e instanceof AppError ? { code: e.code, errcode: (e.details as { errcode?: unknown } | undefined)?.errcode ?? null, reason: e.message } : { reason: e instanceof Error ? e.message : String(e) };
    log.warn({ ...ctx, ...details, ms: Math.round(performance.now() - started) }, 'wechat media not kept; the message is stored as text');
    return null;
  }
}
