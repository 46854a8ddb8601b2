import type { GatewayContext } from '../context.ts';
import type { PayoutQueryResult, PayoutResult } from '../acquirers/acquirer.ts';
import { bin, last4, secretPan, type CardBrand } from '../domain/card.ts';
import { cardFingerprint } from '../domain/card-fingerprint.ts';
import type { Secret } from '../domain/secret.ts';
import type { MasterKey } from '../secrets/master-key.ts';
import { BusinessCode, PayrailError } from '../domain/errors.ts';
import { cents } from '../domain/money.ts';
import { recheckProcessingMs } from './timing.ts';
import { addPayoutEvent, createPayout, recordPayoutOutcome, type NewPayout, type PayoutRow } from '../store/payouts.ts';

export type PayoutRequest = Omit<NewPayout, 'checkAfter' | 'acquirer'>;

/**
 * What a payout keeps of the card: brand, BIN and last four to show, the keyed fingerprint (which
 * also stands for the number in the request's idempotency hash), and the number sealed under the
 * master key until the acquirer has answered.
 */
export function payoutCard(masterKey: MasterKey, card: { number: Secret<string>; brand: CardBrand }): NewPayout['card'] {
  return {
    brand: card.brand,
    bin: bin(card.number),
    last4: last4(card.number),
    fingerprint: cardFingerprint(masterKey.fingerprintKey, card.number),
    sealed: masterKey.seal(card.number.reveal()),
  };
}

/**
 * Pays a merchant's money out to a card: choose the first acquirer in the merchant's list that
 * pays out (none: refused with 8016 before anything is held), record the payout with that
 * acquirer and hold the money (balance checked under the merchant's lock), ask the acquirer
 * outside the transaction, record its answer. An answer we do not understand leaves the payout
 * PROCESSING, card still sealed, for the reconciler, which asks the acquirer recorded on the row.
 */
export async function payOut(context: GatewayContext, request: PayoutRequest, merchantAcquirers: readonly string[] | null): Promise<PayoutRow> {
  const acquirer = context.acquirers.routePayout(merchantAcquirers);
  if (!acquirer) {
    const names = context.acquirers.route(merchantAcquirers).map((connector) => connector.name);
    throw new PayrailError(BusinessCode.PayoutUnavailable, `payouts are not available: none of this merchant's acquirers (${names.join(', ')}) pays out to cards; nothing was held`);
  }
  const { payout, created } = await createPayout(context.db, {
    ...request,
    acquirer: acquirer.name,
    checkAfter: new Date(context.now().getTime() + recheckProcessingMs(context.config.acquirerTimeoutMs)),
  });
  if (!created) return payout;
  return sendPayout(context, payout);
}

/** Asks the payout's acquirer to pay it (the same key each time), then records the answer. */
export async function sendPayout(context: GatewayContext, payout: PayoutRow): Promise<PayoutRow> {
  if (payout.card_sealed === null) return payout;
  const acquirer = context.acquirers.get(payout.acquirer);
  await addPayoutEvent(context.db, payout.id, 'sent', `to the ${acquirer.name} acquirer`);
  const answer = await acquirer.payout({
    idempotencyKey: payout.id,
    amount: cents(payout.amount_cents),
    currency: payout.currency,
    cardNumber: secretPan(context.masterKey.open(payout.card_sealed)),
    holder: payout.customer_name,
  });
  return settlePayout(context, payout, answer);
}

export async function settlePayout(context: GatewayContext, payout: PayoutRow, answer: PayoutResult | PayoutQueryResult): Promise<PayoutRow> {
  if (answer.outcome === 'unknown' || answer.outcome === 'not_found') {
    await addPayoutEvent(context.db, payout.id, answer.outcome, answer.outcome === 'unknown' ? answer.detail : 'the acquirer has no record of it');
    return payout;
  }
  const ended = await recordPayoutOutcome(
    context.db,
    payout.id,
    answer.outcome === 'paid' ? { status: 'paid', reference: answer.reference } : { status: 'failed', reason: answer.reason },
    context.now(),
  );
  context.waker.wake();
  return ended;
}
