// Phone calls through a CTI channel (docs/cti.md): the screen pop of an answered call, linking the
// caller to the archive, the agent's calls not yet wrapped up, and click-to-call. Shapes come from
// packages/contracts/src/calls.ts (type-only: nothing of zod reaches the browser bundle).
import type { TCallUpdated, TCurrentCall, TLinkCallCustomerRequest, TOriginateRequest, TOrigination, TScreenPop } from '@kefu/contracts';
import { api } from './client';
import type { ItemList } from './types';

export type { TCallUpdated, TCurrentCall, TLinkCallCustomerRequest, TOriginateRequest, TOrigination, TScreenPop };
export type ScreenPopTicket = TScreenPop['openTickets'][number];
export type ScreenPopContact = TScreenPop['recentContacts'][number];
export type ScreenPopCustomer = TScreenPop['customers'][number];

/** Realtime topics of a call, pushed to the agent who answered it. */
export const CALL_TOPICS = { screenPop: 'call.screen_pop', updated: 'call.updated' } as const;

export const callKeys = {
  current: ['calls', 'current'] as const,
  screenPop: (contactId: string) => ['calls', 'screen-pop', contactId] as const,
};

const enc = encodeURIComponent;

export const callsApi = {
  /** The signed-in agent's calls not yet wrapped up. */
  current: (signal?: AbortSignal) => api.get<ItemList<TCurrentCall>>('/calls/current', undefined, signal).then((r) => r.items),
  screenPop: (contactId: string, signal?: AbortSignal) => api.get<TScreenPop>(`/calls/${enc(contactId)}/screen-pop`, undefined, signal),
  /** Links an archive customer to the call, or creates one with the caller's number. */
  linkCustomer: (contactId: string, body: TLinkCallCustomerRequest) => api.post<TScreenPop>(`/calls/${enc(contactId)}/customer`, body),
  /** Click-to-call / callback: the PBX rings the agent's extension, then dials the customer (202). */
  originate: (body: TOriginateRequest) => api.post<TOrigination>('/calls/originate', body),
};
