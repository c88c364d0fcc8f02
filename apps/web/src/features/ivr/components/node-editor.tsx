import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Divider, Empty, Flex, Form, Input, InputNumber, Popconfirm, Select, Space, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IVR_AUDIO,
  IVR_BACK,
  IVR_DIGITS,
  IVR_NODE_KINDS,
  IVR_REPEAT,
  IVR_SELF_SERVICE_ACTIONS,
  type IvrDigit,
  type IvrIssue,
  type IvrNode,
  type IvrNodeKind,
  type IvrPrompt,
  type IvrTree,
} from '../../../api/ivr';
import { emptyPrompt, isBlankPrompt, makeNode, menuDigits } from '../lib/ivr-tree';
import { KIND_ICON, useIssueText, useQueueNames } from './ivr-labels';

type PromptEditorProps = {
  value: IvrPrompt | null | undefined;
  languages: readonly string[];
  optional: boolean;
  onChange: (prompt: IvrPrompt | null) => void;
  testId: string;
};

/** Text per language and an optional recording; an optional prompt left empty is stored as none. */
function PromptEditor({ value, languages, optional, onChange, testId }: PromptEditorProps) {
  const { t } = useTranslation();
  const prompt = value ?? emptyPrompt(languages);
  const update = (next: IvrPrompt) => onChange(optional && isBlankPrompt(next) ? null : next);
  return (
    <Flex vertical gap={8} data-testid={testId}>
      {languages.map((lang) => (
        <Form.Item key={lang} label={t('ivr.editor.text', { lang })} style={{ marginBottom: 0 }}>
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 5 }}
            maxLength={1000}
            value={prompt.text[lang] ?? ''}
            placeholder={t('ivr.editor.textPlaceholder')}
            onChange={(e) => update({ ...prompt, text: { ...prompt.text, [lang]: e.target.value } })}
            data-testid={`${testId}-${lang}`}
          />
        </Form.Item>
      ))}
      <Form.Item label={t('ivr.editor.audio')} tooltip={t('ivr.editor.audioHelp')} style={{ marginBottom: 0 }}>
        <AudioInput value={prompt.audio ?? null} onChange={(audio) => update({ ...prompt, audio })} />
      </Form.Item>
    </Flex>
  );
}

const isAudioName = (v: string) => v === '' || (IVR_AUDIO.test(v) && !v.includes('..'));

/** A recording's file name: what the admin types stays in the field; only a name the server accepts reaches the tree. */
function AudioInput({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value ?? '');
  // Follow outside changes (another node, a restored version) unless the admin is mid-way through a bad name.
  useEffect(() => {
    setText((current) => (isAudioName(current.trim()) && current.trim() !== (value ?? '') ? (value ?? '') : current));
  }, [value]);
  const bad = !isAudioName(text.trim());
  return (
    <>
      <Input
        value={text}
        maxLength={200}
        placeholder={t('ivr.editor.audioPlaceholder')}
        status={bad ? 'error' : undefined}
        allowClear
        onChange={(e) => {
          const v = e.target.value;
          setText(v);
          if (isAudioName(v.trim())) onChange(v.trim() === '' ? null : v.trim());
        }}
      />
      {bad && <Typography.Text type="danger" style={{ fontSize: 12 }}>{t('ivr.editor.audioInvalid')}</Typography.Text>}
    </>
  );
}

type TargetSelectProps = { tree: IvrTree; self: string; value: string; onChange: (v: string) => void; menuTargets?: boolean; testId?: string };

/** Another node of the tree (or, for a menu key, back / repeat). */
function TargetSelect({ tree, self, value, onChange, menuTargets = false, testId }: TargetSelectProps) {
  const { t } = useTranslation();
  const nodes = tree.nodes.filter((n) => n.id !== self);
  const options = [
    ...(menuTargets
      ? [
          { value: IVR_BACK, label: t('ivr.targets.back') },
          { value: IVR_REPEAT, label: t('ivr.targets.repeat') },
        ]
      : []),
    ...nodes.map((n) => ({ value: n.id, label: `${n.id} · ${t(`ivr.kinds.${n.kind}`)}` })),
    // A dangling reference stays visible (the checks report it).
    ...(value && value !== IVR_BACK && value !== IVR_REPEAT && !nodes.some((n) => n.id === value) ? [{ value, label: `${value} · ${t('ivr.outline.missing')}` }] : []),
  ];
  return <Select showSearch={{ optionFilterProp: 'label' }} value={value || undefined} options={options} onChange={onChange} style={{ width: '100%' }} data-testid={testId} />;
}

type Props = {
  tree: IvrTree;
  node: IvrNode | null;
  issues: readonly IvrIssue[];
  onChange: (node: IvrNode) => void;
  onDelete: (id: string) => void;
};

/** The form of the selected node: kind, prompts, keys, timing, queue, self-service, where it goes next. */
export function NodeEditor({ tree, node, issues, onChange, onDelete }: Props) {
  const { t } = useTranslation();
  const issueText = useIssueText();
  const { queues, name: queueName } = useQueueNames();
  if (!node) return <Empty description={t('ivr.editor.empty')} />;

  const own = issues.filter((i) => i.nodeId === node.id);
  const isRoot = node.id === tree.root;
  const defaultTarget = tree.nodes.find((n) => n.id !== node.id && n.kind === 'queue')?.id ?? tree.nodes.find((n) => n.id !== node.id)?.id ?? node.id;
  const queueOptions = [
    ...queues.filter((q) => q.active).map((q) => ({ value: q.id, label: queueName(q.id) })),
    ...('queueId' in node && node.queueId && !queues.some((q) => q.id === node.queueId) ? [{ value: node.queueId, label: t('ivr.editor.unknownQueue', { id: node.queueId }) }] : []),
  ];
  const changeKind = (kind: IvrNodeKind) => {
    if (kind === node.kind) return;
    onChange(makeNode(node.id, kind, { languages: tree.languages, target: defaultTarget, queueId: queues[0]?.id ?? '', prompt: isBlankPrompt(node.prompt) ? null : node.prompt }));
  };

  const promptField = (required: boolean) => (
    <Form.Item label={required ? t('ivr.editor.prompt') : t('ivr.editor.promptOptional')} style={{ marginBottom: 12 }}>
      <PromptEditor
        value={node.prompt}
        languages={tree.languages}
        optional={!required}
        testId="ivr-prompt"
        onChange={(prompt) => onChange({ ...node, prompt: required ? (prompt ?? emptyPrompt(tree.languages)) : prompt } as IvrNode)}
      />
    </Form.Item>
  );

  return (
    <Form layout="vertical" data-testid="ivr-node-editor">
      {own.length > 0 && (
        <Alert
          type={own.some((i) => i.severity === 'error') ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ivr.editor.issues')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {own.map((i) => (
                <li key={`${i.code}-${i.detail ?? ''}`}>{issueText(i)}</li>
              ))}
            </ul>
          }
          data-testid="ivr-node-issues"
        />
      )}
      <Flex gap={12} align="flex-end" wrap>
        <Form.Item label={t('ivr.editor.id')} style={{ flex: '1 1 160px', marginBottom: 12 }}>
          <Input value={node.id} disabled data-testid="ivr-node-id" />
        </Form.Item>
        <Form.Item label={t('ivr.editor.kind')} tooltip={t('ivr.editor.kindChangeHint')} style={{ flex: '1 1 180px', marginBottom: 12 }}>
          <Select
            value={node.kind}
            onChange={changeKind}
            options={IVR_NODE_KINDS.map((k) => ({ value: k, label: <Space size={6}>{KIND_ICON[k]}{t(`ivr.kinds.${k}`)}</Space> }))}
            data-testid="ivr-node-kind"
          />
        </Form.Item>
        <Form.Item style={{ marginBottom: 12 }}>
          {isRoot ? (
            <Tooltip title={t('ivr.editor.deleteRootRefused')}>
              <Button danger icon={<DeleteOutlined />} disabled>
                {t('ivr.actions.deleteNode')}
              </Button>
            </Tooltip>
          ) : (
            <Popconfirm title={t('ivr.editor.deleteConfirm', { id: node.id })} onConfirm={() => onDelete(node.id)}>
              <Button danger icon={<DeleteOutlined />} data-testid="ivr-node-delete">
                {t('ivr.actions.deleteNode')}
              </Button>
            </Popconfirm>
          )}
        </Form.Item>
      </Flex>

      {promptField(node.kind === 'prompt' || node.kind === 'menu')}

      {node.kind === 'menu' && <MenuFields tree={tree} node={node} onChange={onChange} />}

      {node.kind === 'queue' && (
        <Form.Item label={t('ivr.editor.queue')} required>
          <Select value={node.queueId || undefined} options={queueOptions} onChange={(queueId: string) => onChange({ ...node, queueId })} data-testid="ivr-node-queue" />
        </Form.Item>
      )}

      {(node.kind === 'leave_message' || node.kind === 'callback') && (
        <Form.Item label={t('ivr.editor.queueOptional')}>
          <Select allowClear value={node.queueId ?? undefined} options={queueOptions} onChange={(queueId?: string) => onChange({ ...node, queueId: queueId ?? null })} />
        </Form.Item>
      )}

      {node.kind === 'self_service' && (
        <Flex gap={12} wrap>
            <Form.Item label={t('ivr.editor.action')} style={{ flex: '1 1 160px' }}>
              <Select
                value={node.action}
                options={IVR_SELF_SERVICE_ACTIONS.map((a) => ({ value: a, label: t(`ivr.selfService.${a}`) }))}
                onChange={(action) => onChange({ ...node, action })}
                data-testid="ivr-node-action"
              />
            </Form.Item>
            <Form.Item label={t('ivr.editor.parameter')} tooltip={t('ivr.editor.parameterHelp')} style={{ flex: '1 1 160px' }}>
              <Input value={node.parameter ?? ''} maxLength={200} onChange={(e) => onChange({ ...node, parameter: e.target.value.trim() === '' ? null : e.target.value })} />
            </Form.Item>
          </Flex>
      )}

      {(node.kind === 'prompt' || node.kind === 'self_service') && (
        <Form.Item label={t('ivr.editor.next')} required>
          <TargetSelect tree={tree} self={node.id} value={node.next} onChange={(next) => onChange({ ...node, next })} testId="ivr-node-next" />
        </Form.Item>
      )}
    </Form>
  );
}

type MenuNode = Extract<IvrNode, { kind: 'menu' }>;

function MenuFields({ tree, node, onChange }: { tree: IvrTree; node: MenuNode; onChange: (node: IvrNode) => void }) {
  const { t } = useTranslation();
  const digits = menuDigits(node.options);
  const free = IVR_DIGITS.filter((d) => node.options[d] === undefined);
  const setOption = (digit: IvrDigit, target: string) => onChange({ ...node, options: { ...node.options, [digit]: target } });
  const moveOption = (from: IvrDigit, to: IvrDigit) => {
    const { [from]: target, ...rest } = node.options;
    onChange({ ...node, options: { ...rest, [to]: target } });
  };
  const removeOption = (digit: IvrDigit) => {
    const { [digit]: _removed, ...rest } = node.options;
    onChange({ ...node, options: rest });
  };
  return (
    <>
      <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>
        {t('ivr.editor.options')}
      </Divider>
      <Flex vertical gap={8} style={{ marginBottom: 12 }} data-testid="ivr-menu-options">
        {digits.map((digit) => (
          <Flex key={digit} gap={8} align="center" data-testid={`ivr-option-${digit}`}>
            <Select
              aria-label={t('ivr.editor.digit')}
              value={digit}
              style={{ width: 76, fontFamily: 'monospace' }}
              options={[digit, ...free].map((d) => ({ value: d, label: d }))}
              onChange={(to: IvrDigit) => moveOption(digit, to)}
            />
            <Typography.Text type="secondary">→</Typography.Text>
            <div style={{ flex: 1, minWidth: 0 }}>
              <TargetSelect tree={tree} self={node.id} value={node.options[digit] ?? ''} onChange={(target) => setOption(digit, target)} menuTargets testId={`ivr-option-${digit}-target`} />
            </div>
            <Tooltip title={t('ivr.editor.removeOption')}>
              <Button type="text" danger icon={<DeleteOutlined />} onClick={() => removeOption(digit)} aria-label={t('ivr.editor.removeOption')} />
            </Tooltip>
          </Flex>
        ))}
        <Tooltip title={free.length === 0 ? t('ivr.editor.noFreeDigit') : undefined}>
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            disabled={free.length === 0}
            // A new key says the menu again until the admin picks where it leads.
            onClick={() => free[0] && setOption(free[0], IVR_REPEAT)}
            data-testid="ivr-option-add"
          >
            {t('ivr.editor.addOption')}
          </Button>
        </Tooltip>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item label={t('ivr.editor.timeout')} style={{ flex: '1 1 140px' }}>
          <InputNumber min={1} max={60} precision={0} value={node.timeoutSeconds} onChange={(v) => onChange({ ...node, timeoutSeconds: v ?? 5 })} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('ivr.editor.retries')} style={{ flex: '1 1 140px' }}>
          <InputNumber min={0} max={9} precision={0} value={node.maxRetries} onChange={(v) => onChange({ ...node, maxRetries: v ?? 0 })} suffix={t('ivr.editor.retriesSuffix')} style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
      <Form.Item label={t('ivr.editor.invalidPrompt')}>
        <PromptEditor value={node.invalidPrompt} languages={tree.languages} optional testId="ivr-invalid-prompt" onChange={(invalidPrompt) => onChange({ ...node, invalidPrompt })} />
      </Form.Item>
      <Form.Item label={t('ivr.editor.fallback')} required>
        <TargetSelect tree={tree} self={node.id} value={node.fallback} onChange={(fallback) => onChange({ ...node, fallback })} testId="ivr-node-fallback" />
      </Form.Item>
    </>
  );
}
