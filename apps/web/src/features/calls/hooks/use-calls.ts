import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CALL_TOPICS, callKeys, callsApi, type TCallUpdated, type TLinkCallCustomerRequest, type TOriginateRequest, type TScreenPop } from '../../../api/calls';
import { useRealtime, useRealtimeReconnected } from '../../../lib/realtime';
import { applyCallUpdate } from '../lib/call-labels';

/** Safety net beside the socket: the header pill re-reads the agent's calls every 30 s. */
const CURRENT_REFRESH_MS = 30_000;

/** The signed-in agent's calls not yet wrapped up (the header pill "当前通话 N"). */
export function useCurrentCalls(enabled = true) {
  return useQuery({
    queryKey: callKeys.current,
    queryFn: ({ signal }) => callsApi.current(signal),
    refetchInterval: CURRENT_REFRESH_MS,
    staleTime: 5_000,
    enabled,
  });
}

/** One call's screen pop: put in the cache by the `call.screen_pop` frame, read from the server after a reload. */
export function useScreenPop(contactId: string | null) {
  return useQuery({
    queryKey: callKeys.screenPop(contactId ?? ''),
    queryFn: ({ signal }) => callsApi.screenPop(contactId ?? '', signal),
    enabled: Boolean(contactId),
    staleTime: 30_000,
  });
}

/** 关联此客户 / 新建客户: the answer is the whole pop again (customer, open orders, recent contacts). */
export function useLinkCallCustomer(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TLinkCallCustomerRequest) => callsApi.linkCustomer(contactId, body),
    onSuccess: (pop) => {
      queryClient.setQueryData(callKeys.screenPop(contactId), pop);
      void queryClient.invalidateQueries({ queryKey: callKeys.current });
    },
  });
}

/** 拨打: asks the PBX to ring the agent's extension and then the customer. */
export function useOriginate() {
  return useMutation({ mutationFn: (body: TOriginateRequest) => callsApi.originate(body) });
}

/**
 * Keeps the calls cache in step with the socket: a new screen pop is cached and handed to `onPop`;
 * `call.updated` moves the cached pop forward and hands the update to `onUpdate`; the pill's list
 * is re-read after each frame and after a reconnect (frames may have been missed meanwhile).
 */
export function useCallRealtime(handlers: { onPop: (pop: TScreenPop) => void; onUpdate: (update: TCallUpdated) => void }, enabled = true) {
  const queryClient = useQueryClient();
  useRealtime(
    CALL_TOPICS.screenPop,
    (pop: TScreenPop) => {
      if (!pop?.contactId) return;
      queryClient.setQueryData(callKeys.screenPop(pop.contactId), pop);
      void queryClient.invalidateQueries({ queryKey: callKeys.current });
      handlers.onPop(pop);
    },
    enabled,
  );
  useRealtime(
    CALL_TOPICS.updated,
    (update: TCallUpdated) => {
      if (!update?.contactId) return;
      queryClient.setQueryData<TScreenPop>(callKeys.screenPop(update.contactId), (pop) => (pop ? applyCallUpdate(pop, update) : pop));
      void queryClient.invalidateQueries({ queryKey: callKeys.current });
      void queryClient.invalidateQueries({ queryKey: ['contacts', 'detail', update.contactId] });
      handlers.onUpdate(update);
    },
    enabled,
  );
  useRealtimeReconnected((reconnected) => {
    if (enabled && reconnected) void queryClient.invalidateQueries({ queryKey: callKeys.current });
  });
}
