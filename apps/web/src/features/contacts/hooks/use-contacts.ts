import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { ReasonCode, TContact, TContactDetail, TConversation, TMessage, TQueue } from '../../../api/contact-types';
import type { ItemList, Page } from '../../../api/types';
import { useRealtime, useRealtimeReconnected } from '../../../lib/realtime';
import { mergeMessages } from '../lib/contact-labels';

const enc = encodeURIComponent;
const REFERENCE_STALE_MS = 5 * 60_000;
/** Pages of messages read at most when opening a conversation (500 each). */
const MAX_MESSAGE_PAGES = 10;

export const contactKeys = {
  byCustomer: (customerId: string) => ['contacts', 'customer', customerId] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  conversation: (id: string) => ['conversations', id] as const,
  messages: (conversationId: string) => ['conversations', conversationId, 'messages'] as const,
};

export const CUSTOMER_CONTACTS_PAGE_SIZE = 20;

/** A customer's contacts, newest first, page by page ("load more"). */
export function useCustomerContacts(customerId: string | null | undefined, limit = CUSTOMER_CONTACTS_PAGE_SIZE, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...contactKeys.byCustomer(customerId ?? ''), limit],
    queryFn: ({ pageParam, signal }) => api.get<Page<TContact>>('/contacts', { customerId: customerId ?? undefined, limit, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: enabled && Boolean(customerId),
  });
}

/** One contact with its lifecycle events. */
export function useContact(id: string | null | undefined) {
  return useQuery({
    queryKey: contactKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<TContactDetail>(`/contacts/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useConversation(id: string | null | undefined) {
  return useQuery({
    queryKey: contactKeys.conversation(id ?? ''),
    queryFn: ({ signal }) => api.get<TConversation>(`/conversations/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/**
 * A conversation's messages, whispers included, oldest first. With `live`, messages pushed on the
 * shared socket (`message.created`) are merged in as they arrive and the list reloads after a
 * reconnect, so nothing sent while offline is missed.
 */
export function useConversationMessages(conversationId: string | null | undefined, live = false) {
  const queryClient = useQueryClient();
  const id = conversationId ?? '';
  const key = contactKeys.messages(id);
  const query = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      let all: TMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_MESSAGE_PAGES; page++) {
        const res = await api.get<Page<TMessage>>(`/conversations/${enc(id)}/messages`, { includeInternal: 'true', limit: 500, cursor }, signal);
        all = mergeMessages(all, res.items);
        if (!res.nextCursor) break;
        cursor = res.nextCursor;
      }
      // Frames that arrived while the request ran are already in the cache: keep them.
      return mergeMessages(queryClient.getQueryData<TMessage[]>(key) ?? [], all);
    },
    enabled: Boolean(conversationId),
    staleTime: live ? Number.POSITIVE_INFINITY : 30_000,
  });

  useRealtime(
    'message.created',
    (message: TMessage) => {
      if (!message || message.conversationId !== id) return;
      queryClient.setQueryData<TMessage[]>(key, (old) => mergeMessages(old ?? [], [message]));
    },
    live && Boolean(conversationId),
  );
  // An agent's reply on WeChat, email, SMS or an API channel: sent or refused by the channel.
  useRealtime(
    'message.delivery',
    (d: { conversationId: string; messageId: string; status: 'pending' | 'sent' | 'failed'; error: string | null }) => {
      if (!d || d.conversationId !== id) return;
      queryClient.setQueryData<TMessage[]>(key, (old) => old?.map((m) => (m.id === d.messageId ? { ...m, delivery: { status: d.status, error: d.error } } : m)));
    },
    live && Boolean(conversationId),
  );
  useRealtimeReconnected((reconnected) => {
    if (live && reconnected && conversationId) void queryClient.invalidateQueries({ queryKey: key });
  });
  return query;
}

/** Puts a message the server answered (REST send, whisper) into the conversation's cached list. */
export function useAddMessageToCache() {
  const queryClient = useQueryClient();
  return (message: TMessage) =>
    queryClient.setQueryData<TMessage[]>(contactKeys.messages(message.conversationId), (old) => mergeMessages(old ?? [], [message]));
}

/** POST a message (the REST fallback of `message.send`; `internal: true` is a supervisor's whisper). */
export function useSendMessage() {
  const add = useAddMessageToCache();
  return useMutation({
    mutationFn: ({ conversationId, ...body }: { conversationId: string; text: string; clientMsgId?: string; internal?: boolean }) =>
      api.post<TMessage>(`/conversations/${enc(conversationId)}/messages`, body),
    onSuccess: add,
  });
}

/** Shows "the customer is typing" for a few seconds after each `typing` frame of the conversation. */
export function useCustomerTyping(conversationId: string | null | undefined, enabled = true): boolean {
  const [until, setUntil] = useState(0);
  const [, setTick] = useState(0);
  useRealtime(
    'typing',
    (payload: { conversationId?: string; from?: string }) => {
      if (payload?.conversationId !== conversationId || payload.from !== 'customer') return;
      const end = Date.now() + 4000;
      setUntil(end);
      window.setTimeout(() => setTick((n) => n + 1), 4100);
    },
    enabled && Boolean(conversationId),
  );
  useRealtime(
    'message.created',
    (message: TMessage) => {
      // A message from the customer ends their typing.
      if (message?.conversationId === conversationId && message.senderType === 'customer') setUntil(0);
    },
    enabled && Boolean(conversationId),
  );
  return until > Date.now();
}

export function useQueues(enabled = true) {
  return useQuery({
    queryKey: ['queues'],
    queryFn: ({ signal }) => api.get<ItemList<TQueue>>('/queues', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function useReasonCodes(enabled = true) {
  return useQuery({
    queryKey: ['reason-codes'],
    queryFn: ({ signal }) => api.get<ItemList<ReasonCode>>('/reason-codes', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

/**
 * The name to show for a contact: the customer's, else the visitor's name from its conversation
 * (contacts do not carry it), else the caller's address.
 */
export function useContactName(contact: Pick<TContact, 'customerName' | 'fromAddress' | 'conversationId'>): string | null {
  const conversation = useConversation(contact.customerName ? null : contact.conversationId);
  return contact.customerName ?? conversation.data?.visitorName ?? contact.fromAddress ?? null;
}

/** A queue's name in the UI language (contacts carry one name only); `fallback` until the queues are loaded. */
export function useQueueLabel(queueId: string | null | undefined, fallback: string | null): string | null {
  const { i18n } = useTranslation();
  const queues = useQueues(Boolean(queueId));
  const queue = queueId ? queues.data?.find((q) => q.id === queueId) : undefined;
  if (!queue) return fallback;
  return (i18n.language === 'en-US' ? queue.nameEn : queue.nameZh) || fallback;
}
