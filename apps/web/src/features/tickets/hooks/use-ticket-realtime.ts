import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/**
 * Listens on the server's WebSocket (/ws) and refreshes work-order queries when a `ticket.*`
 * event arrives, so lists, the supervisor board, details and timelines follow changes made by
 * others. Reconnects with a growing delay; invalidations are batched so a burst of events costs
 * one refetch.
 */
export function useTicketRealtime(enabled: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry = 0;
    let reconnectTimer: number | undefined;
    let flushTimer: number | undefined;
    let pingTimer: number | undefined;
    const touched = new Set<string>();
    let lists = false;

    const flush = () => {
      flushTimer = undefined;
      if (lists) {
        void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
        void queryClient.invalidateQueries({ queryKey: ['tickets', 'board'] });
      }
      // The detail answer carries the timeline and refills the events cache (see useTicket).
      for (const id of touched) void queryClient.invalidateQueries({ queryKey: ['tickets', 'detail', id] });
      touched.clear();
      lists = false;
    };

    const connect = () => {
      const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`;
      socket = new WebSocket(url);
      socket.onopen = () => {
        retry = 0;
        pingTimer = window.setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send('ping'), 30_000);
      };
      socket.onmessage = (msg) => {
        let data: { topic?: string; payload?: { ticketId?: string } } | null = null;
        try {
          data = JSON.parse(String(msg.data));
        } catch {
          return;
        }
        if (!data?.topic?.startsWith('ticket.')) return;
        lists = true;
        if (data.payload?.ticketId) touched.add(data.payload.ticketId);
        flushTimer ??= window.setTimeout(flush, 500);
      };
      socket.onclose = () => {
        window.clearInterval(pingTimer);
        if (stopped) return;
        retry = Math.min(retry + 1, 6);
        reconnectTimer = window.setTimeout(connect, 1000 * 2 ** retry);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(reconnectTimer);
      window.clearTimeout(flushTimer);
      window.clearInterval(pingTimer);
      socket?.close();
    };
  }, [enabled, queryClient]);
}
