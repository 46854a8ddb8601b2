import { sql } from 'kysely';

/**
 * `orders` is partitioned by month of `created_at` (migration 0033); `order_keys` says which
 * month each order is in. A lookup adds `created_at = <one of these>` beside its own condition,
 * so PostgreSQL reads only that month's partition (pruning at execution, from the subquery's
 * value) instead of probing the index of every month. platFormTradeNo and the payment token are
 * random and tell no month themselves (docs/api.md: "unguessable"), hence the directory.
 *
 * Always the subquery, never a created_at read back into JavaScript: a Date keeps milliseconds
 * and PostgreSQL's timestamps have microseconds, so an equality on a read-back value misses.
 */

/** The creation time of the order with this platFormTradeNo. */
export const createdAtOfOrder = (orderNo: string) =>
  sql<Date>`(SELECT created_at FROM order_keys WHERE plat_form_trade_no = ${orderNo})`;

/** The platFormTradeNo behind a payment token. */
export const orderNoOfToken = (token: string) =>
  sql<string>`(SELECT plat_form_trade_no FROM order_keys WHERE payment_token = ${token})`;

/** The creation time of the order behind a payment token. */
export const createdAtOfToken = (token: string) =>
  sql<Date>`(SELECT created_at FROM order_keys WHERE payment_token = ${token})`;

/** The platFormTradeNo of a merchant's tradeNo. */
export const orderNoOfTradeNo = (merchantNo: string, tradeNo: string) =>
  sql<string>`(SELECT plat_form_trade_no FROM order_keys WHERE merchant_no = ${merchantNo} AND trade_no = ${tradeNo})`;

/** The creation time of a merchant's order by tradeNo. */
export const createdAtOfTradeNo = (merchantNo: string, tradeNo: string) =>
  sql<Date>`(SELECT created_at FROM order_keys WHERE merchant_no = ${merchantNo} AND trade_no = ${tradeNo})`;
