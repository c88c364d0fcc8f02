import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, Divider, Empty, Flex, Form, Input, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusinessCalendar, CalendarDefinition, WeekdayKey } from '../../../api/types';
import { WEEKDAYS } from '../../../api/types';
import { useErrorMessage } from '../../../lib/errors';
import { useCan } from '../../auth/hooks/use-me';
import { PageHeader } from '../../shell/components/page-header';
import { DateListEditor, weekdayOf } from '../components/date-list-editor';
import { WEEK_ORDER, WeeklyHoursEditor } from '../components/weekly-hours-editor';
import { useCalendars, useSlaPolicies, useUpdateCalendar } from '../hooks/use-sla-settings';
import { describeCalendar, isValidRange } from '../lib/sla-format';
import { saveErrorTitle, validationIssues } from '../lib/validation';

const MAX_HOLIDAYS = 400;
const MAX_WORKDAYS = 100;

type Draft = { name: string; definition: CalendarDefinition };

/** The definition as the editor holds it: every weekday present, lists sorted and unique. */
function normalise(def: CalendarDefinition): CalendarDefinition {
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, (def.weekly?.[d] ?? []).map((r) => ({ start: r.start, end: r.end }))])) as CalendarDefinition['weekly'];
  return {
    timeZone: def.timeZone,
    alwaysOpen: def.alwaysOpen,
    weekly,
    holidays: [...new Set(def.holidays ?? [])].sort(),
    workdays: [...new Set(def.workdays ?? [])].sort(),
    ...(def.workdayTemplate !== undefined ? { workdayTemplate: def.workdayTemplate } : {}),
  };
}

function toDraft(c: BusinessCalendar): Draft {
  return { name: c.name, definition: normalise(c.definition) };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

const TIME_ZONES: string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'UTC'];
  } catch {
    return ['Asia/Shanghai', 'UTC'];
  }
})();

/** 系统管理 → 工作日历: weekly hours, 24×7, public holidays and swapped working days of each calendar. */
export function CalendarsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const canManage = can('sla:manage');
  const toMessage = useErrorMessage();
  const calendars = useCalendars();
  const policies = useSlaPolicies();
  const update = useUpdateCalendar();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  const selected = useMemo(() => calendars.data?.find((c) => c.id === selectedId) ?? calendars.data?.[0], [calendars.data, selectedId]);
  useEffect(() => {
    if (selected) setDraft(toDraft(selected));
  }, [selected]);

  const usage = useMemo(() => {
    const map = new Map<string, number>();
    for (const p of policies.data ?? []) map.set(p.calendarId, (map.get(p.calendarId) ?? 0) + 1);
    return map;
  }, [policies.data]);

  const dirty = Boolean(selected && draft && JSON.stringify(toDraft(selected)) !== JSON.stringify(draft));
  const def = draft?.definition;
  const readOnly = !canManage;

  // What the server's validateCalendar would refuse, checked before sending.
  const problems = useMemo(() => {
    if (!draft || !def) return [];
    const out: string[] = [];
    if (!draft.name.trim()) out.push(t('calendars.problem.name'));
    if (!isTimeZone(def.timeZone)) out.push(t('calendars.problem.timeZone', { zone: def.timeZone }));
    for (const d of WEEK_ORDER) {
      for (const r of def.weekly[d]) if (!isValidRange(r)) out.push(t('calendars.problem.badHours', { day: t(`calendars.weekday.${d}`), start: r.start, end: r.end }));
    }
    if (!def.alwaysOpen && WEEKDAYS.every((d) => def.weekly[d].length === 0)) out.push(t('calendars.problem.noHours'));
    if (def.holidays.length > MAX_HOLIDAYS) out.push(t('calendars.problem.tooMany', { max: MAX_HOLIDAYS }));
    if (def.workdays.length > MAX_WORKDAYS) out.push(t('calendars.problem.tooMany', { max: MAX_WORKDAYS }));
    return out;
  }, [draft, def, t]);

  const serverIssues = useMemo(() => validationIssues(t, update.error), [t, update.error]);

  const setDefinition = (patch: Partial<CalendarDefinition>) => draft && setDraft({ ...draft, definition: { ...draft.definition, ...patch } });

  const save = () => {
    if (!selected || !draft || problems.length > 0) return;
    const original = toDraft(selected);
    const body: { name?: string; definition?: CalendarDefinition } = {};
    if (draft.name.trim() !== original.name) body.name = draft.name.trim();
    if (JSON.stringify(draft.definition) !== JSON.stringify(original.definition)) body.definition = draft.definition;
    update.mutate({ id: selected.id, body }, { onSuccess: (c) => void message.success(t('calendars.saved', { name: c.name })) });
  };

  const select = (id: string) => {
    if (id === selected?.id) return;
    if (dirty && !window.confirm(t('calendars.discardChanges'))) return;
    setSelectedId(id);
    update.reset();
  };

  const holidaySet = useMemo(() => new Set(def?.holidays ?? []), [def?.holidays]);

  return (
    <>
      <PageHeader title={t('nav.calendars')} subTitle={t('calendars.subtitle')} breadcrumbs={[{ title: t('nav.admin') }, { title: t('nav.calendars') }]} />
      {calendars.isError && <Alert type="error" showIcon title={toMessage(calendars.error)} style={{ marginBottom: 16 }} />}
      {readOnly && <Alert type="info" showIcon title={t('calendars.readOnly')} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xxl={6}>
          <Card variant="borderless" title={t('calendars.listTitle')} styles={{ body: { padding: 0 } }}>
            <Table<BusinessCalendar>
              rowKey="id"
              size="middle"
              loading={calendars.isLoading}
              dataSource={calendars.data ?? []}
              pagination={false}
              data-testid="calendars-table"
              rowClassName={(r) => (r.id === selected?.id ? 'ant-table-row-selected kefu-row-clickable' : 'kefu-row-clickable')}
              onRow={(r) => ({ onClick: () => select(r.id), 'data-testid': 'calendar-row', 'data-code': r.code }) as HTMLAttributes<HTMLTableRowElement>}
              columns={[
                {
                  title: t('calendars.fields.name'),
                  dataIndex: 'name',
                  render: (name: string, r) => (
                    <Flex vertical gap={2}>
                      <Typography.Text strong>{name}</Typography.Text>
                      <Space size={4} wrap>
                        <Typography.Text type="secondary" className="kefu-mono" style={{ fontSize: 12 }}>
                          {r.code}
                        </Typography.Text>
                        {r.definition.alwaysOpen ? <Tag color="green">{t('calendars.alwaysOpenShort')}</Tag> : <Tag color="blue">{t('calendars.workingHoursTag')}</Tag>}
                      </Space>
                    </Flex>
                  ),
                },
                {
                  title: t('calendars.fields.usedBy'),
                  key: 'usage',
                  width: 86,
                  align: 'right',
                  render: (_: unknown, r) => <Badge count={usage.get(r.id) ?? 0} showZero color={usage.get(r.id) ? '#1677ff' : '#d9d9d9'} />,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16} xxl={18}>
          <Card
            variant="borderless"
            loading={calendars.isLoading}
            data-testid="calendar-editor"
            title={
              selected ? (
                <Space>
                  {selected.name}
                  {dirty && <Tag color="orange">{t('calendars.unsaved')}</Tag>}
                </Space>
              ) : (
                t('calendars.editorTitle')
              )
            }
            extra={
              selected &&
              !readOnly && (
                <Space>
                  <Button icon={<UndoOutlined />} disabled={!dirty} onClick={() => {
                      setDraft(toDraft(selected));
                      update.reset();
                    }}>
                    {t('common.reset')}
                  </Button>
                  <Button type="primary" icon={<SaveOutlined />} disabled={!dirty || problems.length > 0} loading={update.isPending} onClick={save} data-testid="calendar-save">
                    {t('common.save')}
                  </Button>
                </Space>
              )
            }
          >
            {!selected || !draft || !def ? (
              <Empty />
            ) : (
              <>
                {update.isError && (
                  <Alert
                    type="error"
                    showIcon
                    title={saveErrorTitle(t, toMessage, update.error)}
                    description={
                      serverIssues.length > 0 && (
                        <ul className="kefu-issue-list" data-testid="calendar-errors">
                          {serverIssues.map((i) => (
                            <li key={i.text}>{i.text}</li>
                          ))}
                        </ul>
                      )
                    }
                    style={{ marginBottom: 16 }}
                  />
                )}
                {dirty && problems.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('calendars.fixBeforeSaving')}
                    description={
                      <ul className="kefu-issue-list" data-testid="calendar-problems">
                        {problems.map((p) => (
                          <li key={p}>{p}</li>
                        ))}
                      </ul>
                    }
                    style={{ marginBottom: 16 }}
                  />
                )}
                {!readOnly && (usage.get(selected.id) ?? 0) > 0 && (
                  <Alert type="info" showIcon title={t('calendars.appliesToNew', { count: usage.get(selected.id) ?? 0 })} style={{ marginBottom: 16 }} />
                )}
                <Form layout="vertical" disabled={readOnly}>
                  <Row gutter={16}>
                    <Col xs={24} md={12}>
                      <Form.Item label={t('calendars.fields.name')} required>
                        <Input value={draft.name} maxLength={80} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="calendar-name" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={7}>
                      <Form.Item label={t('calendars.fields.timeZone')} tooltip={t('calendars.timeZoneHint')}>
                        <Select
                          showSearch
                          value={def.timeZone}
                          onChange={(timeZone: string) => setDefinition({ timeZone })}
                          options={TIME_ZONES.map((z) => ({ value: z, label: z }))}
                          data-testid="calendar-time-zone"
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={5}>
                      <Form.Item label={t('calendars.fields.alwaysOpen')} tooltip={t('calendars.alwaysOpenHint')}>
                        <Switch checked={def.alwaysOpen} onChange={(alwaysOpen) => setDefinition({ alwaysOpen })} data-testid="calendar-always-open" />
                      </Form.Item>
                    </Col>
                  </Row>
                </Form>
                <Typography.Paragraph type="secondary" style={{ marginTop: -8 }} data-testid="calendar-summary">
                  {describeCalendar(t, { ...selected, definition: def })}
                </Typography.Paragraph>
                {def.alwaysOpen && <Alert type="success" showIcon title={t('calendars.alwaysOpenActive')} style={{ marginBottom: 16 }} />}
                <div className={def.alwaysOpen ? 'kefu-dimmed' : undefined}>
                  <Divider titlePlacement="start">{t('calendars.sections.weekly')}</Divider>
                  <WeeklyHoursEditor value={def.weekly} onChange={(weekly) => setDefinition({ weekly })} disabled={readOnly} />
                  <Divider titlePlacement="start">{t('calendars.sections.holidays')}</Divider>
                  <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
                    {t('calendars.holidaysHint')}
                  </Typography.Paragraph>
                  <DateListEditor kind="holidays" value={def.holidays} onChange={(holidays) => setDefinition({ holidays })} max={MAX_HOLIDAYS} disabled={readOnly} />
                  <Divider titlePlacement="start">{t('calendars.sections.workdays')}</Divider>
                  <Flex gap={8} align="center" wrap style={{ marginTop: -8, marginBottom: 12 }}>
                    <Typography.Text type="secondary">{t('calendars.workdaysHint')}</Typography.Text>
                    <Select
                      size="small"
                      disabled={readOnly}
                      value={String(def.workdayTemplate ?? 1) as WeekdayKey}
                      onChange={(d: WeekdayKey) => setDefinition({ workdayTemplate: Number(d) })}
                      options={WEEK_ORDER.map((d) => ({ value: d, label: t(`calendars.weekday.${d}`) }))}
                      style={{ width: 90 }}
                      data-testid="calendar-workday-template"
                    />
                    <Typography.Text type="secondary">{t('calendars.workdaysHintAfter')}</Typography.Text>
                  </Flex>
                  <DateListEditor
                    kind="workdays"
                    value={def.workdays}
                    onChange={(workdays) => setDefinition({ workdays })}
                    max={MAX_WORKDAYS}
                    disabled={readOnly}
                    decorate={(d) => {
                      if (holidaySet.has(d)) return { color: 'red', hint: t('calendars.workdayIsHoliday') };
                      const w = weekdayOf(d);
                      if (w !== 0 && w !== 6) return { color: 'orange', hint: t('calendars.workdayNotWeekend') };
                      return undefined;
                    }}
                  />
                </div>
              </>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
