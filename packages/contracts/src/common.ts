import { z } from 'zod';

export const ZErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional(), requestId: z.string().optional() }),
});
export type TErrorResponse = z.infer<typeof ZErrorResponse>;

export const ZId = z.uuid();
export const ZIdParams = z.strictObject({ id: z.uuid() });

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export function ZItems<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

// Responses carry ISO-8601 strings; services convert Dates before returning.
export const ZTimestamp = z.string();
