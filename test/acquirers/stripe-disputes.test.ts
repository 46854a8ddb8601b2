import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { balanceInCents, disputeNoticesOf, startGatewayWithLocalStripe } from '../support/processor-gateways.ts';
import type { FakeStripe } from '../../src/acquirers/stripe/test-server.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { listDisputeEvents, listDisputesOfOrder } from '../../src/store/disputes.ts';
import { DisputeStatus } from '../../src/domain/dispute.ts';

const WEBHOOK_SECRET = 'whsec_disputesecret';

/**
 * Stripe chargebacks end to end: a local Stripe takes the payment and signs `charge.dispute.*`
 * events (its Dispute objects), which reach the gateway through its webhook. The money moves as
 * docs/api.md, "Disputes", says, once, whatever order or how often the events come.
 */
describeEachDatabase('Stripe disputes through its webhook, against a local Stripe', (kind) => {
  let stripe: FakeStripe;
  let t: TestGateway;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ stripe, t, close } = await startGatewayWithLocalStripe(kind, WEBHOOK_SECRET));
  });
  afterAll(() => close());

  const db = () => t.gateway.context.db;
  const balance = () => balanceInCents(t);
  const webhook = (event: { body: string; headers: Record<string, string> }) =>
    t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/stripe/webhook', headers: event.headers, payload: event.body });
  const disputeNotices = (orderNo: string) => disputeNoticesOf(db(), orderNo);

  /** A paid order and the PaymentIntent Stripe made for it. */
  const paidOrder = async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4242424242424242');
    const attempt = await db().selectFrom('payment_attempts').selectAll().where('order_no', '=', customer.platFormTradeNo).executeTakeFirstOrThrow();
    return { orderNo: customer.platFormTradeNo, intent: stripe.intentFor(attempt.id)! };
  };

  const send = async (type: string, dispute: Record<string, unknown>, id?: string) => {
    const response = await webhook(stripe.signedEvent(type, dispute, id ? { id } : {}));
    expect(response.statusCode).toBe(200);
  };

  it('a chargeback lost: opening holds the amount, the withdrawal holds nothing more, losing takes it and the dispute fee; the merchant hears twice', async () => {
    const { orderNo, intent } = await paidOrder();
    const before = await balance();
    const dispute = stripe.dispute(intent.id);

    await send('charge.dispute.created', dispute);
    const [opened] = await listDisputesOfOrder(db(), orderNo);
    expect(opened).toMatchObject({ processor: 'stripe', processor_dispute_id: dispute.id, status: DisputeStatus.Open, reason: 'FRAUDULENT', amount_cents: intent.amount });
    expect(opened!.evidence_due_by).toBeInstanceOf(Date);
    expect(await balance()).toEqual({ total: before.total - intent.amount, frozen: before.frozen + intent.amount });
    expect(await disputeNotices(orderNo)).toBe(1);

    await send('charge.dispute.funds_withdrawn', dispute);
    expect(await balance()).toEqual({ total: before.total - intent.amount, frozen: before.frozen + intent.amount });

    await send('charge.dispute.closed', { ...dispute, status: 'lost' });
    const [lost] = await listDisputesOfOrder(db(), orderNo);
    expect(lost).toMatchObject({ status: DisputeStatus.Lost, fee_cents: 1500 });
    expect(await balance()).toEqual({ total: before.total - intent.amount - 1500, frozen: before.frozen });
    expect(await disputeNotices(orderNo)).toBe(2);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('a chargeback won: the held amount comes back, no fee', async () => {
    const { orderNo, intent } = await paidOrder();
    const before = await balance();
    const dispute = stripe.dispute(intent.id, { reason: 'product_not_received' });
    await send('charge.dispute.created', dispute);
    await send('charge.dispute.funds_withdrawn', dispute);
    await send('charge.dispute.funds_reinstated', dispute);
    await send('charge.dispute.closed', { ...dispute, status: 'won' });
    const [won] = await listDisputesOfOrder(db(), orderNo);
    expect(won).toMatchObject({ status: DisputeStatus.Won, reason: 'PRODUCT_NOT_RECEIVED', fee_cents: null });
    expect(await balance()).toEqual(before);
    expect(await disputeNotices(orderNo)).toBe(2);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('events twice and out of order move the money once: closed (lost) first, then created, withdrawn, and each again', async () => {
    const { orderNo, intent } = await paidOrder();
    const before = await balance();
    const dispute = stripe.dispute(intent.id);
    const closed = stripe.signedEvent('charge.dispute.closed', { ...dispute, status: 'lost' }, { id: 'evt_closed_' + dispute.id });
    await webhook(closed);
    await send('charge.dispute.created', dispute);
    await send('charge.dispute.funds_withdrawn', dispute);
    // The same event delivered again is a duplicate; another event saying the same moves nothing.
    expect((await webhook(closed)).statusCode).toBe(200);
    await send('charge.dispute.created', dispute);
    await send('charge.dispute.closed', { ...dispute, status: 'won' });

    const disputes = await listDisputesOfOrder(db(), orderNo);
    expect(disputes).toHaveLength(1);
    expect(disputes[0]).toMatchObject({ status: DisputeStatus.Lost });
    expect(await balance()).toEqual({ total: before.total - intent.amount - 1500, frozen: before.frozen });
    // The duplicate delivery was stored once and recorded nothing.
    expect(await listDisputeEvents(db(), disputes[0]!.dispute_no)).toHaveLength(5);
    expect(await disputeNotices(orderNo)).toBe(1);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('a dispute that is not about the payment we made (another currency, more than was paid, an unknown intent) moves nothing', async () => {
    const { orderNo, intent } = await paidOrder();
    const before = await balance();
    await send('charge.dispute.created', stripe.dispute(intent.id, { currency: 'eur' }));
    await send('charge.dispute.created', stripe.dispute(intent.id, { amount: intent.amount + 1 }));
    await send('charge.dispute.created', stripe.dispute('pi_notours'));
    expect(await listDisputesOfOrder(db(), orderNo)).toEqual([]);
    expect(await balance()).toEqual(before);
    const mismatched = await db().selectFrom('acquirer_events').select('mismatch').where('order_no', '=', orderNo).where('mismatch', 'is not', null).execute();
    expect(mismatched).toHaveLength(2);
  });
});
