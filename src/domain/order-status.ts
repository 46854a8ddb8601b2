/**
 * The order state machine (docs/api.md, "Order status"). Status only moves forward:
 * CREATED ⇄ PROCESSING while the order is open (a declined card returns it to CREATED),
 * then exactly one final status, which never changes again. Mirrored by the CHECK
 * constraints on `orders.status` (migration 0001) and on its open sub-state (migration 0010).
 *
 *   CREATED ──startAttempt──► PROCESSING ──pay──► PAID
 *      ▲                          │
 *      └───── endAttempt ─────────┴──endAttempt (at the attempt limit)──► FAILED
 *   CREATED ──close──► CLOSED
 *   CREATED ──expire──► EXPIRED
 */
export const OrderStatus = {
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
} as const;

/** Wire status codes of an order. */
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** The `desc` of an open order: its sub-state. */
export const OpenStep = {
  /** Payable: no attempt under way. */
  Created: 'CREATED',
  /** An attempt is under way: nothing else may move the order but its outcome. */
  Processing: 'PROCESSING',
} as const;

export type OpenStep = (typeof OpenStep)[keyof typeof OpenStep];

/** A state of an order: its wire status and its `desc`. */
export interface OrderState {
  readonly status: OrderStatus;
  readonly desc: string;
}

export const OrderState = {
  Created: { status: OrderStatus.Open, desc: OpenStep.Created },
  Processing: { status: OrderStatus.Open, desc: OpenStep.Processing },
  Paid: { status: OrderStatus.Paid, desc: 'SUCCESS' },
  Expired: { status: OrderStatus.Expired, desc: 'EXPIRED' },
  Closed: { status: OrderStatus.Closed, desc: 'CLOSED' },
} as const satisfies Record<string, OrderState>;

const FAILED_PREFIX = 'FAILED: ';

/** FAILED, with the reason the last attempt gave. */
export const failedOrder = (reason: string): OrderState => ({ status: OrderStatus.Failed, desc: `${FAILED_PREFIX}${reason}` });

/**
 * Why a failed order failed (`FAILED: DO_NOT_HONOR` → `DO_NOT_HONOR`), as `POST /v1/charge` answers
 * it in `desc`; undefined for an order in any other state.
 */
export const failureReasonOf = (order: { status: OrderStatus; status_desc: string }): string | undefined =>
  order.status === OrderStatus.Failed && order.status_desc.startsWith(FAILED_PREFIX) ? order.status_desc.slice(FAILED_PREFIX.length) : undefined;

/** A state a move starts from; without `desc`, any open sub-state. */
export type OrderFrom = { readonly status: OrderStatus; readonly desc?: string };

/**
 * Every move the store makes on an order, as a compare-and-set from `from` to `to`.
 * `endAttempt` has no fixed target: `failedAttemptMove` and `attemptLimit` (attempt-status.ts) decide it.
 */
export const OrderMove = {
  startAttempt: { from: OrderState.Created, to: OrderState.Processing },
  pay: { from: { status: OrderStatus.Open }, to: OrderState.Paid },
  endAttempt: { from: { status: OrderStatus.Open } },
  close: { from: OrderState.Created, to: OrderState.Closed },
  expire: { from: OrderState.Created, to: OrderState.Expired },
} as const satisfies Record<string, { from: OrderFrom; to?: OrderState }>;

export const FINAL_STATUSES: readonly OrderStatus[] = [OrderStatus.Paid, OrderStatus.Failed, OrderStatus.Expired, OrderStatus.Closed];

export const isFinal = (status: OrderStatus) => FINAL_STATUSES.includes(status);

/** Whether an order (its `status` and `status_desc`) is in the given state. */
export const isInState = (order: { status: OrderStatus; status_desc: string }, state: OrderFrom) =>
  order.status === state.status && (state.desc === undefined || order.status_desc === state.desc);

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
  if (set === 'family' && (status === OrderStatus.Expired || status === OrderStatus.Closed)) return OrderStatus.Failed;
  return status;
}
