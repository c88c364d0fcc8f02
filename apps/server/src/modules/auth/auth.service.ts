import {
  ACCOUNT_THROTTLE,
  type DataScope,
  getRetryAfterSeconds,
  IP_THROTTLE,
  isPermission,
  recordLoginFailure,
  type ThrottlePolicy,
  type ThrottleState,
} from '@kefu/domain';
import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { enqueueEvent, type Executor, recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { findPasswordWeakness, hashPassword, verifyPassword } from '../../platform/passwords.ts';
import { generateSecretToken, hashApiToken, hashSessionToken } from './auth.tokens.ts';

export type Clock = () => Date;

export type AuthServiceDeps = { db: Kysely<DB>; clock: Clock; sessionSecret: string; sessionTtlHours: number };

// Verifying against a real hash keeps the timing of unknown usernames equal to wrong passwords.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword('not-a-real-password-0'));

export type LoginInput = { username: string; password: string; ip: string | null; userAgent: string | null; requestId: string };

export function createAuthService({ db, clock, sessionSecret, sessionTtlHours }: AuthServiceDeps) {
  async function loadThrottle(key: string): Promise<ThrottleState | null> {
    const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? { failures: row.failures, firstFailureAt: row.first_failure_at, lockedUntil: row.locked_until } : null;
  }

  async function saveFailure(key: string, policy: ThrottlePolicy, now: Date): Promise<void> {
    const next = recordLoginFailure(await loadThrottle(key), now, policy);
    await db
      .insertInto('login_throttle')
      .values({ key, failures: next.failures, first_failure_at: next.firstFailureAt, locked_until: next.lockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: next.failures,
          first_failure_at: next.firstFailureAt,
          locked_until: next.lockedUntil,
        }),
      )
      .execute();
  }

  async function assertNotThrottled(keys: string[], now: Date): Promise<void> {
    for (const key of keys) {
      const retryAfterSeconds = getRetryAfterSeconds(await loadThrottle(key), now);
      if (retryAfterSeconds > 0) {
        throw new AppError(
          'auth.throttled',
          `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
          { retryAfterSeconds },
        );
      }
    }
  }

  async function createSession(userId: string, ip: string | null, userAgent: string | null, now: Date) {
    const token = generateSecretToken('ks');
    const expiresAt = new Date(now.getTime() + sessionTtlHours * 3_600_000);
    await db
      .insertInto('sessions')
      .values({ token_hash: hashSessionToken(sessionSecret, token), user_id: userId, expires_at: expiresAt, ip, user_agent: userAgent?.slice(0, 300) ?? null })
      .execute();
    return { token, expiresAt };
  }

  return {
    /** Checks credentials under per-account and per-IP throttling; returns a new session token. */
    async login(input: LoginInput) {
      const now = clock();
      const accountKey = `user:${input.username.toLowerCase()}`;
      const ipKey = input.ip ? `ip:${input.ip}` : null;
      await assertNotThrottled(ipKey ? [accountKey, ipKey] : [accountKey], now);
      const user = await db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash', 'disabled'])
        .where(sql`lower(username)`, '=', input.username.toLowerCase())
        .executeTakeFirst();
      const valid = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password);
      if (!user || !valid) {
        await saveFailure(accountKey, ACCOUNT_THROTTLE, now);
        if (ipKey) await saveFailure(ipKey, IP_THROTTLE, now);
        await recordAudit(db, { actorName: input.username.slice(0, 100), requestId: input.requestId, ip: input.ip }, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
        });
        throw new AppError('auth.invalid_credentials', 'Wrong username or password');
      }
      if (user.disabled) throw new AppError('auth.user_disabled', 'This account is disabled. Ask an administrator.');
      await db.deleteFrom('login_throttle').where('key', '=', accountKey).execute();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
        await recordAudit(trx, { actorName: user.username, requestId: input.requestId, ip: input.ip }, {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
        });
      });
      return { userId: user.id, ...(await createSession(user.id, input.ip, input.userAgent, now)) };
    },

    async logout(sessionId: string) {
      await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    /** Resolves a session cookie to its user; expired sessions and disabled users resolve to null. */
    async authenticateSession(token: string): Promise<AuthContext | null> {
      const now = clock();
      // One round trip: the session, its user, role and brands (this runs on every request).
      const row = await authQuery(db)
        .innerJoin('sessions', 'sessions.user_id', 'users.id')
        .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.last_seen_at'])
        .where('sessions.token_hash', '=', hashSessionToken(sessionSecret, token))
        .executeTakeFirst();
      if (!row || row.expires_at <= now || row.disabled) return null;
      // Touch at most once a minute so reads stay reads.
      if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
        await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.session_id).execute();
      }
      return toAuthContext(row, 'session', row.session_id, null);
    },

    /** Resolves a bearer token; its scopes narrow the owner's role permissions. */
    async authenticateToken(token: string): Promise<AuthContext | null> {
      const now = clock();
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
        .where('token_hash', '=', hashApiToken(token))
        .executeTakeFirst();
      if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;
      const auth = await loadAuthContext(db, row.user_id, 'token', null, row.scopes);
      if (auth && (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000)) {
        await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      }
      return auth;
    },

    /** Changes one's own password and ends every other session of the user. */
    async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string) {
      const user = await db.selectFrom('users').select(['password_hash']).where('id', '=', ctx.auth.userId).executeTakeFirstOrThrow();
      if (!(await verifyPassword(user.password_hash, currentPassword))) {
        throw new AppError('auth.invalid_credentials', 'The current password is wrong');
      }
      await setPassword(db, ctx, ctx.auth.userId, newPassword, ctx.auth.sessionId, clock());
    },

    async listApiTokens(auth: AuthContext) {
      return db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
        .where('user_id', '=', auth.userId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    async createApiToken(ctx: RequestContext, input: { name: string; scopes: string[]; expiresAt?: string | undefined }) {
      for (const scope of input.scopes) {
        if (!isPermission(scope) || !ctx.auth.permissions.has(scope)) {
          throw new AppError('token.unknown_scope', `Scope ${scope} is not one of your permissions`, { scope });
        }
      }
      const token = generateSecretToken('kft');
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('api_tokens')
          .values({
            user_id: ctx.auth.userId,
            name: input.name,
            token_hash: hashApiToken(token),
            scopes: input.scopes,
            expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
          })
          .returning(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'token.create', entityType: 'api_token', entityId: row.id, after: { name: row.name, scopes: row.scopes } });
        return { ...row, token };
      });
    },

    async revokeApiToken(ctx: RequestContext, id: string) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('api_tokens')
          .set({ revoked_at: clock() })
          .where('id', '=', id)
          .where('user_id', '=', ctx.auth.userId)
          .where('revoked_at', 'is', null)
          .returning(['id'])
          .executeTakeFirst();
        if (!row) throw new AppError('resource.not_found', 'API token not found', { entity: 'api_token', id });
        await recordAudit(trx, ctx, { action: 'token.revoke', entityType: 'api_token', entityId: id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function authQuery(db: Executor) {
  return db
    .selectFrom('users')
    .innerJoin('roles', 'roles.code', 'users.role')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.disabled',
      'users.department_id',
      'users.customer_id',
      'roles.permissions',
      'roles.scope',
      sql<string[]>`coalesce((select array_agg(ub.brand_id::text) from user_brands ub where ub.user_id = users.id), '{}')`.as('brand_ids'),
    ]);
}

type AuthRow = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  department_id: string | null;
  customer_id: string | null;
  permissions: string[];
  scope: string;
  brand_ids: string[];
};

function toAuthContext(row: AuthRow, via: 'session' | 'token', sessionId: string | null, tokenScopes: string[] | null): AuthContext {
  const permissions = tokenScopes ? row.permissions.filter((p) => tokenScopes.includes(p)) : row.permissions;
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    permissions: new Set(permissions),
    scope: row.scope as DataScope,
    brandIds: row.brand_ids,
    departmentId: row.department_id,
    customerId: row.customer_id,
    via,
    sessionId,
  };
}

/** Loads the user, role permissions and brands behind a session or token in one query. */
export async function loadAuthContext(
  db: Executor,
  userId: string,
  via: 'session' | 'token',
  sessionId: string | null,
  tokenScopes: string[] | null,
): Promise<AuthContext | null> {
  const row = await authQuery(db).where('users.id', '=', userId).executeTakeFirst();
  if (!row || row.disabled) return null;
  return toAuthContext(row, via, sessionId, tokenScopes);
}

/** Sets a password and ends the user's sessions (except the one making the change, if any). */
export async function setPassword(
  db: Kysely<DB>,
  ctx: RequestContext,
  userId: string,
  newPassword: string,
  keepSessionId: string | null,
  now: Date,
): Promise<void> {
  const weakness = findPasswordWeakness(newPassword);
  if (weakness) throw new AppError('auth.weak_password', `The new password needs ${weakness}`, { requirement: weakness });
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now, updated_at: now }).where('id', '=', userId).execute();
    let q = trx.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionId) q = q.where('id', '!=', keepSessionId);
    await q.execute();
    await recordAudit(trx, ctx, { action: ctx.auth.userId === userId ? 'user.password_change' : 'user.password_reset', entityType: 'user', entityId: userId });
    await enqueueEvent(trx, { topic: 'user.password_changed', aggregateType: 'user', aggregateId: userId, payload: { userId, userIds: [userId] } });
  });
}
