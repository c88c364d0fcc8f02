import { assertNever } from '../tickets/assert-never.ts';
import { type BotFlowName, detectYesNo } from './intents.ts';
import type { BotLanguage } from './text.ts';
import { botText } from './texts.ts';

// Self-service flows (自助服务) as small state machines. The server loads what a flow may need
// (the identified customer, the areas, active incidents, open orders) into a BotFlowContext; a
// step reads the customer's message and answers, asks the next question, or asks the server to do
// something (create the repair order) or to hand off.

/** The customer the visitor is linked to; `verified` only for a signed identity token. */
export type BotCustomer = {
  id: string;
  name: string;
  verified: boolean;
  areaId: string | null;
  areaName: string | null;
  /** The archive's primary address. */
  address: string | null;
  phone: string | null;
};

export type BotArea = { id: string; name: string; district: string };
export type BotIncident = { number: string; title: string; areaIds: readonly string[]; expectedRestoreAt: Date | null };
export type BotOrder = { number: string; statusLabel: string; categoryName: string };

export type BotFlowContext = {
  customer: BotCustomer | null;
  areas: readonly BotArea[];
  /** Active incidents (故障停电) of the brand. */
  incidents: readonly BotIncident[];
  /** Open work orders of the linked customer (empty without one). */
  openOrders: readonly BotOrder[];
};

export type RepairDraft = { address?: string; description?: string; phone?: string };

export type BotFlowState =
  | { flow: 'outage'; step: 'ask_area'; attempts: number }
  | { flow: 'repair'; step: 'confirm_address' | 'ask_address' | 'ask_description' | 'ask_phone' | 'confirm'; draft: RepairDraft; attempts: number };

/** What the server must do after a flow step. */
export type BotFlowEffect = { type: 'create_repair_order'; customerId: string; address: string; description: string; phone: string };

export type BotFlowStep = {
  reply: string;
  /** Quick-reply buttons. */
  options: string[];
  next: BotFlowState | null;
  effect?: BotFlowEffect;
  /** The flow cannot go on without a person. */
  handoff?: boolean;
};

const MAX_ATTEMPTS = 2;
const PHONE = /^\+?[\d\s-]{7,20}$/;

function yesNoOptions(lang: BotLanguage) {
  return [botText('option.yes', lang), botText('option.no', lang)];
}

function formatTime(d: Date | null, lang: BotLanguage): string {
  if (!d) return botText('outage.unknownRestore', lang);
  // Beijing time, the service area's clock (UTC+8, no DST).
  const b = new Date(d.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${b.getUTCMonth() + 1}-${pad(b.getUTCDate())} ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`;
}

/** The outage answer for one area from the active incidents. */
export function describeOutages(area: BotArea, incidents: readonly BotIncident[], lang: BotLanguage): string {
  const here = incidents.filter((i) => i.areaIds.includes(area.id));
  if (here.length === 0) return botText('outage.none', lang, { area: area.name });
  const items = here.map((i) => botText('outage.item', lang, { title: i.title, number: i.number, restore: formatTime(i.expectedRestoreAt, lang) })).join(lang === 'zh-CN' ? '；' : '; ');
  return botText('outage.found', lang, { area: area.name, items });
}

/** The area a message names (城中区, "chengzhong" is not supported: names only), longest name first. */
export function findArea(text: string, areas: readonly BotArea[]): BotArea | null {
  const sorted = [...areas].sort((a, b) => b.name.length - a.name.length);
  return sorted.find((a) => text.includes(a.name) || (a.name.length > 2 && text.includes(a.name.replace(/[区县市]$/, '')))) ?? null;
}

function areaExample(ctx: BotFlowContext): string {
  return ctx.areas[0]?.name ?? '城中区';
}

/** Starts a flow: may answer at once (orders, outage for a known area) or ask the first question. */
export function startFlow(flow: BotFlowName, ctx: BotFlowContext, lang: BotLanguage): BotFlowStep {
  switch (flow) {
    case 'outage': {
      const area = ctx.customer?.areaId ? ctx.areas.find((a) => a.id === ctx.customer?.areaId) : undefined;
      if (area) return { reply: describeOutages(area, ctx.incidents, lang), options: [], next: null };
      return { reply: botText('outage.askArea', lang, { example: areaExample(ctx) }), options: ctx.areas.slice(0, 4).map((a) => a.name), next: { flow: 'outage', step: 'ask_area', attempts: 0 } };
    }
    case 'my_orders': {
      // Archive data only for a verified visitor: a typed phone number proves nothing.
      const c = ctx.customer;
      if (!c?.verified) return { reply: botText('orders.needIdentity', lang), options: [botText('option.human', lang)], next: null };
      if (ctx.openOrders.length === 0) return { reply: botText('orders.none', lang, { name: c.name }), options: [], next: null };
      const items = ctx.openOrders.map((o) => botText('orders.item', lang, { number: o.number, category: o.categoryName, status: o.statusLabel })).join(lang === 'zh-CN' ? '；' : '; ');
      return { reply: botText('orders.list', lang, { name: c.name, count: ctx.openOrders.length, items }), options: [], next: null };
    }
    case 'repair': {
      const c = ctx.customer;
      if (!c) return { reply: botText('repair.needCustomer', lang), options: [], next: null, handoff: true };
      if (c.verified && c.address) {
        return { reply: botText('repair.confirmAddress', lang, { address: c.address }), options: yesNoOptions(lang), next: { flow: 'repair', step: 'confirm_address', draft: {}, attempts: 0 } };
      }
      return { reply: botText('repair.askAddress', lang), options: [], next: { flow: 'repair', step: 'ask_address', draft: {}, attempts: 0 } };
    }
    default:
      return assertNever(flow);
  }
}

/** One customer message inside a running flow. */
export function continueFlow(state: BotFlowState, text: string, ctx: BotFlowContext, lang: BotLanguage): BotFlowStep {
  const t = text.trim();
  switch (state.flow) {
    case 'outage': {
      const area = findArea(t, ctx.areas);
      if (area) return { reply: describeOutages(area, ctx.incidents, lang), options: [], next: null };
      if (state.attempts + 1 >= MAX_ATTEMPTS) return { reply: '', options: [], next: null, handoff: true };
      return { reply: botText('outage.unknownArea', lang, { example: areaExample(ctx) }), options: ctx.areas.slice(0, 4).map((a) => a.name), next: { ...state, attempts: state.attempts + 1 } };
    }
    case 'repair':
      return continueRepair(state, t, ctx, lang);
    default:
      return assertNever(state);
  }
}

function continueRepair(state: Extract<BotFlowState, { flow: 'repair' }>, t: string, ctx: BotFlowContext, lang: BotLanguage): BotFlowStep {
  const c = ctx.customer;
  if (!c) return { reply: '', options: [], next: null, handoff: true };
  const ask = (step: typeof state.step, draft: RepairDraft, attempts = 0): BotFlowStep => {
    switch (step) {
      case 'ask_address':
        return { reply: botText('repair.askAddress', lang), options: [], next: { flow: 'repair', step, draft, attempts } };
      case 'ask_description':
        return { reply: botText('repair.askDescription', lang), options: [], next: { flow: 'repair', step, draft, attempts } };
      case 'ask_phone': {
        const known = c.verified && c.phone ? [c.phone] : [];
        return { reply: botText('repair.askPhone', lang), options: known, next: { flow: 'repair', step, draft, attempts } };
      }
      case 'confirm':
        return {
          reply: botText('repair.confirm', lang, { address: draft.address ?? '', description: draft.description ?? '', phone: draft.phone ?? '' }),
          options: yesNoOptions(lang),
          next: { flow: 'repair', step, draft, attempts },
        };
      case 'confirm_address':
        return { reply: botText('repair.confirmAddress', lang, { address: c.address ?? '' }), options: yesNoOptions(lang), next: { flow: 'repair', step, draft, attempts } };
      default:
        return assertNever(step);
    }
  };
  const retry = (): BotFlowStep => {
    if (state.attempts + 1 >= MAX_ATTEMPTS + 1) return { reply: '', options: [], next: null, handoff: true };
    const again = ask(state.step, state.draft, state.attempts + 1);
    return { ...again, reply: `${botText('yesNo.repeat', lang)}${again.reply}` };
  };
  switch (state.step) {
    case 'confirm_address': {
      const yn = detectYesNo(t);
      if (yn === 'yes') return ask('ask_description', { ...state.draft, address: c.address ?? '' });
      if (yn === 'no') return ask('ask_address', state.draft);
      // Anything longer than a yes/no is taken as the address itself.
      if (t.length >= 6) return ask('ask_description', { ...state.draft, address: t });
      return retry();
    }
    case 'ask_address':
      if (t.length < 4) return state.attempts + 1 > MAX_ATTEMPTS ? { reply: '', options: [], next: null, handoff: true } : ask('ask_address', state.draft, state.attempts + 1);
      return ask('ask_description', { ...state.draft, address: t.slice(0, 200) });
    case 'ask_description':
      if (t.length < 2) return ask('ask_description', state.draft, state.attempts + 1);
      return ask('ask_phone', { ...state.draft, description: t.slice(0, 500) });
    case 'ask_phone': {
      if (!PHONE.test(t)) {
        if (state.attempts + 1 > MAX_ATTEMPTS) return { reply: '', options: [], next: null, handoff: true };
        const again = ask('ask_phone', state.draft, state.attempts + 1);
        return { ...again, reply: botText('repair.badPhone', lang) };
      }
      return ask('confirm', { ...state.draft, phone: t.replace(/[\s-]/g, '') });
    }
    case 'confirm': {
      const yn = detectYesNo(t);
      if (yn === 'yes') {
        const d = state.draft;
        return {
          reply: '',
          options: [],
          next: null,
          effect: { type: 'create_repair_order', customerId: c.id, address: d.address ?? '', description: d.description ?? '', phone: d.phone ?? '' },
        };
      }
      if (yn === 'no') return { reply: botText('flow.cancelled', lang), options: [], next: null };
      return retry();
    }
    default:
      return assertNever(state.step);
  }
}
