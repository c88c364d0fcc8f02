// Shared by the e2e/*.e2e.mjs scripts: Debian's Chromium, the sign-in form, pages with their errors
// collected, screenshots, API calls (through a signed-in page or from Node with a session cookie)
// and the desk steps (go online, accept an offer, end and wrap up).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.KEFU_E2E_URL ?? 'http://localhost:3000').replace(/\/$/, '');
export const TIMEOUT_MS = Number(process.env.KEFU_E2E_TIMEOUT_MS ?? 15_000);
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Signs in through the login page; rejects with the page's own message when the login is refused. */
export async function signIn(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/login`, { waitUntil: 'domcontentloaded' });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
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
}

/**
 * Launches Chromium for one script. `newPage(who)` opens a page in a fresh context (zh-CN, 1440×900)
 * whose uncaught errors land in `pageErrors`; `current` is the page to screenshot when a step fails
 * (the last page opened, or whatever the script sets).
 */
export async function startBrowser() {
  const browser = await launchChromium();
  const run = {
    browser,
    /** Uncaught errors of every page, prefixed with who was using it. */
    pageErrors: [],
    current: null,
    async newPage(who) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT_MS);
      page.on('pageerror', (err) => run.pageErrors.push(`${who}: ${String(err)}`));
      run.current = page;
      return page;
    },
    /** A new page signed in as `username`. */
    async openAs(username, password) {
      const page = await run.newPage(username);
      await signIn(page, BASE_URL, username, password);
      return page;
    },
    close: () => browser.close(),
  };
  return run;
}

let screenshotsReady = false;
/** Saves a screenshot as e2e/screenshots/<name>.png (the visible viewport unless fullPage). */
export function shot(page, name, { fullPage = false } = {}) {
  if (!screenshotsReady) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    screenshotsReady = true;
  }
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * A request to /api/v1 through a signed-in page, so its session cookie goes along. Answers the
 * parsed JSON (null for an empty body); rejects with the status and body when not 2xx.
 */
export function api(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(`/api/v1${p}`, { method: m, credentials: 'include', headers: b ? { 'content-type': 'application/json' } : {}, body: b ? JSON.stringify(b) : undefined });
      const text = await r.text();
      if (!r.ok) throw new Error(`${m} ${p} answered ${r.status}: ${text.slice(0, 500)}`);
      return text ? JSON.parse(text) : null;
    },
    [method, path, body],
  );
}

/**
 * Signs in through the API from Node (no browser) and answers `call(method, path, body)`, which
 * works like `api` with the session cookie of that login.
 */
export async function apiSession(username, password, baseUrl = BASE_URL) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`login of ${username} answered ${login.status}: ${(await login.text()).slice(0, 500)}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie) throw new Error(`login of ${username} set no session cookie`);
  return async function call(method, path, body) {
    const r = await fetch(`${baseUrl}/api/v1${path}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Opens 坐席工作台 and switches the presence to online. */
export async function goOnline(page) {
  await page.goto(`${BASE_URL}/desk`);
  await page.getByTestId('desk-presence-bar').waitFor();
  await page.getByTestId('presence-switch').click();
  await page.getByTestId('presence-online').click();
  await page.locator('[data-testid=presence-switch][data-state=online]').waitFor();
}

/**
 * Waits for a ringing offer at the desk and accepts it; answers the contact id. With `contactId`,
 * that contact's offer; else the first one.
 */
export async function acceptOffer(page, contactId) {
  const card = contactId ? page.locator(`[data-testid=offer-card][data-contact-id="${contactId}"]`) : page.getByTestId('offer-card').first();
  await card.waitFor();
  const id = await card.getAttribute('data-contact-id');
  await card.getByTestId('offer-accept').click();
  return id;
}

/** A reason code without children (what a wrap-up needs) from GET /reason-codes, preferably under `parentCode`. */
export function leafReasonCode(items, parentCode) {
  const parents = new Set(items.map((c) => c.parentCode).filter(Boolean));
  const leaves = items.filter((c) => c.parentCode && !parents.has(c.code));
  return (parentCode && leaves.find((c) => c.parentCode === parentCode)) || leaves[0];
}

/**
 * Ends and wraps up (resolved, with a leaf reason code) every contact the page's agent holds
 * active, through the API, then sets the agent offline so the next script starts clean. Answers
 * the ids it wrapped up; rejects when the agent holds none.
 */
export async function wrapUpAndGoOffline(page) {
  const desk = await api(page, 'GET', '/agent/desk');
  const held = desk.contacts.filter((c) => c.status === 'active');
  if (held.length === 0) throw new Error('the agent holds no active contact');
  const leaf = leafReasonCode((await api(page, 'GET', '/reason-codes')).items);
  for (const contact of held) {
    await api(page, 'POST', `/contacts/${contact.id}/end`, {});
    await api(page, 'POST', `/contacts/${contact.id}/wrap-up`, { reasonCode: leaf.code, outcome: 'resolved' });
  }
  await api(page, 'PUT', '/agent/presence', { state: 'offline' });
  return held.map((c) => c.id);
}
