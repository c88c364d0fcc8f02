import type { FieldErrors, FieldName, FormValues, Field } from '../forms.ts';
import type { MessageKey, Translate } from '../i18n.ts';
import { h, setText } from './dom.ts';

// Renders a field list from ../forms.ts as a form (each field's label is the string keyed by its
// name); errors returned by `submit` appear under each field.

const INPUT_TYPES: Partial<Record<FieldName, string>> = { phone: 'tel', email: 'email' };
const AUTOCOMPLETE: Partial<Record<FieldName, string>> = { name: 'name', phone: 'tel', email: 'email' };

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function control(f: Field): Control {
  if (f.options) return h('select', null, ...f.options.map(([value, text]) => h('option', { value }, text)));
  if (f.name === 'message') return h('textarea');
  return h('input', { type: INPUT_TYPES[f.name] ?? 'text', autocomplete: AUTOCOMPLETE[f.name] ?? 'off' });
}

export function buildForm(
  intro: string,
  fields: Field[],
  submitLabel: MessageKey,
  t: Translate,
  submit: (values: FormValues) => Promise<FieldErrors | null>,
): HTMLFormElement {
  const rows = fields.map((f) => {
    const input = control(f);
    const error = h('span', { class: 'err', role: 'alert' });
    return { f, input, error, label: h('label', null, t(f.name) + (f.required && !f.options ? ' *' : ''), input, error) };
  });
  const button = h('button', { class: 'btn' }, t(submitLabel));
  const form = h('form', { novalidate: '' }, h('p', null, intro), ...rows.map((r) => r.label), button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values: FormValues = {};
    for (const r of rows) values[r.f.name] = r.input.value;
    button.disabled = true;
    void submit(values)
      .then((errors) => {
        for (const r of rows) {
          const key = errors?.[r.f.name];
          setText(r.error, key ? t(key) : '');
          r.input.setAttribute('aria-invalid', String(!!key));
        }
      })
      .finally(() => (button.disabled = false));
  });
  return form;
}
