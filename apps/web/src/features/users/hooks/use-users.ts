import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { CreateUserRequest, Page, UpdateUserRequest, User } from '../../../api/types';

export type UserFilters = { q?: string; role?: string };

export function useUserList(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: ['users', 'list', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<User>>('/users', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A first page of users for pickers (audit actor filter). */
export function useUserOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'options'],
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 200 }, signal).then((r) => r.items),
    enabled,
    staleTime: 5 * 60_000,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['users'] });
    void queryClient.invalidateQueries({ queryKey: ['roles'] }); // user counts per role
  };
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({ mutationFn: (body: CreateUserRequest) => api.post<User>('/users', body), onSuccess: invalidate });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserRequest }) => api.patch<User>(`/users/${encodeURIComponent(id)}`, body),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, newPassword }: { id: string; newPassword: string }) =>
      api.post<void>(`/users/${encodeURIComponent(id)}/reset-password`, { newPassword }),
  });
}
