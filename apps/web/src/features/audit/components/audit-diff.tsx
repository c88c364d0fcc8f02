import { Col, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

type DiffRow = { key: string; before: unknown; after: unknown; change: 'added' | 'removed' | 'changed' | 'same' | 'untouched' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** For a changed list of plain values: what was added and what was removed. */
function listDelta(before: unknown, after: unknown): { added: string[]; removed: string[] } | null {
  if (!Array.isArray(before) || !Array.isArray(after)) return null;
  const b = before.map((v) => show(v));
  const a = after.map((v) => show(v));
  return { added: a.filter((v) => !b.includes(v)), removed: b.filter((v) => !a.includes(v)) };
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `area_id` and `areaId` name the same field: snapshots and patches may differ in casing. */
function normalizeKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function normalize(record: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(record)) out.set(normalizeKey(k), v);
  return out;
}

/**
 * Top-level fields of before/after and how each changed. When both sides exist, a field present on
 * one side only is "untouched" (the entry holds a full snapshot on one side and a patch on the other);
 * "added"/"removed" are used only for creations and deletions. Exported for tests.
 */
export function diffEntries(before: unknown, after: unknown): DiffRow[] {
  const b = normalize(isRecord(before) ? before : {});
  const a = normalize(isRecord(after) ? after : {});
  const both = isRecord(before) && isRecord(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys.map((key) => {
    const inB = b.has(key);
    const inA = a.has(key);
    let change: DiffRow['change'];
    if (inB && inA) change = JSON.stringify(b.get(key)) === JSON.stringify(a.get(key)) ? 'same' : 'changed';
    else if (both) change = 'untouched';
    else change = inA ? 'added' : 'removed';
    return { key, before: b.get(key), after: a.get(key), change };
  });
}

const CHANGE_COLORS: Record<DiffRow['change'], string> = { added: 'green', removed: 'red', changed: 'orange', same: 'default', untouched: 'default' };
const CHANGE_ORDER: Record<DiffRow['change'], number> = { changed: 0, added: 1, removed: 2, same: 3, untouched: 4 };

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

  const rows = diffEntries(before, after).sort((x, y) => CHANGE_ORDER[x.change] - CHANGE_ORDER[y.change]);
  return (
    <Table<DiffRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      data-testid="audit-diff"
      rowClassName={(r) => (r.change === 'same' || r.change === 'untouched' ? '' : 'kefu-diff-changed')}
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
            <Typography.Text delete={r.change === 'changed' || r.change === 'removed'} type={r.change === 'same' || r.change === 'untouched' ? 'secondary' : undefined} className="kefu-mono" style={{ wordBreak: 'break-all' }}>
              {show(v)}
            </Typography.Text>
          ),
        },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: unknown, r) => {
            const delta = r.change === 'changed' ? listDelta(r.before, r.after) : null;
            return (
              <>
                <Typography.Text
                  strong={r.change === 'changed' || r.change === 'added'}
                  type={r.change === 'same' || r.change === 'untouched' ? 'secondary' : undefined}
                  className="kefu-mono"
                  style={{ wordBreak: 'break-all' }}
                >
                  {show(v)}
                </Typography.Text>
                {delta && (delta.added.length > 0 || delta.removed.length > 0) && (
                  <div style={{ marginTop: 4 }}>
                    {delta.added.map((x) => (
                      <Tag key={`+${x}`} color="green">
                        + {x}
                      </Tag>
                    ))}
                    {delta.removed.map((x) => (
                      <Tag key={`-${x}`} color="red">
                        − {x}
                      </Tag>
                    ))}
                  </div>
                )}
              </>
            );
          },
        },
      ]}
    />
  );
}
