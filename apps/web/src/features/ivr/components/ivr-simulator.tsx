import { ClockCircleOutlined, PhoneOutlined, SoundOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Select, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type IvrOutcome, type IvrSimulateResult, type IvrSpokenPrompt, type IvrTree, simulateIvr } from '../../../api/ivr';
import { useErrorMessage } from '../../../lib/errors';
import { findNode } from '../lib/ivr-tree';
import { useQueueNames } from './ivr-labels';

type Entry = { kind: 'prompt'; prompt: IvrSpokenPrompt } | { kind: 'key'; key: string } | { kind: 'timeout' };

// Keypad order of a phone.
const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/**
 * 模拟来电: runs the server's startIvr / press on the tree being edited (unsaved changes included)
 * and shows what the caller hears, the keys pressed (ivrPath "1>2") and where the call ends up.
 */
export function IvrSimulator({ channelId, tree }: { channelId: string; tree: IvrTree }) {
  const { t } = useTranslation();
  const toMessage = useErrorMessage();
  const { name: queueName } = useQueueNames();
  const [language, setLanguage] = useState(tree.defaultLanguage);
  const [step, setStep] = useState<IvrSimulateResult | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const transcript = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!tree.languages.includes(language)) setLanguage(tree.defaultLanguage);
  }, [tree.languages, tree.defaultLanguage, language]);
  useEffect(() => {
    // Scroll the transcript box only (scrollIntoView would move the whole page).
    const box = transcript.current;
    if (box && entries.length > 0) box.scrollTop = box.scrollHeight;
  }, [entries]);
  // An edited menu invalidates a call in progress (its state names nodes of the old tree).
  const treeJson = JSON.stringify(tree);
  const [simulatedJson, setSimulatedJson] = useState<string | null>(null);
  const stale = step !== null && simulatedJson !== treeJson;

  const run = useMutation({
    mutationFn: (input: { digits?: string; restart?: boolean; tree: IvrTree; json: string }) =>
      simulateIvr(channelId, input.restart || !step ? { tree: input.tree, language } : { tree: input.tree, state: step.state, digits: input.digits ?? '' }),
    onMutate: () => setError(null),
    onSuccess: (result, input) => {
      setStep(result);
      setSimulatedJson(input.json);
      const pressed: Entry[] = input.restart || input.digits === undefined ? [] : [input.digits === '' ? { kind: 'timeout' } : { kind: 'key', key: input.digits }];
      const spoken: Entry[] = result.prompts.map((prompt) => ({ kind: 'prompt', prompt }));
      setEntries((prev) => [...(input.restart ? [] : prev), ...pressed, ...spoken]);
    },
    onError: (e) => setError(toMessage(e)),
  });

  const pending = step?.outcome.kind === 'waiting_input';
  const waiting = pending && !stale;
  const start = () => run.mutate({ restart: true, tree, json: treeJson });
  const press = (digits: string) => run.mutate({ digits, tree, json: treeJson });

  const promptText = (p: IvrSpokenPrompt) => {
    const node = findNode(tree, p.nodeId);
    // The simulator's stand-in for the self-service answer: "[balance:electricity]".
    if (node?.kind === 'self_service' && p.audio === null && p.text === `[${node.action}${node.parameter ? `:${node.parameter}` : ''}]`) {
      return (
        <Typography.Text type="secondary" italic>
          {t('ivr.simulator.selfServiceText', { action: `${t(`ivr.selfService.${node.action}`)}${node.parameter ? ` (${node.parameter})` : ''}` })}
        </Typography.Text>
      );
    }
    return <span>{p.text}</span>;
  };

  const outcomeText = (o: IvrOutcome) => {
    switch (o.kind) {
      case 'waiting_input':
        return t('ivr.simulator.waiting', { seconds: o.timeoutSeconds });
      case 'queue':
        return t('ivr.simulator.outcome.queue', { queue: queueName(o.queueId) });
      case 'leave_message':
        return o.queueId ? t('ivr.simulator.outcome.leave_messageQueue', { queue: queueName(o.queueId) }) : t('ivr.simulator.outcome.leave_message');
      case 'callback':
        return o.queueId ? t('ivr.simulator.outcome.callbackQueue', { queue: queueName(o.queueId) }) : t('ivr.simulator.outcome.callback');
      case 'hang_up':
        return t('ivr.simulator.outcome.hang_up');
    }
  };

  return (
    <Flex vertical gap={12} data-testid="ivr-simulator">
      <Flex gap={8} wrap align="center">
        <Select
          aria-label={t('ivr.simulator.language')}
          value={language}
          onChange={setLanguage}
          options={tree.languages.map((l) => ({ value: l, label: l }))}
          style={{ width: 110 }}
          data-testid="ivr-sim-language"
        />
        <Button type="primary" icon={<PhoneOutlined />} onClick={start} loading={run.isPending && !step} data-testid="ivr-sim-start">
          {step ? t('ivr.simulator.restart') : t('ivr.simulator.start')}
        </Button>
      </Flex>
      {!step && !error && <Typography.Text type="secondary">{t('ivr.simulator.hint')}</Typography.Text>}
      {error && <Alert type="error" showIcon title={t('ivr.simulator.failed', { message: error })} data-testid="ivr-sim-error" />}
      {stale && <Alert type="info" showIcon title={t('ivr.simulator.changed')} data-testid="ivr-sim-stale" />}

      <div
        ref={transcript}
        style={{ maxHeight: 260, overflowY: 'auto', border: '1px solid var(--ant-color-border-secondary, #f0f0f0)', borderRadius: 8, padding: 8, background: 'var(--ant-color-fill-quaternary, #fafafa)' }}
        data-testid="ivr-sim-transcript"
      >
        {entries.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={null} />
        ) : (
          <Flex vertical gap={6}>
            {entries.map((e, i) =>
              e.kind === 'prompt' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the transcript only grows; entries have no identity.
                <Flex key={i} gap={6} align="flex-start">
                  <SoundOutlined style={{ marginTop: 4, color: 'var(--ant-color-primary, #1677ff)' }} />
                  <div style={{ minWidth: 0 }}>
                    {promptText(e.prompt)}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                        {e.prompt.nodeId}
                        {e.prompt.audio ? ` · ${t('ivr.simulator.audio', { file: e.prompt.audio })}` : ''}
                      </Typography.Text>
                    </div>
                  </div>
                </Flex>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above.
                <Flex key={i} justify="flex-end">
                  <Tag color={e.kind === 'key' ? 'blue' : 'default'} icon={e.kind === 'timeout' ? <ClockCircleOutlined /> : undefined}>
                    {e.kind === 'key' ? t('ivr.simulator.pressed', { key: e.key }) : t('ivr.simulator.timedOut')}
                  </Tag>
                </Flex>
              ),
            )}
          </Flex>
        )}
      </div>

      {step && (
        <Flex vertical gap={4}>
          <Typography.Text>
            {t('ivr.simulator.path')}:{' '}
            <Typography.Text code data-testid="ivr-sim-path">
              {step.ivrPath === '' ? t('ivr.simulator.pathEmpty') : step.ivrPath}
            </Typography.Text>
          </Typography.Text>
          <Typography.Text strong={!pending} type={pending ? 'secondary' : 'success'} data-testid="ivr-sim-outcome">
            {pending ? '' : `${t('ivr.simulator.outcome.title')}: `}
            {outcomeText(step.outcome)}
          </Typography.Text>
        </Flex>
      )}

      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 6, maxWidth: 240 }} data-testid="ivr-sim-keypad">
        {KEYPAD.map((key) => (
          <Button key={key} size="large" disabled={!waiting || run.isPending} onClick={() => press(key)} style={{ fontFamily: 'monospace', fontSize: 18 }} data-testid={`ivr-key-${key}`}>
            {key}
          </Button>
        ))}
      </div>
      <Button icon={<ClockCircleOutlined />} disabled={!waiting || run.isPending} onClick={() => press('')} style={{ maxWidth: 240 }} data-testid="ivr-sim-timeout">
        {t('ivr.simulator.timeout')}
      </Button>
    </Flex>
  );
}
