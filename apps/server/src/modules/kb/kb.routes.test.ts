import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';

let t: TestContext;
let sup: string;
let agent: string;
let writer: string;
beforeAll(async () => {
  t = await createTestApp();
  // A kb:write-only author: the qa role gets kb:write (it already reads the knowledge base).
  const admin = await t.login('admin');
  const roles = (await t.app.inject({ method: 'GET', url: '/api/v1/roles', headers: { cookie: admin } })).json().items as { code: string; permissions: string[] }[];
  const qa = roles.find((r) => r.code === 'qa');
  const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/roles/qa', headers: { cookie: admin }, payload: { permissions: [...(qa?.permissions ?? []), 'kb:write'] } });
  expect(res.statusCode, res.body).toBe(200);
  sup = await t.login('supervisor');
  agent = await t.login('agent');
  writer = await t.login('qa');
});
afterAll(() => t.close());

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function create(cookie: string, body: Record<string, unknown>) {
  const res = await req('POST', '/kb/articles', cookie, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('articles: create, edit, versions, diff, rollback', () => {
  it('creates a Chinese draft (contract: POST /kb/articles → 201 {id}) and lists it with filters', async () => {
    const a = await create(sup, { title: '如何办理峰谷电价（测试专用）', body: '## 办理条件\n居民用户可申请峰谷分时电价。', audience: 'public', status: 'draft', tags: ['电价', '峰谷', '电价'] });
    expect(a).toMatchObject({ id: expect.any(String), status: 'draft', version: 1, tags: ['电价', '峰谷'], language: 'zh-CN', validity: 'current' });
    const list = (await req('GET', `/kb/articles?status=draft&tag=${encodeURIComponent('峰谷')}&q=${encodeURIComponent('峰谷电价（测试')}`, agent)).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    const none = (await req('GET', `/kb/articles?status=published&q=${encodeURIComponent('峰谷电价（测试')}`, agent)).json();
    expect(none.items).toEqual([]);
  });

  it('keeps every saved change as a version, diffs them and rolls back as a new version', async () => {
    const a = await create(sup, { title: 'How to read my meter', body: 'Line one\nLine two\n', audience: 'public', status: 'draft', language: 'en-US' });
    const v2 = await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, body: 'Line one\nLine 2 changed\nLine three\n', note: 'clarify' });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json().version).toBe(2);
    // Saving the same content again makes no new version.
    expect((await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 2, body: 'Line one\nLine 2 changed\nLine three\n' })).json().version).toBe(2);
    const versions = (await req('GET', `/kb/articles/${a.id}/versions`, agent)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ note: 'clarify', changed: ['body'], authorName: expect.any(String) });
    const diff = (await req('GET', `/kb/articles/${a.id}/versions/2/diff`, agent)).json();
    expect(diff).toMatchObject({ from: 1, to: 2, changed: ['body'], added: 2, removed: 1 });
    expect(diff.parts.filter((p: { kind: string }) => p.kind === 'removed').map((p: { text: string }) => p.text).join('')).toContain('Line two');
    expect((await req('GET', `/kb/articles/${a.id}/versions/9/diff`, agent)).json().error.code).toBe('kb.unknown_version');

    const rb = await req('POST', `/kb/articles/${a.id}/rollback`, sup, { version: 1 });
    expect(rb.statusCode, rb.body).toBe(200);
    expect(rb.json()).toMatchObject({ version: 3, body: 'Line one\nLine two\n' });
    const after = (await req('GET', `/kb/articles/${a.id}/versions`, agent)).json().items;
    expect(after.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(after[1].body).toBe('Line one\nLine 2 changed\nLine three\n');
    const events = (await req('GET', `/kb/articles/${a.id}/events`, agent)).json().items.map((e: { action: string }) => e.action);
    expect(events).toEqual(['created', 'edited', 'rolled_back']);
  });

  it('refuses a stale version with 409 and leaves the article unchanged', async () => {
    const a = await create(sup, { title: '欠费停电怎么办', body: '缴清欠费后24小时内复电。', audience: 'public', status: 'draft' });
    expect((await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, title: '欠费停电后如何复电' })).statusCode).toBe(200);
    const stale = await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, body: '覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'kb.version_conflict', details: { expected: 1, actual: 2 } });
    expect((await req('GET', `/kb/articles/${a.id}`, agent)).json()).toMatchObject({ version: 2, body: '缴清欠费后24小时内复电。' });
  });

  it('recomputes the search column from title, tags, summary and body on every save', async () => {
    const a = await create(sup, { title: '电动汽车充电桩报装', body: '准备材料', audience: 'internal', status: 'draft', tags: ['充电桩'] });
    await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, body: '需要提供产权证明和身份证' });
    const row = await t.database.db.selectFrom('kb_articles').select('search_text').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.search_text).toMatch(/'充电':\d+A,\d+B/);
    expect(row.search_text).toMatch(/'身份证':\d+C/);
    expect(row.search_text).not.toContain('准备');
  });

  it('validates categories, related articles and validity ranges', async () => {
    const other = await create(sup, { title: 'Related target', body: 'x', audience: 'public', status: 'draft' });
    const cat = await req('POST', '/kb/categories', sup, { code: 'billing-test', nameZh: '电费', nameEn: 'Billing' });
    expect(cat.statusCode, cat.body).toBe(201);
    const a = await create(sup, { title: '电费账单说明', body: 'x', audience: 'public', status: 'draft', categoryId: cat.json().id, relatedIds: [other.id] });
    expect(a.related).toEqual([{ id: other.id, title: 'Related target', status: 'draft' }]);
    const missing = '00000000-0000-4000-8000-000000000001';
    expect((await req('POST', '/kb/articles', sup, { title: 't', body: 'x', audience: 'public', relatedIds: [missing] })).json().error).toMatchObject({ code: 'kb.unknown_related', details: { ids: [missing] } });
    expect((await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, relatedIds: [a.id] })).json().error.code).toBe('kb.unknown_related');
    expect((await req('POST', '/kb/articles', sup, { title: 't', body: 'x', audience: 'public', categoryId: missing })).json().error.code).toBe('kb.unknown_category');
    const bad = await req('POST', '/kb/articles', sup, { title: 't', body: 'x', audience: 'public', validFrom: '2026-10-01T00:00:00+08:00', validTo: '2026-07-01T00:00:00+08:00' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('kb.invalid_validity');
    const cats = (await req('GET', '/kb/categories', agent)).json().items;
    expect(cats.find((c: { code: string }) => c.code === 'billing-test')).toMatchObject({ articleCount: 1 });
    expect((await req('PATCH', `/kb/categories/${cat.json().id}`, sup, { parentId: cat.json().id })).json().error.code).toBe('kb.category_cycle');
    expect((await req('POST', '/kb/categories', sup, { code: 'billing-test', nameZh: '重复', nameEn: 'Dup' })).json().error.code).toBe('kb.category_code_taken');
  });

  it('answers bad input with 400 and writes nothing', async () => {
    const before = await t.database.db.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const body of [
      { title: 'x', body: 'y', audience: 'everyone' },
      { title: '', body: 'y', audience: 'public' },
      { title: 'x', body: 'y', audience: 'public', status: 'review' },
      { title: 'x', body: 'y', audience: 'public', extra: 1 },
      { title: 'x', body: 'y', audience: 'public', validFrom: 'tomorrow' },
    ]) {
      const res = await req('POST', '/kb/articles', sup, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation.failed');
    }
    expect((await req('PATCH', '/kb/articles/00000000-0000-4000-8000-000000000000', sup, { title: 'no version' })).statusCode).toBe(400);
    expect((await req('GET', '/kb/articles?sort=title', agent)).statusCode).toBe(400);
    const after = await t.database.db.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('pages the list with an opaque cursor', async () => {
    for (let i = 0; i < 3; i++) await create(sup, { title: `分页测试 ${i}`, body: 'x', audience: 'internal', status: 'draft' });
    const p1 = (await req('GET', `/kb/articles?q=${encodeURIComponent('分页测试')}&limit=2`, agent)).json();
    expect(p1.items).toHaveLength(2);
    const p2 = (await req('GET', `/kb/articles?q=${encodeURIComponent('分页测试')}&limit=2&cursor=${p1.nextCursor}`, agent)).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.items, ...p2.items].map((x: { id: string }) => x.id)).size).toBe(3);
  });
});

describe('review workflow', () => {
  it('refuses an agent (kb:read) creating, and a kb:write-only author publishing directly', async () => {
    expect((await req('POST', '/kb/articles', agent, { title: 'x', body: 'y', audience: 'public' })).statusCode).toBe(403);
    const res = await req('POST', '/kb/articles', writer, { title: '直接发布', body: 'y', audience: 'public', status: 'published' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('kb.publish_required');
  });

  it('runs draft → review → rejected with a note → review → approved, with the trail', async () => {
    const a = await create(writer, { title: '临时用电申请流程', body: '提交申请', audience: 'public', status: 'draft' });
    expect(a.actions).toEqual(['submit']);
    expect((await req('POST', `/kb/articles/${a.id}/transitions`, writer, { action: 'submit' })).json().status).toBe('review');
    // The author cannot approve their own text; an agent cannot either.
    expect((await req('POST', `/kb/articles/${a.id}/transitions`, writer, { action: 'approve' })).json().error.code).toBe('kb.publish_required');
    expect((await req('POST', `/kb/articles/${a.id}/transitions`, agent, { action: 'approve' })).statusCode).toBe(403);
    const noNote = await req('POST', `/kb/articles/${a.id}/transitions`, sup, { action: 'reject' });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.json().error.code).toBe('kb.note_required');
    expect((await req('POST', `/kb/articles/${a.id}/transitions`, sup, { action: 'reject', note: '请补充所需材料清单' })).json().status).toBe('draft');
    await req('PATCH', `/kb/articles/${a.id}`, writer, { version: 1, body: '提交申请，携带身份证和用电地址证明' });
    await req('POST', `/kb/articles/${a.id}/transitions`, writer, { action: 'submit' });
    const approved = await req('POST', `/kb/articles/${a.id}/transitions`, sup, { action: 'approve' });
    expect(approved.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    const again = await req('POST', `/kb/articles/${a.id}/transitions`, sup, { action: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'kb.transition_refused', details: { status: 'published', allowedFrom: ['review'] } });
    const events = (await req('GET', `/kb/articles/${a.id}/events`, agent)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['created', 'submitted', 'rejected', 'edited', 'submitted', 'approved']);
    expect(events[2]).toMatchObject({ note: '请补充所需材料清单', fromStatus: 'review', toStatus: 'draft' });
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', a.id).execute();
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['kb_article.create', 'kb_article.submit', 'kb_article.reject', 'kb_article.approve', 'kb_article.update']));
  });

  it('applies the edit rule: reviewer edits of live articles stay live, author edits are refused', async () => {
    const a = await create(sup, { title: 'Power cut compensation', body: 'v1', audience: 'public', status: 'published', language: 'en-US' });
    const refused = await req('PATCH', `/kb/articles/${a.id}`, writer, { version: 1, body: 'author change' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('kb.publish_required');
    expect(refused.json().error.message).toMatch(/reviewer/);
    expect((await req('POST', `/kb/articles/${a.id}/rollback`, writer, { version: 1 })).json().error.code).toBe('kb.publish_required');
    const live = await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 1, body: 'v2' });
    expect(live.json()).toMatchObject({ status: 'published', version: 2, body: 'v2' });
    // Archive, restore to draft: now the author may rework it.
    await req('POST', `/kb/articles/${a.id}/transitions`, sup, { action: 'archive' });
    expect((await req('PATCH', `/kb/articles/${a.id}`, sup, { version: 2, body: 'x' })).json().error.code).toBe('kb.edit_refused');
    expect((await req('POST', `/kb/articles/${a.id}/transitions`, writer, { action: 'restore' })).json().status).toBe('draft');
    expect((await req('PATCH', `/kb/articles/${a.id}`, writer, { version: 2, body: 'rework' })).json()).toMatchObject({ status: 'draft', version: 3 });
  });

  it('sends an author edit during review back to draft', async () => {
    const a = await create(writer, { title: '智能电表读数', body: 'a', audience: 'internal', status: 'draft' });
    await req('POST', `/kb/articles/${a.id}/transitions`, writer, { action: 'submit' });
    expect((await req('PATCH', `/kb/articles/${a.id}`, writer, { version: 1, body: 'b' })).json().status).toBe('draft');
  });
});

describe('usage, feedback and stats', () => {
  it('counts views only when asked, feedback and used-in-reply, and reports them in stats', async () => {
    const a = await create(sup, { title: '电费发票如何开具', body: '在网上国网App申请', audience: 'internal', status: 'published' });
    await req('GET', `/kb/articles/${a.id}`, sup);
    expect((await req('GET', `/kb/articles/${a.id}?view=1`, agent)).json().views).toBe(1);
    expect((await req('POST', `/kb/articles/${a.id}/feedback`, agent, { helpful: true })).json()).toEqual({ helpfulYes: 1, helpfulNo: 0 });
    expect((await req('POST', `/kb/articles/${a.id}/feedback`, sup, { helpful: false })).json()).toEqual({ helpfulYes: 1, helpfulNo: 1 });
    expect((await req('POST', `/kb/articles/${a.id}/feedback`, agent, { helpful: 'yes' })).statusCode).toBe(400);
    expect((await req('POST', `/kb/articles/${a.id}/usage`, agent, { kind: 'used_in_reply', channel: 'chat' })).statusCode).toBe(204);
    expect((await req('POST', `/kb/articles/${a.id}/usage`, agent, { kind: 'bot_resolved' })).statusCode).toBe(400);
    const got = (await req('GET', `/kb/articles/${a.id}`, agent)).json();
    expect(got).toMatchObject({ views: 1, usedInReply: 1, helpfulYes: 1, helpfulNo: 1 });
    const stats = (await req('GET', '/kb/stats', agent)).json();
    expect(stats.topUsed.find((r: { id: string }) => r.id === a.id)).toMatchObject({ count: 1 });
    expect(stats.helpful.find((r: { id: string }) => r.id === a.id)).toMatchObject({ yes: 1, no: 1, ratio: 0.5 });
    expect(stats.totals.views).toBeGreaterThanOrEqual(1);
  });

  it('lets a signed-in customer vote on public live articles only', async () => {
    const customer = await t.login('customer2');
    const pub = await create(sup, { title: 'How to report a power cut', body: 'Call 95598.', audience: 'public', status: 'published', language: 'en-US' });
    const internal = await create(sup, { title: '内部停电上报口径', body: 'x', audience: 'internal', status: 'published' });
    expect((await req('POST', `/kb/articles/${pub.id}/feedback`, customer, { helpful: true })).json()).toEqual({ helpfulYes: 1, helpfulNo: 0 });
    expect((await req('POST', `/kb/articles/${internal.id}/feedback`, customer, { helpful: true })).statusCode).toBe(404);
    expect((await req('GET', `/kb/articles/${pub.id}`, customer)).statusCode).toBe(403);
  });
});

describe('attachments', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d10000000049454e44ae426082', 'hex');
  function upload(articleId: string, fileName: string, content: Buffer, cookie: string) {
    const boundary = '----kefukb';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/png\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url: `/api/v1/kb/articles/${articleId}/attachments`, payload, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  }

  it('stores an image and serves it to kb:read; refuses lying content, text and agents', async () => {
    const a = await create(sup, { title: '电表箱示意图', body: 'x', audience: 'internal', status: 'draft' });
    const res = await upload(a.id, '电表箱.png', PNG, sup);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ contentType: 'image/png', url: `/api/v1/kb/attachments/${res.json().id}` });
    const file = await t.app.inject({ method: 'GET', url: res.json().url, headers: { cookie: agent } });
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    expect((await upload(a.id, 'fake.png', Buffer.from('GIF89a....'), sup)).statusCode).toBe(415);
    expect((await upload(a.id, 'fake.docx', Buffer.from('not a zip'), sup)).json().error.code).toBe('attachment.type_not_allowed');
    expect((await upload(a.id, 'notes.txt', Buffer.from('plain text'), sup)).statusCode).toBe(415);
    expect((await upload(a.id, 'ok.png', PNG, agent)).statusCode).toBe(403);
  });
});
