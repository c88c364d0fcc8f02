import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAccessControl } from '../../platform/access.ts';
import { registerErrorHandling } from '../../platform/http.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { createSearchService } from '../search/search.service.ts';
import { createArticleRenderer, plainText, registerHelpCenterRoutes } from './help-center.ts';
import { createKbAttachments } from './kb.attachments.ts';

let t: TestContext;
let sup: string;
let channelId: string;
beforeAll(async () => {
  t = await createTestApp();
  sup = await t.login('supervisor');
  const ch = await t.database.db.selectFrom('channels').select('id').where('type', '=', 'webchat').executeTakeFirstOrThrow();
  channelId = ch.id;
});
afterAll(() => t.close());

async function create(body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', headers: { cookie: sup }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}
const page = (url: string) => t.app.inject({ method: 'GET', url });

describe('help center', () => {
  it('renders a public article with title, meta description, canonical, lang and JSON-LD, and counts the view', async () => {
    const a = await create({ title: '停电了怎么查询停电信息', summary: '在网上国网App或95598网站查询计划停电。', body: '## 查询方法\n1. 打开网上国网App\n2. 选择**停电信息**', audience: 'public', status: 'published', tags: ['停电'] });
    const res = await page(`/help/${channelId}/articles/${a.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const html = res.body;
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>停电了怎么查询停电信息 - 帮助中心</title>');
    expect(html).toContain('<meta name="description" content="在网上国网App或95598网站查询计划停电。">');
    expect(html).toMatch(new RegExp(`<link rel="canonical" href="http://[^"]+/help/${channelId}/articles/${a.id}">`));
    expect(html).toContain('<h2>查询方法</h2>');
    expect(html).toContain('<strong>停电信息</strong>');
    const ld = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map((m) => JSON.parse(m[1] ?? ''));
    expect(ld.map((j) => j['@type'])).toEqual(['Article', 'FAQPage']);
    expect(ld[1].mainEntity[0]).toMatchObject({ name: '停电了怎么查询停电信息', acceptedAnswer: { text: '在网上国网App或95598网站查询计划停电。' } });
    const views = await t.database.db.selectFrom('kb_articles').select('views').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(views.views).toBe(1);
  });

  it('renders English pages with lang en-US and the English texts', async () => {
    const a = await create({ title: 'How to pay my electricity bill', body: 'Use the app.', audience: 'public', status: 'published', language: 'en-US' });
    const html = (await page(`/help/${channelId}/articles/${a.id}`)).body;
    expect(html).toContain('<html lang="en-US">');
    expect(html).toContain('Was this article helpful?');
    const home = (await page(`/help/${channelId}?lang=en-US`)).body;
    expect(home).toContain('<html lang="en-US">');
    expect(home).toContain('How to pay my electricity bill');
    expect(home).toContain('Popular questions');
  });

  it('escapes article content: a <script> in title or body renders inert', async () => {
    const a = await create({ title: '恶意<script>alert(1)</script>标题', summary: '</script><script>alert(2)</script>', body: '正文<script>alert(3)</script>\n\n[点我](javascript:alert(4)) <img src=x onerror=alert(5)>', audience: 'public', status: 'published' });
    const html = (await page(`/help/${channelId}/articles/${a.id}`)).body;
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('恶意&lt;script&gt;alert(1)&lt;/script&gt;标题');
    // Only the two JSON-LD blocks are script elements.
    expect(html.match(/<script/g)).toHaveLength(2);
  });

  it('answers 404 for internal, draft, expired and not-yet-valid articles, and unknown channels', async () => {
    const internal = await create({ title: '内部：电价调整口径', body: 'x', audience: 'internal', status: 'published' });
    const draft = await create({ title: '草稿文章', body: 'x', audience: 'public', status: 'draft' });
    const expired = await create({ title: '旧电价', body: 'x', audience: 'public', status: 'published', validFrom: '2020-01-01T00:00:00+08:00', validTo: '2021-01-01T00:00:00+08:00' });
    const future = await create({ title: '新电价2099', body: 'x', audience: 'public', status: 'published', validFrom: '2099-01-01T00:00:00+08:00' });
    for (const a of [internal, draft, expired, future]) {
      const res = await page(`/help/${channelId}/articles/${a.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('页面不存在');
    }
    const home = (await page(`/help/${channelId}`)).body;
    for (const title of ['内部：电价调整口径', '草稿文章', '旧电价', '新电价2099']) expect(home).not.toContain(title);
    expect((await page('/help/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await page('/help/not-a-uuid/articles/x')).statusCode).toBe(404);
  });

  it('lists public articles in force in the sitemap, with their language, and nothing else', async () => {
    const pub = await create({ title: 'Sitemap public article', body: 'x', audience: 'public', status: 'published', language: 'en-US' });
    const internal = await create({ title: '内部：站点地图', body: 'x', audience: 'internal', status: 'published' });
    const draft = await create({ title: '站点地图草稿', body: 'x', audience: 'public', status: 'draft' });
    const res = await page(`/help/${channelId}/sitemap.xml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    expect(res.body).toContain(`/help/${channelId}/articles/${pub.id}?lang=en-US</loc><lastmod>`);
    expect(res.body).not.toContain(internal.id);
    expect(res.body).not.toContain(draft.id);
    expect((await page('/help/00000000-0000-4000-8000-000000000000/sitemap.xml')).statusCode).toBe(404);
  });

  it('searches public articles only through the search service', async () => {
    const pub = await create({ title: '峰谷电价对外说明', body: '峰谷分时电价说明', audience: 'public', status: 'published' });
    const internal = await create({ title: '峰谷电价内部口径', body: '峰谷分时电价内部口径', audience: 'internal', status: 'published' });
    const res = await page(`/help/${channelId}/search?q=${encodeURIComponent('峰谷电价')}&utm_source=x`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`/help/${channelId}/articles/${pub.id}`);
    expect(res.body).not.toContain(internal.id);
    expect(res.body).not.toContain('内部口径');
    // A query with markup is echoed escaped.
    const xss = await page(`/help/${channelId}/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(xss.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('<meta name="robots" content="noindex">');
  });

  it('records helpful votes from the form, redirects, and refuses bad input', async () => {
    const a = await create({ title: '如何更改用电户名', body: 'x', audience: 'public', status: 'published' });
    const vote = (helpful: string) =>
      t.app.inject({ method: 'POST', url: `/help/${channelId}/articles/${a.id}/feedback`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `helpful=${helpful}` });
    const res = await vote('yes');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/help/${channelId}/articles/${a.id}?voted=1`);
    await vote('no');
    expect((await vote('maybe')).statusCode).toBe(400);
    const row = await t.database.db.selectFrom('kb_articles').select(['helpful_yes', 'helpful_no']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ helpful_yes: 1, helpful_no: 1 });
    const internal = await create({ title: '内部投票', body: 'x', audience: 'internal', status: 'published' });
    const r404 = await t.app.inject({ method: 'POST', url: `/help/${channelId}/articles/${internal.id}/feedback`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'helpful=yes' });
    expect(r404.statusCode).toBe(404);
  });

  it('serves attachments of public live articles only', async () => {
    const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4d10000000049454e44ae426082', 'hex');
    const up = async (articleId: string) => {
      const boundary = '----kefuhc';
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/kb/articles/${articleId}/attachments`, payload, headers: { cookie: sup, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; url: string };
    };
    const pub = await create({ title: '图示', body: 'x', audience: 'public', status: 'draft' });
    const file = await up(pub.id);
    // Not yet published: invisible.
    expect((await page(`/help/${channelId}/attachments/${file.id}`)).statusCode).toBe(404);
    await t.app.inject({ method: 'PATCH', url: `/api/v1/kb/articles/${pub.id}`, headers: { cookie: sup }, payload: { version: 1, body: `![图](${file.url})` } });
    await t.app.inject({ method: 'POST', url: `/api/v1/kb/articles/${pub.id}/transitions`, headers: { cookie: sup }, payload: { action: 'publish' } });
    const html = (await page(`/help/${channelId}/articles/${pub.id}`)).body;
    expect(html).toContain(`src="/help/${channelId}/attachments/${file.id}"`);
    const got = await page(`/help/${channelId}/attachments/${file.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
  });

  it('rate-limits votes per IP with 429 and Retry-After', async () => {
    const a = await create({ title: '限流测试文章', body: 'x', audience: 'public', status: 'published' });
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerAccessControl(app);
    const db = t.database.db;
    const clock = () => new Date();
    await registerHelpCenterRoutes(app, { db, clock, search: createSearchService({ db, clock }), attachments: createKbAttachments({ db, clock, dir: '/tmp/kefu-test-unused/kb' }), limits: { pagesPerMinute: 100, votesPerMinute: 2 } });
    const vote = () => app.inject({ method: 'POST', url: `/help/${channelId}/articles/${a.id}/feedback`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'helpful=yes' });
    expect((await vote()).statusCode).toBe(303);
    expect((await vote()).statusCode).toBe(303);
    const limited = await vote();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    const row = await db.selectFrom('kb_articles').select('helpful_yes').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.helpful_yes).toBe(2);
    await app.close();
  });
});

describe('article rendering', () => {
  const r = createArticleRenderer();
  it('drops raw HTML and unsafe links, marks external links nofollow', () => {
    const html = r.render('<b>x</b> [a](javascript:alert(1)) [b](https://example.com) ![i](data:text/html;base64,xx)', 'c1');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('rel="nofollow noopener noreferrer"');
    expect(html).not.toContain('src="data:text/html');
  });
  it('rewrites internal attachment links to help-center URLs', () => {
    expect(r.render('![图](/api/v1/kb/attachments/0f8e2a4c-1b2d-4c3e-8f9a-0b1c2d3e4f50)', 'ch')).toContain('src="/help/ch/attachments/0f8e2a4c-1b2d-4c3e-8f9a-0b1c2d3e4f50"');
  });
  it('makes plain descriptions from markdown', () => {
    expect(plainText('## 标题\n**粗体** [链接](https://x) ![图](y)', 100)).toBe('标题 粗体 链接');
    expect(plainText('a'.repeat(200), 10)).toHaveLength(10);
  });
});
