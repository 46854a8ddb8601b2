#!/usr/bin/env node
// Builds dist/, what `payrail start` runs: the whole gateway bundled by esbuild into one module,
// dist/cli.js, with the dependencies it loads at every start inside it (one file to read and compile
// instead of about 1 500: docs/performance.md, "Start-up"); the SDK compiled by tsc with its
// declarations (tsconfig.sdk.json, dist/sdk/); and the non-TypeScript files the gateway reads at run
// time, at their places under dist/ (`new URL(file, import.meta.url)`, which the bundle keeps pointing
// at each source file's place). dist/.source-hash records what it was built from, so tests and benches
// can tell a stale build from a fresh one without trusting file times.
//
//   node scripts/build.mjs           build (what `npm run build`, `prepare` and `prepack` run)
//   node scripts/build.mjs --if-stale build only when src/ changed since the last build
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.source-hash');
const CONFIGS = ['tsconfig.json', 'tsconfig.sdk.json', 'package-lock.json'];

/**
 * Dependencies left out of the bundle, imported from node_modules as before: PGlite and Swagger UI
 * read files of their own beside their code (the WebAssembly engine and its data, the UI's
 * static files), and Stripe's SDK, nodemailer, qrcode and undici are imported only when first used
 * (bundled, they would still be read and parsed at every start).
 * (pg-native is pg's optional native driver, not installed.)
 */
const EXTERNAL = ['@electric-sql/pglite', '@fastify/swagger-ui', 'stripe', 'nodemailer', 'nodemailer/*', 'qrcode', 'undici', 'pg-native'];

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

/**
 * In the bundle every module shares one `import.meta.url`, dist/cli.js's. Each source file's own
 * stands in for it, so that `new URL('./asset.js', import.meta.url)` still finds the asset the build
 * copies beside where that file would be.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const place = `./${path.relative(src, args.path).replaceAll(path.sep, '/').replace(/\.ts$/, '.js')}`;
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(place)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

function bundleGateway(outDir) {
  return esbuild.build({
    entryPoints: [path.join(src, 'cli.ts')],
    outfile: path.join(outDir, 'cli.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node.replace(/^>=/, '')}`,
    external: EXTERNAL,
    // The CommonJS dependencies inside an ES module: their require() of Node's own modules and of the external ones.
    banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
    // dist/cli.js.map, read only under `node --enable-source-maps`: stack traces name the source files.
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [ownImportMetaUrl],
    logLevel: 'warning',
  });
}

export async function build() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Built beside dist/ and swapped in whole: a `payrail` started meanwhile finds the old build or the new one.
  const next = `${dist}.next-${process.pid}`;
  fs.rmSync(next, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.sdk.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
    await bundleGateway(next);
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
export async function buildIfStale() {
  if (isBuildFresh()) return false;
  await build();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await buildIfStale();
  else await build();
}
