import { ApiOutlined, MessageOutlined, RobotOutlined, SearchOutlined } from '@ant-design/icons';
import { ApartmentOutlined, AuditOutlined, BookOutlined, ExperimentOutlined, CalendarOutlined, ClockCircleOutlined, CustomerServiceOutlined, DashboardOutlined, FileTextOutlined, FundProjectionScreenOutlined, SendOutlined, SafetyCertificateOutlined, SettingOutlined, TeamOutlined, ThunderboltOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';

export type NavItem = {
  key: string;
  path?: string;
  labelKey: string;
  icon?: ReactNode;
  /** Shown only to users holding this permission; omit for "everyone". */
  permission?: string;
  /** And, when given, holding at least one of these. */
  anyOf?: string[];
  children?: NavItem[];
};

// The sider menu. Later modules slot in here (知识库 knowledge base, 报表 reports) once their pages
// exist; nothing is listed before it works.
export const NAV_ITEMS: NavItem[] = [
  // First: an agent's day is spent on the desk (坐席工作台); team leads watch the wall (实时监控).
  { key: 'desk', path: '/desk', labelKey: 'nav.desk', icon: <CustomerServiceOutlined />, permission: 'contact:handle' },
  { key: 'wall', path: '/wall', labelKey: 'nav.wall', icon: <FundProjectionScreenOutlined />, permission: 'contact:supervise' },
  { key: 'customers', path: '/customers', labelKey: 'nav.customers', icon: <TeamOutlined />, permission: 'customer:read' },
  { key: 'tickets', path: '/tickets', labelKey: 'nav.tickets', icon: <FileTextOutlined />, permission: 'ticket:read' },
  { key: 'dispatch', path: '/dispatch', labelKey: 'nav.dispatch', icon: <SendOutlined />, permission: 'ticket:dispatch' },
  // The supervisor board: for supervisors, managers and dispatchers (dashboard:read or ticket:dispatch).
  { key: 'board', path: '/board', labelKey: 'nav.board', icon: <DashboardOutlined />, permission: 'ticket:read', anyOf: ['dashboard:read', 'ticket:dispatch'] },
  { key: 'incidents', path: '/incidents', labelKey: 'nav.incidents', icon: <ThunderboltOutlined />, permission: 'ticket:read' },
  // 知识库: articles, review queue and usage; kb:read (agents read, supervisors write and publish).
  { key: 'kb', path: '/kb', labelKey: 'kb.title', icon: <BookOutlined />, permission: 'kb:read' },
  // 知识搜索: one box over articles, scripts and past orders (kb:read); synonyms tab for kb:publish.
  { key: 'search', path: '/search', labelKey: 'search.title', icon: <SearchOutlined />, permission: 'kb:read' },
  // 标准话术: agents browse the library (kb:read); editors with kb:write edit it on the same page.
  { key: 'scripts', path: '/scripts', labelKey: 'scripts.title', icon: <MessageOutlined />, permission: 'kb:read' },
  // 智能机器人: unanswered questions, stats and bot conversations (bot:manage or kb:write).
  { key: 'bot', path: '/bot', labelKey: 'bot.title', icon: <RobotOutlined />, permission: 'kb:read', anyOf: ['bot:manage', 'kb:write'] },
  {
    key: 'admin',
    labelKey: 'nav.admin',
    icon: <SettingOutlined />,
    children: [
      { key: 'users', path: '/admin/users', labelKey: 'nav.users', icon: <UserOutlined />, permission: 'user:read' },
      { key: 'queues', path: '/admin/queues', labelKey: 'nav.queues', icon: <ApartmentOutlined />, permission: 'routing:manage' },
      { key: 'channels', path: '/admin/channels', labelKey: 'channels.title', icon: <ApiOutlined />, permission: 'contact:handle' },
      { key: 'roles', path: '/admin/roles', labelKey: 'nav.roles', icon: <SafetyCertificateOutlined />, permission: 'role:manage' },
      { key: 'audit', path: '/admin/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit:read' },
      { key: 'classifier', path: '/admin/classifier', labelKey: 'classify.title', icon: <ExperimentOutlined />, permission: 'bot:manage' },
      // SLA policies and business calendars: edited with sla:manage, read-only for supervisors and managers.
      { key: 'sla-policies', path: '/admin/sla-policies', labelKey: 'nav.slaPolicies', icon: <ClockCircleOutlined />, permission: 'ticket:read', anyOf: ['sla:manage', 'dashboard:read'] },
      { key: 'calendars', path: '/admin/calendars', labelKey: 'nav.calendars', icon: <CalendarOutlined />, permission: 'ticket:read', anyOf: ['sla:manage', 'dashboard:read'] },
    ],
  },
  { key: 'me', path: '/me', labelKey: 'nav.myAccount', icon: <UserOutlined /> },
];

/** The items a user may see; a group with no visible child disappears. */
export function visibleNavItems(items: NavItem[], can: (p: string) => boolean): NavItem[] {
  const out: NavItem[] = [];
  for (const item of items) {
    if (item.permission && !can(item.permission)) continue;
    if (item.anyOf && !item.anyOf.some(can)) continue;
    if (item.children) {
      const children = visibleNavItems(item.children, can);
      if (children.length === 0) continue;
      out.push({ ...item, children });
    } else {
      out.push(item);
    }
  }
  return out;
}

/** The nav item whose path is the longest prefix of the location. */
export function findActiveItem(items: NavItem[], pathname: string): { item: NavItem; parent?: NavItem } | undefined {
  let best: { item: NavItem; parent?: NavItem } | undefined;
  const visit = (list: NavItem[], parent?: NavItem) => {
    for (const item of list) {
      if (item.path && (pathname === item.path || pathname.startsWith(`${item.path}/`))) {
        if (!best || (best.item.path?.length ?? 0) < item.path.length) best = { item, parent };
      }
      if (item.children) visit(item.children, item);
    }
  };
  visit(items);
  return best;
}
