import type { DB } from '@kefu/db';
import { type Kysely, sql } from 'kysely';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { deriveSecretKey, openSecrets } from './secret-box.ts';
import type { ChannelSender, ChannelType, LoadedChannel, OutboundMessage } from './types.ts';

// Agents' replies leave the way the customer came: after an agent's message is stored in a
// conversation of an outside channel, it is marked `pending` and handed to that channel type's
// sender; the outcome (sent with the platform's message id, or failed with the error) is stored on
// the message and pushed to the agents as `message.delivery`. Pending messages a crash left behind
// are retried by the `channel-outbound` job; after DELIVERY_GIVE_UP_MS they count as failed.

export const DELIVERY_RETRY_AFTER_MS = 60_000;
export const DELIVERY_GIVE_UP_MS = 10 * 60_000;

export type OutboundDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  sessionSecret: string;
  publish: (m: RealtimeMessage) => Promise<void>;
  senders: Partial<Record<ChannelType, ChannelSender>>;
  /** The product's public address: relative help-center links in bot answers become absolute outside the web chat. */
  publicUrl?: string | null;
  log?: { warn: (obj: unknown, msg: string) => void };
};

const FROM_KINDS = new Set(['openid', 'email', 'phone', 'external']);
/** Messages that leave through the channel: agents' replies and the self-service bot's. */
const SENT_BY_US = new Set(['agent', 'bot']);

/** The outside identity a visitor key names (`email:li@example.com` → { kind: 'email', value }). */
export function recipientOf(externalId: string | null, name: string | null): OutboundMessage['to'] | null {
  if (!externalId) return null;
  const i = externalId.indexOf(':');
  const kind = externalId.slice(0, i);
  if (i < 1 || !FROM_KINDS.has(kind)) return null;
  return { kind: kind as OutboundMessage['to']['kind'], value: externalId.slice(i + 1), name };
}

/** Makes `/help/…` links absolute (a WeChat or SMS reader has no page to resolve them against). */
export function absoluteLinks(text: string, publicUrl: string | null | undefined): string {
  if (!publicUrl) return text;
  const base = publicUrl.replace(/\/$/, '');
  return text.replace(/(^|[\s：:])(\/help\/[^\s]+)/g, (_m, pre: string, path: string) => `${pre}${base}${path}`);
}

export function createChannelStore(db: Kysely<DB>, sessionSecret: string) {
  const key = deriveSecretKey(sessionSecret);
  return {
    key,
    /** A channel with its secrets decrypted; null when unknown. */
    async load(id: string): Promise<LoadedChannel | null> {
      const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      return { id: row.id, brandId: row.brand_id, type: row.type as ChannelType, name: row.name, enabled: row.enabled, config: row.config as Record<string, unknown>, secrets: openSecrets(key, row.secrets) };
    },
  };
}

export function createOutbound(deps: OutboundDeps) {
  const { db, clock } = deps;
  const channels = createChannelStore(db, deps.sessionSecret);

  async function record(messageId: string, conversationId: string, patch: { delivery_status: 'sent' | 'failed'; external_id?: string | null; delivery_error?: string | null; delivery_claimed_at: null }, agentId: string | null, channelId: string) {
    await db.updateTable('messages').set(patch).where('id', '=', messageId).execute();
    const health = patch.delivery_status === 'sent' ? { lastOutboundAt: clock().toISOString(), lastOutboundError: null } : { lastOutboundErrorAt: clock().toISOString(), lastOutboundError: patch.delivery_error ?? 'failed' };
    await db.updateTable('channels').set({ health: sql`health || ${JSON.stringify(health)}::jsonb` }).where('id', '=', channelId).execute();
    const payload = { conversationId, messageId, status: patch.delivery_status, error: patch.delivery_error ?? null };
    await deps.publish({ topic: 'message.delivery', payload, userIds: agentId ? [agentId] : [], conversationId });
  }

  /**
   * Delivers one stored agent message through its conversation's channel. A web chat message (or
   * one already sent) is left alone. Never throws: failures are stored on the message.
   */
  async function deliver(messageId: string): Promise<'sent' | 'failed' | 'skipped'> {
    const row = await db
      .selectFrom('messages as m')
      .innerJoin('conversations as v', 'v.id', 'm.conversation_id')
      .leftJoin('visitors as vi', 'vi.id', 'v.visitor_id')
      .leftJoin('channels as ch', 'ch.id', 'v.channel_id')
      .select(['m.id', 'm.body', 'm.sender_type', 'm.sender_id', 'm.internal', 'm.delivery_status', 'v.id as conversation_id', 'v.subject', 'v.thread_ref', 'v.channel_id', 'ch.type as channel_type', 'vi.external_id', 'vi.name'])
      .where('m.id', '=', messageId)
      .executeTakeFirst();
    if (!row?.channel_id || !row.channel_type || row.internal || !SENT_BY_US.has(row.sender_type) || row.delivery_status === 'sent' || row.delivery_status === 'delivered') return 'skipped';
    const sender = deps.senders[row.channel_type as ChannelType];
    if (!sender) return 'skipped';
    const to = recipientOf(row.external_id, row.name);
    // Claim the send with a conditional update: of the first attempt and the retry job (in any
    // process) only one sends; a claim older than DELIVERY_RETRY_AFTER_MS (longer than any sender's
    // timeout) belongs to an attempt that died and may be taken over.
    const claimedAt = clock();
    const claimed = await db
      .updateTable('messages')
      .set({ delivery_status: 'pending', delivery_claimed_at: claimedAt, delivery_attempts: sql`delivery_attempts + 1` })
      .where('id', '=', messageId)
      .where((eb) => eb.or([eb('delivery_status', 'is', null), eb('delivery_status', 'in', ['pending', 'failed'])]))
      .where((eb) => eb.or([eb('delivery_claimed_at', 'is', null), eb('delivery_claimed_at', '<', new Date(claimedAt.getTime() - DELIVERY_RETRY_AFTER_MS))]))
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return 'skipped';
    try {
      const channel = await channels.load(row.channel_id);
      if (!channel?.enabled) throw new Error('the channel is disabled');
      if (!to) throw new Error('the conversation has no outside recipient');
      const result = await sender(channel, { conversationId: row.conversation_id, messageId, text: absoluteLinks(row.body, deps.publicUrl), to, subject: row.subject, threadRef: row.thread_ref });
      await record(messageId, row.conversation_id, { delivery_status: 'sent', external_id: result.externalId ?? null, delivery_error: null, delivery_claimed_at: null }, row.sender_id, row.channel_id);
      return 'sent';
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      deps.log?.warn({ err, messageId }, 'outbound delivery failed');
      await record(messageId, row.conversation_id, { delivery_status: 'failed', delivery_error: error.slice(0, 500), delivery_claimed_at: null }, row.sender_id, row.channel_id);
      return 'failed';
    }
  }

  /** Retries messages left `pending` (a crash between storing and sending); gives up after a while. */
  async function retryPending(): Promise<number> {
    const now = clock().getTime();
    const stale = await db
      .selectFrom('messages')
      .select(['id', 'created_at'])
      .where('delivery_status', '=', 'pending')
      .where('created_at', '<', new Date(now - DELIVERY_RETRY_AFTER_MS))
      .limit(50)
      .execute();
    for (const m of stale) {
      if (m.created_at.getTime() < now - DELIVERY_GIVE_UP_MS) await db.updateTable('messages').set({ delivery_status: 'failed', delivery_error: 'not delivered in time' }).where('id', '=', m.id).execute();
      else await deliver(m.id);
    }
    return stale.length;
  }

  return { deliver, retryPending, channels };
}

export type Outbound = ReturnType<typeof createOutbound>;
