import type { Compilable, CompiledQuery, Kysely, QueryResult, RawBuilder, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { registerPrepared } from '../db/prepared-statements.ts';

/** Stands for an argument while the statement is built: a string no caller's value can be. */
const placeholderOf = (name: string) => `\u0000compiled-once:${name}`;

/**
 * A hot statement written with Kysely's builder but built and compiled once, on first use: later
 * calls only put their arguments in the compiled parameters' places and run it (on the database
 * or transaction given). Kysely's builder and compiler cost about as much CPU per statement as
 * the driver does; a statement whose shape never changes need not pay them each time.
 *
 * `build` receives the database to build with and `arg(name)`, which stands for that argument wherever the statement takes a
 * value; anything else it passes (a status constant) stays as compiled. Give one name per
 * argument; a statement whose shape depends on the arguments needs one compiled-once per shape.
 * Its text is registered to be prepared (src/db/prepared-statements.ts): on PostgreSQL it is also
 * parsed and planned once per connection. So it must name the columns it returns (row-columns.ts).
 */
export function compiledOnce<Args extends Record<string, unknown>, Row>(
  build: (db: Kysely<Database>, arg: <K extends keyof Args & string>(name: K) => Args[K]) => Compilable<Row>,
) {
  let compiled: { query: CompiledQuery<Row>; fill: ((args: Args) => unknown)[] } | undefined;
  const compile = (db: Kysely<Database>) => {
    const asked = new Set<string>();
    const query = build(db, (name) => {
      asked.add(name);
      return placeholderOf(name) as Args[typeof name];
    }).compile();
    const placed = new Set<string>();
    const fill = query.parameters.map((value) => {
      const name = typeof value === 'string' && value.startsWith(placeholderOf('')) ? value.slice(placeholderOf('').length) : undefined;
      if (name === undefined) return () => value;
      placed.add(name);
      return (args: Args) => args[name];
    });
    // An argument that `build` changed before handing it to Kysely (a template string, JSON) is not
    // a parameter of its own: it would be compiled in as a constant, so refuse the statement.
    for (const name of asked) if (!placed.has(name)) throw new Error(`compiledOnce: argument ${name} is not a parameter of the statement as built`);
    registerPrepared(query.sql);
    return { query, fill };
  };
  return async (db: Kysely<Database>, args: Args): Promise<Row[]> => {
    compiled ??= compile(db);
    const { query, fill } = compiled;
    return (await db.executeQuery<Row>({ ...query, parameters: fill.map((value) => value(args)) })).rows;
  };
}

/**
 * Runs a `sql` template whose text is fixed for its shape (every value a parameter, no `sql.lit`
 * of a value, no list whose length varies), registering the text to be prepared, as compiledOnce
 * does: on PostgreSQL it is parsed and planned once per connection. It must name the columns it
 * returns (row-columns.ts). A template whose text varies with its values would fill the
 * registry with texts used once: use `.execute` for it.
 */
export async function fixedText<Row>(db: Kysely<Database> | Transaction<Database>, query: RawBuilder<Row>): Promise<QueryResult<Row>> {
  const compiled = query.compile(db);
  registerPrepared(compiled.sql);
  return db.executeQuery(compiled);
}
