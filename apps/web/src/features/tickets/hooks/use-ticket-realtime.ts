import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useRealtime, useRealtimeReconnected } from '../../../lib/realtime';

/**
 * Refreshes work-order queries when a `ticket.*` event arrives on the tab's shared WebSocket, so
 * lists, the supervisor board, details and timelines follow changes made by others. Invalidations
 * are batched so a burst of events costs one refetch; after a reconnect the lists reload once,
 * since events sent while the socket was down are lost.
 */
export function useTicketRealtime(enabled: boolean) {
  const queryClient = useQueryClient();
  const pending = useRef({ lists: false, touched: new Set<string>(), timer: undefined as number | undefined });

  useEffect(() => {
    const state = pending.current;
    return () => window.clearTimeout(state.timer);
  }, []);

  const flush = () => {
    const state = pending.current;
    state.timer = undefined;
    if (state.lists) {
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'board'] });
    }
    // The detail answer carries the timeline and refills the events cache (see useTicket).
    for (const id of state.touched) void queryClient.invalidateQueries({ queryKey: ['tickets', 'detail', id] });
    state.touched.clear();
    state.lists = false;
  };

  const schedule = () => {
    pending.current.timer ??= window.setTimeout(flush, 500);
  };

  useRealtime(
    'ticket.',
    (payload: { ticketId?: string } | null) => {
      pending.current.lists = true;
      if (payload?.ticketId) pending.current.touched.add(payload.ticketId);
      schedule();
    },
    enabled,
  );

  useRealtimeReconnected((reconnected) => {
    if (!enabled || !reconnected) return;
    pending.current.lists = true;
    schedule();
  });
}
