// The channel adapter contract (issue 5): adapters turn outside traffic into InboundMessages for
// the pipeline (inbound.ts) and send agents' replies out through a ChannelSender (outbound.ts).
export type ChannelType = 'webchat' | 'wechat' | 'email' | 'sms' | 'cti' | 'api';
/** A channel row with its secrets decrypted (secrets are stored encrypted, shown masked). */
export type LoadedChannel = { id: string; brandId: string; type: ChannelType; name: string; enabled: boolean;
  config: Record<string, unknown>; secrets: Record<string, string> };
export type InboundMessage = {
  channelId: string;
  /** Who wrote, as an identity of the customer archive (phone numbers normalised by the pipeline). */
  from: { kind: 'openid' | 'email' | 'phone' | 'external'; value: string; name?: string | null };
  /** The platform's own message id (WeChat MsgId or FromUserName+CreateTime, email Message-ID, SMS id…): a repeat is a no-op. */
  externalId: string;
  text: string;
  kind?: 'text' | 'image' | 'file' | 'event';
  attachments?: { fileName: string; contentType: string; data: Buffer }[];
  /** Email subject; shown as the conversation subject. */
  subject?: string | null;
  /** Adapter-specific key naming the conversation a reply belongs to (e.g. the email thread's token); null = the customer's open conversation on this channel. */
  threadRef?: string | null;
  /** Set when the adapter could not verify the thread: the message goes to quarantine for an agent. */
  quarantine?: { reason: string } | null;
  at: Date;
};
/** conversationId is null when the message went to quarantine (then messageId is the quarantine entry's id). */
export type InboundResult = { duplicate: boolean; conversationId: string | null; contactId: string | null; messageId: string; customerId: string | null; quarantined?: boolean };
export type Receive = (message: InboundMessage) => Promise<InboundResult>;
/** What an agent's reply looks like to an adapter's sender. */
export type OutboundMessage = { conversationId: string; messageId: string; text: string;
  attachments?: { fileName: string; contentType: string; data: Buffer }[];
  to: { kind: 'openid' | 'email' | 'phone' | 'external'; value: string; name?: string | null };
  subject?: string | null; threadRef?: string | null; inReplyTo?: string | null; references?: string[] };
export type SendResult = { externalId?: string | null };
export type ChannelSender = (channel: LoadedChannel, message: OutboundMessage) => Promise<SendResult>;
/** An adapter's health, shown in the admin UI: last inbound/outbound success or error. */
export type ChannelHealth = { ok: boolean; checkedAt: Date; detail?: string };
