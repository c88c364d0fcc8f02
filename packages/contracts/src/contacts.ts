import { z } from 'zod';
import { ZBotMessageMeta } from './bot.ts';
import { ZTimestamp } from './common.ts';

// Live contact handling: contacts, conversations, messages, presence, queues, the widget's
// public API. docs/realtime.md describes the WebSocket frames that carry the same shapes.

export const ZContactChannel = z.enum(['chat', 'call', 'wechat', 'sms', 'email', 'walk_in', 'outbound']);
export const ZContactStatus = z.enum(['created', 'queued', 'offered', 'active', 'on_hold', 'wrap_up', 'closed']);
export const ZPresenceState = z.enum(['online', 'busy', 'away', 'offline']);
export const ZOverflowAction = z.enum(['leave_message', 'callback']);

export const ZContact = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  channel: ZContactChannel,
  direction: z.enum(['inbound', 'outbound']),
  status: ZContactStatus,
  queueId: z.string().nullable(),
  queueName: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  offerAgentId: z.string().nullable(),
  offerExpiresAt: ZTimestamp.nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  priority: z.enum(['vulnerable', 'key_account', 'normal']),
  requiredSkills: z.array(z.string()),
  createdAt: ZTimestamp,
  queuedAt: ZTimestamp.nullable(),
  /** Since when it waits in its current queue (reset by a transfer); null when not waiting. */
  waitingSince: ZTimestamp.nullable(),
  offeredAt: ZTimestamp.nullable(),
  answeredAt: ZTimestamp.nullable(),
  endedAt: ZTimestamp.nullable(),
  wrappedUpAt: ZTimestamp.nullable(),
  waitSeconds: z.number().nullable(),
  handleSeconds: z.number().nullable(),
  endReason: z.string().nullable(),
  overflowAction: ZOverflowAction.nullable(),
  reasonCode: z.string().nullable(),
  outcome: z.string().nullable(),
  note: z.string().nullable(),
  /** The caller's number or address, masked (138****5678) unless the reader holds customer:unmask. */
  fromAddress: z.string().nullable(),
  /** The widget visitor's name (pre-chat form or identity token), when the contact came from web chat. */
  visitorName: z.string().nullable(),
  transferCount: z.number(),
  abuse: z.object({ stage: z.string(), warnings: z.number() }).nullable(),
  ticketIds: z.array(z.string()),
  version: z.number(),
});
export type TContact = z.infer<typeof ZContact>;

export const ZContactEvent = z.object({
  id: z.number(),
  type: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  at: ZTimestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const ZContactDetail = ZContact.extend({ events: z.array(ZContactEvent) });
export type TContactDetail = z.infer<typeof ZContactDetail>;

export const ZContactListQuery = z.strictObject({
  customerId: z.uuid().optional(),
  agentId: z.uuid().optional(),
  queueId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  channel: ZContactChannel.optional(),
  status: ZContactStatus.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ZMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number(),
  contactId: z.string().nullable(),
  senderType: z.enum(['customer', 'agent', 'system', 'bot']),
  senderId: z.string().nullable(),
  senderName: z.string().nullable(),
  kind: z.enum(['text', 'image', 'file', 'event']),
  body: z.string(),
  attachment: z.object({ name: z.string(), size: z.number(), contentType: z.string(), url: z.string() }).nullable(),
  internal: z.boolean(),
  clientMsgId: z.string().nullable(),
  createdAt: ZTimestamp,
  /** Set on messages of the self-service bot (quick replies, article link, feedback). */
  bot: ZBotMessageMeta.nullable().optional(),
  /** An agent's reply on an outside channel (WeChat, email, SMS, API): whether it left, and `delivered` once an SMS receipt confirms it reached the phone (`message.delivery` pushes changes). */
  delivery: z.object({ status: z.enum(['pending', 'sent', 'delivered', 'failed']), error: z.string().nullable() }).nullable().optional(),
});
export type TMessage = z.infer<typeof ZMessage>;

export const ZConversation = z.object({
  id: z.string(),
  channel: ZContactChannel,
  channelId: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  visitorId: z.string().nullable(),
  visitorName: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  subject: z.string().nullable(),
  currentContactId: z.string().nullable(),
  lastSeq: z.number(),
  customerReadSeq: z.number(),
  agentReadSeq: z.number(),
  lastMessageAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  closedAt: ZTimestamp.nullable(),
});
export type TConversation = z.infer<typeof ZConversation>;

export const ZConversationListQuery = z.strictObject({
  customerId: z.uuid().optional(),
  channelId: z.uuid().optional(),
  status: z.enum(['open', 'closed']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Oldest first. `after`: messages with seq > after (resume); `cursor`: the next page of the same listing. */
export const ZMessageListQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  cursor: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  includeInternal: z.enum(['true', 'false']).optional(),
});

export const MAX_MESSAGE_CHARS = 4000;
export const ZSendMessageRequest = z.strictObject({
  text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
  /** Idempotency key chosen by the client: resending the same key returns the stored message. */
  clientMsgId: z.string().min(1).max(64).optional(),
  /** A whisper: visible to staff only (supervisor coaching). */
  internal: z.boolean().optional(),
});

export const ZPresence = z.object({
  agentId: z.string(),
  state: ZPresenceState,
  reason: z.string().nullable(),
  since: ZTimestamp,
});
export const ZSetPresenceRequest = z.strictObject({ state: ZPresenceState, reason: z.string().min(1).max(40).optional() });

export const ZAgentDesk = z.object({
  presence: ZPresence,
  skills: z.array(z.string()),
  capacity: z.object({ limits: z.record(z.string(), z.number()), blending: z.enum(['shared', 'per_channel']) }),
  reasons: z.object({ busy: z.array(z.string()), away: z.array(z.string()) }),
  contacts: z.array(ZContact),
});
export type TAgentDesk = z.infer<typeof ZAgentDesk>;

export const ZTransferRequest = z.strictObject({
  to: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('agent'), agentId: z.uuid() }),
    z.strictObject({ kind: z.literal('queue'), queueId: z.uuid() }),
  ]),
  note: z.string().max(500).optional(),
});
export const ZWrapUpRequest = z.strictObject({
  reasonCode: z.string().min(1).max(120),
  outcome: z.enum(['resolved', 'ticket_created', 'follow_up', 'transferred', 'unresolved']).optional(),
  note: z.string().max(2000).optional(),
});
export const ZAbuseRequest = z.strictObject({ action: z.enum(['warn', 'request_closure', 'approve_closure', 'reject_closure']) });
export const ZVersionBody = z.strictObject({ version: z.number().int().min(1).optional() });

export const ZQueue = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  channels: z.array(ZContactChannel),
  requiredSkills: z.array(z.string()),
  calendarId: z.string().nullable(),
  maxWaitSeconds: z.number(),
  accountManagerWaitSeconds: z.number(),
  afterHoursAction: ZOverflowAction,
  overflowAction: ZOverflowAction,
  callbackWithinMinutes: z.number(),
  serviceLevelSeconds: z.number(),
  offerTimeoutSeconds: z.number(),
  maxOffers: z.number(),
  active: z.boolean(),
});
export type TQueue = z.infer<typeof ZQueue>;
const queueFields = {
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(60),
  channels: z.array(ZContactChannel).min(1),
  requiredSkills: z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).max(10),
  calendarId: z.uuid().nullable(),
  maxWaitSeconds: z.number().int().min(10).max(86_400),
  accountManagerWaitSeconds: z.number().int().min(0).max(3600),
  afterHoursAction: ZOverflowAction,
  overflowAction: ZOverflowAction,
  callbackWithinMinutes: z.number().int().min(5).max(10_080),
  serviceLevelSeconds: z.number().int().min(5).max(3600),
  offerTimeoutSeconds: z.number().int().min(5).max(300),
  maxOffers: z.number().int().min(1).max(20),
  active: z.boolean(),
};
export const ZCreateQueueRequest = z.strictObject({ code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(40), ...queueFields }).partial().required({ code: true, nameZh: true, nameEn: true });
export const ZUpdateQueueRequest = z.strictObject(queueFields).partial();

export const ZReasonCode = z.object({ code: z.string(), parentCode: z.string().nullable(), nameZh: z.string(), nameEn: z.string(), active: z.boolean() });
export const ZCreateReasonCodeRequest = z.strictObject({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/).max(120),
  nameZh: z.string().trim().min(1).max(60),
  nameEn: z.string().trim().min(1).max(60),
});
export const ZCallbackTask = z.object({
  id: z.string(),
  contactId: z.string().nullable(),
  customerId: z.string().nullable(),
  queueId: z.string().nullable(),
  kind: ZOverflowAction,
  name: z.string().nullable(),
  phone: z.string().nullable(),
  message: z.string().nullable(),
  dueAt: ZTimestamp,
  status: z.enum(['open', 'done', 'cancelled']),
  assigneeId: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: ZTimestamp,
  doneAt: ZTimestamp.nullable(),
});
export const ZCompleteCallbackRequest = z.strictObject({ outcome: z.string().trim().min(1).max(500), status: z.enum(['done', 'cancelled']).default('done') });

export const ZWallQueue = z.object({
  id: z.string(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  waiting: z.number(),
  longestWaitSeconds: z.number(),
  agentsOnline: z.number(),
  agentsFree: z.number(),
  offeredToday: z.number(),
  answeredToday: z.number(),
  abandonedToday: z.number(),
  /** Share of today's answered+abandoned contacts answered within the queue's threshold, 0–1. */
  serviceLevelToday: z.number().nullable(),
  averageWaitSecondsToday: z.number().nullable(),
});
export const ZWallAgent = z.object({
  id: z.string(),
  displayName: z.string(),
  workNumber: z.string().nullable(),
  teamName: z.string().nullable(),
  state: ZPresenceState,
  reason: z.string().nullable(),
  since: ZTimestamp,
  skills: z.array(z.string()),
  contacts: z.array(z.object({ id: z.string(), conversationId: z.string().nullable(), channel: ZContactChannel, status: ZContactStatus, customerName: z.string().nullable(), since: ZTimestamp })),
});
export const ZAgentSummary = z.object({
  id: z.string(),
  displayName: z.string(),
  workNumber: z.string().nullable(),
  state: ZPresenceState,
  skills: z.array(z.string()),
});

export const ZWall = z.object({
  at: ZTimestamp,
  queues: z.array(ZWallQueue),
  agents: z.array(ZWallAgent),
  waiting: z.array(ZContact),
  pendingClosures: z.array(ZContact),
});
export type TWall = z.infer<typeof ZWall>;

// ---- Web chat widget (public, visitor-token authenticated) ----

export const ZWidgetConfig = z.object({
  channelId: z.string(),
  name: z.string(),
  greeting: z.string(),
  color: z.string(),
  language: z.enum(['zh-CN', 'en-US']),
  open: z.boolean(),
  preChat: z.object({ enabled: z.boolean(), fields: z.array(z.object({ name: z.enum(['name', 'phone', 'email']), required: z.boolean() })) }),
  topics: z.array(z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string() })),
  maxUploadBytes: z.number(),
  allowedUploadTypes: z.array(z.string()),
});
export type TWidgetConfig = z.infer<typeof ZWidgetConfig>;

export const ZWidgetSessionRequest = z.strictObject({
  channelId: z.uuid(),
  /** A previous session's token: resumes the same visitor (page reload). */
  visitorToken: z.string().max(600).optional(),
  /** Signed by the host site with the channel's identity secret: identifies a logged-in customer. */
  identityToken: z.string().max(2000).optional(),
  name: z.string().trim().max(60).optional(),
  phone: z.string().trim().max(30).optional(),
  email: z.email().max(120).optional(),
  language: z.enum(['zh-CN', 'en-US']).optional(),
});
export const ZWidgetSession = z.object({
  visitorToken: z.string(),
  visitorId: z.string(),
  verified: z.boolean(),
  name: z.string().nullable(),
  conversation: ZConversation.nullable(),
});
export const ZWidgetStartRequest = z.strictObject({
  topic: z.string().max(40).optional(),
  text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS).optional(),
  clientMsgId: z.string().min(1).max(64).optional(),
});
export const ZWidgetMessageRequest = z.strictObject({
  conversationId: z.uuid(),
  text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
  clientMsgId: z.string().min(1).max(64),
});
export const ZWidgetLeaveMessageRequest = z.strictObject({
  kind: ZOverflowAction,
  name: z.string().trim().min(1).max(60),
  phone: z.string().trim().min(5).max(30),
  message: z.string().trim().max(1000).optional(),
});

// ---- Channels (admin). Issue 5 adds wechat/email/sms/cti configs; webchat is configured here. ----
export const ZChannel = z.object({
  id: z.string(),
  type: z.enum(['webchat', 'wechat', 'email', 'sms', 'cti', 'api']),
  name: z.string(),
  config: z.record(z.string(), z.unknown()),
  /** Secret names with masked values ("••••1a2b"); a secret is shown in full once, when created. */
  secrets: z.record(z.string(), z.string()),
  queueId: z.string().nullable(),
  enabled: z.boolean(),
  /** Last inbound/outbound success or error of an outside channel. */
  health: z.record(z.string(), z.unknown()),
  createdAt: ZTimestamp,
});
export const ZWebchatConfig = z.strictObject({
  greeting: z.string().max(200).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  language: z.enum(['zh-CN', 'en-US']).optional(),
  preChat: z.strictObject({ enabled: z.boolean(), fields: z.array(z.strictObject({ name: z.enum(['name', 'phone', 'email']), required: z.boolean() })).max(3) }).optional(),
  topics: z
    .array(z.strictObject({ code: z.string().regex(/^[a-z0-9-]{1,40}$/), labelZh: z.string().min(1).max(40), labelEn: z.string().min(1).max(40), queueCode: z.string().max(40).optional() }))
    .max(12)
    .optional(),
  maxUploadBytes: z.number().int().min(1024).max(10 * 1024 * 1024).optional(),
  allowedUploadTypes: z.array(z.string().max(80)).max(20).optional(),
});
const ZChannelName = z.string().trim().min(1).max(60);
const ZHttpUrl = z.url({ protocol: /^https?$/ }).max(500);
const ZHost = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.-]+$/);
const ZPort = z.number().int().min(1).max(65535);
/** 微信公众号: the issue-5 contract. token, appSecret and encodingAESKey are stored encrypted. */
export const ZWechatChannelConfig = z.strictObject({
  appId: z.string().trim().regex(/^wx[0-9A-Za-z]{16}$/, 'appId looks like wx followed by 16 letters or digits'),
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'token is 3–32 letters or digits'),
  appSecret: z.string().trim().min(16).max(64),
  /** Safe mode (安全模式) when present: 43 characters. */
  encodingAESKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'encodingAESKey is 43 letters or digits').optional(),
  apiBaseUrl: ZHttpUrl.optional(),
});
/** Email: addresses, the built-in SMTP listener, an IMAP mailbox to poll, outbound SMTP. Passwords are stored encrypted. */
export const ZEmailChannelConfig = z.strictObject({
  address: z.email().max(254),
  fromName: z.string().trim().max(100).optional(),
  aliases: z.array(z.email()).max(50).optional(),
  messageIdDomain: z.string().regex(/^[A-Za-z0-9.-]+$/).optional(),
  smtpListener: z
    .strictObject({ enabled: z.boolean().optional(), host: z.string().max(255).optional(), port: ZPort.optional(), maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024).optional(), perSenderPerHour: z.number().int().min(1).max(100_000).optional() })
    .optional(),
  imap: z
    .strictObject({
      enabled: z.boolean().optional(),
      host: ZHost,
      port: ZPort.optional(),
      secure: z.boolean().optional(),
      user: z.string().min(1).max(254),
      password: z.string().min(1).max(200),
      mailbox: z.string().min(1).max(200).optional(),
      pollSeconds: z.number().int().min(5).max(3600).optional(),
      batchSize: z.number().int().min(1).max(500).optional(),
    })
    .optional(),
  smtp: z
    .strictObject({ host: ZHost, port: ZPort.optional(), secure: z.boolean().optional(), user: z.string().min(1).max(254).optional(), password: z.string().min(1).max(200).optional(), perRecipientPerHour: z.number().int().min(1).max(10_000).optional() })
    .optional(),
  attachments: z.strictObject({ maxCount: z.number().int().min(0).max(100).optional(), maxBytes: z.number().int().min(1).max(50 * 1024 * 1024).optional() }).optional(),
});
/** SMS: the provider whose callback format the inbound URL speaks, the signature name, the outbound gateway. */
export const ZSmsChannelConfig = z.strictObject({
  provider: z.enum(['generic', 'aliyun', 'tencent']),
  signName: z.string().trim().min(1).max(30),
  templateCode: z.string().trim().min(1).max(64).optional(),
  outboundProvider: z.string().trim().min(1).max(40).optional(),
  sendUrl: ZHttpUrl.optional(),
  replayWindowSeconds: z.number().int().min(30).max(3600).optional(),
  unsubscribeKeywords: z.array(z.string().trim().min(1).max(20)).min(1).max(20).optional(),
  maxSegments: z.number().int().min(1).max(20).optional(),
  sendTimeoutMs: z.number().int().min(500).max(60_000).optional(),
});
/** A CTI channel (docs/cti.md): where click-to-call goes, and Kefu agent id → PBX extension (分机号). */
export const ZCtiChannelConfig = z.strictObject({
  originateUrl: ZHttpUrl.optional(),
  agentExtensions: z.record(z.string().min(1).max(64), z.string().regex(/^[0-9A-Za-z*#_-]{1,32}$/, 'expected an extension such as 8001')).optional(),
  replayWindowSeconds: z.number().int().min(30).max(3600).optional(),
  originateTimeoutMs: z.number().int().min(500).max(30_000).optional(),
});
/** The generic API channel: agents' replies are POSTed (signed) to webhookUrl. */
export const ZApiChannelConfig = z.strictObject({ webhookUrl: ZHttpUrl.optional(), replayWindowSeconds: z.number().int().min(30).max(3600).optional(), webhookTimeoutMs: z.number().int().min(500).max(30_000).optional() });
export const ZCreateChannelRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webchat'), name: ZChannelName, config: ZWebchatConfig.default({}), queueId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('wechat'), name: ZChannelName, config: ZWechatChannelConfig, queueId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('email'), name: ZChannelName, config: ZEmailChannelConfig, queueId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('sms'), name: ZChannelName, config: ZSmsChannelConfig, queueId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('cti'), name: ZChannelName, config: ZCtiChannelConfig.default({}), queueId: z.uuid().optional() }),
  z.strictObject({ type: z.literal('api'), name: ZChannelName, config: ZApiChannelConfig.default({}), queueId: z.uuid().optional() }),
]);
export type TCreateChannelRequest = z.infer<typeof ZCreateChannelRequest>;
export const ZUpdateChannelRequest = z.strictObject({ name: ZChannelName.optional(), enabled: z.boolean().optional(), queueId: z.uuid().nullable().optional() });
/** The created channel: secrets the server generated are shown here once (webchat: identitySecret). */
export const ZCreatedChannel = ZChannel.extend({ identitySecret: z.string().optional(), generatedSecrets: z.record(z.string(), z.string()) });
export const ZQuarantinedMessage = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  fromKind: z.string(),
  fromValue: z.string(),
  fromName: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'accepted', 'rejected']),
  conversationId: z.string().nullable(),
  createdAt: ZTimestamp,
});
export const ZDecideQuarantineRequest = z.strictObject({ decision: z.enum(['accept', 'reject']) });
