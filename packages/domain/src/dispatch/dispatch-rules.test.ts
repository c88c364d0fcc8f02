import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREA_TYPES, SLA_PRIORITIES } from '../sla/state-grid-preset.ts';
import {
  chooseDispatchTarget,
  compareDispatchRules,
  type DispatchRule,
  type DispatchTicket,
  matchesDispatchRule,
  rankDispatchRules,
  validateDispatchRule,
} from './dispatch-rules.ts';

const ticket = (patch: Partial<DispatchTicket> = {}): DispatchTicket => ({
  categoryCode: 'fault-repair.low-voltage',
  areaId: 'area-dongcheng',
  areaKind: 'urban',
  priority: 'normal',
  ...patch,
});

const rule = (id: string, patch: Partial<DispatchRule> = {}): DispatchRule => ({ id, departmentCode: `dept-${id}`, position: 0, ...patch });

describe('chooseDispatchTarget', () => {
  it('returns null when nothing matches', () => {
    expect(chooseDispatchTarget([], ticket())).toBeNull();
    expect(chooseDispatchTarget([rule('c', { categoryPrefix: 'complaint' })], ticket())).toBeNull();
  });

  it('uses a catch-all rule when nothing more specific matches', () => {
    expect(chooseDispatchTarget([rule('all')], ticket())).toEqual({ ruleId: 'all', departmentCode: 'dept-all', assigneeId: null });
  });

  it('prefers the longest category prefix, whatever the positions', () => {
    const rules = [rule('any', { position: 0 }), rule('repair', { categoryPrefix: 'fault-repair', position: 1 }), rule('lv', { categoryPrefix: 'fault-repair.low-voltage', position: 2 })];
    expect(chooseDispatchTarget(rules, ticket())?.ruleId).toBe('lv');
    expect(chooseDispatchTarget(rules, ticket({ categoryCode: 'fault-repair.high-voltage' }))?.ruleId).toBe('repair');
    expect(chooseDispatchTarget(rules, ticket({ categoryCode: 'complaint.tariff' }))?.ruleId).toBe('any');
  });

  it('matches prefixes by whole segments', () => {
    expect(matchesDispatchRule(rule('x', { categoryPrefix: 'fault' }), ticket())).toBe(false);
    expect(matchesDispatchRule(rule('x', { categoryPrefix: 'fault-repair.low' }), ticket())).toBe(false);
  });

  it('then prefers a named area over an area kind over any area', () => {
    const rules = [
      rule('any', { categoryPrefix: 'fault-repair' }),
      rule('urban', { categoryPrefix: 'fault-repair', areaKinds: ['urban'], position: 5 }),
      rule('dongcheng', { categoryPrefix: 'fault-repair', areaIds: ['area-dongcheng', 'area-xicheng'], position: 9 }),
    ];
    expect(chooseDispatchTarget(rules, ticket())?.ruleId).toBe('dongcheng');
    expect(chooseDispatchTarget(rules, ticket({ areaId: 'area-chaoyang' }))?.ruleId).toBe('urban');
    expect(chooseDispatchTarget(rules, ticket({ areaId: 'area-miyun', areaKind: 'rural' }))?.ruleId).toBe('any');
  });

  it('ranks the category above the area', () => {
    const rules = [rule('area', { areaIds: ['area-dongcheng'] }), rule('category', { categoryPrefix: 'fault-repair' })];
    expect(chooseDispatchTarget(rules, ticket())?.ruleId).toBe('category');
  });

  it('does not match area rules for an order without an area', () => {
    const rules = [rule('named', { areaIds: ['area-dongcheng'] }), rule('kind', { areaKinds: ['urban'] })];
    expect(chooseDispatchTarget(rules, ticket({ areaId: null, areaKind: null }))).toBeNull();
  });

  it('combines conditions with AND', () => {
    const both = rule('both', { areaIds: ['area-dongcheng'], areaKinds: ['rural'] });
    expect(matchesDispatchRule(both, ticket())).toBe(false);
    expect(matchesDispatchRule(both, ticket({ areaKind: 'rural' }))).toBe(true);
  });

  it('treats empty area lists as no condition', () => {
    expect(matchesDispatchRule(rule('x', { areaIds: [], areaKinds: [] }), ticket({ areaId: null, areaKind: null }))).toBe(true);
  });

  it('prefers a rule with a priority condition, then the lower position, then the id', () => {
    const rules = [rule('b', { position: 1 }), rule('a', { position: 1 }), rule('urgent', { priority: 'urgent', position: 9 })];
    expect(chooseDispatchTarget(rules, ticket({ priority: 'urgent' }))?.ruleId).toBe('urgent');
    expect(chooseDispatchTarget(rules, ticket())?.ruleId).toBe('a');
    expect(chooseDispatchTarget([...rules, rule('z', { position: 0 })], ticket())?.ruleId).toBe('z');
  });

  it('ignores inactive rules and returns the assignee', () => {
    const rules = [rule('off', { categoryPrefix: 'fault-repair', active: false }), rule('on', { assigneeId: 'user-7' })];
    expect(chooseDispatchTarget(rules, ticket())).toEqual({ ruleId: 'on', departmentCode: 'dept-on', assigneeId: 'user-7' });
  });

  it('lists runners-up in order', () => {
    const rules = [rule('any'), rule('repair', { categoryPrefix: 'fault-repair' }), rule('c', { categoryPrefix: 'complaint' })];
    expect(rankDispatchRules(rules, ticket()).map((r) => r.id)).toEqual(['repair', 'any']);
  });
});

describe('chooseDispatchTarget (properties)', () => {
  const categories = ['', 'fault-repair', 'fault-repair.low-voltage', 'fault-repair.high-voltage', 'complaint', 'complaint.tariff'];
  const areas = ['a1', 'a2', 'a3'];
  const arbRule = (id: number): fc.Arbitrary<DispatchRule> =>
    fc.record({
      id: fc.constant(`r${id}`),
      categoryPrefix: fc.constantFrom(...categories),
      areaIds: fc.option(fc.subarray(areas), { nil: undefined }),
      areaKinds: fc.option(fc.subarray([...AREA_TYPES]), { nil: undefined }),
      priority: fc.option(fc.constantFrom(...SLA_PRIORITIES), { nil: undefined }),
      departmentCode: fc.constant(`d${id}`),
      position: fc.integer({ min: 0, max: 5 }),
      active: fc.boolean(),
    });
  const arbRules = fc.integer({ min: 0, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbRule(i))));
  const arbTicket: fc.Arbitrary<DispatchTicket> = fc.record({
    categoryCode: fc.constantFrom('fault-repair.low-voltage', 'fault-repair.high-voltage', 'complaint.tariff', 'inquiry.billing'),
    areaId: fc.option(fc.constantFrom(...areas), { nil: null }),
    areaKind: fc.option(fc.constantFrom(...AREA_TYPES), { nil: null }),
    priority: fc.constantFrom(...SLA_PRIORITIES),
  });

  it('chooses a matching rule that no other matching rule outranks, whatever the row order', () => {
    fc.assert(
      fc.property(arbRules, arbTicket, fc.integer(), (rules, t, seed) => {
        const chosen = chooseDispatchTarget(rules, t);
        const matching = rules.filter((r) => matchesDispatchRule(r, t));
        if (matching.length === 0) {
          expect(chosen).toBeNull();
          return;
        }
        const best = matching.find((r) => r.id === chosen?.ruleId);
        expect(best).toBeDefined();
        for (const r of matching) expect(compareDispatchRules(best as DispatchRule, r)).toBeLessThanOrEqual(0);
        const k = rules.length === 0 ? 0 : Math.abs(seed) % rules.length;
        const rotated = [...rules.slice(k), ...rules.slice(0, k)].reverse();
        expect(chooseDispatchTarget(rotated, t)).toEqual(chosen);
      }),
    );
  });
});

describe('validateDispatchRule', () => {
  it('accepts a good rule and names the problems of a bad one', () => {
    expect(validateDispatchRule(rule('ok', { categoryPrefix: 'fault-repair.low-voltage' }))).toEqual([]);
    expect(validateDispatchRule({ id: 'x', departmentCode: ' ', position: 1.5, categoryPrefix: 'Fault Repair', assigneeId: '' })).toEqual([
      'departmentCode is required',
      'position must be an integer',
      'bad categoryPrefix Fault Repair',
      'assigneeId must not be blank',
    ]);
  });
});
