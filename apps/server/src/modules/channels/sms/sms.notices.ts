// One-off notice SMS (停电通知, survey invitations, reminders): sent through an SMS channel's
// provider, refused for numbers that answered TD/退订, always ending with how to unsubscribe.
// `sendNotice` is what later modules (planned outages, surveys) call; the API route is a thin wrapper.
import { randomUUID } from 'node:crypto';
import type { DB } from '@kefu/db';
import { maskPhone } from '@kefu/domain';
import type { Kysely } from 'kysely';
import { AppError } from '../../../platform/errors.ts';
import type { LoadedChannel, OutboundMessage } from '../types.ts';
import type { SmsSendResult } from './sms.sender.ts';
import { isOptedOut } from './sms.store.ts';
import { toArchivePhone, withUnsubscribeHint } from './sms.text.ts';

export type NoticeDeps = {
  db: Kysely<DB>;
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  /** The SMS sender (`createSmsSender().sendSms`). */
  sendSms: (channel: LoadedChannel, message: OutboundMessage, options?: { notice?: boolean }) => Promise<SmsSendResult>;
};

export type NoticeInput = {
  channelId: string;
  /** Any phone format; sent to the archive's normalised number. */
  to: string;
  text: string;
  /** The caller's own reference (an outage id, a survey id), returned and logged, never sent. */
  reference?: string | null;
  /** Brands the caller may use; the channel must belong to one (omit for system callers). */
  brandIds?: readonly string[];
};

export type NoticeResult = { externalId: string; status: 'sent'; to: string; text: string; segments: number; reference: string | null; channelId: string; brandId: string };

/**
 * Sends one notice SMS. Refused with `sms.unsubscribed` (409, nothing sent) when the number opted
 * out; `resource.not_found` for a channel that is not an SMS channel of the caller's brands,
 * `sms.unknown_channel` for a disabled one; the sender's own errors (`sms.too_long`,
 * `sms.send_failed`, `sms.provider_unsupported`) pass through.
 */
export async function sendNotice(deps: NoticeDeps, input: NoticeInput): Promise<NoticeResult> {
  const channel = await deps.loadChannel(input.channelId);
  if (channel?.type !== 'sms' || (input.brandIds && !input.brandIds.includes(channel.brandId))) {
    throw new AppError('resource.not_found', 'SMS channel not found', { entity: 'channel', id: input.channelId });
  }
  if (!channel.enabled) throw new AppError('sms.unknown_channel', 'The SMS channel is disabled');
  const phone = toArchivePhone(input.to);
  if (!phone) throw new AppError('validation.failed', 'The recipient is not a phone number', { issues: [{ path: 'body.to', message: 'not a phone number' }] });
  if (await isOptedOut(deps.db, channel.brandId, phone)) {
    throw new AppError('sms.unsubscribed', 'The number unsubscribed from notices (TD/退订)', { to: maskPhone(phone) });
  }
  const text = withUnsubscribeHint(input.text);
  const messageId = randomUUID();
  const sent = await deps.sendSms(channel, { conversationId: '', messageId, text, to: { kind: 'phone', value: phone } }, { notice: true });
  return { externalId: sent.externalId ?? messageId, status: 'sent', to: phone, text, segments: sent.segments.segments, reference: input.reference ?? null, channelId: channel.id, brandId: channel.brandId };
}

export type OptOutItem = { phone: string; channelId: string | null; channelName: string | null; keyword: string; optedOutAt: string };

/** The brand's numbers that are opted out now (newest first), masked unless `reveal`. */
export async function listOptOuts(db: Kysely<DB>, input: { brandId: string; reveal: boolean; limit: number }): Promise<{ items: OptOutItem[]; total: number }> {
  const base = db.selectFrom('sms_opt_outs as o').where('o.brand_id', '=', input.brandId).where('o.opted_in_at', 'is', null);
  const [rows, count] = await Promise.all([
    base
      .leftJoin('channels as c', 'c.id', 'o.channel_id')
      .select(['o.phone', 'o.channel_id', 'c.name as channel_name', 'o.keyword', 'o.opted_out_at'])
      .orderBy('o.opted_out_at', 'desc')
      .orderBy('o.phone')
      .limit(input.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ phone: input.reveal ? r.phone : maskPhone(r.phone), channelId: r.channel_id, channelName: r.channel_name, keyword: r.keyword, optedOutAt: r.opted_out_at.toISOString() })),
    total: Number(count.n),
  };
}
