import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import type { LoadedChannel } from '../types.ts';
import { isValidAesKey } from './crypto.ts';

export const DEFAULT_WECHAT_API_BASE_URL = 'https://api.weixin.qq.com';

const ZHttpUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .transform((u) => u.replace(/\/+$/, ''));
// WeChat: the token is 3–32 letters or digits; AppIDs look like wx + 16 hex, but test accounts differ, so only the shape is checked.
const ZToken = z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'token: 3–32 letters or digits');
const ZAppId = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'appId: letters, digits, _ or -');
const ZAppSecret = z.string().min(8).max(128);
const ZAesKey = z.string().refine(isValidAesKey, 'encodingAESKey: 43 base64 characters');

/** What the channel row's `config` (shown in the admin UI) holds for a WeChat official account. */
export const ZWechatChannelConfig = z.strictObject({
  appId: ZAppId,
  apiBaseUrl: ZHttpUrl.default(DEFAULT_WECHAT_API_BASE_URL),
});
export type TWechatChannelConfig = z.infer<typeof ZWechatChannelConfig>;

/** What the channel row's `secrets` (stored encrypted, shown masked) holds. */
export const ZWechatChannelSecrets = z.strictObject({
  token: ZToken,
  appSecret: ZAppSecret,
  /** Present = safe mode (安全模式): callbacks must be encrypted and replies are encrypted. */
  encodingAESKey: ZAesKey.optional(),
});
export type TWechatChannelSecrets = z.infer<typeof ZWechatChannelSecrets>;

/** The `config` of `POST /api/v1/channels` with type "wechat" (the issue's contract). */
export const ZWechatChannelInput = z.strictObject({
  token: ZToken,
  appId: ZAppId,
  appSecret: ZAppSecret,
  // An admin form sends "" for an empty optional field: the same as leaving it out.
  encodingAESKey: z.union([z.literal(''), ZAesKey]).optional(),
  apiBaseUrl: z.union([z.literal(''), ZHttpUrl]).optional(),
});
export type TWechatChannelInput = z.input<typeof ZWechatChannelInput>;

export type WechatSettings = TWechatChannelConfig & TWechatChannelSecrets;

function invalid(error: z.ZodError): AppError {
  return new AppError('wechat.invalid_config', 'The WeChat channel settings are invalid', {
    issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** Splits the admin's channel input into the public `config` and the encrypted `secrets`; throws `wechat.invalid_config`. */
export function splitWechatChannelInput(input: unknown): { config: TWechatChannelConfig; secrets: TWechatChannelSecrets } {
  const parsed = ZWechatChannelInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const { token, appId, appSecret, encodingAESKey, apiBaseUrl } = parsed.data;
  return {
    config: { appId, apiBaseUrl: apiBaseUrl || DEFAULT_WECHAT_API_BASE_URL },
    secrets: { token, appSecret, ...(encodingAESKey ? { encodingAESKey } : {}) },
  };
}

/** Reads a loaded channel's WeChat settings; throws `wechat.invalid_config` when the row is incomplete. */
export function readWechatSettings(channel: Pick<LoadedChannel, 'config' | 'secrets'>): WechatSettings {
  // Stored rows may carry keys of other versions: read what we know, ignore the rest.
  const config = z.object(ZWechatChannelConfig.shape).safeParse(channel.config);
  if (!config.success) throw invalid(config.error);
  const secrets = z.object(ZWechatChannelSecrets.shape).safeParse(channel.secrets);
  if (!secrets.success) throw invalid(secrets.error);
  return { ...config.data, ...secrets.data };
}
