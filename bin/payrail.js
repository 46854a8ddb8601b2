#!/usr/bin/env node
// The `payrail` command: the gateway compiled to dist/ by `npm run build` (which `npm install`/`npm ci`
// run as `prepare`, and `npm pack` as `prepack`). PAYRAIL_DEV=1 runs the TypeScript sources through tsx
// instead (`npm run dev`), for working on the gateway without rebuilding.
import fs from 'node:fs';

if (process.env.PAYRAIL_DEV === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  const cli = new URL('../dist/cli.js', import.meta.url);
  if (!fs.existsSync(cli)) {
    process.stderr.write('payrail: dist/ has not been built; run `npm run build` (or PAYRAIL_DEV=1 to run the sources through tsx)\n');
    process.exit(1);
  }
  await import(cli.href);
}
