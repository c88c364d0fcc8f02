import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { DataScope, Role } from '../../../api/types';

export type UpdateRoleRequest = Partial<{ permissions: string[]; scope: DataScope; nameZh: string; nameEn: string }>;

export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: UpdateRoleRequest }) => api.patch<Role>(`/roles/${encodeURIComponent(code)}`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['roles'] });
      // The signed-in user's own permissions may have changed.
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

/** Groups permission codes by their prefix (`customer:read` → `customer`), keeping catalogue order. */
export function groupPermissions(permissions: readonly string[]): { group: string; permissions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const p of permissions) {
    const group = p.includes(':') ? p.slice(0, p.indexOf(':')) : p;
    const list = groups.get(group) ?? [];
    list.push(p);
    groups.set(group, list);
  }
  return [...groups].map(([group, list]) => ({ group, permissions: list }));
}
