import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type {
  CreateCustomerRequest,
  Customer,
  IdentityKind,
  ImportResult,
  Page,
  CustomerSummary,
  UpdateCustomerRequest,
} from '../../../api/types';

export type CustomerFilters = { q?: string; areaId?: string; flag?: string; tag?: string };

export const CUSTOMERS_PAGE_SIZE = 20;

export function useCustomerList(filters: CustomerFilters) {
  return useInfiniteQuery({
    queryKey: ['customers', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<CustomerSummary>>('/customers', { ...filters, limit: CUSTOMERS_PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: ['customers', 'detail', id],
    queryFn: ({ signal }) => api.get<Customer>(`/customers/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

function useCustomerCacheUpdate() {
  const queryClient = useQueryClient();
  return (customer: Customer) => {
    // Writes answer masked data; never put an unmasked copy into the shared cache.
    if (customer.masked !== false) queryClient.setQueryData(['customers', 'detail', customer.id], customer);
    else void queryClient.invalidateQueries({ queryKey: ['customers', 'detail', customer.id] });
    void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
  };
}

export function useCreateCustomer() {
  const update = useCustomerCacheUpdate();
  return useMutation({
    mutationFn: (body: CreateCustomerRequest) => api.post<Customer>('/customers', body),
    onSuccess: update,
  });
}

export function useUpdateCustomer(id: string) {
  const update = useCustomerCacheUpdate();
  return useMutation({
    mutationFn: (body: UpdateCustomerRequest) => api.patch<Customer>(`/customers/${encodeURIComponent(id)}`, body),
    onSuccess: update,
  });
}

export function useAddIdentity(id: string) {
  const update = useCustomerCacheUpdate();
  return useMutation({
    mutationFn: (body: { kind: IdentityKind; value: string }) => api.post<Customer>(`/customers/${encodeURIComponent(id)}/identities`, body),
    onSuccess: update,
  });
}

export function useRemoveIdentity(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (identityId: string) => api.delete(`/customers/${encodeURIComponent(id)}/identities/${encodeURIComponent(identityId)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['customers', 'detail', id] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
    },
  });
}

/** Unmasking is audited server-side; the result lives only in the page's state, not the cache. */
export function useRevealCustomer(id: string) {
  return useMutation({
    mutationFn: () => api.post<Customer>(`/customers/${encodeURIComponent(id)}/reveal`),
  });
}

export function useImportCustomers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<ImportResult>('/customers/import', form, { dryRun });
    },
    onSuccess: (result) => {
      if (!result.dryRun) void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
    },
  });
}
