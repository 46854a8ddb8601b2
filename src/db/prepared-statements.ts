import { createHash } from 'node:crypto';

/**
 * The statement texts this process may send as named prepared statements (docs/performance.md,
 * "Fifth round"). A text is registered by the code that builds it once (compiledOnce, fixedText,
 * preparedStatement); on PostgreSQL, not behind a transaction-mode pooler, the pool's connections
 * (GuardedClient in connect.ts) then send it under its name: parsed, analysed and planned once
 * per connection, afterwards only bound and executed. Every other text goes unnamed, as before.
 *
 * The registry is bounded: each name costs a prepared statement on every pooled connection, so a
 * text past the bound stays unnamed. A registered text must list the columns it returns: a
 * prepared `SELECT *` or `RETURNING *` fails ("cached plan must not change result type") once a
 * newer node's migration adds a column to the table, so such a text is refused and goes unnamed.
 */
export const MAX_PREPARED_TEXTS = 256;

const names = new Map<string, string>();

/**
 * `*` as a result list: `SELECT *`, `RETURNING *`, `alias.*` (not `count(*)`, nor `SELECT * FROM
 * unnest(…) AS row (…)`, whose columns the statement itself names).
 */
const RETURNS_STAR = /\bselect\s+(distinct\s+)?\*(?!\s+from\s+unnest\s*\()|\breturning\s+\*|[\w"]\.\*/i;

/** Whether a text may be prepared: it names every column it returns. */
export const listsItsColumns = (text: string) => !RETURNS_STAR.test(text);

/**
 * Registers `text` as one that may be prepared, and answers whether it was (false: it returns
 * `*`, or the registry is full). The name is the text's hash: the same on every node.
 */
export function registerPrepared(text: string): boolean {
  if (names.has(text)) return true;
  if (names.size >= MAX_PREPARED_TEXTS || !listsItsColumns(text)) return false;
  names.set(text, `payrail_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
  return true;
}

/** The name a registered text is prepared under, or undefined: send it unnamed. */
export const preparedNameOf = (text: string): string | undefined => names.get(text);

/** A hot statement written as text (the create's group commit), registered to be prepared. */
export interface PreparedStatement {
  readonly text: string;
}

export function preparedStatement(text: string): PreparedStatement {
  if (!registerPrepared(text)) throw new Error('preparedStatement: the text returns * or the registry is full');
  return { text };
}
