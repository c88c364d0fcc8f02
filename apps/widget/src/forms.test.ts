import { describe, expect, it } from 'vitest';
import { checkUpload, leaveFields, preChatFields, validateForm } from './forms.ts';
import { widgetConfig } from './test-helpers.ts';

const preChat = widgetConfig({
  preChat: {
    enabled: true,
    fields: [
      { name: 'name', required: true },
      { name: 'phone', required: true },
      { name: 'email', required: false },
    ],
  },
  topics: [
    { code: 'outage', labelZh: '停电报修', labelEn: 'Power outage' },
    { code: 'billing', labelZh: '电费查询', labelEn: 'Billing' },
  ],
});

describe('pre-chat form', () => {
  it('asks the configured fields and the topic, in the visitor’s language', () => {
    const fields = preChatFields(preChat, false, 'en-US', 'Choose…');
    expect(fields.map((f) => f.name)).toEqual(['name', 'phone', 'email', 'topic']);
    expect(fields[3].options).toEqual([
      ['', 'Choose…'],
      ['outage', 'Power outage'],
      ['billing', 'Billing'],
    ]);
  });

  it('does not ask a verified visitor who they are, only the topic', () => {
    expect(preChatFields(preChat, true, 'zh-CN', '').map((f) => f.name)).toEqual(['topic']);
  });

  it('asks nothing when the channel has it disabled', () => {
    expect(preChatFields({ ...preChat, preChat: { ...preChat.preChat, enabled: false } }, false, 'zh-CN', '')).toEqual([]);
  });

  it('requires the required fields and checks phone, email and topic', () => {
    const fields = preChatFields(preChat, false, 'zh-CN', '');
    expect(validateForm(fields, { name: ' ', phone: '', email: '', topic: '' })).toEqual({ name: 'errRequired', phone: 'errRequired', topic: 'errRequired' });
    expect(validateForm(fields, { name: '李雷', phone: '12', email: 'a@b', topic: 'nope' })).toEqual({ phone: 'errPhone', email: 'errEmail', topic: 'errRequired' });
    expect(validateForm(fields, { name: '李雷', phone: '0971-1234567', email: '', topic: 'outage' })).toBeNull();
    expect(validateForm(fields, { name: 'x'.repeat(61), phone: '+86 138 0000 0000', topic: 'billing' })).toEqual({ name: 'errTooLong' });
  });
});

describe('leave-a-message form', () => {
  it('preselects the kind the server chose and requires name and phone', () => {
    const fields = leaveFields('callback', { leave: '留言', callback: '回电' });
    expect(fields[0].options?.[0][0]).toBe('callback');
    expect(validateForm(fields, { kind: 'callback', name: '', phone: '' })).toEqual({ name: 'errRequired', phone: 'errRequired' });
    expect(validateForm(fields, { kind: 'leave_message', name: '韩梅梅', phone: '13900000000', message: 'x'.repeat(1001) })).toEqual({ message: 'errTooLong' });
    expect(validateForm(fields, { kind: 'leave_message', name: '韩梅梅', phone: '13900000000', message: '' })).toBeNull();
  });
});

describe('upload check', () => {
  const config = widgetConfig({ maxUploadBytes: 1000, allowedUploadTypes: ['image/*', 'application/pdf', '.docx'] });

  it('accepts allowed types within the size limit', () => {
    expect(checkUpload({ name: 'meter.JPG', type: 'image/jpeg', size: 999 }, config)).toBeNull();
    expect(checkUpload({ name: 'bill.pdf', type: 'application/pdf', size: 1000 }, config)).toBeNull();
    expect(checkUpload({ name: 'letter.docx', type: '', size: 10 }, config)).toBeNull();
  });

  it('refuses other types, empty files and files over the limit before uploading', () => {
    expect(checkUpload({ name: 'a.exe', type: 'application/x-msdownload', size: 10 }, config)).toEqual({ error: 'uploadType' });
    expect(checkUpload({ name: 'a.png', type: 'image/png', size: 0 }, config)).toEqual({ error: 'uploadFailed' });
    expect(checkUpload({ name: 'a.png', type: 'image/png', size: 1001 }, config)).toEqual({ error: 'uploadTooLarge', max: 1000 });
  });
});
