import type { AuthorizeRequest, RefundRequest, StoredAuthorizeRequest, StoredCardReference } from '../acquirer.ts';

/**
 * Adyen Checkout API calls before they are sent (docs/acquirers.md). Pure: no I/O. Paths are
 * relative to ADYEN_CHECKOUT_URL, which already carries the API version.
 * References: https://docs.adyen.com/api-explorer/Checkout/71/post/payments,
 * /payments/details, /payments/{paymentPspReference}/refunds, /cancels,
 * DELETE /storedPaymentMethods/{storedPaymentMethodId}.
 */
export interface AdyenCall {
  /** POST unless said otherwise. */
  method?: 'DELETE';
  path: string;
  /** Sent as JSON; absent for a DELETE. */
  body?: Record<string, unknown>;
  /** Sent as `Idempotency-Key`: our attempt or refund id (https://docs.adyen.com/development-resources/api-idempotency). */
  idempotencyKey?: string;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * What every sale sends besides its payment method and its stored-credential indicators: our
 * reference (also the Idempotency-Key), the amount, capture in the same step, and what 3-D Secure
 * wants of the shopper's browser when there is one.
 */
function sale(request: AuthorizeRequest | StoredAuthorizeRequest, merchantAccount: string, method: Record<string, unknown>, indicators: Record<string, unknown>): AdyenCall {
  const { browser } = request;
  return {
    path: '/payments',
    idempotencyKey: request.idempotencyKey,
    body: {
      merchantAccount,
      reference: request.idempotencyKey,
      amount: { value: request.amount, currency: request.currency },
      paymentMethod: method,
      // Authorise and capture in one step.
      captureDelayHours: 0,
      ...indicators,
      channel: 'Web',
      ...(request.returnUrl ? { returnUrl: request.returnUrl } : {}),
      ...(request.shopperIp ? { shopperIP: request.shopperIp } : {}),
      ...(browser ? { browserInfo: { ...browser } } : {}),
    },
  };
}

/** The one place the Adyen connector reveals the card number and CVC: into the request body. */
export function buildPayment(request: AuthorizeRequest, merchantAccount: string): AdyenCall {
  const { card } = request;
  const method = {
    type: 'scheme',
    number: card.number.reveal(),
    expiryMonth: twoDigits(card.expiry.month),
    // Adyen wants the year in four digits.
    expiryYear: String(card.expiry.year),
    cvc: card.cvc.reveal(),
    holderName: card.holder,
  };
  // Saving the card, the shopper typing it: Adyen answers its storedPaymentMethodId in additionalData.
  const saving = request.saveFor && { storePaymentMethod: true, recurringProcessingModel: 'CardOnFile', shopperReference: request.saveFor.customerReference };
  return sale(request, merchantAccount, method, { shopperInteraction: 'Ecommerce', ...saving });
}

/**
 * A sale with a card Adyen stored, always `ContAuth` (a card payment without the CVC, with details
 * stored before); who starts it is the processing model: the customer paying in one step,
 * `CardOnFile` (with their browser and address, so that 3-D Secure can redirect as for any sale);
 * the merchant without them, `Subscription` for a recurring or instalment charge,
 * `UnscheduledCardOnFile` otherwise. https://docs.adyen.com/online-payments/tokenization/create-and-use-tokens
 * ("Set parameters to flag transactions": later payments are ContAuth) and
 * https://docs.adyen.com/checkout/tokenization/making-payments-with-tokens ("whenever you make a card
 * payment without collecting CVC, you need to specify the shopperInteraction as ContAuth").
 */
export function buildStoredPayment(request: StoredAuthorizeRequest, merchantAccount: string): AdyenCall {
  const { token, customerReference } = request.storedCard;
  const model = request.initiator === 'customer' ? 'CardOnFile' : request.reason === 'RECURRING' || request.reason === 'INSTALMENT' ? 'Subscription' : 'UnscheduledCardOnFile';
  const indicators = { shopperInteraction: 'ContAuth', recurringProcessingModel: model, shopperReference: customerReference };
  return sale(request, merchantAccount, { type: 'scheme', storedPaymentMethodId: token }, indicators);
}

/** Detaches a stored card (204 No Content): https://docs.adyen.com/api-explorer/Checkout/71/delete/storedPaymentMethods/(storedPaymentMethodId). */
export function buildDeleteStoredPaymentMethod(card: StoredCardReference, merchantAccount: string): AdyenCall {
  const query = new URLSearchParams({ shopperReference: card.customerReference, merchantAccount });
  return { method: 'DELETE', path: `/storedPaymentMethods/${encodeURIComponent(card.token)}?${query}` };
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
