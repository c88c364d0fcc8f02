import { DeleteOutlined, DownOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Dropdown, Flex, Form, Input, type MenuProps, Modal, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAreas, useDepartments } from '../../../api/reference';
import { useMe } from '../../auth/hooks/use-me';
import { useTicketCategories } from '../hooks/use-tickets';
import { type SavedView, sameViewParams, useSavedViews } from '../hooks/use-saved-views';
import { categoryPathValue, localName } from '../lib/ticket-labels';

/** Human-readable conditions of a filter set (quick view, search, category, SLA, area, department). */
export function useDescribeView(defaultTab: string): (params: SavedView['params']) => string[] {
  const { t, i18n } = useTranslation();
  const categories = useTicketCategories();
  const areas = useAreas();
  const departments = useDepartments();
  return (p) => {
    const out = [t(`tickets.tabs.${p.tab ?? defaultTab}`, { defaultValue: p.tab ?? defaultTab })];
    if (p.q) out.push(`“${p.q}”`);
    if (p.category) {
      const tree = categories.data ?? [];
      const path = categoryPathValue(tree, p.category);
      const top = tree.find((c) => c.code === path[0]);
      const sub = top?.children.find((c) => c.code === path[1]);
      out.push([top, sub].filter((x) => x !== undefined).map((x) => localName(i18n.language, x)).join(' / ') || p.category);
    }
    if (p.sla) out.push(t(`tickets.slaState.${p.sla}`, { defaultValue: p.sla }));
    if (p.area) out.push(areas.data?.find((a) => a.id === p.area)?.name ?? t('tickets.fields.area'));
    if (p.department) out.push(departments.data?.find((d) => d.id === p.department)?.name ?? t('tickets.fields.department'));
    return out;
  };
}

/**
 * 我的视图: the user's named filter sets for the order list (stored per user in this browser).
 * Choosing one applies it; the current filters can be saved under a name; views can be deleted.
 */
export function SavedViewsMenu({ current, defaultTab, onApply }: { current: SavedView['params']; defaultTab: string; onApply: (params: SavedView['params']) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const { views, save, remove } = useSavedViews(me.id);
  const describe = useDescribeView(defaultTab);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const typedName = (Form.useWatch('name', form) as string | undefined)?.trim();
  const active = useMemo(() => views.find((v) => sameViewParams(v.params, current)), [views, current]);

  const items: MenuProps['items'] = [
    ...(views.length === 0
      ? [{ key: 'none', disabled: true, label: <Typography.Text type="secondary">{t('tickets.views.none')}</Typography.Text> }]
      : views.map((v) => ({
          key: v.id,
          label: (
            <Flex justify="space-between" align="center" gap={16} style={{ minWidth: 240, maxWidth: 420 }} data-testid="ticket-view-item" data-view-name={v.name}>
              <Flex vertical style={{ minWidth: 0 }}>
                <Typography.Text strong={v.id === active?.id} ellipsis>
                  {v.name}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {describe(v.params).join(' · ')}
                </Typography.Text>
              </Flex>
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('tickets.views.delete', { name: v.name })}
                data-testid="ticket-view-delete"
                onClick={(e) => {
                  e.stopPropagation();
                  remove(v.id);
                  message.success(t('tickets.views.deleted', { name: v.name }));
                }}
              />
            </Flex>
          ),
        }))),
    { type: 'divider' as const },
    { key: '__save', icon: <SaveOutlined />, label: <span data-testid="ticket-view-save">{t('tickets.views.saveCurrent')}</span> },
  ];

  const submit = ({ name }: { name: string }) => {
    const { replaced } = save(name, current);
    message.success(t(replaced ? 'tickets.views.replaced' : 'tickets.views.saved', { name: name.trim() }));
    setSaving(false);
  };

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items,
          selectable: true,
          selectedKeys: active ? [active.id] : [],
          onClick: ({ key }) => {
            if (key === '__save') {
              setSaving(true);
              return;
            }
            const view = views.find((v) => v.id === key);
            if (view) onApply(view.params);
          },
        }}
      >
        <Button icon={<StarOutlined />} data-testid="ticket-views">
          <Space size={4}>
            {active ? t('tickets.views.activeLabel', { name: active.name }) : t('tickets.views.title')}
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Button>
      </Dropdown>
      <Modal
        open={saving}
        title={t('tickets.views.saveTitle')}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        okButtonProps={{ 'data-testid': 'ticket-view-save-submit' } as ButtonProps}
        destroyOnHidden
        width={460}
      >
        <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ name: active?.name ?? '' }}>
          <Form.Item
            name="name"
            label={t('tickets.views.name')}
            extra={typedName && views.some((v) => v.name === typedName) ? t('tickets.views.willReplace') : undefined}
            rules={[{ required: true, whitespace: true, message: t('tickets.views.nameRequired') }]}
          >
            <Input maxLength={30} showCount autoFocus placeholder={t('tickets.views.namePlaceholder')} data-testid="ticket-view-name" />
          </Form.Item>
          <Typography.Text type="secondary">{t('tickets.views.conditions')}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            {describe(current).map((c) => (
              <Tag key={c} style={{ marginBottom: 4 }}>
                {c}
              </Tag>
            ))}
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('tickets.views.localHint')}
          </Typography.Paragraph>
        </Form>
      </Modal>
    </>
  );
}
