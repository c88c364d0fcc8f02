// Test-only: a local stand-in for api.weixin.qq.com that follows the published request and
// response shapes of the endpoints the adapter calls (errcode/errmsg JSON, HTTP 200 even on errors).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeWechatRequest = { method: string; path: string; query: Record<string, string>; body: unknown };

/** A file the fake serves; contentType is what it declares, whatever the bytes are. */
export type FakeMedia = { data: Buffer; contentType: string; fileName?: string };

export type FakeWechatApi = {
  baseUrl: string;
  requests: FakeWechatRequest[];
  /** Requests to one path (e.g. '/cgi-bin/token'). */
  calls(path: string): FakeWechatRequest[];
  /** Makes every issued token expired (the next use answers 42001). */
  expireTokens(): void;
  /** Revokes every issued token (the next use answers 40001, as when another process fetched a new one). */
  revokeTokens(): void;
  /** openids that last wrote more than 48 hours ago: custom/send answers 45015. */
  outsideWindow: Set<string>;
  /** Delays every answer (ms). */
  delayMs: number;
  /**
   * Temporary media served by `GET /cgi-bin/media/get` (media_id → file). An unknown media_id is
   * answered `{"errcode":40007,"errmsg":"invalid media_id"}` as text/plain, as WeChat does.
   */
  media: Map<string, FakeMedia>;
  /** Delays only media downloads (ms), after the headers are decided. */
  mediaDelayMs: number;
  close(): Promise<void>;
};

const ERR = {
  ok: { errcode: 0, errmsg: 'ok' },
  grantType: { errcode: 40002, errmsg: 'invalid grant_type' },
  appId: { errcode: 40013, errmsg: 'invalid appid' },
  secret: { errcode: 40125, errmsg: 'invalid appsecret' },
  missingToken: { errcode: 41001, errmsg: 'access_token missing' },
  invalidToken: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' },
  expiredToken: { errcode: 42001, errmsg: 'access_token expired' },
  openid: { errcode: 40003, errmsg: 'invalid openid' },
  msgType: { errcode: 40008, errmsg: 'invalid message type' },
  emptyContent: { errcode: 44004, errmsg: 'empty content' },
  window: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' },
  template: { errcode: 40037, errmsg: 'invalid template_id' },
  json: { errcode: 47001, errmsg: 'data format error' },
  notFound: { errcode: 404, errmsg: 'no such api' },
  mediaId: { errcode: 40007, errmsg: 'invalid media_id' },
};

/** A binary answer (a media file) instead of errcode JSON. */
class FileAnswer {
  constructor(readonly media: FakeMedia) {}
}
/** An errcode answer with another content type than the default JSON one. */
class TypedAnswer {
  constructor(
    readonly body: unknown,
    readonly contentType: string,
  ) {}
}

/** Starts the fake on 127.0.0.1 with the given accounts (appId → appSecret). */
export async function startFakeWechatApi(accounts: Record<string, string>): Promise<FakeWechatApi> {
  const tokens = new Map<string, { appId: string; state: 'valid' | 'expired' | 'revoked' }>();
  const requests: FakeWechatRequest[] = [];
  let msgid = 200_000_000;

  const tokenState = (query: Record<string, string>) => {
    const token = query.access_token;
    if (!token) return ERR.missingToken;
    const t = tokens.get(token);
    if (!t || t.state === 'revoked') return ERR.invalidToken;
    if (t.state === 'expired') return ERR.expiredToken;
    return null;
  };

  const handle = (path: string, method: string, query: Record<string, string>, body: unknown): unknown => {
    if (path === '/cgi-bin/token' && method === 'GET') {
      if (query.grant_type !== 'client_credential') return ERR.grantType;
      if (!(query.appid! in accounts)) return ERR.appId;
      if (accounts[query.appid!] !== query.secret) return ERR.secret;
      const token = randomBytes(48).toString('base64url');
      tokens.set(token, { appId: query.appid!, state: 'valid' });
      return { access_token: token, expires_in: 7200 };
    }
    if (path === '/cgi-bin/message/custom/send' && method === 'POST') {
      const bad = tokenState(query);
      if (bad) return bad;
      if (body === undefined) return ERR.json;
      const b = body as { touser?: unknown; msgtype?: unknown; text?: { content?: unknown } };
      if (typeof b.touser !== 'string' || !b.touser) return ERR.openid;
      if (b.msgtype !== 'text') return ERR.msgType;
      if (typeof b.text?.content !== 'string' || !b.text.content) return ERR.emptyContent;
      if (fake.outsideWindow.has(b.touser)) return ERR.window;
      return ERR.ok;
    }
    if (path === '/cgi-bin/message/template/send' && method === 'POST') {
      const bad = tokenState(query);
      if (bad) return bad;
      if (body === undefined) return ERR.json;
      const b = body as { touser?: unknown; template_id?: unknown };
      if (typeof b.touser !== 'string' || !b.touser) return ERR.openid;
      if (typeof b.template_id !== 'string' || !b.template_id) return ERR.template;
      return { ...ERR.ok, msgid: ++msgid };
    }
    if (path === '/cgi-bin/media/get' && method === 'GET') {
      const bad = tokenState(query);
      if (bad) return bad;
      const file = query.media_id ? fake.media.get(query.media_id) : undefined;
      // media/get answers its errors as JSON declared text/plain.
      return file ? new FileAnswer(file) : new TypedAnswer(ERR.mediaId, 'text/plain');
    }
    return ERR.notFound;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body });
      const answer = handle(url.pathname, req.method ?? 'GET', query, body);
      if (answer instanceof FileAnswer) {
        const { data, contentType, fileName } = answer.media;
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(200, {
            'content-type': contentType,
            'content-length': String(data.length),
            'content-disposition': `attachment; filename="${fileName ?? `${query.media_id}.jpg`}"`,
            'cache-control': 'no-cache, must-revalidate',
          });
          res.end(data);
        }, fake.delayMs + fake.mediaDelayMs);
        return;
      }
      setTimeout(() => {
        if (res.destroyed) return;
        // WeChat answers HTTP 200 with errcode in the body, content type text/plain or application/json.
        res.writeHead(200, { 'content-type': answer instanceof TypedAnswer ? answer.contentType : 'application/json; encoding=utf-8' });
        res.end(JSON.stringify(answer instanceof TypedAnswer ? answer.body : answer));
      }, fake.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeWechatApi = {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    calls: (path) => requests.filter((r) => r.path === path),
    expireTokens: () => {
      for (const t of tokens.values()) t.state = 'expired';
    },
    revokeTokens: () => {
      for (const t of tokens.values()) t.state = 'revoked';
    },
    outsideWindow: new Set(),
    delayMs: 0,
    media: new Map(),
    mediaDelayMs: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
  return fake;
}
