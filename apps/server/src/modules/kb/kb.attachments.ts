import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TKbAttachment } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { classifyAttachment, MAX_ATTACHMENT_BYTES } from '../tickets/tickets.attachments.ts';

export { MAX_ATTACHMENT_BYTES };

// Article attachments: images to show inline and PDF / Office documents to download. The ticket
// module's classifier checks extension, magic bytes and markup; knowledge narrows the list further
// (no text, CSV or audio: a public help center page never serves those) and checks Office magic.
const KB_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OFFICE_MAGIC: Readonly<Record<string, Buffer>> = {
  'application/msword': OLE,
  'application/vnd.ms-excel': OLE,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
};
const WEBP = (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';

/** Checks a knowledge upload; returns the type it is served with. */
export function classifyKbAttachment(fileName: string, data: Buffer): string {
  const type = classifyAttachment(fileName, data);
  if (!KB_TYPES.has(type)) throw new AppError('attachment.type_not_allowed', 'Knowledge attachments are images, PDF or Office documents', { contentType: type });
  const magic = OFFICE_MAGIC[type];
  if (magic && !data.subarray(0, magic.length).equals(magic)) throw new AppError('attachment.type_not_allowed', 'The file content does not match its extension');
  if (type === 'image/webp' && !WEBP(data)) throw new AppError('attachment.type_not_allowed', 'The file content does not match its extension');
  return type;
}

export const kbAttachmentUrl = (id: string) => `/api/v1/kb/attachments/${id}`;

type Row = { id: string; article_id: string; file_name: string; content_type: string; size_bytes: number; sha256: string; storage_key: string; created_at: Date };

const view = (r: Row): TKbAttachment => ({
  id: r.id,
  articleId: r.article_id,
  fileName: r.file_name,
  contentType: r.content_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  url: kbAttachmentUrl(r.id),
  createdAt: r.created_at.toISOString(),
});

export type KbAttachments = ReturnType<typeof createKbAttachments>;

export function createKbAttachments({ db, dir, clock }: { db: Kysely<DB>; dir: string; clock: () => Date }) {
  async function articleOf(brandIds: readonly string[], id: string) {
    const a = await db.selectFrom('kb_articles').select(['id', 'brand_id', 'status', 'audience', 'valid_from', 'valid_to']).where('id', '=', id).where('brand_id', 'in', [...brandIds]).executeTakeFirst();
    if (!a) throw new AppError('resource.not_found', 'Article not found', { entity: 'kb_article', id });
    return a;
  }
  return {
    async add(ctx: RequestContext, articleId: string, fileName: string, data: Buffer): Promise<TKbAttachment> {
      const article = await articleOf(ctx.auth.brandIds, articleId);
      if (article.status === 'archived') throw new AppError('kb.edit_refused', 'Archived articles are not edited; restore it to draft first', { status: article.status });
      const contentType = classifyKbAttachment(fileName, data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      // Stored under a random key, never the client's file name.
      const key = `${article.id.slice(0, 2)}/${randomUUID()}`;
      const file = path.join(dir, key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, data, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      const safeName = [...path.basename(fileName)].map((c) => (c.charCodeAt(0) < 32 || '"\\/[]()<>'.includes(c) ? '_' : c)).join('').slice(0, 200);
      const row = await db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('kb_attachments')
          .values({ article_id: article.id, file_name: safeName, content_type: contentType, size_bytes: data.length, storage_key: key, sha256, uploaded_by: ctx.auth.userId, created_at: clock() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'kb_article.attachment_add', entityType: 'kb_article', entityId: article.id, brandId: article.brand_id, after: { attachmentId: r.id, fileName: safeName, sha256 } });
        return r;
      });
      return view(row);
    },
    async list(auth: AuthContext, articleId: string) {
      await articleOf(auth.brandIds, articleId);
      const rows = await db.selectFrom('kb_attachments').selectAll().where('article_id', '=', articleId).orderBy('created_at').execute();
      return { items: rows.map(view) };
    },
    /** Loads an attachment whose article passes `visible` (brand scope, and for the help center: public and live). */
    async read(brandIds: readonly string[], attachmentId: string, visible: (a: { status: string; audience: string; valid_from: Date | null; valid_to: Date | null }) => boolean) {
      const row = await db
        .selectFrom('kb_attachments as f')
        .innerJoin('kb_articles as a', 'a.id', 'f.article_id')
        .selectAll('f')
        .select(['a.status', 'a.audience', 'a.valid_from', 'a.valid_to'])
        .where('f.id', '=', attachmentId)
        .where('a.brand_id', 'in', [...brandIds])
        .executeTakeFirst();
      if (!row || !visible(row)) throw new AppError('resource.not_found', 'Attachment not found', { entity: 'kb_attachment', id: attachmentId });
      return { row, data: await readFile(path.join(dir, row.storage_key)) };
    },
  };
}

/** Sends a stored file with its own type, never as HTML, sandboxed. */
export function sendAttachment(reply: FastifyReply, row: { content_type: string; file_name: string }, data: Buffer, cache: 'private' | 'public') {
  const disposition = row.content_type.startsWith('image/') ? 'inline' : 'attachment';
  return reply
    .header('content-type', row.content_type)
    .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(row.file_name)}`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', `${cache}, max-age=3600`)
    .send(data);
}
