// SMS channel administration under /api/v1: one-off notices and the list of numbers that opted out.
import { maskPhone } from '@kefu/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../../../platform/audit.ts';
import { requestContext, requireAuth } from '../../../platform/access.ts';
import { AppError } from '../../../platform/errors.ts';
import { listOptOuts, type NoticeDeps, sendNotice } from './sms.notices.ts';

export const ZSendNoticeRequest = z.strictObject({
  to: z.string().trim().min(3).max(32),
  text: z.string().trim().min(1).max(1000),
  reference: z.string().trim().min(1).max(100).optional(),
});
export const ZNoticeSent = z.object({ externalId: z.string(), status: z.literal('sent'), to: z.string(), text: z.string(), segments: z.number().int(), reference: z.string().nullable() });
export const ZSmsOptOut = z.object({ phone: z.string(), channelId: z.string().nullable(), channelName: z.string().nullable(), keyword: z.string(), optedOutAt: z.string() });
export const ZSmsOptOuts = z.object({ items: z.array(ZSmsOptOut), total: z.number().int(), masked: z.boolean() });

const ZParams = z.strictObject({ id: z.uuid() });

export const smsAdminRoutes: FastifyPluginAsyncZod<NoticeDeps> = async (app, deps) => {
  const tags = ['channels'];
  app.post(
    '/channels/:id/notices',
    { schema: { tags, params: ZParams, body: ZSendNoticeRequest, response: { 202: ZNoticeSent } }, config: { access: 'routing:manage' } },
    async (req, reply) => {
      const ctx = requestContext(req);
      const sent = await sendNotice(deps, { channelId: req.params.id, to: req.body.to, text: req.body.text, reference: req.body.reference ?? null, brandIds: ctx.auth.brandIds });
      await recordAudit(deps.db, ctx, {
        action: 'channel.sms_notice',
        entityType: 'channel',
        entityId: sent.channelId,
        brandId: sent.brandId,
        after: { to: maskPhone(sent.to), externalId: sent.externalId, segments: sent.segments, reference: sent.reference },
      });
      const reveal = ctx.auth.permissions.has('customer:unmask');
      return reply.code(202).send({ externalId: sent.externalId, status: sent.status, to: reveal ? sent.to : maskPhone(sent.to), text: sent.text, segments: sent.segments, reference: sent.reference });
    },
  );
  app.get(
    '/channels/:id/opt-outs',
    { schema: { tags, params: ZParams, querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(200) }), response: { 200: ZSmsOptOuts } }, config: { access: 'routing:manage' } },
    async (req) => {
      const auth = requireAuth(req);
      const channel = await deps.db.selectFrom('channels').select(['id', 'brand_id', 'type']).where('id', '=', req.params.id).where('brand_id', 'in', [...auth.brandIds]).executeTakeFirst();
      if (channel?.type !== 'sms') throw new AppError('resource.not_found', 'SMS channel not found', { entity: 'channel', id: req.params.id });
      const reveal = auth.permissions.has('customer:unmask');
      const list = await listOptOuts(deps.db, { brandId: channel.brand_id, reveal, limit: req.query.limit });
      return { ...list, masked: !reveal };
    },
  );
};
