#!/usr/bin/env node
// End-to-end: an agent signs in, finds a customer by phone and opens the customer's archive.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… node e2e/login-and-find-customer.e2e.mjs
// Needs the seeded customer with phone 13900000001 and a user `agent`. Screenshots go to e2e/screenshots/.
import { BASE_URL, SCREENSHOTS, shot as screenshot, startBrowser } from './lib.mjs';

const USERNAME = process.env.KEFU_E2E_USERNAME ?? 'agent';
const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const PHONE = '13900000001';
const MASKED_PHONE = '139****0001';

if (!PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD to the password of the seeded `agent` user');
  process.exit(2);
}

let step = 'launch the browser';
const run = await startBrowser();
const page = await run.newPage(USERNAME);

const shot = (name) => screenshot(page, name, { fullPage: true });

try {
  step = `open ${BASE_URL}/login`;
  await page.goto(`${BASE_URL}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByTestId('login-username').waitFor();
  await shot('01-login');

  step = `sign in as ${USERNAME}`;
  await page.getByTestId('login-username').fill(USERNAME);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page
      .getByTestId('login-error')
      .waitFor()
      .then(async () => {
        throw new Error(`login rejected: ${((await page.getByTestId('login-error').textContent()) ?? '').trim()}`);
      }),
  ]);

  step = 'reach the customer list';
  if (!new URL(page.url()).pathname.startsWith('/customers')) await page.goto(`${BASE_URL}/customers`);
  const search = page.getByTestId('customer-search').locator('input');
  await search.waitFor();
  await shot('02-customers');

  step = `search customers for ${PHONE}`;
  const searched = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/v1/customers' && url.searchParams.get('q') === PHONE;
  });
  await search.fill(PHONE);
  await search.press('Enter');
  const response = await searched;
  if (!response.ok()) throw new Error(`GET /api/v1/customers?q=${PHONE} answered ${response.status()}: ${await response.text()}`);
  const { items } = await response.json();
  if (!Array.isArray(items) || items.length === 0) throw new Error(`no customer found for ${PHONE}`);
  const row = page.getByTestId('customer-row').filter({ hasText: MASKED_PHONE }).first();
  await row.waitFor();
  const rowText = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
  if (rowText.includes(PHONE)) throw new Error(`the list shows the unmasked phone ${PHONE}`);
  const listedName = ((await row.getByTestId('customer-link').textContent()) ?? '').trim();
  await shot('03-search-result');
  console.log(`search ${PHONE}: ${items.length} result(s); opening ${listedName}`);

  step = 'open the customer';
  await row.getByTestId('customer-link').click();
  await page.waitForURL(/\/customers\/[^/?#]+/);
  const nameEl = page.getByTestId('customer-name');
  await nameEl.waitFor();
  const detailName = ((await nameEl.textContent()) ?? '').trim();
  if (!detailName) throw new Error('the detail page shows no customer name');
  if (detailName !== listedName) throw new Error(`detail shows "${detailName}" but the list showed "${listedName}"`);

  step = `check the masked phone ${MASKED_PHONE} on the detail page`;
  const identities = page.getByTestId('customer-identities');
  await identities.getByText(MASKED_PHONE, { exact: false }).first().waitFor();
  const bodyText = (await page.locator('body').textContent()) ?? '';
  if (bodyText.includes(PHONE)) throw new Error(`the detail page shows the unmasked phone ${PHONE}`);
  await shot('04-customer-detail');

  if (run.pageErrors.length) throw new Error(`uncaught page errors:\n  ${run.pageErrors.join('\n  ')}`);
  console.log(`PASS: ${USERNAME} found "${detailName}" by ${PHONE}; detail shows ${MASKED_PHONE}. Screenshots in ${SCREENSHOTS}`);
  await run.close();
} catch (error) {
  console.error(`FAIL while trying to ${step}: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`  at ${page.url()}`);
  await shot('failure').catch(() => {});
  await run.close();
  process.exit(1);
}
