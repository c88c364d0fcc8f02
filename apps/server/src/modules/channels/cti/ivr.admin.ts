// The IVR designer's side of a CTI channel (docs/cti.md, "The IVR menu"): one editable draft per
// channel (ivr_documents, optimistic concurrency on `version`) and immutable published versions
// numbered 1, 2, 3… (ivr_versions). The tree rules are the domain's (validateIvrTree,
// publishIvrDraft); the PBX gets the latest version through loadPublishedIvr.
import type { DB } from '@kefu/db';
import {
  encodeIvrPath,
  type IvrDocument,
  type IvrIssue,
  type IvrSimulation,
  type IvrStep,
  type IvrTree,
  type PublishedIvr,
  press,
  publishIvrDraft,
  startIvr,
  validateIvrTree,
} from '@kefu/domain';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../../../platform/audit.ts';
import type { AuthContext, RequestContext } from '../../../platform/auth-context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { TIvrTree } from './cti.ivr-schema.ts';

export type IvrVersionSummary = { version: number; publishedAt: string; publishedBy: string | null; publishedByName: string | null };

export type IvrDocumentDto = {
  channelId: string;
  /** As stored: every tree passed ZIvrTree on its way in. */
  draft: TIvrTree | null;
  /** The draft's optimistic-concurrency version: 0 before the first save. */
  draftVersion: number;
  /** validateIvrTree of the draft (errors block publishing, warnings do not). */
  issues: IvrIssue[];
  /** Newest first. */
  versions: IvrVersionSummary[];
  /** The version the PBX gets. */
  published: { version: number; publishedAt: string } | null;
};

export type IvrVersionDto = IvrVersionSummary & { channelId: string; tree: TIvrTree };
export type IvrPublishResult = { version: number; publishedAt: string; warnings: IvrIssue[] };
export type IvrSimulateInput = { tree: IvrTree; language?: string; state?: IvrSimulation; digits?: string };
export type IvrSimulateResult = Omit<IvrStep, 'state'> & { state: Omit<IvrSimulation, 'stack' | 'path'> & { stack: { nodeId: string; pathLength: number }[]; path: string[] }; ivrPath: string };

/** The latest published version of a channel's IVR (what the PBX runs), or null before the first publish. */
export async function loadPublishedIvr(db: Kysely<DB>, channelId: string): Promise<PublishedIvr | null> {
  const row = await db.selectFrom('ivr_versions').select(['version', 'published_at', 'tree']).where('channel_id', '=', channelId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: row.version, publishedAt: row.published_at, tree: row.tree as IvrTree } : null;
}

// What the simulator says for a self-service node: the real text comes from the integration at
// call time (GET …/ivr/self-service); the designer shows a placeholder for "[action:parameter]".
const simulatedSelfService = (action: string, parameter: string | null) => `[${action}${parameter ? `:${parameter}` : ''}]`;

export function createIvrAdmin(deps: { db: Kysely<DB>; clock: () => Date }) {
  const { db, clock } = deps;

  /** The caller's CTI channel, or 404 (another brand's channel and a non-CTI channel look the same). */
  async function findChannel(ex: Kysely<DB>, auth: AuthContext, channelId: string) {
    const row = await ex.selectFrom('channels').select(['id', 'brand_id', 'type']).where('id', '=', channelId).where('brand_id', 'in', [...auth.brandIds]).executeTakeFirst();
    if (row?.type !== 'cti') throw new AppError('resource.not_found', 'No such CTI channel', { entity: 'channel', id: channelId });
    return row;
  }

  async function loadDocument(ex: Kysely<DB>, channelId: string): Promise<IvrDocumentDto> {
    const doc = await ex.selectFrom('ivr_documents').select(['draft', 'version']).where('channel_id', '=', channelId).executeTakeFirst();
    const versions = await ex
      .selectFrom('ivr_versions as v')
      .leftJoin('users as u', 'u.id', 'v.published_by')
      .select(['v.version', 'v.published_at', 'v.published_by', 'u.display_name'])
      .where('v.channel_id', '=', channelId)
      .orderBy('v.version', 'desc')
      .execute();
    const draft = (doc?.draft ?? null) as TIvrTree | null;
    const latest = versions[0];
    return {
      channelId,
      draft,
      draftVersion: doc?.version ?? 0,
      issues: draft ? validateIvrTree(draft) : [],
      versions: versions.map((v) => ({ version: v.version, publishedAt: v.published_at.toISOString(), publishedBy: v.published_by, publishedByName: v.display_name })),
      published: latest ? { version: latest.version, publishedAt: latest.published_at.toISOString() } : null,
    };
  }

  // Every write locks the channel's ivr_documents row, so saves, restores and publishes of one
  // channel run one after the other (two publishes never compute the same version number; the
  // primary key of ivr_versions would refuse it anyway).
  async function lockDocument(trx: Transaction<DB>, channelId: string) {
    return trx.selectFrom('ivr_documents').select(['draft', 'version']).where('channel_id', '=', channelId).forUpdate().executeTakeFirst();
  }

  function checkVersion(expected: number | undefined, actual: number) {
    if (expected !== undefined && expected !== actual) {
      throw new AppError('ivr.version_conflict', 'The IVR draft was changed meanwhile; reload it and edit again', { expected, actual });
    }
  }

  /** Replaces the draft (creating the document on the first save); returns the new draft version. */
  async function writeDraft(trx: Transaction<DB>, ctx: RequestContext, channelId: string, tree: IvrTree, expected: number | undefined): Promise<number> {
    const current = await lockDocument(trx, channelId);
    checkVersion(expected, current?.version ?? 0);
    const now = clock();
    if (!current) {
      const inserted = await trx
        .insertInto('ivr_documents')
        .values({ channel_id: channelId, draft: JSON.stringify(tree), version: 1, updated_by: ctx.auth.userId, updated_at: now })
        .onConflict((oc) => oc.column('channel_id').doNothing())
        .returning('version')
        .executeTakeFirst();
      // Another admin created the document between our read and insert.
      if (!inserted) throw new AppError('ivr.version_conflict', 'The IVR draft was changed meanwhile; reload it and edit again', { expected: expected ?? 0, actual: 1 });
      return inserted.version;
    }
    const next = current.version + 1;
    await trx.updateTable('ivr_documents').set({ draft: JSON.stringify(tree), version: next, updated_by: ctx.auth.userId, updated_at: now }).where('channel_id', '=', channelId).execute();
    return next;
  }

  const summarize = (tree: IvrTree) => {
    const issues = validateIvrTree(tree);
    return { nodes: tree.nodes.length, errors: issues.filter((i) => i.severity === 'error').length, warnings: issues.filter((i) => i.severity === 'warning').length };
  };

  return {
    async get(auth: AuthContext, channelId: string): Promise<IvrDocumentDto> {
      await findChannel(db, auth, channelId);
      return loadDocument(db, channelId);
    },

    /** Saves the draft as it is: a draft may have errors (they are returned as issues), only publishing refuses them. */
    async saveDraft(ctx: RequestContext, channelId: string, input: { tree: IvrTree; version?: number }): Promise<IvrDocumentDto> {
      return db.transaction().execute(async (trx) => {
        const channel = await findChannel(trx, ctx.auth, channelId);
        const draftVersion = await writeDraft(trx, ctx, channelId, input.tree, input.version);
        await recordAudit(trx, ctx, { action: 'ivr.save_draft', entityType: 'ivr', entityId: channelId, brandId: channel.brand_id, after: { draftVersion, ...summarize(input.tree) } });
        return loadDocument(trx, channelId);
      });
    },

    /** Freezes the draft as the next version (1, 2, 3…); refuses a draft with errors (422 ivr.invalid_tree, details.issues). */
    async publish(ctx: RequestContext, channelId: string, input: { draftVersion?: number } = {}): Promise<IvrPublishResult> {
      return db.transaction().execute(async (trx) => {
        const channel = await findChannel(trx, ctx.auth, channelId);
        const current = await lockDocument(trx, channelId);
        checkVersion(input.draftVersion, current?.version ?? 0);
        const draft = (current?.draft ?? null) as IvrTree | null;
        const latest = await trx.selectFrom('ivr_versions').select(['version', 'published_at', 'tree']).where('channel_id', '=', channelId).orderBy('version', 'desc').limit(1).executeTakeFirst();
        const doc: IvrDocument = { draft, published: latest ? [{ version: latest.version, publishedAt: latest.published_at, tree: latest.tree as IvrTree }] : [] };
        const result = publishIvrDraft(doc, clock());
        if (!result.ok) {
          if (result.reason === 'no_draft') throw new AppError('ivr.invalid_tree', 'There is no IVR draft to publish', { reason: 'no_draft', issues: [] });
          throw new AppError('ivr.invalid_tree', 'The IVR cannot be published', { reason: 'invalid', issues: result.issues.filter((i) => i.severity === 'error') });
        }
        const { version, publishedAt, tree } = result.published;
        await trx.insertInto('ivr_versions').values({ channel_id: channelId, version, tree: JSON.stringify(tree), published_by: ctx.auth.userId, published_at: publishedAt }).execute();
        const warnings = result.issues.filter((i) => i.severity === 'warning');
        await recordAudit(trx, ctx, { action: 'ivr.publish', entityType: 'ivr', entityId: channelId, brandId: channel.brand_id, after: { version, draftVersion: current?.version ?? 0, ...summarize(tree) } });
        return { version, publishedAt: publishedAt.toISOString(), warnings };
      });
    },

    async getVersion(auth: AuthContext, channelId: string, version: number): Promise<IvrVersionDto> {
      await findChannel(db, auth, channelId);
      const row = await db
        .selectFrom('ivr_versions as v')
        .leftJoin('users as u', 'u.id', 'v.published_by')
        .select(['v.version', 'v.published_at', 'v.published_by', 'v.tree', 'u.display_name'])
        .where('v.channel_id', '=', channelId)
        .where('v.version', '=', version)
        .executeTakeFirst();
      if (!row) throw new AppError('resource.not_found', 'No such IVR version', { entity: 'ivr_version', id: `${channelId}/${version}` });
      return { channelId, version: row.version, publishedAt: row.published_at.toISOString(), publishedBy: row.published_by, publishedByName: row.display_name, tree: row.tree as TIvrTree };
    },

    /** Makes the draft a copy of a published version (to edit or republish it); does not publish. */
    async restore(ctx: RequestContext, channelId: string, version: number, input: { draftVersion?: number } = {}): Promise<IvrDocumentDto> {
      return db.transaction().execute(async (trx) => {
        const channel = await findChannel(trx, ctx.auth, channelId);
        const row = await trx.selectFrom('ivr_versions').select('tree').where('channel_id', '=', channelId).where('version', '=', version).executeTakeFirst();
        if (!row) throw new AppError('resource.not_found', 'No such IVR version', { entity: 'ivr_version', id: `${channelId}/${version}` });
        const draftVersion = await writeDraft(trx, ctx, channelId, row.tree as IvrTree, input.draftVersion);
        await recordAudit(trx, ctx, { action: 'ivr.restore', entityType: 'ivr', entityId: channelId, brandId: channel.brand_id, after: { fromVersion: version, draftVersion } });
        return loadDocument(trx, channelId);
      });
    },

    /** The issues of a tree the designer holds (saved or not), for inline feedback while editing. */
    async validate(auth: AuthContext, channelId: string, tree: IvrTree): Promise<{ issues: IvrIssue[] }> {
      await findChannel(db, auth, channelId);
      return { issues: validateIvrTree(tree) };
    },

    /**
     * One step of a simulated call on the tree the designer holds (saved or not): without `state`
     * the call starts; with it, `digits` are pressed at the waiting menu ('' = timeout).
     * A draft whose targets do not exist cannot be walked: 422 ivr.invalid_tree with its errors.
     */
    async simulate(auth: AuthContext, channelId: string, input: IvrSimulateInput): Promise<IvrSimulateResult> {
      await findChannel(db, auth, channelId);
      try {
        const step = input.state ? press(input.tree, input.state, input.digits ?? '', simulatedSelfService) : startIvr(input.tree, input.language, simulatedSelfService);
        return { ...step, state: { ...step.state, stack: [...step.state.stack], path: [...step.state.path] }, ivrPath: encodeIvrPath(step.state.path) };
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        throw new AppError('ivr.invalid_tree', `The IVR cannot be simulated: ${err.message}`, { reason: 'simulation', issues: validateIvrTree(input.tree).filter((i) => i.severity === 'error') });
      }
    },
  };
}

export type IvrAdmin = ReturnType<typeof createIvrAdmin>;
