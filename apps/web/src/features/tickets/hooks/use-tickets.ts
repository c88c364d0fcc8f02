import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type {
  BulkDispatchRequest,
  BulkDispatchResponse,
  CategoryNode,
  CreateTicketRequest,
  CreateTicketResponse,
  DepartmentMember,
  ItemList,
  Page,
  Ticket,
  TicketAction,
  TicketBoard,
  TicketDetail,
  TicketEvent,
  TicketListFilters,
  TicketPriority,
  TicketSummary,
} from '../../../api/types';

export const TICKETS_PAGE_SIZE = 30;
const enc = encodeURIComponent;

export const ticketKeys = {
  all: ['tickets'] as const,
  list: (filters: TicketListFilters, limit: number) => ['tickets', 'list', filters, limit] as const,
  detail: (id: string) => ['tickets', 'detail', id] as const,
  events: (id: string) => ['tickets', 'events', id] as const,
  board: ['tickets', 'board'] as const,
};

export function useTicketList(filters: TicketListFilters, limit = TICKETS_PAGE_SIZE, enabled = true, refetchInterval?: number) {
  return useInfiniteQuery({
    queryKey: ticketKeys.list(filters, limit),
    queryFn: ({ pageParam, signal }) => api.get<Page<TicketSummary>>('/tickets', { ...filters, limit, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    ...(refetchInterval ? { refetchInterval } : {}),
  });
}

/** The order with its timeline; the timeline also fills the events cache, so the page makes one request. */
export function useTicket(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ticketKeys.detail(id ?? ''),
    queryFn: async ({ signal }) => {
      const detail = await api.get<TicketDetail>(`/tickets/${enc(id ?? '')}`, undefined, signal);
      if (Array.isArray(detail.timeline)) queryClient.setQueryData(ticketKeys.events(detail.id), detail.timeline);
      return detail as Ticket;
    },
    enabled: Boolean(id),
  });
}

/** A handful of orders by id (the candidates of ticket.choose_order_to_urge). */
export function useTicketsByIds(ids: readonly string[]) {
  return useQuery({
    queryKey: ['tickets', 'by-ids', [...ids].sort()],
    queryFn: ({ signal }) => Promise.all(ids.map((id) => api.get<Ticket>(`/tickets/${enc(id)}`, undefined, signal))),
    enabled: ids.length > 0,
  });
}

export function useTicketEvents(id: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.events(id ?? ''),
    queryFn: ({ signal }) => api.get<ItemList<TicketEvent>>(`/tickets/${enc(id ?? '')}/events`, undefined, signal).then((r) => r.items),
    enabled: Boolean(id),
  });
}

/** After any write: the fresh order goes into the cache, its timeline and the lists reload. */
function useTicketWritten() {
  const queryClient = useQueryClient();
  return (ticket: Ticket) => {
    queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
    void queryClient.invalidateQueries({ queryKey: ticketKeys.events(ticket.id) });
    void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['tickets', 'by-ids'] });
    void queryClient.invalidateQueries({ queryKey: ticketKeys.board });
  };
}

export function useTicketAction(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: ({ action, expectedVersion }: { action: TicketAction; expectedVersion?: number }) =>
      api.post<Ticket>(`/tickets/${enc(id)}/actions`, { action, expectedVersion }),
    onSuccess: written,
  });
}

/** Urge (催办) any order from a list: the id travels with the call. */
export function useUrgeTicket() {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) =>
      api.post<Ticket>(`/tickets/${enc(id)}/actions`, { action: { type: 'urge', ...(note ? { note } : {}) } }),
    onSuccess: written,
  });
}

export function useAddTicketNote(id: string) {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: (body: { body: string; visibility: 'internal' | 'customer' }) => api.post<Ticket>(`/tickets/${enc(id)}/notes`, body),
    onSuccess: written,
  });
}

export function useCreateTicket() {
  const written = useTicketWritten();
  return useMutation({
    mutationFn: (body: CreateTicketRequest) => api.post<CreateTicketResponse>('/tickets', body),
    onSuccess: ({ outcome: _outcome, ...ticket }) => written(ticket),
  });
}

export function useTicketCategories(enabled = true) {
  return useQuery({
    queryKey: ['ticket-categories'],
    queryFn: ({ signal }) => api.get<ItemList<CategoryNode>>('/ticket-categories', undefined, signal).then((r) => r.items),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useDispatchSuggestion(params: { categoryCode?: string; areaId?: string | null; priority?: TicketPriority }, enabled = true) {
  const { categoryCode, areaId, priority } = params;
  return useQuery({
    queryKey: ['tickets', 'dispatch-suggestion', categoryCode, areaId ?? null, priority ?? 'normal'],
    queryFn: ({ signal }) =>
      api.get<{ department: { id: string; name: string } | null; assigneeId?: string | null }>(
        '/tickets/dispatch-suggestion',
        { categoryCode, areaId: areaId ?? undefined, priority: priority ?? 'normal' },
        signal,
      ),
    enabled: enabled && Boolean(categoryCode),
    staleTime: 60_000,
  });
}

/** The active members of one department (the people an order can be dispatched to); needs only ticket:read. */
export function useDepartmentMembers(departmentId: string | undefined | null) {
  return useQuery({
    queryKey: ['departments', departmentId ?? '', 'members'],
    queryFn: ({ signal }) => api.get<ItemList<DepartmentMember>>(`/departments/${enc(departmentId ?? '')}/members`, undefined, signal).then((r) => r.items),
    staleTime: 5 * 60_000,
    enabled: Boolean(departmentId),
  });
}

/** Dispatches many orders at once (≤200); each succeeds or fails on its own. Lists and the board reload. */
export function useBulkDispatch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkDispatchRequest) => api.post<BulkDispatchResponse>('/tickets/bulk-dispatch', body),
    onSuccess: (result) => {
      for (const r of result.results) {
        if (r.ok) void queryClient.invalidateQueries({ queryKey: ticketKeys.detail(r.ticketId) });
      }
      void queryClient.invalidateQueries({ queryKey: ['tickets', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.board });
    },
  });
}

export const BOARD_REFRESH_MS = 30_000;

/** Open orders by status, SLA state and department; refreshed every 30 s (and on realtime ticket events). */
export function useTicketBoard(enabled = true) {
  return useQuery({
    queryKey: ticketKeys.board,
    queryFn: ({ signal }) => api.get<TicketBoard>('/tickets/board', undefined, signal),
    refetchInterval: BOARD_REFRESH_MS,
    staleTime: 10_000,
    enabled,
  });
}
