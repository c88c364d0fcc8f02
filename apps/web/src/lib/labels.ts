import type { TFunction } from 'i18next';

// Labels for codes that come from the server. Unknown codes (added later server-side) fall back
// to the raw code instead of an empty cell.

export function flagLabel(t: TFunction, flag: string): string {
  return t(`customer.flag.${flag}`, { defaultValue: flag });
}

export const FLAG_COLORS: Record<string, string> = {
  vulnerable: 'orange',
  key_account: 'gold',
  high_risk: 'red',
};

export function identityKindLabel(t: TFunction, kind: string): string {
  return t(`customer.identityKind.${kind}`, { defaultValue: kind });
}

export function languageLabel(t: TFunction, code: string | null | undefined): string {
  if (!code) return '—';
  return t(`language.${code}`, { defaultValue: code });
}

/** Service languages a customer may prefer or an agent may speak (语种坐席); mirrors LANGUAGES in @kefu/contracts. */
export const SERVICE_LANGUAGES = ['zh-CN', 'en-US', 'bo-amdo', 'bo-kham'] as const;

export function permissionLabel(t: TFunction, permission: string): string {
  return t(`permission.${permission.replace(':', '.')}`, { defaultValue: permission });
}

export function permissionGroupLabel(t: TFunction, group: string): string {
  return t(`permissionGroup.${group}`, { defaultValue: group });
}

export function scopeLabel(t: TFunction, scope: string): string {
  return t(`scope.${scope}`, { defaultValue: scope });
}

export function roleLabel(lang: string, role: { nameZh: string; nameEn: string; code: string } | undefined, code: string): string {
  if (!role) return code;
  return (lang === 'en-US' ? role.nameEn : role.nameZh) || role.code;
}

export function auditActionLabel(t: TFunction, action: string): string {
  return t(`audit.actions.${action}`, { defaultValue: action });
}

export function entityTypeLabel(t: TFunction, type: string): string {
  return t(`audit.entityTypes.${type}`, { defaultValue: type });
}
