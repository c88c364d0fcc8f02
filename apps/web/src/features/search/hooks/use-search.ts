import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TSearchHit, TSearchKind, TSynonymGroup } from '@kefu/contracts';
import { api } from '../../../api/client';

// Knowledge search API hooks (GET /search, /kb/synonyms). Types from packages/contracts.

export type { TSearchHit, TSearchKind, TSynonymGroup };
export type SearchFilters = { q: string; kind: TSearchKind; categoryId?: string; tag?: string; language?: string };

export function useUnifiedSearch(f: SearchFilters) {
  const q = f.q.trim();
  return useQuery({
    queryKey: ['search', f],
    queryFn: ({ signal }) =>
      api.get<{ items: TSearchHit[] }>('/search', { q, kinds: f.kind, limit: 30, categoryId: f.categoryId, tag: f.tag, language: f.language }, signal),
    enabled: q.length > 0 && q.length <= 200,
    placeholderData: (prev) => prev,
  });
}

const synonymsKey = ['kb', 'synonyms'] as const;

export function useSynonyms(enabled: boolean) {
  return useQuery({ queryKey: synonymsKey, queryFn: ({ signal }) => api.get<{ items: TSynonymGroup[] }>('/kb/synonyms', undefined, signal), enabled });
}

export function useCreateSynonyms() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (terms: string[]) => api.post<TSynonymGroup>('/kb/synonyms', { terms }), onSuccess: () => qc.invalidateQueries({ queryKey: synonymsKey }) });
}

export function useDeleteSynonyms() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/kb/synonyms/${encodeURIComponent(id)}`), onSuccess: () => qc.invalidateQueries({ queryKey: synonymsKey }) });
}
