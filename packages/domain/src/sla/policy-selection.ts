import { isCategoryWithin } from '../tickets/categories.ts';
import type { AreaType, SlaPriority } from './state-grid-preset.ts';

// Which SLA policy (sla_policies row) governs an order. Policies are scoped by a category prefix
// and optionally a priority and an area kind; the most specific active policy that matches wins,
// so a center overrides the default for one sub-category, one priority or one kind of area
// without restating the rest.

/** The scope of a policy, as stored; other columns ride along untouched. */
export type SlaPolicyScope = {
  id: string;
  /** Category code or ancestor code; '' matches every category. */
  categoryPrefix: string;
  /** null matches every priority. */
  priority: SlaPriority | null;
  /** null matches every area kind. */
  areaKind: AreaType | null;
  active: boolean;
};

export type SlaPolicyTicket = {
  categoryCode: string;
  priority: SlaPriority;
  /** null when the order has no area: only policies for every area kind match. */
  areaKind: AreaType | null;
};

/** True when the policy is active and each condition it sets holds for the order. */
export function matchesSlaPolicy(policy: SlaPolicyScope, ticket: SlaPolicyTicket): boolean {
  if (!policy.active) return false;
  if (!isCategoryWithin(ticket.categoryCode, policy.categoryPrefix)) return false;
  if (policy.priority !== null && policy.priority !== ticket.priority) return false;
  if (policy.areaKind !== null && policy.areaKind !== ticket.areaKind) return false;
  return true;
}

// Segments of the prefix: '' → 0, 'fault-repair' → 1, 'fault-repair.low-voltage' → 2.
function categoryDepth(policy: SlaPolicyScope): number {
  return policy.categoryPrefix === '' ? 0 : policy.categoryPrefix.split('.').length;
}

/**
 * Orders two policies, most specific first: longer category prefix, then a priority condition,
 * then an area-kind condition, then id (so the choice never depends on row order).
 */
export function compareSlaPolicies(a: SlaPolicyScope, b: SlaPolicyScope): number {
  return (
    categoryDepth(b) - categoryDepth(a) ||
    Number(b.priority !== null) - Number(a.priority !== null) ||
    Number(b.areaKind !== null) - Number(a.areaKind !== null) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The most specific active policy matching the order, or null when none does (the caller then
 * runs no clocks, or falls back to a catch-all it keeps elsewhere). Generic so the caller gets
 * its own row type back, targets and calendar included.
 */
export function chooseSlaPolicy<P extends SlaPolicyScope>(policies: readonly P[], ticket: SlaPolicyTicket): P | null {
  let best: P | null = null;
  for (const policy of policies) {
    if (!matchesSlaPolicy(policy, ticket)) continue;
    if (best === null || compareSlaPolicies(policy, best) < 0) best = policy;
  }
  return best;
}
