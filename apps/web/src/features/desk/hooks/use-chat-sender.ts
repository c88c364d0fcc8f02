import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TMessage } from '../../../api/contact-types';
import { useErrorMessage } from '../../../lib/errors';
import { useRealtime, useRealtimeSend } from '../../../lib/realtime';
import type { PendingMessage } from '../../contacts/components/message-list';
import { contactKeys, useSendMessage } from '../../contacts/hooks/use-contacts';
import { newClientMsgId } from '../../contacts/lib/contact-labels';

/** Without an ack this long after `message.send`, the message goes again by REST (same clientMsgId: no double). */
const ACK_TIMEOUT_MS = 5000;
/** Refusals that REST would refuse as well: show them instead of retrying. */
const FINAL_CODES = new Set(['validation.failed', 'auth.forbidden', 'contact.not_active', 'conversation.closed', 'rate.limited', 'rate_limited']);

type WsError = { code?: string; message?: string; ref?: string };

/**
 * Sends the agent's replies: over the socket (`message.send`) when it is open, by POST when it is
 * not or when no ack comes. Each message keeps one clientMsgId for all attempts, so the server
 * stores it once. Unconfirmed messages are returned as `pending` until they appear in the list.
 */
export function useChatSender(conversationId: string | null, messages: readonly TMessage[]) {
  const { t, i18n } = useTranslation();
  const toMessage = useErrorMessage();
  const send = useRealtimeSend();
  const post = useSendMessage();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const timers = useRef(new Map<string, number>());

  useEffect(() => {
    const map = timers.current;
    return () => {
      for (const timer of map.values()) window.clearTimeout(timer);
      map.clear();
    };
  }, []);

  const clearTimer = useCallback((id: string) => {
    const timer = timers.current.get(id);
    if (timer !== undefined) window.clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const fail = useCallback((id: string, error: string) => {
    setPending((list) => list.map((p) => (p.clientMsgId === id ? { ...p, state: 'failed', error } : p)));
  }, []);

  const viaRest = useCallback(
    (id: string, text: string) => {
      clearTimer(id);
      if (!conversationId) return;
      // mutateAsync: each message settles on its own (mutate() would only call back for the last one).
      post
        .mutateAsync({ conversationId, text, clientMsgId: id })
        .then(() => setPending((list) => list.filter((p) => p.clientMsgId !== id)))
        .catch((error: unknown) => fail(id, toMessage(error)));
    },
    [conversationId, post, fail, toMessage, clearTimer],
  );

  const dispatch = useCallback(
    (id: string, text: string) => {
      if (!conversationId) return;
      if (send({ type: 'message.send', conversationId, clientMsgId: id, text })) {
        clearTimer(id);
        timers.current.set(
          id,
          window.setTimeout(() => viaRest(id, text), ACK_TIMEOUT_MS),
        );
      } else {
        viaRest(id, text);
      }
    },
    [conversationId, send, viaRest, clearTimer],
  );

  const submit = useCallback(
    (text: string) => {
      const id = newClientMsgId();
      setPending((list) => [...list, { clientMsgId: id, text, state: 'sending' }]);
      dispatch(id, text);
    },
    [dispatch],
  );

  const retry = useCallback(
    (id: string) => {
      const item = pending.find((p) => p.clientMsgId === id);
      if (!item) return;
      setPending((list) => list.map((p) => (p.clientMsgId === id ? { ...p, state: 'sending', error: undefined } : p)));
      dispatch(id, item.text);
    },
    [pending, dispatch],
  );

  useRealtime('message.ack', (ack: { clientMsgId?: string; conversationId?: string }) => {
    if (!ack?.clientMsgId || !timers.current.has(ack.clientMsgId)) return;
    clearTimer(ack.clientMsgId);
    // The message itself follows as message.created; if it got lost, re-read the list.
    window.setTimeout(() => {
      if (!conversationId) return;
      const list = queryClient.getQueryData<TMessage[]>(contactKeys.messages(conversationId)) ?? [];
      if (!list.some((m) => m.clientMsgId === ack.clientMsgId)) void queryClient.invalidateQueries({ queryKey: contactKeys.messages(conversationId) });
    }, 3000);
  });

  useRealtime('error', (error: WsError) => {
    const id = error?.ref;
    if (!id || !pending.some((p) => p.clientMsgId === id)) return;
    const item = pending.find((p) => p.clientMsgId === id);
    if (error.code && FINAL_CODES.has(error.code)) {
      clearTimer(id);
      const key = `errors.${error.code}`;
      fail(id, i18n.exists(key) ? t(key) : (error.message ?? t('contacts.messages.failed')));
    } else if (item) {
      viaRest(id, item.text);
    }
  });

  // A pending message is done once the server's copy is in the list.
  const delivered = useMemo(() => new Set(messages.map((m) => m.clientMsgId).filter(Boolean)), [messages]);
  useEffect(() => {
    if (pending.some((p) => delivered.has(p.clientMsgId))) {
      for (const p of pending) if (delivered.has(p.clientMsgId)) clearTimer(p.clientMsgId);
      setPending((list) => list.filter((p) => !delivered.has(p.clientMsgId)));
    }
  }, [delivered, pending, clearTimer]);

  const visible = pending.filter((p) => !delivered.has(p.clientMsgId));
  return { pending: visible, submit, retry };
}
