import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/** The hard ceiling of a chat upload; a channel may set a lower one. */
export const MAX_CHAT_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Reads the multipart field "file" of a chat upload. */
export async function readUpload(req: FastifyRequest): Promise<{ fileName: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError('request.unsupported_media_type', 'Upload the file as multipart/form-data field "file"');
  const file = await req.file({ limits: { fileSize: MAX_CHAT_UPLOAD_BYTES } });
  if (!file) throw new AppError('validation.failed', 'No file uploaded', { field: 'file' });
  try {
    return { fileName: file.filename, data: await file.toBuffer() };
  } catch {
    throw new AppError('attachment.too_large', `Files are limited to ${MAX_CHAT_UPLOAD_BYTES / 1024 / 1024} MiB`);
  }
}
