import { sql, type Kysely } from 'kysely';
import { createPartitionFunction, dropForeignKeysTo, partitionByMonth } from './partition-table.ts';

/**
 * Orders, their payment attempts and their event log partitioned by month (issue 14, item 4;
 * docs/scaling.md, "Partitioning"). Existing rows are moved into the partitions.
 *
 * A unique constraint of a partitioned table must include its partition key, so what must be
 * unique across all months moves to `order_keys`, a narrow table that is not partitioned: one
 * row per order with its number, its merchant's tradeNo, its payment token and its creation time.
 * It keeps the three guarantees `orders` had (one order per merchant and tradeNo, whatever the
 * month: the idempotency of create-checkout; one order per number; one per payment token), and
 * it tells in which month's partition an order lives, so a lookup by number, tradeNo or token
 * reads one partition. The foreign keys that pointed at `orders` point at `order_keys`; the one
 * from `ledger_postings` no longer cascades: an order whose postings make up a balance cannot be
 * deleted.
 *
 * `orders` is split by the order's creation time and `order_events` by the event's; an order's
 * payment attempts live in the order's month (`order_created_at`), so "one attempt in flight per
 * order" stays one unique index, and a month's orders can be retired with their attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createPartitionFunction(db);

  await sql`
    CREATE TABLE order_keys (
      plat_form_trade_no text PRIMARY KEY,
      merchant_no        text NOT NULL,
      trade_no           text NOT NULL,
      payment_token      text UNIQUE,
      created_at         timestamptz NOT NULL DEFAULT now(),
      UNIQUE (merchant_no, trade_no)
    )`.execute(db);
  await sql`
    INSERT INTO order_keys (plat_form_trade_no, merchant_no, trade_no, payment_token, created_at)
    SELECT plat_form_trade_no, merchant_no, trade_no, payment_token, created_at FROM orders`.execute(db);
  const keyComments: Array<[string, string]> = [
    ['order_keys_pkey', 'every read by platFormTradeNo: the partition of the order (findOrderByNo, the jobs, refunds, the dashboard order page); one order per number'],
    ['order_keys_merchant_no_trade_no_key', 'one order per merchant and tradeNo across every month (the idempotency of create-checkout: INSERT_ORDERS ON CONFLICT), findOrder by tradeNo for query and close'],
    ['order_keys_payment_token_key', 'the cashier page and the pay step: findOrderByToken, startAttempt'],
  ];
  for (const [index, query] of keyComments) await sql`COMMENT ON INDEX ${sql.id(index)} IS ${sql.lit(`serves ${query}`)}`.execute(db);

  const incoming = await dropForeignKeysTo(db, 'orders');

  await partitionByMonth(db, {
    table: 'orders',
    key: 'created_at',
    copy: 'SELECT * FROM old',
    primaryKey: ['plat_form_trade_no', 'created_at'],
    dropIndexes: [],
  });
  await sql`COMMENT ON INDEX orders_pkey IS ${sql.lit('serves every read and compare-and-set by platFormTradeNo in its partition (created_at from order_keys): findOrderByNo, the notify and receipt jobs, attempts, refunds, the dashboard order page')}`.execute(db);

  await partitionByMonth(db, {
    table: 'order_events',
    key: 'created_at',
    copy: 'SELECT * FROM old',
    primaryKey: ['id', 'created_at'],
    serial: 'id',
  });

  await partitionByMonth(db, {
    table: 'payment_attempts',
    key: 'order_created_at',
    addColumns: ['order_created_at timestamptz NOT NULL'],
    copy: 'SELECT a.*, k.created_at AS order_created_at FROM old a JOIN order_keys k ON k.plat_form_trade_no = a.order_no',
    primaryKey: ['id', 'order_created_at'],
    dropIndexes: ['payment_attempts_one_in_flight'],
    uniques: [{
      name: 'payment_attempts_one_in_flight',
      // order_created_at is the order's, so this is still one attempt in flight per order.
      definition: `CREATE UNIQUE INDEX payment_attempts_one_in_flight ON payment_attempts (order_no, order_created_at)
                   WHERE status IN ('processing', 'challenge', 'unknown')`,
      comment: null,
    }],
  });

  for (const key of incoming) {
    const definition = key.definition
      .replace(/REFERENCES orders\(/, 'REFERENCES order_keys(')
      // A posting is part of a balance: deleting its order must fail, not take the posting along.
      .replace(key.table === 'ledger_postings' ? / ON DELETE CASCADE/ : /$^/, '');
    await sql`ALTER TABLE ${sql.raw(key.table)} ADD CONSTRAINT ${sql.id(key.name)} ${sql.raw(definition)}`.execute(db);
  }
}
