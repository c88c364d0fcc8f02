// WeChat account binding (绑定户号): a follower proves once that an electricity account is theirs
// by sending the account number and the last four digits of the phone number the archive holds
// for it; from then on the follower's openid is a verified identity of that customer
// (customer_identities, kind wechat_openid) and every message they write lands on the customer's
// timeline. The exchange is self-service: it is answered as WeChat's passive reply and never opens
// a contact or reaches an agent. `解绑` removes the binding.
//
// Failed proofs are limited per openid (MAX_FAILED_BINDINGS in BINDING_WINDOW_MS) and the failure
// answer is the same whether the account exists or not. Account numbers are stored normalised in
// wechat_binding_attempts (they are not secrets) but never written to logs.
import type { DB } from '@kefu/db';
import { maskGeneric, maskIdentity, maskName, normalizeIdentity } from '@kefu/domain';
import { type Kysely, sql, type Transaction } from 'kysely';
import { recordAudit, type SystemContext } from '../../../platform/audit.ts';
import { externalKey } from '../inbound.ts';
import type { LoadedChannel } from '../types.ts';

/** The official-account menu item (自定义菜单 click) that asks how to bind. */
export const BIND_MENU_KEY = 'BIND_ACCOUNT';
export const MAX_FAILED_BINDINGS = 5;
export const BINDING_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Identity kinds an account number (户号) is looked up in: `account`; the demo archive (and some
 * utilities) use the meter's number as the 户号, so `meter` counts too. The number must belong to
 * exactly one customer across both.
 */
export const BINDING_KINDS = ['account', 'meter'] as const;

export type BindingLanguage = 'zh' | 'en';
export type BindingCommand =
  | { type: 'bind'; account: string; last4: string; language: BindingLanguage }
  /** The menu click, a bare 绑定, or an attempt we cannot read: answer with instructions. */
  | { type: 'help'; language: BindingLanguage }
  | { type: 'unbind'; language: BindingLanguage };

export type BindingOutcome = 'bound' | 'already_bound' | 'bound_elsewhere' | 'failed' | 'limited' | 'unbound' | 'not_bound' | 'help' | 'duplicate';

const SEPARATORS = '[\\s,;:#+/|、，；：]';
const ACCOUNT_AND_LAST4 = new RegExp(`^([A-Za-z0-9][A-Za-z0-9-]{3,39})${SEPARATORS}+(\\d{4})$`);
const ZH_BIND = new RegExp(`^绑定(?:户号)?${SEPARATORS}*(.*)$`);
const EN_BIND = /^bind(?:\s+(?:account\s+)?(.*))?$/i;
const UNBIND = /^(?:解绑|解除绑定|取消绑定|unbind)$/i;

/**
 * Reads a binding command out of a follower's text: `绑定 <户号> <后四位>`, `绑定户号…`,
 * `bind <account> <last4>` (full-width digits, letters and spaces folded), `解绑` / `unbind`.
 * A bare `绑定` / `bind`, or one followed by something that looks like a number but not the full
 * command, asks for instructions. Anything else (`绑定银行卡怎么操作`) is an ordinary message: null.
 */
export function parseBindingCommand(text: string): BindingCommand | null {
  // NFKC folds full-width digits, letters and punctuation and the ideographic space (U+3000).
  const folded = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!folded || folded.length > 120) return null;
  if (UNBIND.test(folded)) return { type: 'unbind', language: /^unbind$/i.test(folded) ? 'en' : 'zh' };
  const zh = folded.match(ZH_BIND);
  const en = zh ? null : folded.match(EN_BIND);
  if (!zh && !en) return null;
  const language: BindingLanguage = zh ? 'zh' : 'en';
  const rest = (zh ? zh[1] : en?.[1])?.trim() ?? '';
  if (!rest) return { type: 'help', language };
  const full = rest.match(ACCOUNT_AND_LAST4);
  if (full) return { type: 'bind', account: full[1]!, last4: full[2]!, language };
  // 绑定 followed by a number-like token is a botched attempt; 绑定银行卡… is a question for a person.
  return /^[A-Za-z0-9]/.test(rest) ? { type: 'help', language } : null;
}

type Texts = Record<Exclude<BindingOutcome, 'duplicate'>, (v: { name: string; remaining: number }) => string>;
const TEXTS: Record<BindingLanguage, Texts> = {
  zh: {
    help: () => '绑定户号后，您在本公众号的咨询将自动关联您的用电档案。请发送：绑定 户号 预留手机号后四位，例如：绑定 6300000001 5678（户号见电费账单或缴费凭证）。',
    bound: ({ name }) => `绑定成功，您好，${name}！今后您在本公众号的咨询将直接关联您的户号，无需重复核对身份。如需解除绑定，请发送“解绑”。`,
    already_bound: ({ name }) => `您好，${name}，您的微信已绑定该户号，无需重复绑定。如需解除绑定，请发送“解绑”。`,
    bound_elsewhere: () => '您的微信已绑定其他户号。如需改绑，请先发送“解绑”，再发送“绑定 户号 预留手机号后四位”。',
    failed: ({ remaining }) =>
      remaining > 0
        ? `绑定未成功：户号或预留手机号后四位与档案不符。请核对后重新发送“绑定 户号 预留手机号后四位”（24小时内还可尝试${remaining}次）。`
        : '绑定未成功。24小时内的尝试次数已用完，请稍后再试，或拨打95598由人工为您办理。',
    limited: () => '您的绑定尝试次数过多，请24小时后再试，或拨打95598由人工为您办理。',
    unbound: () => '已解除绑定，您的微信不再关联该户号。如需重新绑定，请发送“绑定 户号 预留手机号后四位”。',
    not_bound: () => '您的微信尚未绑定户号。发送“绑定 户号 预留手机号后四位”即可绑定。',
  },
  en: {
    help: () => 'Link your electricity account to get answers about it here. Send: bind <account number> <last 4 digits of your registered phone>, e.g. bind 6300000001 5678.',
    bound: ({ name }) => `Linked. Hello, ${name}! Your messages here are now linked to your account. Send "unbind" to undo this.`,
    already_bound: ({ name }) => `Hello, ${name}: this WeChat account is already linked to that account. Send "unbind" to undo this.`,
    bound_elsewhere: () => 'This WeChat account is linked to another customer account. Send "unbind" first, then bind again.',
    failed: ({ remaining }) =>
      remaining > 0
        ? `Not linked: the account number or the last 4 digits of the phone number do not match our records. Please check and try again (${remaining} attempts left within 24 hours).`
        : 'Not linked. No attempts are left within 24 hours: please try later or call 95598.',
    limited: () => 'Too many attempts. Please try again in 24 hours or call 95598.',
    unbound: () => 'Unlinked: this WeChat account is no longer linked to your customer account.',
    not_bound: () => 'This WeChat account is not linked to a customer account. Send: bind <account number> <last 4 digits of your phone>.',
  },
};

/** The answer to a follower, in their command's language. */
export function bindingReply(outcome: Exclude<BindingOutcome, 'duplicate'>, language: BindingLanguage, values: { name?: string; remaining?: number } = {}): string {
  return TEXTS[language][outcome]({ name: values.name ?? '', remaining: values.remaining ?? 0 });
}

export type WechatBindingDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  log?: { info: (obj: object, msg?: string) => void };
};

export type BindingResult = { outcome: BindingOutcome; reply: string | null; customerId?: string | null };

const SYSTEM: SystemContext = { actorName: 'wechat-binding', requestId: null, ip: null };

export function createWechatBinding(deps: WechatBindingDeps) {
  const { db, clock } = deps;

  /**
   * Handles one binding command of `openid` on `channel`. `externalId` is the message's WeChat id:
   * it is claimed like a pipeline message, so a retry delivered to another process is not counted twice
   * (it gets `duplicate` and no reply; the first attempt answered).
   */
  async function handle(channel: LoadedChannel, input: { openid: string; externalId: string; command: BindingCommand }): Promise<BindingResult> {
    const { command, openid } = input;
    if (command.type === 'help') return { outcome: 'help', reply: bindingReply('help', command.language) };
    const result = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('channel_inbound')
        .values({ channel_id: channel.id, external_id: input.externalId, received_at: clock() })
        .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
        .returning('external_id')
        .executeTakeFirst();
      if (!claimed) return { outcome: 'duplicate' as const, reply: null };
      // One proof at a time per follower: the failure count cannot be raced past the limit.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`wechat-binding:${channel.id}:${openid}`}, 0))`.execute(trx);
      return command.type === 'unbind' ? unbind(trx, channel, openid, command.language) : bind(trx, channel, openid, command);
    });
    deps.log?.info({ channelId: channel.id, outcome: result.outcome }, 'wechat binding command');
    return result;
  }

  async function bind(trx: Transaction<DB>, channel: LoadedChannel, openid: string, command: Extract<BindingCommand, { type: 'bind' }>): Promise<BindingResult> {
    const now = clock();
    const { language } = command;
    const failures = await trx
      .selectFrom('wechat_binding_attempts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('channel_id', '=', channel.id)
      .where('openid', '=', openid)
      .where('ok', '=', false)
      .where('at', '>', new Date(now.getTime() - BINDING_WINDOW_MS))
      .executeTakeFirstOrThrow();
    const failed = Number(failures.n);
    if (failed >= MAX_FAILED_BINDINGS) return { outcome: 'limited', reply: bindingReply('limited', language) };

    const normalizedOpenid = normalizeIdentity('wechat_openid', openid);
    const account = normalizeIdentity('account', command.account);
    const accountValue = account.ok ? account.value : command.account.toUpperCase().slice(0, 40);
    const owner = normalizedOpenid.ok && account.ok ? await provenOwner(trx, channel.brandId, account.value, command.last4) : null;
    const bound = normalizedOpenid.ok
      ? await trx.selectFrom('customer_identities').select('customer_id').where('brand_id', '=', channel.brandId).where('kind', '=', 'wechat_openid').where('value', '=', normalizedOpenid.value).executeTakeFirst()
      : undefined;

    if (bound) {
      // The same answer for a wrong proof and for another customer's right one: nothing to learn here.
      if (!owner || owner.id !== bound.customer_id) return { outcome: 'bound_elsewhere', reply: bindingReply('bound_elsewhere', language), customerId: bound.customer_id };
      await recordAttempt(trx, channel.id, openid, accountValue, owner.id, now);
      await linkVisitors(trx, channel, openid, owner.id);
      return { outcome: 'already_bound', reply: bindingReply('already_bound', language, { name: maskName(owner.name) }), customerId: owner.id };
    }
    if (!owner || !normalizedOpenid.ok) {
      await recordAttempt(trx, channel.id, openid, accountValue, null, now);
      return { outcome: 'failed', reply: bindingReply('failed', language, { remaining: MAX_FAILED_BINDINGS - failed - 1 }) };
    }

    await trx
      .insertInto('customer_identities')
      .values({ brand_id: channel.brandId, customer_id: owner.id, kind: 'wechat_openid', value: normalizedOpenid.value, verified: true })
      .onConflict((oc) => oc.columns(['brand_id', 'kind', 'value']).doNothing())
      .execute();
    await recordAttempt(trx, channel.id, openid, accountValue, owner.id, now);
    await linkVisitors(trx, channel, openid, owner.id);
    await recordAudit(trx, SYSTEM, {
      action: 'customer.identity_add',
      entityType: 'customer',
      entityId: owner.id,
      brandId: channel.brandId,
      after: { kind: 'wechat_openid', value: maskIdentity('wechat_openid', normalizedOpenid.value), verified: true, via: 'wechat_binding', channelId: channel.id, account: maskGeneric(accountValue) },
    });
    return { outcome: 'bound', reply: bindingReply('bound', language, { name: maskName(owner.name) }), customerId: owner.id };
  }

  /** The customer the account number names, when it names exactly one and one of their phones ends in `last4`. */
  async function provenOwner(trx: Transaction<DB>, brandId: string, account: string, last4: string): Promise<{ id: string; name: string } | null> {
    const owners = await trx
      .selectFrom('customer_identities')
      .select('customer_id')
      .distinct()
      .where('brand_id', '=', brandId)
      .where('kind', 'in', [...BINDING_KINDS])
      .where('value', '=', account)
      .execute();
    if (owners.length !== 1) return null;
    const customerId = owners[0]!.customer_id;
    const phones = await trx.selectFrom('customer_identities').select('value').where('customer_id', '=', customerId).where('kind', '=', 'phone').execute();
    if (!phones.some((p) => p.value.replace(/\D/g, '').endsWith(last4))) return null;
    const customer = await trx.selectFrom('customers').select(['id', 'name']).where('id', '=', customerId).where('brand_id', '=', brandId).executeTakeFirst();
    return customer ?? null;
  }

  function recordAttempt(trx: Transaction<DB>, channelId: string, openid: string, account: string, customerId: string | null, at: Date) {
    return trx.insertInto('wechat_binding_attempts').values({ channel_id: channelId, openid, account, ok: customerId !== null, customer_id: customerId, at }).execute();
  }

  /** The follower's visitor on this channel becomes the customer's (verified); so do its open conversations and contacts that had no customer. */
  async function linkVisitors(trx: Transaction<DB>, channel: LoadedChannel, openid: string, customerId: string) {
    const visitors = await trx
      .updateTable('visitors')
      .set({ customer_id: customerId, verified: true })
      .where('channel_id', '=', channel.id)
      .where('external_id', '=', externalKey({ kind: 'openid', value: openid }))
      .returning('id')
      .execute();
    if (visitors.length === 0) return;
    const visitorIds = visitors.map((v) => v.id);
    const open = await trx.selectFrom('conversations').select('id').where('visitor_id', 'in', visitorIds).where('status', '=', 'open').execute();
    if (open.length === 0) return;
    const conversationIds = open.map((c) => c.id);
    await trx.updateTable('conversations').set({ customer_id: customerId }).where('id', 'in', conversationIds).where('customer_id', 'is', null).execute();
    await trx.updateTable('contacts').set({ customer_id: customerId }).where('conversation_id', 'in', conversationIds).where('customer_id', 'is', null).where('status', '!=', 'closed').execute();
  }

  async function unbind(trx: Transaction<DB>, channel: LoadedChannel, openid: string, language: BindingLanguage): Promise<BindingResult> {
    const normalized = normalizeIdentity('wechat_openid', openid);
    const removed = normalized.ok
      ? await trx
          .deleteFrom('customer_identities')
          .where('brand_id', '=', channel.brandId)
          .where('kind', '=', 'wechat_openid')
          .where('value', '=', normalized.value)
          .returning(['customer_id', 'value'])
          .executeTakeFirst()
      : undefined;
    if (!removed) return { outcome: 'not_bound', reply: bindingReply('not_bound', language) };
    await trx
      .updateTable('visitors')
      .set({ customer_id: null, verified: false })
      .where('brand_id', '=', channel.brandId)
      .where('external_id', '=', externalKey({ kind: 'openid', value: openid }))
      .where('customer_id', '=', removed.customer_id)
      .execute();
    await recordAudit(trx, SYSTEM, {
      action: 'customer.identity_remove',
      entityType: 'customer',
      entityId: removed.customer_id,
      brandId: channel.brandId,
      before: { kind: 'wechat_openid', value: maskIdentity('wechat_openid', removed.value), via: 'wechat_binding', channelId: channel.id },
    });
    return { outcome: 'unbound', reply: bindingReply('unbound', language), customerId: removed.customer_id };
  }

  return { handle };
}

export type WechatBinding = ReturnType<typeof createWechatBinding>;
