import { sql, type RawBuilder } from 'kysely';
import type { OrdersTable, PaymentAttemptsTable } from '../db/schema.ts';

/**
 * Every column of a row the pay path reads, named: a prepared statement must not return `*`
 * (src/db/prepared-statements.ts). Each list is checked against src/db/schema.ts when compiled:
 * a name that is not a column fails `satisfies`, and a column the list lacks fails `Covers`.
 */
export type Covers<Table, Listed extends readonly (keyof Table)[]> = [Exclude<keyof Table, Listed[number]>] extends [never] ? true : never;

export const ORDER_COLUMNS = [
  'plat_form_trade_no', 'merchant_no', 'trade_no', 'request_hash', 'amount_cents', 'currency', 'mobile', 'email', 'user_id',
  'notify_url', 'return_url', 'remark', 'paid_locale', 'status', 'status_desc', 'payment_token', 'expires_at', 'created_at',
  'paid_at', 'ended_at', 'card_brand', 'card_last4', 'settled_at', 'customer_id', 'save_card', 'card_token', 'merchant_initiated',
  'failed_attempts',
] as const satisfies readonly (keyof OrdersTable)[];
export const ordersCovered: Covers<OrdersTable, typeof ORDER_COLUMNS> = true;

export const ATTEMPT_COLUMNS = [
  'id', 'order_no', 'status', 'card_brand', 'card_bin', 'card_last4', 'card_fingerprint', 'client_ip', 'reason',
  'acquirer_reference', 'challenge_id', 'acquirer', 'failed_over', 'challenge_redirect', 'check_after', 'created_at',
  'updated_at', 'order_created_at', 'save_card', 'card_token', 'merchant_initiated',
] as const satisfies readonly (keyof PaymentAttemptsTable)[];
export const attemptsCovered: Covers<PaymentAttemptsTable, typeof ATTEMPT_COLUMNS> = true;

/** A column list for a `sql` template, each column of `from` (a table or CTE name) when given. */
export const columnList = (columns: readonly string[], from?: string): RawBuilder<unknown> =>
  sql.join(columns.map((column) => sql.ref(from ? `${from}.${column}` : column)));

/** The attempt's columns, built once: as a RETURNING list, and as read from a CTE named `attempt`. */
export const ATTEMPT_RETURNING = columnList(ATTEMPT_COLUMNS);
export const ATTEMPT_OUT = columnList(ATTEMPT_COLUMNS, 'attempt');
