import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { ApiToken, CreatedApiToken, ItemList } from '../../../api/types';

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<void>('/me/password', body),
  });
}

export function useApiTokens() {
  return useQuery({
    queryKey: ['api-tokens'],
    queryFn: ({ signal }) => api.get<ItemList<ApiToken>>('/api-tokens', undefined, signal).then((r) => r.items),
  });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: string[]; expiresAt?: string }) => api.post<CreatedApiToken>('/api-tokens', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-tokens/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
}
