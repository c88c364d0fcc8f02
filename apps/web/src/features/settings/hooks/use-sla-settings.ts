import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { BusinessCalendar, ItemList, SlaPolicy, UpdateCalendarRequest, UpdateSlaPolicyRequest } from '../../../api/types';

export const slaSettingsKeys = {
  policies: ['sla-policies'] as const,
  calendars: ['calendars'] as const,
};

/** GET /sla-policies (ticket:read): every policy of the brand, inactive ones included. */
export function useSlaPolicies(enabled = true) {
  return useQuery({
    queryKey: slaSettingsKeys.policies,
    queryFn: ({ signal }) => api.get<ItemList<SlaPolicy>>('/sla-policies', undefined, signal).then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

/** GET /calendars (ticket:read). */
export function useCalendars(enabled = true) {
  return useQuery({
    queryKey: slaSettingsKeys.calendars,
    queryFn: ({ signal }) => api.get<ItemList<BusinessCalendar>>('/calendars', undefined, signal).then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

/** PATCH /sla-policies/:id (sla:manage); applies to orders recorded afterwards. */
export function useUpdateSlaPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateSlaPolicyRequest }) => api.patch<SlaPolicy>(`/sla-policies/${encodeURIComponent(id)}`, body),
    onSuccess: (policy) => {
      queryClient.setQueryData<SlaPolicy[]>(slaSettingsKeys.policies, (list) => list?.map((p) => (p.id === policy.id ? policy : p)));
      void queryClient.invalidateQueries({ queryKey: slaSettingsKeys.policies });
    },
  });
}

/** PATCH /calendars/:id (sla:manage); an invalid definition answers 400 validation.failed with details.problems. */
export function useUpdateCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateCalendarRequest }) => api.patch<BusinessCalendar>(`/calendars/${encodeURIComponent(id)}`, body),
    onSuccess: (calendar) => {
      queryClient.setQueryData<BusinessCalendar[]>(slaSettingsKeys.calendars, (list) => list?.map((c) => (c.id === calendar.id ? calendar : c)));
      void queryClient.invalidateQueries({ queryKey: slaSettingsKeys.calendars });
    },
  });
}
