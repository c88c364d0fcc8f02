import type { SCRIPT_SITUATION_CODES, SCRIPT_VARIABLE_NAMES, TScriptLanguage } from '@kefu/contracts';

// The situation and variable lists of the contracts, kept type-only (no zod in the browser bundle):
// a Record over the contract's union fails to compile when a code is added there and not here.

export type ScriptSituation = (typeof SCRIPT_SITUATION_CODES)[number];
export type ScriptVariable = (typeof SCRIPT_VARIABLE_NAMES)[number];

const SITUATION_ORDER: Record<ScriptSituation, number> = {
  greeting: 0,
  identity_check: 1,
  clarifying: 2,
  waiting: 3,
  soothing: 4,
  explaining: 5,
  refusal: 6,
  escalation: 7,
  ticket: 8,
  closing: 9,
  abusive_warning: 10,
  holiday: 11,
  language_greeting: 12,
  general: 13,
};
/** Situations in the order of a contact: greeting first, closing and the special cases last. */
export const SITUATIONS = (Object.keys(SITUATION_ORDER) as ScriptSituation[]).sort((a, b) => SITUATION_ORDER[a] - SITUATION_ORDER[b]);

const VARIABLES: Record<ScriptVariable, true> = {
  'customer.name': true,
  'customer.title': true,
  'customer.salutation': true,
  'agent.name': true,
  'agent.workNumber': true,
  'ticket.number': true,
  'ticket.status': true,
  'brand.name': true,
  'brand.hotline': true,
  today: true,
  'time.greeting': true,
};
/** The variables a script may use, for the editor's palette. */
export const VARIABLE_NAMES = Object.keys(VARIABLES) as ScriptVariable[];

export const SCRIPT_LANGUAGES: readonly TScriptLanguage[] = ['zh-CN', 'en-US', 'bo'];

/** i18n key of a variable's label: `customer.name` → scripts.variables.customer_name. */
export function variableLabelKey(name: string): string {
  return `scripts.variables.${name.replace(/\./g, '_')}`;
}
