import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, with every background connection off: this machine has no
 * network, and a test must notice any request that leaves 127.0.0.1.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Logs in to the console at `origin` through its login form, and waits for the page a login
 * lands on (`landing`, a path; the Overview unless the user must first change a password).
 */
export async function logInToConsole(page: Page, origin: string, user: { email: string; password: string }, landing = '/dashboard/overview'): Promise<void> {
  await page.goto(`${origin}/dashboard/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await Promise.all([page.waitForURL(`${origin}${landing}`), page.getByRole('button', { name: 'Log in' }).click()]);
}
