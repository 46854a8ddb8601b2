import path from 'node:path';
import type { GatewayContext } from '../context.ts';
import { settlePayments } from '../ledger/settle-payments.ts';
import { pruneLoginCounters } from '../store/console/login-counters.ts';
import { reconcileAttempts } from '../payments/reconcile-attempts.ts';
import { reconcileRefunds } from '../payments/refund-payment.ts';
import { reconcilePayouts } from '../payments/reconcile-payouts.ts';
import { openSimulatorDispute } from '../payments/open-simulator-dispute.ts';
import { createMailer } from './email/mailer.ts';
import { sendReceipt } from './email/send-receipt.ts';
import { expireOrders } from '../store/orders.ts';
import { createPartitionsAhead, MONTHS_AHEAD } from '../store/partitions.ts';
import { sweepCardTestingSlots } from '../store/card-testing-sweep.ts';
import { parseNotifySchedule } from './notify/schedule.ts';
import { sendNotification } from './notify/send-notification.ts';
import { startWorkers, type Workers } from './worker.ts';

export interface BackgroundWorkOptions {
  /** Jobs run at once in this process (`payrail start --workers N`). */
  concurrency: number;
  /** Longest sleep between looks for due jobs when nothing wakes the workers. */
  pollMs: number;
  /** How often open orders are checked for expiry, and attempts and refunds in doubt reconciled. */
  sweepEveryMs: number;
  /** How long after the start the first look for jobs and the first sweeps wait (WorkerOptions.startAfterMs). */
  startAfterMs: number;
}

/**
 * Everything a gateway process does besides answering requests: deliver notifications and
 * receipts, open the simulator's disputes, expire orders, reconcile attempts, refunds and payouts, settle payments, make the next
 * months' partitions, delete the card-testing slots that hold nothing, forget old failed dashboard logins.
 */
export function startBackgroundWork(context: GatewayContext, options: Partial<BackgroundWorkOptions> = {}): Workers {
  const { config } = context;
  const schedule = parseNotifySchedule(config.notifySchedule);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom });
  const sweepEveryMs = options.sweepEveryMs ?? 2_000;
  const workers = startWorkers(
    context,
    {
      notify: (job) => sendNotification(context, schedule, job),
      email: (job) => sendReceipt(context, mailer, job),
      simulator_dispute: (job) => openSimulatorDispute(context, job),
    },
    {
      concurrency: options.concurrency ?? 8,
      pollMs: options.pollMs ?? 1_000,
      sweeps: [
        { name: 'expire orders', everyMs: sweepEveryMs, run: () => expireOrders(context.db) },
        { name: 'reconcile attempts', everyMs: sweepEveryMs, run: () => reconcileAttempts(context) },
        { name: 'reconcile refunds', everyMs: sweepEveryMs, run: () => reconcileRefunds(context) },
        { name: 'reconcile payouts', everyMs: sweepEveryMs, run: () => reconcilePayouts(context) },
        { name: 'settle payments', everyMs: 60_000, run: () => settlePayments(context.db, config.settlementDelayHours * 3_600_000, context.now()) },
        // Hourly and at start: the next months' partitions exist long before a row needs them.
        { name: 'create partitions ahead', everyMs: 3_600_000, run: () => createPartitionsAhead(context.db, context.now(), MONTHS_AHEAD) },
        // Each minute: the free card-testing slots of a minute's new cards and addresses, in batches.
        { name: 'sweep card-testing slots', everyMs: 60_000, run: () => sweepCardTestingSlots(context.db) },
        { name: 'prune login counters', everyMs: 600_000, run: () => pruneLoginCounters(context.db, new Date(context.now().getTime() - 86_400_000), new Date(context.now().getTime() - 90 * 86_400_000)) },
      ],
      // Longer than a notification's timeout, so a live attempt never loses its lease.
      leaseMs: config.notifyTimeoutMs + 30_000,
      startAfterMs: options.startAfterMs ?? 0,
    },
  );
  return {
    idle: () => workers.idle(),
    async stop() {
      await workers.stop();
      mailer.close();
    },
  };
}
