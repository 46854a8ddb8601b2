import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Whether an engines range such as ">=18" or "^20.19.0 || >=22" admits Node 20.19. */
function allowsNode20(range: string): boolean {
  return range.split('||').some((part) => {
    const bound = /^\s*>=\s*v?(\d+)(?:\.(\d+))?/.exec(part) ?? /^\s*\^\s*v?(20)\.(\d+)/.exec(part);
    if (!bound) return part.trim() === '*' || /^\s*20(\.x)?\s*$/.test(part);
    const [major, minor] = [Number(bound[1]), Number(bound[2] ?? 0)];
    return major < 20 || (major === 20 && minor <= 19);
  });
}

it('every installed package allows Node 20.19, or the README says why its engines warning is safe', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } }> };
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const unexplained: string[] = [];
  for (const [where, info] of Object.entries(lock.packages)) {
    const range = info.engines?.node;
    if (!where || !range || allowsNode20(range)) continue;
    const name = where.replace(/^.*node_modules\//, '');
    if (!readme.includes(`\`${name}@${info.version}\``)) unexplained.push(`${name}@${info.version} (${range})`);
  }
  expect(unexplained).toEqual([]);
});
