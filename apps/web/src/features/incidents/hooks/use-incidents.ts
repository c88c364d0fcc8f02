import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CreateIncidentRequest, Incident, ItemList, ResolveIncidentRequest, ResolveIncidentResponse, Ticket } from '../../../api/types';

const enc = encodeURIComponent;

export function useIncidents(status?: string) {
  return useQuery({
    queryKey: ['incidents', 'list', status ?? 'all'],
    queryFn: ({ signal }) => api.get<ItemList<Incident>>('/incidents', { status }, signal).then((r) => r.items),
  });
}

export function useIncident(id: string | null | undefined) {
  return useQuery({
    queryKey: ['incidents', 'detail', id],
    queryFn: ({ signal }) => api.get<Incident>(`/incidents/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Active incidents a new contact from this area and category may belong to. */
export function useMatchingIncidents(areaId: string | null | undefined, categoryCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['incidents', 'match', areaId, categoryCode],
    queryFn: ({ signal }) => api.get<ItemList<Incident>>('/incidents/match', { areaId: areaId ?? undefined, categoryCode }, signal).then((r) => r.items),
    enabled: enabled && Boolean(areaId) && Boolean(categoryCode),
    staleTime: 30_000,
  });
}

function useIncidentsChanged() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
  };
}

export function useCreateIncident() {
  const changed = useIncidentsChanged();
  return useMutation({ mutationFn: (body: CreateIncidentRequest) => api.post<Incident>('/incidents', body), onSuccess: changed });
}

export function useUpdateIncident(id: string) {
  const changed = useIncidentsChanged();
  return useMutation({
    mutationFn: (body: { title?: string; description?: string; expectedRestoreAt?: string | null }) => api.patch<Incident>(`/incidents/${enc(id)}`, body),
    onSuccess: changed,
  });
}

export function useResolveIncident(id: string) {
  const changed = useIncidentsChanged();
  return useMutation({
    mutationFn: (body: ResolveIncidentRequest) => api.post<ResolveIncidentResponse>(`/incidents/${enc(id)}/resolve`, body),
    onSuccess: changed,
  });
}

export function useLinkIncident(ticketId: string) {
  const changed = useIncidentsChanged();
  return useMutation({
    mutationFn: (incidentId: string) => api.post<Ticket>(`/tickets/${enc(ticketId)}/incident`, { incidentId }),
    onSuccess: changed,
  });
}
