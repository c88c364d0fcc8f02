import type { TConversation, TMessage, TOverflowAction, TWidgetConfig, TWidgetSession } from './contracts.ts';
import { createRequestJson, uploadFile } from './http.ts';
import { openSession, type SessionRequest, type StartConversationRequest, startConversation } from './session.ts';
import type { KeyValueStore } from './storage.ts';

// Every REST call the widget makes (docs/realtime.md, "The widget"), behind one type so the chat
// controller can be tested with a fake.

export type LeaveMessageRequest = { kind: TOverflowAction; name: string; phone: string; message?: string };

export type WidgetApi = {
  getConfig(channelId: string): Promise<TWidgetConfig>;
  openSession(request: Omit<SessionRequest, 'visitorToken'>): Promise<TWidgetSession>;
  startConversation(token: string, request: StartConversationRequest): Promise<TConversation>;
  /** Fallback for `resume`: messages with seq > after, oldest first. */
  listMessages(token: string, conversationId: string, after: number): Promise<TMessage[]>;
  /** Fallback for `message.send`; the stored message when the server returns it. */
  sendMessage(token: string, body: { conversationId: string; clientMsgId: string; text: string }): Promise<TMessage | null>;
  endConversation(token: string, conversationId: string): Promise<void>;
  leaveMessage(token: string, body: LeaveMessageRequest): Promise<void>;
  uploadAttachment(token: string, conversationId: string, file: File, onProgress: (fraction: number) => void): Promise<TMessage | null>;
};

export function createWidgetApi(apiBase: string, fetchImpl: typeof fetch, store: KeyValueStore, sessionKey: string): WidgetApi {
  const request = createRequestJson(apiBase, fetchImpl);
  const base = '/api/v1/widget';
  return {
    getConfig: (channelId) => request<TWidgetConfig>(`${base}/channels/${encodeURIComponent(channelId)}/config`),
    openSession: (body) => openSession(request, store, sessionKey, body),
    startConversation: (token, body) => startConversation(request, token, body),
    listMessages: async (token, id, after) =>
      readMessages(await request<unknown>(`${base}/conversations/${encodeURIComponent(id)}/messages?after=${after}`, { token })),
    sendMessage: async (token, body) => asMessage(await request<unknown>(`${base}/messages`, { body, token })),
    endConversation: async (token, id) => {
      await request(`${base}/conversations/${encodeURIComponent(id)}/end`, { method: 'POST', body: {}, token });
    },
    leaveMessage: async (token, body) => {
      await request(`${base}/leave-message`, { body, token });
    },
    uploadAttachment: async (token, id, file, onProgress) =>
      asMessage(await uploadFile(`${apiBase}${base}/conversations/${encodeURIComponent(id)}/attachments`, token, file, onProgress)),
  };
}

// Listings are `{ items }` pages across the API; a bare array is accepted too.
function readMessages(data: unknown): TMessage[] {
  const list = Array.isArray(data) ? data : (data as { items?: unknown } | null)?.items;
  return Array.isArray(list) ? list.filter((m) => asMessage(m) !== null) : [];
}

function asMessage(data: unknown): TMessage | null {
  const m = data as Partial<TMessage> | null;
  return m && typeof m === 'object' && typeof m.seq === 'number' && typeof m.id === 'string' ? (m as TMessage) : null;
}
