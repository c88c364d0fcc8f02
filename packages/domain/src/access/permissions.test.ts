import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, DEFAULT_ROLES, hasPermission, isPermission, PERMISSIONS } from './permissions.ts';

describe('default roles', () => {
  it('gives admins every permission', () => {
    expect([...DEFAULT_ROLES.admin.permissions].sort()).toEqual([...PERMISSIONS].sort());
  });
  it('only lets admins manage roles and users', () => {
    for (const role of BUILTIN_ROLES) {
      if (role === 'admin') continue;
      expect(hasPermission(DEFAULT_ROLES[role].permissions, 'role:manage')).toBe(false);
      expect(hasPermission(DEFAULT_ROLES[role].permissions, 'user:manage')).toBe(false);
    }
  });
  it('scopes department members, account managers and customers', () => {
    expect(DEFAULT_ROLES.department_member.scope).toBe('department');
    expect(DEFAULT_ROLES.account_manager.scope).toBe('areas');
    expect(DEFAULT_ROLES.customer.scope).toBe('self');
  });
  it('never lets an agent unmask personal data by default', () => {
    expect(hasPermission(DEFAULT_ROLES.agent.permissions, 'customer:unmask')).toBe(false);
  });
  it('rejects unknown permission strings', () => {
    expect(isPermission('customer:read')).toBe(true);
    expect(isPermission('customer:delete-all')).toBe(false);
  });
});
