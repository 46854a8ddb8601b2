import type { Command } from 'commander';
import { forwardNotifications } from '../listen/forward-notifications.ts';
import { fail } from './exit.ts';

/** `payrail listen`: a merchant's notifications forwarded to a local URL. */
export function addListenCommand(program: Command): void {
  program
    .command('listen')
    .description("forward a merchant's notifications from a running gateway to a local URL, signed as usual")
    .requiredOption('--forward-to <url>', 'where to POST each notification, e.g. http://localhost:3000/webhook')
    .option('--gateway <url>', 'the gateway (PAYRAIL_URL)', process.env.PAYRAIL_URL ?? 'http://localhost:8080')
    .option('--merchant <merchantNo>', 'the merchant (PAYRAIL_MERCHANT_NO)', process.env.PAYRAIL_MERCHANT_NO)
    .action(async (options: { forwardTo: string; gateway: string; merchant?: string }) => {
      // The secret only from the environment: a command-line argument shows in the process list.
      const appSecret = process.env.PAYRAIL_APP_SECRET;
      if (!options.merchant || !appSecret) fail('set PAYRAIL_MERCHANT_NO (or --merchant) and PAYRAIL_APP_SECRET');
      if (!/^https?:\/\//.test(options.forwardTo)) fail('--forward-to must be an http:// or https:// URL');
      const stop = new AbortController();
      process.once('SIGINT', () => process.exit(0));
      process.once('SIGTERM', () => process.exit(0));
      try {
        await forwardNotifications({
          gatewayUrl: options.gateway,
          merchantNo: options.merchant,
          appSecret,
          forwardTo: options.forwardTo,
          print: (line) => console.log(line),
          signal: stop.signal,
        });
      } catch (error) {
        fail(`listen stopped: ${(error as Error).message}`);
      }
    });
}
