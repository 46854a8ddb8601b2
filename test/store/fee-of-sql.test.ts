import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { feeOf } from '../../src/domain/fees.ts';
import { cents } from '../../src/domain/money.ts';
import { feeOfSql } from '../../src/store/ledger/ledger-postings.ts';

describeEachDatabase("the statement's fee (feeOfSql) and the domain's feeOf", (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  it('agree for any amount up to the largest a merchant may take and any fee from 0 to 100 %', async () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 1, max: 99_999_999_999 }), fc.integer({ min: 0, max: 10_000 })), { minLength: 1, maxLength: 50 });
    await fc.assert(
      fc.asyncProperty(pairs, async (cases) => {
        const amounts = cases.map(([amount]) => String(amount));
        const bps = cases.map(([, fee]) => fee);
        const { rows } = await sql<{ fee: string }>`
          SELECT ${feeOfSql(sql`p.amount`, sql`p.bps`)}::text AS fee
            FROM unnest(${amounts}::bigint[], ${bps}::int[]) WITH ORDINALITY AS p(amount, bps, n) ORDER BY n`.execute(t.gateway.context.db);
        expect(rows.map((row) => Number(row.fee))).toEqual(cases.map(([amount, fee]) => feeOf(cents(amount), fee)));
      }),
      { numRuns: 40 },
    );
  });
});
