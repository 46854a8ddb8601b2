import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LedgerAccount } from './ledger-account.ts';
import { cents } from './money.ts';
import {
  disputeHoldPosting,
  disputeLossPosting,
  disputeReleasePosting,
  PAYMENT_ENTRY_TERMS,
  paymentPosting,
  payoutHoldPosting,
  payoutPaidPosting,
  payoutReversedPosting,
  refundPosting,
  settlementPosting,
  type LedgerPosting,
} from './ledger-postings.ts';

const sum = (posting: LedgerPosting) => posting.entries.reduce((total, entry) => total + entry.amount, 0);
const on = (posting: LedgerPosting, account: LedgerAccount) => posting.entries.filter((entry) => entry.account === account).reduce((total, entry) => total + entry.amount, 0);

const amount = fc.integer({ min: 1, max: 99_999_999_999 });
const order = (amountCents: number) => ({ merchant_no: 'M1', plat_form_trade_no: 'P1', amount_cents: cents(amountCents) });

describe('ledger postings', () => {
  it('credits the merchant a payment less the fee, rounded half up, and the fee to revenue', () => {
    const posting = paymentPosting(order(10_000), 290);
    expect(posting).toMatchObject({ kind: 'payment', merchantNo: 'M1', orderNo: 'P1' });
    expect(on(posting, LedgerAccount.AcquirerClearing)).toBe(10_000);
    expect(on(posting, LedgerAccount.MerchantPending)).toBe(-9_710);
    expect(on(posting, LedgerAccount.FeeRevenue)).toBe(-290);
  });

  it("states a payment's entries as terms that balance for any amount and fee (the outcome's statement evaluates them without this module's check)", () => {
    expect(PAYMENT_ENTRY_TERMS.reduce((total, term) => total + term.ofAmount, 0)).toBe(0);
    expect(PAYMENT_ENTRY_TERMS.reduce((total, term) => total + term.ofFee, 0)).toBe(0);
    expect(new Set(PAYMENT_ENTRY_TERMS.map((term) => term.account)).size).toBe(PAYMENT_ENTRY_TERMS.length);
  });

  it('balances every posting it builds, whatever the amounts', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 10_000 }), fc.boolean(), fc.integer({ min: 0, max: 100_000 }), (cents_, feeBps, settled, fee) => {
        const payout = { id: 'po1', merchant_no: 'M1', amount_cents: cents_, fee_cents: fee };
        const postings = [
          paymentPosting(order(cents_), feeBps),
          refundPosting({ id: 'r1', merchant_no: 'M1', order_no: 'P1', amount_cents: cents(cents_) }, settled),
          settlementPosting(order(cents_), -cents_),
          payoutHoldPosting(payout),
          payoutPaidPosting(payout),
          payoutReversedPosting(payout),
          disputeHoldPosting({ dispute_no: 'd1', merchant_no: 'M1', order_no: 'P1', amount_cents: cents_ }, settled),
          disputeReleasePosting({ dispute_no: 'd1', merchant_no: 'M1', order_no: 'P1', amount_cents: cents_ }),
          disputeLossPosting({ dispute_no: 'd1', merchant_no: 'M1', order_no: 'P1', amount_cents: cents_ }, fee),
        ];
        for (const posting of postings) expect(sum(posting)).toBe(0);
      }),
    );
  });

  it('takes a refund from pending before settlement and from available after', () => {
    const refund = { id: 'r1', merchant_no: 'M1', order_no: 'P1', amount_cents: cents(500) };
    expect(on(refundPosting(refund, false), LedgerAccount.MerchantPending)).toBe(500);
    expect(on(refundPosting(refund, true), LedgerAccount.MerchantAvailable)).toBe(500);
  });

  it('moves what an order still has pending to available, and a payout hold back on reversal', () => {
    const settlement = settlementPosting(order(1_000), -971);
    expect(on(settlement, LedgerAccount.MerchantPending)).toBe(971);
    expect(on(settlement, LedgerAccount.MerchantAvailable)).toBe(-971);
    const payout = { id: 'po1', merchant_no: 'M1', amount_cents: 1_000, fee_cents: 50 };
    expect(on(payoutHoldPosting(payout), LedgerAccount.MerchantAvailable)).toBe(1_050);
    expect(on(payoutReversedPosting(payout), LedgerAccount.MerchantAvailable)).toBe(-1_050);
    expect(on(payoutPaidPosting(payout), LedgerAccount.FeeRevenue)).toBe(-50);
  });
});
