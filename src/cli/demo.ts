import type { Command } from 'commander';
import { startDemo } from '../demo-shop/start-demo.ts';
import { integer } from './options.ts';
import { stopOnSignal } from './exit.ts';

/** `payrail demo`: the gateway and the demo shop. */
export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the gateway and a demo shop built on the merchant SDK: buy, pay with a test card, watch the notification, refund')
    .option('--port <n>', 'gateway port', integer('--port', 1, 65535), 8080)
    .option('--shop-port <n>', 'demo shop port', integer('--shop-port', 1, 65535), 3000)
    .action(async (options: { port: number; shopPort: number }) => {
      const demo = await startDemo(options);
      console.log(`Payrail demo shop: ${demo.url}`);
      console.log(`  (the gateway runs on port ${options.port}; pay with card 4242 4242 4242 4242, expiry 12/34, CVC 123; Ctrl-C stops both)`);
      stopOnSignal(() => demo.close());
    });
}
