import { getWallClock } from '../calendar/time-zone.ts';
import type { TicketStatus } from '../tickets/ticket-status.ts';
import type { ScriptLanguage } from './script-situations.ts';

// Variables in standard scripts (话术变量): `{customer.name}`, `{agent.workNumber}`, `{ticket.number}` …
// A template is plain text; only `{dotted.name}` is a variable, any other brace is literal. Values are
// inserted as plain text in one pass, so a customer called "{agent.name}" is never expanded again.

export const SCRIPT_VARIABLES = [
  'customer.name', // 客户姓名 (archive name; organisations keep their full name)
  'customer.title', // 先生 / 女士 when known, else 您
  'customer.salutation', // 张先生 / 才让卓玛女士 / the organisation / 您
  'agent.name', // 坐席姓名
  'agent.workNumber', // 工号
  'ticket.number', // 工单号
  'ticket.status', // 工单状态, worded for the customer
  'brand.name', // 客服中心名称
  'brand.hotline', // 服务热线 (95598)
  'today', // 2026年11月27日
  'time.greeting', // 上午好 / 下午好 / 晚上好
] as const;
export type ScriptVariable = (typeof SCRIPT_VARIABLES)[number];

/** Values for one rendering; a variable without a value (undefined, null, '') is reported as missing. */
export type ScriptValues = Partial<Record<ScriptVariable, string | null>>;

export type RenderedScript = {
  text: string;
  /** Variables left as `{…}` in the text, in order of first use: unknown names and known ones without a value. */
  missing: string[];
};

// A variable: letters, digits and underscores, dotted. `{ }`, `{1}` or `{张三}` stay literal text.
const VARIABLE = /\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\}/g;
const KNOWN: ReadonlySet<string> = new Set(SCRIPT_VARIABLES);

export function isScriptVariable(name: string): name is ScriptVariable {
  return KNOWN.has(name);
}

/** The distinct variable names a template uses, in order of first use. */
export function listTemplateVariables(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(VARIABLE)) seen.add(m[1] as string);
  return [...seen];
}

/** Variable names the template uses that are not in SCRIPT_VARIABLES (a typo such as `{agent.nmae}`). */
export function findUnknownVariables(template: string): string[] {
  return listTemplateVariables(template).filter((v) => !KNOWN.has(v));
}

/**
 * Fills a script template. Unknown variables and variables without a value stay visible as `{name}`
 * and are listed in `missing` (never silently dropped), so the agent sees what to fill in by hand.
 */
export function renderScript(template: string, values: ScriptValues): RenderedScript {
  const missing = new Set<string>();
  const text = template.replace(VARIABLE, (whole, name: string) => {
    const value = KNOWN.has(name) ? values[name as ScriptVariable] : undefined;
    if (value === undefined || value === null || value === '') {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing] };
}

export type CustomerGender = 'male' | 'female';

/**
 * Gender from an 18-character mainland resident ID number (the 17th digit is odd for men), used
 * only to say 先生 or 女士; the number itself never leaves the server. Null when unknown.
 */
export function genderFromIdNumber(idNumber: string | null | undefined): CustomerGender | null {
  if (!idNumber || !/^\d{17}[\dXx]$/.test(idNumber)) return null;
  return Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
}

const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '南宫'];
const HAN_NAME = /^\p{Script=Han}{2,3}$/u;

/** The surname of a two- or three-character Han name (compound surnames included); null otherwise. */
export function surnameOf(name: string): string | null {
  if (!HAN_NAME.test(name)) return null;
  const compound = COMPOUND_SURNAMES.find((s) => name.startsWith(s));
  if (compound) return name.length > compound.length ? compound : null;
  return name.slice(0, 1);
}

// Customer-facing wording of ticket statuses: a department's return (退单) is internal, the customer
// hears "being handled".
const TICKET_STATUS_TEXT: Record<TicketStatus, { zh: string; en: string }> = {
  accepted: { zh: '已受理', en: 'received' },
  dispatched: { zh: '已派发处理', en: 'assigned to a team' },
  in_progress: { zh: '处理中', en: 'in progress' },
  handled: { zh: '已处理，待回复', en: 'handled, reply pending' },
  replied: { zh: '已答复', en: 'answered' },
  followed_up: { zh: '已回访', en: 'followed up' },
  archived: { zh: '已办结', en: 'closed' },
  resolved: { zh: '已办结', en: 'closed' },
  returned: { zh: '处理中', en: 'in progress' },
};

export type ScriptContext = {
  language: ScriptLanguage;
  now: Date;
  timeZone: string;
  customer?: { name: string; gender?: CustomerGender | null; person?: boolean } | null;
  agent?: { name: string; workNumber: string | null } | null;
  ticket?: { number: string; status: TicketStatus } | null;
  brand?: { name?: string | null; hotline?: string | null } | null;
};

/**
 * The variable values for a context, worded in the script's language (Tibetan scripts take the
 * Chinese wording: the agents of the language seats write and read both). `customer.title` and
 * `customer.salutation` fall back to 您 / "there" when nobody is identified; `customer.name` is then
 * missing.
 */
export function buildScriptValues(ctx: ScriptContext): ScriptValues {
  const en = ctx.language === 'en-US';
  const c = ctx.customer ?? null;
  const person = c ? c.person !== false : false;
  const gender = c && person ? (c.gender ?? null) : null;
  const title = en ? (gender === 'male' ? 'Mr.' : gender === 'female' ? 'Ms.' : '') : gender === 'male' ? '先生' : gender === 'female' ? '女士' : '您';
  let salutation: string;
  if (!c) salutation = en ? 'there' : '您';
  else if (!person || !gender) salutation = c.name;
  else if (en) salutation = `${title} ${c.name}`;
  else salutation = `${surnameOf(c.name) ?? c.name}${title}`;
  const clock = getWallClock(ctx.now, ctx.timeZone);
  return {
    'customer.name': c?.name ?? null,
    'customer.title': en && !title ? null : title,
    'customer.salutation': salutation,
    'agent.name': ctx.agent?.name ?? null,
    'agent.workNumber': ctx.agent?.workNumber ?? null,
    'ticket.number': ctx.ticket?.number ?? null,
    'ticket.status': ctx.ticket ? TICKET_STATUS_TEXT[ctx.ticket.status][en ? 'en' : 'zh'] : null,
    'brand.name': ctx.brand?.name ?? null,
    'brand.hotline': ctx.brand?.hotline ?? null,
    today: en ? `${MONTHS_EN[clock.month - 1]} ${clock.day}, ${clock.year}` : `${clock.year}年${clock.month}月${clock.day}日`,
    'time.greeting': timeGreeting(clock.hour, en),
  };
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function timeGreeting(hour: number, en: boolean): string {
  if (en) return hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  if (hour < 5) return '您好';
  if (hour < 9) return '早上好';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}
