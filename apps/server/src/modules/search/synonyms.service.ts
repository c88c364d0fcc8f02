import type { TCreateSynonymGroupRequest, TSynonymGroup } from '@kefu/contracts';
import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../platform/auth-context.ts';
import { AppError } from '../../platform/errors.ts';
import { invalidateSynonymCache } from './search.service.ts';

// The synonym dictionary (同义词) of each brand: groups of terms a query is expanded with.

function toGroup(r: { id: string; terms: string[]; created_at: Date }): TSynonymGroup {
  return { id: r.id, terms: r.terms, createdAt: new Date(r.created_at).toISOString() };
}

export function createSynonymsService(deps: { db: Kysely<DB>; clock: () => Date }) {
  const { db, clock } = deps;

  function primaryBrand(auth: AuthContext): string {
    const brandId = auth.brandIds[0];
    if (!brandId) throw new AppError('auth.forbidden', 'No brand assigned to this account');
    return brandId;
  }

  return {
    async listSynonyms(auth: AuthContext): Promise<TSynonymGroup[]> {
      if (auth.brandIds.length === 0) return [];
      const rows = await db.selectFrom('kb_synonyms').select(['id', 'terms', 'created_at']).where('brand_id', 'in', auth.brandIds).orderBy('created_at').orderBy('id').execute();
      return rows.map(toGroup);
    },

    async createSynonyms(ctx: RequestContext, input: TCreateSynonymGroupRequest): Promise<TSynonymGroup> {
      const brandId = primaryBrand(ctx.auth);
      const terms = input.terms.map((t) => t.trim());
      const row = await db.transaction().execute(async (trx) => {
        const created = await trx.insertInto('kb_synonyms').values({ brand_id: brandId, terms, created_at: clock() }).returning(['id', 'terms', 'created_at']).executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, { action: 'kb.synonyms.create', entityType: 'kb_synonyms', entityId: created.id, brandId, after: { terms } });
        return created;
      });
      invalidateSynonymCache(brandId);
      return toGroup(row);
    },

    async deleteSynonyms(ctx: RequestContext, id: string): Promise<void> {
      const brandIds = ctx.auth.brandIds;
      const removed = await db.transaction().execute(async (trx) => {
        const row = brandIds.length === 0 ? undefined : await trx.deleteFrom('kb_synonyms').where('id', '=', id).where('brand_id', 'in', brandIds).returning(['id', 'brand_id', 'terms']).executeTakeFirst();
        if (!row) throw new AppError('resource.not_found', 'Synonym group not found');
        await recordAudit(trx, ctx, { action: 'kb.synonyms.delete', entityType: 'kb_synonyms', entityId: row.id, brandId: row.brand_id, before: { terms: row.terms } });
        return row;
      });
      invalidateSynonymCache(removed.brand_id);
    },
  };
}

export type SynonymsService = ReturnType<typeof createSynonymsService>;
