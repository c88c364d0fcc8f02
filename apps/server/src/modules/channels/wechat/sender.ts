import { AppError } from '../../../platform/errors.ts';
import type { ChannelSender } from '../types.ts';
import { createWechatApiClient, type WechatApiClient } from './api-client.ts';
import { readWechatSettings } from './config.ts';

/** Each customer-service text stays under this many UTF-8 bytes; longer replies go out in parts. */
export const MAX_WECHAT_TEXT_BYTES = 2000;

/** Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character, preferring line breaks. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let bytes = 0;
    let end = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch, 'utf8');
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += ch.length;
    }
    const newline = rest.lastIndexOf('\n', end - 1);
    const cut = newline > end / 2 ? newline + 1 : end;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The WeChat ChannelSender: an agent's text reply as customer-service message(s) to the customer's openid. */
export function createWechatSender(client: WechatApiClient): ChannelSender {
  return async (channel, message) => {
    if (message.to.kind !== 'openid') throw new AppError('wechat.recipient_unsupported', 'A WeChat reply needs the customer\'s openid', { kind: message.to.kind });
    // Refused before anything is sent, so a reply never leaves half-delivered.
    if (message.attachments?.length) throw new AppError('wechat.attachments_unsupported', 'The WeChat channel sends text only', { count: message.attachments.length });
    const s = readWechatSettings(channel);
    const creds = { appId: s.appId, appSecret: s.appSecret, apiBaseUrl: s.apiBaseUrl };
    for (const part of splitUtf8(message.text, MAX_WECHAT_TEXT_BYTES)) await client.sendCustomText(creds, message.to.value, part);
    // custom/send answers no message id.
    return { externalId: null };
  };
}

/** One process-wide client: every WeChat channel shares its access-token cache. */
export const wechatApiClient: WechatApiClient = createWechatApiClient();

/** The ChannelSender the outbound pipeline registers for type "wechat". */
export const sendWechat: ChannelSender = createWechatSender(wechatApiClient);
