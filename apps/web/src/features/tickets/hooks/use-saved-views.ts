import { useCallback, useEffect, useState } from 'react';

/** The URL parameters of /tickets a saved view (我的视图) keeps: quick view (status), category, SLA, area, department, search. */
export const SAVED_VIEW_PARAMS = ['tab', 'q', 'category', 'sla', 'area', 'department'] as const;
export type SavedViewParam = (typeof SAVED_VIEW_PARAMS)[number];
export type SavedView = { id: string; name: string; params: Partial<Record<SavedViewParam, string>> };

const MAX_VIEWS = 30;
const storageKey = (userId: string) => `kefu.ticketViews.${userId}`;

function isSavedView(v: unknown): v is SavedView {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.name === 'string' && Boolean(o.params) && typeof o.params === 'object';
}

function read(userId: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isSavedView) : [];
  } catch {
    return [];
  }
}

/** Picks the saved-view parameters out of a query string, dropping empty ones. */
export function viewParamsOf(params: URLSearchParams): SavedView['params'] {
  const out: SavedView['params'] = {};
  for (const k of SAVED_VIEW_PARAMS) {
    const v = params.get(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

export function sameViewParams(a: SavedView['params'], b: SavedView['params']): boolean {
  return SAVED_VIEW_PARAMS.every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

/**
 * The user's saved filter sets for the work-order list, kept per user in localStorage (this browser
 * only). Saving under an existing name replaces that view. Other tabs pick up changes.
 */
export function useSavedViews(userId: string) {
  const [views, setViews] = useState<SavedView[]>(() => read(userId));

  useEffect(() => {
    setViews(read(userId));
    const onStorage = (e: StorageEvent) => {
      if (e.key === storageKey(userId)) setViews(read(userId));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [userId]);

  const persist = useCallback(
    (next: SavedView[]) => {
      try {
        localStorage.setItem(storageKey(userId), JSON.stringify(next));
      } catch {
        // Storage full or disabled: the views still work for this page's lifetime.
      }
      setViews(next);
    },
    [userId],
  );

  const save = useCallback(
    (name: string, params: SavedView['params']): { view: SavedView; replaced: boolean } => {
      const current = read(userId);
      const trimmed = name.trim();
      const existing = current.find((v) => v.name === trimmed);
      const view: SavedView = { id: existing?.id ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, name: trimmed, params };
      persist(existing ? current.map((v) => (v.id === existing.id ? view : v)) : [...current, view].slice(-MAX_VIEWS));
      return { view, replaced: Boolean(existing) };
    },
    [userId, persist],
  );

  const remove = useCallback((id: string) => persist(read(userId).filter((v) => v.id !== id)), [userId, persist]);

  return { views, save, remove };
}
