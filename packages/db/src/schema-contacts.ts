import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonObject } from './schema-work-orders.ts';

// Kysely types of the live-contact tables (migration 20261127_0004_contacts). Merged into `DB`.
// JSON columns are typed loosely; the contacts module maps them to @kefu/domain types.

type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type JsonDefault<T> = ColumnType<T, T | string | undefined, T | string>;
type NullableJson<T> = ColumnType<T | null, T | string | null | undefined, T | string | null>;
type Int8 = ColumnType<number, number | bigint | undefined, number | bigint>;

export type QueuesTable = {
  id: Generated<string>;
  brand_id: string;
  code: string;
  name_zh: string;
  name_en: string;
  channels: ColumnType<string[], string[] | undefined, string[]>;
  required_skills: ColumnType<string[], string[] | undefined, string[]>;
  calendar_id: string | null;
  max_wait_seconds: Generated<number>;
  account_manager_wait_seconds: Generated<number>;
  after_hours_action: Generated<string>;
  overflow_action: Generated<string>;
  callback_within_minutes: Generated<number>;
  service_level_seconds: Generated<number>;
  offer_timeout_seconds: Generated<number>;
  max_offers: Generated<number>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type ChannelsTable = {
  id: Generated<string>;
  brand_id: string;
  /** webchat | wechat | email | sms | cti | api */
  type: string;
  name: string;
  config: JsonDefault<JsonObject>;
  secrets: JsonDefault<JsonObject>;
  queue_id: string | null;
  enabled: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Last inbound/outbound success or error (migration 0006). */
  health: JsonDefault<JsonObject>;
};

export type AgentStatesTable = {
  user_id: string;
  brand_id: string;
  state: Generated<string>;
  reason: string | null;
  since: Generated<Date>;
  /** CapacityProfile */
  capacity: JsonDefault<JsonObject>;
  last_offered_at: NullableInstant;
  last_contact_ended_at: NullableInstant;
  updated_at: Generated<Date>;
};

export type PresenceLogTable = {
  id: Generated<Int8>;
  user_id: string;
  state: string;
  reason: string | null;
  started_at: Instant;
  ended_at: Instant;
  seconds: number;
};

export type ReasonCodesTable = {
  id: Generated<string>;
  brand_id: string;
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  position: Generated<number>;
  active: Generated<boolean>;
};

export type VisitorsTable = {
  id: Generated<string>;
  brand_id: string;
  channel_id: string;
  customer_id: string | null;
  external_id: string | null;
  verified: Generated<boolean>;
  name: string | null;
  phone: string | null;
  email: string | null;
  language: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
};

export type ConversationsTable = {
  id: Generated<string>;
  brand_id: string;
  /** A contact channel: chat, wechat, email, sms… */
  channel: string;
  channel_id: string | null;
  customer_id: string | null;
  visitor_id: string | null;
  status: Generated<string>;
  subject: string | null;
  current_contact_id: string | null;
  last_seq: Generated<number>;
  customer_delivered_seq: Generated<number>;
  customer_read_seq: Generated<number>;
  agent_read_seq: Generated<number>;
  last_message_at: NullableInstant;
  created_at: Generated<Date>;
  closed_at: NullableInstant;
  /** The self-service bot's state while the bot holds the conversation (migration 0005). */
  bot_state: NullableJson<JsonObject>;
  /** A thread an outside channel recognises again, e.g. an email thread's token (migration 0006). */
  thread_ref: string | null;
};

export type ContactsTable = {
  id: Generated<string>;
  brand_id: string;
  conversation_id: string | null;
  channel: string;
  direction: string;
  status: string;
  queue_id: string | null;
  agent_id: string | null;
  offer_agent_id: string | null;
  offer_at: NullableInstant;
  customer_id: string | null;
  priority: Generated<string>;
  required_skills: ColumnType<string[], string[] | undefined, string[]>;
  account_manager_id: string | null;
  requested_agent_id: string | null;
  declined_agent_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Instant;
  queued_at: NullableInstant;
  waiting_since: NullableInstant;
  offered_at: NullableInstant;
  answered_at: NullableInstant;
  ended_at: NullableInstant;
  wrapped_up_at: NullableInstant;
  last_changed_at: Instant;
  talk_ms: Int8;
  hold_ms: Int8;
  segment_started_at: NullableInstant;
  offer_count: Generated<number>;
  transfer_count: Generated<number>;
  end_reason: string | null;
  overflow_action: string | null;
  reason_code: string | null;
  outcome: string | null;
  note: string | null;
  from_address: string | null;
  to_address: string | null;
  /** AbuseProtocolState */
  abuse: NullableJson<JsonObject>;
  bot: Generated<boolean>;
  version: Generated<number>;
};

export type ContactEventsTable = {
  id: Generated<Int8>;
  contact_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  at: Instant;
  actor_id: string | null;
  details: JsonDefault<JsonObject>;
};

export type ContactTicketsTable = {
  contact_id: string;
  ticket_id: string;
  created_at: Generated<Date>;
};

export type MessagesTable = {
  id: Generated<string>;
  conversation_id: string;
  seq: number;
  contact_id: string | null;
  /** customer | agent | system | bot */
  sender_type: string;
  sender_id: string | null;
  sender_name: string | null;
  /** text | image | file | event */
  kind: Generated<string>;
  body: Generated<string>;
  attachment: NullableJson<JsonObject>;
  internal: Generated<boolean>;
  client_msg_id: string | null;
  created_at: Instant;
  /** Outbound delivery of an agent's reply on an outside channel: pending | sent | delivered | failed (migrations 0006, 0008). */
  delivery_status: string | null;
  /** The outside platform's id of the delivered message. */
  external_id: string | null;
  delivery_error: string | null;
  /** Send attempts so far; a send claims the message with a conditional update (migration 0008). */
  delivery_attempts: Generated<number>;
  delivery_claimed_at: NullableInstant;
};

export type CallbackTasksTable = {
  id: Generated<string>;
  brand_id: string;
  contact_id: string | null;
  customer_id: string | null;
  queue_id: string | null;
  kind: string;
  name: string | null;
  phone: string | null;
  message: string | null;
  due_at: Instant;
  status: Generated<string>;
  assignee_id: string | null;
  outcome: string | null;
  created_at: Generated<Date>;
  done_at: NullableInstant;
};

export type ChatFilesTable = {
  id: string;
  conversation_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by_type: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
};

/** Standard scripts (话术); issue 4's canned replies, extended by migration 0005. */
export type ScriptsTable = {
  id: Generated<string>;
  brand_id: string;
  shortcut: string;
  title: string;
  body: string;
  language: Generated<string>;
  position: Generated<number>;
  situation: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** Pinyin initials of the title (e.g. 问候语 → whY), for typing `/whY` in the reply box. */
  pinyin: Generated<string>;
  usage_count: Generated<number>;
  active: Generated<boolean>;
  search_text: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type ContactTables = {
  queues: QueuesTable;
  channels: ChannelsTable;
  agent_states: AgentStatesTable;
  presence_log: PresenceLogTable;
  reason_codes: ReasonCodesTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  contacts: ContactsTable;
  contact_events: ContactEventsTable;
  contact_tickets: ContactTicketsTable;
  messages: MessagesTable;
  callback_tasks: CallbackTasksTable;
  scripts: ScriptsTable;
  chat_files: ChatFilesTable;
};

export type ContactRow = Selectable<ContactsTable>;
export type NewContact = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type NewContactEvent = Insertable<ContactEventsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversation = Insertable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type QueueRow = Selectable<QueuesTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type AgentStateRow = Selectable<AgentStatesTable>;
