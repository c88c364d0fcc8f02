import type { BuiltinRole } from '@kefu/domain';

export type DemoLogin = {
  username: string;
  role: BuiltinRole;
  displayNameZh: string;
  descriptionZh: string;
  descriptionEn: string;
};

/**
 * The accounts a visitor of the demo center signs in with; all share the demo password.
 * The `admin` account is not listed: it is created by the installation bootstrap with its own password.
 */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    username: 'supervisor',
    role: 'supervisor',
    displayNameZh: '李红梅',
    descriptionZh: '一组班组长：监控队列和坐席，接手升级来电，审批结束辱骂会话',
    descriptionEn: 'Team lead of team 1: watches queues and agents, takes escalations, approves closing abusive sessions',
  },
  {
    username: 'agent',
    role: 'agent',
    displayNameZh: '王晓燕',
    descriptionZh: '一组坐席：接听来电和在线咨询，查询客户档案，受理并派发工单',
    descriptionEn: 'Agent in team 1: answers calls and chats, looks up customers, records and dispatches work orders',
  },
  {
    username: 'amdo',
    role: 'agent',
    displayNameZh: '才让措',
    descriptionZh: '民族语言组坐席，安多藏语服务',
    descriptionEn: 'Language-seat agent for Tibetan (Amdo dialect)',
  },
  {
    username: 'kham',
    role: 'agent',
    displayNameZh: '索南扎西',
    descriptionZh: '民族语言组坐席，康巴藏语服务',
    descriptionEn: 'Language-seat agent for Tibetan (Kham dialect)',
  },
  {
    username: 'dispatcher',
    role: 'dispatcher',
    displayNameZh: '赵永强',
    descriptionZh: '服务调度：把工单派到部门和抢修班组，催办超期工单，闭环回复',
    descriptionEn: 'Dispatcher: routes work orders to departments and crews, chases overdue ones, closes the loop',
  },
  {
    username: 'repair',
    role: 'department_member',
    displayNameZh: '马国庆',
    descriptionZh: '城区抢修班：只看到派给本班组的工单，记录到达现场和处理结果',
    descriptionEn: 'Urban repair crew: sees only orders dispatched to the crew, records arrival and result',
  },
  {
    username: 'qa',
    role: 'qa',
    displayNameZh: '陈静',
    descriptionZh: '质检员：按评分表为服务记录打分',
    descriptionEn: 'QA inspector: scores contacts against weighted scorecards',
  },
  {
    username: 'planner',
    role: 'planner',
    displayNameZh: '孙丽',
    descriptionZh: '排班计划员：预测话务量，计算人力需求，编排班表',
    descriptionEn: 'Workforce planner: forecasts volume, computes staffing, builds rosters',
  },
  {
    username: 'manager',
    role: 'manager',
    displayNameZh: '周建华',
    descriptionZh: '管理层：查看看板、指标分析和导出',
    descriptionEn: 'Manager: dashboards, analysis and exports',
  },
  {
    username: 'accountmgr',
    role: 'account_manager',
    displayNameZh: '韩德明',
    descriptionZh: '台区客户经理：负责西宁城区（城中、城东、城西、城北）及湟中区的客户',
    descriptionEn: 'Account manager for the Xining city districts and Huangzhong: sees the customers of those areas',
  },
  {
    username: 'customer',
    role: 'customer',
    displayNameZh: '张明远',
    descriptionZh: '客户：在客户门户查看和提交自己的诉求',
    descriptionEn: 'Customer: uses the portal to track and raise own requests',
  },
];

export function getDemoLogin(username: string): DemoLogin {
  const login = DEMO_LOGINS.find((l) => l.username === username);
  if (!login) throw new Error(`no demo login "${username}"`);
  return login;
}
