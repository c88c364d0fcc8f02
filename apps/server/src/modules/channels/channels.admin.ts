import type { TCreateChannelRequest } from '@kefu/contracts';
import { randomBytes } from 'node:crypto';
import type { ChannelRow, DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { ZApiChannelConfig as ZApiAdapterConfig } from './api/index.ts';
import { ZCtiChannelConfig } from './cti/cti.schemas.ts';
import { ZEmailChannelConfig as ZEmailAdapterConfig } from './email/index.ts';
import type { Inbound } from './inbound.ts';
import { maskedSecrets, type SecretKey, sealSecrets } from './secret-box.ts';
import { ZSmsChannelConfig as ZSmsAdapterConfig } from './sms/index.ts';

// Channel administration for every type: web chat (issue 4) and the outside channels of issue 5.
// The request's config is split into what may be shown (config) and what must not (secrets):
// secrets are stored encrypted (secret-box.ts) and listed masked; secrets the server generates
// (webhook signing secrets, callback tokens, the email thread secret) are shown once, in the
// creation response. Web chat keeps its plain identity secret of issue 4.

const secret = () => randomBytes(32).toString('hex');

/** Splits a create request into stored config, secrets given by the admin and secrets generated here. */
export function splitChannelConfig(input: TCreateChannelRequest): { config: Record<string, unknown>; secrets: Record<string, string>; generated: Record<string, string> } {
  switch (input.type) {
    case 'webchat':
      return { config: input.config, secrets: {}, generated: { identitySecret: secret() } };
    case 'wechat': {
      const { token, appSecret, encodingAESKey, ...config } = input.config;
      return { config: { ...config, safeMode: Boolean(encodingAESKey) }, secrets: { token, appSecret, ...(encodingAESKey ? { encodingAESKey } : {}) }, generated: {} };
    }
    case 'email': {
      const { imap, smtp, ...rest } = input.config;
      const secrets: Record<string, string> = {};
      const config: Record<string, unknown> = { ...rest };
      if (imap) {
        const { password, ...shown } = imap;
        config.imap = shown;
        secrets.imapPassword = password;
      }
      if (smtp) {
        const { password, ...shown } = smtp;
        config.smtp = shown;
        if (password) secrets.smtpPassword = password;
      }
      // Defaults (ports, limits, INBOX) filled in by the adapter's own schema.
      return { config: ZEmailAdapterConfig.parse(config), secrets, generated: { threadSecret: secret() } };
    }
    case 'sms':
      return { config: ZSmsAdapterConfig.parse(input.config), secrets: {}, generated: { signingSecret: secret(), callbackToken: randomBytes(18).toString('base64url') } };
    case 'api':
      return { config: ZApiAdapterConfig.parse(input.config), secrets: {}, generated: { signingSecret: secret() } };
    case 'cti':
      return { config: ZCtiChannelConfig.parse(input.config), secrets: {}, generated: { signingSecret: secret() } };
  }
}

export function toChannelDto(r: ChannelRow) {
  return {
    id: r.id,
    type: r.type as TCreateChannelRequest['type'],
    name: r.name,
    config: r.config as Record<string, unknown>,
    secrets: maskedSecrets(r.secrets),
    queueId: r.queue_id,
    enabled: r.enabled,
    health: (r.health ?? {}) as Record<string, unknown>,
    createdAt: r.created_at.toISOString(),
  };
}

function brandOf(auth: AuthContext): string {
  const brandId = auth.brandIds[0];
  if (!brandId) throw new AppError('auth.forbidden', 'No brand');
  return brandId;
}

export function createChannelsAdmin(deps: { db: Kysely<DB>; clock: () => Date; key: SecretKey; inbound: Inbound }) {
  const { db, clock, key } = deps;

  async function checkQueue(ex: Kysely<DB>, brandId: string, queueId: string | null | undefined) {
    if (!queueId) return;
    const q = await ex.selectFrom('queues').select('id').where('id', '=', queueId).where('brand_id', '=', brandId).executeTakeFirst();
    if (!q) throw new AppError('validation.failed', 'Unknown queue', { field: 'queueId' });
  }

  return {
    async list(auth: AuthContext) {
      const rows = await db.selectFrom('channels').selectAll().where('brand_id', 'in', [...auth.brandIds]).orderBy('created_at').execute();
      return { items: rows.map(toChannelDto) };
    },

    async create(ctx: RequestContext, input: TCreateChannelRequest) {
      const brandId = brandOf(ctx.auth);
      const { config, secrets, generated } = splitChannelConfig(input);
      return db.transaction().execute(async (trx) => {
        await checkQueue(trx, brandId, input.queueId);
        // Web chat keeps issue 4's plain identity secret; every other type is sealed.
        const stored = input.type === 'webchat' ? generated : sealSecrets(key, { ...secrets, ...generated });
        const row = await trx
          .insertInto('channels')
          .values({ brand_id: brandId, type: input.type, name: input.name, config: JSON.stringify(config), secrets: JSON.stringify(stored), queue_id: input.queueId ?? null })
          .returningAll()
          .executeTakeFirstOrThrow();
        const dto = toChannelDto(row);
        await recordAudit(trx, ctx, { action: 'channel.create', entityType: 'channel', entityId: row.id, brandId, after: dto });
        return { ...dto, ...(input.type === 'webchat' ? { identitySecret: generated.identitySecret } : {}), generatedSecrets: generated };
      });
    },

    async update(ctx: RequestContext, id: string, input: { name?: string; enabled?: boolean; queueId?: string | null }) {
      return db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('channels').selectAll().where('id', '=', id).where('brand_id', 'in', [...ctx.auth.brandIds]).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('resource.not_found', 'Channel not found', { entity: 'channel', id });
        await checkQueue(trx, before.brand_id, input.queueId);
        const row = await trx
          .updateTable('channels')
          .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), ...(input.queueId !== undefined ? { queue_id: input.queueId } : {}), updated_at: clock() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const dto = toChannelDto(row);
        await recordAudit(trx, ctx, { action: 'channel.update', entityType: 'channel', entityId: id, brandId: row.brand_id, before: toChannelDto(before), after: dto });
        return dto;
      });
    },

    async listQuarantine(auth: AuthContext, status: 'open' | 'accepted' | 'rejected') {
      const rows = await db
        .selectFrom('channel_quarantine as q')
        .innerJoin('channels as c', 'c.id', 'q.channel_id')
        .selectAll('q')
        .select('c.name as channel_name')
        .where('q.brand_id', 'in', [...auth.brandIds])
        .where('q.status', '=', status)
        .orderBy('q.created_at', 'desc')
        .limit(200)
        .execute();
      return { items: rows.map(toQuarantineDto) };
    },

    /** Accept: the message joins the sender's conversation as if verified. Reject: kept, never delivered. */
    async decideQuarantine(ctx: RequestContext, id: string, decision: 'accept' | 'reject') {
      const row = await db.selectFrom('channel_quarantine as q').innerJoin('channels as c', 'c.id', 'q.channel_id').selectAll('q').select('c.name as channel_name').where('q.id', '=', id).where('q.brand_id', 'in', [...ctx.auth.brandIds]).executeTakeFirst();
      if (!row) throw new AppError('resource.not_found', 'Quarantined message not found', { entity: 'quarantine', id });
      if (row.status !== 'open') throw new AppError('channel.quarantine_decided', 'This message was already decided', { status: row.status });
      const conversationId = decision === 'accept' ? await deps.inbound.release(row.id) : null;
      const updated = await db.transaction().execute(async (trx) => {
        const u = await trx
          .updateTable('channel_quarantine')
          .set({ status: decision === 'accept' ? 'accepted' : 'rejected', decided_by: ctx.auth.userId, decided_at: clock(), conversation_id: conversationId })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: `channel.quarantine_${decision}`, entityType: 'channel_quarantine', entityId: id, brandId: row.brand_id, after: { status: u.status, conversationId } });
        return u;
      });
      return toQuarantineDto({ ...updated, channel_name: row.channel_name });
    },
  };
}

function toQuarantineDto(r: {
  id: string; channel_id: string; channel_name: string; from_kind: string; from_value: string; from_name: string | null; subject: string | null; body: string; reason: string; status: string; conversation_id: string | null; created_at: Date;
}) {
  return {
    id: r.id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    fromKind: r.from_kind,
    fromValue: r.from_value,
    fromName: r.from_name,
    subject: r.subject,
    body: r.body,
    reason: r.reason,
    status: r.status as 'open' | 'accepted' | 'rejected',
    conversationId: r.conversation_id,
    createdAt: r.created_at.toISOString(),
  };
}

export type ChannelsAdmin = ReturnType<typeof createChannelsAdmin>;
