import type { DataScope, Permission } from '@kefu/domain';

/** Who is calling, resolved once per request from the session cookie or a bearer token. */
export type AuthContext = {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  permissions: ReadonlySet<string>;
  scope: DataScope;
  brandIds: readonly string[];
  departmentId: string | null;
  customerId: string | null;
  via: 'session' | 'token';
  sessionId: string | null;
};

/** What every write needs besides its input: the actor and where the request came from. */
export type RequestContext = { auth: AuthContext; requestId: string; ip: string | null };

/** Route access: a permission, any signed-in user, or public. Every route must declare one. */
export type RouteAccess = Permission | 'authenticated' | 'public';
