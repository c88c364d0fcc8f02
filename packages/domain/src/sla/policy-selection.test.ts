import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseSlaPolicy, compareSlaPolicies, matchesSlaPolicy, type SlaPolicyScope, type SlaPolicyTicket } from './policy-selection.ts';
import { AREA_TYPES, SLA_PRIORITIES } from './state-grid-preset.ts';

const ticket = (patch: Partial<SlaPolicyTicket> = {}): SlaPolicyTicket => ({
  categoryCode: 'fault-repair.low-voltage',
  priority: 'normal',
  areaKind: 'urban',
  ...patch,
});

const policy = (id: string, patch: Partial<SlaPolicyScope> = {}): SlaPolicyScope => ({
  id,
  categoryPrefix: '',
  priority: null,
  areaKind: null,
  active: true,
  ...patch,
});

describe('chooseSlaPolicy', () => {
  it('returns null without a matching policy', () => {
    expect(chooseSlaPolicy([], ticket())).toBeNull();
    expect(chooseSlaPolicy([policy('c', { categoryPrefix: 'complaint' })], ticket())).toBeNull();
  });

  it('falls back to a catch-all policy', () => {
    expect(chooseSlaPolicy([policy('all')], ticket())?.id).toBe('all');
  });

  it('prefers the longest category prefix', () => {
    const policies = [policy('all'), policy('repair', { categoryPrefix: 'fault-repair' }), policy('lv', { categoryPrefix: 'fault-repair.low-voltage' })];
    expect(chooseSlaPolicy(policies, ticket())?.id).toBe('lv');
    expect(chooseSlaPolicy(policies, ticket({ categoryCode: 'fault-repair.high-voltage' }))?.id).toBe('repair');
    expect(chooseSlaPolicy(policies, ticket({ categoryCode: 'inquiry.tariff' }))?.id).toBe('all');
  });

  it('matches prefixes by whole segments only', () => {
    expect(matchesSlaPolicy(policy('x', { categoryPrefix: 'fault' }), ticket())).toBe(false);
    expect(matchesSlaPolicy(policy('x', { categoryPrefix: 'fault-repair.low' }), ticket())).toBe(false);
    expect(matchesSlaPolicy(policy('x', { categoryPrefix: 'fault-repair.low-voltage' }), ticket())).toBe(true);
  });

  it('ranks a priority match above an area-kind match, and both above neither', () => {
    const policies = [
      policy('repair', { categoryPrefix: 'fault-repair' }),
      policy('rural', { categoryPrefix: 'fault-repair', areaKind: 'rural' }),
      policy('urgent', { categoryPrefix: 'fault-repair', priority: 'urgent' }),
      policy('urgent-rural', { categoryPrefix: 'fault-repair', priority: 'urgent', areaKind: 'rural' }),
    ];
    expect(chooseSlaPolicy(policies, ticket({ priority: 'urgent', areaKind: 'rural' }))?.id).toBe('urgent-rural');
    expect(chooseSlaPolicy(policies, ticket({ priority: 'urgent', areaKind: 'urban' }))?.id).toBe('urgent');
    expect(chooseSlaPolicy(policies, ticket({ priority: 'normal', areaKind: 'rural' }))?.id).toBe('rural');
    expect(chooseSlaPolicy(policies, ticket({ priority: 'normal', areaKind: 'urban' }))?.id).toBe('repair');
  });

  it('ranks the category above priority and area', () => {
    const policies = [policy('urgent-any', { priority: 'urgent', areaKind: 'urban' }), policy('repair', { categoryPrefix: 'fault-repair' })];
    expect(chooseSlaPolicy(policies, ticket({ priority: 'urgent' }))?.id).toBe('repair');
  });

  it('never matches an area-kind policy for an order without an area', () => {
    const policies = [policy('repair', { categoryPrefix: 'fault-repair' }), policy('urban', { categoryPrefix: 'fault-repair', areaKind: 'urban' })];
    expect(chooseSlaPolicy(policies, ticket({ areaKind: null }))?.id).toBe('repair');
  });

  it('skips inactive policies', () => {
    const policies = [policy('repair', { categoryPrefix: 'fault-repair' }), policy('lv', { categoryPrefix: 'fault-repair.low-voltage', active: false })];
    expect(chooseSlaPolicy(policies, ticket())?.id).toBe('repair');
  });

  it('breaks ties by id, whatever the row order', () => {
    const a = policy('a', { categoryPrefix: 'fault-repair' });
    const b = policy('b', { categoryPrefix: 'fault-repair' });
    expect(chooseSlaPolicy([b, a], ticket())?.id).toBe('a');
    expect(chooseSlaPolicy([a, b], ticket())?.id).toBe('a');
  });

  it('returns the caller’s own row, extra columns included', () => {
    const rows = [{ ...policy('p', { categoryPrefix: 'fault-repair' }), calendarId: 'cal-24x7' }];
    expect(chooseSlaPolicy(rows, ticket())?.calendarId).toBe('cal-24x7');
  });

  const arbPolicy = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    categoryPrefix: fc.constantFrom('', 'fault-repair', 'fault-repair.low-voltage', 'complaint', 'fault'),
    priority: fc.constantFrom(null, ...SLA_PRIORITIES),
    areaKind: fc.constantFrom(null, ...AREA_TYPES),
    active: fc.boolean(),
  });
  const arbTicket = fc.record({
    categoryCode: fc.constantFrom('fault-repair.low-voltage', 'fault-repair.metering', 'complaint.tariff'),
    priority: fc.constantFrom(...SLA_PRIORITIES),
    areaKind: fc.constantFrom(null, ...AREA_TYPES),
  });

  it('picks a matching policy no other matching policy outranks, independent of order', () => {
    fc.assert(
      fc.property(fc.array(arbPolicy, { maxLength: 12 }), arbTicket, (policies, t) => {
        const chosen = chooseSlaPolicy(policies, t);
        const matching = policies.filter((p) => matchesSlaPolicy(p, t));
        if (chosen === null) return matching.length === 0;
        return matchesSlaPolicy(chosen, t) && matching.every((p) => compareSlaPolicies(chosen, p) <= 0) && chooseSlaPolicy([...policies].reverse(), t)?.id === chosen.id;
      }),
    );
  });
});
