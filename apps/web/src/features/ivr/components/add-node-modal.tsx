import { Form, Input, Modal, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { IVR_DIGITS, IVR_NODE_ID, IVR_NODE_KINDS, type IvrDigit, type IvrNode, type IvrNodeKind, type IvrTree } from '../../../api/ivr';
import { findNode, makeNode, suggestNodeId } from '../lib/ivr-tree';
import { KIND_ICON, useQueueNames } from './ivr-labels';

type Values = { id: string; kind: IvrNodeKind; target?: string; queueId?: string; attachDigit?: IvrDigit | 'none' };

type Props = {
  open: boolean;
  tree: IvrTree;
  /** The selected node: a menu offers to attach the new node to one of its free keys. */
  selected: IvrNode | null;
  onClose: () => void;
  onAdd: (tree: IvrTree, id: string) => void;
};

/** 添加节点: a new node with a valid id, its kind and where it leads; optionally hung on a key of the selected menu. */
export function AddNodeModal({ open, tree, selected, onClose, onAdd }: Props) {
  const { t } = useTranslation();
  const { queues, name: queueName } = useQueueNames();
  const [form] = Form.useForm<Values>();
  const kind: IvrNodeKind = Form.useWatch('kind', form) ?? 'menu';
  const menu = selected?.kind === 'menu' ? selected : null;
  const freeDigits = menu ? IVR_DIGITS.filter((d) => menu.options[d] === undefined) : [];
  const needsTarget = kind === 'prompt' || kind === 'self_service' || kind === 'menu';

  // Defaults when the dialog opens only: later changes must not overwrite what the admin typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on open only, see above.
  useEffect(() => {
    if (open) form.setFieldsValue({ id: suggestNodeId(tree, 'menu'), kind: 'menu', target: tree.nodes.find((n) => n.kind === 'queue')?.id, queueId: queues[0]?.id, attachDigit: freeDigits[0] ?? 'none' });
  }, [open]);

  const submit = (v: Values) => {
    const node = makeNode(v.id, v.kind, { languages: tree.languages, target: v.target ?? tree.root, queueId: v.queueId ?? queues[0]?.id ?? '' });
    let nodes = [...tree.nodes, node];
    if (menu && v.attachDigit && v.attachDigit !== 'none') nodes = nodes.map((n) => (n.id === menu.id && n.kind === 'menu' ? { ...n, options: { ...n.options, [v.attachDigit as IvrDigit]: v.id } } : n));
    onAdd({ ...tree, nodes }, v.id);
    onClose();
  };

  return (
    <Modal open={open} title={t('ivr.addNode.title')} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden forceRender data-testid="ivr-add-node">
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="kind"
          label={t('ivr.addNode.kind')}
          rules={[{ required: true, message: t('ivr.addNode.required') }]}
        >
          <Select
            options={IVR_NODE_KINDS.map((k) => ({ value: k, label: <Space size={6}>{KIND_ICON[k]}{t(`ivr.kinds.${k}`)}</Space> }))}
            onChange={(k: IvrNodeKind) => {
              const id = form.getFieldValue('id') as string | undefined;
              // Keep a typed id; replace a suggested one with a suggestion for the new kind.
              if (!id || /^[a-z-]+-\d+$/.test(id)) form.setFieldValue('id', suggestNodeId(tree, k));
            }}
            data-testid="ivr-add-kind"
          />
        </Form.Item>
        <Form.Item
          name="id"
          label={t('ivr.addNode.id')}
          extra={t('ivr.addNode.idHelp')}
          rules={[
            { required: true, message: t('ivr.addNode.required') },
            { pattern: IVR_NODE_ID, message: t('ivr.addNode.idInvalid') },
            { validator: async (_r, v: string) => (v && findNode(tree, v) ? Promise.reject(new Error(t('ivr.addNode.idTaken'))) : undefined) },
          ]}
        >
          <Input maxLength={40} data-testid="ivr-add-id" />
        </Form.Item>
        {needsTarget && (
          <Form.Item name="target" label={kind === 'menu' ? t('ivr.addNode.fallback') : t('ivr.addNode.next')} rules={[{ required: true, message: t('ivr.addNode.required') }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={tree.nodes.map((n) => ({ value: n.id, label: `${n.id} · ${t(`ivr.kinds.${n.kind}`)}` }))} data-testid="ivr-add-target" />
          </Form.Item>
        )}
        {kind === 'queue' && (
          <Form.Item name="queueId" label={t('ivr.addNode.queue')} rules={[{ required: true, message: t('ivr.addNode.required') }]}>
            <Select options={queues.filter((q) => q.active).map((q) => ({ value: q.id, label: queueName(q.id) }))} data-testid="ivr-add-queue" />
          </Form.Item>
        )}
        {menu && freeDigits.length > 0 && (
          <Form.Item name="attachDigit" label={t('ivr.addNode.attach', { node: menu.id })}>
            <Select options={[{ value: 'none', label: t('ivr.addNode.attachNone') }, ...freeDigits.map((d) => ({ value: d, label: d }))]} data-testid="ivr-add-digit" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
