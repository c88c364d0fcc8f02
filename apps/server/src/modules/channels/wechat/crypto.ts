import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// WeChat's message encryption ("安全模式", WXBizMsgCrypt):
//   key       = base64decode(EncodingAESKey + '=')  (43 characters → 32 bytes, AES-256)
//   iv        = key[0..16)
//   plaintext = 16 random bytes + uint32 big-endian length of msg + msg (UTF-8) + appId
//   padding   = PKCS#7 to a multiple of 32 bytes (not AES's 16: WeChat's choice)
//   Encrypt   = base64(AES-256-CBC(plaintext))
const BLOCK = 32;

export class WechatCryptoError extends Error {
  constructor(readonly reason: 'bad_key' | 'bad_ciphertext' | 'bad_padding' | 'bad_length' | 'app_id_mismatch') {
    super(`WeChat message decryption failed: ${reason}`);
    this.name = 'WechatCryptoError';
  }
}

/** Decodes the 43-character EncodingAESKey into the 32-byte AES key; throws on anything else. */
export function decodeAesKey(encodingAESKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAESKey)) throw new WechatCryptoError('bad_key');
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('bad_key');
  return key;
}

/** True for a syntactically valid EncodingAESKey (43 base64 characters decoding to 32 bytes). */
export function isValidAesKey(encodingAESKey: string): boolean {
  try {
    decodeAesKey(encodingAESKey);
    return true;
  } catch {
    return false;
  }
}

/** Encrypts a message (usually reply XML) for `appId`; `random` (16 bytes) only for test vectors. */
export function encryptMessage(key: Buffer, appId: string, message: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new Error('random prefix must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/**
 * Decrypts an Encrypt payload and checks the trailing AppID. Every failure (not base64, not whole
 * blocks, wrong padding, impossible length, another account's AppID) throws WechatCryptoError.
 */
export function decryptMessage(key: Buffer, encrypted: string, expectedAppId: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw new WechatCryptoError('bad_ciphertext');
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('bad_ciphertext');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WechatCryptoError('bad_ciphertext');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WechatCryptoError('bad_padding');
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) throw new WechatCryptoError('bad_padding');
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw new WechatCryptoError('bad_length');
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) throw new WechatCryptoError('bad_length');
  const appId = content.subarray(4 + length).toString('utf8');
  if (appId !== expectedAppId) throw new WechatCryptoError('app_id_mismatch');
  return content.subarray(4, 4 + length).toString('utf8');
}
