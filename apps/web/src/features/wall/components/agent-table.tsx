import { Segmented, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WallAgent } from '../../../api/contact-types';
import { ChannelIcon } from '../../contacts/components/channel-icon';
import { ContactName } from '../../contacts/components/contact-name';
import { CONTACT_STATUS_COLORS, contactStatusLabel, formatClock, PRESENCE_COLORS, presenceLabel, presenceReasonLabel, secondsSince } from '../../contacts/lib/contact-labels';
import type { ListenTarget } from './listen-drawer';

const STATE_ORDER: Record<string, number> = { online: 0, busy: 1, away: 2, offline: 3 };
/** 'working': everyone signed in (not offline), the default: a center's roster lists far more agents than are on shift. */
type Filter = 'working' | 'all' | 'online' | 'busy' | 'away' | 'offline';

type Props = { agents: readonly WallAgent[]; now: number; onListen: (target: ListenTarget) => void; loading?: boolean };

/** Every agent: presence with a ticking time in state, and the contacts they hold (click one to listen in). */
export function AgentTable({ agents, now, onListen, loading }: Props) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('working');
  const counts = useMemo(() => {
    const c: Record<string, number> = { online: 0, busy: 0, away: 0, offline: 0 };
    for (const a of agents) c[a.state] = (c[a.state] ?? 0) + 1;
    return c;
  }, [agents]);
  const rows = useMemo(
    () =>
      agents
        .filter((a) => filter === 'all' || (filter === 'working' ? a.state !== 'offline' : a.state === filter))
        .sort((a, b) => (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || a.displayName.localeCompare(b.displayName)),
    [agents, filter],
  );

  const columns: TableColumnsType<WallAgent> = [
    {
      title: t('wall.agents.agent'),
      key: 'agent',
      width: 170,
      render: (_, a) => (
        // Skills in a tooltip: the wall's width belongs to the live contacts.
        <Space size={6} title={a.skills.length ? t('contacts.labeled', { label: t('wall.agents.skills'), value: a.skills.join(', ') }) : undefined}>
          <Typography.Text strong>{a.displayName}</Typography.Text>
          {a.workNumber && (
            <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
              {a.workNumber}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('wall.agents.team'), key: 'team', width: 110, ellipsis: true, render: (_, a) => a.teamName ?? '—' },
    {
      title: t('wall.agents.state'),
      key: 'state',
      width: 150,
      render: (_, a) => (
        <Space size={4}>
          <Tag color={PRESENCE_COLORS[a.state] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="wall-agent-state" data-state={a.state}>
            {presenceLabel(t, a.state)}
          </Tag>
          {a.reason && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {presenceReasonLabel(t, a.reason)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('wall.agents.timeInState'),
      key: 'since',
      width: 110,
      render: (_, a) => <span className="kefu-mono">{formatClock(secondsSince(a.since, now))}</span>,
    },
    {
      title: t('wall.agents.contacts'),
      key: 'contacts',
      render: (_, a) =>
        a.contacts.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Space size={[4, 4]} wrap>
            {a.contacts.map((c) => (
              <Tag
                key={c.id}
                color={CONTACT_STATUS_COLORS[c.status] ?? 'default'}
                className="kefu-clickable-tag"
                style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
                onClick={() =>
                  onListen({ contactId: c.id, conversationId: c.conversationId, channel: c.channel, status: c.status, customerName: c.customerName, agentName: a.displayName })
                }
                data-testid="wall-agent-contact"
              >
                <Space size={4}>
                  <ChannelIcon channel={c.channel} />
                  <span>
                    <ContactName contact={{ customerName: c.customerName, fromAddress: null, conversationId: c.conversationId }} />
                  </span>
                  <span>{contactStatusLabel(t, c.status)}</span>
                  <span className="kefu-mono">{formatClock(secondsSince(c.since, now))}</span>
                </Space>
              </Tag>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <>
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        style={{ marginBottom: 12 }}
        options={[
          { value: 'working', label: t('wall.agents.working', { count: agents.length - (counts.offline ?? 0) }) },
          { value: 'all', label: t('wall.agents.all', { count: agents.length }) },
          ...(['online', 'busy', 'away', 'offline'] as const).map((s) => ({ value: s, label: `${presenceLabel(t, s)} ${counts[s] ?? 0}` })),
        ]}
        data-testid="wall-agent-filter"
      />
      <Table<WallAgent> rowKey="id" size="small" loading={loading} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 800 }}
        locale={{ emptyText: t('wall.agents.none') }}
        data-testid="wall-agents" />
    </>
  );
}
