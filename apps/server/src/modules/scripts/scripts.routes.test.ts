import { findUnknownVariables } from '@kefu/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemText } from '../contacts/system-texts.ts';
import { getDemoCustomerFixture } from '../../seed/demo-fixtures.ts';
import { DEFAULT_SCRIPTS } from '../../seed/scripts.seed.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { toScriptPinyin } from './scripts.search.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function call(user: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie: await t.login(user) }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

type Script = { id: string; shortcut: string; title: string; body: string; language: string; situation: string; usageCount: number; active: boolean; updatedAt: string; pinyin: string; variables: string[] };
async function list(user: string, query = ''): Promise<Script[]> {
  const res = await call(user, 'GET', `/api/v1/scripts${query}`);
  if (res.status !== 200) throw new Error(`GET /scripts${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

describe('script library', () => {
  it('ships the default library in every situation, searchable, with only known variables', async () => {
    const items = await list('agent');
    expect(items.length).toBe(DEFAULT_SCRIPTS.length);
    expect(items.length).toBeGreaterThanOrEqual(45);
    const situations = new Set(items.map((s) => s.situation));
    for (const s of ['greeting', 'identity_check', 'clarifying', 'soothing', 'refusal', 'escalation', 'closing', 'abusive_warning', 'holiday', 'language_greeting']) expect(situations, s).toContain(s);
    expect(new Set(items.map((s) => s.language))).toEqual(new Set(['zh-CN', 'en-US', 'bo']));
    const hello = items.find((s) => s.shortcut === 'hello' && s.language === 'zh-CN');
    expect(hello).toMatchObject({ title: '问候开场', pinyin: 'whkc wenhoukaichang' });
    expect(hello?.variables).toEqual(['time.greeting', 'brand.hotline', 'agent.workNumber']);
    for (const s of DEFAULT_SCRIPTS) expect(findUnknownVariables(s.body), s.shortcut).toEqual([]);
    // The warnings an agent inserts say exactly what the abuse protocol posts.
    const body = (shortcut: string) => items.find((s) => s.shortcut === shortcut && s.language === 'zh-CN')?.body;
    expect([body('abuse-1'), body('abuse-2'), body('abuse-close')]).toEqual([systemText('abuse.warning_1'), systemText('abuse.warning_2'), systemText('abuse.closing')]);
    expect(items.filter((s) => s.language === 'bo').every((s) => /[\u0F00-\u0FFF]/.test(s.body) && /\p{Script=Han}/u.test(s.title))).toBe(true);
    const holiday = await list('agent', `?situation=holiday&language=zh-CN`);
    expect(holiday.map((s) => s.title)).toEqual(expect.arrayContaining(['春节问候', '中秋问候', '国庆问候']));
    expect(holiday.every((s) => s.situation === 'holiday' && s.language === 'zh-CN')).toBe(true);
  });

  it('finds scripts by pinyin initials, full pinyin, Chinese words, English words and shortcut', async () => {
    expect((await list('agent', '?q=whkc'))[0]?.title).toBe('问候开场');
    expect((await list('agent', '?q=wenhou')).map((s) => s.title)).toContain('问候开场');
    expect((await list('agent', `?q=${encodeURIComponent('停电')}`)).map((s) => s.title)).toEqual(expect.arrayContaining(['停电安抚', '故障停电告知', '确认停电范围']));
    // A body word: 阶梯 is only in the tariff script's body and tags.
    expect((await list('agent', `?q=${encodeURIComponent('阶梯')}`)).map((s) => s.shortcut)).toContain('tariff');
    const english = await list('agent', '?q=transferring&language=en-US');
    expect(english.map((s) => s.shortcut)).toEqual(['transfer']);
    expect((await list('agent', '?q=abuse'))[0]?.shortcut).toMatch(/^abuse/);
    expect(await list('agent', '?q=zzzzqqq')).toEqual([]);
    // tsquery operators in the query are plain text.
    expect((await call('agent', 'GET', `/api/v1/scripts?q=${encodeURIComponent("a & !b | ' :*")}`)).status).toBe(200);
  });

  it('computes pinyin for Chinese titles only', () => {
    expect(toScriptPinyin('问候开场')).toBe('whkc wenhoukaichang');
    expect(toScriptPinyin('Greeting')).toBe('');
    expect(toScriptPinyin('藏语问候·安多（扎西德勒）')).toBe('zywhadzxdl zangyuwenhouanduozhaxidele');
  });
});

describe('script editing', () => {
  it('creates, edits with an updatedAt guard and deactivates, auditing each write', async () => {
    const created = await call('supervisor', 'POST', '/api/v1/scripts', {
      shortcut: 'meter-check',
      title: '电能表校验说明',
      body: '{customer.salutation}，电能表校验申请已受理，工单号{ticket.number}。',
      situation: 'explaining',
      tags: ['电能表', '校验'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ language: 'zh-CN', situation: 'explaining', pinyin: 'dnbjysm diannengbiaojiaoyanshuoming', usageCount: 0, active: true, variables: ['customer.salutation', 'ticket.number'] });
    const id = created.body.id as string;
    expect((await list('agent', '?q=dnbjy')).map((s) => s.id)).toContain(id);

    const edited = await call('supervisor', 'PATCH', `/api/v1/scripts/${id}`, { title: '电表校验', updatedAt: created.body.updatedAt });
    expect(edited.status).toBe(200);
    expect(edited.body.pinyin).toBe('dbjy dianbiaojiaoyan');
    // The first edit moved updatedAt: a second editor holding the old value is refused.
    const stale = await call('supervisor', 'PATCH', `/api/v1/scripts/${id}`, { title: '旧版本', updatedAt: created.body.updatedAt });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('scripts.version_conflict');
    expect((await call('supervisor', 'GET', `/api/v1/scripts/${id}`)).body.title).toBe('电表校验');

    const removed = await call('supervisor', 'DELETE', `/api/v1/scripts/${id}`);
    expect(removed.body.active).toBe(false);
    expect((await list('agent')).map((s) => s.id)).not.toContain(id);
    expect((await list('supervisor', '?includeInactive=true')).map((s) => s.id)).toContain(id);
    expect((await call('agent', 'GET', '/api/v1/scripts?includeInactive=true')).status).toBe(403);
    expect((await call('agent', 'POST', `/api/v1/scripts/${id}/render`, {})).status).toBe(404);

    const audit = await call('admin', 'GET', '/api/v1/audit?entityType=script');
    const actions = JSON.stringify(audit.body);
    for (const a of ['script.create', 'script.update', 'script.deactivate']) expect(actions).toContain(a);
  });

  it('refuses unknown variables with the list, and writes nothing', async () => {
    const bad = await call('supervisor', 'POST', '/api/v1/scripts', { shortcut: 'typo', title: '错字', body: '您好{agent.nmae}，工单{ticket.numbr}，{today}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'scripts.unknown_variables', details: { unknown: ['agent.nmae', 'ticket.numbr'] } });
    expect((await list('supervisor', '?q=typo&includeInactive=true')).length).toBe(0);
    const hello = (await list('agent', '?q=hello&language=zh-CN'))[0] as Script;
    const patch = await call('supervisor', 'PATCH', `/api/v1/scripts/${hello.id}`, { body: 'Hi {customer.nickname}' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details.unknown).toEqual(['customer.nickname']);
    expect((await call('supervisor', 'POST', '/api/v1/scripts', { shortcut: 'Bad Shortcut', title: 'x', body: 'x' })).status).toBe(400);
    expect((await call('supervisor', 'POST', '/api/v1/scripts', { shortcut: 'x1', title: 'x', body: 'x', situation: 'nonsense' })).status).toBe(400);
  });

  it('keeps shortcuts unique per language (409), and allows the same shortcut in another language', async () => {
    const dup = await call('supervisor', 'POST', '/api/v1/scripts', { shortcut: 'hello', title: '重复', body: '您好' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('scripts.shortcut_taken');
    const bo = await call('supervisor', 'POST', '/api/v1/scripts', { shortcut: 'hello', title: '藏语问候（新）', body: 'བཀྲ་ཤིས་བདེ་ལེགས།', language: 'bo', situation: 'language_greeting' });
    // Tibetan already has tashi / tashi-kham / thanks / bye, not hello.
    expect(bo.status).toBe(201);
    const wait = (await list('agent', '?q=wait&language=zh-CN')).find((s) => s.shortcut === 'wait') as Script;
    const rename = await call('supervisor', 'PATCH', `/api/v1/scripts/${wait.id}`, { shortcut: 'verify' });
    expect(rename.status).toBe(409);
    expect(rename.body.error.code).toBe('scripts.shortcut_taken');
  });

  it('lets agents read and render but not write (403)', async () => {
    const hello = (await list('agent', '?q=hello&language=zh-CN'))[0] as Script;
    expect((await call('agent', 'POST', '/api/v1/scripts', { shortcut: 'mine', title: '我的', body: '您好' })).status).toBe(403);
    expect((await call('agent', 'PATCH', `/api/v1/scripts/${hello.id}`, { title: 'x' })).status).toBe(403);
    expect((await call('agent', 'DELETE', `/api/v1/scripts/${hello.id}`)).status).toBe(403);
    expect((await call('agent', 'POST', `/api/v1/scripts/${hello.id}/render`, {})).status).toBe(200);
  });
});

describe('rendering and usage', () => {
  const portal = getDemoCustomerFixture('portal');
  const keyAccount = getDemoCustomerFixture('keyAccount');

  async function scriptBy(shortcut: string, language = 'zh-CN') {
    return (await list('agent', `?language=${language}`)).find((s) => s.shortcut === shortcut) as Script;
  }

  it('fills customer, agent and ticket from the archive for the calling agent', async () => {
    const db = t.database.db;
    const agent = await db.selectFrom('users').select(['display_name', 'work_number']).where('username', '=', 'agent').executeTakeFirstOrThrow();
    const ticket = await db.selectFrom('tickets').select(['id', 'number', 'customer_id']).where('customer_id', '=', portal.id).orderBy('created_at').executeTakeFirstOrThrow();
    const greeting = await scriptBy('hello-name');
    const r = await call('agent', 'POST', `/api/v1/scripts/${greeting.id}/render`, { customerId: portal.id });
    expect(r.status).toBe(200);
    // 张明远, male by his ID number: 张先生.
    expect(r.body).toEqual({ text: `张先生您好，我是${agent.work_number}号客服${agent.display_name}，请问有什么可以帮您？`, missing: [] });

    // The ticket brings its customer along.
    const status = await scriptBy('order-status');
    const byTicket = await call('agent', 'POST', `/api/v1/scripts/${status.id}/render`, { ticketId: ticket.id });
    expect(byTicket.body.missing).toEqual([]);
    expect(byTicket.body.text).toContain(`张先生，您的工单${ticket.number}目前`);
    expect(byTicket.body.text).not.toContain('{');

    // An organisation is greeted by its name, without 先生/女士.
    const org = await call('agent', 'POST', `/api/v1/scripts/${greeting.id}/render`, { customerId: keyAccount.id });
    expect(org.body.text.startsWith(`${keyAccount.name}您好`)).toBe(true);

    const en = await scriptBy('order', 'en-US');
    const english = await call('agent', 'POST', `/api/v1/scripts/${en.id}/render`, { ticketId: ticket.id });
    expect(english.body).toEqual({ text: `I have created work order ${ticket.number} for you. You can follow its progress in the app or by calling 95598.`, missing: [] });
  });

  it('reports variables it cannot fill and leaves them visible', async () => {
    const order = await scriptBy('order-status');
    const r = await call('agent', 'POST', `/api/v1/scripts/${order.id}/render`, {});
    expect(r.body.missing).toEqual(['ticket.number', 'ticket.status']);
    expect(r.body.text).toBe('您，您的工单{ticket.number}目前{ticket.status}，我们会持续跟进，有进展会及时通知您。');
    const unknownCustomer = await call('agent', 'POST', `/api/v1/scripts/${order.id}/render`, { customerId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownCustomer.status).toBe(404);
  });

  it('counts uses through /use and through render with use: true', async () => {
    const bye = await scriptBy('bye');
    const before = bye.usageCount;
    const used = await call('agent', 'POST', `/api/v1/scripts/${bye.id}/use`);
    expect(used.body).toEqual({ id: bye.id, usageCount: before + 1 });
    await call('agent', 'POST', `/api/v1/scripts/${bye.id}/render`, { use: true });
    await call('agent', 'POST', `/api/v1/scripts/${bye.id}/render`, {});
    expect((await scriptBy('bye')).usageCount).toBe(before + 2);
  });

  it('previews an unsaved body against a sample context', async () => {
    const r = await call('supervisor', 'POST', '/api/v1/scripts/preview', { body: '{customer.salutation}，工单{ticket.number}{ticket.status}。{agent.nmae}' });
    expect(r.body).toMatchObject({ text: '张先生，工单GD20261127000123处理中。{agent.nmae}', missing: ['agent.nmae'], unknown: ['agent.nmae'] });
  });

  it('no longer serves the canned-replies route', async () => {
    expect((await call('agent', 'GET', '/api/v1/canned-replies')).status).toBe(404);
  });
});
