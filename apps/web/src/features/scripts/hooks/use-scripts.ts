import type { TCreateScriptRequest, TRenderedScript, TRenderScriptRequest, TScript, TScriptPreview, TUpdateScriptRequest } from '@kefu/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { ItemList } from '../../../api/types';

const enc = encodeURIComponent;
const LIBRARY_STALE_MS = 5 * 60_000;

export const scriptKeys = {
  all: ['scripts'] as const,
  list: (includeInactive: boolean) => ['scripts', 'list', includeInactive] as const,
  search: (q: string) => ['scripts', 'search', q] as const,
  preview: (body: string, language: string) => ['scripts', 'preview', body, language] as const,
};

/** The whole library (active scripts; inactive too for editors), for the picker and the admin page. */
export function useScripts(options: { includeInactive?: boolean; enabled?: boolean } = {}) {
  const includeInactive = options.includeInactive ?? false;
  return useQuery({
    queryKey: scriptKeys.list(includeInactive),
    queryFn: ({ signal }) => api.get<ItemList<TScript>>('/scripts', includeInactive ? { includeInactive: 'true' } : undefined, signal).then((r) => r.items),
    staleTime: LIBRARY_STALE_MS,
    enabled: options.enabled ?? true,
  });
}

/** Server-side search (words in the body, pinyin); ids in relevance order. */
export function useScriptSearch(q: string, includeInactive: boolean) {
  const term = q.trim();
  return useQuery<string[]>({
    queryKey: [...scriptKeys.search(term), includeInactive],
    queryFn: ({ signal }) => api.get<ItemList<TScript>>('/scripts', { q: term, ...(includeInactive ? { includeInactive: 'true' } : {}) }, signal).then((r) => r.items.map((s) => s.id)),
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function renderScript(id: string, body: TRenderScriptRequest): Promise<TRenderedScript> {
  return api.post<TRenderedScript>(`/scripts/${enc(id)}/render`, body);
}

function useInvalidateScripts() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: scriptKeys.all });
}

export function useCreateScript() {
  const invalidate = useInvalidateScripts();
  return useMutation({ mutationFn: (body: Partial<TCreateScriptRequest> & Pick<TCreateScriptRequest, 'shortcut' | 'title' | 'body'>) => api.post<TScript>('/scripts', body), onSuccess: invalidate });
}

export function useUpdateScript() {
  const invalidate = useInvalidateScripts();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: TUpdateScriptRequest }) => api.patch<TScript>(`/scripts/${enc(id)}`, body), onSuccess: invalidate });
}

export function useDeactivateScript() {
  const invalidate = useInvalidateScripts();
  return useMutation({ mutationFn: (id: string) => api.delete<TScript>(`/scripts/${enc(id)}`), onSuccess: invalidate });
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The editor's live preview: the body rendered against a sample customer and ticket (debounced). */
export function useScriptPreview(body: string, language: string) {
  const debounced = useDebounced(body, 300);
  return useQuery({
    queryKey: scriptKeys.preview(debounced, language),
    queryFn: () => api.post<TScriptPreview>('/scripts/preview', { body: debounced, language }),
    enabled: debounced.trim().length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}
