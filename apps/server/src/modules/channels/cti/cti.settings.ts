// A CTI channel's settings an administrator changes as agents come and go: the PBX's originate URL
// and the agent ↔ extension map (分机号). Audited; the channel's other config is kept.
import type { TCtiSettingsRequest } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../../platform/audit.ts';
import type { RequestContext } from '../../../platform/auth-context.ts';
import { AppError } from '../../../platform/errors.ts';
import { toChannelDto } from '../channels.admin.ts';
import { ZCtiChannelConfig } from './cti.schemas.ts';

export function createCtiSettings(deps: { db: Kysely<DB>; clock: () => Date }) {
  const { db, clock } = deps;
  return async function updateCtiSettings(ctx: RequestContext, channelId: string, input: TCtiSettingsRequest) {
    const extensions = Object.entries(input.agentExtensions);
    const seen = new Map<string, string>();
    for (const [agentId, ext] of extensions) {
      const other = seen.get(ext);
      if (other) throw new AppError('validation.failed', 'Each extension belongs to one agent', { issues: [{ path: `agentExtensions.${agentId}`, message: `extension ${ext} is already ${other}'s` }] });
      seen.set(ext, agentId);
    }
    return db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('channels').selectAll().where('id', '=', channelId).forUpdate().executeTakeFirst();
      if (row?.type !== 'cti' || !ctx.auth.brandIds.includes(row.brand_id)) throw new AppError('resource.not_found', 'No such CTI channel', { entity: 'channel', id: channelId });
      const agentIds = extensions.map(([id]) => id);
      if (agentIds.length > 0) {
        const known = await trx.selectFrom('user_brands').select('user_id').where('brand_id', '=', row.brand_id).where('user_id', 'in', agentIds).execute();
        const missing = agentIds.filter((id) => !known.some((k) => k.user_id === id));
        if (missing.length > 0) throw new AppError('validation.failed', 'Unknown agents', { issues: missing.map((id) => ({ path: `agentExtensions.${id}`, message: 'not a user of this service center' })) });
      }
      const before = ZCtiChannelConfig.parse(row.config);
      const { originateUrl: _dropped, ...rest } = before;
      const config = ZCtiChannelConfig.parse({ ...rest, ...(input.originateUrl ? { originateUrl: input.originateUrl } : {}), agentExtensions: input.agentExtensions });
      const updated = await trx.updateTable('channels').set({ config: JSON.stringify(config), updated_at: clock() }).where('id', '=', channelId).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'channel.cti_settings', entityType: 'channel', entityId: channelId, brandId: row.brand_id, before: { originateUrl: before.originateUrl ?? null, agentExtensions: before.agentExtensions }, after: { originateUrl: config.originateUrl ?? null, agentExtensions: config.agentExtensions } });
      return toChannelDto(updated);
    });
  };
}
