import type { TScript, TScriptLanguage, TScriptSituation } from '@kefu/contracts';
import { Alert, App, Button, Card, Col, Drawer, Flex, Form, Input, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useErrorMessage } from '../../../lib/errors';
import { useCreateScript, useScriptPreview, useUpdateScript } from '../hooks/use-scripts';
import { SCRIPT_LANGUAGES, SITUATIONS, VARIABLE_NAMES, variableLabelKey } from '../lib/script-meta';

type Values = { shortcut: string; title: string; body: string; language: TScriptLanguage; situation: TScriptSituation; tags: string[] };

/** Create or edit a script: fields, a variable palette that inserts at the caret, a live preview. */
export function ScriptEditor({ open, script, onClose }: { open: boolean; script: TScript | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const toMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const create = useCreateScript();
  const update = useUpdateScript();
  const bodyRef = useRef<TextAreaRef>(null);
  const body = Form.useWatch('body', form) ?? '';
  const language = Form.useWatch('language', form) ?? 'zh-CN';
  const preview = useScriptPreview(open ? body : '', language);
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const insertVariable = (name: string) => {
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const current: string = form.getFieldValue('body') ?? '';
    const at = el ? el.selectionStart : current.length;
    const end = el ? el.selectionEnd : current.length;
    const token = `{${name}}`;
    form.setFieldValue('body', current.slice(0, at) + token + current.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
    });
  };

  const submit = (values: Values) => {
    const done = () => {
      message.success(t(script ? 'scripts.messages.saved' : 'scripts.messages.created'));
      onClose();
    };
    if (script) update.mutate({ id: script.id, body: { ...values, updatedAt: script.updatedAt } }, { onSuccess: done });
    else create.mutate(values, { onSuccess: done });
  };

  const errorText = (e: unknown) => {
    if (isApiError(e)) {
      const details = (e.details ?? {}) as { unknown?: string[] };
      if (e.code === 'scripts.unknown_variables') return t('scripts.errors.unknown_variables', { vars: (details.unknown ?? []).map((v) => `{${v}}`).join('、') });
      if (e.code === 'scripts.shortcut_taken' || e.code === 'scripts.version_conflict') return t(`scripts.errors.${e.code.slice('scripts.'.length)}`);
    }
    return toMessage(e);
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={script ? t('scripts.editTitle', { title: script.title }) : t('scripts.createTitle')}
      afterOpenChange={(v) => {
        if (!v) {
          create.reset();
          update.reset();
        }
      }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="script-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
      data-testid="script-editor"
    >
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorText(error)} data-testid="script-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          script
            ? { shortcut: script.shortcut, title: script.title, body: script.body, language: script.language, situation: script.situation, tags: script.tags }
            : { shortcut: '', title: '', body: '', language: 'zh-CN', situation: 'general', tags: [] }
        }
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="title" label={t('scripts.fields.title')} rules={[{ required: true, whitespace: true, max: 60 }]}>
              <Input maxLength={60} data-testid="script-title" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="shortcut"
              label={t('scripts.fields.shortcut')}
              extra={t('scripts.shortcutHint')}
              rules={[{ required: true, pattern: /^[a-z0-9-]{1,30}$/, message: t('scripts.shortcutRule') }]}
            >
              <Input prefix="/" maxLength={30} data-testid="script-shortcut" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="situation" label={t('scripts.fields.situation')} rules={[{ required: true }]}>
              <Select options={SITUATIONS.map((s) => ({ value: s, label: t(`scripts.situation.${s}`) }))} data-testid="script-situation" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="language" label={t('scripts.fields.language')} rules={[{ required: true }]}>
              <Select options={SCRIPT_LANGUAGES.map((l) => ({ value: l, label: t(`scripts.language.${l}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="tags" label={t('scripts.fields.tags')} rules={[{ type: 'array', max: 10 }]}>
              <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('scripts.palette.title')} tooltip={t('scripts.palette.hint')}>
          <Space size={[6, 6]} wrap data-testid="script-palette">
            {VARIABLE_NAMES.map((v) => (
              <Tooltip key={v} title={`{${v}}`}>
                <Tag className="kefu-clickable-tag" color="blue" onClick={() => insertVariable(v)} data-testid="script-variable" data-variable={v}>
                  {t(variableLabelKey(v))}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        </Form.Item>
        <Form.Item name="body" label={t('scripts.fields.body')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
          <Input.TextArea ref={bodyRef} autoSize={{ minRows: 4, maxRows: 10 }} maxLength={2000} showCount data-testid="script-body" />
        </Form.Item>
      </Form>
      <Card size="small" title={t('scripts.preview.title')} extra={<Typography.Text type="secondary">{t('scripts.preview.sample')}</Typography.Text>} data-testid="script-preview">
        {body.trim() ? (
          <>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }} data-testid="script-preview-text">
              {preview.data?.text ?? body}
            </Typography.Paragraph>
            {(preview.data?.unknown.length ?? 0) > 0 && (
              <Alert type="error" showIcon title={t('scripts.preview.unknown', { vars: preview.data?.unknown.map((v) => `{${v}}`).join('、') })} data-testid="script-preview-unknown" />
            )}
            {preview.data && preview.data.unknown.length === 0 && preview.data.missing.length > 0 && (
              <Alert type="warning" showIcon title={t('scripts.preview.missing', { vars: preview.data.missing.map((v) => `{${v}}`).join('、') })} />
            )}
          </>
        ) : (
          <Typography.Text type="secondary">{t('scripts.preview.empty')}</Typography.Text>
        )}
      </Card>
    </Drawer>
  );
}
