import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import {
  type AbuseAction,
  type AgentDesk,
  type CallbackTask,
  HELD_STATUSES,
  type Presence,
  type PresenceState,
  type TContact,
  type TransferRequest,
  type WrapUpRequest,
} from '../../../api/contact-types';
import type { ItemList } from '../../../api/types';

const enc = encodeURIComponent;

export const deskKeys = {
  desk: ['desk'] as const,
  callbacks: ['callbacks', 'open'] as const,
};

/** Safety net beside the socket: the desk re-reads itself every 30 s. */
const DESK_REFRESH_MS = 30_000;

export function useDesk() {
  return useQuery({
    queryKey: deskKeys.desk,
    queryFn: ({ signal }) => api.get<AgentDesk>('/agent/desk', undefined, signal),
    refetchInterval: DESK_REFRESH_MS,
    staleTime: 5_000,
  });
}

/** Whether the desk keeps a contact: rung at this agent or held by them, and not closed. */
function belongsOnDesk(contact: TContact, agentId: string): boolean {
  if (contact.status === 'offered') return contact.offerAgentId === agentId;
  return HELD_STATUSES.includes(contact.status) && contact.agentId === agentId;
}

/**
 * Writes a contact the server sent (REST answer or frame) into the cached desk, or drops it when it
 * left. Some frames carry only part of a contact (`{id, status, conversationId}` when the visitor
 * ends a chat): they are merged into the cached one, and ignored when nothing is cached.
 */
export function upsertDeskContact(queryClient: QueryClient, agentId: string, update: Partial<TContact> & { id: string }): void {
  queryClient.setQueryData<AgentDesk>(deskKeys.desk, (desk) => {
    if (!desk) return desk;
    const current = desk.contacts.find((c) => c.id === update.id);
    // Frames can overtake each other: never go back to an older version.
    if (current && typeof update.version === 'number' && current.version > update.version) return desk;
    const complete = typeof update.version === 'number' && typeof update.channel === 'string';
    if (!current && !complete) return desk;
    const contact = { ...current, ...update } as TContact;
    const rest = desk.contacts.filter((c) => c.id !== contact.id);
    if (!belongsOnDesk(contact, agentId)) return { ...desk, contacts: rest };
    const next = current ? desk.contacts.map((c) => (c.id === contact.id ? contact : c)) : [...rest, contact];
    return { ...desk, contacts: next };
  });
}

export function removeDeskContact(queryClient: QueryClient, contactId: string, onlyOffered = false): void {
  queryClient.setQueryData<AgentDesk>(deskKeys.desk, (desk) => {
    if (!desk) return desk;
    return { ...desk, contacts: desk.contacts.filter((c) => c.id !== contactId || (onlyOffered && c.status !== 'offered')) };
  });
}

export function setDeskPresence(queryClient: QueryClient, presence: Presence): void {
  queryClient.setQueryData<AgentDesk>(deskKeys.desk, (desk) => (desk ? { ...desk, presence } : desk));
}

export function useSetPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { state: PresenceState; reason?: string }) => api.put<Presence | undefined>('/agent/presence', body),
    onSuccess: (presence) => {
      if (presence && typeof presence === 'object' && 'state' in presence) setDeskPresence(queryClient, presence);
      void queryClient.invalidateQueries({ queryKey: deskKeys.desk });
    },
  });
}

export type SimpleContactAction = 'accept' | 'decline' | 'hold' | 'resume' | 'end' | 'takeover';

/** The answer of a contact action: the contact itself (or nothing, depending on the endpoint). */
function isContact(value: unknown): value is TContact {
  return Boolean(value && typeof value === 'object' && 'id' in value && 'status' in value && 'version' in value);
}

function useContactWritten(agentId: string) {
  const queryClient = useQueryClient();
  return (result: unknown) => {
    if (isContact(result)) {
      upsertDeskContact(queryClient, agentId, result);
      void queryClient.invalidateQueries({ queryKey: ['contacts', 'detail', result.id] });
      // The customer's past-contacts list shows this contact's status too (振铃中 → 服务中).
      if (result.customerId) void queryClient.invalidateQueries({ queryKey: ['contacts', 'customer', result.customerId] });
    }
    void queryClient.invalidateQueries({ queryKey: deskKeys.desk });
  };
}

/** 接听 / 拒绝 / 保持 / 恢复 / 结束 (and a supervisor's 接管): each an empty POST on the contact. */
export function useContactAction(agentId: string) {
  const written = useContactWritten(agentId);
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, action }: { contactId: string; action: SimpleContactAction }) => api.post<TContact>(`/contacts/${enc(contactId)}/${action}`, {}),
    onSuccess: written,
    // Refused (offer rang out, taken over meanwhile…): show the desk as it is now.
    onError: () => void queryClient.invalidateQueries({ queryKey: deskKeys.desk }),
  });
}

export function useTransferContact(agentId: string) {
  const written = useContactWritten(agentId);
  return useMutation({
    mutationFn: ({ contactId, body }: { contactId: string; body: TransferRequest }) => api.post<TContact>(`/contacts/${enc(contactId)}/transfer`, body),
    onSuccess: written,
  });
}

/** 话后小结: the contact closes once its reason is recorded. */
export function useWrapUp(agentId: string) {
  const written = useContactWritten(agentId);
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contactId, body }: { contactId: string; body: WrapUpRequest }) => api.post<TContact>(`/contacts/${enc(contactId)}/wrap-up`, body),
    onSuccess: (result, { contactId }) => {
      written(result);
      // Whatever the endpoint answers, the tab of a wrapped-up contact goes away.
      removeDeskContact(queryClient, contactId);
      void queryClient.invalidateQueries({ queryKey: ['contacts', 'customer'] });
    },
  });
}

/** The abusive-contact protocol: warn (1, then 2), request closure; a lead approves or rejects. */
export function useAbuseAction(agentId: string) {
  const written = useContactWritten(agentId);
  return useMutation({
    mutationFn: ({ contactId, action }: { contactId: string; action: AbuseAction }) => api.post<TContact>(`/contacts/${enc(contactId)}/abuse`, { action }),
    onSuccess: written,
  });
}

export function useOpenCallbacks(enabled = true) {
  return useQuery({
    queryKey: deskKeys.callbacks,
    queryFn: ({ signal }) => api.get<ItemList<CallbackTask>>('/callbacks', { status: 'open' }, signal).then((r) => r.items),
    refetchInterval: 60_000,
    enabled,
  });
}

export function useCompleteCallback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, outcome, status }: { id: string; outcome: string; status: 'done' | 'cancelled' }) =>
      api.post<CallbackTask>(`/callbacks/${enc(id)}/complete`, { outcome, status }),
    onSuccess: (_task, { id }) => {
      queryClient.setQueryData<CallbackTask[]>(deskKeys.callbacks, (list) => list?.filter((c) => c.id !== id));
      void queryClient.invalidateQueries({ queryKey: deskKeys.callbacks });
    },
  });
}
