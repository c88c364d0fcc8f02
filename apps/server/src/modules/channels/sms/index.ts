// SMS channel (issue 5): callbacks, outbound sender, config schemas.
export { checkSmsChannel, SMS_PROVIDERS, type SmsProviderName, type TSmsChannelConfig, type TSmsChannelSecrets, ZSmsChannelConfig, ZSmsChannelSecrets } from './sms.config.ts';
export { SMS_BODY_LIMIT, type SmsReceipt, type SmsRoutesDeps, type SmsUnsubscribeContext, smsChannelRoutes } from './sms.routes.ts';
export { smsAdminRoutes, ZNoticeSent, ZSendNoticeRequest, ZSmsOptOut, ZSmsOptOuts } from './sms.admin.routes.ts';
export { listOptOuts, type NoticeDeps, type NoticeInput, type NoticeResult, type OptOutItem, sendNotice } from './sms.notices.ts';
export { createSmsCallbackStore, isOptedOut, recordOptIn, recordOptOut, recordSmsReceipt, type SmsStoreDeps } from './sms.store.ts';
export { createGenericSmsProvider, createSmsSender, type SmsProvider, type SmsProviderFactory, type SmsSenderDeps, type SmsSendOptions, type SmsSendResult } from './sms.sender.ts';
export {
  countSmsSegments,
  DEFAULT_RESUBSCRIBE_KEYWORDS,
  DEFAULT_UNSUBSCRIBE_KEYWORDS,
  isResubscribeKeyword,
  isUnsubscribeKeyword,
  type SmsSegments,
  toArchivePhone,
  toE164,
  withUnsubscribeHint,
} from './sms.text.ts';
