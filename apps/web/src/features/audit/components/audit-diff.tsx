import { Col, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

type DiffRow = { key: string; before: unknown; after: unknown; change: 'added' | 'removed' | 'changed' | 'same' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Top-level keys of before/after, marking what changed. Exported for tests. */
export function diffEntries(before: unknown, after: unknown): DiffRow[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => {
    const inB = key in b;
    const inA = key in a;
    const change: DiffRow['change'] = !inB ? 'added' : !inA ? 'removed' : JSON.stringify(b[key]) === JSON.stringify(a[key]) ? 'same' : 'changed';
    return { key, before: b[key], after: a[key], change };
  });
}

const CHANGE_COLORS: Record<DiffRow['change'], string> = { added: 'green', removed: 'red', changed: 'orange', same: 'default' };

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const structured = (before === null || isRecord(before)) && (after === null || isRecord(after)) && (before !== null || after !== null);

  if (!structured) {
    return (
      <Row gutter={16}>
        <Col span={12}>
          <Typography.Text type="secondary">{t('audit.before')}</Typography.Text>
          <pre className="kefu-json">{before === null || before === undefined ? '—' : JSON.stringify(before, null, 2)}</pre>
        </Col>
        <Col span={12}>
          <Typography.Text type="secondary">{t('audit.after')}</Typography.Text>
          <pre className="kefu-json">{after === null || after === undefined ? '—' : JSON.stringify(after, null, 2)}</pre>
        </Col>
      </Row>
    );
  }

  const rows = diffEntries(before, after).sort((x, y) => Number(x.change === 'same') - Number(y.change === 'same'));
  return (
    <Table<DiffRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      data-testid="audit-diff"
      rowClassName={(r) => (r.change === 'same' ? '' : 'kefu-diff-changed')}
      columns={[
        { title: t('audit.field'), dataIndex: 'key', width: 180, render: (k: string) => <code>{k}</code> },
        {
          title: t('audit.change'),
          dataIndex: 'change',
          width: 90,
          render: (c: DiffRow['change']) => <Tag color={CHANGE_COLORS[c]}>{t(`audit.changeKinds.${c}`)}</Tag>,
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: unknown, r) => (
            <Typography.Text delete={r.change === 'changed' || r.change === 'removed'} type={r.change === 'same' ? 'secondary' : undefined} className="kefu-mono" style={{ wordBreak: 'break-all' }}>
              {show(v)}
            </Typography.Text>
          ),
        },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: unknown, r) => (
            <Typography.Text strong={r.change !== 'same'} type={r.change === 'same' ? 'secondary' : undefined} className="kefu-mono" style={{ wordBreak: 'break-all' }}>
              {show(v)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
