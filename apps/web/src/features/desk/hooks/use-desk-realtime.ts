import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Presence, TContact } from '../../../api/contact-types';
import { useRealtime, useRealtimeReconnected } from '../../../lib/realtime';
import { deskKeys, removeDeskContact, setDeskPresence, upsertDeskContact } from './use-desk';

export type OfferWithdrawn = { contactId: string; reason: string };

/**
 * Keeps the cached desk in step with the socket: offers ring in (`offer.created`) and go
 * (`offer.withdrawn`), held contacts change (`contact.updated`), presence follows the agent's
 * other tabs (`presence.updated`), new callback tasks refresh the list. Each burst is followed by
 * one debounced re-read of the desk so the cache never drifts from the server for long.
 */
export function useDeskRealtime(agentId: string, onWithdrawn?: (event: OfferWithdrawn) => void) {
  const queryClient = useQueryClient();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const resync = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: deskKeys.desk }), 1500);
  };

  useRealtime('offer.created', (payload: { contact?: TContact; expiresAt?: string }) => {
    if (!payload?.contact) return;
    const contact: TContact = { ...payload.contact, offerAgentId: payload.contact.offerAgentId ?? agentId, offerExpiresAt: payload.expiresAt ?? payload.contact.offerExpiresAt };
    upsertDeskContact(queryClient, agentId, { ...contact, status: 'offered' });
    resync();
  });
  useRealtime('offer.withdrawn', (payload: OfferWithdrawn) => {
    if (!payload?.contactId) return;
    removeDeskContact(queryClient, payload.contactId, true);
    onWithdrawn?.(payload);
    resync();
  });
  useRealtime('contact.updated', (contact: Partial<TContact> & { id: string }) => {
    if (!contact?.id) return;
    upsertDeskContact(queryClient, agentId, contact);
    void queryClient.invalidateQueries({ queryKey: ['contacts', 'detail', contact.id] });
    resync();
  });
  useRealtime('presence.updated', (presence: Presence) => {
    if (presence?.agentId !== agentId) return;
    setDeskPresence(queryClient, presence);
  });
  useRealtime('callback.created', () => {
    void queryClient.invalidateQueries({ queryKey: deskKeys.callbacks });
  });
  // Also on the first connection: an offer made between loading the desk and the socket opening would otherwise wait for the next poll.
  useRealtimeReconnected(() => {
    void queryClient.invalidateQueries({ queryKey: deskKeys.desk });
  });
}
