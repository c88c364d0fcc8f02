import { z } from 'zod';
import { AppError } from './errors.ts';

export const ZLimit = z.coerce.number().int().min(1).max(200).default(50);

/** Opaque cursors: base64url JSON, so clients never build them by hand. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation.failed', 'Invalid cursor', { field: 'cursor' });
  }
}

export const ZKeysetCursor = z.tuple([z.string(), z.string()]);
export const ZOffsetCursor = z.object({ o: z.number().int().min(0) });
