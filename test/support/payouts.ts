import { settlePayments } from '../../src/ledger/settle-payments.ts';
import { CashierClient } from './cashier-client.ts';
import type { TestGateway, TestMerchant } from './test-gateway.ts';

/** Gives a merchant an available balance the way it really gets one: a paid order, then settlement. */
export async function fundMerchant(t: TestGateway, merchant: TestMerchant, amount: string) {
  const customer = await CashierClient.forNewOrder(t, { amount }, merchant);
  await customer.open();
  await customer.pay('4242424242424242');
  await settlePayments(t.gateway.context.db, 0);
  return customer;
}

let payouts = 0;

/** A valid payout body with a fresh tradeNo. */
export function payoutFields(overrides: Record<string, string> = {}): Record<string, string> {
  payouts += 1;
  return {
    tradeNo: `PO${Date.now()}${payouts}`,
    amount: '10.00',
    currency: 'USD',
    customerName: 'Grace Hopper',
    customerAccountType: 'DebitCard',
    customerAccount: '4242424242424242',
    notifyUrl: 'https://merchant.example/payout-notify',
    remark: 'weekly payout',
    ...overrides,
  };
}
