import type { AuthorizeRequest, RefundRequest } from '../acquirer.ts';

/**
 * Adyen Checkout API calls before they are sent (docs/acquirers.md). Pure: no I/O. Paths are
 * relative to ADYEN_CHECKOUT_URL, which already carries the API version.
 * References: https://docs.adyen.com/api-explorer/Checkout/71/post/payments,
 * /payments/details, /payments/{paymentPspReference}/refunds, /cancels.
 */
export interface AdyenCall {
  path: string;
  body: Record<string, unknown>;
  /** Sent as `Idempotency-Key`: our attempt or refund id (https://docs.adyen.com/development-resources/api-idempotency). */
  idempotencyKey?: string;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** The one place the Adyen connector reveals the card number and CVC: into the request body. */
export function buildPayment(request: AuthorizeRequest, merchantAccount: string): AdyenCall {
  const { card, browser } = request;
  return {
    path: '/payments',
    idempotencyKey: request.idempotencyKey,
    body: {
      merchantAccount,
      reference: request.idempotencyKey,
      amount: { value: request.amount, currency: request.currency },
      paymentMethod: {
        type: 'scheme',
        number: card.number.reveal(),
        expiryMonth: twoDigits(card.expiry.month),
        // Adyen wants the year in four digits.
        expiryYear: String(card.expiry.year),
        cvc: card.cvc.reveal(),
        holderName: card.holder,
      },
      // Authorise and capture in one step.
      captureDelayHours: 0,
      shopperInteraction: 'Ecommerce',
      channel: 'Web',
      ...(request.returnUrl ? { returnUrl: request.returnUrl } : {}),
      ...(request.shopperIp ? { shopperIP: request.shopperIp } : {}),
      ...(browser ? { browserInfo: { ...browser } } : {}),
    },
  };
}

/** The browser came back from the issuer with `redirectResult`: Adyen finishes the payment. */
export const buildPaymentDetails = (redirectResult: string): AdyenCall => ({ path: '/payments/details', body: { details: { redirectResult } } });

export function buildRefund(request: RefundRequest, merchantAccount: string): AdyenCall {
  if (!request.currency) throw new TypeError('an Adyen refund needs the sale currency');
  return {
    path: `/payments/${encodeURIComponent(request.reference)}/refunds`,
    idempotencyKey: request.idempotencyKey,
    body: { merchantAccount, reference: request.idempotencyKey, amount: { value: request.amount, currency: request.currency } },
  };
}

/** Cancels the authorisation sent with our reference, for when we never learnt its pspReference. */
export const buildCancelByReference = (attemptId: string, merchantAccount: string): AdyenCall => ({
  path: '/cancels',
  idempotencyKey: `cancel-${attemptId}`,
  body: { merchantAccount, paymentReference: attemptId, reference: `cancel-${attemptId}` },
});
