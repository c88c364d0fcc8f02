import {
  DownOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, type MenuProps, Result, Spin, Typography } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import type { Me } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { RealtimeProvider } from '../../../lib/realtime';
import { ME_QUERY_KEY, MeContext, useLogout, useMeQuery } from '../../auth/hooks/use-me';
import { CallScreenPop } from '../../calls/components/call-screen-pop';
import { useTicketRealtime } from '../../tickets/hooks/use-ticket-realtime';
import { findActiveItem, NAV_ITEMS, type NavItem, visibleNavItems } from '../nav';
import { LanguageSwitch } from './language-switch';
import { Logo } from './logo';

const SIDER_KEY = 'kefu.siderCollapsed';

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
      <Spin size="large" />
    </Flex>
  );
}

/** Everything behind the login: loads /me once, then renders the frame around the routed page. */
export function AuthenticatedFrame() {
  const me = useMeQuery();
  const location = useLocation();
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const queryClient = useQueryClient();

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
    }
    return (
      <Result
        status="error"
        title={t('shell.loadFailed')}
        subTitle={toMessage(me.error)}
        extra={
          <Button type="primary" onClick={() => void me.refetch()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  return (
    <MeContext.Provider value={me.data}>
      {/* One WebSocket for the whole tab; a socket refused for an expired session re-checks /me, which leads to the login page. */}
      <RealtimeProvider onUnauthorized={() => void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY })}>
        <AppLayout me={me.data} />
      </RealtimeProvider>
    </MeContext.Provider>
  );
}

function toMenuItems(items: NavItem[], t: (k: string) => string): MenuProps['items'] {
  return items.map((item) => ({
    key: item.path ?? item.key,
    icon: item.icon,
    label: <span data-testid={`nav-${item.key}`}>{t(item.labelKey)}</span>,
    children: item.children ? toMenuItems(item.children, t) : undefined,
  }));
}

function AppLayout({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(SIDER_KEY) === '1');
  useTicketRealtime(me.permissions.includes('ticket:read'));

  const items = useMemo(() => visibleNavItems(NAV_ITEMS, (p) => me.permissions.includes(p)), [me.permissions]);
  const active = findActiveItem(items, location.pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(() => (active?.parent ? [active.parent.key] : ['admin']));

  const toggle = () => {
    setCollapsed((c) => {
      localStorage.setItem(SIDER_KEY, c ? '0' : '1');
      return !c;
    });
  };

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  const roleName = i18n.language === 'en-US' ? me.roleName.en : me.roleName.zh;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={220}
        breakpoint="lg"
        // Narrow windows fold the sider; widening again restores the user's own choice.
        onBreakpoint={(broken) => setCollapsed(broken || localStorage.getItem(SIDER_KEY) === '1')}
        className="kefu-sider"
        data-testid="app-sider"
      >
        <Logo collapsed={collapsed} />
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={active?.item.path ? [active.item.path] : []}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={(keys) => setOpenKeys(keys as string[])}
          items={toMenuItems(items, t)}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <header className="kefu-header">
          <Button
            type="text"
            aria-label={t(collapsed ? 'header.expand' : 'header.collapse')}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={toggle}
          />
          <Typography.Text type="secondary" ellipsis style={{ flex: 1 }}>
            {me.brands.length > 0 ? me.brands.map((b) => b.name).join(' · ') : t('app.tagline')}
          </Typography.Text>
          {me.permissions.includes('contact:handle') && <CallScreenPop />}
          <LanguageSwitch />
          <Dropdown
            placement="bottomRight"
            menu={{
              items: [
                { key: 'me', icon: <UserOutlined />, label: <span data-testid="menu-my-account">{t('nav.myAccount')}</span> },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('header.logout')}</span> },
              ],
              onClick: ({ key }) => (key === 'logout' ? onLogout() : navigate('/me')),
            }}
          >
            <button type="button" className="kefu-header-action" data-testid="user-menu">
              <Avatar size="small" style={{ background: '#1677ff' }}>
                {me.displayName.slice(0, 1).toUpperCase()}
              </Avatar>
              <span>{me.displayName}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {roleName}
              </Typography.Text>
              <DownOutlined style={{ fontSize: 10 }} />
            </button>
          </Dropdown>
        </header>
        <Layout.Content className="kefu-content">
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: 'rgba(0,0,0,0.35)', padding: '12px 24px 20px' }}>
          {t('app.footer')}
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
