#!/usr/bin/env node
// End-to-end: a customer chats from a website with the agent desktop, in two browsers.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… node e2e/live-chat.e2e.mjs
// 1. `agent` opens 坐席工作台 and goes online;
// 2. a customer opens the demo host page (/widget/demo), fills the pre-chat form with the demo
//    customer's phone and writes; the bot answers, the customer asks for a person (转人工); the
//    offer rings at the agent, who accepts and replies;
// 3. the customer sees the reply; `agent02` goes online and the chat is transferred to them;
// 4. agent02 accepts, replies, ends the chat and wraps up with a reason code;
// 5. the contact is on the customer's timeline (联络记录) with that reason.
// Needs the seeded demo center. Screenshots go to e2e/screenshots/.
import { acceptOffer, api, BASE_URL, goOnline, leafReasonCode, shot, startBrowser } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const CUSTOMER_ID = 'de000000-0000-4000-8000-000000000001';
const CUSTOMER_PHONE = '13900000001';

if (!PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD to the password of the seeded demo users');
  process.exit(2);
}

let step = 'launch the browser';
const started = Date.now();
const run = await startBrowser();

try {
  step = 'agent signs in and goes online';
  const agent = await run.openAs('agent', PASSWORD);
  await goOnline(agent);
  await shot(agent, 'live-chat-01-desk-online');

  step = 'customer opens the widget and fills the pre-chat form';
  const customer = await run.newPage('customer');
  await customer.goto(`${BASE_URL}/widget/demo`);
  const widget = customer.locator('#kefu-widget');
  await widget.locator('button.la').click();
  const form = widget.locator('form');
  await form.waitFor();
  await form.locator('input[autocomplete=name]').fill('张先生');
  await form.locator('input[type=tel]').fill(CUSTOMER_PHONE);
  await form.locator('select').selectOption('general');
  await form.locator('button.btn').click();
  const input = widget.locator('textarea');
  await input.waitFor();
  await input.fill('你好，我家从早上开始停电了');
  await widget.locator('button.se').click();
  // The demo channel's self-service bot answers first; the customer asks for a person (转人工).
  await widget.locator('[role=log] .bot').nth(1).waitFor();
  await widget.locator('button.hu').click();
  await shot(customer, 'live-chat-02-widget-sent');

  step = 'the offer rings at the agent, who accepts';
  await acceptOffer(agent);
  await agent.getByTestId('desk-tab').first().waitFor();
  await agent.getByTestId('conversation-pane').getByText('你好，我家从早上开始停电了', { exact: true }).waitFor();
  await agent.getByTestId('reply-input').fill('您好，我是王晓燕，正在为您查询停电信息');
  await agent.getByTestId('reply-input').press('Enter');
  await shot(agent, 'live-chat-03-desk-conversation');

  step = 'the customer sees the agent join and reply';
  await widget.locator('[role=log]').getByText('正在为您查询停电信息').waitFor();
  await shot(customer, 'live-chat-04-widget-reply');

  step = 'agent02 goes online; the chat is transferred to them';
  const agent02 = await run.openAs('agent02', PASSWORD);
  await goOnline(agent02);
  const agents = await api(agent, 'GET', '/agents');
  const me = await api(agent, 'GET', '/me');
  const target = agents.items.find((a) => a.state === 'online' && a.id !== (me.id ?? me.user?.id));
  if (!target) throw new Error('agent02 is not listed online');
  run.current = agent;
  await agent.getByTestId('action-transfer').click();
  const modal = agent.getByRole('dialog');
  await modal.waitFor();
  await modal.locator('.ant-radio-button-wrapper', { has: agent.locator('input[value=agent]') }).click();
  await modal.getByTestId('transfer-agent').click();
  await agent.locator(`.ant-select-item-option[title="${target.displayName}（${target.workNumber}）"]`).click();
  await modal.locator('.ant-btn-primary').click();
  await agent.getByTestId('desk-tab').waitFor({ state: 'detached' });

  step = 'agent02 accepts the transferred chat, replies and ends it';
  run.current = agent02;
  await acceptOffer(agent02);
  await agent02.getByTestId('conversation-pane').getByText('你好，我家从早上开始停电了', { exact: true }).waitFor();
  await agent02.getByTestId('reply-input').fill('抢修人员已经出发，预计半小时到达');
  await agent02.getByTestId('reply-input').press('Enter');
  await widget.locator('[role=log]').getByText('抢修人员已经出发').waitFor();
  await agent02.getByTestId('action-end').click();
  // 结束会话 asks for confirmation in a popconfirm.
  await agent02.locator('.ant-popconfirm .ant-btn-primary').click();

  step = 'agent02 wraps up with a reason code';
  const codes = await api(agent02, 'GET', '/reason-codes');
  const leaf = leafReasonCode(codes.items, 'outage');
  await agent02.getByTestId('wrap-up-form').waitFor();
  await agent02.getByTestId('wrap-up-reason').click();
  await agent02.keyboard.type(leaf.nameZh);
  await agent02.locator('.ant-select-tree-title', { hasText: leaf.nameZh }).first().click();
  await shot(agent02, 'live-chat-05-wrap-up');
  await agent02.getByTestId('wrap-up-submit').click();
  await agent02.getByTestId('wrap-up-form').waitFor({ state: 'detached' });
  await shot(customer, 'live-chat-06-widget-ended');

  step = 'the contact is on the customer timeline';
  const timeline = await api(agent02, 'GET', `/customers/${CUSTOMER_ID}/contacts?limit=1`);
  const contact = timeline.items[0];
  if (contact?.channel !== 'chat' || contact.reasonCode !== leaf.code || contact.transferCount !== 1 || contact.status !== 'closed') {
    throw new Error(`unexpected latest contact on the timeline: ${JSON.stringify(contact)}`);
  }
  await agent02.goto(`${BASE_URL}/customers/${CUSTOMER_ID}`);
  await agent02.getByRole('tab', { name: /联络记录/ }).click();
  await agent02.getByTestId('customer-contact').first().waitFor();
  await agent02.getByTestId('customer-contacts').getByText(leaf.nameZh).first().waitFor();
  await shot(agent02, 'live-chat-07-customer-timeline');

  if (run.pageErrors.length) throw new Error(`page errors: ${run.pageErrors.join('; ')}`);
  console.log(`PASS live chat: widget → offer → accept → reply → transfer → end → wrap-up → timeline (${Date.now() - started} ms)`);
  await run.close();
} catch (err) {
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : String(err)}`);
  if (run.current) await shot(run.current, 'live-chat-failure').catch(() => {});
  await run.close();
  process.exit(1);
}
