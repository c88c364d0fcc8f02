import {
  ApartmentOutlined,
  CustomerServiceOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  SyncOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { LanguageSwitch } from '../../shell/components/language-switch';
import { useLogin } from '../hooks/use-me';

type LoginForm = { username: string; password: string };

/** Only same-site paths are followed after login (no open redirect). */
function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}

function useCountdown(): [number, (seconds: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until, now]);
  const remaining = Math.max(0, Math.ceil((until - now) / 1000));
  return [remaining, (seconds: number) => {
    const start = Date.now();
    setNow(start);
    setUntil(start + seconds * 1000);
  }];
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const login = useLogin();
  const toMessage = useErrorMessage();
  const [lockedFor, lockFor] = useCountdown();

  const onFinish = (values: LoginForm) => {
    login.mutate(values, {
      onSuccess: () => navigate(safeNext(params.get('next')), { replace: true }),
      onError: (error) => {
        if (isApiError(error) && error.code === 'auth.throttled') {
          const seconds = Number((error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
          if (Number.isFinite(seconds) && seconds > 0) lockFor(seconds);
        }
      },
    });
  };

  const throttled = isApiError(login.error) && login.error.code === 'auth.throttled';

  return (
    <div className="kefu-login">
      <section className="kefu-login-brand">
        <div className="kefu-logo" style={{ padding: 0, fontSize: 22 }}>
          <img src="/favicon.svg" alt="" />
          <span>
            Kefu <span className="kefu-logo-zh">{t('app.nameZh')}</span>
          </span>
        </div>
        <div>
          <h1>{t('login.brandTitle')}</h1>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.75)', fontSize: 16, marginTop: 12 }}>
            {t('login.brandSubtitle')}
          </Typography.Paragraph>
          <ul>
            <li>
              <CustomerServiceOutlined />
              <span>{t('login.featureChannels')}</span>
            </li>
            <li>
              <SyncOutlined />
              <span>{t('login.featureLoop')}</span>
            </li>
            <li>
              <ApartmentOutlined />
              <span>{t('login.featureDispatch')}</span>
            </li>
            <li>
              <SafetyCertificateOutlined />
              <span>{t('login.featureTrust')}</span>
            </li>
          </ul>
        </div>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.5)' }}>{t('app.footer')}</Typography.Text>
      </section>
      <section className="kefu-login-form">
        <div className="kefu-login-lang">
          <LanguageSwitch />
        </div>
        <div className="kefu-login-form-inner">
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 28 }}>
            {t('login.subtitle')}
          </Typography.Paragraph>
          {login.isError && (
            <Alert
              type={throttled ? 'warning' : 'error'}
              showIcon
              data-testid="login-error"
              style={{ marginBottom: 20 }}
              title={toMessage(login.error)}
              description={throttled && lockedFor > 0 ? t('login.retryIn', { seconds: lockedFor }) : undefined}
            />
          )}
          <Form<LoginForm> layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input
                prefix={<UserOutlined />}
                placeholder={t('login.usernamePlaceholder')}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password
                prefix={<LockOutlined />}
                placeholder={t('login.passwordPlaceholder')}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={login.isPending}
              disabled={lockedFor > 0}
              data-testid="login-submit"
            >
              {lockedFor > 0 ? t('login.retryButton', { seconds: lockedFor }) : t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
            {t('login.help')}
          </Typography.Paragraph>
        </div>
      </section>
    </div>
  );
}
