import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * A fixed-window counter per key, in process memory. Behind a load balancer each process counts
 * on its own, so the effective limit is per process; public endpoints only need a ceiling that
 * stops floods, not exact accounting.
 */
export function createRateLimiter(options: { windowMs: number; max: number; clock?: () => number }) {
  const now = options.clock ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let sweptAt = now();
  return {
    /** Counts one hit; null when allowed, else the seconds until the window resets. */
    hit(key: string): number | null {
      const t = now();
      if (t - sweptAt > options.windowMs) {
        for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
        sweptAt = t;
      }
      const w = windows.get(key);
      if (!w || t - w.start >= options.windowMs) {
        windows.set(key, { start: t, count: 1 });
        return null;
      }
      w.count += 1;
      return w.count > options.max ? Math.max(1, Math.ceil((w.start + options.windowMs - t) / 1000)) : null;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** A preHandler refusing with 429 `rate_limited` and Retry-After once the caller's IP is over the limit. */
export function limitByIp(limiter: RateLimiter, bucket: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const retry = limiter.hit(`${bucket}:${req.ip}`);
    if (retry !== null) {
      reply.header('retry-after', String(retry));
      throw new AppError('rate_limited', 'Too many requests; try again later', { retryAfterSeconds: retry });
    }
  };
}
