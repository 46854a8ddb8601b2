import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every relative module a file names, by path under src/: static imports, re-exports, type imports and import(). */
function importsOf(source: string, file: string): string[] {
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)]
    .map((match) => match[1] ?? match[2] ?? match[3]!)
    .filter((specifier) => specifier.startsWith('.'));
  return specifiers.map((specifier) => relative(SRC, resolve(dirname(file), specifier)));
}

/** The import graph of src/ (tests left out), by path under src/. */
function importGraph(): Map<string, string[]> {
  return new Map(sourceFiles(SRC).map((file) => [relative(SRC, file), importsOf(readFileSync(file, 'utf8'), file)]));
}

/** Each import circle once, as the files along it (Tarjan's strongly connected components of two or more files, or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** What each part must never import: the arrows that would run back up the house. */
const NEVER: Record<string, string[]> = {
  'domain/': ['api/', 'cashier/', 'dashboard/', 'jobs/', 'payments/', 'payouts/', 'ledger/', 'store/', 'db/', 'acquirers/', 'context.ts', 'server.ts', 'config.ts'],
  'store/': ['api/', 'cashier/', 'dashboard/', 'jobs/', 'payments/', 'payouts/', 'ledger/', 'server.ts', 'cli'],
  'context.ts': ['api/', 'cashier/', 'dashboard/', 'jobs/', 'payments/', 'payouts/', 'ledger/', 'server.ts', 'cli'],
  'payments/': ['api/', 'cashier/', 'dashboard/', 'server.ts', 'cli'],
  'payouts/': ['api/', 'cashier/', 'dashboard/', 'server.ts', 'cli'],
  'jobs/': ['api/', 'cashier/', 'dashboard/', 'server.ts', 'cli'],
  'i18n/': ['cashier/', 'jobs/'],
};

describe('imports', () => {
  it('finds a circle when there is one (the walk this file makes)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(importsOf("import type { A } from './a.ts';\nexport { b } from '../b.ts';\nconst c = await import('./c.ts');\nimport 'node:fs';", join(SRC, 'x/y.ts'))).toEqual(['x/a.ts', 'b.ts', 'x/c.ts']);
  });

  it('has no import circle in src/', () => {
    expect(circles(importGraph())).toEqual([]);
  });

  it('has no arrow back up: the pure core, the store and the context import nothing above them', () => {
    const backUp = [...importGraph()].flatMap(([file, imports]) =>
      Object.entries(NEVER)
        .filter(([part]) => file.startsWith(part))
        .flatMap(([, above]) => imports.filter((target) => above.some((place) => target.startsWith(place))).map((target) => `${file} -> ${target}`)),
    );
    expect(backUp).toEqual([]);
  });
});
