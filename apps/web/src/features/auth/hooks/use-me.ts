import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { api } from '../../../api/client';
import type { Me } from '../../../api/types';

export const ME_QUERY_KEY = ['me'] as const;

export function useMeQuery() {
  return useQuery({
    queryKey: ME_QUERY_KEY,
    queryFn: ({ signal }) => api.get<Me>('/me', undefined, signal),
    staleTime: 60_000,
    retry: false,
  });
}

export const MeContext = createContext<Me | null>(null);

/** The signed-in user; only usable below the authenticated app frame. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() used outside the authenticated app frame');
  return me;
}

/** `can('customer:unmask')`: hides what the user may not use (the server still enforces it). */
export function useCan(): (permission: string) => boolean {
  const me = useContext(MeContext);
  return useCallback((permission: string) => Boolean(me?.permissions.includes(permission)), [me]);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<{ user: Me }>('/auth/login', body),
    onSuccess: (data) => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, data.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      queryClient.clear();
    },
  });
}
