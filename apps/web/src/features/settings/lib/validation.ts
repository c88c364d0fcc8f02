import type { TFunction } from 'i18next';
import { isApiError } from '../../../api/client';

/** A problem the server reported about a field: `path` as form name segments (empty when it names no field). */
export type FieldIssue = { path: (string | number)[]; text: string; message: string };

type ZodIssue = { path?: string; message?: string };

// Names of the wire fields, for "到达现场 · 时长：…" instead of "body.targets.arrive.amount".
const SEGMENT_KEYS: Record<string, string> = {
  name: 'slaAdmin.fields.name',
  targets: 'slaAdmin.fields.targets',
  amount: 'slaAdmin.fields.amount',
  unit: 'slaAdmin.fields.unit',
  clock: 'slaAdmin.fields.clock',
  after: 'slaAdmin.fields.after',
  escalation: 'slaAdmin.fields.escalation',
  overdueMinutes: 'slaAdmin.fields.overdueMinutes',
  milestone: 'slaAdmin.fields.ruleMilestone',
  audience: 'slaAdmin.fields.audience',
  departmentCode: 'slaAdmin.fields.department',
  assigneeId: 'slaAdmin.fields.assignee',
  calendarId: 'slaAdmin.fields.calendar',
  atRiskRatio: 'slaAdmin.fields.atRisk',
  active: 'slaAdmin.fields.active',
  definition: 'calendars.fields.definition',
  timeZone: 'calendars.fields.timeZone',
  alwaysOpen: 'calendars.fields.alwaysOpen',
  weekly: 'calendars.fields.weekly',
  holidays: 'calendars.fields.holidays',
  workdays: 'calendars.fields.workdays',
  workdayTemplate: 'calendars.fields.workdayTemplate',
  start: 'calendars.fields.start',
  end: 'calendars.fields.end',
};
const MILESTONE_SEGMENTS = new Set(['accept', 'contact', 'dispatch', 'arrive', 'handle', 'reply', 'followUp']);

function segmentLabel(t: TFunction, segment: string, previous: string | undefined): string {
  if (/^\d+$/.test(segment)) {
    if (previous === 'weekly') return t(`calendars.weekday.${segment}`);
    if (previous === 'rules') return t('slaAdmin.escalation.ruleTitle', { n: Number(segment) + 1 });
    if (previous === 'actions') return t('slaAdmin.validation.actionN', { n: Number(segment) + 1 });
    return t('slaAdmin.validation.nth', { n: Number(segment) + 1 });
  }
  if (previous === 'targets' && MILESTONE_SEGMENTS.has(segment)) return t(`slaAdmin.milestone.${segment}`);
  const key = SEGMENT_KEYS[segment];
  return key ? t(key) : segment;
}

/** zod's English issue messages ("Too small: expected number to be >0") in the UI language, where recognised. */
function translateZodMessage(t: TFunction, message: string): string {
  const limit = /to (?:be|have) (.+)$/.exec(message)?.[1] ?? '';
  if (/^Too small/.test(message)) return t('slaAdmin.validation.tooSmall', { limit });
  if (/^Too big/.test(message)) return t('slaAdmin.validation.tooBig', { limit });
  if (/^Invalid input: expected/.test(message)) return t('slaAdmin.validation.invalidType');
  if (/^Invalid (option|input|discriminator)/.test(message)) return t('slaAdmin.validation.invalidValue');
  if (/^Invalid (ISO )?(date|string|uuid|UUID)/.test(message)) return t('slaAdmin.validation.invalidFormat');
  if (/^Unrecognized key/.test(message)) return t('slaAdmin.validation.unknownKey');
  return message;
}

/** The alert's headline for a failed save: "fix the following" for validation errors, else the error's own text. */
export function saveErrorTitle(t: TFunction, toMessage: (error: unknown) => string, error: unknown): string {
  return isApiError(error) && error.code === 'validation.failed' ? t('slaAdmin.validation.failed') : toMessage(error);
}

/** Calendar problems from the domain's validateCalendar ("weekday 1: bad hours 12:00-08:30"), in the UI language. */
export function translateCalendarProblem(t: TFunction, problem: string): string {
  let m = /^weekday (\d): bad hours (.*)-(.*)$/.exec(problem);
  if (m) return t('calendars.problem.badHours', { day: t(`calendars.weekday.${m[1]}`), start: m[2], end: m[3] });
  m = /^unknown time zone (.*)$/.exec(problem);
  if (m) return t('calendars.problem.timeZone', { zone: m[1] });
  m = /^bad date (.*)$/.exec(problem);
  if (m) return t('calendars.problem.badDate', { date: m[1] });
  if (problem === 'no working hours') return t('calendars.problem.noHours');
  return problem;
}

/**
 * The field-level problems of a 400 validation.failed: the request-schema `issues` ({path, message})
 * and the calendar check's `problems` (strings). Empty for any other error.
 */
export function validationIssues(t: TFunction, error: unknown): FieldIssue[] {
  if (!isApiError(error) || error.code !== 'validation.failed') return [];
  const details = (error.details ?? {}) as { issues?: ZodIssue[]; problems?: unknown[]; field?: string };
  const out: FieldIssue[] = [];
  for (const issue of details.issues ?? []) {
    const segments = (issue.path ?? '').split('.').filter(Boolean);
    if (segments[0] === 'body') segments.shift();
    // "rules" and "actions" read from the numbered segment after them ("规则 2 · 动作 1").
    const label = segments
      .map((s, i) => (s === 'rules' || s === 'actions' ? '' : segmentLabel(t, s, segments[i - 1])))
      .filter(Boolean)
      .join(' · ');
    const message = translateZodMessage(t, issue.message ?? '');
    out.push({
      path: segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      text: label ? t('slaAdmin.validation.issue', { field: label, message }) : message,
      message,
    });
  }
  for (const problem of details.problems ?? []) {
    const text = translateCalendarProblem(t, String(problem));
    out.push({ path: [], text, message: text });
  }
  if (details.field && out.length === 0) {
    out.push({ path: [details.field], text: t('slaAdmin.validation.issue', { field: segmentLabel(t, details.field, undefined), message: error.message }), message: error.message });
  }
  if (out.length === 0 && error.message) out.push({ path: [], text: error.message, message: error.message });
  return out;
}
