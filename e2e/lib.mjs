// Shared by the e2e/*.e2e.mjs scripts: Debian's Chromium and the sign-in form.
import { chromium } from 'playwright-core';

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
