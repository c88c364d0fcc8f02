import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { AuditEntry, Page } from '../../../api/types';

export type AuditFilters = { actorId?: string; action?: string; entityType?: string; entityId?: string; from?: string; to?: string };

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<AuditEntry>>('/audit', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
