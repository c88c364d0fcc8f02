import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../../seed/index.ts';
import { createTestApp, type TestContext } from '../../../testing/test-app.ts';
import { BINDING_WINDOW_MS, MAX_FAILED_BINDINGS, parseBindingCommand } from './binding.ts';
import { decodeAesKey, decryptMessage, encryptMessage } from './crypto.ts';
import { msgSignature, urlSignature } from './signature.ts';
import { parseWechatXml } from './xml.ts';

// The binding flow over the real callback: requests signed as WeChat signs them (plaintext and
// safe mode), the real pipeline and database. A follower proves an account number (户号) with the
// last four digits of the customer's phone; from then on their messages land on that customer.

const TOKEN = 'kefuBind2026';
const APP_PLAIN = 'wxb1d0000000000001';
const APP_SAFE = 'wxb1d0000000000002';
const APP_SECRET = 'bind-app-secret-0123456789';
const AES = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ACCOUNT = '6301000003';

let t: TestContext;
let plainId = '';
let safeId = '';
let brandId = '';
const elderly = getDemoCustomerFixture('elderlyAlone');
const lowIncome = getDemoCustomerFixture('lowIncome');
const last4 = (phone: string) => phone.slice(-4);
const wrong4 = (phone: string) => String((Number(phone.slice(-4)) + 1) % 10_000).padStart(4, '0');

let seq = 0;
const nextMsgId = () => String(8_100_000_000_000_000_000n + BigInt(++seq));
const openidOf = (tag: string) => `oBind_${tag}`.padEnd(28, '0');

type Said = { status: number; body: string; reply: string | null };

/** One follower message as WeChat delivers it; the passive reply's text, decrypted in safe mode. */
async function say(openid: string, content: string, opts: { safe?: boolean; msgId?: string; inner?: string } = {}): Promise<Said> {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = String(100000 + seq);
  const inner =
    opts.inner ??
    `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${opts.msgId ?? nextMsgId()}</MsgId></xml>`;
  const query = `signature=${urlSignature(TOKEN, ts, nonce)}&timestamp=${ts}&nonce=${nonce}&openid=${openid}`;
  const encrypt = opts.safe ? encryptMessage(decodeAesKey(AES), APP_SAFE, inner) : '';
  const res = opts.safe
    ? await t.app.inject({
        method: 'POST',
        url: `/channels/wechat/${safeId}?${query}&encrypt_type=aes&msg_signature=${msgSignature(TOKEN, ts, nonce, encrypt)}`,
        headers: { 'content-type': 'text/xml' },
        payload: `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      })
    : await t.app.inject({ method: 'POST', url: `/channels/wechat/${plainId}?${query}`, headers: { 'content-type': 'text/xml' }, payload: inner });
  if (res.statusCode !== 200 || res.body === 'success') return { status: res.statusCode, body: res.body, reply: null };
  let fields = parseWechatXml(res.body);
  if (opts.safe) {
    expect(fields.MsgSignature).toBe(msgSignature(TOKEN, fields.TimeStamp!, fields.Nonce!, fields.Encrypt!));
    fields = parseWechatXml(decryptMessage(decodeAesKey(AES), fields.Encrypt!, APP_SAFE));
  }
  expect(fields).toMatchObject({ ToUserName: openid, FromUserName: 'gh_kefu', MsgType: 'text' });
  return { status: res.statusCode, body: res.body, reply: fields.Content ?? null };
}

const db = () => t.database.db;
const identityOf = (openid: string) => db().selectFrom('customer_identities').selectAll().where('kind', '=', 'wechat_openid').where('value', '=', openid).executeTakeFirst();
const attemptsOf = (openid: string) => db().selectFrom('wechat_binding_attempts').selectAll().where('openid', '=', openid).orderBy('id').execute();
const visitorOf = (openid: string) => db().selectFrom('visitors').selectAll().where('external_id', '=', `openid:${openid}`).executeTakeFirst();
async function countsFor(openid: string) {
  const visitor = await visitorOf(openid);
  if (!visitor) return { visitors: 0, conversations: 0, contacts: 0, messages: 0 };
  const convs = await db().selectFrom('conversations').select('id').where('visitor_id', '=', visitor.id).execute();
  const ids = convs.map((c) => c.id);
  const contacts = ids.length ? await db().selectFrom('contacts').select('id').where('conversation_id', 'in', ids).execute() : [];
  const messages = ids.length ? await db().selectFrom('messages').select('id').where('conversation_id', 'in', ids).execute() : [];
  return { visitors: 1, conversations: ids.length, contacts: contacts.length, messages: messages.length };
}

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.login('admin');
  // An agent is online, so new WeChat contacts wait for them instead of overflowing to a closed leave-a-message.
  const agent = await t.login('agent');
  expect((await t.app.inject({ method: 'PUT', url: '/api/v1/agent/presence', headers: { cookie: agent }, payload: { state: 'online' } })).statusCode).toBe(200);
  const create = async (name: string, config: Record<string, string>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/channels', headers: { cookie: admin }, payload: { type: 'wechat', name, config: { token: TOKEN, appSecret: APP_SECRET, apiBaseUrl: 'http://127.0.0.1:9', ...config } } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  plainId = (await create('服务号（明文）', { appId: APP_PLAIN })).id;
  safeId = (await create('服务号（安全模式）', { appId: APP_SAFE, encodingAESKey: AES })).id;
  brandId = (await db().selectFrom('customers').select('brand_id').where('id', '=', elderly.id).executeTakeFirstOrThrow()).brand_id;
  // 户号 (kind account) of the elderly customer; the low-income customer is found by her meter number.
  await db().insertInto('customer_identities').values({ brand_id: brandId, customer_id: elderly.id, kind: 'account', value: ACCOUNT, verified: true }).execute();
});
afterAll(async () => {
  await t?.close();
});

describe('parseBindingCommand', () => {
  it('reads the command in its written forms, full-width input included', () => {
    expect(parseBindingCommand('绑定 6301000003 0003')).toEqual({ type: 'bind', account: '6301000003', last4: '0003', language: 'zh' });
    expect(parseBindingCommand('绑定户号６３０１０００００３　０００３')).toEqual({ type: 'bind', account: '6301000003', last4: '0003', language: 'zh' });
    expect(parseBindingCommand('  绑定户号：qh-gd-2019 ，1234 ')).toEqual({ type: 'bind', account: 'qh-gd-2019', last4: '1234', language: 'zh' });
    expect(parseBindingCommand('绑定6301000003#0003')).toMatchObject({ type: 'bind', account: '6301000003', last4: '0003' });
    expect(parseBindingCommand('BIND 6301000003 0003')).toEqual({ type: 'bind', account: '6301000003', last4: '0003', language: 'en' });
    expect(parseBindingCommand('ｂｉｎｄ　6301000003　0003')).toMatchObject({ type: 'bind', language: 'en' });
    expect(parseBindingCommand('bind account 6301000003 0003')).toMatchObject({ type: 'bind', account: '6301000003' });
  });

  it('asks for instructions on a bare or incomplete command and unbinds on 解绑', () => {
    for (const text of ['绑定', '绑定户号', 'bind', '绑定 6301000003', '绑定 6301000003 03', 'bind 6301000003 12345']) expect(parseBindingCommand(text), text).toMatchObject({ type: 'help' });
    expect(parseBindingCommand('解绑')).toEqual({ type: 'unbind', language: 'zh' });
    expect(parseBindingCommand(' 解除绑定 ')).toEqual({ type: 'unbind', language: 'zh' });
    expect(parseBindingCommand('UNBIND')).toEqual({ type: 'unbind', language: 'en' });
  });

  it('leaves ordinary messages alone', () => {
    for (const text of ['绑定银行卡怎么操作', '我想绑定户号', '怎么解绑？', 'binding failed', '你好', '', '停电了 6301000003 0003']) expect(parseBindingCommand(text), text).toBeNull();
  });
});

describe('WeChat account binding over the callback', () => {
  it('refuses a wrong last four digits with a generic answer and creates nothing', async () => {
    const openid = openidOf('wrong');
    const wrongDigits = await say(openid, `绑定 ${ACCOUNT} ${wrong4(elderly.phones[0]!)}`);
    const unknownAccount = await say(openid, `绑定 9999999999 ${last4(elderly.phones[0]!)}`);
    expect(wrongDigits.reply).toContain('绑定未成功');
    // The same words whether the account exists or not; only the attempts left differ.
    expect(unknownAccount.reply?.replace(/\d+次/, 'N次')).toBe(wrongDigits.reply?.replace(/\d+次/, 'N次'));
    expect(wrongDigits.reply).not.toContain(elderly.name.slice(0, 1));
    expect(await identityOf(openid)).toBeUndefined();
    expect((await attemptsOf(openid)).map((a) => [a.ok, a.account, a.customer_id])).toEqual([
      [false, ACCOUNT, null],
      [false, '9999999999', null],
    ]);
    expect(await countsFor(openid)).toEqual({ visitors: 0, conversations: 0, contacts: 0, messages: 0 });
  });

  it('binds on the right proof; the next message from that openid lands on the customer', async () => {
    const openid = openidOf('good');
    const bound = await say(openid, `绑定户号 ${ACCOUNT} ${last4(elderly.phones[0]!)}`);
    expect(bound.reply).toMatch(/^绑定成功，您好，马\*\*/);
    expect(bound.reply).not.toContain(elderly.name);
    expect(await identityOf(openid)).toMatchObject({ customer_id: elderly.id, brand_id: brandId, verified: true });
    expect((await attemptsOf(openid)).map((a) => [a.ok, a.customer_id])).toEqual([[true, elderly.id]]);
    // The binding itself opened nothing an agent would see.
    expect(await countsFor(openid)).toEqual({ visitors: 0, conversations: 0, contacts: 0, messages: 0 });
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'customer.identity_add').where('entity_id', '=', elderly.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBeNull();
    expect(JSON.stringify(audit.after)).not.toContain(openid);
    expect(audit.after).toMatchObject({ kind: 'wechat_openid', verified: true, via: 'wechat_binding', channelId: plainId });

    const normal = await say(openid, '我家停电了，什么时候来电？');
    expect(normal.body).toBe('success');
    const conv = await db().selectFrom('conversations as c').innerJoin('visitors as v', 'v.id', 'c.visitor_id').select(['c.id', 'c.customer_id', 'v.customer_id as visitor_customer']).where('v.external_id', '=', `openid:${openid}`).executeTakeFirstOrThrow();
    expect(conv).toMatchObject({ customer_id: elderly.id, visitor_customer: elderly.id });
    const contact = await db().selectFrom('contacts').select(['customer_id', 'status']).where('conversation_id', '=', conv.id).executeTakeFirstOrThrow();
    expect(contact.customer_id).toBe(elderly.id);

    // Binding again with the same proof changes nothing.
    const again = await say(openid, `绑定 ${ACCOUNT} ${last4(elderly.phones[0]!)}`);
    expect(again.reply).toContain('已绑定该户号');
    expect(await db().selectFrom('customer_identities').select('id').where('kind', '=', 'wechat_openid').where('value', '=', openid).execute()).toHaveLength(1);
  });

  it('links the open conversation of a follower who wrote before binding, in safe mode', async () => {
    const openid = openidOf('early');
    expect((await say(openid, '电费怎么这么高', { safe: true })).body).toBe('success');
    const before = await db().selectFrom('conversations as c').innerJoin('visitors as v', 'v.id', 'c.visitor_id').select(['c.id', 'c.customer_id', 'c.current_contact_id']).where('v.external_id', '=', `openid:${openid}`).executeTakeFirstOrThrow();
    expect(before.customer_id).toBeNull();
    expect(await db().selectFrom('contacts').select(['status', 'customer_id']).where('id', '=', before.current_contact_id!).executeTakeFirstOrThrow()).toMatchObject({ status: expect.stringMatching(/^(queued|offered)$/), customer_id: null });
    const counts = await countsFor(openid);

    // The low-income customer's 户号 here is her meter number.
    const bound = await say(openid, `bind ${lowIncome.meter} ${last4(lowIncome.phones[0]!)}`, { safe: true });
    expect(bound.reply).toMatch(/^Linked\. Hello, 韩\*\*!/);
    expect(await countsFor(openid)).toEqual(counts);
    expect(await db().selectFrom('conversations').select('customer_id').where('id', '=', before.id).executeTakeFirstOrThrow()).toEqual({ customer_id: lowIncome.id });
    expect(await db().selectFrom('contacts').select('customer_id').where('id', '=', before.current_contact_id!).executeTakeFirstOrThrow()).toEqual({ customer_id: lowIncome.id });
    expect(await visitorOf(openid)).toMatchObject({ customer_id: lowIncome.id, verified: true });
  });

  it('refuses the sixth failure within 24 hours even with the right proof, and allows it once the window passed', async () => {
    const openid = openidOf('limit');
    const replies: (string | null)[] = [];
    for (let i = 0; i < MAX_FAILED_BINDINGS; i++) replies.push((await say(openid, `绑定 ${ACCOUNT} ${wrong4(elderly.phones[0]!)}`)).reply);
    expect(replies[0]).toContain(`还可尝试${MAX_FAILED_BINDINGS - 1}次`);
    expect(replies[MAX_FAILED_BINDINGS - 1]).toContain('95598');
    const refused = await say(openid, `绑定 ${ACCOUNT} ${last4(elderly.phones[0]!)}`);
    expect(refused.reply).toContain('尝试次数过多');
    expect(refused.reply).toContain('95598');
    expect(await identityOf(openid)).toBeUndefined();
    expect(await attemptsOf(openid)).toHaveLength(MAX_FAILED_BINDINGS);

    // A day later the failures no longer count.
    await db().updateTable('wechat_binding_attempts').set({ at: new Date(Date.now() - BINDING_WINDOW_MS - 60_000) }).where('openid', '=', openid).execute();
    const later = await say(openid, `绑定 ${ACCOUNT} ${last4(elderly.phones[0]!)}`);
    expect(later.reply).toMatch(/^绑定成功/);
  });

  it('counts a retried delivery once and answers it the same', async () => {
    const openid = openidOf('retry');
    const msgId = nextMsgId();
    const first = await say(openid, `绑定 ${ACCOUNT} ${wrong4(elderly.phones[0]!)}`, { msgId });
    const retry = await say(openid, `绑定 ${ACCOUNT} ${wrong4(elderly.phones[0]!)}`, { msgId });
    expect(retry.reply).toBe(first.reply);
    expect(await attemptsOf(openid)).toHaveLength(1);
  });

  it('unbinds on 解绑, and explains 解绑 to a follower bound to another customer', async () => {
    const openid = openidOf('unbind');
    expect((await say(openid, `绑定 ${ACCOUNT} ${last4(elderly.phones[0]!)}`)).reply).toMatch(/^绑定成功/);
    await say(openid, '你好');
    expect(await visitorOf(openid)).toMatchObject({ customer_id: elderly.id });

    // Another customer's right proof does not move the binding.
    const elsewhere = await say(openid, `绑定 ${lowIncome.meter} ${last4(lowIncome.phones[0]!)}`);
    expect(elsewhere.reply).toContain('解绑');
    expect(await identityOf(openid)).toMatchObject({ customer_id: elderly.id });

    const unbound = await say(openid, '解绑');
    expect(unbound.reply).toContain('已解除绑定');
    expect(await identityOf(openid)).toBeUndefined();
    expect(await visitorOf(openid)).toMatchObject({ customer_id: null, verified: false });
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'customer.identity_remove').where('entity_id', '=', elderly.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ kind: 'wechat_openid', via: 'wechat_binding' });
    expect((await say(openid, '解绑')).reply).toContain('尚未绑定');

    // Now free to bind to the other customer.
    expect((await say(openid, `绑定 ${lowIncome.meter} ${last4(lowIncome.phones[0]!)}`)).reply).toMatch(/^绑定成功，您好，韩\*\*/);
    expect(await identityOf(openid)).toMatchObject({ customer_id: lowIncome.id });
  });

  it('answers the BIND_ACCOUNT menu click and a bare 绑定 with instructions, opening no contact', async () => {
    const openid = openidOf('menu');
    const ts = String(Math.floor(Date.now() / 1000));
    const click = await say(openid, '', {
      inner: `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[BIND_ACCOUNT]]></EventKey></xml>`,
    });
    expect(click.reply).toContain('绑定 户号 预留手机号后四位');
    expect((await say(openid, '绑定')).reply).toContain('绑定 户号 预留手机号后四位');
    expect((await say(openid, '解绑')).reply).toContain('尚未绑定');
    expect(await countsFor(openid)).toEqual({ visitors: 0, conversations: 0, contacts: 0, messages: 0 });
    // Another menu click is an ordinary event on the timeline.
    const other = await say(openid, '', {
      inner: `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Number(ts) + 1}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[TRANSFER_AGENT]]></EventKey></xml>`,
    });
    expect(other.body).toBe('success');
    expect(await countsFor(openid)).toMatchObject({ conversations: 1, contacts: 1 });
    const event = await db().selectFrom('messages as m').innerJoin('conversations as c', 'c.id', 'm.conversation_id').innerJoin('visitors as v', 'v.id', 'c.visitor_id').select(['m.body', 'm.kind']).where('v.external_id', '=', `openid:${openid}`).where('m.sender_type', '=', 'customer').execute();
    expect(event).toEqual([{ body: '[事件] 点击菜单：TRANSFER_AGENT', kind: 'event' }]);
  });

  it('refuses a forged signature before reading any command', async () => {
    const openid = openidOf('forged');
    const ts = String(Math.floor(Date.now() / 1000));
    const xml = `<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[绑定 ${ACCOUNT} ${last4(elderly.phones[0]!)}]]></Content><MsgId>${nextMsgId()}</MsgId></xml>`;
    const res = await t.app.inject({ method: 'POST', url: `/channels/wechat/${plainId}?signature=${'0'.repeat(40)}&timestamp=${ts}&nonce=1`, headers: { 'content-type': 'text/xml' }, payload: xml });
    expect(res.statusCode).toBe(401);
    expect(await attemptsOf(openid)).toHaveLength(0);
    expect(await identityOf(openid)).toBeUndefined();
  });
});
