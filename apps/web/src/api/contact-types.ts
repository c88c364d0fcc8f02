// Shapes of the live-contact API (agent desktop, supervisor wall, contact timelines), inferred from
// the zod schemas in packages/contracts/src/contacts.ts so the web app cannot drift from the wire.
// Type-only: nothing of zod reaches the browser bundle.
import type { z } from 'zod';
import type {
  ZAgentDesk,
  ZCallbackTask,
  ZContactChannel,
  ZContactEvent,
  ZContactStatus,
  ZPresence,
  ZPresenceState,
  ZReasonCode,
  ZTransferRequest,
  ZUpdateQueueRequest,
  ZWallAgent,
  ZWallQueue,
  ZWrapUpRequest,
} from '@kefu/contracts';

export type {
  TAgentDesk,
  TContact,
  TContactDetail,
  TConversation,
  TMessage,
  TQueue,
  TWall,
} from '@kefu/contracts';

export type ContactChannel = z.infer<typeof ZContactChannel>;
export type ContactStatus = z.infer<typeof ZContactStatus>;
export type PresenceState = z.infer<typeof ZPresenceState>;
export type Presence = z.infer<typeof ZPresence>;
export type AgentDesk = z.infer<typeof ZAgentDesk>;
export type ContactEvent = z.infer<typeof ZContactEvent>;
export type ReasonCode = z.infer<typeof ZReasonCode>;
export type CallbackTask = z.infer<typeof ZCallbackTask>;
export type WallQueue = z.infer<typeof ZWallQueue>;
export type WallAgent = z.infer<typeof ZWallAgent>;
export type TransferRequest = z.input<typeof ZTransferRequest>;
export type WrapUpRequest = z.input<typeof ZWrapUpRequest>;
export type WrapUpOutcome = NonNullable<WrapUpRequest['outcome']>;
export type UpdateQueueRequest = z.input<typeof ZUpdateQueueRequest>;

export const PRESENCE_STATES: readonly PresenceState[] = ['online', 'busy', 'away', 'offline'];
export const WRAP_UP_OUTCOMES: readonly WrapUpOutcome[] = ['resolved', 'ticket_created', 'follow_up', 'transferred', 'unresolved'];
/** Statuses of a contact the agent holds (one desk tab each). */
export const HELD_STATUSES: readonly ContactStatus[] = ['active', 'on_hold', 'wrap_up'];
export type AbuseAction = 'warn' | 'request_closure' | 'approve_closure' | 'reject_closure';
