import { describe, expect, it } from 'vitest';
import { TICKET_CATEGORY_CODES } from '../sla/state-grid-preset.ts';
import {
  buildCategoryTree,
  type CategoryFieldDefinition,
  checkCategoryCode,
  findCategory,
  formatCategoryPath,
  getCategoryPath,
  getTopLevelCategoryCode,
  isCategoryWithin,
  isLeafCategory,
  listCategoryFields,
  listChildCategories,
  STATE_GRID_CATEGORIES,
  type TicketCategory,
  validateCategoryFields,
  validateCategoryTree,
} from './categories.ts';

const cats = STATE_GRID_CATEGORIES;

const cat = (code: string, parentCode: string | null, extra: Partial<TicketCategory> = {}): TicketCategory => ({
  code,
  parentCode,
  nameZh: code,
  nameEn: code,
  fields: [],
  position: 1,
  active: true,
  ...extra,
});

describe('the seeded 95598 tree', () => {
  it('has the ten top-level categories of the SLA preset, in order', () => {
    expect(listChildCategories(cats, null).map((c) => c.code)).toEqual([...TICKET_CATEGORY_CODES]);
  });

  it('gives every top-level category 3 to 8 sub-categories', () => {
    for (const top of TICKET_CATEGORY_CODES) {
      const children = listChildCategories(cats, top);
      expect(children.length, top).toBeGreaterThanOrEqual(3);
      expect(children.length, top).toBeLessThanOrEqual(8);
      for (const child of children) expect(child.code.startsWith(`${top}.`)).toBe(true);
    }
  });

  it('is a valid tree with Chinese and English names', () => {
    expect(validateCategoryTree(cats)).toEqual([]);
    for (const c of cats) {
      expect(c.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.nameEn).toMatch(/^[A-Z]/);
    }
  });

  it('keeps the codes outside tooling relies on', () => {
    for (const code of ['fault-repair.low-voltage', 'fault-repair.high-voltage', 'complaint.service-attitude', 'inquiry.tariff', 'urging.repair-progress']) {
      expect(findCategory(cats, code), code).not.toBeNull();
    }
    expect(findCategory(cats, 'fault-repair')?.nameZh).toBe('故障报修');
    expect(findCategory(cats, 'complaint')?.nameZh).toBe('投诉');
  });

  it('lists parents before children (insert order for the table)', () => {
    const seen = new Set<string>();
    for (const c of cats) {
      if (c.parentCode !== null) expect(seen.has(c.parentCode)).toBe(true);
      seen.add(c.code);
    }
  });

  it('gives repairs the outage scope and safety fields, complaints the demand', () => {
    const repair = listCategoryFields(cats, 'fault-repair.low-voltage');
    const scope = repair.find((f) => f.key === 'outageScope');
    expect(scope?.type === 'enum' && scope.options.map((o) => o.value)).toEqual(['single-household', 'building', 'area']);
    expect(repair.find((f) => f.key === 'safetyHazard')).toMatchObject({ type: 'boolean', required: true });
    expect(listCategoryFields(cats, 'complaint.tariff').find((f) => f.key === 'demand')).toMatchObject({ type: 'text', required: true });
    expect(listCategoryFields(cats, 'inquiry.tariff')).toEqual([]);
  });
});

describe('lookups', () => {
  it('finds the path and formats it in either language', () => {
    expect(getCategoryPath(cats, 'fault-repair.low-voltage').map((c) => c.code)).toEqual(['fault-repair', 'fault-repair.low-voltage']);
    expect(formatCategoryPath(cats, 'fault-repair.low-voltage')).toBe('故障报修 / 低压故障');
    expect(formatCategoryPath(cats, 'fault-repair.low-voltage', 'en')).toBe('Fault repair / Low-voltage fault');
    expect(getCategoryPath(cats, 'nope')).toEqual([]);
    expect(findCategory(cats, 'nope')).toBeNull();
  });

  it('returns an empty path for a broken chain or a cycle', () => {
    expect(getCategoryPath([cat('a.b', 'a')], 'a.b')).toEqual([]);
    expect(getCategoryPath([cat('a', 'b'), cat('b', 'a')], 'a')).toEqual([]);
  });

  it('knows the top-level code and prefix containment by segment', () => {
    expect(getTopLevelCategoryCode('fault-repair.low-voltage')).toBe('fault-repair');
    expect(getTopLevelCategoryCode('complaint')).toBe('complaint');
    expect(getTopLevelCategoryCode('custom.x')).toBeNull();
    expect(isCategoryWithin('fault-repair.low-voltage', 'fault-repair')).toBe(true);
    expect(isCategoryWithin('fault-repair', 'fault-repair')).toBe(true);
    expect(isCategoryWithin('fault-repair-x', 'fault-repair')).toBe(false);
    expect(isCategoryWithin('fault-repair', 'fault-repair.low-voltage')).toBe(false);
    expect(isCategoryWithin('anything', '')).toBe(true);
  });

  it('treats only categories without active children as leaves', () => {
    expect(isLeafCategory(cats, 'fault-repair.low-voltage')).toBe(true);
    expect(isLeafCategory(cats, 'fault-repair')).toBe(false);
    expect(isLeafCategory(cats, 'nope')).toBe(false);
    const retired = [cat('a', null), cat('a.b', 'a', { active: false })];
    expect(isLeafCategory(retired, 'a')).toBe(true);
  });

  it('checks where an order may be filed', () => {
    expect(checkCategoryCode(cats, 'fault-repair.low-voltage')).toMatchObject({ ok: true, category: { code: 'fault-repair.low-voltage' } });
    expect(checkCategoryCode(cats, 'fault-repair')).toEqual({ ok: false, reason: 'not_leaf' });
    expect(checkCategoryCode(cats, 'nope')).toEqual({ ok: false, reason: 'unknown' });
    const parentOff = [cat('a', null, { active: false }), cat('a.b', 'a')];
    expect(checkCategoryCode(parentOff, 'a.b')).toEqual({ ok: false, reason: 'inactive' });
  });

  it('lets a sub-category override an inherited field', () => {
    const f = (key: string, labelZh: string): CategoryFieldDefinition => ({ key, type: 'text', labelZh, labelEn: key });
    const tree = [cat('a', null, { fields: [f('x', 'parent'), f('y', 'parent')] }), cat('a.b', 'a', { fields: [f('x', 'child')] })];
    expect(listCategoryFields(tree, 'a.b').map((x) => [x.key, x.labelZh])).toEqual([
      ['x', 'child'],
      ['y', 'parent'],
    ]);
  });

  it('builds the tree, leaving inactive categories out unless asked', () => {
    const tree = buildCategoryTree(cats);
    expect(tree).toHaveLength(10);
    expect(tree[0].children.map((c) => c.code)).toContain('fault-repair.low-voltage');
    const withRetired = [...cats, cat('inquiry.retired', 'inquiry', { active: false, position: 99 })];
    expect(buildCategoryTree(withRetired).find((c) => c.code === 'inquiry')?.children.map((c) => c.code)).not.toContain('inquiry.retired');
    expect(buildCategoryTree(withRetired, { includeInactive: true }).find((c) => c.code === 'inquiry')?.children.at(-1)?.code).toBe('inquiry.retired');
  });
});

describe('validateCategoryTree', () => {
  it('reports each kind of problem', () => {
    const problems = validateCategoryTree([
      cat('a', null),
      cat('a', null),
      cat('B', null),
      cat('x.y', null),
      cat('a.b.c', 'a'),
      cat('c.d', 'c'),
      cat('e', null, { nameZh: ' ' }),
      cat('f', null, {
        fields: [
          { key: 'Bad', type: 'boolean', labelZh: 'x', labelEn: 'x' },
          { key: 'dup', type: 'boolean', labelZh: 'x', labelEn: 'x' },
          { key: 'dup', type: 'enum', labelZh: 'x', labelEn: 'x', options: [] },
        ],
      }),
    ]);
    expect(problems).toEqual([
      'a: duplicate code',
      'B: bad code',
      "x.y: top-level code contains '.'",
      'a.b.c: code must be a.<segment>',
      'e: missing name',
      'f: bad field key Bad',
      'f: duplicate field dup',
      'f: field dup needs distinct options',
      'c.d: unknown parent c',
    ]);
  });
});

describe('validateCategoryFields', () => {
  const repairFields = listCategoryFields(cats, 'fault-repair.metering');

  it('accepts and normalizes good values, leaving absent optional fields out', () => {
    const r = validateCategoryFields(repairFields, {
      outageScope: 'building',
      safetyHazard: false,
      faultAddress: '  幸福路 12 号 3 单元 ',
      meterNumber: '',
    });
    expect(r).toEqual({ ok: true, values: { outageScope: 'building', safetyHazard: false, faultAddress: '幸福路 12 号 3 单元' } });
  });

  it('reports missing, mistyped, unknown and out-of-list values together', () => {
    const r = validateCategoryFields(repairFields, { outageScope: 'city', safetyHazard: 'yes', color: 'red' });
    expect(r).toEqual({
      ok: false,
      problems: [
        { key: 'outageScope', problem: 'not_an_option' },
        { key: 'safetyHazard', problem: 'wrong_type' },
        { key: 'faultAddress', problem: 'required' },
        { key: 'color', problem: 'unknown_field' },
      ],
    });
  });

  it('checks text length in characters, numbers, dates and instants', () => {
    const fields: CategoryFieldDefinition[] = [
      { key: 'note', type: 'text', labelZh: '备注', labelEn: 'Note', maxLength: 3 },
      { key: 'kva', type: 'number', labelZh: '容量', labelEn: 'kVA', min: 0, max: 100, integer: true },
      { key: 'day', type: 'date', labelZh: '日期', labelEn: 'Day' },
      { key: 'at', type: 'datetime', labelZh: '时间', labelEn: 'At' },
    ];
    expect(validateCategoryFields(fields, { note: '停电了', kva: 50, day: '2026-11-27', at: '2026-11-27T08:30:00+08:00' }).ok).toBe(true);
    const bad = validateCategoryFields(fields, { note: '停电了吗', kva: 101, day: '2026-02-30', at: '2026-11-27 08:30' });
    expect(bad.ok === false && bad.problems.map((p) => p.problem)).toEqual(['too_long', 'out_of_range', 'wrong_type', 'wrong_type']);
    const more = validateCategoryFields(fields, { note: 3, kva: 1.5, day: 20261127, at: '2026-02-30T08:30:00Z' });
    expect(more.ok === false && more.problems.map((p) => p.problem)).toEqual(['wrong_type', 'not_integer', 'wrong_type', 'wrong_type']);
    expect(validateCategoryFields(fields, { kva: Number.NaN }).ok).toBe(false);
    expect(validateCategoryFields(fields, { kva: -1 }).ok).toBe(false);
  });

  it('checks enum and boolean types', () => {
    const sub = listCategoryFields(cats, 'subscription.outage-notice');
    expect(validateCategoryFields(sub, { deliveryChannel: 1 })).toEqual({ ok: false, problems: [{ key: 'deliveryChannel', problem: 'wrong_type' }] });
    expect(validateCategoryFields(sub, { deliveryChannel: null })).toEqual({ ok: false, problems: [{ key: 'deliveryChannel', problem: 'required' }] });
    expect(validateCategoryFields(sub, { deliveryChannel: 'wechat' }).ok).toBe(true);
  });
});
