import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TCreateKbArticleRequest, TKbAction, TKbArticle, TKbArticleSummary, TKbAttachment, TKbCategory, TKbDiff, TKbStats, TKbVersion, TUpdateKbArticleRequest } from '@kefu/contracts';
import { api } from '../../../api/client';

// Knowledge base API hooks. Types come from packages/contracts (type-only imports).

export type { TKbAction, TKbArticle, TKbArticleSummary, TKbAttachment, TKbCategory, TKbDiff, TKbStats, TKbVersion };
export type KbListFilters = { status?: string; audience?: string; categoryId?: string; tag?: string; q?: string; language?: string };
type Page<T> = { items: T[]; nextCursor: string | null };
const enc = encodeURIComponent;

export const kbKeys = {
  all: ['kb'] as const,
  list: (f: KbListFilters) => ['kb', 'articles', f] as const,
  article: (id: string) => ['kb', 'article', id] as const,
  versions: (id: string) => ['kb', 'article', id, 'versions'] as const,
  events: (id: string) => ['kb', 'article', id, 'events'] as const,
  diff: (id: string, v: number, against?: number) => ['kb', 'article', id, 'diff', v, against ?? null] as const,
  categories: ['kb', 'categories'] as const,
  stats: ['kb', 'stats'] as const,
};

export function useKbArticles(filters: KbListFilters, cursor: string | null) {
  return useQuery({
    queryKey: [...kbKeys.list(filters), cursor],
    queryFn: ({ signal }) => api.get<Page<TKbArticleSummary>>('/kb/articles', { ...filters, cursor, limit: 20 }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useKbArticle(id: string | null) {
  return useQuery({
    queryKey: kbKeys.article(id ?? ''),
    queryFn: ({ signal }) => api.get<TKbArticle>(`/kb/articles/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useKbCategories() {
  return useQuery({ queryKey: kbKeys.categories, queryFn: ({ signal }) => api.get<{ items: TKbCategory[] }>('/kb/categories', undefined, signal), staleTime: 60_000 });
}

export function useKbVersions(id: string | null) {
  return useQuery({ queryKey: kbKeys.versions(id ?? ''), queryFn: ({ signal }) => api.get<{ items: TKbVersion[] }>(`/kb/articles/${enc(id ?? '')}/versions`, undefined, signal), enabled: Boolean(id) });
}

export function useKbEvents(id: string | null) {
  return useQuery({
    queryKey: kbKeys.events(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<{ items: { id: number; action: string; fromStatus: string | null; toStatus: string | null; version: number | null; actorName: string | null; note: string | null; createdAt: string }[] }>(
        `/kb/articles/${enc(id ?? '')}/events`,
        undefined,
        signal,
      ),
    enabled: Boolean(id),
  });
}

export function useKbDiff(id: string, v: number | null, against?: number) {
  return useQuery({
    queryKey: kbKeys.diff(id, v ?? 0, against),
    queryFn: ({ signal }) => api.get<TKbDiff>(`/kb/articles/${enc(id)}/versions/${v}/diff`, against ? { against } : undefined, signal),
    enabled: v !== null && v > 1,
  });
}

export function useKbStats(range: { from?: string; to?: string }) {
  return useQuery({ queryKey: [...kbKeys.stats, range], queryFn: ({ signal }) => api.get<TKbStats>('/kb/stats', range, signal) });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: kbKeys.all });
}

export function useCreateKbArticle() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: TCreateKbArticleRequest) => api.post<TKbArticle>('/kb/articles', body), onSuccess: invalidate });
}

export function useUpdateKbArticle(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: TUpdateKbArticleRequest) => api.patch<TKbArticle>(`/kb/articles/${enc(id)}`, body), onSuccess: invalidate });
}

export function useKbTransition() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, action, note }: { id: string; action: TKbAction; note?: string }) => api.post<TKbArticle>(`/kb/articles/${enc(id)}/transitions`, { action, ...(note ? { note } : {}) }),
    onSuccess: invalidate,
  });
}

export function useKbRollback(id: string) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (version: number) => api.post<TKbArticle>(`/kb/articles/${enc(id)}/rollback`, { version }), onSuccess: invalidate });
}

export function useUploadKbAttachment(id: string) {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<TKbAttachment>(`/kb/articles/${enc(id)}/attachments`, form);
    },
  });
}

export function useCreateKbCategory() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: { code: string; nameZh: string; nameEn: string; parentId?: string | null }) => api.post<TKbCategory>('/kb/categories', body), onSuccess: invalidate });
}
