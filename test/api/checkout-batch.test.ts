import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { GatewayContext } from '../../src/context.ts';
import type { PreparedStatement, RunPrepared } from '../../src/db/connect.ts';
import { PayrailError } from '../../src/domain/errors.ts';
import { createCheckout } from '../../src/payments/create-checkout.ts';
import { requestHash } from '../../src/api/request-hash.ts';
import { parseCreateCheckout } from '../../src/api/checkout/schema.ts';
import { findMerchant, type MerchantRow } from '../../src/store/merchants.ts';
import { OrderBatcher, batchesInFlightFor } from '../../src/store/order-batch.ts';
import type { WireBody } from '../../src/domain/signature.ts';
import { checkoutFields, describeEachDatabase, signedBody, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/**
 * Creates that arrive together share one statement (store/order-batch.ts). These tests put
 * several creates in the same batch on purpose, by starting them in one turn of the event loop,
 * and count the statements the database ran.
 */
describeEachDatabase('create-checkout in one group-commit batch', (kind) => {
  let t: TestGateway;
  let merchant: MerchantRow;
  let statements: number[];
  let context: GatewayContext;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    merchant = (await findMerchant(t.gateway.context.db, t.merchant.merchantNo))!;
  });
  afterAll(() => t?.close());

  /** A context whose batcher records the rows of every statement it sends. */
  function countingContext(run: RunPrepared = realRun()): GatewayContext {
    statements = [];
    const counting: RunPrepared = <Row,>(statement: PreparedStatement, values: unknown[]) => {
      statements.push((values[0] as unknown[]).length);
      return run<Row>(statement, values);
    };
    return { ...t.gateway.context, orderBatcher: new OrderBatcher(counting, batchesInFlightFor(kind)) };
  }
  const realRun = (): RunPrepared => (t.gateway.context.orderBatcher as unknown as { run: RunPrepared }).run;

  /** Starts one create per body in the same tick, so they are queued together. */
  const createTogether = (bodies: WireBody[], change: (input: ReturnType<typeof parseCreateCheckout>, index: number) => void = () => {}) =>
    Promise.allSettled(
      bodies.map((body, index) => {
        const input = parseCreateCheckout(body, merchant, { allowPrivateNotify: false });
        change(input, index);
        return createCheckout(context, merchant.merchant_no, input, requestHash(body));
      }),
    );

  const ordersWithTradeNo = async (tradeNo: string) =>
    (await sql<{ n: number; events: number }>`
      SELECT count(DISTINCT o.plat_form_trade_no)::int AS n, count(e.id)::int AS events
      FROM orders o LEFT JOIN order_events e ON e.order_no = o.plat_form_trade_no AND e.type = 'created'
      WHERE o.merchant_no = ${merchant.merchant_no} AND o.trade_no = ${tradeNo}`.execute(t.gateway.context.db)).rows[0]!;

  it('makes one order of identical creates in one batch, and gives every one the same answer', async () => {
    context = countingContext();
    const body = signedBody(checkoutFields(), t.merchant.appSecret);
    const results = await createTogether(Array(8).fill(body));
    expect(statements).toEqual([8]);
    const answers = results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason));
    expect(answers.every((answer) => !(answer instanceof Error))).toBe(true);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await ordersWithTradeNo(body.tradeNo as string)).toEqual({ n: 1, events: 1 });
  });

  it('refuses with 8005 a create in the same batch that reuses the tradeNo with another amount', async () => {
    context = countingContext();
    const fields = checkoutFields();
    const first = signedBody(fields, t.merchant.appSecret);
    const changed = signedBody({ ...fields, amount: '301.00' }, t.merchant.appSecret);
    const [kept, refused] = await createTogether([first, changed]);
    expect(statements).toEqual([2]);
    expect(kept!.status).toBe('fulfilled');
    expect(refused!.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(PayrailError);
    expect((refused as PromiseRejectedResult).reason.code).toBe('8005');
    expect(await ordersWithTradeNo(fields.tradeNo as string)).toEqual({ n: 1, events: 1 });
  });

  it('fails only the row the database refuses, and writes its neighbours in the same batch', async () => {
    context = countingContext();
    const bodies = Array.from({ length: 5 }, () => signedBody(checkoutFields(), t.merchant.appSecret));
    // The third order breaks the currency CHECK constraint, which only the database enforces here.
    const results = await createTogether(bodies, (input, index) => {
      if (index === 2) (input as { currency: string }).currency = 'EUR';
    });
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/check constraint/i);
    // The batch of five failed as a whole, then each row was tried on its own.
    expect(statements).toEqual([5, 1, 1, 1, 1, 1]);
    for (const [index, body] of bodies.entries()) {
      expect(await ordersWithTradeNo(body.tradeNo as string)).toEqual(index === 2 ? { n: 0, events: 0 } : { n: 1, events: 1 });
    }
  });

  it('writes a create that arrives alone as a batch of one', async () => {
    context = countingContext();
    const body = signedBody(checkoutFields(), t.merchant.appSecret);
    await createTogether([body]);
    await createTogether([signedBody(checkoutFields(), t.merchant.appSecret)]);
    expect(statements).toEqual([1, 1]);
  });

  it('splits more creates than a statement holds into several batches', async () => {
    context = countingContext();
    const bodies = Array.from({ length: 70 }, () => signedBody(checkoutFields(), t.merchant.appSecret));
    const results = await createTogether(bodies);
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(statements).toEqual([64, 6]);
  });
});
