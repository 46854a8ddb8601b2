import { describe, expect, it } from 'vitest';
import { MAX_PREPARED_TEXTS, listsItsColumns, preparedNameOf, registerPrepared } from './prepared-statements.ts';

describe('the registry of statements that may be prepared', () => {
  it('refuses a text that returns *, which a newer node adding a column would break', () => {
    for (const text of ['select * from "orders" where "id" = $1', 'UPDATE orders SET status = $1 RETURNING *', 'WITH a AS (SELECT 1) SELECT attempt.*, 1 FROM attempt', 'select "o".* from orders o']) {
      expect(listsItsColumns(text), text).toBe(false);
      expect(registerPrepared(text), text).toBe(false);
      expect(preparedNameOf(text)).toBeUndefined();
    }
    for (const text of ['select count(*) from orders', 'SELECT * FROM unnest($1::text[]) AS row (a)', 'select "id", "status" from "orders" where "id" = $1']) {
      expect(listsItsColumns(text), text).toBe(true);
    }
  });

  it('names a text by its hash, the same on every node, and keeps at most MAX_PREPARED_TEXTS', () => {
    expect(registerPrepared('select "id" from "jobs" where "id" = $1')).toBe(true);
    // sha256 of the text: no counter that would differ between nodes or restarts.
    expect(preparedNameOf('select "id" from "jobs" where "id" = $1')).toBe('payrail_f7640da9af4e2e00fe2928b3');
    for (let i = 0; i < MAX_PREPARED_TEXTS; i++) registerPrepared(`select "id" from "jobs" where "id" = $1 and ${i} = ${i}`);
    const past = 'select "kind" from "jobs" where "id" = $1';
    expect(registerPrepared(past)).toBe(false);
    expect(preparedNameOf(past)).toBeUndefined();
    expect(registerPrepared('select "id" from "jobs" where "id" = $1')).toBe(true);
  });
});
