import { createHash } from 'node:crypto';
import { AppError } from '../../../platform/errors.ts';

/** Who calls the WeChat API: the official account's AppID and AppSecret, and the API's base URL. */
export type WechatCredentials = { appId: string; appSecret: string; apiBaseUrl: string };

/** A temporary media file (临时素材) as `cgi-bin/media/get` answers it. */
export type WechatMedia = {
  data: Buffer;
  /** The Content-Type WeChat declared (lower case, without parameters); checked against the bytes by the caller. */
  contentType: string;
  /** The Content-disposition file name WeChat declared, if any (informative only). */
  fileName: string | null;
};

export type WechatMediaOptions = {
  /** Aborts the whole download (token included); e.g. AbortSignal.timeout of the callback's budget. */
  signal?: AbortSignal;
  /** A larger file is refused (`attachment.too_large`) without reading it all. */
  maxBytes: number;
};

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
  /**
   * Downloads temporary media (an incoming image's or voice message's MediaId; WeChat keeps it 3 days)
   * with `GET cgi-bin/media/get`. Errors: `wechat.api_error` (errcode JSON such as 40007 invalid
   * media_id, HTTP errors, timeouts, aborts) and `attachment.too_large`.
   */
  getMedia(creds: WechatCredentials, mediaId: string, options: WechatMediaOptions): Promise<WechatMedia>;
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
/** One attempt of an access-token API: its value, or WeChat's error (retried once when it is a token error). */
type Attempt<T> = { value: T } | { errcode: number; errmsg: string };

const MEDIA_API = 'cgi-bin/media/get';

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

  /** Waits for `promise` unless `signal` aborts first (the awaited work itself goes on for other callers). */
  function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, api: string): Promise<T> {
    if (!signal) return promise;
    if (signal.aborted) return Promise.reject(apiError(api, null, 'timed out'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(apiError(api, null, 'timed out'));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Runs an access-token API call; on an invalid or expired token (40001, 40014, 42001) refreshes once and retries. */
  async function withFreshToken<T>(creds: WechatCredentials, api: string, run: (token: string) => Promise<Attempt<T>>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await untilAborted(getAccessToken(creds), signal, api);
      const out = await run(token);
      if ('value' in out) return out.value;
      if (TOKEN_ERRORS.has(out.errcode) && attempt === 0) {
        // Drop the token only if nobody replaced it meanwhile (another caller may have refreshed already).
        const key = keyOf(creds);
        if (tokens.get(key)?.token === token) tokens.delete(key);
        continue;
      }
      throw apiError(api, out.errcode, out.errmsg);
    }
  }

  /** POSTs JSON to an access-token API; errcode 0 (or none) is success. */
  function withToken(creds: WechatCredentials, api: string, body: unknown): Promise<WechatResponse> {
    return withFreshToken<WechatResponse>(creds, api, async (token) => {
      const res = await call(api, `${creds.apiBaseUrl}/${api}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
      const errcode = typeof res.errcode === 'number' ? res.errcode : 0;
      return errcode === 0 ? { value: res } : { errcode, errmsg: typeof res.errmsg === 'string' ? res.errmsg : 'unknown error' };
    });
  }

  /** One download attempt: the file, or WeChat's errcode answer (JSON, served as application/json or text/plain). */
  async function fetchMedia(creds: WechatCredentials, token: string, mediaId: string, options: WechatMediaOptions): Promise<Attempt<WechatMedia>> {
    const q = new URLSearchParams({ access_token: token, media_id: mediaId });
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const failed = (e: unknown) => apiError(MEDIA_API, null, e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'timed out' : 'unreachable');
    let res: Response;
    try {
      res = await doFetch(`${creds.apiBaseUrl}/${MEDIA_API}?${q}`, { method: 'GET', signal });
    } catch (e) {
      // Never echo the URL: it carries the access token.
      throw failed(e);
    }
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const tooLarge = () => new AppError('attachment.too_large', `The WeChat media file is larger than ${options.maxBytes} bytes`, { maxBytes: options.maxBytes });
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    let data: Buffer | null;
    try {
      data = await readAtMost(res, options.maxBytes);
    } catch (e) {
      throw failed(e);
    }
    if (!data) throw tooLarge();
    // Errors come as JSON whose declared type varies (application/json, text/plain).
    if (contentType === 'application/json' || contentType === 'text/plain' || data.subarray(0, 16).toString('latin1').replace(/\s/g, '').startsWith('{"errcode"')) {
      let body: unknown;
      try {
        body = JSON.parse(data.toString('utf8'));
      } catch {
        throw apiError(MEDIA_API, null, `HTTP ${res.status}, ${contentType || 'no content type'} that is not JSON`);
      }
      const b = (body ?? {}) as WechatResponse;
      if (typeof b.errcode === 'number' && b.errcode !== 0) return { errcode: b.errcode, errmsg: typeof b.errmsg === 'string' ? b.errmsg : 'unknown error' };
      // Video media answers {"video_url": …}; incoming images and voice never do.
      throw apiError(MEDIA_API, null, `HTTP ${res.status}, JSON instead of a file`);
    }
    if (!res.ok) throw apiError(MEDIA_API, null, `HTTP ${res.status}`);
    return { value: { data, contentType: contentType || 'application/octet-stream', fileName: fileNameOf(res.headers.get('content-disposition')) } };
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
    getMedia(creds, mediaId, options) {
      return withFreshToken(creds, MEDIA_API, (token) => fetchMedia(creds, token, mediaId, options), options.signal);
    },
    forget(creds) {
      tokens.delete(keyOf(creds));
    },
  };
}

/** The body, or null as soon as it exceeds `maxBytes` (the rest is not read). */
async function readAtMost(res: Response, maxBytes: number): Promise<Buffer | null> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** `attachment; filename="MEDIA_ID.jpg"` → `MEDIA_ID.jpg` (RFC 6266 `filename*` preferred). */
function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
  return plain ? (plain[1] ?? plain[2] ?? null) : null;
}
