import { MessageOutlined, SendOutlined } from '@ant-design/icons';
import type { TRenderedScript, TScript } from '@kefu/contracts';
import { Alert, Button, Empty, Flex, Input, Popover, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScriptRow } from '../../scripts/components/script-row';
import { matchScripts, templateVariables } from '../../scripts/lib/match-scripts';

const MAX_CHARS = 4000;
const TYPING_EVERY_MS = 3000;
const SLASH = /^\/(\S*)$/;
const SUGGESTIONS = 8;

type Props = {
  onSend: (text: string) => void;
  onTyping?: () => void;
  /** The script library (标准话术), in library order. */
  scripts: readonly TScript[];
  /** Fills a script's variables for this conversation (customer, agent, ticket) and counts one use. */
  renderScript?: (script: TScript) => Promise<TRenderedScript>;
  disabled?: boolean;
  disabledHint?: string;
  placeholder?: string;
  language: string;
  /** Text or a script to put into the draft from outside (agent assist); a new nonce inserts again. */
  insertRequest?: { nonce: number; text?: string; scriptId?: string } | null;
};

function isPickerKey(e: KeyboardEvent) {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
}

/**
 * The reply box: Enter sends (Shift+Enter for a new line; never while an IME is composing Chinese).
 * "/" plus a shortcut, pinyin initials (/whkc) or words offers scripts (话术) — arrows choose, Enter
 * or Tab insert — and Ctrl+K (⌘K) or the 话术 button opens the searchable library at the caret. An
 * inserted script arrives with its variables filled; any it could not fill stay as `{…}` with a warning.
 */
export function ReplyBox({ onSend, onTyping, scripts, renderScript, disabled, disabledHint, placeholder, language, insertRequest }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const [listOpen, setListOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [listIndex, setListIndex] = useState(0);
  const [missing, setMissing] = useState<string[]>([]);
  const [inserting, setInserting] = useState(false);
  const lastTyping = useRef(0);
  const inputRef = useRef<TextAreaRef>(null);
  // Where Ctrl+K was pressed: the script goes in at the caret, not over the draft.
  const caret = useRef<number | null>(null);

  // Scripts in the UI language first, then Tibetan (language seats), then the rest.
  const sorted = useMemo(() => {
    const weight = (s: TScript) => (s.language === language ? 0 : s.language === 'bo' ? 1 : 2);
    return [...scripts].sort((a, b) => weight(a) - weight(b));
  }, [scripts, language]);
  const slashQuery = SLASH.exec(text)?.[1];
  const suggestions = useMemo(() => (slashQuery === undefined ? [] : matchScripts(sorted, slashQuery, { limit: SUGGESTIONS })), [slashQuery, sorted]);
  const listed = useMemo(() => matchScripts(sorted, filter, { withBody: true }), [sorted, filter]);
  const unfilled = missing.filter((v) => text.includes(`{${v}}`));

  const textarea = () => inputRef.current?.resizableTextArea?.textArea ?? null;

  const insert = async (script: TScript, mode: 'slash' | 'caret') => {
    const at = caret.current;
    setIndex(0);
    setListOpen(false);
    setFilter('');
    setInserting(true);
    let rendered: TRenderedScript;
    try {
      rendered = renderScript ? await renderScript(script) : { text: script.body, missing: templateVariables(script.body) };
    } catch {
      // Offline or refused: the raw template, every variable flagged for the agent to fill in.
      rendered = { text: script.body, missing: templateVariables(script.body) };
    } finally {
      setInserting(false);
    }
    setText((prev) => {
      if (mode === 'slash' && SLASH.test(prev)) return rendered.text.slice(0, MAX_CHARS);
      const pos = at === null ? prev.length : Math.min(at, prev.length);
      return (prev.slice(0, pos) + rendered.text + prev.slice(pos)).slice(0, MAX_CHARS);
    });
    setMissing(rendered.missing);
    caret.current = null;
    requestAnimationFrame(() => textarea()?.focus());
  };

  // Agent assist hands over a script or an article summary: it joins the draft.
  const handled = useRef(0);
  const insertLatest = useRef(insert);
  insertLatest.current = insert;
  useEffect(() => {
    if (!insertRequest || insertRequest.nonce === handled.current) return;
    handled.current = insertRequest.nonce;
    const script = insertRequest.scriptId ? scripts.find((s) => s.id === insertRequest.scriptId) : undefined;
    // Appended to the draft: the agent's caret may be anywhere (or never placed).
    caret.current = null;
    if (script) void insertLatest.current(script, 'caret');
    else if (insertRequest.text) {
      const value = insertRequest.text;
      setText((prev) => (prev ? `${prev}${prev.endsWith('\n') ? '' : '\n'}${value}` : value).slice(0, MAX_CHARS));
      requestAnimationFrame(() => inputRef.current?.resizableTextArea?.textArea?.focus());
    }
  }, [insertRequest, scripts]);

  const openList = () => {
    caret.current = textarea()?.selectionStart ?? text.length;
    setListIndex(0);
    setListOpen(true);
  };

  const submit = () => {
    const value = text.trim();
    if (!value || disabled) return;
    onSend(value.slice(0, MAX_CHARS));
    setText('');
    setMissing([]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (isPickerKey(e)) {
      e.preventDefault();
      openList();
      return;
    }
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setIndex((i) => (i + step + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const picked = suggestions[Math.min(index, suggestions.length - 1)];
        if (picked) void insert(picked, 'slash');
        return;
      }
      if (e.key === 'Escape') {
        setText('');
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };

  const onListKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (listed.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setListIndex((i) => (i + step + listed.length) % listed.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const picked = listed[Math.min(listIndex, listed.length - 1)];
      if (picked) void insert(picked, 'caret');
    } else if (e.key === 'Escape') {
      setListOpen(false);
      textarea()?.focus();
    }
  };

  const onChange = (value: string) => {
    setText(value);
    setIndex(0);
    const now = Date.now();
    if (onTyping && value && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping();
    }
  };

  return (
    <Flex vertical gap={6} data-testid="reply-box">
      {suggestions.length > 0 && (
        <div className="kefu-canned-list" role="listbox" data-testid="canned-suggestions">
          {suggestions.map((s, i) => (
            <ScriptRow key={s.id} script={s} active={i === index} onPick={() => void insert(s, 'slash')} language={language} />
          ))}
        </div>
      )}
      {unfilled.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setMissing([]) }}
          title={t('scripts.picker.missing', { vars: unfilled.map((v) => `{${v}}`).join('、') })}
          data-testid="script-missing"
        />
      )}
      <Input.TextArea
        ref={inputRef}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={MAX_CHARS}
        disabled={disabled || inserting}
        placeholder={disabled ? disabledHint : (placeholder ?? t('scripts.picker.placeholder'))}
        data-testid="reply-input"
      />
      <Flex justify="space-between" align="center">
        <Popover
          trigger="click"
          open={listOpen}
          onOpenChange={(open) => (open ? openList() : setListOpen(false))}
          placement="topLeft"
          title={t('scripts.picker.title')}
          destroyOnHidden
          content={
            <div style={{ width: 420 }} data-testid="script-picker">
              <Input.Search
                autoFocus
                allowClear
                size="small"
                placeholder={t('scripts.picker.search')}
                value={filter}
                onChange={(e) => {
                  setFilter(e.target.value);
                  setListIndex(0);
                }}
                onKeyDown={onListKeyDown}
                style={{ marginBottom: 8 }}
                data-testid="script-picker-search"
              />
              <div className="kefu-canned-list" role="listbox">
                {listed.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scripts.picker.none')} />
                ) : (
                  listed.map((s, i) => <ScriptRow key={s.id} script={s} active={i === listIndex} onPick={() => void insert(s, 'caret')} language={language} />)
                )}
              </div>
            </div>
          }
        >
          <Button size="small" icon={<MessageOutlined />} disabled={disabled} loading={inserting} data-testid="canned-open">
            {t('scripts.picker.button')}
          </Button>
        </Popover>
        <Flex align="center" gap={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('scripts.picker.hint')}
          </Typography.Text>
          <Button type="primary" icon={<SendOutlined />} disabled={disabled || !text.trim()} onClick={submit} data-testid="reply-send">
            {t('desk.reply.send')}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}
