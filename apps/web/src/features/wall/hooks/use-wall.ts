import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../../api/client';
import type { TWall } from '../../../api/contact-types';
import { useRealtime, useRealtimeReconnected } from '../../../lib/realtime';

export const wallKey = ['routing', 'wall'] as const;
export const WALL_REFRESH_MS = 10_000;
/** Frames come in bursts (one routing pass touches many agents): one refetch per second at most. */
const DEBOUNCE_MS = 1000;

/** The supervisor wall (实时监控): queues, agents, waiting contacts and pending closure requests. */
export function useWall(enabled = true, live = true) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: wallKey,
    queryFn: ({ signal }) => api.get<TWall>('/routing/wall', undefined, signal),
    refetchInterval: live ? WALL_REFRESH_MS : false,
    staleTime: 2_000,
    enabled,
  });

  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const changed = () => {
    // Debounce: the last frame of a burst decides, one second later.
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: wallKey }), DEBOUNCE_MS);
  };
  const on = enabled && live;
  useRealtime('wall.changed', changed, on);
  useRealtime('abuse.closure_requested', changed, on);
  useRealtime('presence.updated', changed, on);
  useRealtimeReconnected((reconnected) => {
    if (on && reconnected) changed();
  });
  return query;
}
