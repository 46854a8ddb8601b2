import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { scopeAllows, type ConsoleScope } from '../../domain/console-scope.ts';
import { listSavedCards, type SavedCardRow } from '../saved-cards.ts';
import { LIST_COLUMNS, type OrderListRow } from './list-orders.ts';

/** How many of a customer's orders the console's customer page shows, newest first. */
export const CUSTOMER_ORDERS_SHOWN = 100;

/** A merchant's customer (its `customerId`) as the console's customer page shows it. */
export interface CustomerDetail {
  merchantNo: string;
  merchantName: string;
  customerId: string;
  /** Saved cards not deleted, newest first. */
  cards: SavedCardRow[];
  /** The customer's orders, those it paid and the merchant's charges of its saved cards, newest first. */
  orders: OrderListRow[];
}

/**
 * A merchant's customer: its saved cards and its orders (checkouts with its `customerId` and
 * merchant-initiated charges). Undefined when `scope` may not see the merchant or the merchant is
 * unknown; a customer with no card and no order is answered empty (its id is the merchant's).
 */
export async function loadCustomerDetail(db: Kysely<Database>, scope: ConsoleScope, merchantNo: string, customerId: string): Promise<CustomerDetail | undefined> {
  if (!scopeAllows(scope, merchantNo)) return undefined;
  const merchant = await db.selectFrom('merchants').select('name').where('merchant_no', '=', merchantNo).executeTakeFirst();
  if (!merchant) return undefined;
  const [cards, orders] = await Promise.all([
    listSavedCards(db, merchantNo, customerId),
    db
      .selectFrom('orders')
      .select(LIST_COLUMNS)
      .where('merchant_no', '=', merchantNo)
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .orderBy('plat_form_trade_no', 'desc')
      .limit(CUSTOMER_ORDERS_SHOWN)
      .execute(),
  ]);
  return { merchantNo, merchantName: merchant.name, customerId, cards, orders };
}
