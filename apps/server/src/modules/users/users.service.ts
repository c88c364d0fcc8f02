import type { DB } from '@kefu/db';
import { isPermission } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';

import type { ZCreateUserRequest, ZUpdateRoleRequest, ZUpdateUserRequest, ZUserListQuery } from '@kefu/contracts';
import { enqueueEvent, recordAudit } from '../../platform/audit.ts';
import type { RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { findPasswordWeakness, hashPassword } from '../../platform/passwords.ts';
import { setPassword } from '../auth/index.ts';
import { z } from 'zod';

const ZUserCursor = z.tuple([z.string(), z.string()]);

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  role: string;
  work_number: string | null;
  team_id: string | null;
  department_id: string | null;
  skills: string[];
  languages: string[];
  disabled: boolean;
  last_login_at: Date | null;
  created_at: Date;
};

const USER_COLUMNS = ['id', 'username', 'display_name', 'role', 'work_number', 'team_id', 'department_id', 'skills', 'languages', 'disabled', 'last_login_at', 'created_at'] as const;

export function toUser(r: UserRow) {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    workNumber: r.work_number,
    teamId: r.team_id,
    departmentId: r.department_id,
    skills: r.skills,
    languages: r.languages,
    disabled: r.disabled,
    lastLoginAt: r.last_login_at ? r.last_login_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

export function createUsersService({ db, clock }: { db: Kysely<DB>; clock: () => Date }) {
  async function assertRole(role: string) {
    if (!(await db.selectFrom('roles').select('code').where('code', '=', role).executeTakeFirst())) {
      throw new AppError('user.unknown_role', `Unknown role ${role}`, { role });
    }
  }

  async function getUser(id: string) {
    const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('resource.not_found', 'User not found', { entity: 'user', id });
    return row;
  }

  return {
    /** Staff list ordered by username; customer-portal accounts are listed only when filtered by role. */
    async listUsers(query: z.infer<typeof ZUserListQuery>) {
      let q = db.selectFrom('users').select(USER_COLUMNS);
      if (query.role) q = q.where('role', '=', query.role);
      else q = q.where('role', '!=', 'customer');
      if (query.q) {
        const like = `%${query.q.toLowerCase()}%`;
        q = q.where((eb) => eb.or([eb(sql`lower(username)`, 'like', like), eb('display_name', 'like', like), eb('work_number', 'like', like)]));
      }
      const after = decodeCursor(query.cursor, ZUserCursor);
      if (after) q = q.where(sql<boolean>`(lower(username), id) > (${after[0]}, ${after[1]}::uuid)`);
      const rows = await q.orderBy(sql`lower(username)`).orderBy('id').limit(query.limit + 1).execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return { items: page.map(toUser), nextCursor: rows.length > query.limit && last ? encodeCursor([last.username.toLowerCase(), last.id]) : null };
    },

    async createUser(ctx: RequestContext, input: z.infer<typeof ZCreateUserRequest>) {
      await assertRole(input.role);
      const weakness = findPasswordWeakness(input.password);
      if (weakness) throw new AppError('auth.weak_password', `The password needs ${weakness}`, { requirement: weakness });
      const taken = await db.selectFrom('users').select('id').where(sql`lower(username)`, '=', input.username.toLowerCase()).executeTakeFirst();
      if (taken) throw new AppError('user.username_taken', 'This username is taken', { username: input.username });
      const passwordHash = await hashPassword(input.password);
      const row = await db.transaction().execute(async (trx) => {
        const created = await trx
          .insertInto('users')
          .values({
            username: input.username,
            display_name: input.displayName,
            password_hash: passwordHash,
            role: input.role,
            work_number: input.workNumber ?? null,
            team_id: input.teamId ?? null,
            department_id: input.departmentId ?? null,
            skills: input.skills ?? [],
            languages: input.languages ?? [],
          })
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
        // New staff serve the creator's brands.
        if (ctx.auth.brandIds.length > 0) {
          await trx.insertInto('user_brands').values(ctx.auth.brandIds.map((brand_id) => ({ user_id: created.id, brand_id }))).execute();
        }
        const { password: _p, ...safe } = input;
        await recordAudit(trx, ctx, { action: 'user.create', entityType: 'user', entityId: created.id, after: safe });
        await enqueueEvent(trx, { topic: 'user.created', aggregateType: 'user', aggregateId: created.id, payload: { userId: created.id } });
        return created;
      });
      return toUser(row);
    },

    async updateUser(ctx: RequestContext, id: string, patch: z.infer<typeof ZUpdateUserRequest>) {
      const before = await getUser(id);
      if (patch.role) await assertRole(patch.role);
      if (patch.disabled === true && id === ctx.auth.userId) throw new AppError('user.cannot_disable_self', 'You cannot disable your own account');
      const row = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('users')
          .set({
            ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
            ...(patch.role !== undefined ? { role: patch.role } : {}),
            ...(patch.workNumber !== undefined ? { work_number: patch.workNumber } : {}),
            ...(patch.teamId !== undefined ? { team_id: patch.teamId } : {}),
            ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
            ...(patch.skills !== undefined ? { skills: patch.skills } : {}),
            ...(patch.languages !== undefined ? { languages: patch.languages } : {}),
            ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
            updated_at: clock(),
          })
          .where('id', '=', id)
          .returning(USER_COLUMNS)
          .executeTakeFirstOrThrow();
        // Disabling ends every session at once.
        if (patch.disabled === true) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        await recordAudit(trx, ctx, { action: patch.disabled === true ? 'user.disable' : 'user.update', entityType: 'user', entityId: id, before: toUser(before), after: patch });
        await enqueueEvent(trx, { topic: 'user.updated', aggregateType: 'user', aggregateId: id, payload: { userId: id, fields: Object.keys(patch) } });
        return updated;
      });
      return toUser(row);
    },

    async resetPassword(ctx: RequestContext, id: string, newPassword: string) {
      await getUser(id);
      await setPassword(db, ctx, id, newPassword, null, clock());
    },

    async listRoles() {
      const rows = await db
        .selectFrom('roles')
        .select(['code', 'name_zh', 'name_en', 'permissions', 'scope', 'builtin', sql<number>`(select count(*)::int from users u where u.role = roles.code)`.as('user_count')])
        .orderBy('builtin', 'desc')
        .orderBy('code')
        .execute();
      return rows.map(toRole);
    },

    async updateRole(ctx: RequestContext, code: string, patch: z.infer<typeof ZUpdateRoleRequest>) {
      const before = await db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
      if (!before) throw new AppError('resource.not_found', 'Role not found', { entity: 'role', id: code });
      if (code === 'admin' && (patch.permissions !== undefined || patch.scope !== undefined)) {
        throw new AppError('role.builtin_admin_locked', 'The administrator role always holds every permission');
      }
      const unknown = patch.permissions?.find((p) => !isPermission(p));
      if (unknown) throw new AppError('validation.failed', `Unknown permission ${unknown}`, { permission: unknown });
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('roles')
          .set({
            ...(patch.permissions !== undefined ? { permissions: [...new Set(patch.permissions)].sort() } : {}),
            ...(patch.scope !== undefined ? { scope: patch.scope } : {}),
            ...(patch.nameZh !== undefined ? { name_zh: patch.nameZh } : {}),
            ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
            updated_at: clock(),
          })
          .where('code', '=', code)
          .execute();
        await recordAudit(trx, ctx, { action: 'role.update', entityType: 'role', entityId: code, before, after: patch });
        await enqueueEvent(trx, { topic: 'role.updated', aggregateType: 'role', aggregateId: code, payload: { code } });
      });
      return (await this.listRoles()).find((r) => r.code === code);
    },
  };
}

function toRole(r: { code: string; name_zh: string; name_en: string; permissions: string[]; scope: string; builtin: boolean; user_count: number }) {
  return { code: r.code, nameZh: r.name_zh, nameEn: r.name_en, permissions: r.permissions, scope: r.scope, builtin: r.builtin, userCount: r.user_count };
}

export type UsersService = ReturnType<typeof createUsersService>;
