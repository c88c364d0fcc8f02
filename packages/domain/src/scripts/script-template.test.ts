import { describe, expect, it } from 'vitest';
import { buildScriptValues, findUnknownVariables, genderFromIdNumber, listTemplateVariables, renderScript, surnameOf } from './script-template.ts';

const NOW = new Date('2026-11-27T02:30:00Z'); // 10:30 in Xining

describe('script templates', () => {
  it('fills Chinese variables and reports nothing missing', () => {
    const r = renderScript('{customer.salutation}您好，{agent.workNumber}号客服为您服务。您的工单{ticket.number}{ticket.status}。', {
      'customer.salutation': '张先生',
      'agent.workNumber': '1024',
      'ticket.number': 'GD20261127000001',
      'ticket.status': '处理中',
    });
    expect(r).toEqual({ text: '张先生您好，1024号客服为您服务。您的工单GD20261127000001处理中。', missing: [] });
  });

  it('leaves variables without a value visible and lists them once, in order', () => {
    const r = renderScript('{customer.name}，工单 {ticket.number} 已受理；再次确认 {ticket.number}。', { 'customer.name': '' });
    expect(r.text).toBe('{customer.name}，工单 {ticket.number} 已受理；再次确认 {ticket.number}。');
    expect(r.missing).toEqual(['customer.name', 'ticket.number']);
  });

  it('reports unknown variables instead of dropping them', () => {
    const r = renderScript('Hello {customer.name}, I am {agent.nmae}.', { 'customer.name': 'Alice' });
    expect(r).toEqual({ text: 'Hello Alice, I am {agent.nmae}.', missing: ['agent.nmae'] });
    expect(findUnknownVariables('您好{agent.nmae}{客户}{ }{today}')).toEqual(['agent.nmae']);
    expect(listTemplateVariables('{today}{today}{time.greeting}')).toEqual(['today', 'time.greeting']);
  });

  it('inserts values as plain text, never expanding them again', () => {
    const r = renderScript('您好 {customer.name}', { 'customer.name': '{agent.name}<b>$&</b>', 'agent.name': '李' });
    expect(r.text).toBe('您好 {agent.name}<b>$&</b>');
    expect(r.missing).toEqual([]);
  });

  it('keeps braces that are not variables as literal text', () => {
    expect(renderScript('价格{ 0.5 }元/度 {1} {电费}', {}).text).toBe('价格{ 0.5 }元/度 {1} {电费}');
  });
});

describe('script values', () => {
  it('greets a known Han customer by surname and title, and a Tibetan name in full', () => {
    const base = { language: 'zh-CN' as const, now: NOW, timeZone: 'Asia/Shanghai' };
    expect(buildScriptValues({ ...base, customer: { name: '张伟', gender: 'male' } })).toMatchObject({ 'customer.salutation': '张先生', 'customer.title': '先生' });
    expect(buildScriptValues({ ...base, customer: { name: '欧阳娜', gender: 'female' } })['customer.salutation']).toBe('欧阳女士');
    expect(buildScriptValues({ ...base, customer: { name: '才让卓玛', gender: 'female' } })['customer.salutation']).toBe('才让卓玛女士');
    expect(buildScriptValues({ ...base, customer: { name: '西宁市某某科技有限公司', person: false } })).toMatchObject({ 'customer.salutation': '西宁市某某科技有限公司', 'customer.title': '您' });
    const nobody = buildScriptValues(base);
    expect(nobody).toMatchObject({ 'customer.title': '您', 'customer.salutation': '您', 'customer.name': null, today: '2026年11月27日', 'time.greeting': '上午好' });
  });

  it('words values in English for English scripts', () => {
    const v = buildScriptValues({
      language: 'en-US',
      now: new Date('2026-11-27T11:00:00Z'),
      timeZone: 'Asia/Shanghai',
      customer: { name: 'Alice Brown', gender: 'female' },
      agent: { name: 'Wang', workNumber: '1001' },
      ticket: { number: 'GD1', status: 'returned' },
    });
    expect(v).toMatchObject({ 'customer.salutation': 'Ms. Alice Brown', 'ticket.status': 'in progress', today: 'November 27, 2026', 'time.greeting': 'Good evening' });
    // No gender known: no English title rather than a wrong one.
    const unknown = buildScriptValues({ language: 'en-US', now: NOW, timeZone: 'Asia/Shanghai', customer: { name: 'Alice Brown' } });
    expect(unknown['customer.title']).toBeNull();
    expect(unknown['customer.salutation']).toBe('Alice Brown');
  });

  it('reads gender from the resident ID number and surnames from Han names', () => {
    expect(genderFromIdNumber('630102198001011234')).toBe('male');
    expect(genderFromIdNumber('63010219800101124X')).toBe('female');
    expect(genderFromIdNumber('12345')).toBeNull();
    expect(genderFromIdNumber(null)).toBeNull();
    expect(surnameOf('王小明')).toBe('王');
    expect(surnameOf('司马')).toBeNull();
    expect(surnameOf('Alice')).toBeNull();
  });
});
