import type { TConversation, TLanguage, TWidgetSession } from './contracts.ts';
import { isApiError, type RequestJson } from './http.ts';
import type { KeyValueStore } from './storage.ts';

// The visitor's session: POST /api/v1/widget/sessions returns a visitor token, kept in localStorage
// under kefu.widget.<channelId> so that a reload resumes the same visitor and open conversation.

export type SessionRequest = {
  channelId: string;
  visitorToken?: string;
  identityToken?: string;
  name?: string;
  phone?: string;
  email?: string;
  language?: TLanguage;
};

export type StartConversationRequest = { topic?: string; text?: string; clientMsgId?: string };

/**
 * After a 401, what to try next: an identity token the server refuses (bad signature, expired)
 * falls back to an anonymous session, a stale visitor token to a new visitor. null: give up.
 */
export function nextSessionAttempt(tried: SessionRequest, error: unknown): SessionRequest | null {
  if (!isApiError(error) || error.status !== 401) return null;
  const { identityToken, visitorToken, ...rest } = tried;
  if (error.code === 'widget.invalid_visitor' && visitorToken) return identityToken ? { ...rest, identityToken } : rest;
  if (identityToken) return visitorToken ? { ...rest, visitorToken } : rest;
  if (visitorToken) return rest;
  return null;
}

export async function openSession(
  requestJson: RequestJson,
  store: KeyValueStore,
  key: string,
  request: Omit<SessionRequest, 'visitorToken'>,
): Promise<TWidgetSession> {
  const stored = store.get(key);
  let body: SessionRequest = stripEmpty(stored ? { ...request, visitorToken: stored } : request);
  for (;;) {
    try {
      const session = await requestJson<TWidgetSession>('/api/v1/widget/sessions', { body });
      store.set(key, session.visitorToken);
      return session;
    } catch (err) {
      const next: SessionRequest | null = nextSessionAttempt(body, err);
      if (!next) throw err;
      if (body.visitorToken && !next.visitorToken) store.remove(key);
      body = next;
    }
  }
}

/** Queues a new chat for an agent; `text` + `clientMsgId` carry the visitor's first message. */
export function startConversation(requestJson: RequestJson, visitorToken: string, request: StartConversationRequest): Promise<TConversation> {
  return requestJson<TConversation>('/api/v1/widget/conversations', { body: stripEmpty(request), token: visitorToken });
}

// The API's bodies are strict: leave out empty optional fields rather than sending "".
function stripEmpty<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}
