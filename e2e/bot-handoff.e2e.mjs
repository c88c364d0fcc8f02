#!/usr/bin/env node
// End-to-end: the self-service bot answers first and hands off to a person with the whole story.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… node e2e/bot-handoff.e2e.mjs
// 1. `agent` opens 坐席工作台 and goes online;
// 2. a customer on the demo site asks the bot how to pay by WeChat and gets an answer from the
//    public knowledge base with a link to the help center article;
// 3. the customer asks something the knowledge base cannot answer: the bot says so;
// 4. the customer presses 转人工: the offer rings at the agent, who accepts and sees the bot
//    transcript, the internal hand-off summary and a suggested article in 坐席辅助, puts its
//    summary into the reply with one click and sends it;
// 5. the help center article the bot linked to opens for the public.
// Needs the seeded demo center. Screenshots go to e2e/screenshots/.
import { acceptOffer, BASE_URL, goOnline, shot, startBrowser, wrapUpAndGoOffline } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const CUSTOMER_PHONE = '13900000002';
const ANSWERABLE = '电费可以用微信交吗？';
const UNANSWERABLE = '火星基地的飞船票价是多少';

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

  step = 'customer asks the bot a question it can answer';
  const customer = await run.newPage('customer');
  await customer.goto(`${BASE_URL}/widget/demo`);
  const widget = customer.locator('#kefu-widget');
  await widget.locator('button.la').click();
  const form = widget.locator('form');
  await form.waitFor();
  await form.locator('input[autocomplete=name]').fill('李女士');
  await form.locator('input[type=tel]').fill(CUSTOMER_PHONE);
  await form.locator('select').selectOption('billing');
  await form.locator('button.btn').click();
  const input = widget.locator('textarea');
  await input.waitFor();
  const log = widget.locator('[role=log]');
  const bots = log.locator('.m.bot');
  // The first message starts the conversation: the bot greets, then answers with a help center link.
  await input.fill(ANSWERABLE);
  await widget.locator('button.se').click();
  const answer = bots.filter({ has: customer.locator('a[href*="/help/"]') }).first();
  await answer.waitFor();
  const link = answer.locator('a[href*="/help/"]');
  const articleHref = await link.getAttribute('href');
  const answerText = (await answer.textContent()) ?? '';
  if (!/微信/.test(answerText)) throw new Error(`the bot's answer does not talk about WeChat: ${answerText}`);
  await shot(customer, 'bot-01-answer');

  step = 'customer asks something the knowledge base cannot answer';
  const answered = await bots.count();
  await input.fill(UNANSWERABLE);
  await widget.locator('button.se').click();
  await bots.nth(answered).waitFor();
  await bots.nth(answered).getByText(/没听懂|没有找到|不太明白/).waitFor();
  await shot(customer, 'bot-02-fallback');

  step = 'customer presses 转人工 and the offer rings at the agent';
  await widget.locator('button.hu').click();
  run.current = agent;
  await acceptOffer(agent);
  const pane = agent.getByTestId('conversation-pane');
  await pane.waitFor();

  step = 'the agent sees the bot transcript, the hand-off summary and a suggested article';
  await pane.getByText(ANSWERABLE).first().waitFor();
  await pane.getByText(UNANSWERABLE).first().waitFor();
  await pane.getByText(/智能助手转人工/).first().waitFor();
  const suggested = agent.getByTestId('assist-article');
  await suggested.first().waitFor();
  const titles = (await agent.getByTestId('assist-articles').textContent()) ?? '';
  if (!/微信|缴费|交费|电费/.test(titles)) throw new Error(`no payment article among the suggestions: ${titles}`);
  await shot(agent, 'bot-03-agent-transcript-and-assist');

  step = 'the agent puts a suggested article summary into the reply and sends it';
  await agent.getByTestId('assist-insert-summary').first().click();
  const reply = agent.getByTestId('reply-input');
  await agent.waitForFunction(() => (document.querySelector('[data-testid=reply-input]')?.value ?? '').length > 10);
  const summary = await reply.inputValue();
  await reply.press('Enter');
  await log.getByText(summary.slice(0, 12)).first().waitFor();
  await agent.getByTestId('reply-input').fill('您好，我是王晓燕，微信缴费的步骤我再跟您确认一下');
  await agent.getByTestId('reply-input').press('Enter');
  await log.getByText('微信缴费的步骤我再跟您确认一下').waitFor();
  await shot(customer, 'bot-04-widget-human-reply');

  step = 'the help center article the bot linked opens for the public';
  const visitor = await run.newPage('help-center');
  const response = await visitor.goto(new URL(articleHref, BASE_URL).toString());
  if (response?.status() !== 200) throw new Error(`help center article answered ${response?.status()}`);
  await visitor.locator('h1').waitFor();
  await shot(visitor, 'bot-05-help-center-article');

  step = 'the agent ends and wraps up, then goes offline for the next test';
  run.current = agent;
  await wrapUpAndGoOffline(agent);

  if (run.pageErrors.length) throw new Error(`page errors: ${run.pageErrors.join('; ')}`);
  console.log(`PASS bot hand-off: bot answer → fallback → 转人工 → agent sees transcript + suggestion → reply → help center (${Date.now() - started} ms)`);
  await run.close();
} catch (err) {
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : String(err)}`);
  if (run.current) await shot(run.current, 'bot-handoff-failure').catch(() => {});
  await run.close();
  process.exit(1);
}
