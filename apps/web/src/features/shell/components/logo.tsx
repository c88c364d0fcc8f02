import { useTranslation } from 'react-i18next';

export function Logo({ collapsed = false }: { collapsed?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="kefu-logo" data-testid="app-logo">
      <img src="/favicon.svg" alt="" />
      {!collapsed && (
        <span>
          Kefu <span className="kefu-logo-zh">{t('app.nameZh')}</span>
        </span>
      )}
    </div>
  );
}
