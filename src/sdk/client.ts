import { WireStatus } from './status.ts';
import { signRequest, type SaltPlacement, type SignType, type SignedFields } from './sign.ts';
import { PayrailApiError, PayrailNetworkError } from './errors.ts';
import type {
  Balance,
  Charge,
  ChargeRequest,
  Checkout,
  CheckoutRequest,
  DeletedCard,
  Order,
  OrderDisputes,
  OrderReference,
  Payout,
  PayoutRequest,
  PayoutState,
  Refund,
  RefundRequest,
  SavedCard,
} from './types.ts';

export interface PayrailClientOptions {
  /** The gateway's public base URL, such as `http://localhost:8080`. */
  baseUrl: string;
  /** Your 10-digit merchant number. */
  merchantNo: string;
  /** Your app secret. Keep it on your server. */
  appSecret: string;
  /** `MD5` (default) or `HMAC-SHA256`. Notifications come back signed the way you last signed. */
  signType?: SignType;
  /** Where the secret goes in an MD5 sign; the gateway accepts both. Default `suffix`. */
  placement?: SaltPlacement;
  /** How long one attempt may take before it counts as a network error. Default 10 000 ms. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout or an HTTP 502/503/504. Default 2. */
  retries?: number;
  /** Wait before the first retry, doubled at each next one. Default 250 ms. */
  retryDelayMs?: number;
  /** Another fetch (a proxy agent, a test double). Default: the global fetch. */
  fetch?: typeof fetch;
}

interface Envelope {
  code: string;
  msg: string;
  success: boolean;
  timestamp: number;
  data: unknown;
}

const RETRIED_HTTP_STATUSES = new Set([502, 503, 504]);
const MAX_RETRIES = 10;

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' && value !== null && typeof (value as Envelope).code === 'string' && typeof (value as Envelope).msg === 'string';

/**
 * A typed client of the merchant API. Every call is signed afresh (new `timestamp`) at each
 * attempt. Retrying is safe because every call is idempotent: a checkout by `tradeNo`, a refund
 * by `refundNo`, a payout by its `tradeNo`; queries and the balance only read.
 * Failures throw `PayrailApiError` (a business code) or `PayrailNetworkError` (no answer).
 */
export class PayrailClient {
  readonly #options: Required<Omit<PayrailClientOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(options: PayrailClientOptions) {
    if (!/^[0-9]{10}$/.test(options.merchantNo)) throw new TypeError('merchantNo must be 10 digits');
    if (!options.appSecret) throw new TypeError('appSecret is required');
    const baseUrl = new URL(options.baseUrl).toString().replace(/\/+$/, '');
    const retries = options.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) throw new TypeError(`retries must be a whole number from 0 to ${MAX_RETRIES}`);
    this.#options = {
      baseUrl,
      merchantNo: options.merchantNo,
      appSecret: options.appSecret,
      signType: options.signType ?? 'MD5',
      placement: options.placement ?? 'suffix',
      timeoutMs: options.timeoutMs ?? 10_000,
      retries,
      retryDelayMs: options.retryDelayMs ?? 250,
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  /** Creates an order (or answers the same one again for the same request) and its `paymentUrl`. */
  createCheckout(request: CheckoutRequest): Promise<Checkout> {
    return this.call<Checkout>('/v1/checkout', { currency: 'USD', ...request });
  }

  /** The order as it stands: the source of truth before you ship anything. */
  query(reference: OrderReference): Promise<Order> {
    return this.call<Order>('/v1/checkout/query', { ...reference });
  }

  /** Closes an order nobody has paid yet; answers the closed order. */
  close(reference: { tradeNo: string }): Promise<Order> {
    return this.call<Order>('/v1/checkout/close', { tradeNo: reference.tradeNo });
  }

  /** Refunds all or part of a paid order. The same `refundNo` again answers the same refund. */
  refund(request: RefundRequest): Promise<Refund> {
    return this.call<Refund>('/v1/refund', { ...request });
  }

  refundQuery(reference: { refundNo: string }): Promise<Refund> {
    return this.call<Refund>('/v1/refund/query', { refundNo: reference.refundNo });
  }

  balance(): Promise<Balance> {
    return this.call<Balance>('/v1/balance', {});
  }

  /** Pays out of the available balance to a Visa or Mastercard card. */
  payout(request: PayoutRequest): Promise<Payout> {
    return this.call<Payout>('/v1/payout', { currency: 'USD', customerAccountType: 'DebitCard', ...request });
  }

  payoutQuery(reference: OrderReference): Promise<PayoutState> {
    return this.call<PayoutState>('/v1/payout/query', { ...reference });
  }

  /** An order's disputes (chargebacks), by the order or by one dispute's `disputeNo`. */
  disputeQuery(reference: OrderReference | { disputeNo: string }): Promise<OrderDisputes> {
    return this.call<OrderDisputes>('/v1/dispute/query', { ...reference });
  }

  /** Charges a customer's saved card without them (cards on file). The same `tradeNo` again answers the same charge. */
  charge(request: ChargeRequest): Promise<Charge> {
    return this.call<Charge>('/v1/charge', { currency: 'USD', ...request });
  }

  /** A customer's saved cards, newest first. */
  async listCards(reference: { customerId: string }): Promise<SavedCard[]> {
    return (await this.call<{ cards: SavedCard[] }>('/v1/card/list', { customerId: reference.customerId })).cards;
  }

  /** Deletes a saved card here and asks its acquirer to forget it; answers `{ cardToken, deleted: true }`, and later charges with it `8009`. */
  async deleteCard(reference: { cardToken: string }): Promise<DeletedCard> {
    return this.call<DeletedCard>('/v1/card/delete', { cardToken: reference.cardToken });
  }

  /** Any merchant API path, signed and unwrapped: answers `data`, throws on a business error. */
  async call<T>(path: string, fields: SignedFields): Promise<T> {
    const { retries, retryDelayMs } = this.#options;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#attempt<T>(path, fields);
      } catch (error) {
        if (!(error instanceof PayrailNetworkError) || attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** attempt));
      }
    }
  }

  async #attempt<T>(path: string, fields: SignedFields): Promise<T> {
    const { baseUrl, merchantNo, appSecret, signType, placement, timeoutMs } = this.#options;
    const body = signRequest(fields, appSecret, { signType, placement });
    let response: Response;
    let text: string;
    try {
      response = await this.#options.fetch(baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', merchantNo },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      throw new PayrailNetworkError(`${path}: no answer from the gateway (${(error as Error).message})`, { cause: error });
    }
    if (RETRIED_HTTP_STATUSES.has(response.status)) {
      throw new PayrailNetworkError(`${path}: the gateway answered HTTP ${response.status}`);
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    if (!isEnvelope(envelope)) {
      throw new PayrailNetworkError(`${path}: HTTP ${response.status} without a Payrail envelope`);
    }
    if (envelope.code !== WireStatus.Success) throw new PayrailApiError(envelope.code, envelope.msg, response.status);
    return envelope.data as T;
  }
}
