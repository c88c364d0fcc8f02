#!/usr/bin/env node
// End-to-end: the closed loop of a repair work order (工单闭环) across two roles.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… node e2e/work-order-loop.e2e.mjs
// 1. `agent` finds the customer with phone 13900000001, opens 新建工单 from the customer's page,
//    files a low-voltage fault repair with its custom fields and 立即派单 (suggested department);
// 2. `repair` (urban repair crew) opens the order and records 接单 → 到达现场 → 处理完成;
// 3. `agent` replies to the customer (回复客户), records the follow-up (回访) and archives it.
// Statuses are asserted after every step. Needs the seeded demo center. Screenshots go to e2e/screenshots/.
import { BASE_URL, SCREENSHOTS, shot as screenshot, startBrowser } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const AGENT = process.env.KEFU_E2E_AGENT ?? 'agent';
const REPAIR = process.env.KEFU_E2E_REPAIR ?? 'repair';
const PHONE = '13900000001';
const RUN = new Date().toISOString().slice(11, 19);

if (!PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD to the password of the seeded demo users');
  process.exit(2);
}

let step = 'launch the browser';
const run = await startBrowser();

async function openAs(username) {
  step = `sign in as ${username}`;
  return run.openAs(username, PASSWORD);
}

const shot = (page, name) => screenshot(page, name, { fullPage: true });

/** Picks an option of the antd Select/Cascader popup that is open now. */
async function pickOption(page, text) {
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first();
  await option.waitFor({ state: 'visible' });
  // A click during the dropdown's opening animation can miss on a loaded machine.
  await page.waitForTimeout(200);
  await option.click();
}

async function expectStatus(page, status) {
  await page.locator(`[data-testid="ticket-number"]`).waitFor();
  await page.locator(`.kefu-page-header [data-testid="ticket-status"][data-status="${status}"]`).waitFor();
}

/** Clicks an action button and waits for the server to answer the action. */
async function act(page, type, fill) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/tickets\/[^/]+\/actions$/.test(new URL(r.url()).pathname));
  answered.catch(() => {}); // awaited below; keeps an earlier failure from becoming an unhandled rejection
  await page.getByTestId(`ticket-action-${type}`).first().click();
  if (fill) {
    const modal = page.getByTestId(`ticket-action-modal-${type}`);
    await modal.waitFor();
    await fill(modal);
    await page.getByTestId('ticket-action-submit').click();
  }
  const response = await answered;
  if (!response.ok()) throw new Error(`${type} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

try {
  // ── 1. The agent records the order and dispatches it at once ──
  const agent = await openAs(AGENT);
  step = `find the customer ${PHONE}`;
  await agent.goto(`${BASE_URL}/customers?q=${PHONE}`);
  const row = agent.getByTestId('customer-row').first();
  await row.waitFor();
  await row.getByTestId('customer-link').click();
  await agent.waitForURL(/\/customers\/[^/?#]+/);
  const customerName = ((await agent.getByTestId('customer-name').textContent()) ?? '').trim();
  await agent.getByTestId('customer-timeline').waitFor();

  step = 'open 新建工单 from the customer page';
  await agent.getByTestId('customer-ticket-create').click();
  const drawer = agent.getByTestId('ticket-create-drawer');
  await drawer.waitFor();
  const customerSelect = drawer.getByTestId('ticket-form-customer');
  if (!((await customerSelect.textContent()) ?? '').includes(customerName)) throw new Error(`the customer is not pre-filled with ${customerName}`);

  step = 'choose the category 故障报修 / 低压故障';
  await drawer.getByTestId('ticket-form-category').click();
  await agent.locator('.ant-cascader-menu-item').filter({ hasText: '故障报修' }).first().click();
  await agent.locator('.ant-cascader-menu-item').filter({ hasText: '低压故障' }).first().click();

  step = 'fill the custom fields of the category';
  await drawer.getByTestId('ticket-field-outageScope').waitFor();
  await drawer.getByTestId('ticket-field-outageScope').locator('.ant-select').click();
  await pickOption(agent, '单户');
  await drawer.getByTestId('ticket-field-outageScope').filter({ hasText: '单户' }).waitFor();
  await drawer.getByTestId('ticket-field-safetyHazard').getByText('否', { exact: true }).click();
  await drawer.getByTestId('ticket-field-faultAddress').locator('input').fill('西宁市城中区南大街18号3号楼2单元301室');

  step = 'describe the request';
  await drawer.getByTestId('ticket-form-title').fill(`E2E 家中停电 ${RUN}`);
  await drawer.getByTestId('ticket-form-description').fill(`客户来电反映家中停电，邻居有电，疑似表后线路故障。（e2e ${RUN}）`);

  step = 'choose 立即派单 and wait for the suggested department';
  await drawer.getByTestId('ticket-form-dispatch').click();
  await drawer.getByTestId('dispatch-suggestion').waitFor();
  const department = ((await drawer.getByTestId('dispatch-department').textContent()) ?? '').trim();
  if (!department) throw new Error('the suggested department was not filled in');
  await shot(agent, 'loop-01-create-order');

  step = 'submit the new order';
  const created = agent.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/tickets');
  created.catch(() => {});
  await drawer.getByTestId('ticket-create-submit').click();
  const createdResponse = await created;
  if (createdResponse.status() !== 201) throw new Error(`POST /api/v1/tickets answered ${createdResponse.status()}: ${await createdResponse.text()}`);
  const ticket = await createdResponse.json();
  if (ticket.outcome !== 'created') throw new Error(`expected outcome "created", got ${ticket.outcome}`);
  await agent.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
  await expectStatus(agent, 'dispatched');
  const shownNumber = ((await agent.getByTestId('ticket-number').textContent()) ?? '').trim();
  if (shownNumber !== ticket.number) throw new Error(`detail shows ${shownNumber}, server created ${ticket.number}`);
  console.log(`${AGENT} created ${ticket.number} for ${customerName}, dispatched to ${ticket.department?.name ?? department}`);
  await shot(agent, 'loop-02-dispatched');

  // ── 2. The repair crew accepts, arrives and reports the result ──
  const repair = await openAs(REPAIR);
  step = `${REPAIR} finds ${ticket.number} among the department's open orders`;
  await repair.waitForURL(/\/tickets/);
  const search = repair.getByTestId('ticket-search').locator('input');
  await search.waitFor();
  await search.fill(ticket.number);
  await search.press('Enter');
  const listed = repair.locator(`[data-testid="ticket-row"][data-ticket-id="${ticket.id}"]`);
  await listed.waitFor();
  await shot(repair, 'loop-03-repair-list');
  await listed.getByTestId('ticket-link').click();
  await repair.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
  await expectStatus(repair, 'dispatched');
  await repair.getByTestId('ticket-handler-bar').waitFor();
  await shot(repair, 'loop-04-repair-order');

  step = `${REPAIR} records 接单`;
  await act(repair, 'accept_dispatch');
  await expectStatus(repair, 'in_progress');

  step = `${REPAIR} records 到达现场`;
  await act(repair, 'arrive');
  await repair.locator('[data-testid="ticket-event"][data-type="arrived"]').waitFor();
  await expectStatus(repair, 'in_progress');

  step = `${REPAIR} records 处理完成`;
  await act(repair, 'handle', (modal) => modal.getByTestId('ticket-action-text').fill('更换烧毁的进户线熔断器，已恢复供电。'));
  await expectStatus(repair, 'handled');
  await shot(repair, 'loop-05-handled');

  // ── 3. The agent replies to the customer, follows up and archives ──
  step = `${AGENT} reloads the order`;
  run.current = agent;
  await agent.reload();
  await expectStatus(agent, 'handled');

  step = `${AGENT} replies to the customer`;
  await act(agent, 'reply', (modal) => modal.getByTestId('ticket-action-text').fill('您好，抢修人员已更换进户线熔断器，您家已恢复供电。如仍有问题请拨打 95598。'));
  await expectStatus(agent, 'replied');
  await agent.locator('[data-testid="ticket-event"][data-type="replied"] [data-testid="event-customer-visible"]').waitFor();

  step = `${AGENT} records the follow-up`;
  await act(agent, 'follow_up', async (modal) => {
    await modal.getByTestId('follow-up-satisfied').click();
    await modal.getByTestId('ticket-action-text').fill('客户表示满意。');
  });
  await expectStatus(agent, 'followed_up');

  step = `${AGENT} archives the order`;
  const archived = agent.waitForResponse((r) => r.request().method() === 'POST' && /\/actions$/.test(new URL(r.url()).pathname));
  archived.catch(() => {});
  await agent.getByTestId('ticket-action-archive').click();
  await agent.getByTestId('ticket-archive-confirm').click();
  if (!(await archived).ok()) throw new Error('archive was refused');
  await expectStatus(agent, 'archived');
  await shot(agent, 'loop-06-archived');

  if (run.pageErrors.length) throw new Error(`uncaught page errors:\n  ${run.pageErrors.join('\n  ')}`);
  console.log(`PASS: ${ticket.number} went accepted → dispatched → in_progress (arrived) → handled → replied → followed_up → archived. Screenshots in ${SCREENSHOTS}`);
  await run.close();
} catch (error) {
  console.error(`FAIL while trying to ${step}: ${error instanceof Error ? error.message : String(error)}`);
  if (run.current) {
    console.error(`  at ${run.current.url()}`);
    await shot(run.current, 'loop-failure').catch(() => {});
  }
  await run.close();
  process.exit(1);
}
