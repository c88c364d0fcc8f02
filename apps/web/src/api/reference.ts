// Reference data used across features. It changes rarely, so it is cached for minutes.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Area, AttributeDefinition, Department, ItemList, Role, Team } from './types';

const REFERENCE_STALE_MS = 5 * 60_000;

export function useAreas(enabled = true) {
  return useQuery({
    queryKey: ['areas'],
    queryFn: ({ signal }) => api.get<ItemList<Area>>('/areas', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function useCustomerAttributes(enabled = true) {
  return useQuery({
    queryKey: ['customer-attributes'],
    queryFn: ({ signal }) => api.get<ItemList<AttributeDefinition>>('/customer-attributes', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => api.get<ItemList<Team>>('/teams', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: ['departments'],
    queryFn: ({ signal }) => api.get<ItemList<Department>>('/departments', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: ({ signal }) => api.get<ItemList<Role>>('/roles', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

export function usePermissionCatalogue(enabled = true) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => api.get<ItemList<string>>('/permissions', undefined, signal).then((r) => r.items),
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}
