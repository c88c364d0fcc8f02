import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';

/**
 * Turns any thrown value into one sentence for the user: a translated message when the error
 * code is one we know (so the UI stays in one language), otherwise the server's own message.
 */
export function useErrorMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (isApiError(error)) {
        const key = `errors.${error.code}`;
        const details = error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
        if (i18n.exists(key)) return t(key, details);
        return error.message || t('errors.unknown');
      }
      if (error instanceof Error && error.message) return error.message;
      return t('errors.unknown');
    },
    [t, i18n],
  );
}

/** Shows an error toast; use as a mutation's onError. */
export function useNotifyError(): (error: unknown) => void {
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  return useCallback((error: unknown) => void message.error(toMessage(error)), [message, toMessage]);
}
