import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TMessage } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { Executor } from './contacts.queries.ts';
import { AppError } from '../../platform/errors.ts';
import { classifyAttachment } from '../tickets/tickets.attachments.ts';
import type { ConversationsService, Party } from './conversations.service.ts';
import { DEFAULT_UPLOAD_TYPES } from './widget.service.ts';

export const DEFAULT_CHAT_UPLOAD_BYTES = 5 * 1024 * 1024;
const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export type StoredChatFile = { name: string; size: number; contentType: string; url: string };

export const isInlineImage = (contentType: string) => INLINE.has(contentType);

/**
 * Writes a checked file under `dir` and records it in chat_files (inside the caller's transaction
 * when `ex` is one): the attachment a message carries. The content type must come from
 * classifyAttachment, never from the sender.
 */
export async function storeChatFile(
  ex: Executor,
  dir: string,
  f: { conversationId: string; fileName: string; contentType: string; data: Buffer; uploadedByType: 'customer' | 'agent'; uploadedBy: string | null },
): Promise<StoredChatFile> {
  const id = randomUUID();
  const file = path.join(dir, id.slice(0, 2), id);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, f.data, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  const safeName = [...path.basename(f.fileName)].map((c) => (c.charCodeAt(0) < 32 || '"\\/'.includes(c) ? '_' : c)).join('').slice(0, 200) || 'file';
  await ex
    .insertInto('chat_files')
    .values({
      id,
      conversation_id: f.conversationId,
      file_name: safeName,
      content_type: f.contentType,
      size_bytes: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
      uploaded_by_type: f.uploadedByType,
      uploaded_by: f.uploadedBy,
    })
    .execute();
  return { name: safeName, size: f.data.length, contentType: f.contentType, url: `/api/v1/chat-files/${id}` };
}

/**
 * Files sent in a chat. Stored under a random id that is also the download capability
 * (`/api/v1/chat-files/:id`): unguessable, so an <img> in the widget can load it without headers.
 * The type is sniffed from the content (classifyAttachment), never taken from the client.
 */
export function createChatFiles(deps: { db: Kysely<DB>; dir: string; conversations: ConversationsService }) {
  const { db, dir, conversations } = deps;

  async function limitsFor(conversationId: string) {
    const row = await db.selectFrom('conversations as v').leftJoin('channels as c', 'c.id', 'v.channel_id').select('c.config').where('v.id', '=', conversationId).executeTakeFirst();
    const cfg = (row?.config ?? {}) as { maxUploadBytes?: number; allowedUploadTypes?: string[] };
    return { maxBytes: cfg.maxUploadBytes ?? DEFAULT_CHAT_UPLOAD_BYTES, types: cfg.allowedUploadTypes ?? DEFAULT_UPLOAD_TYPES };
  }

  async function upload(p: Party, conversationId: string, fileName: string, data: Buffer): Promise<TMessage> {
    await conversations.access(p, conversationId);
    const limits = await limitsFor(conversationId);
    if (data.length > limits.maxBytes) throw new AppError('attachment.too_large', `Files are limited to ${Math.floor(limits.maxBytes / 1024)} KiB here`, { maxBytes: limits.maxBytes });
    const contentType = classifyAttachment(fileName, data);
    if (!limits.types.includes(contentType.split(';')[0] as string)) {
      throw new AppError('attachment.type_not_allowed', 'This chat accepts only the listed file types', { allowed: limits.types });
    }
    const attachment = await storeChatFile(db, dir, { conversationId, fileName, contentType, data, uploadedByType: p.kind === 'visitor' ? 'customer' : 'agent', uploadedBy: p.kind === 'visitor' ? p.visitorId : p.auth.userId });
    return conversations.send(p, conversationId, { text: attachment.name, kind: isInlineImage(contentType) ? 'image' : 'file', attachment });
  }

  async function read(id: string) {
    const row = await db.selectFrom('chat_files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('resource.not_found', 'File not found', { entity: 'file', id });
    return { row, data: await readFile(path.join(dir, id.slice(0, 2), id)), inline: INLINE.has(row.content_type) };
  }

  return { upload, read };
}

export type ChatFiles = ReturnType<typeof createChatFiles>;
