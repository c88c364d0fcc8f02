/**
 * A small in-process memory of recently handled callbacks, keyed by channel + externalId, holding
 * the (possibly still pending) answer. WeChat retries a message up to three times within 15
 * seconds; a retry gets the first attempt's answer without touching the database again.
 * Bounded by size (oldest first out) and age.
 */
export function createRecentAnswers<T>(options: { max: number; ttlMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    /** The remembered answer, or the one `produce` starts now; a failed answer is forgotten so a retry tries again. */
    getOrStart(key: string, produce: () => Promise<T>): { value: Promise<T>; repeated: boolean } {
      const hit = entries.get(key);
      if (hit && now() - hit.at < options.ttlMs) return { value: hit.value, repeated: true };
      if (hit) entries.delete(key);
      const value = produce();
      entries.set(key, { at: now(), value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      while (entries.size > options.max) entries.delete(entries.keys().next().value as string);
      return { value, repeated: false };
    },
    get size() {
      return entries.size;
    },
  };
}
