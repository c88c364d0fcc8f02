import type { BuiltinRole } from '@kefu/domain';
import { DEMO_LOGINS } from './demo-logins.ts';
import { type Gender, personName } from './names.ts';
import type { Rng } from './rng.ts';
import { daysBefore, type OrgRefs, type SeedContext } from './seed-context.ts';

export const DEMO_DEPARTMENTS = [
  { code: 'repair-urban', name: '城区抢修班', kind: 'repair', members: ['repair', 'repair2', 'repair3'] },
  { code: 'repair-rural', name: '农牧区抢修班', kind: 'repair', members: ['ruralrepair1', 'ruralrepair2', 'ruralrepair3'] },
  { code: 'business-hall', name: '营业厅', kind: 'business_hall', members: ['hall1', 'hall2', 'hall3'] },
  { code: 'metering', name: '计量中心', kind: 'metering', members: ['metering1', 'metering2', 'metering3'] },
  { code: 'complaint', name: '客户服务中心投诉处理组', kind: 'complaint', members: ['complaint1', 'complaint2', 'complaint3'] },
] as const;

export const DEMO_TEAMS = [
  { code: 'team-1', name: '一组', lead: 'supervisor' },
  { code: 'team-2', name: '二组', lead: 'supervisor2' },
  { code: 'team-3', name: '三组', lead: 'supervisor3' },
  { code: 'team-ethnic', name: '民族语言组', lead: 'supervisor4' },
] as const;

export type StaffPlan = {
  id: string;
  username: string;
  displayName: string;
  role: BuiltinRole;
  teamCode: string | null;
  departmentCode: string | null;
  workNumber: string | null;
  skills: string[];
  languages: string[];
  hiredDaysAgo: number;
};

type Draft = Omit<StaffPlan, 'id' | 'displayName' | 'workNumber' | 'hiredDaysAgo'> & { tibetan?: boolean };

const ZH = ['zh-CN'];
const ALL_SKILLS = ['electricity', 'billing', 'complaint'];

function draft(username: string, role: BuiltinRole, extra: Partial<Draft> = {}): Draft {
  return { username, role, teamCode: null, departmentCode: null, skills: [], languages: ZH, ...extra };
}

function agentSkills(rng: Rng): string[] {
  return ['electricity', ...(rng.chance(0.85) ? ['billing'] : []), ...(rng.chance(0.35) ? ['complaint'] : [])];
}

function agentName(n: number): string {
  return n === 1 ? 'agent' : `agent${String(n).padStart(2, '0')}`;
}

function draftStaff(rng: Rng): Draft[] {
  const drafts: Draft[] = [];
  // Agents first so the 95598 work numbers start with them (agent = 9559801).
  for (let n = 1; n <= 30; n++) {
    const teamCode = DEMO_TEAMS[Math.floor((n - 1) / 10)].code;
    const english = n === 5;
    drafts.push(
      draft(agentName(n), 'agent', {
        teamCode,
        skills: n === 1 ? ALL_SKILLS : [...agentSkills(rng), ...(english ? ['english'] : [])],
        languages: english ? ['zh-CN', 'en-US'] : ZH,
      }),
    );
  }
  const ethnic = { teamCode: 'team-ethnic', tibetan: true };
  drafts.push(draft('amdo', 'agent', { ...ethnic, skills: ['electricity', 'billing', 'tibetan-amdo'], languages: ['zh-CN', 'bo-amdo'] }));
  drafts.push(draft('kham', 'agent', { ...ethnic, skills: ['electricity', 'billing', 'tibetan-kham'], languages: ['zh-CN', 'bo-kham'] }));
  drafts.push(draft('amdo2', 'agent', { ...ethnic, skills: ['electricity', 'tibetan-amdo'], languages: ['zh-CN', 'bo-amdo'] }));
  for (const team of DEMO_TEAMS) {
    drafts.push(draft(team.lead, 'supervisor', { teamCode: team.code, skills: ALL_SKILLS, tibetan: team.code === 'team-ethnic' }));
  }
  for (const u of ['dispatcher', 'dispatcher2', 'dispatcher3']) drafts.push(draft(u, 'dispatcher', { skills: ['electricity', 'billing'] }));
  for (const u of ['qa', 'qa2']) drafts.push(draft(u, 'qa'));
  drafts.push(draft('planner', 'planner'));
  for (const dept of DEMO_DEPARTMENTS) {
    for (const u of dept.members) drafts.push(draft(u, 'department_member', { departmentCode: dept.code }));
  }
  for (const u of ['accountmgr', 'accountmgr2', 'accountmgr3', 'accountmgr4']) drafts.push(draft(u, 'account_manager'));
  for (const u of ['manager', 'manager2']) drafts.push(draft(u, 'manager'));
  return drafts;
}

const CENTER_ROLES: ReadonlySet<BuiltinRole> = new Set(['agent', 'supervisor', 'dispatcher', 'qa', 'planner']);

/** The demo center's staff (about 60), pure over the rng: ids, names and work numbers included. */
export function planStaff(rng: Rng): StaffPlan[] {
  const fixedNames = new Map(DEMO_LOGINS.map((l) => [l.username, l.displayNameZh]));
  const usedNames = new Set(fixedNames.values());
  let workNumber = 9_559_801;
  return draftStaff(rng).map(({ tibetan, ...d }) => {
    let displayName = fixedNames.get(d.username);
    while (!displayName || (!fixedNames.has(d.username) && usedNames.has(displayName))) {
      const gender: Gender = rng.chance(0.6) ? 'female' : 'male';
      displayName = personName(rng, { gender, style: tibetan ? 'tibetan' : 'han' });
    }
    usedNames.add(displayName);
    return {
      ...d,
      id: rng.uuid(),
      displayName,
      workNumber: CENTER_ROLES.has(d.role) ? String(workNumber++) : null,
      hiredDaysAgo: rng.int(60, 2400),
    };
  });
}

/** Departments, agent teams and staff users, every one linked to the brand. */
export async function seedOrg(ctx: SeedContext): Promise<OrgRefs> {
  const rng = ctx.rng.fork('org');
  const since = daysBefore(ctx.now, 3 * 365);
  const departments = Object.fromEntries(DEMO_DEPARTMENTS.map((d) => [d.code, rng.uuid()]));
  const teams = Object.fromEntries(DEMO_TEAMS.map((t) => [t.code, rng.uuid()]));
  const staff = planStaff(rng.fork('staff'));

  await ctx.db
    .insertInto('departments')
    .values(DEMO_DEPARTMENTS.map((d) => ({ id: departments[d.code], code: d.code, name: d.name, kind: d.kind, created_at: since })))
    .execute();
  await ctx.db
    .insertInto('teams')
    .values(DEMO_TEAMS.map((t) => ({ id: teams[t.code], code: t.code, name: t.name, created_at: since })))
    .execute();
  await ctx.db
    .insertInto('users')
    .values(
      staff.map((s) => ({
        id: s.id,
        username: s.username,
        display_name: s.displayName,
        password_hash: ctx.demoPasswordHash,
        role: s.role,
        work_number: s.workNumber,
        team_id: s.teamCode ? teams[s.teamCode] : null,
        department_id: s.departmentCode ? departments[s.departmentCode] : null,
        skills: s.skills,
        languages: s.languages,
        password_changed_at: ctx.now,
        created_at: daysBefore(ctx.now, s.hiredDaysAgo),
        updated_at: ctx.now,
      })),
    )
    .execute();
  await ctx.db
    .insertInto('user_brands')
    .values(staff.map((s) => ({ user_id: s.id, brand_id: ctx.brandId })))
    .execute();

  return {
    departments,
    teams,
    users: Object.fromEntries(staff.map((s) => [s.username, s.id])),
    accountManagerIds: staff.filter((s) => s.role === 'account_manager').map((s) => s.id),
  };
}
