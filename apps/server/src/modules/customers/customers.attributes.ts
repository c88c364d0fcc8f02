import { AppError } from '../../platform/errors.ts';

export type AttributeDefinition = { key: string; type: string; options: unknown; required: boolean };

/** Checks typed attributes against the brand's definitions; unknown keys and wrong types are refused. */
export function validateAttributes(
  attributes: Record<string, unknown>,
  definitions: readonly AttributeDefinition[],
): Record<string, unknown> {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const def = byKey.get(key);
    if (!def) throw new AppError('customer.unknown_attribute', `Unknown attribute ${key}`, { key });
    if (value === null) continue;
    const bad = () => new AppError('customer.invalid_attribute', `Attribute ${key} must be ${def.type}`, { key, type: def.type });
    switch (def.type) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw bad();
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad();
        break;
      case 'date':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw bad();
        break;
      case 'enum':
        if (typeof value !== 'string' || !(def.options as string[]).includes(value)) throw bad();
        break;
      default:
        if (typeof value !== 'string') throw bad();
    }
    out[key] = value;
  }
  return out;
}
