import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { balanceInCents, disputeNoticesOf, startGatewayWithLocalAdyen } from '../support/processor-gateways.ts';
import type { FakeAdyen } from '../../src/acquirers/adyen/test-server.ts';
import { checkLedger } from '../../src/store/ledger/check-ledger.ts';
import { listDisputeEvents, listDisputesOfOrder } from '../../src/store/disputes.ts';
import { DisputeStatus } from '../../src/domain/dispute.ts';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

/**
 * Adyen chargebacks end to end: a local Adyen takes the payment, and its signed dispute
 * notifications reach the gateway through the webhook; the money moves as docs/api.md,
 * "Disputes", says.
 */
describeEachDatabase('Adyen disputes through its webhook, against a local Adyen', (kind) => {
  let adyen: FakeAdyen;
  let t: TestGateway;
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    ({ adyen, t, close } = await startGatewayWithLocalAdyen(kind, { ADYEN_HMAC_KEY: HMAC_KEY, ACQUIRER_TIMEOUT_MS: 2_000 }));
  });
  afterAll(() => close());

  const db = () => t.gateway.context.db;
  const balance = () => balanceInCents(t);
  const notify = async (item: Record<string, unknown>) => {
    const response = await t.gateway.app.inject({ method: 'POST', url: '/v1/acquirers/adyen/webhook', headers: { 'content-type': 'application/json' }, payload: adyen.notification(item, HMAC_KEY) });
    expect(response).toMatchObject({ statusCode: 200, body: '[accepted]' });
  };
  const disputeNotices = (orderNo: string) => disputeNoticesOf(db(), orderNo);

  /** A paid order, and our reference for it at Adyen (the attempt id). */
  const paidOrder = async () => {
    const customer = await CashierClient.forNewOrder(t);
    await customer.open();
    await customer.pay('4111111145551142');
    const attempt = await db().selectFrom('payment_attempts').selectAll().where('order_no', '=', customer.platFormTradeNo).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ acquirer: 'adyen', status: 'approved' });
    return { orderNo: customer.platFormTradeNo, reference: attempt.id, amount: adyen.payment(attempt.id)!.amount.value };
  };

  it('a chargeback lost: the notification holds the amount, the chargeback holds nothing more, its Lost status takes it and the dispute fee', async () => {
    const { orderNo, reference, amount } = await paidOrder();
    const before = await balance();

    await notify(adyen.disputeItem(reference, 'NOTIFICATION_OF_CHARGEBACK'));
    const [opened] = await listDisputesOfOrder(db(), orderNo);
    expect(opened).toMatchObject({ processor: 'adyen', status: DisputeStatus.Open, reason: 'FRAUDULENT', amount_cents: amount });
    expect(opened!.evidence_due_by).toBeInstanceOf(Date);
    expect(await balance()).toEqual({ total: before.total - amount, frozen: before.frozen + amount });
    expect(await disputeNotices(orderNo)).toBe(1);

    await notify(adyen.disputeItem(reference, 'CHARGEBACK', { additionalData: { disputeStatus: 'Undefended' } }));
    expect(await balance()).toEqual({ total: before.total - amount, frozen: before.frozen + amount });

    await notify(adyen.disputeItem(reference, 'CHARGEBACK', { additionalData: { disputeStatus: 'Lost' } }));
    const [lost] = await listDisputesOfOrder(db(), orderNo);
    expect(lost).toMatchObject({ status: DisputeStatus.Lost, fee_cents: 1500 });
    expect(await balance()).toEqual({ total: before.total - amount - 1500, frozen: before.frozen });
    expect(await disputeNotices(orderNo)).toBe(2);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('a chargeback reversed: the withdrawn amount comes back, no fee; a repeated reversal moves nothing', async () => {
    const { orderNo, reference, amount } = await paidOrder();
    const before = await balance();
    await notify(adyen.disputeItem(reference, 'CHARGEBACK', { reason: 'Merchandise/Services Not Received', additionalData: { chargebackReasonCode: '13.1', disputeStatus: 'Pending' } }));
    expect(await balance()).toEqual({ total: before.total - amount, frozen: before.frozen + amount });
    const reversal = adyen.disputeItem(reference, 'CHARGEBACK_REVERSED');
    await notify(reversal);
    await notify(reversal);
    const [won] = await listDisputesOfOrder(db(), orderNo);
    expect(won).toMatchObject({ status: DisputeStatus.Won, reason: 'PRODUCT_NOT_RECEIVED', fee_cents: null });
    expect(await listDisputeEvents(db(), won!.dispute_no)).toHaveLength(2);
    expect(await balance()).toEqual(before);
    expect(await disputeNotices(orderNo)).toBe(2);
    expect(await checkLedger(db())).toEqual([]);
  });

  it('a chargeback for more than was paid, or of a payment that is not ours, moves nothing', async () => {
    const { orderNo, reference, amount } = await paidOrder();
    const before = await balance();
    await notify(adyen.disputeItem(reference, 'NOTIFICATION_OF_CHARGEBACK', { amount: { value: amount + 1, currency: 'USD' } }));
    await notify(adyen.disputeItem(reference, 'NOTIFICATION_OF_CHARGEBACK', { originalReference: 'NOTOURS123456789' }));
    expect(await listDisputesOfOrder(db(), orderNo)).toEqual([]);
    expect(await balance()).toEqual(before);
  });
});
