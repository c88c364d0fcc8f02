import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { InboundMessage } from '../types.ts';

/** The callback body limit: WeChat's XML messages are a few hundred bytes; 64 KiB is generous. */
export const MAX_WECHAT_BODY_BYTES = 64 * 1024;

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

// parseTagValue off: MsgId is a 64-bit number that a JavaScript number would round.
// Only the five predefined XML entities are decoded; documents with a DTD are refused before
// parsing (fast-xml-parser would otherwise expand DTD-declared entities).
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The top-level string fields of a WeChat `<xml>…</xml>` document; nested elements are dropped. */
export type WechatFields = Record<string, string>;

/** Parses a WeChat XML document; throws WechatXmlError on broken XML, a DTD, a foreign root or repeated fields. */
export function parseWechatXml(xml: string): WechatFields {
  // CDATA sections cannot nest, so after removing them any remaining <!DOCTYPE / <!ENTITY is markup.
  const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (/<!(DOCTYPE|ENTITY)/i.test(outsideCdata)) throw new WechatXmlError('DTDs and entity declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new WechatXmlError(`Malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = doc.xml;
  if (Object.keys(doc).length !== 1 || root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new WechatXmlError('The document root must be a single <xml> element');
  }
  const fields: WechatFields = {};
  for (const [name, value] of Object.entries(root)) {
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) throw new WechatXmlError(`Field ${name} appears more than once`);
    // Nested elements (ScanCodeInfo, SendLocationInfo, …) are not used by this adapter.
  }
  return fields;
}

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const MEDIA_ID = /^[A-Za-z0-9_\-=+/.]{1,256}$/;

/** What the adapter understood of a callback: the pipeline message (null = ignored event) and who to answer. */
export type WechatInbound = {
  message: InboundMessage | null;
  /** Our account's original id (gh_…): the FromUserName of a passive reply. */
  accountId: string;
  openid: string;
  msgType: string;
  event: string | null;
  /** Temporary media worth keeping (an image, an AMR voice message): WeChat deletes it after 3 days (media.ts). */
  media?: { kind: 'image' | 'voice'; mediaId: string } | null;
};

function required(fields: WechatFields, name: string): string {
  const value = fields[name]?.trim();
  if (!value) throw new WechatXmlError(`Missing field ${name}`);
  return value;
}

function opt(fields: WechatFields, name: string): string {
  return fields[name]?.trim() ?? '';
}

/**
 * Maps a parsed WeChat message or event to the pipeline's InboundMessage. Non-text messages get a
 * readable Chinese description; events other than subscribe, unsubscribe, SCAN, CLICK and VIEW
 * (location reports every few seconds, template delivery receipts, …) map to null and are ignored.
 */
export function mapWechatMessage(fields: WechatFields, channelId: string, at: Date): WechatInbound {
  const openid = required(fields, 'FromUserName');
  if (!OPENID.test(openid)) throw new WechatXmlError('FromUserName is not an openid');
  const accountId = required(fields, 'ToUserName');
  const createTime = required(fields, 'CreateTime');
  if (!/^\d{1,12}$/.test(createTime)) throw new WechatXmlError('CreateTime is not a number');
  const msgType = required(fields, 'MsgType').toLowerCase();
  const msgId = opt(fields, 'MsgId') || opt(fields, 'MsgID');
  if (msgId && !/^\d{1,24}$/.test(msgId)) throw new WechatXmlError('MsgId is not a number');
  // WeChat's advice: dedupe messages by MsgId, events by FromUserName + CreateTime.
  const externalId = msgId || `${openid}:${createTime}`;
  const base = { channelId, from: { kind: 'openid' as const, value: openid, name: null }, externalId, at };
  const done = (text: string, kind: InboundMessage['kind'], event: string | null = null): WechatInbound => ({
    message: { ...base, text, kind },
    accountId,
    openid,
    msgType,
    event,
  });
  const withMedia = (inbound: WechatInbound, kind: 'image' | 'voice'): WechatInbound => {
    const mediaId = opt(fields, 'MediaId');
    // MediaIds are base64-like tokens; anything else is not worth a request.
    return MEDIA_ID.test(mediaId) ? { ...inbound, media: { kind, mediaId } } : inbound;
  };
  switch (msgType) {
    case 'text':
      return done(fields.Content ?? '', 'text');
    case 'image':
      return withMedia(done(joinLines('[图片]', opt(fields, 'PicUrl')), 'image'), 'image');
    case 'voice': {
      const recognition = opt(fields, 'Recognition');
      const format = opt(fields, 'Format');
      const described = done(recognition ? `[语音] ${recognition}` : `[语音消息${format ? `，格式 ${format}` : ''}]`, 'file');
      // Speex voice cannot be played or checked here; AMR (WeChat's usual format) is kept.
      return !format || format.toLowerCase() === 'amr' ? withMedia(described, 'voice') : described;
    }
    case 'video':
    case 'shortvideo':
      return done(msgType === 'video' ? '[视频消息]' : '[小视频消息]', 'file');
    case 'location': {
      const label = opt(fields, 'Label');
      const where = `纬度 ${opt(fields, 'Location_X')}，经度 ${opt(fields, 'Location_Y')}${opt(fields, 'Scale') ? `，缩放 ${opt(fields, 'Scale')}` : ''}`;
      return done(`[位置] ${label ? `${label}（${where}）` : where}`, 'text');
    }
    case 'link':
      return done(joinLines(`[链接] ${opt(fields, 'Title')}`, opt(fields, 'Description'), opt(fields, 'Url')), 'text');
    case 'event':
      return mapEvent(fields, done, { accountId, openid, msgType });
    default:
      return done(`[暂不支持的消息类型：${msgType.slice(0, 32)}]`, 'text');
  }
}

function mapEvent(
  fields: WechatFields,
  done: (text: string, kind: InboundMessage['kind'], event: string | null) => WechatInbound,
  who: { accountId: string; openid: string; msgType: string },
): WechatInbound {
  const event = required(fields, 'Event');
  const key = opt(fields, 'EventKey');
  switch (event.toLowerCase()) {
    case 'subscribe': {
      // Subscribing through a parametric QR code carries EventKey "qrscene_<scene>".
      const scene = key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : '';
      return done(scene ? `[事件] 扫码关注了公众号（场景 ${scene}）` : '[事件] 关注了公众号', 'event', 'subscribe');
    }
    case 'unsubscribe':
      return done('[事件] 取消关注了公众号', 'event', 'unsubscribe');
    case 'scan':
      return done(`[事件] 扫描了二维码（场景 ${key}）`, 'event', 'SCAN');
    case 'click':
      return done(`[事件] 点击菜单：${key}`, 'event', 'CLICK');
    case 'view':
      return done(`[事件] 打开菜单链接：${key}`, 'event', 'VIEW');
    default:
      return { message: null, ...who, event };
  }
}

function joinLines(...lines: string[]): string {
  return lines.filter((l) => l.length > 0).join('\n');
}

// Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/FFFF).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** A CDATA section carrying any text safely: `]]>` is split across two sections, non-XML characters dropped. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(NOT_XML_CHAR, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** A passive text reply (被动回复文本消息): to the customer's openid, from our account's original id. */
export function buildTextReply(input: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(input.toUser)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(input.createTime)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(input.content)}</Content></xml>`
  );
}

/** The safe-mode envelope of an encrypted passive reply (the layout of WeChat's WXBizMsgCrypt samples). */
export function buildEncryptedReply(input: { encrypt: string; msgSignature: string; timestamp: string; nonce: string }): string {
  return (
    `<xml><Encrypt>${cdata(input.encrypt)}</Encrypt><MsgSignature>${cdata(input.msgSignature)}</MsgSignature>` +
    `<TimeStamp>${input.timestamp.replace(/\D/g, '')}</TimeStamp><Nonce>${cdata(input.nonce)}</Nonce></xml>`
  );
}
