#!/usr/bin/env node
// End-to-end: 系统管理 → SLA 策略 and 工作日历, as the administrator.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_ADMIN_PASSWORD=… node e2e/sla-settings.e2e.mjs
// 1. `admin` opens SLA 策略: one row per policy of GET /sla-policies, grouped by category;
// 2. a complaint order recorded now must contact the customer within 24 h (natural time);
// 3. in the edit drawer of the 投诉 policy the 联系客户 target becomes 2 h and is saved (PATCH);
// 4. a complaint order recorded afterwards gets a contact deadline 2 h after it was recorded, the
//    earlier order keeps its 24 h;
// 5. 工作日历: the working-day calendar shows the 2026 holidays (33 days) and swapped working days (6);
//    an invalid range is refused before saving; a 2027 holiday break is added, saved, removed, saved.
// The policy and calendar are put back as they were at the end. Screenshots go to e2e/screenshots/.
import { api as pageApi, BASE_URL, SCREENSHOTS, shot as screenshot, signIn, startBrowser } from './lib.mjs';

const ADMIN = process.env.KEFU_E2E_ADMIN ?? 'admin';
const PASSWORD = process.env.KEFU_E2E_ADMIN_PASSWORD;
const HOUR_MS = 3_600_000;

if (!PASSWORD) {
  console.error('FAIL: set KEFU_E2E_ADMIN_PASSWORD to the password of the admin user');
  process.exit(2);
}

let step = 'launch the browser';
const started = Date.now();
const run = await startBrowser();
const page = await run.newPage(ADMIN);

const shot = (name) => screenshot(page, name, { fullPage: true });
/** A request through the signed-in page, so the session cookie goes along. */
const api = (method, path, body) => pageApi(page, method, path, body);
const visibleOptions = () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');

/** Clicks a 系统管理 entry of the sider, unfolding the group first when it is folded. */
async function openAdminNav(key) {
  const item = page.getByTestId(`nav-${key}`);
  await page.getByTestId('nav-admin').waitFor();
  await page.waitForTimeout(300); // let the menu finish unfolding before judging
  if (!(await item.isVisible())) await page.getByTestId('nav-admin').click();
  await item.click();
}

let policyBefore = null;
let calendarBefore = null;

/** Records a complaint order for the first customer; answers it with its contact deadline. */
async function createComplaint(customerId, categoryCode, label) {
  const order = await api('POST', '/tickets', { customerId, categoryCode, priority: 'normal', channel: 'phone', description: `e2e 时限策略验证：${label}` });
  const created = Date.parse(order.times.createdAt);
  const due = order.sla.due.contact ? Date.parse(order.sla.due.contact) : null;
  return { id: order.id, number: order.number, hours: due === null ? null : (due - created) / HOUR_MS };
}

try {
  step = `sign in as ${ADMIN}`;
  await signIn(page, BASE_URL, ADMIN, PASSWORD);

  // ── 1. The policy list ──
  step = 'open 系统管理 → SLA 策略';
  await openAdminNav('sla-policies');
  await page.waitForURL((url) => url.pathname === '/admin/sla-policies');
  await page.getByTestId('sla-policy-row').first().waitFor();
  const { items: policies } = await api('GET', '/sla-policies');
  const rowCount = await page.getByTestId('sla-policy-row').count();
  if (rowCount !== policies.length) throw new Error(`the table lists ${rowCount} policies, the API ${policies.length}`);
  const complaint = policies.find((p) => p.categoryPrefix === 'complaint' && p.priority === null && p.areaKind === null);
  if (!complaint) throw new Error('no general complaint policy: is the demo center seeded?');
  policyBefore = complaint;
  const rowCategories = await page.getByTestId('sla-policy-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
  const groups = rowCategories.filter((c, i) => c !== rowCategories[i - 1]);
  if (new Set(groups).size !== groups.length) throw new Error(`rows of one category are not together: ${groups.join(', ')}`);
  await shot('sla-01-policies');

  // ── 2. An order recorded under the current policy ──
  step = 'record a complaint order under the current policy';
  const customer = (await api('GET', '/customers?limit=1')).items[0];
  const categories = (await api('GET', '/ticket-categories')).items;
  const leaf = categories.find((c) => c.code === 'complaint')?.children[0]?.code;
  if (!customer || !leaf) throw new Error('no customer or complaint sub-category to record an order with');
  const original = complaint.targets.contact;
  const before = await createComplaint(customer.id, leaf, '修改前');
  console.log(`before: ${before.number} must contact the customer within ${before.hours} h (policy: ${JSON.stringify(original)})`);

  // ── 3. Edit the 联系客户 target ──
  step = 'open the 投诉 policy in the edit drawer';
  const row = page.locator(`[data-testid="sla-policy-row"][data-policy-id="${complaint.id}"]`);
  await row.getByTestId('sla-policy-edit').click();
  const drawer = page.getByTestId('sla-policy-drawer');
  await drawer.waitFor();
  await drawer.getByTestId('sla-targets').waitFor();

  step = 'set 联系客户 to 2 hours, natural time';
  if (!(await drawer.getByTestId('sla-target-contact-enabled').isChecked())) await drawer.getByTestId('sla-target-contact-enabled').click();
  const amount = drawer.locator('[data-testid="sla-target-contact-amount"] input, input[data-testid="sla-target-contact-amount"]').first();
  await amount.fill('2');
  for (const [testId, label] of [
    ['sla-target-contact-unit', '小时'],
    ['sla-target-contact-clock', '自然时间'],
  ]) {
    await drawer.getByTestId(testId).click();
    await visibleOptions().filter({ hasText: new RegExp(`^${label}$`) }).first().click();
  }
  await shot('sla-02-drawer');

  step = 'save the policy';
  const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/sla-policies/${complaint.id}`);
  patched.catch(() => {});
  await page.getByTestId('sla-policy-save').click();
  const response = await patched;
  if (!response.ok()) throw new Error(`PATCH answered ${response.status()}: ${await response.text()}`);
  const sent = JSON.parse(response.request().postData() ?? '{}');
  if (Object.keys(sent).join() !== 'targets') throw new Error(`the drawer sent ${Object.keys(sent).join(', ')}, expected only the targets`);
  if (JSON.stringify(sent.targets.contact) !== JSON.stringify({ amount: 2, unit: 'hours', clock: 'natural' })) throw new Error(`contact sent as ${JSON.stringify(sent.targets.contact)}`);
  const norm = (x) => (x ? JSON.stringify([x.amount, x.unit, x.clock ?? 'business', x.after ?? null]) : 'none');
  for (const m of new Set([...Object.keys(complaint.targets), ...Object.keys(sent.targets)])) {
    if (m !== 'contact' && norm(sent.targets[m]) !== norm(complaint.targets[m])) throw new Error(`the ${m} target changed from ${norm(complaint.targets[m])} to ${norm(sent.targets[m])}`);
  }
  await drawer.waitFor({ state: 'detached' });
  await page.waitForFunction((id) => document.querySelector(`[data-policy-id="${id}"] [data-testid="sla-policy-targets"]`)?.textContent?.includes('联系 2小时'), complaint.id);
  await shot('sla-03-saved');

  // ── 4. New orders get the new deadline ──
  step = 'record a complaint order under the edited policy';
  const after = await createComplaint(customer.id, leaf, '修改后');
  console.log(`after:  ${after.number} must contact the customer within ${after.hours} h`);
  if (after.hours === null || Math.abs(after.hours - 2) > 1 / 60) throw new Error(`the new order's contact deadline is ${after.hours} h after it was recorded, expected 2 h`);
  const earlier = await api('GET', `/tickets/${before.id}`);
  const keptHours = (Date.parse(earlier.sla.due.contact) - Date.parse(earlier.times.createdAt)) / HOUR_MS;
  if (keptHours !== before.hours) throw new Error(`${before.number} now has ${keptHours} h to contact the customer, it was recorded with ${before.hours} h`);

  // ── 5. Calendars ──
  step = 'open 系统管理 → 工作日历';
  await openAdminNav('calendars');
  await page.waitForURL((url) => url.pathname === '/admin/calendars');
  const { items: calendars } = await api('GET', '/calendars');
  const workdays = calendars.find((c) => c.code === 'workdays');
  if (!workdays) throw new Error('no working-day calendar');
  calendarBefore = workdays;
  await page.locator('[data-testid="calendar-row"][data-code="workdays"]').click();
  const editor = page.getByTestId('calendar-editor');
  const holidays2026 = editor.locator('[data-testid="holidays-year"][data-year="2026"] [data-testid="date-tag"]');
  await holidays2026.first().waitFor();
  if ((await holidays2026.count()) !== 33) throw new Error(`2026 lists ${await holidays2026.count()} holidays, expected 33`);
  const swapped = await editor.locator('[data-testid="workdays-year"][data-year="2026"] [data-testid="date-tag"]').count();
  if (swapped !== 6) throw new Error(`2026 lists ${swapped} swapped working days, expected 6`);
  await shot('sla-04-calendar');

  step = 'an invalid range is refused before saving';
  const mondayEnd = editor.locator('[data-testid="weekday-row"][data-weekday="1"] [data-testid="range-end"] input').first();
  await mondayEnd.fill('07:00');
  await editor.getByTestId('calendar-problems').waitFor();
  if (await editor.getByTestId('calendar-save').isEnabled()) throw new Error('the save button is enabled with an invalid range');
  await mondayEnd.fill('12:00');
  await editor.getByTestId('calendar-problems').waitFor({ state: 'detached' });

  step = 'add the 2027 New Year break';
  const rangeInputs = editor.locator('[data-testid="holiday-range"] input, .ant-picker-range input').filter({ visible: true });
  await rangeInputs.nth(0).click();
  await rangeInputs.nth(0).fill('2027-01-01');
  await rangeInputs.nth(0).press('Enter');
  await rangeInputs.nth(1).fill('2027-01-03');
  await rangeInputs.nth(1).press('Enter');
  await editor.getByTestId('holidays-add').click();
  const holidays2027 = editor.locator('[data-testid="holidays-year"][data-year="2027"] [data-testid="date-tag"]');
  await holidays2027.nth(2).waitFor();
  await shot('sla-05-calendar-added');
  const savedCal = page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/calendars/${workdays.id}`);
  savedCal.catch(() => {});
  await editor.getByTestId('calendar-save').click();
  const calResponse = await savedCal;
  if (!calResponse.ok()) throw new Error(`PATCH calendar answered ${calResponse.status()}: ${await calResponse.text()}`);
  const stored = (await api('GET', '/calendars')).items.find((c) => c.id === workdays.id);
  for (const d of ['2027-01-01', '2027-01-02', '2027-01-03']) if (!stored.definition.holidays.includes(d)) throw new Error(`${d} was not saved as a holiday`);
  if (stored.definition.holidays.length !== workdays.definition.holidays.length + 3) throw new Error('saving changed other holidays');

  step = 'remove the 2027 break again';
  await editor.locator('[data-testid="holidays-year"][data-year="2027"]').getByRole('button', { name: /删除该年/ }).click();
  await page.locator('.ant-popconfirm:not(.ant-popover-hidden) .ant-btn-primary').click();
  await editor.locator('[data-testid="holidays-year"][data-year="2027"]').waitFor({ state: 'detached' });
  const savedAgain = page.waitForResponse((r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === `/api/v1/calendars/${workdays.id}`);
  await editor.getByTestId('calendar-save').click();
  if (!(await savedAgain).ok()) throw new Error('saving the calendar again failed');
  const restored = (await api('GET', '/calendars')).items.find((c) => c.id === workdays.id);
  if (JSON.stringify([...restored.definition.holidays].sort()) !== JSON.stringify([...workdays.definition.holidays].sort())) throw new Error('the holidays are not back as they were');
  calendarBefore = null;

  if (run.pageErrors.length) throw new Error(`uncaught page errors:\n  ${run.pageErrors.join('\n  ')}`);
  console.log(
    `PASS in ${((Date.now() - started) / 1000).toFixed(1)} s: ${policies.length} policies listed; 投诉 联系客户 ${before.hours} h → 2 h; ${before.number} kept ${before.hours} h, ${after.number} got ${after.hours} h; 2027 holidays added and removed. Screenshots in ${SCREENSHOTS}`,
  );
} catch (error) {
  console.error(`FAIL while trying to ${step}: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`  at ${page.url()}`);
  await shot('sla-failure').catch(() => {});
  process.exitCode = 1;
} finally {
  // Put the demo center back as it was, whatever happened.
  if (policyBefore) await api('PATCH', `/sla-policies/${policyBefore.id}`, { targets: policyBefore.targets }).catch((e) => console.error(`could not restore the policy: ${e}`));
  if (calendarBefore) await api('PATCH', `/calendars/${calendarBefore.id}`, { definition: calendarBefore.definition }).catch((e) => console.error(`could not restore the calendar: ${e}`));
  await run.close();
}
