import { Breadcrumb, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

export type Crumb = { title: ReactNode; path?: string };

type Props = {
  title: ReactNode;
  subTitle?: ReactNode;
  breadcrumbs?: Crumb[];
  extra?: ReactNode;
  tags?: ReactNode;
  children?: ReactNode;
};

/** Ant Design Pro style page header: breadcrumb, title with tags, actions on the right. */
export function PageHeader({ title, subTitle, breadcrumbs = [], extra, tags, children }: Props) {
  const { t } = useTranslation();
  const items = [{ title: <Link to="/">{t('nav.home')}</Link> }, ...breadcrumbs.map((c) => ({ title: c.path ? <Link to={c.path}>{c.title}</Link> : c.title }))];
  return (
    <div className="kefu-page-header">
      <Breadcrumb items={items} />
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Flex align="center" gap={12} wrap style={{ minWidth: 0 }}>
          <Typography.Title level={4} data-testid="page-title">
            {title}
          </Typography.Title>
          {tags && <span style={{ marginTop: 8 }}>{tags}</span>}
          {subTitle && (
            <Typography.Text type="secondary" style={{ marginTop: 8 }}>
              {subTitle}
            </Typography.Text>
          )}
        </Flex>
        {extra && (
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            {extra}
          </Flex>
        )}
      </Flex>
      {children && <div style={{ marginTop: 12 }}>{children}</div>}
    </div>
  );
}
