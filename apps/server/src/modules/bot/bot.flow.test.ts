import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { BOT_IDLE_MS } from '../../app.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { TestSocket } from '../../testing/ws-client.ts';
import { signIdentityToken } from '../contacts/visitor-tokens.ts';

// The self-service bot over the real widget API and sockets: answers from the seeded public KB in
// Chinese and English, falls back and fills the unanswered list, hands off on repeats and on
// 转人工 through routing to an online agent with the transcript, never uses internal articles,
// and runs the repair and my-orders flows for an identified customer.

let t: TestContext;
let now = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
let wsBase = '';
let channelId = '';
let identitySecret = '';
let admin = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the routes' schemas are tested elsewhere.
type Body = Record<string, any>;
async function api(method: string, url: string, cookie: string | null, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

type Visitor = { token: string; conversationId: string; contactId: string };
let seq = 0;

async function startChat(text: string, extra: Record<string, unknown> = {}): Promise<Visitor> {
  const s = await api('POST', '/api/v1/widget/sessions', null, { channelId, name: '访客', ...extra });
  expect(s.status).toBe(200);
  const started = await api('POST', '/api/v1/widget/conversations', null, { text, clientMsgId: `c-${++seq}` }, { 'x-visitor-token': s.body.visitorToken });
  expect(started.status).toBe(200);
  return { token: s.body.visitorToken, conversationId: started.body.id, contactId: started.body.currentContactId };
}

async function say(v: Visitor, text: string) {
  const r = await api('POST', '/api/v1/widget/messages', null, { conversationId: v.conversationId, text, clientMsgId: `c-${++seq}` }, { 'x-visitor-token': v.token });
  expect(r.status).toBe(201);
}

async function visitorMessages(v: Visitor): Promise<Body[]> {
  const r = await api('GET', `/api/v1/widget/conversations/${v.conversationId}/messages?limit=200`, null, undefined, { 'x-visitor-token': v.token });
  return r.body.items;
}

async function lastBot(v: Visitor): Promise<Body> {
  const bot = (await visitorMessages(v)).filter((m) => m.senderType === 'bot');
  const last = bot.at(-1);
  if (!last) throw new Error('no bot message');
  return last;
}

async function contactStatus(id: string) {
  return (await t.database.db.selectFrom('contacts').select(['status', 'bot', 'queue_id']).where('id', '=', id).executeTakeFirstOrThrow());
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  wsBase = `ws://127.0.0.1:${address.port}`;
  admin = await t.login('admin');
  const q = await api('POST', '/api/v1/queues', admin, { code: 'bot-flow', nameZh: '机器人测试队列', nameEn: 'Bot test queue', requiredSkills: ['electricity'], maxWaitSeconds: 600, offerTimeoutSeconds: 20, maxOffers: 3, overflowAction: 'callback' });
  expect(q.status).toBe(201);
  const ch = await api('POST', '/api/v1/channels', admin, { type: 'webchat', name: '机器人渠道', queueId: q.body.id, config: { greeting: '您好' } });
  expect(ch.status).toBe(201);
  channelId = ch.body.id;
  identitySecret = ch.body.identitySecret;
  // An agent with the queue's skill is online, so handed-off chats wait for them instead of overflowing.
  await api('PUT', '/api/v1/agent/presence', await t.login('agent'), { state: 'online' });
  const on = await api('PATCH', `/api/v1/bot/channels/${channelId}`, admin, { enabled: true });
  expect(on.status).toBe(200);
  expect(on.body.settings).toEqual({ enabled: true });
});

afterAll(async () => {
  await t?.close();
});

describe('self-service bot on web chat', () => {
  it('answers 停电了怎么办 from a public article of the seeded KB, the contact staying with the bot', async () => {
    const v = await startChat('停电了怎么办');
    const msgs = await visitorMessages(v);
    expect(msgs.map((m) => m.senderType)).toEqual(['bot', 'customer', 'bot']);
    expect(msgs[0]?.bot).toMatchObject({ kind: 'greeting', options: ['停电查询', '查询我的工单', '报修'] });
    const answer = msgs[2] as Body;
    expect(answer.senderName).toBe('智能助手');
    expect(answer.bot).toMatchObject({ kind: 'answer', askFeedback: true });
    const article = await t.database.db.selectFrom('kb_articles').select(['summary', 'audience', 'language', 'title']).where('id', '=', answer.bot.articleId).executeTakeFirstOrThrow();
    expect(article).toMatchObject({ audience: 'public', language: 'zh-CN' });
    expect(article.title).toContain('停电');
    expect(answer.body).toContain(article.summary);
    expect(answer.bot.articleUrl).toBe(`/help/${channelId}/articles/${answer.bot.articleId}`);
    expect(await contactStatus(v.contactId)).toMatchObject({ status: 'created', bot: true, queue_id: null });
    const turns = await api('GET', `/api/v1/bot/turns?conversationId=${v.conversationId}`, admin);
    expect(turns.body.items).toMatchObject([{ kind: 'answer', question: '停电了怎么办', outcome: 'pending', articleId: answer.bot.articleId }]);
    expect(turns.body.items[0].confidence).toBeGreaterThan(0.3);
    // Thanks resolve the answer and count for the article.
    await say(v, '有帮助');
    const after = await api('GET', `/api/v1/bot/turns?conversationId=${v.conversationId}`, admin);
    expect(after.body.items[0].outcome).toBe('resolved');
    const counters = await t.database.db.selectFrom('kb_articles').select(['bot_answers', 'bot_resolutions', 'helpful_yes']).where('id', '=', answer.bot.articleId).executeTakeFirstOrThrow();
    expect(counters.bot_answers).toBeGreaterThanOrEqual(1);
    expect(counters.bot_resolutions).toBeGreaterThanOrEqual(1);
  });

  it('answers an English question with an English article', async () => {
    const v = await startChat('How do I pay my electricity bill?');
    const answer = await lastBot(v);
    expect(answer.bot.kind).toBe('answer');
    const article = await t.database.db.selectFrom('kb_articles').select(['language', 'audience']).where('id', '=', answer.bot.articleId).executeTakeFirstOrThrow();
    expect(article).toEqual({ language: 'en-US', audience: 'public' });
    expect(answer.body).toContain('Details: /help/');
  });

  it('falls back on a question it cannot answer and lists it for knowledge editors', async () => {
    const v = await startChat('火星基地的飞船票价是多少');
    const reply = await lastBot(v);
    expect(reply.bot.kind).toBe('fallback');
    expect(reply.body).toContain('没听懂');
    expect(reply.bot.options).toContain('转人工');
    const list = await api('GET', '/api/v1/bot/unanswered?status=open', admin);
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: Body) => i.normalized === '火星基地的飞船票价是多少');
    expect(item).toMatchObject({ askCount: 1, sample: '火星基地的飞船票价是多少', status: 'open' });
    // Asked again by someone else: the count grows.
    await startChat('火星基地的飞船票价是多少？');
    const again = await api('GET', '/api/v1/bot/unanswered', admin);
    expect(again.body.items.find((i: Body) => i.id === item.id).askCount).toBe(2);
    // Agents may not work the list; an internal article cannot be the answer; ignoring works.
    expect((await api('GET', '/api/v1/bot/unanswered', await t.login('agent'))).status).toBe(403);
    const internal = await t.database.db.selectFrom('kb_articles').select('id').where('audience', '=', 'internal').executeTakeFirst();
    if (internal) {
      const refused = await api('PATCH', `/api/v1/bot/unanswered/${item.id}`, admin, { status: 'answered', articleId: internal.id });
      expect(refused.body.error.code).toBe('bot.article_not_public');
    }
    const missing = await api('PATCH', `/api/v1/bot/unanswered/${item.id}`, admin, { status: 'answered' });
    expect(missing.status).toBe(400);
    const ignored = await api('PATCH', `/api/v1/bot/unanswered/${item.id}`, admin, { status: 'ignored' });
    expect(ignored.body).toMatchObject({ status: 'ignored', articleId: null });
  });

  it('hands off when the customer asks the same again after an answer', async () => {
    const v = await startChat('停电了怎么办');
    expect((await lastBot(v)).bot.kind).toBe('answer');
    await say(v, '停电了怎么办？？');
    const reply = await lastBot(v);
    expect(reply.bot.kind).toBe('handoff');
    expect(await contactStatus(v.contactId)).toMatchObject({ status: expect.stringMatching(/^(queued|offered)$/), bot: true });
    const turns = await api('GET', `/api/v1/bot/turns?conversationId=${v.conversationId}`, admin);
    expect(turns.body.items.map((x: Body) => [x.kind, x.outcome, x.handoffReason])).toEqual([
      ['answer', 'handed_off', null],
      ['handoff', 'handed_off', 'repeated_question'],
    ]);
    // A queued chat is not the bot's any more: the next message gets no bot reply.
    await say(v, '还在吗');
    expect((await visitorMessages(v)).at(-1)?.senderType).toBe('customer');
  });

  it('转人工 queues the chat, offers it to the online agent, who reads the transcript and the internal summary', async () => {
    const agentCookie = await t.login('agent');
    const presence = await api('PUT', '/api/v1/agent/presence', agentCookie, { state: 'online' });
    expect([200, 409]).toContain(presence.status);
    const agentSocket = await TestSocket.open(`${wsBase}/ws`, { cookie: agentCookie });
    const v = await startChat('电费怎么交');
    const visitorSocket = await TestSocket.open(`${wsBase}/ws?visitorToken=${encodeURIComponent(v.token)}`);
    visitorSocket.send({ type: 'message.send', conversationId: v.conversationId, clientMsgId: `c-${++seq}`, text: '转人工' });
    const handoff = await visitorSocket.next('message.created', (p) => p.senderType === 'bot' && (p.bot as Body | null)?.kind === 'handoff');
    expect(handoff.payload.body).toBe('好的，正在为您转接人工客服，请稍候。');
    const offer = await agentSocket.next('offer.created', (p) => (p.contact as Body).id === v.contactId);
    expect(offer.payload.contact).toMatchObject({ status: 'offered', channel: 'chat' });
    now = new Date(now.getTime() + 2000);
    const accepted = await api('POST', `/api/v1/contacts/${v.contactId}/accept`, agentCookie, {});
    expect(accepted.status).toBe(200);
    const all = await api('GET', `/api/v1/conversations/${v.conversationId}/messages?includeInternal=true&limit=200`, agentCookie);
    const bodies = all.body.items.map((m: Body) => `${m.senderType}${m.internal ? '!' : ''}:${m.body.split('\n')[0]}`);
    expect(bodies[1]).toBe('customer:电费怎么交');
    expect(bodies).toContain('customer:转人工');
    const note = all.body.items.find((m: Body) => m.internal);
    expect(note.body).toContain('【智能助手转人工】原因：客户要求转人工');
    expect(note.body).toContain('客户问题：1. 电费怎么交  2. 转人工');
    expect(note.body).toContain('访客 访客（未关联客户档案）');
    // The customer never sees the internal note.
    const seen = await visitorMessages(v);
    expect(seen.some((m) => m.internal || m.body.includes('智能助手转人工'))).toBe(false);
    expect(seen.some((m) => m.body.includes('王晓燕'))).toBe(true);
    const stats = await api('GET', '/api/v1/bot/stats', admin);
    expect(stats.body.handedOffByReason.customer_asked).toBeGreaterThanOrEqual(1);
    expect(stats.body.handedOffByReason.repeated_question).toBeGreaterThanOrEqual(1);
    await api('POST', `/api/v1/contacts/${v.contactId}/end`, agentCookie, {});
    agentSocket.close();
    visitorSocket.close();
  });

  it('never answers from an internal article, even when it matches best', async () => {
    const created = await api('POST', '/api/v1/kb/articles', admin, {
      title: '蓝鲸计划内部抢修口令说明',
      summary: '内部：蓝鲸计划抢修口令仅限员工使用。',
      body: '蓝鲸计划内部抢修口令说明，仅限内部员工。',
      audience: 'internal',
      status: 'published',
    });
    expect(created.status).toBe(201);
    const v = await startChat('蓝鲸计划内部抢修口令说明');
    const all = await visitorMessages(v);
    expect(all.some((m) => m.body.includes('蓝鲸计划抢修口令仅限员工') || m.bot?.articleId === created.body.id)).toBe(false);
    const turns = await t.database.db.selectFrom('bot_turns').select(['article_id', 'candidate_ids']).where('conversation_id', '=', v.conversationId).execute();
    for (const turn of turns) {
      expect(turn.article_id).not.toBe(created.body.id);
      expect(turn.candidate_ids).not.toContain(created.body.id);
    }
  });

  it('files a repair order for an identified customer after confirmation', async () => {
    const fixture = getDemoCustomerFixture('portal');
    const token = signIdentityToken(identitySecret, { sub: 'bot-portal-1', name: fixture.name, phone: fixture.phones[0] as string, exp: Math.floor(now.getTime() / 1000) + 600 });
    const v = await startChat('我要报修', { identityToken: token });
    let reply = await lastBot(v);
    if (reply.body.startsWith('您要报修的地址是')) {
      expect(reply.body).toContain(fixture.address);
      await say(v, '是');
    } else {
      await say(v, '西宁市城中区南大街1号');
    }
    reply = await lastBot(v);
    expect(reply.body).toContain('请简单描述故障情况');
    await say(v, '家里全部停电，邻居家有电');
    reply = await lastBot(v);
    expect(reply.body).toContain('请留下联系电话');
    await say(v, '13900000001');
    reply = await lastBot(v);
    expect(reply.body).toMatch(/^请确认报修信息/);
    expect(reply.bot.options).toEqual(['是', '否']);
    await say(v, '确认');
    reply = await lastBot(v);
    const number = /工单号 ([A-Za-z0-9-]+)/.exec(reply.body)?.[1];
    expect(number).toBeTruthy();
    const ticket = await t.database.db.selectFrom('tickets').selectAll().where('number', '=', number as string).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ customer_id: fixture.id, category_code: 'fault-repair', channel: 'web', origin_contact_id: v.contactId, created_by: null });
    expect(ticket.description).toContain('家里全部停电，邻居家有电');
    expect(ticket.description).toContain('13900000001');
    expect(await contactStatus(v.contactId)).toMatchObject({ status: 'created' });
  });

  it("lists only the identified customer's open orders, and explains identification to an anonymous visitor", async () => {
    const fixture = getDemoCustomerFixture('portal');
    const token = signIdentityToken(identitySecret, { sub: 'bot-portal-2', name: fixture.name, phone: fixture.phones[0] as string, exp: Math.floor(now.getTime() / 1000) + 600 });
    const v = await startChat('查询我的工单', { identityToken: token });
    const reply = await lastBot(v);
    const db = t.database.db;
    const mine = await db.selectFrom('tickets').select('number').where('customer_id', '=', fixture.id).where('status', 'in', ['accepted', 'dispatched', 'in_progress', 'handled', 'returned']).where('merged_into_id', 'is', null).orderBy('created_at', 'desc').limit(5).execute();
    expect(mine.length).toBeGreaterThan(0);
    for (const o of mine) expect(reply.body).toContain(o.number);
    const others = await db.selectFrom('tickets').select('number').where('customer_id', '!=', fixture.id).limit(50).execute();
    for (const o of others) expect(reply.body).not.toContain(o.number);
    const anon = await startChat('查询我的工单');
    expect((await lastBot(anon)).body).toContain('需要先确认您的身份');
  });

  it('settles the turns when the customer leaves: an answer resolved, an open question abandoned', async () => {
    const answered = await startChat('停电了怎么办');
    expect((await api('POST', `/api/v1/widget/conversations/${answered.conversationId}/end`, null, undefined, { 'x-visitor-token': answered.token })).status).toBe(204);
    expect((await api('GET', `/api/v1/bot/turns?conversationId=${answered.conversationId}`, admin)).body.items[0].outcome).toBe('resolved');
    expect(await t.database.db.selectFrom('contacts').select(['status', 'end_reason']).where('id', '=', answered.contactId).executeTakeFirstOrThrow()).toEqual({ status: 'closed', end_reason: 'not_routed' });
    const lost = await startChat('我要报修');
    await api('POST', `/api/v1/widget/conversations/${lost.conversationId}/end`, null, undefined, { 'x-visitor-token': lost.token });
    const turns = (await api('GET', `/api/v1/bot/turns?conversationId=${lost.conversationId}`, admin)).body.items;
    expect(turns.map((x: Body) => x.outcome)).not.toContain('pending');
  });

  it('closes chats the bot holds after 30 idle minutes, settling their turns; busy chats stay open', async () => {
    const left = await startChat('停电了怎么办');
    now = new Date(now.getTime() + 20 * 60_000);
    const busy = await startChat('电费怎么交');
    now = new Date(now.getTime() + 11 * 60_000);
    const closed = await t.app.services.widget.closeIdleBotChats(BOT_IDLE_MS);
    expect(closed).toBeGreaterThanOrEqual(1);
    expect(await t.database.db.selectFrom('contacts').select(['status', 'end_reason']).where('id', '=', left.contactId).executeTakeFirstOrThrow()).toEqual({ status: 'closed', end_reason: 'not_routed' });
    expect((await api('GET', `/api/v1/bot/turns?conversationId=${left.conversationId}`, admin)).body.items[0].outcome).toBe('resolved');
    const last = (await visitorMessages(left)).at(-1);
    expect(last).toMatchObject({ senderType: 'system', body: '由于长时间没有新消息，本次会话已结束。如需帮助，请重新发起咨询。' });
    // Twenty minutes after its last message the other chat is still the bot's.
    expect(await contactStatus(busy.contactId)).toMatchObject({ status: 'created', bot: true });
    const conversation = await t.database.db.selectFrom('conversations').select('status').where('id', '=', busy.conversationId).executeTakeFirstOrThrow();
    expect(conversation.status).toBe('open');
  });

  it('switches off per channel: a chat then queues for a person at once', async () => {
    const off = await api('PATCH', `/api/v1/bot/channels/${channelId}`, admin, { enabled: false });
    expect(off.body.settings.enabled).toBe(false);
    const v = await startChat('停电了怎么办');
    expect((await visitorMessages(v)).some((m) => m.senderType === 'bot')).toBe(false);
    expect((await contactStatus(v.contactId)).status).not.toBe('created');
    const forbidden = await api('PATCH', `/api/v1/bot/channels/${channelId}`, await t.login('agent'), { enabled: true });
    expect(forbidden.status).toBe(403);
    await api('PATCH', `/api/v1/bot/channels/${channelId}`, admin, { enabled: true });
  });
});
