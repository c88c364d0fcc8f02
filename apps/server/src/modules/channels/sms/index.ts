// SMS channel (issue 5): callbacks, outbound sender, config schemas.
export { checkSmsChannel, SMS_PROVIDERS, type SmsProviderName, type TSmsChannelConfig, type TSmsChannelSecrets, ZSmsChannelConfig, ZSmsChannelSecrets } from './sms.config.ts';
export { SMS_BODY_LIMIT, type SmsReceipt, type SmsRoutesDeps, type SmsUnsubscribeContext, smsChannelRoutes } from './sms.routes.ts';
export { createGenericSmsProvider, createSmsSender, type SmsProvider, type SmsProviderFactory, type SmsSenderDeps, type SmsSendOptions, type SmsSendResult } from './sms.sender.ts';
export { countSmsSegments, DEFAULT_UNSUBSCRIBE_KEYWORDS, isUnsubscribeKeyword, type SmsSegments, toArchivePhone, toE164 } from './sms.text.ts';
