import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.ts';
import { freePort } from '../support/postgres-server.ts';
import { pause } from '../support/until.ts';

/** `npm run demo`, driven in Chromium from the one URL it prints to a refunded order. */
describe('npm run demo', () => {
  let demo: ChildProcess;
  let browser: Browser;
  let url = '';
  let output = '';

  beforeAll(async () => {
    const [port, shopPort] = [await freePort(), await freePort()];
    const env = { ...process.env };
    delete env.DATA_DIR;
    delete env.DATABASE_URL;
    demo = spawn('npm', ['run', '--silent', 'demo', '--', '--port', String(port), '--shop-port', String(shopPort)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    url = await new Promise<string>((resolve, reject) => {
      demo.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const printed = output.match(/https?:\/\/\S+/g);
        if (printed && output.includes('\n')) resolve(printed[0]!);
      });
      demo.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${output}`)));
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (demo?.pid && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      process.kill(-demo.pid, 'SIGTERM');
      await Promise.race([exited, pause(10_000)]);
    }
  });

  it('prints one URL, where a product is bought, paid with a test card, turns paid on the notification and is refunded', async () => {
    expect(output.match(/https?:\/\/\S+/g)).toHaveLength(1);
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Buy Coffee mug' }).click();

    // The gateway's cashier page.
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiry (MM/YY)').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Name on card').fill('Ada Lovelace');
    await page.getByRole('button', { name: /^Pay .*12\.00/ }).click();
    await page.locator('h1', { hasText: 'Payment successful' }).waitFor();
    await page.getByRole('link', { name: /back|return/i }).click();

    // Back at the shop: the signed return was checked, and the notification makes it paid.
    await page.waitForURL((u) => u.toString().startsWith(`${url}/orders/`));
    await page.locator('#state', { hasText: /^paid$/ }).waitFor({ timeout: 20_000 });
    const paid = await page.locator('main').innerText();
    expect(paid).toContain('notification PAYMENT 0000 SUCCESS 12.00');
    expect(paid).toContain('visa ending 4242');

    await page.getByRole('button', { name: 'Refund' }).click();
    await page.locator('#state', { hasText: /^refunded$/ }).waitFor({ timeout: 20_000 });
    expect(await page.locator('main').innerText()).toContain('notification REFUND 0000 SUCCESS 12.00');
  }, 90_000);
});
