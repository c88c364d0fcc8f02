import type { TFunction } from 'i18next';
import type { TCallUpdated, TScreenPop, ScreenPopCustomer } from '../../../api/calls';
import { isApiError } from '../../../api/client';
import type { Customer } from '../../../api/types';

/** The IVR keys the caller pressed, "1>2" as the PBX reports them → "1 › 2". */
export function formatIvrPath(path: string | null | undefined): string {
  if (!path) return '—';
  const keys = path.split('>').map((k) => k.trim()).filter(Boolean);
  return keys.length ? keys.join(' › ') : '—';
}

/** 通话中 / 保持 / 话后处理 / 已完成 (other contact statuses fall back to the contact labels). */
export function callStatusLabel(t: TFunction, status: string): string {
  return t(`calls.pop.callStatus.${status}`, { defaultValue: t(`contacts.status.${status}`, { defaultValue: status }) });
}

export const CALL_STATUS_COLORS: Record<string, string> = { active: 'green', on_hold: 'orange', wrap_up: 'purple', closed: 'default' };

// A contact only moves forward (held and talking alternate); frames that overtake each other must
// not take a call that ended back to "talking".
const STATUS_RANK: Record<string, number> = { created: 0, queued: 1, offered: 2, active: 3, on_hold: 3, wrap_up: 4, closed: 5 };

/** The screen pop after a `call.updated` frame; unchanged when the frame is older than what is shown. */
export function applyCallUpdate(pop: TScreenPop, update: TCallUpdated): TScreenPop {
  if (pop.contactId !== update.contactId) return pop;
  if ((STATUS_RANK[update.status] ?? 0) < (STATUS_RANK[pop.status] ?? 0)) return pop;
  return { ...pop, status: update.status, endedAt: update.endedAt ?? pop.endedAt };
}

/** Which status wins between two readings of the same call (frames, the pop, the contact). */
export function laterStatus<S extends string>(a: S, b: S | null | undefined): S {
  if (!b) return a;
  return (STATUS_RANK[b] ?? 0) > (STATUS_RANK[a] ?? 0) ? b : a;
}

export type CustomerView =
  | { kind: 'linked'; customer: ScreenPopCustomer | null }
  | { kind: 'matched'; customer: ScreenPopCustomer }
  | { kind: 'choose'; customers: ScreenPopCustomer[] }
  | { kind: 'create' };

/**
 * What the customer block of the pop shows: the linked customer (looked up in the matches, else
 * loaded separately: null until then), the one archive match, a list to choose from, or the
 * new-customer form when the number is unknown.
 */
export function customerView(pop: Pick<TScreenPop, 'customerId' | 'customers'>): CustomerView {
  if (pop.customerId) return { kind: 'linked', customer: pop.customers.find((c) => c.id === pop.customerId) ?? null };
  if (pop.customers.length === 1) return { kind: 'matched', customer: pop.customers[0] as ScreenPopCustomer };
  if (pop.customers.length > 1) return { kind: 'choose', customers: pop.customers };
  return { kind: 'create' };
}

/** A full customer record in the summary shape the pop uses. */
export function toPopCustomer(c: Customer): ScreenPopCustomer {
  return {
    id: c.id,
    name: c.name,
    phones: c.identities.filter((i) => i.kind === 'phone').map((i) => i.value),
    areaId: c.area?.id ?? null,
    areaName: c.area?.name ?? null,
    flags: c.flags,
    tags: c.tags,
    preferredLanguage: c.preferredLanguage,
    createdAt: c.createdAt,
  };
}

export function isOverdue(dueAt: string | null | undefined, now: number): boolean {
  if (!dueAt) return false;
  const at = Date.parse(dueAt);
  return !Number.isNaN(at) && at < now;
}

/** The i18n key explaining a refused click-to-call, or null for errors the generic message covers. */
export function originateErrorKey(error: unknown): string | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case 'cti.not_configured':
      return 'calls.errors.notConfigured';
    case 'cti.originate_failed':
      return 'calls.errors.originateFailed';
    case 'validation.failed':
      return 'calls.errors.invalidNumber';
    default:
      return null;
  }
}
