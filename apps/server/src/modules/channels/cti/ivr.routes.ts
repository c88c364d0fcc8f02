import { ZIdParams } from '@kefu/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext, requireAuth } from '../../../platform/access.ts';
import { ZIvrTree } from './cti.ivr-schema.ts';
import type { IvrAdmin } from './ivr.admin.ts';

// The IVR designer (语音导航) of a CTI channel: the draft, publishing immutable versions, history,
// restore, live validation and a simulated call (the web app does not bundle @kefu/domain, so
// the designer asks the server to run validateIvrTree and startIvr / press on the tree it holds).
// Same permission as writing channels (routing:manage).

const ACCESS = 'routing:manage' as const;

const ZIvrIssue = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  nodeId: z.string().optional(),
  detail: z.string().optional(),
});
const ZIvrVersionSummary = z.object({ version: z.number().int(), publishedAt: z.string(), publishedBy: z.string().nullable(), publishedByName: z.string().nullable() });
const ZIvrDocument = z.object({
  channelId: z.string(),
  draft: ZIvrTree.nullable(),
  draftVersion: z.number().int(),
  issues: z.array(ZIvrIssue),
  versions: z.array(ZIvrVersionSummary),
  published: z.object({ version: z.number().int(), publishedAt: z.string() }).nullable(),
});
const ZIvrVersion = ZIvrVersionSummary.extend({ channelId: z.string(), tree: ZIvrTree });
const ZPublishResult = z.object({ version: z.number().int(), publishedAt: z.string(), warnings: z.array(ZIvrIssue) });

const ZVersionParams = z.strictObject({ id: z.uuid(), version: z.coerce.number().int().min(1).max(1_000_000) });
const ZDraftVersion = z.number().int().min(0);
const ZSaveDraftRequest = z.strictObject({ tree: ZIvrTree, version: ZDraftVersion.optional() });
// Publish and restore may name the draft version the admin saw (409 when it changed meanwhile).
const ZDraftVersionRequest = z.strictObject({ draftVersion: ZDraftVersion.optional() }).nullish();

const ZNodeRef = z.string().min(1).max(40);
const ZSimulation = z.strictObject({
  language: z.string().min(1).max(20),
  nodeId: ZNodeRef.nullable(),
  retries: z.number().int().min(0).max(20),
  stack: z.array(z.strictObject({ nodeId: ZNodeRef, pathLength: z.number().int().min(0).max(200) })).max(200),
  path: z.array(z.string().regex(/^[0-9*#]$/)).max(200),
});
const ZSimulateRequest = z.strictObject({
  tree: ZIvrTree,
  language: z.string().min(1).max(20).optional(),
  state: ZSimulation.optional(),
  digits: z
    .string()
    .regex(/^[0-9*#]{0,20}$/, 'expected keys 0-9, * or #')
    .optional(),
});
const ZOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('waiting_input'), nodeId: z.string(), timeoutSeconds: z.number() }),
  z.object({ kind: z.literal('queue'), nodeId: z.string(), queueId: z.string() }),
  z.object({ kind: z.literal('leave_message'), nodeId: z.string(), queueId: z.string().nullable() }),
  z.object({ kind: z.literal('callback'), nodeId: z.string(), queueId: z.string().nullable() }),
  z.object({ kind: z.literal('hang_up'), nodeId: z.string() }),
]);
const ZSimulateResult = z.object({
  state: ZSimulation,
  prompts: z.array(z.object({ nodeId: z.string(), text: z.string(), audio: z.string().nullable() })),
  outcome: ZOutcome,
  ivrPath: z.string(),
});

export const ivrRoutes: FastifyPluginAsyncZod<{ ivr: IvrAdmin }> = async (app, { ivr }) => {
  const tags = ['channels'];
  app.get('/channels/:id/ivr', { schema: { tags, params: ZIdParams, response: { 200: ZIvrDocument } }, config: { access: ACCESS } }, (req) => ivr.get(requireAuth(req), req.params.id));
  app.put('/channels/:id/ivr/draft', { schema: { tags, params: ZIdParams, body: ZSaveDraftRequest, response: { 200: ZIvrDocument } }, config: { access: ACCESS } }, (req) =>
    ivr.saveDraft(requestContext(req), req.params.id, req.body),
  );
  app.post('/channels/:id/ivr/publish', { schema: { tags, params: ZIdParams, body: ZDraftVersionRequest, response: { 201: ZPublishResult } }, config: { access: ACCESS } }, async (req, reply) =>
    reply.code(201).send(await ivr.publish(requestContext(req), req.params.id, req.body ?? {})),
  );
  app.get('/channels/:id/ivr/versions/:version', { schema: { tags, params: ZVersionParams, response: { 200: ZIvrVersion } }, config: { access: ACCESS } }, (req) =>
    ivr.getVersion(requireAuth(req), req.params.id, req.params.version),
  );
  app.post('/channels/:id/ivr/versions/:version/restore', { schema: { tags, params: ZVersionParams, body: ZDraftVersionRequest, response: { 200: ZIvrDocument } }, config: { access: ACCESS } }, (req) =>
    ivr.restore(requestContext(req), req.params.id, req.params.version, req.body ?? {}),
  );
  app.post('/channels/:id/ivr/validate', { schema: { tags, params: ZIdParams, body: z.strictObject({ tree: ZIvrTree }), response: { 200: z.object({ issues: z.array(ZIvrIssue) }) } }, config: { access: ACCESS } }, (req) =>
    ivr.validate(requireAuth(req), req.params.id, req.body.tree),
  );
  app.post('/channels/:id/ivr/simulate', { schema: { tags, params: ZIdParams, body: ZSimulateRequest, response: { 200: ZSimulateResult } }, config: { access: ACCESS } }, (req) =>
    ivr.simulate(requireAuth(req), req.params.id, req.body),
  );
};
