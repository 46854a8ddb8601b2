import { chromium, type Browser } from 'playwright-core';

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
