import { describe, expect, it } from 'vitest';
import type { OrdersTable } from '../db/schema.ts';
import { ATTEMPT_COLUMNS, ORDER_COLUMNS, type Covers } from './row-columns.ts';

describe('the column lists of prepared statements', () => {
  it('name every column once (tsc checks each list against src/db/schema.ts)', () => {
    for (const columns of [ORDER_COLUMNS, ATTEMPT_COLUMNS]) expect(new Set(columns).size).toBe(columns.length);
    // A list that lacks a column of the row does not compile: row-columns.ts checks its lists this way.
    // @ts-expect-error failed_attempts is missing
    const short: Covers<OrdersTable, ['plat_form_trade_no']> = true;
    expect(short).toBe(true);
  });
});
