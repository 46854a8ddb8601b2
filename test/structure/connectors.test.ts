import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/acquirers/index.ts';

/**
 * A connector is one folder plus one registry line (src/acquirers/README.md, "Adding a connector"):
 * the gateway asks the registry and never names a connector, so a third processor touches
 * nothing else. Walks the registry, so it holds for every connector added later.
 */
const SRC = join(import.meta.dirname, '../../src');
const ACQUIRERS = join(SRC, 'acquirers');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Uses of a connector outside its folder that are not the gateway naming it: tools built from it
 * (the standalone simulator service serves the http protocol with the simulator; the simulator's
 * records live in the gateway's database, which the gateway lends it: GatewayResources) and a URL
 * scheme that happens to share the http name.
 */
const TOOLS: Record<string, string[]> = {
  simulator: ['acquirer-sim/server.ts', 'store/simulator-records.ts', 'acquirers/connector.ts'],
  http: ['acquirer-sim/server.ts', 'acquirers/stripe/stripe-acquirer.ts'],
};

/** Code lines only: prose in comments may name a processor. */
const codeLines = (text: string) => text.split('\n').map((line, index) => ({ line, number: index + 1 })).filter(({ line }) => !/^\s*(\*|\/\/|\/\*)/.test(line));

describe('a connector is one folder plus one registry line', () => {
  it('every registered connector is a folder of its own with its definition in connector.ts, and every connector folder is registered', () => {
    const registry = readFileSync(join(ACQUIRERS, 'index.ts'), 'utf8');
    for (const connector of CONNECTORS) {
      expect(existsSync(join(ACQUIRERS, connector.name, 'connector.ts')), `src/acquirers/${connector.name}/connector.ts`).toBe(true);
      expect(registry).toContain(`from './${connector.name}/connector.ts'`);
    }
    const folders = readdirSync(ACQUIRERS, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(join(ACQUIRERS, entry.name, 'connector.ts'))).map((entry) => entry.name);
    expect(folders.filter((name) => name !== '_template').sort()).toEqual(CONNECTORS.map((connector) => connector.name).sort());
  });

  it('nothing outside a connector\'s folder names it: no quoted name in code, no import from its folder (the registry, the migrations and tests aside)', () => {
    const files = sourceFiles(SRC).map((file) => relative(SRC, file).split('\\').join('/'));
    const offending = CONNECTORS.flatMap(({ name }) => {
      const quoted = new RegExp(`['"\`]${name}['"\`]`);
      const imported = new RegExp(`acquirers/${name}/|from '\\.\\./${name}/|from '\\./${name}/`);
      return files
        .filter((file) => !file.startsWith(`acquirers/${name}/`) && file !== 'acquirers/index.ts' && !file.startsWith('db/migrations/') && !(TOOLS[name] ?? []).includes(file))
        .flatMap((file) =>
          codeLines(readFileSync(join(SRC, file), 'utf8'))
            .filter(({ line }) => quoted.test(line) || imported.test(line))
            .map(({ line, number }) => `${name}: ${file}:${number}: ${line.trim()}`),
        );
    });
    expect(offending).toEqual([]);
  });

  it('the template is registered nowhere and named nowhere outside its folder', () => {
    const outside = sourceFiles(SRC).filter((file) => !relative(SRC, file).startsWith('acquirers/_template/'));
    expect(outside.filter((file) => /_template|['"]template['"]/.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file))).toEqual([]);
  });
});
