// The IVR tree as the admin API and the designer send it (edge validation only; the tree rules —
// digits, cycles, terminals, depth, unreachable nodes — are validateIvrTree in the domain).
import { IVR_DIGITS, IVR_SELF_SERVICE_ACTIONS, type IvrTree, validateIvrTree } from '@kefu/domain';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';

const ZNodeId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected letters, digits, _ or - (at most 40)');
const ZTarget = z.string().min(1).max(40);
const ZLanguage = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as zh-CN');
export const ZIvrPrompt = z.strictObject({
  text: z.record(ZLanguage, z.string().max(1000)),
  audio: z
    .string()
    .regex(/^[\w./-]{1,200}$/, 'expected a file name')
    .refine((v) => !v.includes('..'), 'expected a file name')
    .nullish(),
});
const optionalPrompt = { prompt: ZIvrPrompt.nullish() };

export const ZIvrNode = z.discriminatedUnion('kind', [
  z.strictObject({ id: ZNodeId, kind: z.literal('prompt'), prompt: ZIvrPrompt, next: ZTarget }),
  z.strictObject({
    id: ZNodeId,
    kind: z.literal('menu'),
    prompt: ZIvrPrompt,
    options: z.partialRecord(z.enum(IVR_DIGITS), ZTarget),
    timeoutSeconds: z.number().int().min(1).max(60),
    maxRetries: z.number().int().min(0).max(9),
    invalidPrompt: ZIvrPrompt.nullish(),
    fallback: ZTarget,
  }),
  z.strictObject({ id: ZNodeId, kind: z.literal('queue'), queueId: z.string().min(1).max(64), ...optionalPrompt }),
  z.strictObject({ id: ZNodeId, kind: z.literal('self_service'), action: z.enum(IVR_SELF_SERVICE_ACTIONS), parameter: z.string().max(200).nullish(), next: ZTarget, ...optionalPrompt }),
  z.strictObject({ id: ZNodeId, kind: z.literal('leave_message'), queueId: z.string().min(1).max(64).nullish(), ...optionalPrompt }),
  z.strictObject({ id: ZNodeId, kind: z.literal('callback'), queueId: z.string().min(1).max(64).nullish(), ...optionalPrompt }),
  z.strictObject({ id: ZNodeId, kind: z.literal('hang_up'), ...optionalPrompt }),
]);

export const ZIvrTree = z.strictObject({
  root: ZNodeId,
  defaultLanguage: ZLanguage,
  languages: z.array(ZLanguage).min(1).max(10),
  nodes: z.array(ZIvrNode).min(1).max(500),
  maxDepth: z.number().int().min(1).max(50).optional(),
}) satisfies z.ZodType<IvrTree>;
export type TIvrTree = z.infer<typeof ZIvrTree>;

/** Throws ivr.invalid_tree with every error (warnings are returned, e.g. unreachable nodes). */
export function assertPublishableIvr(tree: IvrTree) {
  const issues = validateIvrTree(tree);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new AppError('ivr.invalid_tree', 'The IVR cannot be published', { issues: errors });
  return issues;
}
