import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import relativeTime from 'dayjs/plugin/relativeTime';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';

dayjs.extend(relativeTime);

export const APP_LANGUAGES = ['zh-CN', 'en-US'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];

const STORAGE_KEY = 'kefu.language';

function isAppLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (APP_LANGUAGES as readonly string[]).includes(value);
}

// Chinese first: the product's first users are Chinese service centers, whatever the browser says.
function initialLanguage(): AppLanguage {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isAppLanguage(stored)) return stored;
  } catch {
    // storage may be unavailable (private mode); use the default
  }
  return 'zh-CN';
}

function applySideEffects(language: AppLanguage): void {
  setApiLanguage(language);
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = language;
}

const language = initialLanguage();
applySideEffects(language);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: language,
  fallbackLng: 'zh-CN',
  supportedLngs: [...APP_LANGUAGES],
  // Permission codes contain ':' (customer:read); never treat it as a namespace separator.
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function currentLanguage(): AppLanguage {
  return isAppLanguage(i18n.language) ? i18n.language : 'zh-CN';
}

export async function changeLanguage(next: AppLanguage): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore: the choice simply won't survive a reload
  }
  applySideEffects(next);
  await i18n.changeLanguage(next);
}

export { i18n };
