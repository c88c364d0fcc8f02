// What the SMS channel keeps of its callbacks: delivery receipts (状态报告) per provider message id,
// which move an agent's reply from `sent` to `delivered` (or `failed`) and are pushed to the desk as
// `message.delivery`; and the numbers that answered TD/退订, to which notices are not sent until
// they opt in again (订阅 / 恢复 / START). Opt-outs are per brand: a TD on one SMS channel stops
// the brand's notices on every channel.
import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import type { RealtimeMessage } from '../../../platform/realtime.ts';
import type { SmsReceipt } from './sms.routes.ts';
import { toArchivePhone } from './sms.text.ts';

export type SmsStoreDeps = { db: Kysely<DB>; publish?: (m: RealtimeMessage) => Promise<void> };

/** Statuses a receipt may move a message from: a delivery proves itself even after a failure; a failure never undoes a delivery. */
const MOVES_FROM: Record<SmsReceipt['status'], string[]> = { delivered: ['pending', 'sent', 'failed'], failed: ['pending', 'sent'] };

/**
 * Stores one receipt (a repeat is a no-op) and updates the reply the provider id belongs to on
 * that channel, pushing the change to the agent who wrote it and the conversation's viewers.
 * A receipt for an id we do not know is stored and otherwise ignored (the caller still acknowledges it).
 */
export async function recordSmsReceipt(deps: SmsStoreDeps, receipt: SmsReceipt): Promise<{ stored: boolean; messageIds: string[] }> {
  const error = receipt.status === 'failed' ? (receipt.error ?? 'failed').slice(0, 500) : null;
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('sms_receipts')
      .values({ channel_id: receipt.channelId, external_id: receipt.providerMessageId, status: receipt.status, error_code: error, at: receipt.at })
      .onConflict((oc) => oc.columns(['channel_id', 'external_id', 'status']).doNothing())
      .returning('external_id')
      .executeTakeFirst();
    if (!inserted) return { stored: false, updated: [] };
    const updated = await trx
      .updateTable('messages')
      .set({ delivery_status: receipt.status, delivery_error: error })
      .where('external_id', '=', receipt.providerMessageId)
      .where('conversation_id', 'in', (eb) => eb.selectFrom('conversations').select('id').where('channel_id', '=', receipt.channelId))
      .where('delivery_status', 'in', MOVES_FROM[receipt.status])
      .returning(['id', 'conversation_id', 'sender_id'])
      .execute();
    return { stored: true, updated };
  });
  // The same push the outbound pipeline makes when a reply leaves (outbound.ts `record`).
  for (const m of outcome.updated) {
    const payload = { conversationId: m.conversation_id, messageId: m.id, status: receipt.status, error };
    await deps.publish?.({ topic: 'message.delivery', payload, userIds: m.sender_id ? [m.sender_id] : [], conversationId: m.conversation_id });
  }
  return { stored: outcome.stored, messageIds: outcome.updated.map((m) => m.id) };
}

/** The number (archive format) opts out of the brand's notices; a repeat only refreshes the time. */
export async function recordOptOut(db: Kysely<DB>, input: { brandId: string; channelId: string; phone: string; keyword: string; at: Date }): Promise<void> {
  const keyword = input.keyword.normalize('NFKC').trim().slice(0, 20) || 'TD';
  await db
    .insertInto('sms_opt_outs')
    .values({ brand_id: input.brandId, phone: input.phone, channel_id: input.channelId, keyword, opted_out_at: input.at, opted_in_at: null })
    .onConflict((oc) => oc.columns(['brand_id', 'phone']).doUpdateSet({ channel_id: input.channelId, keyword, opted_out_at: input.at, opted_in_at: null }))
    .execute();
}

/**
 * The number opts back in. True when it ever opted out (so 订阅 / 恢复 was meant as an opt-in,
 * also when repeated); false when it never did, and the text is an ordinary message.
 */
export async function recordOptIn(db: Kysely<DB>, input: { brandId: string; phone: string; at: Date }): Promise<boolean> {
  const row = await db.selectFrom('sms_opt_outs').select('opted_in_at').where('brand_id', '=', input.brandId).where('phone', '=', input.phone).executeTakeFirst();
  if (!row) return false;
  if (row.opted_in_at === null) {
    await db.updateTable('sms_opt_outs').set({ opted_in_at: input.at }).where('brand_id', '=', input.brandId).where('phone', '=', input.phone).where('opted_in_at', 'is', null).execute();
  }
  return true;
}

/** Whether notices to this number are refused: it answered TD/退订 and has not opted in since. Any phone format is accepted. */
export async function isOptedOut(db: Kysely<DB>, brandId: string, phone: string): Promise<boolean> {
  const normalized = toArchivePhone(phone);
  if (!normalized) return false;
  const row = await db.selectFrom('sms_opt_outs').select('phone').where('brand_id', '=', brandId).where('phone', '=', normalized).where('opted_in_at', 'is', null).executeTakeFirst();
  return row !== undefined;
}

/** The callbacks `smsChannelRoutes` calls, backed by the database. */
export function createSmsCallbackStore(deps: SmsStoreDeps) {
  return {
    onReceipt: async (receipt: SmsReceipt) => {
      await recordSmsReceipt(deps, receipt);
    },
    onUnsubscribe: (phone: string, ctx: { channelId: string; brandId: string; text: string; at: Date }) => recordOptOut(deps.db, { brandId: ctx.brandId, channelId: ctx.channelId, phone, keyword: ctx.text, at: ctx.at }),
    onResubscribe: (phone: string, ctx: { brandId: string; at: Date }) => recordOptIn(deps.db, { brandId: ctx.brandId, phone, at: ctx.at }),
  };
}
