import dayjs from 'dayjs';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD') : value;
}

export function formatRelative(value: string | null | undefined): string {
  if (!value) return '—';
  const d = dayjs(value);
  return d.isValid() ? d.fromNow() : value;
}

/** Drops empty strings and duplicates from a list typed in a form. */
export function cleanList(values: readonly (string | null | undefined)[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const s = (v ?? '').trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
