import { describe, expect, it } from 'vitest';
import { createTranslator } from './i18n.ts';
import { headerStatus, readStatus } from './status.ts';

describe('status frames', () => {
  it('maps contact and conversation statuses onto queued / active / ended', () => {
    expect(readStatus('queued')).toEqual({ phase: 'queued' });
    expect(readStatus('offered')).toEqual({ phase: 'queued' });
    expect(readStatus('active')).toEqual({ phase: 'active' });
    expect(readStatus('on_hold')).toEqual({ phase: 'active' });
    expect(readStatus('ended')).toEqual({ phase: 'ended' });
    expect(readStatus('closed')).toEqual({ phase: 'ended' });
    expect(readStatus('something-new')).toBeNull();
  });

  it('recognises an overflow, keeping the kind the server chose', () => {
    expect(readStatus('overflowed')).toEqual({ overflow: 'leave_message' });
    expect(readStatus('overflowed', 'callback')).toEqual({ overflow: 'callback' });
    expect(readStatus('closed', 'callback')).toEqual({ overflow: 'callback' });
    expect(readStatus('callback')).toEqual({ overflow: 'callback' });
  });
});

describe('header status', () => {
  const zh = createTranslator('zh-CN');
  const base = { phase: null, agentName: null, queuePosition: null, closed: false };

  it('says 排队中 / 已接入 <agent> / 已结束', () => {
    expect(headerStatus({ ...base, phase: 'queued' }, zh)).toBe('排队中');
    expect(headerStatus({ ...base, phase: 'queued', queuePosition: 3 }, zh)).toBe('排队中，您排在第 3 位');
    expect(headerStatus({ ...base, phase: 'active', agentName: '王敏' }, zh)).toBe('已接入 王敏');
    expect(headerStatus({ ...base, phase: 'ended' }, zh)).toBe('已结束');
    expect(headerStatus({ ...base, closed: true }, createTranslator('en-US'))).toBe('Outside service hours');
    expect(headerStatus(base, zh)).toBe('');
  });
});
