import type { TClassifierModelDetail, TClassifierModelSummary, TClassifierTarget, TSuggestResponse, TTrainClassifierRequest } from '@kefu/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, apiRequest } from '../../../api/client';

export const CLASSIFIER_TARGETS: readonly TClassifierTarget[] = ['reason_code', 'ticket_category'];

export function useClassifierModels(target: TClassifierTarget) {
  return useQuery({
    queryKey: ['classify', 'models', target],
    queryFn: ({ signal }) => api.get<{ items: TClassifierModelSummary[] }>('/classify/models', { target, limit: 20 }, signal).then((r) => r.items),
  });
}

export function useClassifierModel(id: string | undefined) {
  return useQuery({
    queryKey: ['classify', 'model', id],
    enabled: Boolean(id),
    queryFn: ({ signal }) => api.get<TClassifierModelDetail>(`/classify/models/${encodeURIComponent(id ?? '')}`, undefined, signal),
  });
}

export function useTrainClassifier() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TTrainClassifierRequest) => api.post<TClassifierModelDetail>('/classify/models/train', body),
    onSuccess: (model) => {
      queryClient.setQueryData(['classify', 'model', model.id], model);
      void queryClient.invalidateQueries({ queryKey: ['classify'] });
    },
  });
}

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Suggested reasons and categories for a text (debounced by the caller). Empty lists while the
 * text is empty or when the brand has no model yet.
 */
export function useSuggestions(text: string, options: { target?: TClassifierTarget; limit?: number; enabled?: boolean } = {}) {
  const trimmed = text.trim().slice(0, 5000);
  return useQuery({
    queryKey: ['classify', 'suggest', options.target ?? 'both', options.limit ?? 3, trimmed],
    enabled: (options.enabled ?? true) && trimmed.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    queryFn: ({ signal }) =>
      apiRequest<TSuggestResponse>('POST', '/classify/suggest', {
        body: { text: trimmed, ...(options.target ? { target: options.target } : {}), ...(options.limit ? { limit: options.limit } : {}) },
        signal,
      }),
  });
}
