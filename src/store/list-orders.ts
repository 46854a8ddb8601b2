import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OrdersTable } from '../db/schema.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { ConsoleScope } from '../domain/console-scope.ts';

export type OrderListRow = Pick<
  Selectable<OrdersTable>,
  'plat_form_trade_no' | 'trade_no' | 'merchant_no' | 'amount_cents' | 'currency' | 'status' | 'status_desc' | 'created_at' | 'card_brand' | 'card_last4'
>;

export interface OrderFilter {
  merchantNo?: string | undefined;
  status?: OrderStatus | undefined;
  /** A tradeNo or a platFormTradeNo, matched exactly. */
  search?: string | undefined;
  /** The platFormTradeNo of the last order on the previous page. */
  after?: string | undefined;
  limit: number;
}

/**
 * Orders newest first, one page at a time. Keyset pagination on (created_at, plat_form_trade_no):
 * the cursor is an order number and its position is read in the database, so timestamps never
 * pass through JavaScript's millisecond Dates. Only orders the console scope may see.
 */
export async function listOrders(db: Kysely<Database>, scope: ConsoleScope, filter: OrderFilter): Promise<{ orders: OrderListRow[]; next?: string }> {
  let query = db
    .selectFrom('orders')
    .select(['plat_form_trade_no', 'trade_no', 'merchant_no', 'amount_cents', 'currency', 'status', 'status_desc', 'created_at', 'card_brand', 'card_last4'])
    .orderBy('created_at', 'desc')
    .orderBy('plat_form_trade_no', 'desc')
    .limit(filter.limit + 1);
  if (scope.kind === 'one-merchant') query = query.where('merchant_no', '=', scope.merchantNo);
  if (filter.merchantNo) query = query.where('merchant_no', '=', filter.merchantNo);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.search) {
    const search = filter.search;
    query = query.where((eb) => eb.or([eb('trade_no', '=', search), eb('plat_form_trade_no', '=', search)]));
  }
  if (filter.after) {
    const after = filter.after;
    query = query.where(
      sql<boolean>`(created_at, plat_form_trade_no) < (SELECT created_at, plat_form_trade_no FROM orders WHERE plat_form_trade_no = ${after})`,
    );
  }
  const rows = await query.execute();
  const orders = rows.slice(0, filter.limit);
  return rows.length > filter.limit ? { orders, next: orders.at(-1)!.plat_form_trade_no } : { orders };
}
