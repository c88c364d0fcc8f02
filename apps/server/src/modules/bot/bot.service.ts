import type { TBotChannelSettings, TBotMessageMeta } from '@kefu/contracts';
import type { ChannelRow, DB, MessageRow } from '@kefu/db';
import {
  type BotFlowContext,
  type BotHit,
  type BotLanguage,
  type BotSettings,
  type BotState,
  type BotTurnResult,
  botMenu,
  botText,
  DEFAULT_BOT_SETTINGS,
  decideBotTurn,
  detectLanguage,
  type HandoffReason,
  initialBotState,
  OPEN_STATUSES,
  turnKindOf,
} from '@kefu/domain';
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/auth-context.ts';
import type { RealtimeMessage } from '../../platform/realtime.ts';
import { type Executor, publishAll, type Pushes } from '../contacts/contacts.queries.ts';
import { appendMessage, loadAudience, messagePush } from '../contacts/messages.store.ts';
import { applyContactAction, type RoutingEngine, SUPERVISORS } from '../contacts/routing.engine.ts';
import { findChannelQueue } from '../contacts/widget.service.ts';
import { recordArticleUsage } from '../kb/usage.ts';
import type { SearchService } from '../search/search.service.ts';
import type { TicketsService } from '../tickets/tickets.service.ts';

// The self-service bot on live chat (智能助手): while a chat's contact is in `created` with
// bot = true, every customer message goes through the pure decideBotTurn over public articles;
// the reply is a `bot` message in the same conversation, each turn a bot_turns row. A handoff
// queues the contact through the same routing engine as a widget start, with an internal summary
// so the agent reads the whole transcript and the customer repeats nothing.

export const BOT_NAME = '智能助手';
/** The work-order category a bot repair request is filed under (95598 tree: 故障报修). */
export const BOT_REPAIR_CATEGORY = 'fault-repair';
const SEARCH_LIMIT = 5;

export type BotServiceDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  publish: (m: RealtimeMessage) => Promise<void>;
  routing: RoutingEngine;
  search: SearchService;
  tickets: Pick<TicketsService, 'createTicket'>;
  log?: { warn: (obj: unknown, msg: string) => void };
};

type ChannelBotConfig = Partial<TBotChannelSettings> | undefined;

/** The bot settings of a channel: off unless channels.config.bot.enabled is true. */
export function channelBotSettings(config: unknown): TBotChannelSettings {
  const bot = (config as { bot?: ChannelBotConfig } | null)?.bot;
  return { ...(bot ?? {}), enabled: bot?.enabled === true };
}

function engineSettings(s: TBotChannelSettings): BotSettings {
  const { enabled: _enabled, ...overrides } = s;
  return { ...DEFAULT_BOT_SETTINGS, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

const STATUS_LABELS: Record<string, [string, string]> = {
  accepted: ['已受理', 'received'],
  dispatched: ['已派单', 'dispatched'],
  in_progress: ['处理中', 'in progress'],
  handled: ['已处理，待回复', 'handled'],
  returned: ['处理中', 'in progress'],
};

const REASON_LABELS: Record<HandoffReason, string> = {
  customer_asked: '客户要求转人工',
  low_confidence_repeated: '连续两次未能理解客户问题',
  repeated_question: '客户重复提问（回答未解决问题）',
  negative_sentiment: '客户情绪不满',
  flow_needs_person: '自助办理需要人工',
  bot_error: '智能助手故障',
};

/** The identity the bot acts with when it files a work order for the customer. */
function botAuth(brandId: string): AuthContext {
  return {
    // No user row: created_by and the event actor stay null, the audit log names the bot.
    userId: null as unknown as string,
    username: 'bot',
    displayName: BOT_NAME,
    role: 'system',
    permissions: new Set(['ticket:create']),
    scope: 'all',
    brandIds: [brandId],
    departmentId: null,
    customerId: null,
    via: 'token',
    sessionId: null,
  };
}

type Held = {
  conversationId: string;
  brandId: string;
  channel: Pick<ChannelRow, 'id' | 'config'>;
  contactId: string;
  visitorId: string | null;
  state: BotState | null;
};

export function createBotService(deps: BotServiceDeps) {
  const { db, clock } = deps;

  /** The conversation when the bot holds it (contact in created, bot = true), else null. */
  async function held(ex: Executor, conversationId: string, lock = false): Promise<Held | null> {
    let q = ex
      .selectFrom('conversations as v')
      .innerJoin('contacts as c', 'c.id', 'v.current_contact_id')
      .innerJoin('channels as ch', 'ch.id', 'v.channel_id')
      .select(['v.id', 'v.brand_id', 'v.visitor_id', 'v.bot_state', 'v.status as conversation_status', 'c.id as contact_id', 'c.status as contact_status', 'c.bot', 'ch.id as channel_id', 'ch.config as channel_config'])
      .where('v.id', '=', conversationId);
    if (lock) q = q.forUpdate('v');
    const row = await q.executeTakeFirst();
    if (!row?.bot || row.contact_status !== 'created' || row.conversation_status !== 'open') return null;
    return {
      conversationId: row.id,
      brandId: row.brand_id,
      channel: { id: row.channel_id, config: row.channel_config },
      contactId: row.contact_id,
      visitorId: row.visitor_id,
      state: (row.bot_state as unknown as BotState | null) ?? null,
    };
  }

  async function loadContext(h: Held, needsArchive: boolean): Promise<BotFlowContext> {
    const visitor = h.visitorId ? await db.selectFrom('visitors').selectAll().where('id', '=', h.visitorId).executeTakeFirst() : undefined;
    const areas = await db.selectFrom('areas').select(['id', 'name', 'district']).orderBy('code').execute();
    const incidents = await db
      .selectFrom('incidents')
      .select(['number', 'title', 'area_ids', 'expected_restore_at'])
      .where('brand_id', '=', h.brandId)
      .where('status', '=', 'active')
      .orderBy('started_at', 'desc')
      .limit(10)
      .execute();
    const base: BotFlowContext = {
      customer: null,
      areas,
      incidents: incidents.map((i) => ({ number: i.number, title: i.title, areaIds: i.area_ids, expectedRestoreAt: i.expected_restore_at })),
      openOrders: [],
    };
    if (!visitor?.customer_id || !needsArchive) return base;
    const c = await db
      .selectFrom('customers as c')
      .leftJoin('areas as a', 'a.id', 'c.area_id')
      .select(['c.id', 'c.name', 'c.area_id', 'c.addresses', 'a.name as area_name'])
      .where('c.id', '=', visitor.customer_id)
      .executeTakeFirst();
    if (!c) return base;
    const addresses = (c.addresses ?? []) as { text: string; primary?: boolean }[];
    const address = (addresses.find((a) => a.primary) ?? addresses[0])?.text ?? null;
    const phone =
      visitor.phone ??
      (await db.selectFrom('customer_identities').select('value').where('customer_id', '=', c.id).where('kind', '=', 'phone').executeTakeFirst())?.value ??
      null;
    const orders = visitor.verified
      ? await db
          .selectFrom('tickets as t')
          .leftJoin('ticket_categories as tc', (j) => j.onRef('tc.code', '=', 't.category_code').onRef('tc.brand_id', '=', 't.brand_id'))
          .select(['t.number', 't.status', 'tc.name_zh', 'tc.name_en', 't.category_code'])
          .where('t.customer_id', '=', c.id)
          .where('t.status', 'in', [...OPEN_STATUSES])
          .where('t.merged_into_id', 'is', null)
          .orderBy('t.created_at', 'desc')
          .limit(5)
          .execute()
      : [];
    const lang = (h.state?.language ?? 'zh-CN') === 'en-US' ? 1 : 0;
    return {
      ...base,
      customer: { id: c.id, name: c.name, verified: visitor.verified, areaId: c.area_id, areaName: c.area_name, address, phone },
      openOrders: orders.map((o) => ({
        number: o.number,
        statusLabel: STATUS_LABELS[o.status]?.[lang] ?? o.status,
        categoryName: (lang ? o.name_en : o.name_zh) ?? o.category_code,
      })),
    };
  }

  async function retrieve(brandId: string, text: string, language: BotLanguage): Promise<BotHit[]> {
    // Public articles only: internal ones must never reach a customer.
    let hits = await deps.search.search({ brandIds: [brandId], q: text, audience: 'public', language, limit: SEARCH_LIMIT });
    if (hits.length === 0) hits = await deps.search.search({ brandIds: [brandId], q: text, audience: 'public', limit: SEARCH_LIMIT });
    return hits.filter((h) => h.kind === 'article' && h.audience !== 'internal').map((h) => ({ id: h.id, title: h.title, summary: h.summary ?? '', score: h.score }));
  }

  /** Posts a bot message inside `trx`; the push goes out after commit. */
  async function say(trx: Executor, h: Held, body: string, meta: TBotMessageMeta, now: Date, pushes: Pushes): Promise<MessageRow> {
    const { message } = await appendMessage(trx, {
      conversationId: h.conversationId,
      contactId: h.contactId,
      senderType: 'bot',
      senderId: null,
      senderName: BOT_NAME,
      body,
      attachment: { bot: meta },
      at: now,
    });
    pushes.push(messagePush(message, await loadAudience(trx, h.conversationId)));
    return message;
  }

  /** Closes the pending turns of a conversation with `outcome`. */
  async function settleTurns(trx: Executor, conversationId: string, outcome: 'continued' | 'handed_off' | 'abandoned' | 'resolved', onlyKinds?: string[]) {
    let q = trx.updateTable('bot_turns').set({ outcome }).where('conversation_id', '=', conversationId).where('outcome', '=', 'pending');
    if (onlyKinds) q = q.where('kind', 'in', onlyKinds);
    await q.execute();
  }

  /** The greeting when the bot takes a new chat (inside the widget start transaction). */
  async function greet(trx: Executor, input: { conversationId: string; contactId: string; brandId: string; channel: Pick<ChannelRow, 'id' | 'config'>; visitorId: string; language: BotLanguage; at: Date; pushes: Pushes }) {
    const state = initialBotState(input.language);
    await trx.updateTable('conversations').set({ bot_state: JSON.stringify(state) }).where('id', '=', input.conversationId).execute();
    const h: Held = { conversationId: input.conversationId, brandId: input.brandId, channel: input.channel, contactId: input.contactId, visitorId: input.visitorId, state };
    await say(trx, h, botText('greeting', input.language), { kind: 'greeting', options: botMenu(input.language), articleId: null, articleUrl: null, askFeedback: false }, input.at, input.pushes);
  }

  /**
   * Answers one customer message while the bot holds the conversation. Never throws: on any
   * failure the customer is handed to a person (reason bot_error).
   */
  async function respond(m: { conversationId: string; brandId: string; text: string }): Promise<void> {
    try {
      await turn(m);
    } catch (err) {
      deps.log?.warn({ err, conversationId: m.conversationId }, 'bot turn failed; handing off');
      await handOff(m.conversationId, 'bot_error', null).catch((e: unknown) => deps.log?.warn({ err: e, conversationId: m.conversationId }, 'bot handoff failed'));
    }
  }

  async function turn(m: { conversationId: string; brandId: string; text: string }) {
    const h = await held(db, m.conversationId);
    if (!h) return;
    const settings = channelBotSettings(h.channel.config);
    const language = detectLanguage(m.text, h.state?.language ?? 'zh-CN');
    const hits = await retrieve(h.brandId, m.text, language);
    const context = await loadContext(h, true);
    const helpCenterPath = `/help/${h.channel.id}`;
    const result = decideBotTurn({ text: m.text, hits, state: h.state, settings: engineSettings(settings), context, helpCenterPath });
    let reply = result.reply;
    let ticketNumber: string | null = null;
    const d = result.decision;
    if (d.kind === 'flow' && d.effect?.type === 'create_repair_order') {
      const e = d.effect;
      try {
        const created = await deps.tickets.createTicket(
          { auth: botAuth(h.brandId), requestId: `bot-${m.conversationId}`, ip: null },
          {
            customerId: e.customerId,
            categoryCode: BOT_REPAIR_CATEGORY,
            channel: 'web',
            title: result.language === 'zh-CN' ? '在线报修' : 'Online repair request',
            description: `${e.description}\n地址：${e.address}\n联系电话：${e.phone}`,
            originContactId: h.contactId,
          },
        );
        const row = await db.selectFrom('tickets').select('number').where('id', '=', created.id).executeTakeFirstOrThrow();
        ticketNumber = row.number;
        reply = botText('repair.created', result.language, { number: row.number });
      } catch (err) {
        deps.log?.warn({ err, conversationId: m.conversationId }, 'bot repair order failed');
        await handOff(m.conversationId, 'flow_needs_person', result);
        return;
      }
    }
    if (d.kind === 'handoff') {
      await handOff(m.conversationId, d.reason, result, m.text);
      return;
    }
    await record(h, m.text, result, reply, ticketNumber);
  }

  /** Stores one non-handoff turn: the bot_turns row, outcomes, unanswered list, usage, the reply. */
  async function record(h: Held, question: string, result: BotTurnResult, reply: string, ticketNumber: string | null) {
    const now = clock();
    const pushes: Pushes = [];
    const d = result.decision;
    await db.transaction().execute(async (trx) => {
      const still = await held(trx, h.conversationId, true);
      if (!still) return;
      const channel = 'chat';
      if (d.kind === 'feedback') {
        const last = await trx
          .selectFrom('bot_turns')
          .select(['id', 'article_id'])
          .where('conversation_id', '=', h.conversationId)
          .where('kind', '=', 'answer')
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (last) {
          await trx.updateTable('bot_turns').set({ outcome: d.helpful ? 'resolved' : 'continued' }).where('id', '=', last.id).execute();
          if (last.article_id) {
            await recordArticleUsage(trx, { brandId: h.brandId, articleId: last.article_id, kind: d.helpful ? 'helpful' : 'unhelpful', channel, at: now });
            if (d.helpful) await recordArticleUsage(trx, { brandId: h.brandId, articleId: last.article_id, kind: 'bot_resolved', channel, at: now });
          }
        }
      }
      await settleTurns(trx, h.conversationId, 'continued');
      const confidence = d.kind === 'answer' || d.kind === 'clarify' || d.kind === 'fallback' ? d.confidence : d.kind === 'flow' ? 1 : 0;
      const candidateIds = d.kind === 'answer' ? d.candidateIds : d.kind === 'clarify' ? d.candidates.map((c) => c.id) : d.kind === 'fallback' ? d.suggestions.map((c) => c.id) : [];
      await trx
        .insertInto('bot_turns')
        .values({
          brand_id: h.brandId,
          conversation_id: h.conversationId,
          contact_id: h.contactId,
          question: question.slice(0, 2000),
          kind: turnKindOf(d),
          article_id: result.articleId,
          candidate_ids: candidateIds,
          confidence,
          // Greetings and thanks need no outcome of their own.
          outcome: d.kind === 'feedback' || d.kind === 'greeting' ? 'continued' : d.kind === 'flow' && d.done ? (ticketNumber ? 'resolved' : 'pending') : 'pending',
          created_at: now,
        })
        .execute();
      if (d.kind === 'fallback') await recordUnanswered(trx, h.brandId, d.normalized, question, now);
      if (d.kind === 'answer') await recordArticleUsage(trx, { brandId: h.brandId, articleId: d.articleId, kind: 'bot_answer', channel, at: now });
      await trx.updateTable('conversations').set({ bot_state: JSON.stringify(result.state) }).where('id', '=', h.conversationId).execute();
      const url = result.articleId ? `/help/${h.channel.id}/articles/${result.articleId}` : null;
      await say(trx, h, reply, { kind: turnKindOf(d), options: result.options, articleId: result.articleId, articleUrl: url, askFeedback: result.askFeedback }, now, pushes);
    });
    await publishAll(deps.publish, pushes);
  }

  async function recordUnanswered(trx: Executor, brandId: string, normalized: string, sample: string, now: Date) {
    if (!normalized) return;
    await trx
      .insertInto('bot_unanswered')
      .values({ brand_id: brandId, normalized: normalized.slice(0, 500), sample: sample.slice(0, 1000), first_asked_at: now, last_asked_at: now })
      .onConflict((oc) =>
        oc.columns(['brand_id', 'normalized']).doUpdateSet((eb) => ({
          ask_count: eb('bot_unanswered.ask_count', '+', 1),
          last_asked_at: now,
          sample: sample.slice(0, 1000),
          // A question asked again after it was marked answered or ignored comes back to the list.
          status: 'open',
        })),
      )
      .execute();
  }

  /** The internal note the agent reads first: why, who, what was asked and answered. */
  async function summary(trx: Executor, h: Held, reason: HandoffReason, questions: readonly string[]): Promise<string> {
    const who = h.visitorId
      ? await trx
          .selectFrom('visitors as vi')
          .leftJoin('customers as c', 'c.id', 'vi.customer_id')
          .select(['vi.name', 'vi.verified', 'c.name as customer_name', 'c.id as customer_id'])
          .where('vi.id', '=', h.visitorId)
          .executeTakeFirst()
      : undefined;
    const identity = who?.customer_id
      ? `${who.customer_name}（${who.verified ? '已验证身份' : '未验证：按预留电话关联，请先核实身份'}）`
      : `访客${who?.name ? ` ${who.name}` : ''}（未关联客户档案）`;
    const turns = await trx
      .selectFrom('bot_turns as t')
      .leftJoin('kb_articles as a', 'a.id', 't.article_id')
      .select(['t.kind', 'a.title'])
      .where('t.conversation_id', '=', h.conversationId)
      .where('t.article_id', 'is not', null)
      .orderBy('t.id')
      .execute();
    const articles = [...new Set(turns.map((t) => t.title).filter((x): x is string => !!x))];
    const lines = [
      `【智能助手转人工】原因：${REASON_LABELS[reason]}`,
      `客户身份：${identity}`,
      `客户问题：${questions.length ? questions.map((q, i) => `${i + 1}. ${q}`).join('  ') : '（无）'}`,
      `已推送文章：${articles.length ? articles.map((t) => `《${t}》`).join('、') : '（无）'}`,
      '完整对话见上方记录，请勿让客户重复描述。',
    ];
    return lines.join('\n');
  }

  /**
   * Hands the conversation to a person: the contact enters its queue through the routing engine
   * (as a widget start without bot does), the customer sees the bot's handoff line and the queue
   * line, the agent gets an internal summary. Pending turns become handed_off.
   */
  async function handOff(conversationId: string, reason: HandoffReason, result: BotTurnResult | null, question?: string): Promise<boolean> {
    const now = clock();
    const pushes: Pushes = [];
    const done = await db.transaction().execute(async (trx) => {
      const h = await held(trx, conversationId, true);
      if (!h) return null;
      const state = result?.state ?? h.state ?? initialBotState('zh-CN');
      const lang = result?.language ?? state.language;
      const d = result?.decision;
      await settleTurns(trx, conversationId, 'handed_off');
      await trx
        .insertInto('bot_turns')
        .values({
          brand_id: h.brandId,
          conversation_id: conversationId,
          contact_id: h.contactId,
          question: (question ?? state.questions.at(-1) ?? '').slice(0, 2000),
          kind: 'handoff',
          article_id: null,
          candidate_ids: [],
          confidence: d?.kind === 'handoff' ? d.confidence : 0,
          outcome: 'handed_off',
          handoff_reason: reason,
          created_at: now,
        })
        .execute();
      if (d?.kind === 'handoff' && d.normalized && reason === 'low_confidence_repeated') await recordUnanswered(trx, h.brandId, d.normalized, question ?? '', now);
      if (state.lastAnswer) await recordArticleUsage(trx, { brandId: h.brandId, articleId: state.lastAnswer.articleId, kind: 'bot_handoff', channel: 'chat', at: now });
      await say(trx, h, botText(`handoff.${reason}`, lang), { kind: 'handoff', options: [], articleId: null, articleUrl: null, askFeedback: false }, now, pushes);

      const conv = await trx.selectFrom('conversations').select(['subject']).where('id', '=', conversationId).executeTakeFirstOrThrow();
      const channel = await trx.selectFrom('channels').selectAll().where('id', '=', h.channel.id).executeTakeFirstOrThrow();
      const q = await findChannelQueue(trx, channel, conv.subject ?? undefined);
      const row = await trx.selectFrom('contacts').selectAll().where('id', '=', h.contactId).forUpdate().executeTakeFirstOrThrow();
      await applyContactAction(trx, row, { type: 'queue', queueId: q.id }, now, null, { required_skills: q.required_skills });
      await trx.updateTable('conversations').set({ bot_state: JSON.stringify({ ...state, pending: null, flow: null, handedOff: reason }) }).where('id', '=', conversationId).execute();
      const note = await appendMessage(trx, {
        conversationId,
        contactId: h.contactId,
        senderType: 'system',
        senderId: null,
        senderName: BOT_NAME,
        body: await summary(trx, h, reason, state.questions),
        internal: true,
        at: now,
      });
      pushes.push(messagePush(note.message, await loadAudience(trx, conversationId)));
      // No separate "queued" line: the bot's own hand-off reply already tells the customer.
      if (h.visitorId) {
        pushes.push({ topic: 'contact.updated', payload: { id: h.contactId, status: 'queued', agentName: null }, visitorIds: [h.visitorId] });
        pushes.push({ topic: 'conversation.updated', payload: { conversationId, status: 'queued', agentName: null }, visitorIds: [h.visitorId] });
      }
      return { brandId: h.brandId, queueId: q.id };
    });
    if (!done) return false;
    await publishAll(deps.publish, pushes);
    await deps.publish({ topic: 'wall.changed', payload: { queueId: done.queueId }, brandId: done.brandId, permissions: SUPERVISORS });
    await deps.routing.routeBrand(done.brandId).catch((err: unknown) => deps.log?.warn({ err }, 'routing pass after bot handoff failed'));
    return true;
  }

  /**
   * The customer closed the chat (inside the widget end transaction): an answer nobody complained
   * about counts as resolved, anything else the bot was still on as abandoned.
   */
  async function onEnded(trx: Executor, conversationId: string, now: Date) {
    const last = await trx
      .selectFrom('bot_turns')
      .select(['id', 'kind', 'article_id', 'brand_id'])
      .where('conversation_id', '=', conversationId)
      .where('outcome', '=', 'pending')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!last) return;
    if (last.kind === 'answer' || last.kind === 'flow') {
      await trx.updateTable('bot_turns').set({ outcome: 'resolved' }).where('id', '=', last.id).execute();
      if (last.article_id) await recordArticleUsage(trx, { brandId: last.brand_id, articleId: last.article_id, kind: 'bot_resolved', channel: 'chat', at: now });
    }
    await settleTurns(trx, conversationId, 'abandoned');
  }

  return { respond, greet, handOff, onEnded, held };
}

export type BotService = ReturnType<typeof createBotService>;

/** Whether a channel hands new chats to the bot. */
export function isBotEnabled(ch: Pick<ChannelRow, 'config'>): boolean {
  return channelBotSettings(ch.config).enabled;
}
