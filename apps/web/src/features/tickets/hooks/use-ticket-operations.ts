import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { EscalationLevel, ItemList, Ticket } from '../../../api/types';

const enc = encodeURIComponent;

function useChanged() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: ['tickets'] });
}

/** Merges duplicates into this order (both keep their history). */
export function useMergeTickets(id: string) {
  const changed = useChanged();
  return useMutation({
    mutationFn: (body: { duplicateIds: string[]; reason: string }) => api.post<Ticket>(`/tickets/${enc(id)}/merge`, body),
    onSuccess: changed,
  });
}

/** Splits this order into new ones (e.g. a repair and a billing question raised in one call). */
export function useSplitTicket(id: string) {
  const changed = useChanged();
  return useMutation({
    mutationFn: (body: { reason: string; parts: { categoryCode: string; description: string; title?: string }[] }) =>
      api.post<ItemList<Ticket>>(`/tickets/${enc(id)}/split`, body),
    onSuccess: changed,
  });
}

/** Raises a complaint up the escalation ladder (投诉升级). */
export function useEscalateTicket(id: string) {
  const changed = useChanged();
  return useMutation({
    mutationFn: (body: { reason: string; to?: EscalationLevel }) => api.post<Ticket>(`/tickets/${enc(id)}/escalate`, body),
    onSuccess: changed,
  });
}
