import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, signedBody, type DatabaseKind } from '../support/test-gateway.ts';
import { startReceiver } from '../support/merchant-receiver.ts';
import { alive, kill9, payrail, startGatewayProcess, stop, type RunningGateway } from '../support/gateway-process.ts';
import { payoutFields } from '../support/payouts.ts';
import { until } from '../support/until.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { startAcquirerSimServer, type AcquirerSimServer } from '../../src/acquirer-sim/server.ts';
import { createMemorySimulatorStore } from '../../src/acquirers/simulator/memory-store.ts';
import { cents } from '../../src/domain/money.ts';
import { insertOrder } from '../../src/store/orders.ts';
import { OrderBatcher, batchesInFlightFor } from '../../src/store/order-batch.ts';
import { postPayment, postSettlement } from '../../src/store/ledger/ledger-postings.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { merchantBalance } from '../../src/store/ledger/ledger-balances.ts';

/**
 * The real gateway process killed with SIGKILL while payouts are at the acquirer (over the `http`
 * connector to `payrail acquirer-sim`'s service, which pays and then answers slowly): after a
 * restart every payout it accepted ends, each card is paid at most once, every ended payout is
 * notified, nothing sealed is left, and the ledger checks clean. On PostgreSQL the test reads
 * the database while the gateway runs; PGlite is held by the gateway process, so there the test
 * opens the folder only between runs and follows the payouts through the API meanwhile.
 */
const KINDS: DatabaseKind[] = ['postgres', 'pglite'];

describe.each(KINDS)('payouts in flight when the gateway is killed with SIGKILL [%s]', (kind) => {
  let handle: DatabaseHandle | undefined;
  let databaseUrl: string | undefined;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let sim: AcquirerSimServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let merchant: { merchantNo: string; appSecret: string };
  /** Payout keys the acquirer has been asked to pay (it pays at once, then sits on its answer). */
  const reached = new Set<string>();
  const running: RunningGateway[] = [];

  /** The database, for a look while no gateway holds it (PGlite) or at any time (PostgreSQL). */
  const database = async () => (handle ??= await openDatabase({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) }));
  /** PGlite: let go of the folder before a gateway process opens it. */
  const release = async () => {
    if (kind !== 'pglite' || !handle) return;
    await handle.close();
    handle = undefined;
  };

  beforeAll(async () => {
    const fresh = await freshDatabase(kind);
    await fresh.handle.close();
    dataDir = fresh.dataDir;
    databaseUrl = fresh.databaseUrl;
    const store = createMemorySimulatorStore();
    const payoutOnce = store.payoutOnce.bind(store);
    store.payoutOnce = (key, decide) => (reached.add(key), payoutOnce(key, decide));
    // The acquirer pays at once but answers 4 s later: the kill lands between the two.
    sim = await startAcquirerSimServer({ latencyMs: 4_000, simulator: { store } });
    receiver = await startReceiver();
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl ?? '',
      DATA_DIR: dataDir,
      PAYRAIL_ENV: 'test',
      LOG_LEVEL: 'warn',
      PAYRAIL_MASTER_KEY: randomBytes(32).toString('hex'),
      NOTIFY_SCHEDULE: '200ms,200ms',
      ACQUIRER: 'http',
      ACQUIRER_URL: sim.url,
      ACQUIRER_TIMEOUT_MS: '6000',
    };
    merchant = JSON.parse(await payrail(['merchant', 'create', '--name', 'Payout Crash Store', '--fee-bps', '0', '--payout-fee', '0.25', '--json'], env));
    // A settled balance of 100.00, as a paid order leaves it a day later.
    const funding = {
      plat_form_trade_no: randomBytes(8).toString('hex'),
      merchant_no: merchant.merchantNo,
      trade_no: 'FUNDING-1',
      request_hash: 'h',
      amount_cents: cents(10_000),
      currency: 'USD',
      mobile: '918234567890',
      email: 'buyer@example.com',
      user_id: 'u',
      notify_url: 'https://merchant.example/n',
      return_url: 'https://merchant.example/r',
      remark: null,
      payment_token: null,
      expires_at: new Date(Date.now() + 60_000),
    };
    const db = await database();
    const batcher = new OrderBatcher(db.runPrepared, batchesInFlightFor(db.kind));
    const order = { ...funding, ...(await insertOrder(db.db, batcher, funding)).order };
    await db.db.transaction().execute(async (trx) => {
      await trx.updateTable('orders').set({ status: '0000', status_desc: 'SUCCESS', paid_at: new Date(), settled_at: new Date() }).where('plat_form_trade_no', '=', order.plat_form_trade_no).execute();
      await postPayment(trx, order);
      await postSettlement(trx, order);
    });
    await release();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(running.filter((gateway) => alive(gateway.child)).map((gateway) => kill9(gateway.child)));
    await receiver?.close();
    await sim?.close();
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (base: string, path: string, fields: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { merchantNo: merchant.merchantNo, 'content-type': 'application/json' },
      body: JSON.stringify(signedBody(fields, merchant.appSecret)),
    });
    return (await response.json()) as { code: string; data: Record<string, string> | null };
  };

  it('ends every accepted payout after a restart, paying each at most once and notifying each', async () => {
    const first = await startGatewayProcess(env, 2);
    running.push(first);
    const requests = Array.from({ length: 8 }, (_, i) =>
      payoutFields({ amount: '9.00', customerAccount: i % 3 === 2 ? '4000000000000002' : '4242424242424242', notifyUrl: `${receiver.url}/payout/${i}` }),
    );
    const inFlight = requests.map((fields) => post(first.base, '/v1/payout', fields).catch(() => undefined));
    // Wait until every request reached the acquirer (it pays, then sits on its answer), then kill.
    await until(() => reached.size >= requests.length, 20_000, 50, 'every payout at the acquirer').catch((error) => {
      throw new Error(`${error.message}:\n${first.output()}`);
    });
    await kill9(first.child);
    await Promise.all(inFlight);

    // PGlite: opening the folder waits until the killed process's lock is stale.
    const stranded = await (await database()).db.selectFrom('payouts').selectAll().execute();
    expect(stranded).toHaveLength(requests.length);
    const processing = stranded.filter((payout) => payout.status === '0015');
    expect(processing.length).toBeGreaterThan(0);
    expect(processing.every((payout) => payout.card_sealed !== null)).toBe(true);
    const holding = stranded.filter((payout) => payout.status !== '00029').length;
    expect((await merchantBalance((await database()).db, merchant.merchantNo)).available).toBe(10_000 - holding * 925);
    await release();

    const second = await startGatewayProcess(env, 2);
    running.push(second);
    // The merchant, having had no answer, sends every payout again: the same payouts answer.
    const again = await Promise.all(requests.map((fields) => post(second.base, '/v1/payout', fields)));
    for (const [i, answer] of again.entries()) {
      expect(answer.code).toBe('0000');
      expect(answer.data!.platFormTradeNo).toBe(stranded.find((payout) => payout.trade_no === requests[i]!.tradeNo)!.plat_form_trade_no);
    }
    // Followed through the API, which any database allows while the gateway runs.
    const ended = async () => {
      const answers = await Promise.all(requests.map((fields) => post(second.base, '/v1/payout/query', { tradeNo: fields.tradeNo! })));
      return answers.every((answer) => answer.code === '0000' && answer.data!.status !== '0015');
    };
    await until(ended, 90_000, 250, 'every payout ended').catch((error) => {
      throw new Error(`${error.message} after the restart:\n${second.output()}`);
    });
    const notices = await receiver.waitFor(requests.length, 20_000);
    expect(second.output()).not.toMatch(/"level":(50|60)/);
    // PGlite: a graceful stop lets go of the folder at once; PostgreSQL is read beside the process anyway.
    await stop(second.child, kind === 'pglite' ? 'SIGTERM' : 'SIGKILL');

    const db = (await database()).db;
    const payouts = await db.selectFrom('payouts').selectAll().execute();
    for (const payout of payouts) {
      const card = requests.find((fields) => fields.tradeNo === payout.trade_no)!.customerAccount;
      expect(payout.status).toBe(card === '4000000000000002' ? '00029' : '0000');
      expect(payout.card_sealed).toBeNull();
      expect(await sim.simulator.payoutCount(payout.id)).toBe(payout.status === '0000' ? 1 : 0);
    }
    const paid = payouts.filter((payout) => payout.status === '0000').length;
    expect((await merchantBalance(db, merchant.merchantNo)).available).toBe(10_000 - paid * 925);
    expect(await checkLedger(db)).toEqual([]);
    for (const payout of payouts) {
      const notice = notices.find((received) => received.body.tradeNo === payout.trade_no);
      expect(notice?.body).toMatchObject({ notifyType: 'PAYOUT', status: payout.status, platFormTradeNo: payout.plat_form_trade_no });
    }
  }, 240_000);
});
