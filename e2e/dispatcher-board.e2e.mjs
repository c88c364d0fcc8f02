#!/usr/bin/env node
// End-to-end: the dispatcher's desk (派单台) and the supervisor board (工单监控).
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… node e2e/dispatcher-board.e2e.mjs
// 1. `supervisor` opens 工单监控: the four cards match GET /tickets/board, the department rows add up to
//    the open total, and the 已超时 card opens the order list filtered to breached orders;
// 2. `dispatcher` opens 派单台 → 待派单, ticks two orders and bulk-dispatches them to one department
//    (KEFU_E2E_DEPARTMENT, default 营业厅); both results are "dispatched" and the rows leave the queue;
// 3. `supervisor` reloads the board: 待派单 went down by the two orders.
// Needs the seeded demo center. Screenshots go to e2e/screenshots/.
import { api, BASE_URL, SCREENSHOTS, shot as screenshot, startBrowser } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const SUPERVISOR = process.env.KEFU_E2E_SUPERVISOR ?? 'supervisor';
const DISPATCHER = process.env.KEFU_E2E_DISPATCHER ?? 'dispatcher';
const DEPARTMENT = process.env.KEFU_E2E_DEPARTMENT ?? '营业厅';

if (!PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD to the password of the seeded demo users');
  process.exit(2);
}

let step = 'launch the browser';
const started = Date.now();
const run = await startBrowser();

async function openAs(username) {
  step = `sign in as ${username}`;
  return run.openAs(username, PASSWORD);
}

const shot = (page, name) => screenshot(page, name, { fullPage: true });
const count = async (locator) => Number(await locator.getAttribute('data-count'));

/** Opens 工单监控 and checks the cards against the API; answers the API's board. */
async function readBoard(page) {
  step = 'open 工单监控';
  await page.goto(`${BASE_URL}/board`);
  await page.getByTestId('board-card-open').waitFor();
  await page.getByTestId('board-department-row').first().waitFor();
  const board = await api(page, 'GET', '/tickets/board');
  const open = Object.values(board.byStatus).reduce((a, b) => a + b, 0);
  const shown = {
    open: await count(page.getByTestId('board-card-open')),
    awaiting: await count(page.getByTestId('board-card-awaiting')),
    atRisk: await count(page.getByTestId('board-card-at-risk')),
    breached: await count(page.getByTestId('board-card-breached')),
  };
  const expected = { open, awaiting: board.awaitingDispatch, atRisk: board.bySla.at_risk ?? 0, breached: board.bySla.breached ?? 0 };
  if (JSON.stringify(shown) !== JSON.stringify(expected)) throw new Error(`the board shows ${JSON.stringify(shown)}, the API says ${JSON.stringify(expected)}`);
  const rows = await page.getByTestId('board-department-open').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  const sum = rows.reduce((a, b) => a + b, 0);
  if (sum !== open) throw new Error(`department rows add up to ${sum}, the open total is ${open}`);
  return shown;
}

try {
  // ── 1. The supervisor's board ──
  const supervisor = await openAs(SUPERVISOR);
  const before = await readBoard(supervisor);
  if (before.open === 0) throw new Error('the board shows no open orders: is the demo center seeded?');
  console.log(`${SUPERVISOR} board: open ${before.open}, awaiting dispatch ${before.awaiting}, at risk ${before.atRisk}, breached ${before.breached}`);
  await shot(supervisor, 'board-01-supervisor');

  step = 'follow the 已超时 card to the filtered order list';
  await supervisor.getByTestId('board-card-breached').click();
  await supervisor.waitForURL((url) => url.pathname === '/tickets' && url.searchParams.get('sla') === 'breached');
  if (before.breached > 0) await supervisor.getByTestId('ticket-row').first().waitFor();

  // ── 2. The dispatcher bulk-dispatches two orders ──
  const dispatcher = await openAs(DISPATCHER);
  step = 'open 派单台 → 待派单';
  await dispatcher.getByTestId('nav-dispatch').click();
  await dispatcher.waitForURL((url) => url.pathname === '/dispatch');
  await dispatcher.getByTestId('dispatch-tab-unassigned').waitFor();
  const rows = dispatcher.getByTestId('dispatch-row');
  await rows.first().waitFor();
  if ((await rows.count()) < 2) throw new Error('fewer than two orders wait for dispatch');
  const statuses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  const stray = statuses.find((s) => s !== 'accepted' && s !== 'returned');
  if (stray) throw new Error(`the unassigned view lists an order in status ${stray}`);

  step = 'tick two orders';
  const ids = [];
  for (const i of [0, 1]) {
    const row = rows.nth(i);
    ids.push(await row.getAttribute('data-ticket-id'));
    await row.locator('.ant-checkbox-input').check();
  }
  const selected = dispatcher.getByTestId('bulk-dispatch-count');
  await dispatcher.locator('[data-testid="bulk-dispatch-count"][data-count="2"]').waitFor();
  await shot(dispatcher, 'board-02-dispatch-selected');

  step = `bulk-dispatch them to ${DEPARTMENT}`;
  await dispatcher.getByTestId('bulk-dispatch-open').click();
  const modal = dispatcher.getByTestId('bulk-dispatch-modal');
  await modal.waitFor();
  await modal.getByTestId('bulk-dispatch-mode-department').click();
  await modal.getByTestId('bulk-dispatch-department').click();
  const options = dispatcher.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  await options.first().waitFor();
  // A click during the dropdown's opening animation can miss on a loaded machine.
  await dispatcher.waitForTimeout(200);
  const wanted = options.filter({ hasText: DEPARTMENT });
  const choice = (await wanted.count()) ? wanted.first() : options.first();
  const chosenName = ((await choice.textContent()) ?? '').trim();
  await choice.click();
  await modal.getByTestId('bulk-dispatch-department').filter({ hasText: chosenName }).waitFor();
  await modal.getByTestId('bulk-dispatch-instructions').fill('e2e 批量派单：请尽快联系客户。');
  const answered = dispatcher.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/tickets/bulk-dispatch');
  answered.catch(() => {});
  await dispatcher.getByTestId('bulk-dispatch-submit').click();
  const response = await answered;
  if (!response.ok()) throw new Error(`bulk-dispatch answered ${response.status()}: ${await response.text()}`);
  const body = await response.json();
  const sent = JSON.parse(response.request().postData() ?? '{}');
  if ([...sent.ticketIds].sort().join() !== [...ids].sort().join()) throw new Error(`sent ${sent.ticketIds}, ticked ${ids}`);

  step = 'read the per-order results';
  const results = dispatcher.getByTestId('bulk-dispatch-results');
  await results.waitFor();
  const failed = body.results.filter((r) => !r.ok);
  if (body.dispatched !== 2 || failed.length) throw new Error(`expected 2 dispatched, got ${body.dispatched}: ${JSON.stringify(failed)}`);
  if ((await dispatcher.locator('[data-testid="bulk-dispatch-result"][data-ok="true"]').count()) !== 2) throw new Error('the results do not list both orders as dispatched');
  await shot(dispatcher, 'board-03-dispatch-results');
  await dispatcher.getByTestId('bulk-dispatch-done').click();

  step = 'the dispatched orders leave the queue';
  for (const id of ids) await dispatcher.locator(`[data-testid="dispatch-row"][data-ticket-id="${id}"]`).waitFor({ state: 'detached' });
  if ((await count(selected)) !== 0) throw new Error('the selection was not cleared after a fully successful dispatch');
  for (const id of ids) {
    const t = await api(dispatcher, 'GET', `/tickets/${id}`);
    if (t.status !== 'dispatched') throw new Error(`${t.number} is ${t.status}, expected dispatched`);
  }
  console.log(`${DISPATCHER} bulk-dispatched ${body.results.map((r) => r.number).join(', ')}`);

  // ── 3. The board follows ──
  run.current = supervisor;
  const after = await readBoard(supervisor);
  if (after.awaiting > before.awaiting - 2) throw new Error(`待派单 went from ${before.awaiting} to ${after.awaiting}, expected at most ${before.awaiting - 2}`);
  await shot(supervisor, 'board-04-after');

  if (run.pageErrors.length) throw new Error(`uncaught page errors:\n  ${run.pageErrors.join('\n  ')}`);
  console.log(`PASS in ${((Date.now() - started) / 1000).toFixed(1)} s: board counts match the API; 2 orders bulk-dispatched; 待派单 ${before.awaiting} → ${after.awaiting}. Screenshots in ${SCREENSHOTS}`);
  await run.close();
} catch (error) {
  console.error(`FAIL while trying to ${step}: ${error instanceof Error ? error.message : String(error)}`);
  if (run.current) {
    console.error(`  at ${run.current.url()}`);
    await shot(run.current, 'board-failure').catch(() => {});
  }
  await run.close();
  process.exit(1);
}
