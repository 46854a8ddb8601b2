import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type DatabaseConnection } from 'kysely';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.ts';
import { compiledOnce } from './compiled-once.ts';
import { createdAtOfToken, orderNoOfToken } from './order-keys.ts';

/** A Kysely that runs nothing: it records each compiled query it is asked to run and answers no rows. */
function recordingDatabase() {
  const ran: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: async (query) => {
      ran.push(query);
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('not streamed');
    },
  };
  const driver = Object.assign(new DummyDriver(), { acquireConnection: async () => connection });
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (database) => new PostgresIntrospector(database),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, ran };
}

const build = (db: Kysely<Database>, token: string, now: Date, status: string) =>
  db
    .updateTable('orders')
    .set({ remark: 'a constant' })
    .where('plat_form_trade_no', '=', orderNoOfToken(token))
    .where('created_at', '=', createdAtOfToken(token))
    .where('status_desc', '=', status)
    .where('expires_at', '>', now)
    .returningAll();

describe('compiledOnce', () => {
  it('runs the SQL and parameters the builder would, for any arguments, an argument used twice and constants included', async () => {
    const { db, ran } = recordingDatabase();
    const statement = compiledOnce<{ token: string; now: Date; status: string }, unknown>((builder, arg) => build(builder, arg('token'), arg('now'), arg('status')));
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.date({ noInvalidDate: true }), fc.string(), async (token, now, status) => {
        await statement(db, { token, now, status });
        const expected = build(db, token, now, status).compile();
        const last = ran.at(-1)!;
        expect(last.sql).toBe(expected.sql);
        expect(last.parameters).toEqual(expected.parameters);
      }),
    );
  });

  it('builds and compiles once, however often it runs', async () => {
    const { db } = recordingDatabase();
    let built = 0;
    const statement = compiledOnce<{ token: string }, unknown>((builder, arg) => {
      built += 1;
      return builder.selectFrom('orders').selectAll().where('payment_token', '=', arg('token'));
    });
    for (let i = 0; i < 5; i++) await statement(db, { token: `t${i}` });
    expect(built).toBe(1);
  });

  it('refuses a statement whose argument was changed before it became a parameter', async () => {
    const { db } = recordingDatabase();
    const statement = compiledOnce<{ token: string }, unknown>((builder, arg) => builder.selectFrom('orders').selectAll().where('payment_token', '=', `${arg('token')}!`));
    await expect(statement(db, { token: 't' })).rejects.toThrow(/argument token is not a parameter/);
  });
});
