import type { TLanguage } from './contracts.ts';

// Reads the embed options from the widget's own <script> tag. Pure: the caller passes the tag's
// attributes, so tests need no DOM.

export type WidgetOptions = {
  channelId: string;
  /** From data-language or the browser; null means "use the channel's default". */
  language: TLanguage | null;
  color: string | null;
  position: 'left' | 'right';
  identityToken: string | null;
  /** The origin the script was served from: every API call and the socket go there. */
  apiBase: string;
};

export type ScriptTag = { src: string; getAttribute(name: string): string | null };

export type ReadOptionsResult = { ok: true; options: WidgetOptions } | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Only plain hex colours reach the style sheet, so an attribute cannot inject CSS.
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function readOptions(script: ScriptTag, navigatorLanguages: readonly string[]): ReadOptionsResult {
  const channelId = (script.getAttribute('data-channel') ?? '').trim();
  if (!UUID.test(channelId)) return { ok: false, reason: 'data-channel is not a channel id' };
  let apiBase = '';
  try {
    apiBase = new URL(script.src).origin;
  } catch {
    // an inline copy of the script: no origin to talk to
  }
  if (!apiBase.startsWith('http')) return { ok: false, reason: 'load the script from the Kefu server' };
  return {
    ok: true,
    options: {
      channelId: channelId.toLowerCase(),
      language: pickLanguage(script.getAttribute('data-language'), navigatorLanguages),
      color: safeColor(script.getAttribute('data-color')),
      position: script.getAttribute('data-position')?.trim().toLowerCase() === 'left' ? 'left' : 'right',
      identityToken: readIdentityToken(script.getAttribute('data-identity-token')),
      apiBase,
    },
  };
}

/** data-language wins; otherwise the browser's first zh or en preference; otherwise null. */
export function pickLanguage(attribute: string | null, navigatorLanguages: readonly string[]): TLanguage | null {
  for (const tag of [attribute ?? '', ...navigatorLanguages]) {
    const t = tag.trim().toLowerCase();
    if (t.startsWith('zh')) return 'zh-CN';
    if (t.startsWith('en')) return 'en-US';
    // An explicit but unsupported data-language falls through to the browser's.
  }
  return null;
}

export function safeColor(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  return HEX_COLOR.test(v) ? v : null;
}

/**
 * Checks the shape of data-identity-token (`base64url(JSON payload).base64url(HMAC)` with a payload
 * carrying `sub` and `exp`, see docs/realtime.md) and returns it unchanged, or null when it cannot be
 * a token. The signature and expiry are the server's to judge (the visitor's clock may be wrong); a
 * token the server refuses makes the widget fall back to an anonymous session.
 */
export function readIdentityToken(value: string | null | undefined): string | null {
  const token = value?.trim() ?? '';
  if (!token) return null;
  if (!isIdentityToken(token)) {
    console.warn('[kefu widget] bad data-identity-token ignored');
    return null;
  }
  return token;
}

export function isIdentityToken(token: string): boolean {
  const [payload, signature, extra] = token.split('.');
  if (extra !== undefined || !BASE64URL.test(payload) || !BASE64URL.test(signature ?? '')) return false;
  try {
    // atob yields the UTF-8 bytes as Latin-1 characters: still valid JSON, enough to check the shape.
    const p = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof p?.sub === 'string' && p.sub !== '' && typeof p.exp === 'number';
  } catch {
    return false;
  }
}

/** The channel's language when neither data-language nor the browser chose one. */
export function resolveLanguage(chosen: TLanguage | null, channelDefault: string | undefined): TLanguage {
  return chosen ?? (channelDefault === 'en-US' ? 'en-US' : 'zh-CN');
}
