import { MessageOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Input, Popover, Tag, Typography } from 'antd';
import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CannedReply } from '../../../api/contact-types';

const MAX_CHARS = 4000;
const TYPING_EVERY_MS = 3000;
const SLASH = /^\/(\S*)$/;

type Props = {
  onSend: (text: string) => void;
  onTyping?: () => void;
  canned: readonly CannedReply[];
  disabled?: boolean;
  disabledHint?: string;
  placeholder?: string;
  language: string;
};

function matchCanned(canned: readonly CannedReply[], query: string): CannedReply[] {
  const q = query.toLowerCase();
  return canned.filter((c) => c.shortcut.toLowerCase().startsWith(q) || c.title.toLowerCase().includes(q)).slice(0, 8);
}

function CannedRow({ reply, active, onPick, language }: { reply: CannedReply; active?: boolean; onPick: () => void; language: string }) {
  return (
    <button
      type="button"
      className={`kefu-canned-item${active ? ' kefu-canned-item-active' : ''}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
      data-testid="canned-reply"
      data-shortcut={reply.shortcut}
    >
      <Flex gap={8} align="baseline">
        <Typography.Text code>/{reply.shortcut}</Typography.Text>
        <Typography.Text strong>{reply.title}</Typography.Text>
        {reply.language !== language && <Tag style={{ marginInlineEnd: 0 }}>{reply.language}</Tag>}
      </Flex>
      <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
        {reply.body}
      </Typography.Text>
    </button>
  );
}

/**
 * The reply box: Enter sends (Shift+Enter for a new line; never while an IME is composing Chinese),
 * "/" plus a shortcut offers canned replies (常用语) — arrows choose, Enter or Tab insert — and the
 * 常用语 button lists them all.
 */
export function ReplyBox({ onSend, onTyping, canned, disabled, disabledHint, placeholder, language }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const [listOpen, setListOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const lastTyping = useRef(0);
  const slashQuery = SLASH.exec(text)?.[1];
  const suggestions = useMemo(() => (slashQuery === undefined ? [] : matchCanned(canned, slashQuery)), [slashQuery, canned]);
  // Replies in the UI language first: the usual case.
  const sorted = useMemo(() => [...canned].sort((a, b) => Number(b.language === language) - Number(a.language === language)), [canned, language]);
  const listed = filter ? sorted.filter((c) => `${c.shortcut} ${c.title} ${c.body}`.toLowerCase().includes(filter.toLowerCase())) : sorted;

  const insert = (reply: CannedReply) => {
    setText(reply.body);
    setIndex(0);
    setListOpen(false);
  };

  const submit = () => {
    const value = text.trim();
    if (!value || disabled) return;
    onSend(value.slice(0, MAX_CHARS));
    setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setIndex((i) => (i + step + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        insert(suggestions[Math.min(index, suggestions.length - 1)]);
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
          {suggestions.map((c, i) => (
            <CannedRow key={c.id} reply={c} active={i === index} onPick={() => insert(c)} language={language} />
          ))}
        </div>
      )}
      <Input.TextArea
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={MAX_CHARS}
        disabled={disabled}
        placeholder={disabled ? disabledHint : (placeholder ?? t('desk.reply.placeholder'))}
        data-testid="reply-input"
      />
      <Flex justify="space-between" align="center">
        <Popover
          trigger="click"
          open={listOpen}
          onOpenChange={setListOpen}
          placement="topLeft"
          title={t('desk.reply.canned')}
          content={
            <div style={{ width: 380 }}>
              <Input.Search allowClear size="small" placeholder={t('desk.reply.cannedSearch')} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 8 }} />
              <div className="kefu-canned-list">
                {listed.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('desk.reply.cannedNone')} />
                ) : (
                  listed.map((c) => <CannedRow key={c.id} reply={c} onPick={() => insert(c)} language={language} />)
                )}
              </div>
            </div>
          }
        >
          <Button size="small" icon={<MessageOutlined />} disabled={disabled} data-testid="canned-open">
            {t('desk.reply.canned')}
          </Button>
        </Popover>
        <Flex align="center" gap={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('desk.reply.hint')}
          </Typography.Text>
          <Button type="primary" icon={<SendOutlined />} disabled={disabled || !text.trim()} onClick={submit} data-testid="reply-send">
            {t('desk.reply.send')}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}
