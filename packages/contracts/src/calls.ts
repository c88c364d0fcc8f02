import { z } from 'zod';
import { ZContactStatus } from './contacts.ts';
import { ZCustomerSummary } from './customers.ts';

// Phone calls through a CTI channel (docs/cti.md): the screen pop an agent gets when a call is
// answered, linking the caller to the archive, and click-to-call / callback requests.

const ZTimestamp = z.iso.datetime({ offset: true });

export const ZScreenPopTicket = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  priority: z.string(),
  dueAt: ZTimestamp.nullable(),
  customerId: z.string().nullable(),
});

export const ZScreenPopContact = z.object({
  id: z.string(),
  channel: z.string(),
  status: ZContactStatus,
  createdAt: ZTimestamp,
  reasonCode: z.string().nullable(),
});

/** Realtime topic `call.screen_pop` (to the answering agent) and GET /api/v1/calls/:contactId/screen-pop. */
export const ZScreenPop = z.object({
  contactId: z.string(),
  callId: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  /** The caller's number, masked unless the reader holds customer:unmask. */
  caller: z.string().nullable(),
  called: z.string().nullable(),
  ivrPath: z.string().nullable(),
  queueId: z.string().nullable(),
  queueName: z.string().nullable(),
  status: ZContactStatus,
  answeredAt: ZTimestamp.nullable(),
  endedAt: ZTimestamp.nullable(),
  /** The customer the call is linked to (set once, by number or by the agent). */
  customerId: z.string().nullable(),
  /** Archive customers whose phone is the caller's number (0: offer the new-customer form; 2+: let the agent pick). */
  customers: z.array(ZCustomerSummary),
  /** Open work orders of the linked customer, or of the matched customers when none is linked. */
  openTickets: z.array(ZScreenPopTicket),
  recentContacts: z.array(ZScreenPopContact),
});
export type TScreenPop = z.infer<typeof ZScreenPop>;

/** Realtime topic `call.updated` (to the call's agent): the call's contact changed (held, ended, recording…). */
export const ZCallUpdated = z.object({ contactId: z.string(), status: ZContactStatus, endedAt: ZTimestamp.nullable(), recordingUrls: z.array(z.string()) });
export type TCallUpdated = z.infer<typeof ZCallUpdated>;

/** POST /api/v1/calls/:contactId/customer: link an archive customer, or create one with the caller's number. */
export const ZLinkCallCustomerRequest = z.union([
  z.strictObject({ customerId: z.uuid() }),
  z.strictObject({
    newCustomer: z.strictObject({
      name: z.string().trim().min(1).max(100),
      areaId: z.uuid().optional(),
      address: z.string().trim().max(300).optional(),
      preferredLanguage: z.string().max(20).optional(),
    }),
  }),
]);
export type TLinkCallCustomerRequest = z.infer<typeof ZLinkCallCustomerRequest>;

/** GET /api/v1/calls/current: the signed-in agent's calls not yet wrapped up. */
export const ZCurrentCall = z.object({
  contactId: z.string(),
  callId: z.string(),
  caller: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  status: ZContactStatus,
  direction: z.enum(['inbound', 'outbound']),
  answeredAt: ZTimestamp.nullable(),
});
export type TCurrentCall = z.infer<typeof ZCurrentCall>;

/**
 * POST /api/v1/calls/originate (click-to-call / callback): exactly one of number, customerId
 * (its first phone) or callbackTaskId (the task's number) says whom to dial.
 */
export const ZOriginateRequest = z
  .strictObject({
    number: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{3,32}$/, 'expected a phone number')
      .optional(),
    customerId: z.uuid().optional(),
    callbackTaskId: z.uuid().optional(),
    /** The CTI channel; default: the brand's first enabled CTI channel where the agent has an extension. */
    channelId: z.uuid().optional(),
  })
  .refine((v) => [v.number, v.customerId, v.callbackTaskId].filter((x) => x !== undefined).length >= 1, 'give number, customerId or callbackTaskId');
export type TOriginateRequest = z.infer<typeof ZOriginateRequest>;

export const ZOrigination = z.object({
  id: z.string(),
  channelId: z.string(),
  status: z.enum(['requested', 'accepted', 'failed']),
  /** The number dialled, masked unless the reader holds customer:unmask. */
  number: z.string(),
  pbxCallId: z.string().nullable(),
  customerId: z.string().nullable(),
  callbackTaskId: z.string().nullable(),
  createdAt: ZTimestamp,
});
export type TOrigination = z.infer<typeof ZOrigination>;

/** PUT /api/v1/channels/:id/cti-settings (admin): the PBX's originate URL and each agent's extension. */
export const ZCtiSettingsRequest = z.strictObject({
  originateUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
  /** Kefu agent id → PBX extension (分机号); each extension belongs to one agent. */
  agentExtensions: z.record(z.uuid(), z.string().regex(/^[0-9A-Za-z*#_-]{1,32}$/, 'expected an extension such as 8001')),
});
export type TCtiSettingsRequest = z.infer<typeof ZCtiSettingsRequest>;
