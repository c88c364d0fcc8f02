// A small in-memory sliding-window counter (per process): per-recipient limits of outbound mail and
// per-sender limits of the SMTP listener. Enough for one server process; a cluster would share it
// through Redis, which this groundwork does not need.

export type RateLimiter = {
  /** Counts one event for `key`; false when `limit` events already happened within `windowMs`. */
  take(key: string, limit: number, windowMs: number, now: number): boolean;
};

export function createRateLimiter(maxKeys = 100_000): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take(key, limit, windowMs, now) {
      const recent = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return false;
      }
      recent.push(now);
      hits.delete(key);
      hits.set(key, recent);
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value as string);
      return true;
    },
  };
}
