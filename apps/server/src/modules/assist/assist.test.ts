import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbArticleId } from '../../seed/knowledge-content/ids.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

// Agent assist over the seeded demo knowledge base: suggestions follow what the customer wrote.

let t: TestContext;
let brandId: string;
beforeAll(async () => {
  t = await createTestApp();
  const agent = await t.database.db.selectFrom('users').innerJoin('user_brands', 'user_brands.user_id', 'users.id').select('user_brands.brand_id').where('users.username', '=', 'agent').executeTakeFirstOrThrow();
  brandId = agent.brand_id;
});
afterAll(() => t.close());

/** A chat conversation with the given messages (customer unless prefixed "agent:"). */
async function conversationWith(...bodies: string[]): Promise<string> {
  const db = t.database.db;
  const conversation = await db.insertInto('conversations').values({ brand_id: brandId, channel: 'chat', last_seq: bodies.length }).returning('id').executeTakeFirstOrThrow();
  let seq = 0;
  for (const body of bodies) {
    const agent = body.startsWith('agent:');
    seq += 1;
    await db
      .insertInto('messages')
      .values({ conversation_id: conversation.id, seq, sender_type: agent ? 'agent' : 'customer', body: agent ? body.slice(6) : body, created_at: new Date(Date.now() - (bodies.length - seq) * 1000) })
      .execute();
  }
  return conversation.id;
}

async function assist(user: string, conversationId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}/assist`, headers: { cookie: await t.login(user) } });
  return { status: res.statusCode, body: res.json() };
}

describe('agent assist', () => {
  it('suggests outage articles from the customer words, not from the greeting', async () => {
    const id = await conversationWith('你好', '在吗', 'agent:您好，请问有什么可以帮您？', '家里突然没电了，整栋楼都黑了');
    const { status, body } = await assist('agent', id);
    expect(status).toBe(200);
    expect(body.queries[0]).toBe('家里突然没电了，整栋楼都黑了');
    expect(body.basedOnSeq).toBe(4);
    const ids: string[] = body.articles.map((a: { id: string }) => a.id);
    const outage = ['fault-outage-report', 'outage-self-check', 'planned-outage-query', 'partial-power-half-house', 'outage-restore-time'].map(kbArticleId);
    expect(ids.slice(0, 3).some((a) => outage.includes(a))).toBe(true);
    for (const a of body.articles) expect(a.summary).toEqual(expect.any(String));
  });

  it('follows the conversation: a new question brings new suggestions', async () => {
    const id = await conversationWith('家里没电了', 'agent:请稍等，我帮您查询', '对了，电费能用微信交吗？');
    const { body } = await assist('agent', id);
    expect(body.queries[0]).toBe('对了，电费能用微信交吗');
    const ids: string[] = body.articles.slice(0, 3).map((a: { id: string }) => a.id);
    expect(ids).toContain(kbArticleId('pay-wechat-alipay'));
  });

  it('includes internal articles for staff, marked internal', async () => {
    const id = await conversationWith('我想改一下账户预留的手机号，需要核验身份吗');
    const { body } = await assist('agent', id);
    const internal = body.articles.find((a: { id: string }) => a.id === kbArticleId('internal-identity-check'));
    expect(internal).toMatchObject({ audience: 'internal' });
  });

  it('waits while the customer has said nothing topical', async () => {
    const id = await conversationWith('您好！', '在吗？');
    const { status, body } = await assist('agent', id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ queries: [], articles: [], scripts: [], basedOnSeq: 2 });
  });

  it('answers like reading the conversation: 404 unknown, 403 without contact:read, 401 signed out', async () => {
    expect((await assist('agent', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const id = await conversationWith('停电了');
    const member = await assist('repair', id);
    expect(member.status).toBe(403);
    expect(member.body.error.code).toBe('auth.forbidden');
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}/assist` });
    expect(anonymous.statusCode).toBe(401);
  });
});
