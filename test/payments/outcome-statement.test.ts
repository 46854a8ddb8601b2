import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { until } from '../support/until.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { findAttempt } from '../../src/store/attempts.ts';
import { findOrderByNo } from '../../src/store/orders.ts';
import { settleAttempt } from '../../src/payments/settle-attempt.ts';
import { settleFromAcquirer } from '../../src/payments/reconcile-attempts.ts';
import { AttemptStatus } from '../../src/domain/attempt-status.ts';
import { OrderStatus } from '../../src/domain/order-status.ts';
import { paymentPosting } from '../../src/domain/ledger-postings.ts';
import { JobKind } from '../../src/domain/job-status.ts';

describeEachDatabase("an attempt's outcome, recorded in one statement", (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  const db = () => t.gateway.context.db;
  let cardNo = 0;
  const started = async (overrides: Record<string, string> = {}) => {
    const customer = await CashierClient.forNewOrder(t, overrides);
    return customer.startAttemptInStore((++cardNo).toString(16).padStart(64, 'c'));
  };
  const jobsOf = async (orderNo: string) => (await db().selectFrom('jobs').select('kind').where('order_no', '=', orderNo).orderBy('kind').execute()).map((job) => job.kind);
  const postingsOf = (orderNo: string) =>
    db()
      .selectFrom('ledger_postings')
      .innerJoin('ledger_entries', 'ledger_entries.posting_id', 'ledger_postings.id')
      .select(['ledger_postings.id', 'ledger_entries.account', 'ledger_entries.amount_cents'])
      .where('ledger_postings.order_no', '=', orderNo)
      .orderBy('ledger_entries.account')
      .execute();

  it('pays an approval with its posting at the merchant fee and its jobs, and answers the rows as stored', async () => {
    const { attempt, order } = await started({ amount: '123.45' });
    const settled = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Approved, reference: 'sim_one' });
    expect(settled.recorded).toBe(true);
    // Every column, as a read answers it: nothing left out of the statement's listed columns.
    expect(settled.attempt).toEqual(await findAttempt(db(), attempt.id));
    expect(settled.order).toEqual(await findOrderByNo(db(), order.plat_form_trade_no));
    expect(settled.order).toMatchObject({ status: '0000', status_desc: 'SUCCESS', card_last4: '4242' });

    const merchant = await db().selectFrom('merchants').select('fee_bps').where('merchant_no', '=', order.merchant_no).executeTakeFirstOrThrow();
    const expected = paymentPosting(order, merchant.fee_bps).entries.filter((entry) => entry.amount !== 0);
    const entries = await postingsOf(order.plat_form_trade_no);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(1);
    expect(entries.map(({ account, amount_cents }) => ({ account, amount: Number(amount_cents) }))).toEqual(
      [...expected].sort((a, b) => a.account.localeCompare(b.account)).map(({ account, amount }) => ({ account, amount })),
    );
    expect(await jobsOf(order.plat_form_trade_no)).toEqual([JobKind.Email, JobKind.Notify]);
  });

  it('queues no receipt for an order without an email, and still its notification', async () => {
    const { attempt, order } = await started();
    await db().updateTable('orders').set({ email: '' }).where('plat_form_trade_no', '=', order.plat_form_trade_no).execute();
    const settled = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Approved, reference: 'sim_no_email' });
    expect(settled.order.status).toBe('0000');
    expect(await jobsOf(order.plat_form_trade_no)).toEqual([JobKind.Notify]);
  });

  it('records a decline on the order and leaves the ledger and jobs alone until the attempt limit', async () => {
    const { attempt, order } = await started();
    const settled = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Declined, reason: 'DO_NOT_HONOR' });
    expect(settled).toMatchObject({ recorded: true, attempt: { status: 'declined' }, order: { status: '0015', status_desc: 'CREATED', failed_attempts: 1, ended_at: null } });
    expect(settled.order).toEqual(await findOrderByNo(db(), order.plat_form_trade_no));
    expect(await postingsOf(order.plat_form_trade_no)).toEqual([]);
    expect(await jobsOf(order.plat_form_trade_no)).toEqual([]);
  });

  it('leaves the order in processing on a challenge, and answers it', async () => {
    const { attempt, order } = await started();
    const settled = await settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Challenge, challengeId: 'ch_1' });
    expect(settled).toMatchObject({ recorded: true, attempt: { status: 'challenge', challenge_id: 'ch_1' }, order: { status: '0015', status_desc: 'PROCESSING' } });
    expect(settled.order).toEqual(await findOrderByNo(db(), order.plat_form_trade_no));
  });

  it('a settle by the customer and one by the reconciler at the same moment: one records, the order is paid once, with one posting and one notification', async () => {
    for (const second of [AttemptStatus.Approved, AttemptStatus.Declined] as const) {
      const { attempt, order } = await started();
      const reconciler = second === AttemptStatus.Approved ? ({ outcome: 'approved', reference: 'sim_race' } as const) : ({ outcome: 'declined', reason: 'DO_NOT_HONOR' } as const);
      const [customer] = await Promise.all([
        settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Approved, reference: 'sim_race' }),
        settleFromAcquirer(t.gateway.context, attempt, reconciler, 'reconciler'),
      ]);
      const stored = (await findAttempt(db(), attempt.id))!;
      const entries = await postingsOf(order.plat_form_trade_no);
      const jobs = await jobsOf(order.plat_form_trade_no);
      const events = await db().selectFrom('order_events').select('type').where('order_no', '=', order.plat_form_trade_no).where('type', 'like', 'attempt_%').execute();
      expect(events.map((event) => event.type).filter((type) => type !== 'attempt_started')).toHaveLength(1);
      if (stored.status === AttemptStatus.Approved) {
        expect((await findOrderByNo(db(), order.plat_form_trade_no))!.status).toBe('0000');
        expect(new Set(entries.map((entry) => entry.id)).size).toBe(1);
        expect(jobs.filter((job) => job === JobKind.Notify)).toHaveLength(1);
      } else {
        // The reconciler's decline came first: the customer's approval is the late one, nothing is paid.
        expect(customer.recorded).toBe(false);
        expect(entries).toEqual([]);
        expect((await findOrderByNo(db(), order.plat_form_trade_no))!.failed_attempts).toBe(1);
      }
    }
  });

  /**
   * Runs `hold` in a transaction on its own connection, starts `settles` while it holds its row
   * lock, and commits only once `waiting` outcome statements wait on a lock (pg_stat_activity, read
   * from another connection): each waiter then rechecks the row as committed (EvalPlanQual), the
   * path two statements at once take on PostgreSQL and PGlite (one at a time) never does.
   */
  async function settlesWhileLocked<T>(hold: (trx: Transaction<Database>) => Promise<unknown>, settles: () => Promise<T>[], waiting: number): Promise<T[]> {
    let started: Promise<T>[] = [];
    await db()
      .transaction()
      .execute(async (trx) => {
        await hold(trx);
        started = settles();
        await until(async () => {
          const { rows } = await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE payment_attempts%'`.execute(db());
          return rows[0]!.n >= waiting;
        }, 8_000, 25, `${waiting} outcome statements waiting on the held lock`);
      });
    return Promise.all(started);
  }

  /** A test that needs a second connection holding a lock: PostgreSQL only (PGlite runs one statement at a time), and not registered on PGlite, so no run reports it skipped. */
  const itOnPostgres = (name: string, test: () => Promise<void>) => {
    if (kind === 'postgres') it(name, test);
  };

  itOnPostgres('two settles of one attempt both waiting on its row lock: one records, the order is paid once, with one posting and one notification', async () => {
    for (const second of [AttemptStatus.Approved, AttemptStatus.Declined] as const) {
      const { attempt, order } = await started();
      const orderNo = order.plat_form_trade_no;
      const reconciler = second === AttemptStatus.Approved ? ({ status: second, reference: 'sim_locked' } as const) : ({ status: second, reason: 'DO_NOT_HONOR' } as const);
      const settled = await settlesWhileLocked(
        (trx) => sql`SELECT 1 FROM payment_attempts WHERE id = ${attempt.id} FOR UPDATE`.execute(trx),
        () => [
          settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Approved, reference: 'sim_locked' }),
          settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, reconciler, 'reconciler'),
        ],
        2,
      );
      expect(settled.filter((one) => one.recorded)).toHaveLength(1);
      const stored = (await findAttempt(db(), attempt.id))!;
      const events = await db().selectFrom('order_events').select('type').where('order_no', '=', orderNo).where('type', 'like', 'attempt_%').where('type', '<>', 'attempt_started').execute();
      expect(events.map((event) => event.type)).toEqual([`attempt_${stored.status}`]);
      const entries = await postingsOf(orderNo);
      const current = (await findOrderByNo(db(), orderNo))!;
      if (stored.status === AttemptStatus.Approved) {
        expect(current.status).toBe(OrderStatus.Paid);
        expect(new Set(entries.map((entry) => entry.id)).size).toBe(1);
        expect((await jobsOf(orderNo)).filter((job) => job === JobKind.Notify)).toHaveLength(1);
      } else {
        // The decline took the lock first: the approval is the late one, nothing is paid.
        expect(current).toMatchObject({ status: '0015', failed_attempts: 1 });
        expect(entries).toEqual([]);
        expect(await jobsOf(orderNo)).toEqual([]);
      }
    }
  });

  itOnPostgres("a decline waiting on its order's row counts the failed attempts as committed meanwhile, not as its snapshot saw them: the fifth ends the order", async () => {
    expect(t.gateway.context.config.maxAttempts).toBe(5);
    const { attempt, order } = await started();
    const orderNo = order.plat_form_trade_no;
    const [settled] = await settlesWhileLocked(
      (trx) => sql`UPDATE orders SET failed_attempts = 4 WHERE plat_form_trade_no = ${orderNo}`.execute(trx),
      () => [settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Declined, reason: 'DO_NOT_HONOR' })],
      1,
    );
    expect(settled).toMatchObject({ recorded: true, order: { status: OrderStatus.Failed, status_desc: 'FAILED: DO_NOT_HONOR', failed_attempts: 5 } });
    expect(await findOrderByNo(db(), orderNo)).toMatchObject({ status: OrderStatus.Failed, failed_attempts: 5 });
    expect(await jobsOf(orderNo)).toEqual([JobKind.Notify]);
  });

  it("records any acquirer text: an unknown's detail cut by code points at an emoji, a NUL and a lone surrogate in a decline's reason", async () => {
    const detail = `${'d'.repeat(199)}😀 and more`;
    const unknown = await started();
    const settledUnknown = await settleAttempt(t.gateway.context, unknown.attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Unknown, detail });
    expect(settledUnknown).toMatchObject({ recorded: true, attempt: { status: 'unknown', reason: `${'d'.repeat(199)}😀` } });

    const declined = await started();
    const settledDecline = await settleAttempt(t.gateway.context, declined.attempt.id, AttemptStatus.Processing, { status: AttemptStatus.Declined, reason: 'DO_NOT\u0000_HONOR\ud83d' });
    expect(settledDecline).toMatchObject({ recorded: true, attempt: { status: 'declined', reason: 'DO_NOT_HONOR\ufffd' }, order: { failed_attempts: 1 } });
    const events = await db().selectFrom('order_events').select(['type', 'detail']).where('order_no', 'in', [unknown.order.plat_form_trade_no, declined.order.plat_form_trade_no]).where('type', 'in', ['attempt_unknown', 'attempt_declined']).orderBy('type').execute();
    expect(events.map((event) => [event.type, (event.detail as { reason: string }).reason])).toEqual([
      ['attempt_declined', 'DO_NOT_HONOR\ufffd'],
      ['attempt_unknown', `${'d'.repeat(199)}😀`],
    ]);
  });

  it('records nothing when the order does not move with its attempt (its row changed under the statement): the statement fails whole', async () => {
    for (const outcome of [{ status: AttemptStatus.Approved, reference: 'sim_stuck' }, { status: AttemptStatus.Declined, reason: 'DO_NOT_HONOR' }] as const) {
      const { attempt, order } = await started();
      const orderNo = order.plat_form_trade_no;
      // A row trigger that skips this order's updates: what the statement sees when another transaction moved the row first.
      await sql`CREATE FUNCTION skip_order_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF OLD.plat_form_trade_no = ${sql.lit(orderNo)} THEN RETURN NULL; END IF; RETURN NEW; END $$`.execute(db());
      await sql`CREATE TRIGGER skip_order_update BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION skip_order_update()`.execute(db());
      try {
        await expect(settleAttempt(t.gateway.context, attempt.id, AttemptStatus.Processing, outcome)).rejects.toThrow(/no longer open; nothing recorded/);
      } finally {
        await sql`DROP TRIGGER skip_order_update ON orders`.execute(db());
        await sql`DROP FUNCTION skip_order_update()`.execute(db());
      }
      expect((await findAttempt(db(), attempt.id))!.status).toBe(AttemptStatus.Processing);
      expect(await postingsOf(orderNo)).toEqual([]);
      expect(await jobsOf(orderNo)).toEqual([]);
      const events = await db().selectFrom('order_events').select('type').where('order_no', '=', orderNo).where('type', 'like', 'attempt_%').execute();
      expect(events.map((event) => event.type)).toEqual(['attempt_started']);
      const slots = await db().selectFrom('card_testing_slots').select('attempt_id').where('attempt_id', '=', attempt.id).execute();
      expect(slots).toHaveLength(1);
    }
  });
});
