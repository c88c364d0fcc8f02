import type { TOverflowAction, TWidgetConfig } from './contracts.ts';
import type { MessageKey } from './i18n.ts';

// The widget's two forms (pre-chat, leave-a-message / call-back) as field lists, and their
// validation before anything is sent. Pure; ui/forms.ts renders a list.

export type FieldName = 'name' | 'phone' | 'email' | 'topic' | 'kind' | 'message';
/** `options`: a select, as [value, label] pairs; the first option is the preselected one. */
export type Field = { name: FieldName; required: boolean; options?: [string, string][] };
export type FormValues = Partial<Record<FieldName, string>>;
export type FieldErrors = Partial<Record<FieldName, MessageKey>>;

const PHONE = /^\+?[0-9][0-9 ()-]{3,28}[0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LENGTH: Record<FieldName, number> = { name: 60, phone: 30, email: 120, topic: 40, kind: 20, message: 1000 };

/** What the pre-chat form asks; a verified visitor (identity token) is not asked who they are. */
export function preChatFields(config: TWidgetConfig, verified: boolean, language: string, choose: string): Field[] {
  if (!config.preChat.enabled) return [];
  const fields: Field[] = verified ? [] : config.preChat.fields.map((f) => ({ name: f.name, required: f.required }));
  if (config.topics.length) {
    const topics = config.topics.map((x): [string, string] => [x.code, language === 'en-US' ? x.labelEn : x.labelZh]);
    fields.push({ name: 'topic', required: true, options: [['', choose], ...topics] });
  }
  return fields;
}

export function leaveFields(kind: TOverflowAction, labels: { leave: string; callback: string }): Field[] {
  const kinds: [string, string][] = [
    ['leave_message', labels.leave],
    ['callback', labels.callback],
  ];
  return [
    { name: 'kind', required: true, options: kind === 'callback' ? kinds.reverse() : kinds },
    { name: 'name', required: true },
    { name: 'phone', required: true },
    { name: 'message', required: false },
  ];
}

export function validateForm(fields: Field[], values: FormValues): FieldErrors | null {
  const errors: FieldErrors = {};
  for (const f of fields) {
    const v = (values[f.name] ?? '').trim();
    if (!v) {
      if (f.required) errors[f.name] = 'errRequired';
    } else if (f.options && !f.options.some(([value]) => value === v)) errors[f.name] = 'errRequired';
    else if (v.length > MAX_LENGTH[f.name]) errors[f.name] = 'errTooLong';
    else if (f.name === 'phone' && !PHONE.test(v)) errors.phone = 'errPhone';
    else if (f.name === 'email' && !EMAIL.test(v)) errors.email = 'errEmail';
  }
  return Object.keys(errors).length ? errors : null;
}

export type UploadProblem = { error: MessageKey; max?: number };

/** Checks a chosen file against the channel's limits; allowed types are MIME types, `type/*` or `.ext`. */
export function checkUpload(file: { name: string; type: string; size: number }, config: TWidgetConfig): UploadProblem | null {
  const type = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  const allowed = config.allowedUploadTypes.some((a) => {
    const t = a.trim().toLowerCase();
    return t[0] === '.' ? name.endsWith(t) : t.endsWith('/*') ? type.startsWith(t.slice(0, -1)) : t === type;
  });
  if (!allowed) return { error: 'uploadType' };
  if (file.size <= 0) return { error: 'uploadFailed' };
  if (file.size > config.maxUploadBytes) return { error: 'uploadTooLarge', max: config.maxUploadBytes };
  return null;
}
