import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import { useCan } from '../../auth/hooks/use-me';

/** Route guard: a 403 page instead of a page whose every request would fail. */
export function RequirePermission({ permission }: { permission: string }) {
  const can = useCan();
  const { t } = useTranslation();
  if (!can(permission)) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('shell.forbidden')}
        extra={
          <Link to="/">
            <Button type="primary">{t('shell.backHome')}</Button>
          </Link>
        }
      />
    );
  }
  return <Outlet />;
}
