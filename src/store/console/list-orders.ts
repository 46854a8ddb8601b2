import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OrdersTable } from '../../db/schema.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import { scopedMerchant, type ConsoleScope } from '../../domain/console-scope.ts';
import type { Cents } from '../../domain/money.ts';
import { RefundStatus } from '../../domain/refund-status.ts';
import { FAILED_ATTEMPT } from '../../domain/attempt-status.ts';

export type OrderListRow = Pick<
  Selectable<OrdersTable>,
  'plat_form_trade_no' | 'trade_no' | 'merchant_no' | 'amount_cents' | 'currency' | 'status' | 'status_desc' | 'created_at' | 'paid_at' | 'email' | 'card_brand' | 'card_last4' | 'merchant_initiated'
>;

/** What the console's order list can be narrowed by; every field is optional and they combine with AND. */
export interface OrderFilter {
  /** An operator's choice of one merchant; a merchant user's scope already is one. */
  merchantNo?: string | undefined;
  status?: OrderStatus | undefined;
  /** A tradeNo or a platFormTradeNo, matched exactly. */
  search?: string | undefined;
  /** Created at or after this instant. */
  createdFrom?: Date | undefined;
  /** Created before this instant. */
  createdBefore?: Date | undefined;
  minCents?: Cents | undefined;
  maxCents?: Cents | undefined;
  /** The customer's email, matched whole and without regard to case. */
  email?: string | undefined;
  /** The last four digits of the card the order was paid (or last tried) with. */
  cardLast4?: string | undefined;
}

export interface OrderPage {
  /** The platFormTradeNo of the last order on the previous page. */
  after?: string | undefined;
  limit: number;
}

/** The columns of an order as the console lists it (the order list, a customer's orders). */
export const LIST_COLUMNS = ['plat_form_trade_no', 'trade_no', 'merchant_no', 'amount_cents', 'currency', 'status', 'status_desc', 'created_at', 'paid_at', 'email', 'card_brand', 'card_last4', 'merchant_initiated'] as const;

/**
 * The query of one page of the console's order list, newest first. Keyset pagination on
 * (created_at, plat_form_trade_no), which `orders_newest_first` (every merchant) and
 * `orders_by_merchant_newest_first` (one merchant) serve in that order, so a page costs the
 * same at the millionth order as at the first. The cursor is an order number whose position is
 * read in the database, so timestamps never pass through JavaScript's millisecond Dates.
 * Exported so that a test can read its plan.
 */
export function ordersPageQuery(db: Kysely<Database>, scope: ConsoleScope, filter: OrderFilter, page: OrderPage) {
  let query = db
    .selectFrom('orders')
    .select(LIST_COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('plat_form_trade_no', 'desc')
    .limit(page.limit + 1);
  const only = scopedMerchant(scope);
  if (only !== null) query = query.where('merchant_no', '=', only);
  if (filter.merchantNo) query = query.where('merchant_no', '=', filter.merchantNo);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.search) {
    const search = filter.search;
    query = query.where((eb) => eb.or([eb('trade_no', '=', search), eb('plat_form_trade_no', '=', search)]));
  }
  if (filter.createdFrom) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdBefore) query = query.where('created_at', '<', filter.createdBefore);
  if (filter.minCents !== undefined) query = query.where('amount_cents', '>=', filter.minCents);
  if (filter.maxCents !== undefined) query = query.where('amount_cents', '<=', filter.maxCents);
  if (filter.email) query = query.where(sql<string>`lower(email)`, '=', filter.email.toLowerCase());
  if (filter.cardLast4) query = query.where('card_last4', '=', filter.cardLast4);
  if (page.after) {
    const after = page.after;
    query = query.where(
      // order_keys has the cursor order's created_at: one index probe, not one per month partition of orders.
      sql<boolean>`(created_at, plat_form_trade_no) < (SELECT created_at, plat_form_trade_no FROM order_keys WHERE plat_form_trade_no = ${after})`,
    );
  }
  return query;
}

/** One page of the orders `scope` may see that match `filter`, and the cursor of the next page when there is one. */
export async function listOrders(db: Kysely<Database>, scope: ConsoleScope, filter: OrderFilter, page: OrderPage): Promise<{ orders: OrderListRow[]; next?: string }> {
  const rows = await ordersPageQuery(db, scope, filter, page).execute();
  const orders = rows.slice(0, page.limit);
  return rows.length > page.limit ? { orders, next: orders.at(-1)!.plat_form_trade_no } : { orders };
}

/**
 * Every matching order, one keyset page of `chunk` rows at a time: memory stays bounded by one
 * chunk however many orders match (the CSV export).
 */
export async function* eachOrder(db: Kysely<Database>, scope: ConsoleScope, filter: OrderFilter, chunk = 500): AsyncGenerator<OrderListRow> {
  let after: string | undefined;
  do {
    const page = await listOrders(db, scope, filter, { after, limit: chunk });
    yield* page.orders;
    after = page.next;
  } while (after);
}

/** What the order list says beside an order's own status: what was refunded of it, and how many card attempts were declined. */
export interface OrderListExtras {
  refundedCents: Cents;
  declinedAttempts: number;
}

/**
 * The refunded total and the declined attempts of a page of orders, in two grouped queries
 * (refunds by order; attempts by order within the page's months), so the list's own query and
 * its index plan stay as they are. An attempt an acquirer's failover took over is not counted.
 */
export async function orderListExtras(db: Kysely<Database>, orders: readonly OrderListRow[]): Promise<Map<string, OrderListExtras>> {
  const extras = new Map<string, OrderListExtras>(orders.map((order) => [order.plat_form_trade_no, { refundedCents: 0 as Cents, declinedAttempts: 0 }]));
  if (orders.length === 0) return extras;
  const orderNos = orders.map((order) => order.plat_form_trade_no);
  const times = orders.map((order) => order.created_at.getTime());
  const [refunded, declined] = await Promise.all([
    db
      .selectFrom('refunds')
      .select(['order_no', sql<number>`sum(amount_cents)::bigint`.as('cents')])
      .where('order_no', 'in', orderNos)
      .where('status', '=', RefundStatus.Succeeded)
      .groupBy('order_no')
      .execute(),
    db
      .selectFrom('payment_attempts')
      .select(['order_no', sql<number>`count(*)::int`.as('declined')])
      .where('order_no', 'in', orderNos)
      // The page's months only (a Date is the order's time to the millisecond, floored: a range, never an equality).
      .where('order_created_at', '>=', new Date(Math.min(...times)))
      .where('order_created_at', '<', new Date(Math.max(...times) + 1))
      .where('status', 'in', FAILED_ATTEMPT)
      .where('failed_over', '=', false)
      .groupBy('order_no')
      .execute(),
  ]);
  for (const row of refunded) extras.get(row.order_no)!.refundedCents = Number(row.cents) as Cents;
  for (const row of declined) extras.get(row.order_no)!.declinedAttempts = Number(row.declined);
  return extras;
}
