// The WeChat official account adapter (微信公众号, issue 5): callback routes, sender, settings.
export {
  BIND_MENU_KEY,
  type BindingCommand,
  type BindingOutcome,
  createWechatBinding,
  MAX_FAILED_BINDINGS,
  parseBindingCommand,
  type WechatBinding,
} from './binding.ts';
export { createWechatApiClient, type WechatApiClient, type WechatCredentials, type WechatTemplateMessage } from './api-client.ts';
export {
  DEFAULT_WECHAT_API_BASE_URL,
  readWechatSettings,
  splitWechatChannelInput,
  type TWechatChannelConfig,
  type TWechatChannelInput,
  type TWechatChannelSecrets,
  type WechatSettings,
  ZWechatChannelConfig,
  ZWechatChannelInput,
  ZWechatChannelSecrets,
} from './config.ts';
export { createWechatSender, sendWechat, wechatApiClient } from './sender.ts';
export { type WechatReplyHook, type WechatRoutesOptions, wechatRoutes } from './routes.ts';
