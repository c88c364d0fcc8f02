import type { AreaType, SlaPriority } from '../sla/state-grid-preset.ts';
import { isCategoryWithin } from '../tickets/categories.ts';

// Dispatch rules (派单规则): category / area / priority → the department (and optionally the
// person) an order goes to by default, so the common case is one click. Rules are data
// (dispatch_rules table); this file only chooses among them.

export type DispatchRule = {
  id: string;
  /** Category code or ancestor code ('fault-repair' covers 'fault-repair.low-voltage'); absent or '' = any. */
  categoryPrefix?: string;
  /** The order's area must be one of these; absent or empty = any area. */
  areaIds?: readonly string[];
  /** The order's area kind must be one of these; absent or empty = any. */
  areaKinds?: readonly AreaType[];
  /** Only orders of this priority; absent = any. */
  priority?: SlaPriority;
  departmentCode: string;
  assigneeId?: string;
  /** Tie-breaker between equally specific rules: lower first. */
  position: number;
  /** Inactive rules never match; default active. */
  active?: boolean;
};

export type DispatchTicket = {
  categoryCode: string;
  areaId: string | null;
  areaKind: AreaType | null;
  priority: SlaPriority;
};

export type DispatchTarget = {
  ruleId: string;
  departmentCode: string;
  assigneeId: string | null;
};

const isSet = <T>(list: readonly T[] | undefined): list is readonly T[] => list !== undefined && list.length > 0;

/** True when every condition the rule sets holds for the order (conditions combine with AND). */
export function matchesDispatchRule(rule: DispatchRule, ticket: DispatchTicket): boolean {
  if (rule.active === false) return false;
  if (!isCategoryWithin(ticket.categoryCode, rule.categoryPrefix ?? '')) return false;
  if (isSet(rule.areaIds) && (ticket.areaId === null || !rule.areaIds.includes(ticket.areaId))) return false;
  if (isSet(rule.areaKinds) && (ticket.areaKind === null || !rule.areaKinds.includes(ticket.areaKind))) return false;
  if (rule.priority !== undefined && rule.priority !== ticket.priority) return false;
  return true;
}

// Segments of the category prefix: '' → 0, 'fault-repair' → 1, 'fault-repair.low-voltage' → 2.
function categoryDepth(rule: DispatchRule): number {
  const prefix = rule.categoryPrefix ?? '';
  return prefix === '' ? 0 : prefix.split('.').length;
}

// A named area is more specific than a kind of area, which is more specific than any area.
function areaSpecificity(rule: DispatchRule): number {
  if (isSet(rule.areaIds)) return 2;
  if (isSet(rule.areaKinds)) return 1;
  return 0;
}

/**
 * Orders two rules, most specific first: longer category prefix, then area (named areas, then
 * area kinds, then any), then a priority condition, then lower position, then id (so the choice
 * never depends on the order rows came back in).
 */
export function compareDispatchRules(a: DispatchRule, b: DispatchRule): number {
  return (
    categoryDepth(b) - categoryDepth(a) ||
    areaSpecificity(b) - areaSpecificity(a) ||
    Number(b.priority !== undefined) - Number(a.priority !== undefined) ||
    a.position - b.position ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The rules that match the order, most specific first (the UI offers the runners-up). */
export function rankDispatchRules(rules: readonly DispatchRule[], ticket: DispatchTicket): DispatchRule[] {
  return rules.filter((r) => matchesDispatchRule(r, ticket)).sort(compareDispatchRules);
}

/** The default target of the most specific matching rule, or null when no rule matches. */
export function chooseDispatchTarget(rules: readonly DispatchRule[], ticket: DispatchTicket): DispatchTarget | null {
  const best = rankDispatchRules(rules, ticket)[0];
  if (best === undefined) return null;
  return { ruleId: best.id, departmentCode: best.departmentCode, assigneeId: best.assigneeId ?? null };
}

/** Problems of a rule as entered by an admin; empty when valid. */
export function validateDispatchRule(rule: DispatchRule): string[] {
  const problems: string[] = [];
  if (rule.departmentCode.trim() === '') problems.push('departmentCode is required');
  if (!Number.isInteger(rule.position)) problems.push('position must be an integer');
  const prefix = rule.categoryPrefix ?? '';
  if (prefix !== '' && !prefix.split('.').every((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s))) problems.push(`bad categoryPrefix ${prefix}`);
  if (rule.assigneeId !== undefined && rule.assigneeId.trim() === '') problems.push('assigneeId must not be blank');
  return problems;
}
