import { TICKET_CATEGORY_CODES, type TicketCategoryCode } from '../sla/state-grid-preset.ts';
import { assertNever } from './assert-never.ts';

// The work-order category tree (工单分类) as data, one entry per ticket_categories row. Codes are
// stable strings stored on orders and sent over the API: `<top-level>.<sub>` (e.g.
// 'fault-repair.low-voltage'); names may be renamed freely. The seeded default is the 95598 set;
// sub-categories follow the wording 95598 centers use, written for this product.

export const CATEGORY_FIELD_TYPES = ['text', 'number', 'boolean', 'enum', 'date', 'datetime'] as const;
export type CategoryFieldType = (typeof CATEGORY_FIELD_TYPES)[number];

export type CategoryFieldOption = { value: string; nameZh: string; nameEn: string };

type FieldBase = {
  /** camelCase key under tickets.fields. */
  key: string;
  labelZh: string;
  labelEn: string;
  required?: boolean;
};

/** A custom field an order of the category carries (tickets.fields jsonb). */
export type CategoryFieldDefinition =
  | (FieldBase & { type: 'text'; maxLength?: number; multiline?: boolean })
  | (FieldBase & { type: 'number'; min?: number; max?: number; integer?: boolean; unit?: string })
  | (FieldBase & { type: 'boolean' })
  | (FieldBase & { type: 'enum'; options: readonly CategoryFieldOption[] })
  /** Local date 'YYYY-MM-DD'. */
  | (FieldBase & { type: 'date' })
  /** ISO 8601 instant with zone, e.g. '2026-11-27T08:30:00+08:00'. */
  | (FieldBase & { type: 'datetime' });

export type TicketCategory = {
  code: string;
  /** null for a top-level category. */
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  /** Fields of this level; a sub-category also carries its ancestors' fields (see listCategoryFields). */
  fields: readonly CategoryFieldDefinition[];
  /** Order among siblings. */
  position: number;
  active: boolean;
};

const DEFAULT_TEXT_MAX_LENGTH = 2000;

const outageScope: CategoryFieldDefinition = {
  key: 'outageScope',
  type: 'enum',
  labelZh: '停电范围',
  labelEn: 'Outage scope',
  required: true,
  options: [
    { value: 'single-household', nameZh: '单户', nameEn: 'Single household' },
    { value: 'building', nameZh: '整栋楼', nameEn: 'Whole building' },
    { value: 'area', nameZh: '片区', nameEn: 'Whole area' },
  ],
};

type SeedNode = {
  code: string;
  nameZh: string;
  nameEn: string;
  fields?: readonly CategoryFieldDefinition[];
  children: readonly { code: string; nameZh: string; nameEn: string; fields?: readonly CategoryFieldDefinition[] }[];
};

function getSeedNode(code: TicketCategoryCode): SeedNode {
  switch (code) {
    case 'fault-repair':
      return {
        code,
        nameZh: '故障报修',
        nameEn: 'Fault repair',
        fields: [
          outageScope,
          { key: 'safetyHazard', type: 'boolean', labelZh: '是否有安全隐患', labelEn: 'Safety hazard', required: true },
          { key: 'faultAddress', type: 'text', labelZh: '故障地址', labelEn: 'Fault address', required: true, maxLength: 200 },
          { key: 'outageStartedAt', type: 'datetime', labelZh: '停电开始时间', labelEn: 'Outage started at' },
        ],
        children: [
          { code: 'low-voltage', nameZh: '低压故障', nameEn: 'Low-voltage fault' },
          { code: 'high-voltage', nameZh: '高压故障', nameEn: 'High-voltage fault' },
          {
            code: 'metering',
            nameZh: '计量装置故障',
            nameEn: 'Metering device fault',
            fields: [{ key: 'meterNumber', type: 'text', labelZh: '电能表资产号', labelEn: 'Meter asset number', maxLength: 32 }],
          },
          { code: 'power-quality', nameZh: '电能质量', nameEn: 'Power quality (voltage, flicker)' },
          { code: 'customer-internal', nameZh: '客户内部故障', nameEn: 'Fault inside the customer premises' },
          { code: 'charging-facility', nameZh: '充电设施故障', nameEn: 'EV charging facility fault' },
          { code: 'non-power', nameZh: '非电力故障', nameEn: 'Non-power fault (e.g. telecom cable)' },
        ],
      };
    case 'complaint':
      return {
        code,
        nameZh: '投诉',
        nameEn: 'Complaint',
        fields: [
          { key: 'demand', type: 'text', labelZh: '诉求', labelEn: 'Demand', required: true, multiline: true, maxLength: 2000 },
          { key: 'complainedParty', type: 'text', labelZh: '被投诉对象', labelEn: 'Party complained about', maxLength: 100 },
          { key: 'occurredAt', type: 'datetime', labelZh: '事发时间', labelEn: 'Occurred at' },
        ],
        children: [
          { code: 'service-attitude', nameZh: '服务态度', nameEn: 'Service attitude' },
          { code: 'outage', nameZh: '停送电', nameEn: 'Outages and restoration' },
          { code: 'meter-reading-billing', nameZh: '抄表催费', nameEn: 'Meter reading and bill collection' },
          { code: 'tariff', nameZh: '电价电费', nameEn: 'Tariffs and charges' },
          { code: 'new-connection', nameZh: '业扩报装', nameEn: 'New connections and capacity changes' },
          { code: 'supply-quality', nameZh: '供电质量', nameEn: 'Supply quality' },
          { code: 'grid-construction', nameZh: '电网建设', nameEn: 'Grid construction' },
        ],
      };
    case 'report':
      return {
        code,
        nameZh: '举报',
        nameEn: 'Report',
        fields: [
          { key: 'anonymous', type: 'boolean', labelZh: '是否匿名', labelEn: 'Anonymous' },
          { key: 'reportedParty', type: 'text', labelZh: '被举报对象', labelEn: 'Party reported', maxLength: 100 },
          { key: 'location', type: 'text', labelZh: '发生地点', labelEn: 'Location', maxLength: 200 },
        ],
        children: [
          { code: 'power-theft', nameZh: '窃电', nameEn: 'Electricity theft' },
          { code: 'unauthorized-use', nameZh: '违约用电', nameEn: 'Unauthorised use of electricity' },
          { code: 'staff-misconduct', nameZh: '行风问题', nameEn: 'Staff misconduct' },
          { code: 'facility-damage', nameZh: '破坏电力设施', nameEn: 'Damage to power facilities' },
          { code: 'illegal-charges', nameZh: '乱收费', nameEn: 'Unlawful charges' },
        ],
      };
    case 'opinion':
      return {
        code,
        nameZh: '意见',
        nameEn: 'Opinion',
        children: [
          { code: 'service', nameZh: '服务', nameEn: 'Service' },
          { code: 'billing', nameZh: '电费电价', nameEn: 'Bills and tariffs' },
          { code: 'supply', nameZh: '供电', nameEn: 'Power supply' },
          { code: 'channels', nameZh: '服务渠道', nameEn: 'Service channels' },
        ],
      };
    case 'suggestion':
      return {
        code,
        nameZh: '建议',
        nameEn: 'Suggestion',
        children: [
          { code: 'service-improvement', nameZh: '服务改进', nameEn: 'Service improvement' },
          { code: 'online-services', nameZh: '线上服务', nameEn: 'Online services (app, WeChat)' },
          { code: 'grid-planning', nameZh: '电网规划', nameEn: 'Grid planning' },
          { code: 'energy-saving', nameZh: '节约用电', nameEn: 'Energy saving' },
        ],
      };
    case 'praise':
      return {
        code,
        nameZh: '表扬',
        nameEn: 'Praise',
        fields: [{ key: 'praisedParty', type: 'text', labelZh: '表扬对象', labelEn: 'Person or team praised', maxLength: 100 }],
        children: [
          { code: 'repair-crew', nameZh: '抢修人员', nameEn: 'Repair crew' },
          { code: 'service-hall', nameZh: '营业厅', nameEn: 'Service hall' },
          { code: 'hotline', nameZh: '热线服务', nameEn: 'Hotline service' },
          { code: 'account-manager', nameZh: '客户经理', nameEn: 'Account manager' },
        ],
      };
    case 'service-request':
      return {
        code,
        nameZh: '服务申请',
        nameEn: 'Service request',
        fields: [{ key: 'accountNumber', type: 'text', labelZh: '户号', labelEn: 'Account number', maxLength: 32 }],
        children: [
          {
            code: 'new-connection',
            nameZh: '新装增容',
            nameEn: 'New connection or capacity increase',
            fields: [
              { key: 'capacityKva', type: 'number', labelZh: '申请容量', labelEn: 'Requested capacity', min: 0, max: 100_000, unit: 'kVA' },
            ],
          },
          { code: 'meter-test', nameZh: '电能表校验', nameEn: 'Meter accuracy test' },
          { code: 'billing-check', nameZh: '电量电费核查', nameEn: 'Consumption and bill check' },
          { code: 'name-transfer', nameZh: '更名过户', nameEn: 'Change of account holder' },
          {
            code: 'reconnection',
            nameZh: '欠费复电',
            nameEn: 'Reconnection after payment',
            fields: [{ key: 'paidAt', type: 'datetime', labelZh: '缴费时间', labelEn: 'Paid at', required: true }],
          },
          { code: 'time-of-use', nameZh: '峰谷电价申请', nameEn: 'Time-of-use tariff' },
          { code: 'ev-charger', nameZh: '充电桩报装', nameEn: 'Home EV charger connection' },
        ],
      };
    case 'subscription':
      return {
        code,
        nameZh: '订阅',
        nameEn: 'Subscription',
        fields: [
          {
            key: 'deliveryChannel',
            type: 'enum',
            labelZh: '订阅渠道',
            labelEn: 'Delivery channel',
            required: true,
            options: [
              { value: 'sms', nameZh: '短信', nameEn: 'SMS' },
              { value: 'wechat', nameZh: '微信', nameEn: 'WeChat' },
              { value: 'email', nameZh: '电子邮件', nameEn: 'Email' },
            ],
          },
        ],
        children: [
          { code: 'outage-notice', nameZh: '停电信息', nameEn: 'Outage notices' },
          { code: 'bill-notice', nameZh: '电费账单', nameEn: 'Bill notices' },
          { code: 'arrears-reminder', nameZh: '欠费提醒', nameEn: 'Arrears reminders' },
          { code: 'balance-alert', nameZh: '余额预警', nameEn: 'Prepaid balance alerts' },
        ],
      };
    case 'inquiry':
      return {
        code,
        nameZh: '业务咨询',
        nameEn: 'Inquiry',
        children: [
          { code: 'tariff', nameZh: '电价政策', nameEn: 'Tariff policy' },
          { code: 'billing', nameZh: '电费账单', nameEn: 'Bills and payment' },
          { code: 'outage-info', nameZh: '停电信息', nameEn: 'Outage information' },
          { code: 'procedures', nameZh: '业务办理', nameEn: 'How to apply' },
          { code: 'metering', nameZh: '计量', nameEn: 'Metering' },
          { code: 'distributed-solar', nameZh: '分布式光伏', nameEn: 'Rooftop solar' },
          { code: 'online-services', nameZh: '网上国网', nameEn: 'Online service app' },
        ],
      };
    case 'urging':
      return {
        code,
        nameZh: '催办',
        nameEn: 'Urging',
        fields: [{ key: 'originalNumber', type: 'text', labelZh: '原工单号', labelEn: 'Original order number', maxLength: 16 }],
        children: [
          { code: 'repair-progress', nameZh: '抢修进度', nameEn: 'Repair progress' },
          { code: 'application-progress', nameZh: '业务办理进度', nameEn: 'Application progress' },
          { code: 'complaint-progress', nameZh: '投诉处理进度', nameEn: 'Complaint progress' },
          { code: 'refund-progress', nameZh: '退费进度', nameEn: 'Refund progress' },
        ],
      };
    default:
      return assertNever(code);
  }
}

function buildSeed(): TicketCategory[] {
  const out: TicketCategory[] = [];
  TICKET_CATEGORY_CODES.forEach((top, i) => {
    const node = getSeedNode(top);
    out.push({ code: node.code, parentCode: null, nameZh: node.nameZh, nameEn: node.nameEn, fields: node.fields ?? [], position: i + 1, active: true });
    node.children.forEach((child, j) => {
      out.push({
        code: `${node.code}.${child.code}`,
        parentCode: node.code,
        nameZh: child.nameZh,
        nameEn: child.nameEn,
        fields: child.fields ?? [],
        position: j + 1,
        active: true,
      });
    });
  });
  return out;
}

/** The seeded 95598 category tree, flat, parents before children (insert order for the table). */
export const STATE_GRID_CATEGORIES: readonly TicketCategory[] = buildSeed();

/** The category with `code`, or null. */
export function findCategory(categories: readonly TicketCategory[], code: string): TicketCategory | null {
  return categories.find((c) => c.code === code) ?? null;
}

/** Direct children of `code` (top level for null), in position order. */
export function listChildCategories(categories: readonly TicketCategory[], code: string | null): TicketCategory[] {
  return categories.filter((c) => c.parentCode === code).sort((a, b) => a.position - b.position || a.code.localeCompare(b.code));
}

/** Root-to-node path of a category (e.g. [故障报修, 低压故障]); empty when unknown or its chain is broken. */
export function getCategoryPath(categories: readonly TicketCategory[], code: string): TicketCategory[] {
  const path: TicketCategory[] = [];
  const seen = new Set<string>();
  let current = findCategory(categories, code);
  while (current !== null) {
    if (seen.has(current.code)) return []; // a cycle in configured data
    seen.add(current.code);
    path.unshift(current);
    if (current.parentCode === null) return path;
    current = findCategory(categories, current.parentCode);
  }
  return [];
}

/** 'a / b' names of the path in one language, for lists and exports. */
export function formatCategoryPath(categories: readonly TicketCategory[], code: string, language: 'zh' | 'en' = 'zh'): string {
  return getCategoryPath(categories, code)
    .map((c) => (language === 'zh' ? c.nameZh : c.nameEn))
    .join(' / ');
}

/** The built-in top-level code a category code belongs to ('fault-repair.low-voltage' → 'fault-repair'), or null. */
export function getTopLevelCategoryCode(code: string): TicketCategoryCode | null {
  const top = code.split('.')[0];
  return (TICKET_CATEGORY_CODES as readonly string[]).includes(top) ? (top as TicketCategoryCode) : null;
}

/**
 * True when `prefix` is `code` or one of its ancestors by code ('fault-repair' covers
 * 'fault-repair.low-voltage', not 'fault-repair-x'). The empty prefix covers everything.
 */
export function isCategoryWithin(code: string, prefix: string): boolean {
  return prefix === '' || code === prefix || code.startsWith(`${prefix}.`);
}

/** True when the category exists and has no active children (orders are filed on leaves). */
export function isLeafCategory(categories: readonly TicketCategory[], code: string): boolean {
  return findCategory(categories, code) !== null && !categories.some((c) => c.parentCode === code && c.active);
}

export type CategoryCodeCheck =
  | { ok: true; category: TicketCategory; path: TicketCategory[] }
  | { ok: false; reason: 'unknown' | 'inactive' | 'not_leaf' };

/**
 * Whether an order may be filed under `code`: it exists, it and its ancestors are active, and it
 * is a leaf (has no active sub-categories).
 */
export function checkCategoryCode(categories: readonly TicketCategory[], code: string): CategoryCodeCheck {
  const path = getCategoryPath(categories, code);
  if (path.length === 0) return { ok: false, reason: 'unknown' };
  if (path.some((c) => !c.active)) return { ok: false, reason: 'inactive' };
  if (!isLeafCategory(categories, code)) return { ok: false, reason: 'not_leaf' };
  return { ok: true, category: path[path.length - 1], path };
}

/** Fields an order of the category carries: ancestors' first, then its own (a child may override a key). */
export function listCategoryFields(categories: readonly TicketCategory[], code: string): CategoryFieldDefinition[] {
  const byKey = new Map<string, CategoryFieldDefinition>();
  for (const c of getCategoryPath(categories, code)) for (const f of c.fields) byKey.set(f.key, f);
  return [...byKey.values()];
}

export type CategoryTreeNode = TicketCategory & { children: CategoryTreeNode[] };

/** The tree for `GET /ticket-categories` and pickers; inactive categories left out unless asked. */
export function buildCategoryTree(categories: readonly TicketCategory[], options: { includeInactive?: boolean } = {}): CategoryTreeNode[] {
  const visible = options.includeInactive === true ? categories : categories.filter((c) => c.active);
  const build = (parent: string | null, depth: number): CategoryTreeNode[] =>
    depth > 16 ? [] : listChildCategories(visible, parent).map((c) => ({ ...c, children: build(c.code, depth + 1) }));
  return build(null, 0);
}

const CODE_SEGMENT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD_KEY = /^[a-z][A-Za-z0-9]*$/;

/**
 * Problems of a configured tree (admin edits, imports); empty when valid. Checks code syntax,
 * uniqueness, that a child's code extends its parent's, field keys and enum options.
 */
export function validateCategoryTree(categories: readonly TicketCategory[]): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  for (const c of categories) {
    if (codes.has(c.code)) problems.push(`${c.code}: duplicate code`);
    codes.add(c.code);
    if (!c.code.split('.').every((s) => CODE_SEGMENT.test(s))) problems.push(`${c.code}: bad code`);
    if (c.nameZh.trim() === '' || c.nameEn.trim() === '') problems.push(`${c.code}: missing name`);
    if (c.parentCode === null) {
      if (c.code.includes('.')) problems.push(`${c.code}: top-level code contains '.'`);
    } else if (!c.code.startsWith(`${c.parentCode}.`) || c.code.slice(c.parentCode.length + 1).includes('.')) {
      problems.push(`${c.code}: code must be ${c.parentCode}.<segment>`);
    }
    const keys = new Set<string>();
    for (const f of c.fields) {
      if (!FIELD_KEY.test(f.key)) problems.push(`${c.code}: bad field key ${f.key}`);
      if (keys.has(f.key)) problems.push(`${c.code}: duplicate field ${f.key}`);
      keys.add(f.key);
      if (f.type === 'enum' && (f.options.length === 0 || new Set(f.options.map((o) => o.value)).size !== f.options.length)) {
        problems.push(`${c.code}: field ${f.key} needs distinct options`);
      }
    }
  }
  for (const c of categories) {
    if (c.parentCode !== null && !codes.has(c.parentCode)) problems.push(`${c.code}: unknown parent ${c.parentCode}`);
  }
  return problems;
}

export const FIELD_PROBLEMS = ['required', 'wrong_type', 'not_an_option', 'too_long', 'out_of_range', 'not_integer', 'unknown_field'] as const;
export type FieldProblem = (typeof FIELD_PROBLEMS)[number];

export type FieldValue = string | number | boolean;

export type FieldValidation =
  | { ok: true; values: Record<string, FieldValue> }
  | { ok: false; problems: { key: string; problem: FieldProblem }[] };

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isRealDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

// The normalized value, or the problem with it. Text is trimmed; blank text counts as absent.
function checkField(field: CategoryFieldDefinition, value: unknown): { value: FieldValue } | { problem: FieldProblem } | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return field.required === true ? { problem: 'required' } : null;
  }
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string') return { problem: 'wrong_type' };
      const text = value.trim();
      return [...text].length > (field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH) ? { problem: 'too_long' } : { value: text };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { problem: 'wrong_type' };
      if (field.integer === true && !Number.isInteger(value)) return { problem: 'not_integer' };
      if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) return { problem: 'out_of_range' };
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { problem: 'wrong_type' };
    case 'enum':
      if (typeof value !== 'string') return { problem: 'wrong_type' };
      return field.options.some((o) => o.value === value) ? { value } : { problem: 'not_an_option' };
    case 'date':
      return typeof value === 'string' && DATE_PATTERN.test(value) && isRealDate(value) ? { value } : { problem: 'wrong_type' };
    case 'datetime':
      return typeof value === 'string' && DATETIME_PATTERN.test(value) && isRealDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value))
        ? { value }
        : { problem: 'wrong_type' };
    default:
      return assertNever(field);
  }
}

/**
 * Checks custom field values against a category's fields (edge validation of the create and
 * update requests). Unknown keys are refused so that typos do not vanish silently; absent
 * optional fields are left out of `values`.
 */
export function validateCategoryFields(fields: readonly CategoryFieldDefinition[], input: Readonly<Record<string, unknown>>): FieldValidation {
  const problems: { key: string; problem: FieldProblem }[] = [];
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    const checked = checkField(field, Object.hasOwn(input, field.key) ? input[field.key] : undefined);
    if (checked === null) continue;
    if ('problem' in checked) problems.push({ key: field.key, problem: checked.problem });
    else values[field.key] = checked.value;
  }
  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.key === key)) problems.push({ key, problem: 'unknown_field' });
  }
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}
