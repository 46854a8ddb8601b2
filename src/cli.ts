import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { PayoutStatusCode } from './domain/payout-status.ts';
import { ConfigError, loadConfig, type Config, type Env } from './config.ts';
import { cents, formatAmount, parseAmount, type Cents } from './domain/money.ts';
import { DatabaseFormatError, DatabaseLockedError, openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DatabaseUnavailableError } from './db/health.ts';
import { loadMasterKey } from './secrets/master-key.ts';
import { hashPassword, newOneTimePassword } from './secrets/password.ts';
import { createMerchant, findMerchant, listMerchants, MerchantChangeError, rotateSecret, setMerchantStatus, updateMerchant } from './store/merchants.ts';
import { STATUS_SETS, type StatusSet } from './domain/order-status.ts';
import { listPayouts } from './store/payouts.ts';
import { checkLedger } from './store/ledger/check-ledger.ts';
import { maskedCard } from './domain/card.ts';
import { formatWireTime } from './domain/wire-time.ts';
import { DEFAULT_FEE_BPS } from './domain/fees.ts';
import { buildGateway } from './server.ts';
import { logAcquirersInUse } from './acquirers-in-use.ts';
import { createDemoMerchantIfEmpty } from './demo.ts';
import { startAcquirerSimServer } from './acquirer-sim/server.ts';
import { ACQUIRER_NAMES } from './acquirers/index.ts';
import { resendNotification } from './jobs/notify/resend-notification.ts';
import { PayrailError } from './domain/errors.ts';
import { upsertAdmin, upsertUser } from './store/console/admins.ts';
import { CONSOLE_ROLES, isMerchantRole, readConsoleRole } from './domain/console-scope.ts';
import { startDemo } from './demo-shop/start-demo.ts';
import { forwardNotifications } from './listen/forward-notifications.ts';
import { MerchantStatus } from './domain/merchant-status.ts';
import { shutDown } from './shutdown.ts';

const integer = (name: string, min: number, max: number) => (value: string) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return number;
};

/** Opens the configured database, migrated, for one CLI command, and closes it after. */
async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db'], config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db, config);
  } finally {
    await handle.close();
  }
}

const amount = (name: string) => (value: string) => {
  try {
    return parseAmount(value, name);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** A fee amount such as 0.50: like an amount, but zero is allowed. */
const feeAmount = (name: string) => (value: string) => {
  const match = /^([0-9]{1,9})(?:\.([0-9]{1,2}))?$/.exec(value);
  if (!match) throw new InvalidArgumentError(`${name} must be an amount such as 0.50, at most two decimals`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
};

const choice =
  <T extends string>(name: string, choices: readonly T[]) =>
  (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}`);
    return value as T;
  };

/** `--acquirers adyen,stripe`: an ordered list of known connectors, each once. */
const acquirerList = (value: string): string[] => {
  const list = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknownName = list.find((name) => !(ACQUIRER_NAMES as readonly string[]).includes(name));
  if (unknownName !== undefined) throw new InvalidArgumentError(`--acquirers: ${unknownName} is not one of ${ACQUIRER_NAMES.join(', ')}`);
  if (list.length === 0 || list.length > 4 || new Set(list).size !== list.length) throw new InvalidArgumentError('--acquirers must name 1 to 4 different acquirers, e.g. adyen,stripe');
  return list;
};

interface MerchantCreateOptions {
  name: string;
  acquirers?: string[];
  feeBps?: number;
  rateLimit?: number;
  minAmount?: Cents;
  maxAmount?: Cents;
  saltPlacement?: 'suffix' | 'prefix';
  requireHmac?: boolean;
  statusSet?: StatusSet;
  payoutFee?: number;
  json?: boolean;
}

const STATUS_SET_HELP = 'statuses the merchant is told: family (expired and closed orders are 00029, the default) or extended (00030 and 00031)';

const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('payrail')
  .description('Payrail card payment gateway: the merchant API, the cashier page, the dashboard and their administration')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError();

program
  .command('start')
  .description('serve the API, the cashier page and the dashboard, and run the background workers')
  .option('--port <n>', 'port to listen on (default: PORT, else 8080)', integer('--port', 0, 65535))
  .option('--workers <n>', 'jobs run at once by this process; 0 serves requests only (default: 8)', integer('--workers', 0, 64))
  .action(async (options: { port?: number; workers?: number }) => {
    const overrides: Partial<Env> = options.port === undefined ? {} : { PORT: options.port };
    const config = loadConfig(process.env, overrides);
    const gateway = await buildGateway({ config });
    const { app, context } = gateway;
    const firstStart = await createDemoMerchantIfEmpty(context.db, context.masterKey, config);
    // --workers 0 makes a node that only serves requests; other nodes do the background work.
    if (options.workers !== 0) gateway.startWorkers({ concurrency: options.workers ?? 8 });
    await app.listen({ port: config.port, host: config.host });
    context.log.info({ url: config.publicUrl, database: config.databaseUrl ? 'postgres' : 'embedded' }, 'payrail started');
    await logAcquirersInUse(context);
    if (firstStart) process.stdout.write(firstStart + '\n');
    stopOnSignal(async () => {
      context.log.info({ timeoutMs: config.shutdownTimeoutMs }, 'stopping');
      const outcome = await shutDown(gateway.closeSteps(), { timeoutMs: config.shutdownTimeoutMs, say: (line) => context.log.info(line) });
      if (outcome.kind === 'done') {
        context.log.info({ ms: outcome.ms }, 'stopped');
        return;
      }
      context.log.warn({ ms: outcome.ms }, `still waiting for ${outcome.waitingFor} after SHUTDOWN_TIMEOUT_MS; exiting anyway`);
      context.log.flush();
      process.exit(1);
    });
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = loadConfig();
    const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    const applied = await migrateToLatest(handle.db);
    await handle.close();
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  });

const merchant = program.command('merchant').description('merchant administration: create, list, update, rotate-secret, disable, enable');

merchant
  .command('create')
  .description('create a merchant and print its merchantNo and app secret (shown once)')
  .requiredOption('--name <name>', 'merchant name shown to customers')
  .option('--fee-bps <n>', `fee in basis points of each payment (default: ${DEFAULT_FEE_BPS})`, integer('--fee-bps', 0, 10_000))
  .option('--rate-limit <n>', 'API requests per second (default: 1000)', integer('--rate-limit', 1, 1_000_000))
  .option('--min-amount <amount>', 'smallest order amount accepted, e.g. 1.00 (default: 0.01)', amount('--min-amount'))
  .option('--max-amount <amount>', 'largest order amount accepted, e.g. 5000.00 (default: 999999999.99)', amount('--max-amount'))
  .option('--salt-placement <where>', 'where the secret goes in the MD5 signs we send: suffix or prefix (default: suffix)', choice('--salt-placement', ['suffix', 'prefix'] as const))
  .option('--require-hmac', 'accept only HMAC-SHA256 signs from this merchant (default: MD5 accepted too)')
  .option('--acquirers <list>', 'ordered acquirer connectors, failover in that order (default: ACQUIRER), e.g. adyen,stripe', acquirerList)
  .option('--status-set <set>', STATUS_SET_HELP, choice('--status-set', STATUS_SETS))
  .option('--payout-fee <amount>', 'fixed fee taken with each payout, e.g. 0.50 (default 0.00)', feeAmount('--payout-fee'))
  .option('--json', 'print {"merchantNo","appSecret"} alone on stdout')
  .action(async (options: MerchantCreateOptions) => {
    const created = await withDatabase((db, config) =>
      createMerchant(db, loadMasterKey(config.masterKey, config.dataDir), {
        name: options.name,
        feeBps: options.feeBps ?? DEFAULT_FEE_BPS,
        rateLimitPerSecond: options.rateLimit,
        minAmountCents: options.minAmount,
        maxAmountCents: options.maxAmount,
        saltPlacement: options.saltPlacement,
        requireHmac: options.requireHmac,
        acquirers: options.acquirers,
        statusSet: options.statusSet,
        payoutFeeCents: options.payoutFee,
      }),
    );
    if (options.json) console.log(JSON.stringify(created));
    else console.log(`merchantNo  ${created.merchantNo}\napp secret  ${created.appSecret}\n(the secret is shown once; keep it safe)`);
  });

merchant
  .command('list')
  .description('list merchants with their status, fee, amount limits, rate limit and sign settings')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const merchants = await withDatabase((db) => listMerchants(db));
    const rows = merchants.map((m) => ({
      merchantNo: m.merchant_no,
      name: m.name,
      status: m.status,
      feeBps: m.fee_bps,
      minAmount: formatAmount(m.min_amount_cents),
      maxAmount: formatAmount(m.max_amount_cents),
      rateLimitPerSecond: m.rate_limit_per_second,
      saltPlacement: m.salt_placement,
      requireHmac: m.require_hmac,
      acquirers: m.acquirers,
      statusSet: m.status_set,
      payoutFee: formatAmount(m.payout_fee_cents),
      createdAt: m.created_at,
    }));
    if (options.json) console.log(JSON.stringify(rows));
    else {
      console.log(`${'merchantNo'.padEnd(10)}  ${'status'.padEnd(8)}  ${'fee'.padStart(7)}  ${'amounts'.padEnd(24)}  ${'req/s'.padStart(7)}  ${'signs'.padEnd(18)}  name`);
      for (const row of rows) {
        const fee = `${(row.feeBps / 100).toFixed(2)}%`;
        const signs = `${row.requireHmac ? 'HMAC only' : 'MD5+HMAC'}, ${row.saltPlacement}`;
        console.log(`${row.merchantNo}  ${row.status.padEnd(8)}  ${fee.padStart(7)}  ${`${row.minAmount}-${row.maxAmount}`.padEnd(24)}  ${String(row.rateLimitPerSecond).padStart(7)}  ${signs.padEnd(18)}  ${row.name}`);
      }
    }
  });

merchant
  .command('update <merchantNo>')
  .description("change a merchant's fee, amount limits, rate limit or sign settings; what is not given stays")
  .option('--fee-bps <n>', 'fee in basis points of each payment', integer('--fee-bps', 0, 10_000))
  .option('--rate-limit <n>', 'API requests per second', integer('--rate-limit', 1, 1_000_000))
  .option('--min-amount <amount>', 'smallest order amount accepted, e.g. 1.00', amount('--min-amount'))
  .option('--max-amount <amount>', 'largest order amount accepted, e.g. 5000.00', amount('--max-amount'))
  .option('--salt-placement <where>', 'where the secret goes in the MD5 signs we send: suffix or prefix', choice('--salt-placement', ['suffix', 'prefix'] as const))
  .option('--require-hmac', 'accept only HMAC-SHA256 signs from this merchant')
  .option('--allow-md5', 'accept MD5 signs again')
  .option('--acquirers <list>', 'ordered acquirer connectors, failover in that order, e.g. adyen,stripe', acquirerList)
  .option('--status-set <set>', STATUS_SET_HELP, choice('--status-set', STATUS_SETS))
  .option('--payout-fee <amount>', 'fixed fee taken with each payout, e.g. 0.50', feeAmount('--payout-fee'))
  .action(async (merchantNo: string, options: Omit<MerchantCreateOptions, 'name' | 'json'> & { allowMd5?: boolean }) => {
    if (options.requireHmac && options.allowMd5) fail('give --require-hmac or --allow-md5, not both');
    const outcome = await withDatabase(async (db) => {
      try {
        return await updateMerchant(db, merchantNo, {
          acquirers: options.acquirers,
          statusSet: options.statusSet,
          payoutFeeCents: options.payoutFee === undefined ? undefined : cents(options.payoutFee),
          feeBps: options.feeBps,
          rateLimitPerSecond: options.rateLimit,
          minAmountCents: options.minAmount,
          maxAmountCents: options.maxAmount,
          saltPlacement: options.saltPlacement,
          requireHmac: options.requireHmac ? true : options.allowMd5 ? false : undefined,
        });
      } catch (error) {
        if (error instanceof MerchantChangeError) return error;
        throw error;
      }
    });
    if (outcome instanceof MerchantChangeError) fail(outcome.message);
    if (!outcome) fail(`merchant ${merchantNo} not found`);
    console.log(
      `merchant ${merchantNo} updated: fee ${outcome.fee_bps} bps, amounts ${formatAmount(outcome.min_amount_cents)}-${formatAmount(outcome.max_amount_cents)}, ` +
        `${outcome.rate_limit_per_second} req/s, ${outcome.require_hmac ? 'HMAC-SHA256 only' : 'MD5 or HMAC-SHA256'}, salt ${outcome.salt_placement}` +
        (outcome.acquirers ? `, acquirers ${outcome.acquirers.join(', ')}` : '') +
        `, status set ${outcome.status_set}, payout fee ${formatAmount(outcome.payout_fee_cents)}`,
    );
  });

merchant
  .command('rotate-secret <merchantNo>')
  .description('issue a new app secret; the old one stays valid for 24 hours')
  .action(async (merchantNo: string) => {
    const rotated = await withDatabase((db, config) => rotateSecret(db, loadMasterKey(config.masterKey, config.dataDir), merchantNo, new Date()));
    if (!rotated) fail(`merchant ${merchantNo} not found`);
    console.log(`merchantNo  ${rotated.merchantNo}\napp secret  ${rotated.appSecret}\n(the previous secret is accepted for 24 hours)`);
  });

merchant
  .command('disable <merchantNo>')
  .description('refuse every API request of this merchant (8004) until enabled again')
  .action(async (merchantNo: string) => {
    if (!(await withDatabase((db) => setMerchantStatus(db, merchantNo, MerchantStatus.Disabled)))) fail(`merchant ${merchantNo} not found`);
    console.log(`merchant ${merchantNo} disabled`);
  });

merchant
  .command('enable <merchantNo>')
  .description('accept the merchant\'s API requests again')
  .action(async (merchantNo: string) => {
    if (!(await withDatabase((db) => setMerchantStatus(db, merchantNo, MerchantStatus.Active)))) fail(`merchant ${merchantNo} not found`);
    console.log(`merchant ${merchantNo} enabled`);
  });

program
  .command('admin')
  .description('operator accounts')
  .command('create')
  .description('create an operator (or reset its password) and print a one-time password, changed at first login')
  .requiredOption('--email <email>', 'operator email, the dashboard login')
  .action(async (options: { email: string }) => {
    if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(options.email) || options.email.length > 254) {
      fail(`--email must be an email address such as ops@example.com, not ${JSON.stringify(options.email)}`);
    }
    const password = newOneTimePassword();
    const passwordHash = await hashPassword(password);
    const written = await withDatabase((db) => upsertAdmin(db, options.email, passwordHash));
    if (written.kind === 'other-role') fail(`${options.email} is a user of merchant ${written.user.merchant_no}, not an operator; nothing changed`);
    console.log(`operator ${options.email}\none-time password  ${password}`);
  });

program
  .command('user')
  .description('console users: operators, merchant admins and merchant viewers')
  .command('create')
  .description('create a console user (or reset its password) and print a one-time password, changed at first login')
  .requiredOption('--email <email>', 'the user\'s email, the console login')
  .requiredOption('--role <role>', 'operator (every merchant), merchant-admin (one merchant: read, export, refund, close, rotate, settings; `merchant` names it too) or merchant-viewer (one merchant: read and export only)')
  .option('--merchant <merchantNo>', 'the merchant of a merchant user')
  .action(async (options: { email: string; role: string; merchant?: string }) => {
    if (!/^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/.test(options.email) || options.email.length > 254) {
      fail(`--email must be an email address such as someone@example.com, not ${JSON.stringify(options.email)}`);
    }
    const role = readConsoleRole(options.role);
    if (role === undefined) fail(`--role must be one of ${CONSOLE_ROLES.join(', ')} (or merchant, the same as merchant-admin), not ${JSON.stringify(options.role)}`);
    if (isMerchantRole(role) && options.merchant === undefined) fail(`--merchant NO is required for a ${role}`);
    if (role === 'operator' && options.merchant !== undefined) fail('--merchant is only for a merchant user: an operator sees every merchant');
    const merchantNo = isMerchantRole(role) ? options.merchant! : null;
    const password = newOneTimePassword();
    const passwordHash = await hashPassword(password);
    const outcome = await withDatabase(async (db) => {
      if (merchantNo !== null && !(await findMerchant(db, merchantNo))) return { error: `merchant ${merchantNo} not found` };
      const written = await upsertUser(db, { email: options.email, role, merchantNo, passwordHash });
      if (written.kind === 'other-role') {
        const user = written.user;
        return { error: `${options.email} already is ${user.role === 'operator' ? 'an operator' : `a ${user.role} of merchant ${user.merchant_no}`}; nothing changed` };
      }
      return { kind: written.kind };
    });
    if ('error' in outcome) fail(outcome.error!);
    const who = role === 'operator' ? 'operator' : `${role} of ${merchantNo}`;
    console.log(`${who} ${options.email.toLowerCase()}${outcome.kind === 'reset' ? ' (password reset)' : ''}\none-time password  ${password}`);
  });

program
  .command('acquirer-sim')
  .description('run the simulator acquirer as its own HTTP service, with injectable faults (ACQUIRER=http talks to it)')
  .option('--port <n>', 'port to listen on', integer('--port', 0, 65535), 8090)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--latency-ms <n>', 'added latency per request', integer('--latency-ms', 0, 600_000), 0)
  .option('--fail-rate <percent>', 'share of requests answered 5xx', integer('--fail-rate', 0, 100), 0)
  .option('--drop-rate <percent>', 'share of responses dropped after the work is done', integer('--drop-rate', 0, 100), 0)
  .option('--seed <n>', 'seed of the random faults', integer('--seed', 0, 2 ** 31), 1)
  .action(async (options: { port: number; host: string; latencyMs: number; failRate: number; dropRate: number; seed: number }) => {
    const server = await startAcquirerSimServer({
      port: options.port,
      host: options.host,
      latencyMs: options.latencyMs,
      failureRate5xx: options.failRate / 100,
      dropRate: options.dropRate / 100,
      seed: options.seed,
    });
    console.log(`acquirer simulator listening on ${server.url}`);
    stopOnSignal(() => server.close());
  });

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

program
  .command('notify')
  .description('merchant notifications')
  .command('resend <tradeNo>')
  .description("queue the latest notification of an order (or, when no order has that tradeNo, of a payout) again, with a fresh retry schedule; prints its notifyId")
  .requiredOption('--merchant <merchantNo>', 'the merchant the order or payout belongs to')
  .action(async (tradeNo: string, options: { merchant: string }) => {
    // Errors are answered from inside and reported after the database is closed (and its lock released).
    const outcome = await withDatabase(async (db): Promise<{ notifyId: string } | { error: string }> => {
      try {
        return await resendNotification(db, options.merchant, { tradeNo });
      } catch (error) {
        if (error instanceof PayrailError) return { error: error.message };
        throw error;
      }
    });
    if ('error' in outcome) fail(outcome.error);
    console.log(outcome.notifyId);
  });

program
  .command('payout')
  .description('payouts to cards')
  .command('list')
  .description('the newest payouts, newest first')
  .option('--merchant <merchantNo>', 'only this merchant')
  .option('--status <status>', 'only this status: 0015, 0000 or 00029', choice('--status', Object.values(PayoutStatusCode)))
  .option('--limit <n>', 'at most this many', integer('--limit', 1, 10_000), 50)
  .option('--json', 'print JSON')
  .action(async (options: { merchant?: string; status?: string; limit: number; json?: boolean }) => {
    const payouts = await withDatabase((db) => listPayouts(db, { merchantNo: options.merchant, status: options.status, limit: options.limit }));
    const rows = payouts.map((p) => ({
      merchantNo: p.merchant_no,
      tradeNo: p.trade_no,
      platFormTradeNo: p.plat_form_trade_no,
      amount: formatAmount(p.amount_cents),
      fee: formatAmount(p.fee_cents),
      status: p.status,
      desc: p.status_desc,
      card: maskedCard(p.card_brand, p.card_last4),
      createTime: formatWireTime(p.created_at),
    }));
    if (options.json) console.log(JSON.stringify(rows));
    else for (const row of rows) console.log(`${row.createTime}  ${row.merchantNo}  ${row.tradeNo}  ${row.amount.padStart(12)}  ${row.status.padEnd(5)}  ${row.desc}  ${row.card}`);
  });

program
  .command('ledger')
  .description('the double-entry ledger')
  .command('check')
  .description('check every posting sums to zero and every balance matches its postings; exits 1 when not')
  .action(async () => {
    const problems = await withDatabase((db) => checkLedger(db));
    if (problems.length === 0) {
      console.log('ledger ok');
      return;
    }
    for (const problem of problems) console.error(`${problem.rule}: ${problem.detail}`);
    process.exit(1);
  });

/** Closes gracefully on Ctrl-C or SIGTERM, then exits. */
function stopOnSignal(close: () => Promise<void>) {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof DatabaseFormatError) fail(error.message);
  if (error instanceof DatabaseUnavailableError) fail(`cannot reach the PostgreSQL server named by DATABASE_URL: ${error.message}`);
  throw error;
}
