import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Lines of the source files under `dirs` that match `pattern`, as `path:line: text`. */
function offending(dirs: string[], pattern: RegExp): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(join(SRC, dir)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) ? [`${relative(SRC, file)}:${index + 1}: ${line.trim()}`] : [])),
    ),
  );
}

describe('where things live', () => {
  it('keeps every query in store/ (and db/): routes, jobs, payments, the ledger and pages call named store functions', () => {
    const queryBuilder = /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(|\bsql\s*(<[^>]*>)?\s*`/;
    expect(offending(['api', 'jobs', 'payments', 'ledger', 'dashboard', 'cashier', 'web'], queryBuilder)).toEqual([]);
    const rootFiles = readdirSync(SRC).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    expect(rootFiles.filter((name) => queryBuilder.test(readFileSync(join(SRC, name), 'utf8')))).toEqual([]);
  });

  it('names order and refund statuses only in domain/ (and the migrations that mirror them)', () => {
    const dirs = readdirSync(SRC, { withFileTypes: true })
      // sdk/ and demo-shop/ are merchant-side code that must not import the gateway: they spell the wire's statuses themselves.
      .filter((entry) => entry.isDirectory() && !['domain', 'db', 'sdk', 'demo-shop'].includes(entry.name))
      .map((entry) => entry.name);
    // Quoted as a value; prose may still name a status in backticks.
    const statusLiteral = /['"](0015|00029|00030|00031)['"]|status\s*(===|!==|=|<>|:)\s*['"]0000['"]|['"](CREATED|PROCESSING)['"]/;
    expect(offending(dirs, statusLiteral)).toEqual([]);
    expect(offending(['db'], statusLiteral).filter((line) => !line.startsWith('db/migrations/'))).toEqual([]);
  });
});
