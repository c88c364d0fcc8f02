import type { WidgetApi } from './api.ts';
import type { WidgetOptions } from './config.ts';
import { resolveLanguage } from './config.ts';
import { createConnection, type Connection, type LinkStatus, type ServerFrame, type SocketLike, socketUrl, type Timers } from './connection.ts';
import { MAX_MESSAGE_CHARS, type TLanguage, type TMessage, type TOverflowAction, type TWidgetConfig, type TWidgetSession } from './contracts.ts';
import { checkUpload, type Field, type FieldErrors, type FormValues, leaveFields, preChatFields, validateForm } from './forms.ts';
import { createTranslator, type MessageKey } from './i18n.ts';
import { createClientMsgId, createOutbox, framesAfterConnect, type OutgoingMessage, sendFrame } from './outbox.ts';
import { type Phase, readStatus, type StatusChange } from './status.ts';
import type { KeyValueStore } from './storage.ts';
import { storageKey } from './storage.ts';
import type { SurveyPayload } from './survey.ts';
import { addPending, applyAck, lastSeq, markFailed, mergeMessage, pendingItem, type TimelineItem } from './timeline.ts';

// The widget's behaviour without its DOM: session, conversation, socket or polling, outbox, typing and
// read receipts. The view renders `getState()` and calls the methods; it never talks to the server.

export type View = 'loading' | 'error' | 'prechat' | 'chat' | 'leave' | 'left' | 'ended';
export type UploadState = { name: string; percent: number } | { error: MessageKey; max?: number } | null;
export type LeaveContext = { kind: TOverflowAction; reason: 'closed' | 'busy' };

export type ChatState = {
  view: View;
  open: boolean;
  language: TLanguage;
  config: TWidgetConfig | null;
  verified: boolean;
  conversationId: string | null;
  /** null before a conversation exists. */
  phase: Phase | null;
  agentName: string | null;
  queuePosition: number | null;
  items: TimelineItem[];
  agentTyping: boolean;
  link: LinkStatus;
  unread: number;
  leave: LeaveContext;
  /** The pre-chat or leave-a-message form's fields, while one is shown. */
  fields: Field[];
  upload: UploadState;
  notice: MessageKey | null;
};

export type ChatDeps = {
  options: WidgetOptions;
  api: WidgetApi;
  store: KeyValueStore;
  createSocket(url: string): SocketLike;
  timers: Timers;
  random(): number;
  /** Whether the page is visible (document.visibilityState). */
  isVisible(): boolean;
  onSurvey(payload: SurveyPayload): void;
};

export type Chat = ReturnType<typeof createChat>;

export const TYPING_SEND_INTERVAL_MS = 3000;
export const AGENT_TYPING_SHOWN_MS = 4000;
export const POLL_INTERVAL_MS = 3000;
const RETRY_REFUSED_SEND_MS = 5000;
const CLOSED: LeaveContext = { kind: 'leave_message', reason: 'closed' };

export function createChat(deps: ChatDeps) {
  const { api, timers, options } = deps;
  const key = storageKey(options.channelId);
  const outbox = createOutbox(deps.store, `${key}.outbox`);
  const listeners = new Set<(s: ChatState) => void>();
  let state: ChatState = {
    view: 'loading',
    open: false,
    language: options.language ?? 'zh-CN',
    config: null,
    verified: false,
    conversationId: null,
    phase: null,
    agentName: null,
    queuePosition: null,
    items: [],
    agentTyping: false,
    link: 'stopped',
    unread: 0,
    leave: CLOSED,
    fields: [],
    upload: null,
    notice: null,
  };

  let session: TWidgetSession | null = null;
  let sessionPending: Promise<TWidgetSession> | null = null;
  let starting: Promise<void> | null = null;
  let preChatDone = false;
  let topic: string | undefined;
  let conn: Connection | null = null;
  let pollTimer: unknown = null;
  let polling = false;
  let typingTimer: unknown = null;
  let lastTypingSentAt = -Infinity;
  let readSeq = 0; // the last seq the visitor has read (told to the server or known from the session)

  const set = (patch: Partial<ChatState>) => {
    state = { ...state, ...patch };
    for (const l of listeners) l(state);
  };
  const token = () => session?.visitorToken ?? '';

  // ---- session and conversation ----

  function ensureSession(details?: { name?: string; phone?: string; email?: string }): Promise<TWidgetSession> {
    if (session && !details) return Promise.resolve(session);
    if (sessionPending && !details) return sessionPending;
    const p = api
      .openSession({
        channelId: options.channelId,
        identityToken: options.identityToken ?? undefined,
        language: state.language,
        ...details,
      })
      .then((s) => {
        session = s;
        set({ verified: s.verified });
        return s;
      })
      .finally(() => {
        if (sessionPending === p) sessionPending = null;
      });
    sessionPending = p;
    return p;
  }

  function decideView(): View {
    const config = state.config;
    if (!config) return 'loading';
    if (state.conversationId) return 'chat';
    if (!config.open) return 'leave';
    if (!preChatDone && preChatFields(config, state.verified, '', '').length) return 'prechat';
    return 'chat';
  }

  /** Switches view; a form view gets its fields (labels in the visitor's language). */
  function goTo(view: View, leave: LeaveContext = CLOSED) {
    const t = createTranslator(state.language);
    const config = state.config;
    const fields =
      view === 'prechat' && config
        ? preChatFields(config, state.verified, state.language, t('choose'))
        : view === 'leave'
          ? leaveFields(leave.kind, { leave: t('kindLeave'), callback: t('kindCallback') })
          : [];
    set({ view, leave, fields });
  }

  /** Picks up where a previous page left off: the open conversation, or messages never delivered. */
  function adoptSession(s: TWidgetSession) {
    const conv = s.conversation?.status === 'open' ? s.conversation : null;
    outbox.retain(conv ? conv.id : null);
    if (conv) {
      readSeq = Math.max(readSeq, conv.customerReadSeq);
      outbox.bind(conv.id);
      beginConversation(conv.id);
      return;
    }
    const unsent = outbox.list();
    if (unsent.length && state.config?.open) {
      // The page was reloaded while the first message was starting the conversation.
      preChatDone = true;
      set({ items: unsent.reduce((items, m) => addPending(items, pendingItem(m)), state.items) });
      void startConversationWith(unsent[0]);
      return;
    }
    goTo(decideView());
  }

  function startConversationWith(first: OutgoingMessage | null): Promise<void> {
    if (starting) return starting;
    starting = (async () => {
      try {
        const s = await ensureSession();
        const conv = await api.startConversation(s.visitorToken, { topic, text: first?.text, clientMsgId: first?.clientMsgId });
        outbox.bind(conv.id);
        beginConversation(conv.id);
      } catch {
        // Nothing was queued: the messages typed meanwhile fail visibly instead of waiting forever.
        failPending(outbox.list().filter((m) => m.conversationId === null));
        set({ notice: 'requestFailed' });
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  function beginConversation(conversationId: string) {
    const items = outbox.pendingFor(conversationId).reduce((acc, m) => addPending(acc, pendingItem(m)), state.items);
    set({ conversationId, phase: 'queued', view: 'chat', items, notice: null });
    connect(conversationId);
  }

  /** Messages that can no longer be delivered leave the outbox and show as not sent. */
  function failPending(messages: OutgoingMessage[]) {
    let items = state.items;
    for (const m of messages) {
      outbox.remove(m.clientMsgId);
      items = markFailed(items, m.clientMsgId);
    }
    set({ items });
  }

  function finish(conversationId: string) {
    failPending(outbox.pendingFor(conversationId));
    timers.clearTimeout(typingTimer);
    set({ phase: 'ended', agentTyping: false, view: state.view === 'chat' ? 'ended' : state.view });
  }

  function stopLink() {
    conn?.stop();
    conn = null;
    stopPolling();
  }

  // ---- socket and polling ----

  function connect(conversationId: string) {
    stopLink();
    const c = createConnection({
      url: socketUrl(options.apiBase, token()),
      createSocket: deps.createSocket,
      timers,
      random: deps.random,
      onOpen() {
        for (const f of framesAfterConnect(conversationId, lastSeq(state.items), outbox.pendingFor(conversationId))) c.send(f);
        lastTypingSentAt = -Infinity;
        sendRead();
      },
      onFrame: handleFrame,
      onStatus(link) {
        set({ link });
        if (link === 'fallback') startPolling();
        else if (link === 'open') stopPolling();
        else if (link === 'unauthorized') visitorRefused();
      },
    });
    conn = c;
    c.start();
  }

  // 4401: the visitor token expired or was revoked. Its conversation is out of reach; start afresh.
  function visitorRefused() {
    stopLink();
    deps.store.remove(key);
    session = null;
    outbox.retain(null);
    set({ conversationId: null, phase: null, agentName: null, items: [], agentTyping: false });
    goTo(decideView());
  }

  function startPolling() {
    if (pollTimer !== null) return;
    pollTimer = timers.setInterval(() => void poll(), POLL_INTERVAL_MS);
    void poll();
  }

  function stopPolling() {
    if (pollTimer !== null) timers.clearInterval(pollTimer);
    pollTimer = null;
  }

  async function poll() {
    const id = state.conversationId;
    if (polling || !id || !session) return;
    polling = true;
    try {
      for (const m of await api.listMessages(token(), id, lastSeq(state.items))) onMessage(m);
      for (const p of outbox.pendingFor(id)) {
        try {
          const m = await api.sendMessage(token(), { conversationId: id, clientMsgId: p.clientMsgId, text: p.text });
          outbox.remove(p.clientMsgId);
          if (m) onMessage(m);
        } catch (err) {
          const status = (err as { status?: number }).status ?? 0;
          if (status < 400 || status >= 500 || status === 429) break; // try again next tick
          failPending([p]);
        }
      }
    } catch {
      // offline or server trouble: the next tick tries again
    } finally {
      polling = false;
    }
  }

  function deliver(m: OutgoingMessage) {
    if (!m.conversationId) return;
    if (conn?.send(sendFrame(m.conversationId, m))) return;
    if (pollTimer !== null) void poll();
    // otherwise it waits in the outbox for the next connect
  }

  // ---- frames ----

  function handleFrame(frame: ServerFrame) {
    const p = (frame.payload ?? {}) as Record<string, unknown>;
    const id = state.conversationId;
    const mine = id !== null && p.conversationId === id;
    switch (frame.topic) {
      case 'message.created':
        if (mine) onMessage(p as unknown as TMessage);
        break;
      case 'message.ack':
        if (typeof p.clientMsgId === 'string' && typeof p.seq === 'number' && typeof p.id === 'string') {
          outbox.remove(p.clientMsgId);
          set({ items: applyAck(state.items, { clientMsgId: p.clientMsgId, id: p.id, seq: p.seq }) });
        }
        break;
      case 'typing':
        if (mine && p.from === 'agent') showAgentTyping();
        break;
      case 'conversation.updated':
      case 'contact.updated':
        if (mine) applyStatus(readStatus(p.status, p.overflowAction), p.agentName, p.queuePosition);
        break;
      case 'conversation.ended':
        if (mine && id) {
          finish(id);
          stopLink();
          deps.onSurvey({ conversationId: id, survey: p.survey ?? null });
        }
        break;
      case 'error':
        if (typeof p.ref === 'string') sendRefused(p.ref, p.code);
        break;
    }
  }

  function onMessage(m: TMessage) {
    const items = mergeMessage(state.items, m);
    if (items === state.items) return;
    if (m.senderType === 'customer' && m.clientMsgId) outbox.remove(m.clientMsgId);
    const patch: Partial<ChatState> = { items };
    if (m.senderType === 'agent') {
      timers.clearTimeout(typingTimer);
      patch.agentTyping = false;
      // An agent's reply means someone took the chat, even if its status frame is still on its way.
      if (state.phase === 'queued') patch.phase = 'active';
      if (m.senderName) patch.agentName = m.senderName;
      if (m.seq > readSeq && !(state.open && deps.isVisible())) patch.unread = state.unread + 1;
    }
    set(patch);
    sendRead();
  }

  function applyStatus(change: StatusChange, agentName: unknown, queuePosition: unknown) {
    if (!change) return;
    if ('overflow' in change) {
      // No agent in time: offer leave-a-message / call back instead of the chat.
      set({ phase: 'ended', agentTyping: false });
      goTo('leave', { kind: change.overflow, reason: 'busy' });
      return;
    }
    // An ended contact only changes the header: the conversation itself ends with
    // `conversation.ended` (a transfer, for one, may queue the same conversation again).
    set({
      phase: change.phase,
      agentName: typeof agentName === 'string' && agentName ? agentName : state.agentName,
      queuePosition: change.phase === 'queued' && typeof queuePosition === 'number' ? queuePosition : null,
    });
  }

  function sendRefused(clientMsgId: string, code: unknown) {
    switch (code) {
      case 'contact.not_active': // stored anyway and shown to the agent who answers
        return;
      case 'rate.limited':
      case 'internal':
        // keep it in the outbox and try again shortly
        timers.setTimeout(() => {
          const m = outbox.list().find((x) => x.clientMsgId === clientMsgId);
          if (m) deliver(m);
        }, RETRY_REFUSED_SEND_MS);
        return;
      default:
        // validation.failed, auth.forbidden, conversation.closed…: resending cannot help
        failPending(outbox.list().filter((m) => m.clientMsgId === clientMsgId));
    }
  }

  function showAgentTyping() {
    timers.clearTimeout(typingTimer);
    set({ agentTyping: true });
    typingTimer = timers.setTimeout(() => set({ agentTyping: false }), AGENT_TYPING_SHOWN_MS);
  }

  function sendRead() {
    const id = state.conversationId;
    if (!id || !state.open || !deps.isVisible()) return;
    if (state.unread) set({ unread: 0 });
    const seq = lastSeq(state.items);
    if (seq > readSeq && conn?.send({ type: 'read', conversationId: id, seq })) readSeq = seq;
  }

  // ---- what the view calls ----

  return {
    getState: () => state,

    subscribe(listener: (s: ChatState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Loads the channel; resumes at once when this browser has a session for it. */
    async init(): Promise<void> {
      set({ view: 'loading', notice: null });
      try {
        const config = await api.getConfig(options.channelId);
        set({ config, language: resolveLanguage(options.language, config.language) });
        // A stored token means a previous page had a session: resume now (unread badge, open chat).
        if (deps.store.get(key) || state.open) adoptSession(await ensureSession());
        else goTo(decideView());
      } catch {
        set({ view: 'error' });
      }
    },

    setOpen(open: boolean) {
      set({ open });
      if (!open) return;
      // The first open creates the session (not every page view of the host site needs a visitor).
      if (!session && !sessionPending && state.config && state.view !== 'error') {
        set({ view: 'loading' });
        ensureSession().then(adoptSession, () => set({ view: 'error' }));
      }
      sendRead();
    },

    visibilityChanged: sendRead,

    online() {
      conn?.reconnectNow();
    },

    /** Enter in the input: false when the text was refused (too long, chat over). */
    send(text: string): boolean {
      const t = text.trim();
      if (!t) return true;
      if (t.length > MAX_MESSAGE_CHARS) {
        set({ notice: 'tooLong' });
        return false;
      }
      if (state.view !== 'chat') return false;
      const now = timers.now();
      const m: OutgoingMessage = {
        clientMsgId: createClientMsgId(deps.random, now),
        conversationId: state.conversationId,
        text: t,
        createdAt: new Date(now).toISOString(),
      };
      outbox.add(m);
      set({ items: addPending(state.items, pendingItem(m)), notice: null, upload: null });
      if (m.conversationId) deliver(m);
      else void startConversationWith(m);
      return true;
    },

    /** Input activity: tells the agent, at most every 3 s. */
    typing() {
      const id = state.conversationId;
      const now = timers.now();
      if (!id || state.view !== 'chat' || now - lastTypingSentAt < TYPING_SEND_INTERVAL_MS) return;
      if (conn?.send({ type: 'typing', conversationId: id })) lastTypingSentAt = now;
    },

    async attach(file: File): Promise<void> {
      const config = state.config;
      if (!config || state.view !== 'chat') return;
      const problem = checkUpload(file, config);
      if (problem) return set({ upload: problem });
      if (!state.conversationId) await startConversationWith(null);
      const id = state.conversationId;
      if (!id) return;
      set({ upload: { name: file.name, percent: 0 } });
      try {
        const m = await api.uploadAttachment(token(), id, file, (f) => set({ upload: { name: file.name, percent: Math.round(f * 100) } }));
        if (m) onMessage(m);
        set({ upload: null });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'attachment.too_large') set({ upload: { error: 'uploadTooLarge', max: config.maxUploadBytes } });
        else set({ upload: { error: code === 'attachment.type_not_allowed' ? 'uploadType' : 'uploadFailed' } });
      }
    },

    async endChat(): Promise<void> {
      const id = state.conversationId;
      if (!id || state.view !== 'chat') return;
      try {
        await api.endConversation(token(), id);
        // the server still sends conversation.ended (with the survey hook) over the socket
        finish(id);
      } catch {
        set({ notice: 'requestFailed' });
      }
    },

    /** The pre-chat or leave-a-message form: field errors, or null once handled. */
    async submitForm(values: FormValues): Promise<FieldErrors | null> {
      const errors = validateForm(state.fields, values);
      if (errors) return errors;
      const v = (name: keyof FormValues) => values[name]?.trim() || undefined;
      set({ notice: null });
      try {
        if (state.view === 'prechat') {
          // The session call takes the visitor's details (sent again with the same visitor token).
          const details = { name: v('name'), phone: v('phone'), email: v('email') };
          if (details.name || details.phone || details.email) await ensureSession(details);
          topic = v('topic');
          preChatDone = true;
          goTo(decideView());
        } else {
          const s = await ensureSession();
          const kind = values.kind === 'callback' ? 'callback' : 'leave_message';
          await api.leaveMessage(s.visitorToken, { kind, name: v('name') ?? '', phone: v('phone') ?? '', message: v('message') });
          goTo('left');
        }
      } catch {
        set({ notice: 'requestFailed' });
      }
      return null;
    },

    /** From the thank-you view: a fresh conversation with the same visitor. */
    newChat() {
      stopLink();
      set({ conversationId: null, phase: null, agentName: null, queuePosition: null, items: [], agentTyping: false, unread: 0, notice: null, upload: null, link: 'stopped' });
      goTo(decideView());
    },

    dismissNotice() {
      set({ notice: null, upload: null });
    },
  };
}

