#!/usr/bin/env node
// Builds dist/, what `payrail start` runs: the whole gateway compiled by tsc (tsconfig.build.json), the
// SDK's declarations (tsconfig.sdk.json), and the non-TypeScript files the gateway reads at run time
// next to its modules (`new URL(file, import.meta.url)`). dist/.source-hash records what it was built
// from, so tests and benches can tell a stale build from a fresh one without trusting file times.
//
//   node scripts/build.mjs           build (what `npm run build`, `prepare` and `prepack` run)
//   node scripts/build.mjs --if-stale build only when src/ changed since the last build
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.source-hash');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.sdk.json', 'package-lock.json'];

/** Tests, and the processors' local test servers (src/acquirers/<name>/test-server.ts and their kit): never shipped. */
const isTest = (file) => file.endsWith('.test.ts') || file === 'test-server.ts' || file === 'test-server-kit.ts';
/** Files the gateway reads at run time: everything under src/ that is not TypeScript or documentation. */
const isAsset = (file) => !file.endsWith('.ts') && !file.endsWith('.md');

function sourceFiles(dir = src) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      // The connector template (src/acquirers/_template/) is a starting point to copy, registered nowhere.
      if (entry.isDirectory()) return entry.name === '_template' ? [] : sourceFiles(full);
      return isTest(entry.name) ? [] : [full];
    });
}

/** A digest of every file the build reads: its path and content. */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(), ...CONFIGS.map((name) => path.join(root, name))]) {
    hash.update(path.relative(root, file)).update('\0');
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  hash.update(fs.readFileSync(path.join(root, 'scripts', 'build.mjs')));
  return hash.digest('hex');
}

export const isBuildFresh = () => fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === sourceHash();

export function build() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Built beside dist/ and swapped in whole: a `payrail` started meanwhile finds the old build or the new one.
  const next = `${dist}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    for (const config of ['tsconfig.build.json', 'tsconfig.sdk.json']) {
      execFileSync(process.execPath, [tsc, '-p', config, '--outDir', next], { cwd: root, stdio: 'inherit' });
    }
    for (const file of sourceFiles().filter(isAsset)) {
      const target = path.join(next, path.relative(src, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
    }
    fs.writeFileSync(path.join(next, '.source-hash'), sourceHash() + '\n');
    const old = `${dist}.old-${process.pid}`;
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(next, dist);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
}

/** Builds unless dist/ was built from exactly the sources there are now; says whether it built. */
export function buildIfStale() {
  if (isBuildFresh()) return false;
  build();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) buildIfStale();
  else build();
}
