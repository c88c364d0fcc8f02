import { describe, expect, it } from 'vitest';
import { decodeAesKey, decryptMessage, encryptMessage, isValidAesKey, WechatCryptoError } from './crypto.ts';
import { splitWechatChannelInput, readWechatSettings } from './config.ts';
import { msgSignature, safeEqual, urlSignature, verifySignature } from './signature.ts';
import { buildEncryptedReply, buildTextReply, cdata, mapWechatMessage, parseWechatXml, WechatXmlError } from './xml.ts';
import { splitUtf8 } from './sender.ts';

// Published vectors: Tencent's WXBizMsgCrypt samples (Java test and Python demo) and wechatpy's test suite.
const SAMPLE_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const PY_DEMO = {
  token: 'spamtest',
  timestamp: '1409735669',
  nonce: '1320562132',
  appId: 'wx2c2769f8efd9abc2',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
};

describe('WeChat signatures', () => {
  it('matches the published URL-verification vector and refuses a one-character change', () => {
    expect(urlSignature('test', '1410685589', 'test')).toBe('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff');
    const expected = urlSignature('test', '1410685589', 'test');
    expect(verifySignature(expected, 'f21891de399b4e33a1a93c9a7b8a8fffb5a443ff')).toBe(true);
    expect(verifySignature(expected, 'F21891DE399B4E33A1A93C9A7B8A8FFFB5A443FF')).toBe(true);
    expect(verifySignature(expected, 'f21891de399b4e33a1a93c9a7b8a8fffb5a443fe')).toBe(false);
    expect(verifySignature(expected, undefined)).toBe(false);
    expect(verifySignature(expected, 'f21891de')).toBe(false);
  });

  it('sorts the parts before hashing, so the order of arguments does not matter but every part does', () => {
    expect(urlSignature('b', 'a', 'c')).toBe(urlSignature('c', 'b', 'a'));
    expect(urlSignature('tok', '1700000000', 'n1')).not.toBe(urlSignature('tok', '1700000000', 'n2'));
  });

  it('matches the published msg_signature of Tencent\'s Python demo', () => {
    expect(msgSignature(PY_DEMO.token, PY_DEMO.timestamp, PY_DEMO.nonce, PY_DEMO.encrypt)).toBe(PY_DEMO.msgSignature);
  });

  it('compares in constant time without throwing on different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('微信', '微信')).toBe(true);
  });
});

describe('WeChat safe-mode encryption', () => {
  const key = decodeAesKey(SAMPLE_KEY);

  it('decodes the 43-character EncodingAESKey into a 32-byte key and refuses other shapes', () => {
    expect(key.length).toBe(32);
    expect(isValidAesKey(SAMPLE_KEY)).toBe(true);
    expect(isValidAesKey(SAMPLE_KEY.slice(1))).toBe(false);
    expect(isValidAesKey(`${SAMPLE_KEY.slice(1)}!`)).toBe(false);
    expect(() => decodeAesKey('short')).toThrow(WechatCryptoError);
  });

  it('produces the published ciphertext of Tencent\'s Java test (fixed random prefix, Chinese text)', () => {
    const out = encryptMessage(key, 'wxb11529c136998cb6', '我是中文abcd123', Buffer.from('aaaabbbbccccdddd'));
    expect(out).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
    expect(decryptMessage(key, out, 'wxb11529c136998cb6')).toBe('我是中文abcd123');
  });

  it('decrypts the published message of Tencent\'s Python demo', () => {
    const xml = decryptMessage(key, PY_DEMO.encrypt, PY_DEMO.appId);
    const fields = parseWechatXml(xml);
    expect(fields).toMatchObject({ ToUserName: 'gh_10f6c3c3ac5a', FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', MsgType: 'text', Content: 'abcdteT', MsgId: '6054768590064713728' });
  });

  it('round-trips English, Chinese and empty messages with padding to 32-byte blocks', () => {
    for (const message of ['', 'hello', '你好，请问我的订单到哪了？', 'x'.repeat(31), 'y'.repeat(32), '😀'.repeat(100)]) {
      const enc = encryptMessage(key, 'wxappid0001', message);
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(decryptMessage(key, enc, 'wxappid0001')).toBe(message);
    }
  });

  it('refuses another account\'s AppID, a different key, tampered or truncated ciphertext', () => {
    const enc = encryptMessage(key, 'wxappid0001', '<xml>hi</xml>');
    const reason = (f: () => unknown) => {
      try {
        f();
        return 'none';
      } catch (e) {
        return e instanceof WechatCryptoError ? e.reason : 'other';
      }
    };
    expect(reason(() => decryptMessage(key, enc, 'wxappid0002'))).toBe('app_id_mismatch');
    const otherKey = decodeAesKey('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut');
    expect(['bad_padding', 'bad_length', 'app_id_mismatch']).toContain(reason(() => decryptMessage(otherKey, enc, 'wxappid0001')));
    const bytes = Buffer.from(enc, 'base64');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
    expect(['bad_padding', 'bad_length', 'app_id_mismatch']).toContain(reason(() => decryptMessage(key, bytes.toString('base64'), 'wxappid0001')));
    expect(reason(() => decryptMessage(key, enc.slice(0, 20), 'wxappid0001'))).toBe('bad_ciphertext');
    expect(reason(() => decryptMessage(key, 'not base64 !!', 'wxappid0001'))).toBe('bad_ciphertext');
  });
});

describe('WeChat XML', () => {
  const at = new Date('2026-11-27T08:00:00Z');
  const xml = (inner: string) => `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[oUser_123-abc]]></FromUserName><CreateTime>1795766400</CreateTime>${inner}</xml>`;
  const map = (inner: string) => mapWechatMessage(parseWechatXml(xml(inner)), 'ch-1', at);

  it('maps a text message, keeping the 64-bit MsgId exact', () => {
    const m = map('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 <b>&amp; ]]></Content><MsgId>9223372036854775807</MsgId>');
    expect(m.message).toEqual({ channelId: 'ch-1', from: { kind: 'openid', value: 'oUser_123-abc', name: null }, externalId: '9223372036854775807', text: '你好 <b>&amp; ', kind: 'text', at });
    expect(m.accountId).toBe('gh_account');
  });

  it('describes image, voice, location and link messages in Chinese', () => {
    expect(map('<MsgType>image</MsgType><PicUrl>http://mmbiz.qpic.cn/x.jpg</PicUrl><MediaId>m1</MediaId><MsgId>1</MsgId>').message).toMatchObject({ kind: 'image', text: '[图片]\nhttp://mmbiz.qpic.cn/x.jpg' });
    expect(map('<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><MsgId>2</MsgId>').message?.text).toBe('[语音消息，格式 amr]');
    expect(map('<MsgType>voice</MsgType><MediaId>m</MediaId><Format>amr</Format><Recognition>查一下快递</Recognition><MsgId>3</MsgId>').message?.text).toBe('[语音] 查一下快递');
    expect(map('<MsgType>location</MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州市天河区]]></Label><MsgId>4</MsgId>').message?.text).toBe(
      '[位置] 广州市天河区（纬度 23.134521，经度 113.358803，缩放 20）',
    );
    expect(map('<MsgType>link</MsgType><Title>Order help</Title><Description>desc</Description><Url>https://example.com/a</Url><MsgId>5</MsgId>').message?.text).toBe('[链接] Order help\ndesc\nhttps://example.com/a');
  });

  it('maps subscribe, unsubscribe, CLICK and VIEW events with FromUserName:CreateTime as the id, and ignores location reports', () => {
    const sub = map('<MsgType>event</MsgType><Event>subscribe</Event>');
    expect(sub.message).toMatchObject({ kind: 'event', externalId: 'oUser_123-abc:1795766400', text: '[事件] 关注了公众号' });
    expect(map('<MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_store42</EventKey>').message?.text).toBe('[事件] 扫码关注了公众号（场景 store42）');
    expect(map('<MsgType>event</MsgType><Event>unsubscribe</Event>').message?.text).toBe('[事件] 取消关注了公众号');
    expect(map('<MsgType>event</MsgType><Event>CLICK</Event><EventKey>HUMAN_AGENT</EventKey>').message).toMatchObject({ text: '[事件] 点击菜单：HUMAN_AGENT', kind: 'event' });
    expect(map('<MsgType>event</MsgType><Event>VIEW</Event><EventKey>https://shop.example.com</EventKey>').message?.text).toBe('[事件] 打开菜单链接：https://shop.example.com');
    const loc = map('<MsgType>event</MsgType><Event>LOCATION</Event><Latitude>23.1</Latitude><Longitude>113.3</Longitude><Precision>119</Precision>');
    expect(loc.message).toBeNull();
  });

  it('refuses broken XML, DTDs (entity expansion), foreign roots, repeated and missing fields', () => {
    const bad = [
      '<xml><ToUserName>a</ToUserName>',
      'not xml at all',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>',
      '<root><a>1</a></root>',
      '<xml><a>1</a></xml><xml><a>2</a></xml>',
      xml('<MsgType>text</MsgType><Content>a</Content><Content>b</Content>'),
    ];
    for (const b of bad) expect(() => parseWechatXml(b), b).toThrow(WechatXmlError);
    expect(() => mapWechatMessage(parseWechatXml('<xml><MsgType>text</MsgType></xml>'), 'c', at)).toThrow(WechatXmlError);
    expect(() => map('<MsgType>text</MsgType><Content>x</Content><MsgId>12abc</MsgId>')).toThrow(WechatXmlError);
  });

  it('accepts "<!DOCTYPE" typed by a customer inside CDATA', () => {
    expect(map('<MsgType>text</MsgType><Content><![CDATA[<!DOCTYPE html> 是什么？]]></Content><MsgId>7</MsgId>').message?.text).toBe('<!DOCTYPE html> 是什么？');
  });

  it('builds a passive reply whose content cannot break out of CDATA or inject elements', () => {
    const hostile = 'a]]><MsgType>news</MsgType><Content>x</Content>]]>\u0000\u0008 end';
    const out = buildTextReply({ toUser: 'oUser', fromUser: 'gh_account', createTime: 1795766400, content: hostile });
    const fields = parseWechatXml(out);
    expect(fields.MsgType).toBe('text');
    expect(fields.Content).toBe('a]]><MsgType>news</MsgType><Content>x</Content>]]> end');
    expect(Object.keys(fields).sort()).toEqual(['Content', 'CreateTime', 'FromUserName', 'MsgType', 'ToUserName']);
    expect(cdata(']]>')).toBe('<![CDATA[]]]]><![CDATA[>]]>');
  });

  it('builds the encrypted reply envelope in the layout of WeChat\'s samples', () => {
    const env = parseWechatXml(buildEncryptedReply({ encrypt: 'QUJD', msgSignature: 'abc', timestamp: '1795766400', nonce: '123' }));
    expect(env).toEqual({ Encrypt: 'QUJD', MsgSignature: 'abc', TimeStamp: '1795766400', Nonce: '123' });
  });
});

describe('WeChat channel settings', () => {
  it('splits the admin input into config and secrets, defaulting the API base URL', () => {
    const out = splitWechatChannelInput({ token: 'kefuToken1', appId: 'wx1234567890abcdef', appSecret: 'secret-0123456789', encodingAESKey: SAMPLE_KEY });
    expect(out).toEqual({ config: { appId: 'wx1234567890abcdef', apiBaseUrl: 'https://api.weixin.qq.com' }, secrets: { token: 'kefuToken1', appSecret: 'secret-0123456789', encodingAESKey: SAMPLE_KEY } });
    const plain = splitWechatChannelInput({ token: 'kefuToken1', appId: 'wxtest0001', appSecret: 'secret-0123456789', apiBaseUrl: 'http://127.0.0.1:9999/' });
    expect(plain.config.apiBaseUrl).toBe('http://127.0.0.1:9999');
    expect(plain.secrets).not.toHaveProperty('encodingAESKey');
    expect(splitWechatChannelInput({ token: 'kefuToken1', appId: 'wxtest0001', appSecret: 'secret-0123456789', encodingAESKey: '', apiBaseUrl: '' })).toEqual({
      config: { appId: 'wxtest0001', apiBaseUrl: 'https://api.weixin.qq.com' },
      secrets: { token: 'kefuToken1', appSecret: 'secret-0123456789' },
    });
    expect(readWechatSettings({ config: { ...plain.config, extra: 1 }, secrets: plain.secrets })).toMatchObject({ appId: 'wxtest0001', token: 'kefuToken1' });
  });

  it('refuses a bad key, a non-http base URL, unknown fields and missing secrets with wechat.invalid_config', () => {
    const base = { token: 'kefuToken1', appId: 'wxtest0001', appSecret: 'secret-0123456789' };
    for (const input of [{ ...base, encodingAESKey: 'short' }, { ...base, apiBaseUrl: 'file:///etc/passwd' }, { ...base, extra: 1 }, { appId: 'wxtest0001' }, { ...base, token: '令牌' }]) {
      expect(() => splitWechatChannelInput(input)).toThrow(expect.objectContaining({ code: 'wechat.invalid_config' }));
    }
  });
});

describe('splitUtf8', () => {
  it('keeps short text whole and splits long Chinese text within the byte limit without breaking characters', () => {
    expect(splitUtf8('hello', 10)).toEqual(['hello']);
    const parts = splitUtf8('你好世界'.repeat(300), 2000);
    expect(parts.join('')).toBe('你好世界'.repeat(300));
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2000);
    const lines = splitUtf8(`${'a'.repeat(15)}\n${'b'.repeat(10)}`, 20);
    expect(lines).toEqual([`${'a'.repeat(15)}\n`, 'b'.repeat(10)]);
  });
});
