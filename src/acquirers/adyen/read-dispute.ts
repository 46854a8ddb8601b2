import type { DisputeEvent, DisputeReason, DisputeStage } from '../../domain/dispute.ts';
import type { Cents } from '../../domain/money.ts';
import { minorUnits, storableText } from '../processor-event.ts';
import { isJsonObject } from '../json.ts';

/**
 * Adyen's dispute notifications (https://docs.adyen.com/risk-management/disputes-api/dispute-notifications,
 * https://docs.adyen.com/risk-management/understanding-disputes/dispute-process-and-flow) in
 * processor-neutral terms (domain/dispute.ts). Pure; never throws.
 *
 * | eventCode | stage |
 * | --- | --- |
 * | REQUEST_FOR_INFORMATION, NOTIFICATION_OF_CHARGEBACK | opened (the amount is held) |
 * | CHARGEBACK, SECOND_CHARGEBACK | funds_withdrawn; lost when `additionalData.disputeStatus` is Lost, Accepted or Expired |
 * | CHARGEBACK_REVERSED | funds_reinstated (won) |
 * | PREARBITRATION_WON / PREARBITRATION_LOST | won / lost |
 */
const STAGE_OF: Readonly<Record<string, DisputeStage>> = {
  REQUEST_FOR_INFORMATION: 'opened',
  NOTIFICATION_OF_CHARGEBACK: 'opened',
  CHARGEBACK: 'funds_withdrawn',
  SECOND_CHARGEBACK: 'funds_withdrawn',
  CHARGEBACK_REVERSED: 'funds_reinstated',
  PREARBITRATION_WON: 'won',
  PREARBITRATION_LOST: 'lost',
};

/** `additionalData.disputeStatus` values that end a chargeback: the merchant lost it, accepted it, or let the defence period pass. */
const ENDED_AS: Readonly<Record<string, DisputeStage>> = { Lost: 'lost', Accepted: 'lost', Expired: 'lost', Won: 'won' };

export const isAdyenDisputeEvent = (eventCode: string) => eventCode in STAGE_OF;

/** The card schemes' reason codes Adyen passes on (`chargebackReasonCode`): Visa and Mastercard's common ones. */
const BY_REASON_CODE: Readonly<Record<string, DisputeReason>> = {
  '10.4': 'FRAUDULENT',
  '4837': 'FRAUDULENT',
  '4863': 'UNRECOGNIZED',
  '13.1': 'PRODUCT_NOT_RECEIVED',
  '4855': 'PRODUCT_NOT_RECEIVED',
  '12.6.1': 'DUPLICATE',
  '4834': 'DUPLICATE',
  '13.6': 'CREDIT_NOT_PROCESSED',
  '4860': 'CREDIT_NOT_PROCESSED',
  '13.2': 'SUBSCRIPTION_CANCELED',
  '4841': 'SUBSCRIPTION_CANCELED',
  '13.3': 'PRODUCT_UNACCEPTABLE',
  '4853': 'PRODUCT_UNACCEPTABLE',
};

/** The same by Adyen's `reason` text, when the code is not one of those. */
const BY_REASON_TEXT: ReadonlyArray<[RegExp, DisputeReason]> = [
  [/fraud|no cardholder authori[sz]ation/i, 'FRAUDULENT'],
  [/not recogni[sz]ed/i, 'UNRECOGNIZED'],
  [/not received|not provided|non-receipt/i, 'PRODUCT_NOT_RECEIVED'],
  [/duplicate|paid by other means/i, 'DUPLICATE'],
  [/credit not processed/i, 'CREDIT_NOT_PROCESSED'],
  [/recurring|subscription/i, 'SUBSCRIPTION_CANCELED'],
  [/not as described|defective/i, 'PRODUCT_UNACCEPTABLE'],
];

export function disputeReasonOf(code: unknown, text: unknown): DisputeReason {
  const byCode = typeof code === 'string' ? BY_REASON_CODE[code.trim()] : undefined;
  if (byCode) return byCode;
  const reason = typeof text === 'string' ? text.slice(0, 200) : '';
  return BY_REASON_TEXT.find(([pattern]) => pattern.test(reason))?.[1] ?? 'GENERAL';
}


/** An ISO 8601 date Adyen writes (`eventDate`, `defensePeriodEndsAt`), when it is one. */
function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A verified dispute notification item. The dispute is named by the payment it disputes
 * (`originalReference`, the payment's pspReference): every notification of one dispute carries it,
 * and Adyen runs one dispute per payment.
 */
export function readAdyenDispute(item: Record<string, unknown>, nowMs: number): { dispute: DisputeEvent } | { unreadable: string } {
  const eventCode = typeof item.eventCode === 'string' ? item.eventCode : '';
  const base = STAGE_OF[eventCode];
  if (!base) return { unreadable: `not a dispute notification (${eventCode.slice(0, 40)})` };
  const payment = storableText(item.originalReference);
  const amount = isJsonObject(item.amount) ? item.amount : {};
  const value = minorUnits(amount.value);
  const currency = storableText(amount.currency);
  if (!payment || value === undefined || !currency) return { unreadable: 'a dispute notification without a readable originalReference, amount or currency' };
  const additional = isJsonObject(item.additionalData) ? item.additionalData : {};
  const ended = base === 'funds_withdrawn' && typeof additional.disputeStatus === 'string' ? ENDED_AS[additional.disputeStatus] : undefined;
  const evidenceDueBy = dateOf(additional.defensePeriodEndsAt);
  return {
    dispute: {
      processor: 'adyen',
      processorDisputeId: payment,
      paymentReference: payment,
      amount: value as Cents,
      currency,
      reason: disputeReasonOf(additional.chargebackReasonCode, item.reason),
      ...(evidenceDueBy ? { evidenceDueBy } : {}),
      stage: ended ?? base,
      occurredAt: dateOf(item.eventDate) ?? new Date(nowMs),
    },
  };
}
