import path from 'node:path';
import type { DB } from '@kefu/db';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { createSearchService } from '../search/search.service.ts';
import { registerHelpCenterRoutes } from './help-center.ts';
import { createKbAttachments } from './kb.attachments.ts';
import { kbApiRoutes } from './kb.routes.ts';
import { createKbService } from './kb.service.ts';

// Knowledge base (知识库): articles, categories, versions, review, attachments, usage, help center.
//
// API under /api/v1/kb (contracts in packages/contracts/src/kb.ts; review rules and the edit rule in
// packages/domain/src/kb/article-workflow.ts):
//   POST   /kb/articles                      kb:write (status 'published' needs kb:publish) → 201 {id,…}  [stable contract]
//   GET    /kb/articles                      kb:read  filters status, audience, categoryId, tag, language, q (title), cursor
//   GET    /kb/articles/:id[?view=1]         kb:read  ?view=1 counts a view; editor loads never do
//   PATCH  /kb/articles/:id                  kb:write {version,…} → 409 kb.version_conflict; each change = new version
//   POST   /kb/articles/:id/transitions      {action: submit|approve|reject|publish|archive|restore, note?}
//   GET    /kb/articles/:id/versions         GET /kb/articles/:id/versions/:v/diff?against=  (line diff)
//   POST   /kb/articles/:id/rollback         {version, note?} → a NEW version with the old content
//   GET    /kb/articles/:id/events           review trail
//   POST   /kb/articles/:id/feedback         authenticated {helpful}
//   POST   /kb/articles/:id/usage            kb:read {kind: used_in_reply|view, channel?} → 204
//   GET    /kb/stats                         kb:read, from kb_usage over [from, to) (default 30 days)
//   GET|POST /kb/categories, PATCH /kb/categories/:id (writes need kb:publish)
//   POST   /kb/articles/:id/attachments      kb:write multipart "file": images, PDF, Office; 10 MiB; magic bytes
//   GET    /kb/attachments/:id               kb:read
// Public help center (help-center.ts): /help/:channelId, /help/:channelId/articles/:articleId,
// /help/:channelId/search?q=, POST …/articles/:articleId/feedback (form, rate-limited),
// /help/:channelId/attachments/:attachmentId. Only published, public, in-force articles.
// Every write is audited; article changes also go to the outbox as topic `kb.article`.
export type KbDeps = { db: Kysely<DB>; clock: () => Date; dataDir: string };

export { type ArticleUsageKind, recordArticleUsage } from './usage.ts';
export { createKbService, type KbService } from './kb.service.ts';

const attachmentsDir = (dataDir: string) => path.join(dataDir, 'kb-attachments');

/** Routes under /api/v1 (articles, categories, versions, review, attachments, usage). */
export const kbRoutes: FastifyPluginAsyncZod<KbDeps> = async (app, { db, clock, dataDir }) => {
  await app.register(kbApiRoutes, { kb: createKbService({ db, clock }), attachments: createKbAttachments({ db, clock, dir: attachmentsDir(dataDir) }) });
};

/** Public help center pages outside /api/v1 (server-rendered, SEO-friendly). */
export async function registerHelpCenter(app: FastifyInstance, deps: KbDeps): Promise<void> {
  await registerHelpCenterRoutes(app, {
    db: deps.db,
    clock: deps.clock,
    search: createSearchService({ db: deps.db, clock: deps.clock }),
    attachments: createKbAttachments({ db: deps.db, clock: deps.clock, dir: attachmentsDir(deps.dataDir) }),
  });
}
