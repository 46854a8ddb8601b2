import type { RunPrepared } from '../db/connect.ts';
import { preparedStatement } from '../db/prepared-statements.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { Selectable } from 'kysely';
import type { OrdersTable } from '../db/schema.ts';

/** An order as the batch writes it: what the merchant sent and we decided, before any payment. */
export type NewOrder = Omit<
  Selectable<OrdersTable>,
  'status' | 'status_desc' | 'created_at' | 'paid_at' | 'ended_at' | 'card_brand' | 'card_last4' | 'settled_at' | 'paid_locale' | 'failed_attempts' | CardsOnFileColumns
> &
  Partial<Pick<Selectable<OrdersTable>, CardsOnFileColumns>>;

/** What cards on file add to a new order (migration 0039); absent: none of it. */
type CardsOnFileColumns = 'customer_id' | 'save_card' | 'merchant_initiated' | 'card_token';

/** What the create-checkout answer needs of an order it has just written; the rest it sent. */
export interface WrittenOrder {
  readonly plat_form_trade_no: string;
  readonly status: OrderStatus;
  readonly status_desc: string;
}

/** Rows per statement: past this, a bigger statement costs more to bind than it saves. */
export const MAX_ROWS_PER_BATCH = 64;

/**
 * Every order of the batch and its "created" event in one statement: all written or none. Rows
 * whose (merchant_no, trade_no) already exists, in any month or earlier in the same batch, are
 * skipped and not returned: the keys go first into `order_keys` (not partitioned, so its unique
 * constraint spans every month's partition of `orders`), and only the rows it took go on into
 * `orders`, with the same creation time, which picks their month's partition. Only the columns
 * the answer needs come back.
 */
/** The batch's columns, in the order of its 18 arrays. */
const INPUT_COLUMNS = `plat_form_trade_no, merchant_no, trade_no, request_hash, amount_cents, currency, mobile,
  email, user_id, notify_url, return_url, remark, payment_token, expires_at, customer_id, save_card, merchant_initiated, card_token`;

export const INSERT_ORDERS = preparedStatement(`
    WITH input AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::text[], $7::text[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[],
                           $15::text[], $16::text[], $17::bool[], $18::text[])
               AS row (${INPUT_COLUMNS})
    ), keyed AS (
      INSERT INTO order_keys (plat_form_trade_no, merchant_no, trade_no, payment_token)
      SELECT plat_form_trade_no, merchant_no, trade_no, payment_token FROM input
      ON CONFLICT (merchant_no, trade_no) DO NOTHING
      RETURNING plat_form_trade_no, created_at
    ), inserted AS (
      INSERT INTO orders (${INPUT_COLUMNS}, created_at)
      SELECT ${INPUT_COLUMNS}, keyed.created_at FROM input JOIN keyed USING (plat_form_trade_no)
      RETURNING plat_form_trade_no, amount_cents, status, status_desc
    ), event AS (
      INSERT INTO order_events (order_no, type, detail)
      SELECT plat_form_trade_no, 'created', jsonb_build_object('amountCents', amount_cents) FROM inserted
    )
    SELECT plat_form_trade_no, status, status_desc FROM inserted`);

interface Waiting {
  readonly order: NewOrder;
  resolve(written: WrittenOrder | undefined): void;
  reject(error: unknown): void;
}

// Rows in key order, so two batches in flight that share keys lock them in the same order and
// cannot deadlock each other.
const byKey = (a: Waiting, b: Waiting) =>
  a.order.merchant_no === b.order.merchant_no
    ? a.order.trade_no < b.order.trade_no ? -1 : a.order.trade_no > b.order.trade_no ? 1 : 0
    : a.order.merchant_no < b.order.merchant_no ? -1 : 1;

function columnsOf(orders: readonly NewOrder[]): unknown[] {
  const columns: unknown[][] = Array.from({ length: 18 }, () => []);
  for (const order of orders) {
    columns[0]!.push(order.plat_form_trade_no);
    columns[1]!.push(order.merchant_no);
    columns[2]!.push(order.trade_no);
    columns[3]!.push(order.request_hash);
    columns[4]!.push(order.amount_cents);
    columns[5]!.push(order.currency);
    columns[6]!.push(order.mobile);
    columns[7]!.push(order.email);
    columns[8]!.push(order.user_id);
    columns[9]!.push(order.notify_url);
    columns[10]!.push(order.return_url);
    columns[11]!.push(order.remark);
    columns[12]!.push(order.payment_token);
    columns[13]!.push(order.expires_at.toISOString());
    columns[14]!.push(order.customer_id ?? null);
    columns[15]!.push(order.save_card ?? null);
    columns[16]!.push(order.merchant_initiated ?? false);
    columns[17]!.push(order.card_token ?? null);
  }
  return columns;
}

/**
 * Group commit for new orders. Creates that arrive together are queued and written on the next
 * turn of the event loop as one statement of up to MAX_ROWS_PER_BATCH rows, with at most
 * `maxInFlight` statements running at once; whatever arrives meanwhile waits for the next one.
 * Alone, a create is a batch of one and waits for nothing.
 *
 * A promise settles only after the statement holding its row has committed, so an answered
 * order is a durable order. When a batch fails, each of its rows is tried again on its own, so
 * one row the database refuses fails only its own request.
 */
export class OrderBatcher {
  readonly #queue: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(
    private readonly run: RunPrepared,
    private readonly maxInFlight: number,
  ) {
    if (maxInFlight < 1) throw new Error('maxInFlight must be at least 1');
  }

  /**
   * Writes the order and its "created" event. Answers what was written, or undefined when the
   * merchant's tradeNo already has an order (the caller reads that one).
   */
  insert(order: NewOrder): Promise<WrittenOrder | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ order, resolve, reject });
      this.#schedule();
    });
  }

  /** Rows waiting for a batch, and batches running: for tests and metrics. */
  get pending(): { queued: number; inFlight: number } {
    return { queued: this.#queue.length, inFlight: this.#inFlight };
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0 || this.#inFlight >= this.maxInFlight) return;
    this.#scheduled = true;
    // setImmediate, not nextTick: the requests read in this same turn of the loop join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.maxInFlight) {
      const batch = this.#queue.splice(0, MAX_ROWS_PER_BATCH);
      this.#inFlight += 1;
      void this.#write(batch).finally(() => {
        this.#inFlight -= 1;
        this.#schedule();
      });
    }
  }

  async #write(batch: Waiting[]): Promise<void> {
    batch.sort(byKey);
    try {
      settle(batch, await this.#insert(batch));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // The statement wrote nothing; find the row that was refused by trying each alone.
      for (const waiting of batch) {
        try {
          settle([waiting], await this.#insert([waiting]));
        } catch (rowError) {
          waiting.reject(rowError);
        }
      }
    }
  }

  async #insert(batch: readonly Waiting[]): Promise<Map<string, WrittenOrder>> {
    const rows = await this.run<WrittenOrder>(INSERT_ORDERS, columnsOf(batch.map((waiting) => waiting.order)));
    return new Map(rows.map((row) => [row.plat_form_trade_no, row]));
  }
}

function settle(batch: readonly Waiting[], written: ReadonlyMap<string, WrittenOrder>): void {
  for (const waiting of batch) waiting.resolve(written.get(waiting.order.plat_form_trade_no));
}

/** Batches in flight: PostgreSQL runs a few at once on its pool; PGlite runs one statement at a time anyway. */
export const batchesInFlightFor = (kind: 'pglite' | 'postgres') => (kind === 'postgres' ? 4 : 1);
