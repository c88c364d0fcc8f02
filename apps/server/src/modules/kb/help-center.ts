import type { DB } from '@kefu/db';
import { isPubliclyVisible } from '@kefu/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import MarkdownIt from 'markdown-it';
import { z } from 'zod';
import { createRateLimiter, limitByIp } from '../../platform/rate-limit.ts';
import type { SearchService } from '../search/search.service.ts';
import type { KbAttachments } from './kb.attachments.ts';
import { sendAttachment } from './kb.attachments.ts';
import { recordArticleUsage } from './usage.ts';

// The public help center (帮助中心): server-rendered HTML per channel, no login, no client
// script. Only published, public articles in force now ever appear; anything else is a 404 page
// that says nothing about why. Mobile-first inline CSS; zh-CN by default, en-US via ?lang=en-US.
// Page queries ignore unknown parameters on purpose (links arrive with utm_* tags); the one write,
// the helpful vote, is a plain form post, strict and rate-limited per IP.

type Lang = 'zh-CN' | 'en-US';

const TEXTS = {
  'zh-CN': {
    helpCenter: '帮助中心',
    searchPlaceholder: '输入您的问题，例如：怎么交电费',
    search: '搜索',
    categories: '分类',
    popular: '热门问题',
    related: '相关文章',
    helpfulQuestion: '这篇文章对您有帮助吗？',
    yes: '有帮助',
    no: '没帮助',
    thanks: '感谢您的反馈！',
    results: (q: string, n: number) => `“${q}”的搜索结果（${n} 条）`,
    noResults: '没有找到相关文章。您可以换个说法，或联系在线客服。',
    notFound: '页面不存在',
    notFoundText: '您要找的文章不存在或已下线。',
    back: '返回帮助中心',
    updated: '更新于',
    switchLang: 'English',
    more: '更多文章',
  },
  'en-US': {
    helpCenter: 'Help Center',
    searchPlaceholder: 'Ask a question, e.g. how do I pay my bill',
    search: 'Search',
    categories: 'Categories',
    popular: 'Popular questions',
    related: 'Related articles',
    helpfulQuestion: 'Was this article helpful?',
    yes: 'Yes',
    no: 'No',
    thanks: 'Thank you for your feedback!',
    results: (q: string, n: number) => `Results for “${q}” (${n})`,
    noResults: 'No matching articles. Try other words, or chat with us.',
    notFound: 'Page not found',
    notFoundText: 'The article does not exist or is no longer available.',
    back: 'Back to the help center',
    updated: 'Updated',
    switchLang: '中文',
    more: 'More articles',
  },
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON for a <script type="application/ld+json"> block: no `<` survives, so `</script>` cannot close it. */
function jsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Markdown → HTML with raw HTML off; markdown-it's validateLink drops javascript:, vbscript:, file: and non-image data: URLs. */
export function createArticleRenderer() {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const href = String(token?.attrGet('href') ?? '');
    if (token && /^https?:\/\//i.test(href)) {
      token.attrSet('rel', 'nofollow noopener noreferrer');
      token.attrSet('target', '_blank');
    }
    return defaultLink(tokens, idx, options, env, self);
  };
  return {
    /** Renders an article body; links to internal attachment URLs become help-center URLs. */
    render(body: string, channelId: string): string {
      return md.render(body).replace(/\/api\/v1\/kb\/attachments\/([0-9a-f-]{36})/g, `/help/${channelId}/attachments/$1`);
    },
  };
}

/** Plain text of markdown for meta descriptions and JSON-LD (no markup, collapsed spaces). */
export function plainText(markdown: string, max: number): string {
  const text = markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Segoe UI",Roboto,sans-serif;color:#1f2329;background:#f5f6f8}
header{background:#1677ff;color:#fff;padding:16px}header a{color:#fff;text-decoration:none}.top{display:flex;justify-content:space-between;align-items:center;gap:8px;max-width:860px;margin:0 auto}
.brand{font-size:18px;font-weight:600}.lang{font-size:14px;opacity:.9}main{max-width:860px;margin:0 auto;padding:16px}
form.search{display:flex;gap:8px;max-width:860px;margin:12px auto 0}form.search input{flex:1;min-width:0;padding:10px 12px;border:0;border-radius:6px;font-size:16px}
form.search button,.vote button{padding:10px 16px;border:0;border-radius:6px;background:#0e4fc4;color:#fff;font-size:16px}
section,article{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px}h1{font-size:22px;line-height:1.35;margin:0 0 8px}h2{font-size:18px;margin:0 0 8px}
ul.list{list-style:none;padding:0;margin:0}ul.list li{padding:10px 0;border-bottom:1px solid #eef0f3}ul.list li:last-child{border-bottom:0}ul.list a{color:#1f2329;text-decoration:none}
.muted{color:#646a73;font-size:14px}.body img{max-width:100%;height:auto}.body pre{overflow:auto;background:#f5f6f8;padding:8px}.body table{border-collapse:collapse;display:block;overflow:auto}.body td,.body th{border:1px solid #dee0e3;padding:4px 8px}
mark{background:#fff1b8;color:inherit}.vote{display:flex;gap:8px;align-items:center;flex-wrap:wrap}.vote button.no{background:#8f959e}
.cats{display:grid;grid-template-columns:1fr;gap:12px}@media(min-width:640px){.cats{grid-template-columns:1fr 1fr}h1{font-size:26px}}`;

type Page = { lang: Lang; title: string; description: string; canonical: string; brandName: string; channelId: string; body: string; jsonLd?: unknown[]; altLangUrl: string; q?: string; noindex?: boolean };

function renderPage(p: Page): string {
  const t = TEXTS[p.lang];
  const home = `/help/${p.channelId}${p.lang === 'en-US' ? '?lang=en-US' : ''}`;
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<meta name="description" content="${escapeHtml(p.description)}">
<link rel="canonical" href="${escapeHtml(p.canonical)}">
${p.noindex ? '<meta name="robots" content="noindex">\n' : ''}<meta property="og:title" content="${escapeHtml(p.title)}">
<meta property="og:description" content="${escapeHtml(p.description)}">
<style>${CSS}</style>
${(p.jsonLd ?? []).map((j) => `<script type="application/ld+json">${jsonLd(j)}</script>`).join('\n')}
</head>
<body>
<header>
<div class="top"><a class="brand" href="${escapeHtml(home)}">${escapeHtml(p.brandName)} · ${t.helpCenter}</a><a class="lang" hreflang="${p.lang === 'zh-CN' ? 'en-US' : 'zh-CN'}" href="${escapeHtml(p.altLangUrl)}">${t.switchLang}</a></div>
<form class="search" role="search" method="get" action="/help/${escapeHtml(p.channelId)}/search">
<input type="search" name="q" maxlength="100" value="${escapeHtml(p.q ?? '')}" placeholder="${escapeHtml(t.searchPlaceholder)}" aria-label="${escapeHtml(t.search)}">
${p.lang === 'en-US' ? '<input type="hidden" name="lang" value="en-US">' : ''}<button type="submit">${t.search}</button>
</form>
</header>
<main>
${p.body}
</main>
</body>
</html>`;
}

const ZPageQuery = z.object({ lang: z.enum(['zh-CN', 'en-US']).optional().catch(undefined), voted: z.string().optional().catch(undefined) });
const ZSearchQuery = ZPageQuery.extend({ q: z.string().max(200).optional().catch(undefined) });
const ZFeedbackBody = z.strictObject({ helpful: z.enum(['yes', 'no']), lang: z.enum(['zh-CN', 'en-US']).optional() });

type Visible = { status: string; audience: string; valid_from: Date | null; valid_to: Date | null };

/** `where` for articles a customer may see now. */
function publicNow(at: Date) {
  return (eb: ExpressionBuilder<DB, 'kb_articles'>) =>
    eb.and([
      eb('kb_articles.status', '=', 'published'),
      eb('kb_articles.audience', '=', 'public'),
      eb.or([eb('kb_articles.valid_from', 'is', null), eb('kb_articles.valid_from', '<=', at)]),
      eb.or([eb('kb_articles.valid_to', 'is', null), eb('kb_articles.valid_to', '>', at)]),
    ]);
}

export async function registerHelpCenterRoutes(fastify: FastifyInstance, deps: { db: Kysely<DB>; clock: () => Date; search: SearchService; attachments: KbAttachments; limits?: { pagesPerMinute: number; votesPerMinute: number } }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, clock, search, attachments } = deps;
  const renderer = createArticleRenderer();
  const pageLimit = limitByIp(createRateLimiter({ windowMs: 60_000, max: deps.limits?.pagesPerMinute ?? 240 }), 'help-page');
  const voteLimit = limitByIp(createRateLimiter({ windowMs: 60_000, max: deps.limits?.votesPerMinute ?? 20 }), 'help-vote');

  const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  const withLang = (url: string, lang: Lang) => (lang === 'en-US' ? `${url}${url.includes('?') ? '&' : '?'}lang=en-US` : url);
  const otherLang = (lang: Lang): Lang => (lang === 'zh-CN' ? 'en-US' : 'zh-CN');

  async function channelOf(channelId: string) {
    if (!UUID.test(channelId)) return null;
    return db
      .selectFrom('channels as c')
      .innerJoin('brands as b', 'b.id', 'c.brand_id')
      .select(['c.id', 'c.brand_id', 'b.name as brand_name'])
      .where('c.id', '=', channelId)
      .where('c.enabled', '=', true)
      .executeTakeFirst();
  }

  function notFound(reply: FastifyReply, lang: Lang, channelId: string, brandName: string) {
    const t = TEXTS[lang];
    const html = renderPage({
      lang,
      title: `${t.notFound} - ${t.helpCenter}`,
      description: t.notFoundText,
      canonical: `/help/${channelId}`,
      brandName,
      channelId,
      altLangUrl: withLang(`/help/${channelId}`, otherLang(lang)),
      noindex: true,
      body: `<section><h1>${t.notFound}</h1><p>${t.notFoundText}</p><p><a href="${escapeHtml(withLang(`/help/${channelId}`, lang))}">${t.back}</a></p></section>`,
    });
    return reply.code(404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  }

  const sendHtml = (reply: FastifyReply, html: string) => reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(html);
  const articleUrl = (channelId: string, id: string, lang: Lang) => withLang(`/help/${channelId}/articles/${id}`, lang);
  const list = (items: { id: string; title: string; summary?: string | null }[], channelId: string, lang: Lang) =>
    `<ul class="list">${items.map((a) => `<li><a href="${escapeHtml(articleUrl(channelId, a.id, lang))}">${escapeHtml(a.title)}</a>${a.summary ? `<div class="muted">${escapeHtml(a.summary)}</div>` : ''}</li>`).join('')}</ul>`;

  const params = z.object({ channelId: z.string().max(100) });
  const articleParams = z.object({ channelId: z.string().max(100), articleId: z.string().max(100) });

  app.get('/help/:channelId', { schema: { hide: true, params, querystring: ZPageQuery }, config: { access: 'public' }, preHandler: pageLimit }, async (req, reply) => {
    const lang: Lang = req.query.lang ?? 'zh-CN';
    const { channelId } = req.params;
    const channel = await channelOf(channelId);
    if (!channel) return notFound(reply, lang, channelId, '');
    const t = TEXTS[lang];
    const now = clock();
    const cats = await db.selectFrom('kb_categories').selectAll().where('brand_id', '=', channel.brand_id).orderBy('position').orderBy('code').execute();
    const articles = await db
      .selectFrom('kb_articles')
      .select(['id', 'title', 'summary', 'category_id', 'views', 'language'])
      .where('brand_id', '=', channel.brand_id)
      .where(publicNow(now))
      .orderBy('views', 'desc')
      .orderBy('title')
      .limit(500)
      .execute();
    // Articles in the page's language first; the other language when none exists yet.
    const inLang = articles.filter((a) => a.language === lang);
    const shown = inLang.length > 0 ? inLang : articles;
    const byCategory = new Map<string, typeof shown>();
    for (const a of shown) if (a.category_id) byCategory.set(a.category_id, [...(byCategory.get(a.category_id) ?? []), a]);
    const catHtml = cats
      .filter((c) => byCategory.has(c.id))
      .map((c) => {
        const items = byCategory.get(c.id) ?? [];
        return `<section id="c-${escapeHtml(c.code)}"><h3>${escapeHtml(lang === 'zh-CN' ? c.name_zh : c.name_en)}</h3>${list(items.slice(0, 8), channelId, lang)}</section>`;
      })
      .join('');
    const title = `${t.helpCenter} - ${channel.brand_name}`;
    const canonical = `${origin(req)}${withLang(`/help/${channelId}`, lang)}`;
    const html = renderPage({
      lang,
      title,
      description: shown.slice(0, 5).map((a) => a.title).join(' · ') || t.helpCenter,
      canonical,
      brandName: channel.brand_name,
      channelId,
      altLangUrl: withLang(`/help/${channelId}`, otherLang(lang)),
      jsonLd: [
        {
          '@context': 'https://schema.org',
          '@type': 'WebSite',
          name: title,
          url: canonical,
          inLanguage: lang,
          potentialAction: { '@type': 'SearchAction', target: `${origin(req)}/help/${channelId}/search?q={query}`, 'query-input': 'required name=query' },
        },
      ],
      body: `<section><h1>${t.popular}</h1>${list(shown.slice(0, 10), channelId, lang)}</section><h2>${t.categories}</h2><div class="cats">${catHtml}</div>`,
    });
    return sendHtml(reply, html);
  });

  app.get('/help/:channelId/articles/:articleId', { schema: { hide: true, params: articleParams, querystring: ZPageQuery }, config: { access: 'public' }, preHandler: pageLimit }, async (req, reply) => {
    const { channelId, articleId } = req.params;
    const channel = await channelOf(channelId);
    if (!channel) return notFound(reply, req.query.lang ?? 'zh-CN', channelId, '');
    const now = clock();
    const a = UUID.test(articleId)
      ? await db.selectFrom('kb_articles').selectAll().where('id', '=', articleId).where('brand_id', '=', channel.brand_id).where(publicNow(now)).executeTakeFirst()
      : undefined;
    if (!a) return notFound(reply, req.query.lang ?? 'zh-CN', channelId, channel.brand_name);
    const lang: Lang = req.query.lang ?? (a.language === 'en-US' ? 'en-US' : 'zh-CN');
    const t = TEXTS[lang];
    const related = a.related_ids.length
      ? await db.selectFrom('kb_articles').select(['id', 'title', 'summary']).where('id', 'in', a.related_ids).where('brand_id', '=', channel.brand_id).where(publicNow(now)).execute()
      : [];
    // Counted once per page load; the editor's own reads never pass through here.
    await recordArticleUsage(db, { brandId: channel.brand_id, articleId: a.id, kind: 'view', channel: 'help_center', at: now });
    const description = (a.summary || plainText(a.body, 150)).slice(0, 160);
    const canonical = `${origin(req)}/help/${channelId}/articles/${a.id}`;
    const updated = a.updated_at.toISOString();
    const voted = req.query.voted === '1';
    const vote = voted
      ? `<p class="vote" role="status">${t.thanks}</p>`
      : `<form class="vote" method="post" action="/help/${channelId}/articles/${a.id}/feedback"><span>${t.helpfulQuestion}</span>${lang === 'en-US' ? '<input type="hidden" name="lang" value="en-US">' : ''}<button type="submit" name="helpful" value="yes">${t.yes}</button><button class="no" type="submit" name="helpful" value="no">${t.no}</button></form>`;
    const html = renderPage({
      lang,
      title: `${a.title} - ${t.helpCenter}`,
      description,
      canonical,
      brandName: channel.brand_name,
      channelId,
      altLangUrl: articleUrl(channelId, a.id, otherLang(lang)),
      jsonLd: [
        {
          '@context': 'https://schema.org',
          '@type': 'Article',
          headline: a.title,
          description,
          inLanguage: a.language,
          datePublished: (a.published_at ?? a.created_at).toISOString(),
          dateModified: updated,
          keywords: a.tags.join(', '),
          mainEntityOfPage: canonical,
          publisher: { '@type': 'Organization', name: channel.brand_name },
        },
        {
          '@context': 'https://schema.org',
          '@type': 'FAQPage',
          mainEntity: [{ '@type': 'Question', name: a.title, acceptedAnswer: { '@type': 'Answer', text: a.summary || plainText(a.body, 500) } }],
        },
      ],
      body: `<article lang="${a.language}"><h1>${escapeHtml(a.title)}</h1><p class="muted"><time datetime="${updated}">${t.updated} ${updated.slice(0, 10)}</time></p><div class="body">${renderer.render(a.body, channelId)}</div></article>
<section>${vote}</section>
${related.length ? `<section><h2>${t.related}</h2>${list(related, channelId, lang)}</section>` : ''}`,
    });
    return sendHtml(reply, html);
  });

  // For search engines: every public article in force, in its own language's URL.
  app.get('/help/:channelId/sitemap.xml', { schema: { hide: true, params }, config: { access: 'public' }, preHandler: pageLimit }, async (req, reply) => {
    const { channelId } = req.params;
    const channel = await channelOf(channelId);
    if (!channel) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
    const articles = await db
      .selectFrom('kb_articles')
      .select(['id', 'language', 'updated_at'])
      .where('brand_id', '=', channel.brand_id)
      .where(publicNow(clock()))
      .orderBy('updated_at', 'desc')
      .limit(50_000)
      .execute();
    const base = origin(req);
    const url = (loc: string, lastmod?: Date) => `<url><loc>${escapeHtml(`${base}${loc}`)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString().slice(0, 10)}</lastmod>` : ''}</url>`;
    const urls = [
      url(`/help/${channelId}`),
      url(withLang(`/help/${channelId}`, 'en-US')),
      ...articles.map((a) => url(articleUrl(channelId, a.id, a.language === 'en-US' ? 'en-US' : 'zh-CN'), a.updated_at)),
    ];
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>\n`;
    return reply.header('content-type', 'application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(xml);
  });

  app.get('/help/:channelId/search', { schema: { hide: true, params, querystring: ZSearchQuery }, config: { access: 'public' }, preHandler: pageLimit }, async (req, reply) => {
    const lang: Lang = req.query.lang ?? 'zh-CN';
    const { channelId } = req.params;
    const channel = await channelOf(channelId);
    if (!channel) return notFound(reply, lang, channelId, '');
    const t = TEXTS[lang];
    const q = (req.query.q ?? '').trim().slice(0, 100);
    const hits = q ? await search.search({ brandIds: [channel.brand_id], q, audience: 'public', kinds: ['article'], limit: 20, at: clock() }) : [];
    // Highlights come HTML-escaped from the search service, with <mark> only.
    const items = hits
      .map((h) => `<li><a href="${escapeHtml(articleUrl(channelId, h.id, lang))}">${h.highlight ?? escapeHtml(h.title)}</a>${h.snippet ? `<div class="muted">${h.snippet}</div>` : h.summary ? `<div class="muted">${escapeHtml(h.summary)}</div>` : ''}</li>`)
      .join('');
    const heading = q ? t.results(q, hits.length) : t.search;
    const html = renderPage({
      lang,
      title: `${heading} - ${t.helpCenter}`,
      description: heading,
      canonical: `${origin(req)}/help/${channelId}/search`,
      brandName: channel.brand_name,
      channelId,
      altLangUrl: withLang(`/help/${channelId}/search?q=${encodeURIComponent(q)}`, otherLang(lang)),
      q,
      noindex: true,
      body: `<section><h1>${escapeHtml(heading)}</h1>${hits.length ? `<ul class="list">${items}</ul>` : q ? `<p>${t.noResults}</p>` : ''}</section>`,
    });
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });

  // The vote form posts urlencoded; parsed only inside this scope.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post(
      '/help/:channelId/articles/:articleId/feedback',
      { schema: { hide: true, params: articleParams, body: ZFeedbackBody }, config: { access: 'public' }, preHandler: voteLimit },
      async (req, reply) => {
        const { channelId, articleId } = req.params;
        const lang: Lang = req.body.lang ?? 'zh-CN';
        const channel = await channelOf(channelId);
        if (!channel) return notFound(reply, lang, channelId, '');
        const now = clock();
        const a = UUID.test(articleId)
          ? await db.selectFrom('kb_articles').select(['id', 'brand_id']).where('id', '=', articleId).where('brand_id', '=', channel.brand_id).where(publicNow(now)).executeTakeFirst()
          : undefined;
        if (!a) return notFound(reply, lang, channelId, channel.brand_name);
        await recordArticleUsage(db, { brandId: a.brand_id, articleId: a.id, kind: req.body.helpful === 'yes' ? 'helpful' : 'unhelpful', channel: 'help_center', at: now });
        // Post/redirect/get: a reload does not vote twice.
        return reply.code(303).header('location', `${articleUrl(channelId, a.id, lang)}${lang === 'en-US' ? '&' : '?'}voted=1`).send();
      },
    );
  });

  app.get('/help/:channelId/attachments/:attachmentId', { schema: { hide: true, params: z.object({ channelId: z.string().max(100), attachmentId: z.string().max(100) }) }, config: { access: 'public' }, preHandler: pageLimit }, async (req, reply) => {
    const { channelId, attachmentId } = req.params;
    const channel = await channelOf(channelId);
    if (!channel || !UUID.test(attachmentId)) return reply.code(404).send({ error: { code: 'resource.not_found', message: 'Attachment not found' } });
    const now = clock();
    const { row, data } = await attachments.read([channel.brand_id], attachmentId, (a: Visible) =>
      isPubliclyVisible({ status: a.status as 'published', audience: a.audience as 'public', validFrom: a.valid_from, validTo: a.valid_to }, now),
    );
    return sendAttachment(reply, row, data, 'public');
  });
}
