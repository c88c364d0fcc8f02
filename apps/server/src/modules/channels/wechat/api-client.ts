import { createHash } from 'node:crypto';
import { AppError } from '../../../platform/errors.ts';

/** Who calls the WeChat API: the official account's AppID and AppSecret, and the API's base URL. */
export type WechatCredentials = { appId: string; appSecret: string; apiBaseUrl: string };

/** A template message (模板消息): `data` maps the template's keywords to values. */
export type WechatTemplateMessage = {
  touser: string;
  templateId: string;
  url?: string | null;
  miniprogram?: { appid: string; pagepath?: string } | null;
  data: Record<string, { value: string; color?: string }>;
  /** WeChat drops a second send with the same client_msg_id (its own idempotency key). */
  clientMsgId?: string | null;
};

export type WechatApiClient = {
  /** A cached access token; refreshed ahead of expiry, one refresh at a time per account. */
  getAccessToken(creds: WechatCredentials): Promise<string>;
  /** Customer-service text message (客服消息), allowed within 48 hours of the customer's last message. */
  sendCustomText(creds: WechatCredentials, openid: string, content: string): Promise<void>;
  /** Template message; returns WeChat's msgid. */
  sendTemplate(creds: WechatCredentials, message: WechatTemplateMessage): Promise<{ msgid: string | null }>;
  /** Forgets the cached token (e.g. after the AppSecret changed). */
  forget(creds: WechatCredentials): void;
};

export type WechatApiClientOptions = {
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; tests move it to expire tokens. */
  now?: () => number;
  /** Refresh this long before WeChat's expires_in runs out (default 300 s). */
  refreshMarginSeconds?: number;
  /** Per request (default 5 s). */
  timeoutMs?: number;
};

// 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired: fetch a new one once.
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const REPLY_WINDOW_CLOSED = 45015;

type WechatResponse = { errcode?: number; errmsg?: string; [key: string]: unknown };

function apiError(api: string, errcode: number | null, errmsg: string): AppError {
  if (errcode === REPLY_WINDOW_CLOSED) {
    return new AppError('wechat.reply_window_closed', 'The customer wrote more than 48 hours ago; WeChat refuses customer-service messages', { api, errcode, errmsg });
  }
  return new AppError('wechat.api_error', `WeChat API ${api} failed${errcode !== null ? ` (errcode ${errcode})` : ''}: ${errmsg}`, { api, errcode, errmsg });
}

export function createWechatApiClient(options: WechatApiClientOptions = {}): WechatApiClient {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const marginMs = (options.refreshMarginSeconds ?? 300) * 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const refreshing = new Map<string, Promise<string>>();

  // The secret's digest is part of the key, so a changed AppSecret never reuses an old token.
  const keyOf = (c: WechatCredentials) => `${c.apiBaseUrl}\n${c.appId}\n${createHash('sha256').update(c.appSecret).digest('hex')}`;

  async function call(api: string, url: string, init: RequestInit): Promise<WechatResponse> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      // Never echo the URL: it carries the secret or the access token.
      throw apiError(api, null, e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'unreachable');
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw apiError(api, null, `HTTP ${res.status}, not JSON`);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError(api, null, `HTTP ${res.status}, unexpected body`);
    if (!res.ok) {
      const b = body as WechatResponse;
      throw apiError(api, typeof b.errcode === 'number' ? b.errcode : null, typeof b.errmsg === 'string' ? b.errmsg : `HTTP ${res.status}`);
    }
    return body as WechatResponse;
  }

  async function fetchToken(creds: WechatCredentials): Promise<string> {
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: creds.appId, secret: creds.appSecret });
    const started = now();
    const body = await call('cgi-bin/token', `${creds.apiBaseUrl}/cgi-bin/token?${q}`, { method: 'GET' });
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw apiError('cgi-bin/token', typeof body.errcode === 'number' ? body.errcode : null, typeof body.errmsg === 'string' ? body.errmsg : 'no access_token');
    }
    const ttlMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 7200) * 1000;
    // Counted from when we asked, and at least half the lifetime even when the margin is larger.
    tokens.set(keyOf(creds), { token: body.access_token, expiresAt: started + Math.max(ttlMs - marginMs, ttlMs / 2) });
    return body.access_token;
  }

  function getAccessToken(creds: WechatCredentials): Promise<string> {
    const key = keyOf(creds);
    const cached = tokens.get(key);
    if (cached && now() < cached.expiresAt) return Promise.resolve(cached.token);
    let pending = refreshing.get(key);
    if (!pending) {
      pending = fetchToken(creds).finally(() => refreshing.delete(key));
      refreshing.set(key, pending);
    }
    return pending;
  }

  /** Calls an access-token API; on an invalid or expired token refreshes once and retries. */
  async function withToken(creds: WechatCredentials, api: string, body: unknown): Promise<WechatResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await getAccessToken(creds);
      const res = await call(api, `${creds.apiBaseUrl}/${api}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
      const errcode = typeof res.errcode === 'number' ? res.errcode : 0;
      if (errcode === 0) return res;
      if (TOKEN_ERRORS.has(errcode) && attempt === 0) {
        // Drop the token only if nobody replaced it meanwhile (another caller may have refreshed already).
        const key = keyOf(creds);
        if (tokens.get(key)?.token === token) tokens.delete(key);
        continue;
      }
      throw apiError(api, errcode, typeof res.errmsg === 'string' ? res.errmsg : 'unknown error');
    }
  }

  return {
    getAccessToken,
    async sendCustomText(creds, openid, content) {
      await withToken(creds, 'cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
    },
    async sendTemplate(creds, m) {
      const res = await withToken(creds, 'cgi-bin/message/template/send', {
        touser: m.touser,
        template_id: m.templateId,
        ...(m.url ? { url: m.url } : {}),
        ...(m.miniprogram ? { miniprogram: m.miniprogram } : {}),
        data: m.data,
        ...(m.clientMsgId ? { client_msg_id: m.clientMsgId } : {}),
      });
      return { msgid: typeof res.msgid === 'number' || typeof res.msgid === 'string' ? String(res.msgid) : null };
    },
    forget(creds) {
      tokens.delete(keyOf(creds));
    },
  };
}
