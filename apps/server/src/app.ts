import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { Database } from '@kefu/db';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import { auditRoutes } from './modules/audit/index.ts';
import {
  contactsRoutes,
  createChatFiles,
  createContactsService,
  createConversationsService,
  createFrameHandler,
  createRoutingAdmin,
  createRoutingEngine,
  createWidgetService,
  routingRoutes,
  widgetRoutes,
} from './modules/contacts/index.ts';
import { authRoutes, createAuthService, SESSION_COOKIE } from './modules/auth/index.ts';
import { createCustomerImport, createCustomersService, customersRoutes } from './modules/customers/index.ts';
import { classifyRoutes } from './modules/classify/index.ts';
import { kbRoutes, registerHelpCenter } from './modules/kb/index.ts';
import { referenceRoutes } from './modules/reference/index.ts';
import { searchRoutes } from './modules/search/index.ts';
import { createScriptsService, scriptsRoutes } from './modules/scripts/index.ts';
import { createSearchService } from './modules/search/search.service.ts';
import { createInbound } from './modules/channels/inbound.ts';
import { createOutbound } from './modules/channels/outbound.ts';
import { createEmailRunner } from './modules/channels/email-runner.ts';
import { apiChannelRoutes, createApiSender } from './modules/channels/api/index.ts';
import { createEmailSender } from './modules/channels/email/index.ts';
import { createSmsSender, smsAdminRoutes, smsChannelRoutes } from './modules/channels/sms/index.ts';
import { sendWechat, wechatRoutes } from './modules/channels/wechat/index.ts';
import { createChannelsAdmin } from './modules/channels/channels.admin.ts';
import { channelsRoutes } from './modules/channels/channels.routes.ts';
import { createCtiAgent } from './modules/channels/cti/cti.agent.ts';
import { ctiAgentRoutes } from './modules/channels/cti/cti.agent.routes.ts';
import { createCtiCalls } from './modules/channels/cti/cti.calls.ts';
import { createCtiSelfService } from './modules/channels/cti/cti.self-service.ts';
import { createCtiSettings } from './modules/channels/cti/cti.settings.ts';
import { createCtiOriginator, createIvrAdmin, ctiRoutes, ivrRoutes, loadPublishedIvr } from './modules/channels/cti/index.ts';
import { assistRoutes, createAssistService } from './modules/assist/index.ts';
import { botRoutes, createBotAdmin, createBotService, isBotEnabled } from './modules/bot/index.ts';
import {
  createTicketOperations,
  createTicketsService,
  createWorkOrderConfigCache,
  createTicketAttachments,
  createWorkOrderSettings,
  ticketAttachmentsRoutes,
  sweepSla,
  ticketOperationsRoutes,
  ticketsRoutes,
  workOrderSettingsRoutes,
} from './modules/tickets/index.ts';
import { createUsersService, usersRoutes } from './modules/users/index.ts';
import { registerAccessControl } from './platform/access.ts';
import { AppError } from './platform/errors.ts';
import { registerErrorHandling } from './platform/http.ts';
import { createJobRunner } from './platform/jobs.ts';
import { relayOutbox } from './platform/outbox-relay.ts';
import { createLocalBus, createRealtimeHub, createRedisBus, type RealtimeBus, type RealtimeMessage, registerRealtimeRoute } from './platform/realtime.ts';

export type AppDeps = {
  config: Config;
  database: Database;
  clock?: () => Date;
  logger?: FastifyServerOptions['logger'];
  bus?: RealtimeBus;
  webDistDir?: string | null;
  /** Background jobs off in tests that drive them by hand. */
  jobs?: boolean;
  /** How long work-order configuration is cached (tests use 0 to load it on every use). */
  configTtlMs?: number;
  /** Where /widget.js is read from (default apps/widget/dist). */
  widgetDistDir?: string;
  /** Widget rate limits per IP and per visitor (tests raise or lower them). */
  widgetLimits?: { perMinute: number; sessionsPerMinute: number };
};

const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const DEFAULT_WIDGET_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../widget/dist');
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** A chat the self-service bot holds closes after this long without a message. */
export const BOT_IDLE_MS = 30 * 60_000;

/** Builds the whole server (API, realtime, jobs, web app) without listening. */
export async function buildApp(deps: AppDeps) {
  const { config, database } = deps;
  const db = database.db;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{6,80}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('auth', null);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
  });

  registerErrorHandling(app);
  const routeTable = registerAccessControl(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 }, throwFileSizeLimit: true });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kefu API', version: '1', description: 'Kefu customer service center API. Errors: { "error": { "code", "message", "details" } }.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const auth = createAuthService({ db, clock, sessionSecret: config.sessionSecret, sessionTtlHours: config.sessionTtlHours });

  // Resolve the caller once per request: bearer token first, then the session cookie.
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      req.auth = await auth.authenticateToken(header.slice(7).trim());
      if (!req.auth) throw new AppError('auth.invalid_token', 'The API token is invalid, expired or revoked');
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.auth = await auth.authenticateSession(token);
  });

  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, async () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) }));
  app.get('/readyz', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ready', database: database.kind };
    } catch {
      return reply.code(503).send({ error: { code: 'service.unavailable', message: 'Database is not reachable' } });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  const bus = deps.bus ?? (config.redisUrl ? createRedisBus(config.redisUrl) : createLocalBus());
  const hub = createRealtimeHub(bus);
  const publish = hub.publish;
  const routing = createRoutingEngine({ db, clock, publish });
  const contacts = createContactsService({ db, clock, publish, routing, log: app.log });
  // The bot (created below, after the tickets service it files repair orders with) answers chats it holds.
  const conversations = createConversationsService({
    db,
    clock,
    publish,
    log: app.log,
    onVisitorMessage: (m) => bot.respond(m),
    // Replies in WeChat, email, SMS and API conversations leave through their channel.
    onStaffMessage: (m) => void outbound.deliver(m.messageId),
  });
  const widget = createWidgetService({
    db, clock, secret: config.sessionSecret, publish, routing, contacts, log: app.log,
    bot: { enabled: isBotEnabled, greet: (trx, input) => bot.greet(trx, input), respond: (m) => bot.respond(m), onEnded: (trx, id, now) => bot.onEnded(trx, id, now) },
  });
  const routingAdmin = createRoutingAdmin({ db, clock });
  // Outside channels (issue 5): one inbound pipeline, senders per channel type.
  // The bot's own messages in WeChat, SMS, email or API conversations leave through their channel.
  const publishAndDeliverBot = async (m: RealtimeMessage) => {
    await publish(m);
    const payload = m.payload as { id?: string; senderType?: string; internal?: boolean } | undefined;
    if (m.topic === 'message.created' && payload?.senderType === 'bot' && !payload.internal && payload.id) void outbound.deliver(payload.id);
  };
  const inbound = createInbound({
    db,
    clock,
    files: { dir: path.join(config.dataDir, 'chat-files') },
    publish: publishAndDeliverBot,
    routing,
    log: app.log,
    // The bot is created below (after the tickets service it files repair orders with).
    bot: () => ({ enabled: isBotEnabled, greet: (trx, input) => bot.greet(trx, input), respond: (m) => bot.respond(m), onEnded: (trx, id, now) => bot.onEnded(trx, id, now) }),
  });
  const smsSender = createSmsSender({ clock });
  const outbound = createOutbound({
    db,
    clock,
    sessionSecret: config.sessionSecret,
    publish,
    publicUrl: config.publicUrl ?? null,
    senders: {
      wechat: sendWechat,
      email: createEmailSender({ clock }),
      sms: (channel, message) => smsSender.sendSms(channel, message),
      api: createApiSender({ clock }).sendApiWebhook,
    },
    log: app.log,
  });
  const emailRunner = createEmailRunner({ db, clock, receive: inbound.receive, loadChannel: outbound.channels.load, log: app.log });
  // One search service per process: the bot, agent assist and the help center share its synonym cache.
  const search = createSearchService({ db, clock });
  const chatFiles = createChatFiles({ db, dir: path.join(config.dataDir, 'chat-files'), conversations });
  registerRealtimeRoute(app, hub, {
    authenticateVisitor: async (token) => {
      try {
        const v = widget.authenticate(token);
        return { visitorId: v.visitorId, brandId: v.brandId };
      } catch {
        return null;
      }
    },
    onFrame: createFrameHandler(conversations),
  });
  registerWidgetAssets(app, deps.widgetDistDir ?? DEFAULT_WIDGET_DIST);

  const customers = createCustomersService({ db, clock });
  // Phone calls through CTI channels: the PBX's events build the call's contact; answered calls pop the caller's archive.
  const ctiAgent = createCtiAgent({ db, clock, publish, customers, loadChannel: outbound.channels.load, originate: createCtiOriginator({ clock }) });
  const ctiCalls = createCtiCalls({ db, clock, publish, loadIvr: (channelId) => loadPublishedIvr(db, channelId), onAnswered: (a) => ctiAgent.pushScreenPop(a) });
  const imports = createCustomerImport({ db, customers });
  const users = createUsersService({ db, clock });
  const workOrderConfig = createWorkOrderConfigCache(db, deps.configTtlMs);
  const tickets = createTicketsService({ db, clock, config: workOrderConfig });
  const ticketOperations = createTicketOperations({ db, clock, config: workOrderConfig, tickets });
  const bot = createBotService({
    db,
    clock,
    publish: publishAndDeliverBot,
    routing,
    search,
    tickets,
    log: app.log,
  });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { auth, db, sessionTtlHours: config.sessionTtlHours, secureCookies: 'auto' });
      await api.register(customersRoutes, { customers, imports });
      await api.register(usersRoutes, { users });
      await api.register(auditRoutes, { db });
      await api.register(referenceRoutes, { db });
      await api.register(ticketsRoutes, { tickets });
      await api.register(ticketOperationsRoutes, { operations: ticketOperations });
      await api.register(ticketAttachmentsRoutes, { attachments: createTicketAttachments({ db, tickets, dir: path.join(config.dataDir, 'attachments'), clock }) });
      await api.register(contactsRoutes, { contacts, conversations, files: chatFiles });
      await api.register(routingRoutes, { admin: routingAdmin });
      await api.register(ctiAgentRoutes, { calls: ctiAgent, settings: createCtiSettings({ db, clock }) });
      await api.register(channelsRoutes, { admin: createChannelsAdmin({ db, clock, key: outbound.channels.key, inbound }) });
      await api.register(smsAdminRoutes, { db, loadChannel: outbound.channels.load, sendSms: smsSender.sendSms });
      await api.register(ivrRoutes, { ivr: createIvrAdmin({ db, clock }) });
      await api.register(widgetRoutes, { widget, conversations, files: chatFiles, limits: deps.widgetLimits });
      await api.register(workOrderSettingsRoutes, { settings: createWorkOrderSettings({ db, config: workOrderConfig, clock }) });
      await api.register(kbRoutes, { db, clock, dataDir: config.dataDir });
      await api.register(searchRoutes, { db, clock });
      await api.register(scriptsRoutes, { scripts: createScriptsService({ db, clock }) });
      await api.register(classifyRoutes, { db, clock });
      await api.register(botRoutes, { admin: createBotAdmin({ db, clock }) });
      await api.register(assistRoutes, { assist: createAssistService({ db, search, conversations }) });
    },
    { prefix: '/api/v1' },
  );
  await registerHelpCenter(app, { db, clock, dataDir: config.dataDir });
  // Outside channels' inbound endpoints (public, each authenticated by its platform's signature).
  const channelDeps = { loadChannel: outbound.channels.load, receive: inbound.receive, clock, log: app.log };
  await app.register(wechatRoutes, { ...channelDeps, db, media: {} });
  await app.register(smsChannelRoutes, { ...channelDeps, db, publish });
  await app.register(apiChannelRoutes, channelDeps);
  await app.register(ctiRoutes, {
    loadChannel: outbound.channels.load,
    clock,
    log: app.log,
    onEvent: ctiCalls.onEvent,
    loadIvr: (channel) => loadPublishedIvr(db, channel.id),
    selfService: createCtiSelfService({ db }),
  });

  const webDist = deps.webDistDir === undefined ? DEFAULT_WEB_DIST : deps.webDistDir;
  const hasWeb = webDist !== null && existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      index: ['index.html'],
      maxAge: '1h',
      // Hashed assets may be cached; the HTML that names them must be revalidated.
      setHeaders: (res, filePath) => {
        if (filePath.endsWith('.html')) res.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler({ preHandler: undefined }, (req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    if (hasWeb && req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/ws') && !path.extname(url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: { code: 'route.not_found', message: `No route ${req.method} ${url}`, requestId: req.id } });
  });

  const jobs = createJobRunner(app.log);
  if (deps.jobs !== false) {
    jobs.every('outbox-relay', 500, () => relayOutbox(db, bus));
    jobs.every('sla-sweeper', 5000, () => sweepSla(db, workOrderConfig, clock()));
    // Offer timeouts, account-manager waits and overflows need a clock; passes are cheap when idle.
    jobs.every('routing', 1000, () => routing.tick());
    // Chats the bot holds are closed after 30 idle minutes (the customer left without ending).
    jobs.every('bot-idle-chats', 60_000, () => widget.closeIdleBotChats(BOT_IDLE_MS));
    jobs.every('channel-outbound', 15_000, () => outbound.retryPending());
    // Email channels' SMTP listeners and IMAP pollers follow the channel table (added, changed, disabled).
    jobs.every('email-channels', 30_000, () => emailRunner.sync());
  }

  app.addHook('onClose', async () => {
    hub.closeAll();
    await jobs.stop();
    await emailRunner.stop();
    await bus.close();
  });

  return Object.assign(app, { routeTable, services: { auth, customers, users, imports, tickets, workOrderConfig, routing, contacts, conversations, widget, inbound, outbound, emailRunner }, hub, bus, relayOutbox: () => relayOutbox(db, bus), sweepSla: (at?: Date) => sweepSla(db, workOrderConfig, at ?? clock()) });
}

/**
 * The widget bundle at /widget.js (the embed contract) and its demo host page at /widget/demo.
 * Read once at boot; a missing bundle answers 503 with a hint instead of a 404.
 */
function registerWidgetAssets(app: FastifyInstance, dir: string) {
  const file = path.join(dir, 'widget.js');
  const bundle = existsSync(file) ? readFileSync(file) : null;
  const demoFile = path.resolve(dir, '..', 'demo.html');
  const demo = existsSync(demoFile) ? readFileSync(demoFile) : null;
  app.get('/widget.js', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    if (!bundle) return reply.code(503).send({ error: { code: 'service.unavailable', message: 'The widget is not built: run npm run build -w @kefu/widget' } });
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(bundle);
  });
  app.get('/widget/demo', { schema: { hide: true }, config: { access: 'public' } }, async (_req, reply) => {
    if (!demo) return reply.code(404).send({ error: { code: 'route.not_found', message: 'No widget demo page' } });
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(demo);
  });
}

export type App = Awaited<ReturnType<typeof buildApp>>;
