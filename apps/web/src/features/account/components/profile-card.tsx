import { Avatar, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDepartments, useTeams } from '../../../api/reference';
import type { Me } from '../../../api/types';
import { languageLabel, scopeLabel } from '../../../lib/labels';

export function ProfileCard({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const canSeeOrg = me.permissions.includes('user:read');
  const teams = useTeams(canSeeOrg && me.teamId !== null);
  const departments = useDepartments(canSeeOrg && me.departmentId !== null);
  const team = me.teamId ? (teams.data?.find((x) => x.id === me.teamId)?.name ?? '—') : '—';
  const department = me.departmentId ? (departments.data?.find((x) => x.id === me.departmentId)?.name ?? '—') : '—';
  const roleName = i18n.language === 'en-US' ? me.roleName.en : me.roleName.zh;

  return (
    <Card variant="borderless" data-testid="profile-card">
      <Flex gap={16} align="center" style={{ marginBottom: 20 }}>
        <Avatar size={56} style={{ background: '#1677ff', fontSize: 24 }}>
          {me.displayName.slice(0, 1).toUpperCase()}
        </Avatar>
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {me.displayName}
          </Typography.Title>
          <Typography.Text type="secondary" className="kefu-mono">
            {me.username}
          </Typography.Text>
        </div>
      </Flex>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'role', label: t('account.fields.role'), children: <Tag color="blue">{roleName}</Tag> },
          { key: 'scope', label: t('account.fields.scope'), children: scopeLabel(t, me.scope) },
          { key: 'work', label: t('account.fields.workNumber'), children: <span className="kefu-mono">{me.workNumber ?? '—'}</span> },
          { key: 'team', label: t('account.fields.team'), children: team },
          { key: 'department', label: t('account.fields.department'), children: department },
          {
            key: 'languages',
            label: t('account.fields.languages'),
            children: me.languages.length ? me.languages.map((l) => <Tag key={l}>{languageLabel(t, l)}</Tag>) : '—',
          },
          { key: 'skills', label: t('account.fields.skills'), children: me.skills.length ? me.skills.map((s) => <Tag key={s}>{s}</Tag>) : '—' },
          { key: 'brands', label: t('account.fields.brands'), children: me.brands.length ? me.brands.map((b) => <Tag key={b.id}>{b.name}</Tag>) : '—' },
        ]}
      />
    </Card>
  );
}
