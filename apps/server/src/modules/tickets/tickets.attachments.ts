import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DB } from '@kefu/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { TicketsService } from './tickets.service.ts';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

// The served type comes from this table, never from the client, and nothing is served as HTML.
const ALLOWED: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  amr: 'audio/amr',
  m4a: 'audio/mp4',
};
const INLINE = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const MAGIC: Readonly<Record<string, (b: Buffer) => boolean>> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};
const LOOKS_LIKE_HTML = /^\s*(<!doctype html|<html|<script|<svg|<\?xml)/i;

/** Checks an upload by extension and content; returns the type it will be served with. */
export function classifyAttachment(fileName: string, data: Buffer): string {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  const type = ALLOWED[ext];
  if (!type) throw new AppError('attachment.type_not_allowed', `Files of type .${ext || '?'} are not accepted`, { extension: ext });
  const magic = MAGIC[type];
  if (magic && !magic(data)) throw new AppError('attachment.type_not_allowed', 'The file content does not match its extension', { extension: ext });
  if (LOOKS_LIKE_HTML.test(data.subarray(0, 512).toString('utf8'))) throw new AppError('attachment.type_not_allowed', 'HTML and markup files are not accepted');
  return type;
}

const ZAttachment = z.object({ id: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number(), sha256: z.string(), createdAt: z.string() });

export function createTicketAttachments({ db, tickets, dir, clock }: { db: Kysely<DB>; tickets: TicketsService; dir: string; clock: () => Date }) {
  const view = (r: { id: string; file_name: string; content_type: string; size_bytes: number; sha256: string; created_at: Date }) => ({
    id: r.id,
    fileName: r.file_name,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    createdAt: r.created_at.toISOString(),
  });
  return {
    async add(ctx: RequestContext, ticketId: string, fileName: string, data: Buffer) {
      if (!['ticket:update', 'ticket:handle', 'ticket:dispatch'].some((p) => ctx.auth.permissions.has(p))) throw new AppError('auth.forbidden', 'Your role may not attach files');
      const ticket = await tickets.getTicket(ctx.auth, ticketId);
      const contentType = classifyAttachment(fileName, data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      // Stored under a random key, never the client's file name.
      const key = `${ticket.id.slice(0, 2)}/${randomUUID()}`;
      const file = path.join(dir, key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, data, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      // Control characters, quotes and slashes never reach a header or a path.
      const safeName = [...path.basename(fileName)].map((c) => (c.charCodeAt(0) < 32 || '"\\/'.includes(c) ? '_' : c)).join('').slice(0, 200);
      const row = await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('ticket_attachments')
          .values({ ticket_id: ticket.id, file_name: safeName, content_type: contentType, size_bytes: data.length, storage_key: key, sha256, uploaded_by: ctx.auth.userId, created_at: clock() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto('ticket_events').values({ ticket_id: ticket.id, at: clock(), actor_id: ctx.auth.userId, type: 'attachment_added', visibility: 'internal', body: safeName, data: JSON.stringify({ attachmentId: r.id, sizeBytes: data.length }) }).execute();
        await recordAudit(trx, ctx, { action: 'ticket.attachment_add', entityType: 'ticket', entityId: ticket.id, brandId: ticket.brandId, after: { fileName: safeName, sha256 } });
        return r;
      });
      return view(row);
    },
    async list(auth: AuthContext, ticketId: string) {
      await tickets.getTicket(auth, ticketId);
      const rows = await db.selectFrom('ticket_attachments').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').execute();
      return { items: rows.map(view) };
    },
    async read(auth: AuthContext, ticketId: string, attachmentId: string) {
      await tickets.getTicket(auth, ticketId);
      const row = await db.selectFrom('ticket_attachments').selectAll().where('id', '=', attachmentId).where('ticket_id', '=', ticketId).executeTakeFirst();
      if (!row) throw new AppError('resource.not_found', 'Attachment not found', { entity: 'attachment', id: attachmentId });
      return { row, data: await readFile(path.join(dir, row.storage_key)) };
    },
  };
}

export const ticketAttachmentsRoutes: FastifyPluginAsyncZod<{ attachments: ReturnType<typeof createTicketAttachments> }> = async (app, { attachments }) => {
  const tags = ['tickets'];
  const params = z.strictObject({ id: z.uuid() });
  app.post('/tickets/:id/attachments', { schema: { tags, params, response: { 201: ZAttachment } }, config: { access: 'ticket:read' } }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('request.unsupported_media_type', 'Upload the file as multipart/form-data field "file"');
    const file = await req.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES } });
    if (!file) throw new AppError('validation.failed', 'No file uploaded', { field: 'file' });
    let data: Buffer;
    try {
      data = await file.toBuffer();
    } catch {
      throw new AppError('attachment.too_large', `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`);
    }
    return reply.code(201).send(await attachments.add(requestContext(req), req.params.id, file.filename, data));
  });
  app.get('/tickets/:id/attachments', { schema: { tags, params, response: { 200: z.object({ items: z.array(ZAttachment) }) } }, config: { access: 'ticket:read' } }, (req) =>
    attachments.list(requireAuth(req), req.params.id),
  );
  app.get(
    '/tickets/:id/attachments/:attachmentId',
    { schema: { tags, params: z.strictObject({ id: z.uuid(), attachmentId: z.uuid() }) }, config: { access: 'ticket:read' } },
    async (req, reply) => {
      const { row, data } = await attachments.read(requireAuth(req), req.params.id, req.params.attachmentId);
      const disposition = INLINE.has(row.content_type) ? 'inline' : 'attachment';
      return reply
        .header('content-type', row.content_type)
        .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(row.file_name)}`)
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(data);
    },
  );
};
