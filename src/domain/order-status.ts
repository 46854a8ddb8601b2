/**
 * The order state machine (docs/api.md, "Order status"). Status only moves forward:
 * CREATED ⇄ PROCESSING while the order is open (a declined card returns it to CREATED),
 * then exactly one final status, which never changes again.
 */
/** Wire status codes of an order. */
export type OrderStatus = '0015' | '0000' | '00029' | '00030' | '00031';

export const OrderStatusCode = {
  /** Waiting for the customer (CREATED) or a payment attempt is under way (PROCESSING). */
  Open: '0015',
  /** Paid. Final. */
  Paid: '0000',
  /** Attempts exhausted or refused for good; desc says why, e.g. "FAILED: DO_NOT_HONOR". Final. */
  Failed: '00029',
  /** Not paid before the order's expiry. Final. */
  Expired: '00030',
  /** Closed by the merchant before payment. Final. */
  Closed: '00031',
} as const satisfies Record<string, OrderStatus>;

export const OPEN_DESC = { created: 'CREATED', processing: 'PROCESSING' } as const;

export const FINAL_STATUSES: readonly OrderStatus[] = ['0000', '00029', '00030', '00031'];

export const isFinal = (status: OrderStatus) => FINAL_STATUSES.includes(status);

export const failedDesc = (reason: string) => `FAILED: ${reason}`;

/**
 * Which statuses a merchant's code understands (docs/api.md, "Status set per merchant"):
 * `family` knows only 0000, 0001, 0015 and 00029, and a family client polls anything else
 * forever, so an expired or closed order is 00029 to it (its desc still says EXPIRED or
 * CLOSED); `extended` sees 00030 and 00031 as they are. Storage always keeps the exact state.
 */
export type StatusSet = 'family' | 'extended';

export const STATUS_SETS: readonly StatusSet[] = ['family', 'extended'];

/** Every status the family's clients know; Payrail itself never produces 0001. */
export const FAMILY_STATUSES = ['0000', '0001', '0015', '00029'] as const;

/** The one place an order's stored status becomes the status a merchant is told. */
export function wireStatus(status: OrderStatus, set: StatusSet): OrderStatus {
  if (set === 'family' && (status === OrderStatusCode.Expired || status === OrderStatusCode.Closed)) return OrderStatusCode.Failed;
  return status;
}

/** Whether the state machine allows moving from one status to another. */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return from === '0015' && to !== '0015';
}
