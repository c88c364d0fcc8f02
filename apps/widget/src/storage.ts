// localStorage can be missing or throw (old Safari private mode, sandboxed iframes); the widget then
// keeps its state in memory for the page's lifetime instead of failing.

export type KeyValueStore = {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
};

export function memoryStore(): KeyValueStore {
  const data = new Map<string, string>();
  return {
    get: (key) => data.get(key) ?? null,
    set: (key, value) => void data.set(key, value),
    remove: (key) => void data.delete(key),
  };
}

export function browserStore(getStorage: () => Storage): KeyValueStore {
  try {
    const s = getStorage();
    s.setItem('kefu.probe', '1');
    s.removeItem('kefu.probe');
    // Read fresh on every call: another tab may have changed a value (an ack, a new token).
    // A write that fails later (quota) loses only that write.
    return {
      get: (key) => s.getItem(key),
      set(key, value) {
        try {
          s.setItem(key, value);
        } catch {
          // quota exceeded: keep going without persisting
        }
      },
      remove: (key) => s.removeItem(key),
    };
  } catch {
    return memoryStore();
  }
}

/** Where the visitor token lives; the outbox sits beside it. */
export function storageKey(channelId: string): string {
  return `kefu.widget.${channelId}`;
}
