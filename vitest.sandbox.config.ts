import { defineConfig } from 'vitest/config';

/**
 * Tests against the processors' real sandboxes (test/sandbox/): `npm run test:sandbox`. Kept out
 * of `npm test`, where a skipped test counts as a failure: these skip, by name, without keys.
 */
export default defineConfig({
  test: {
    include: ['test/sandbox/**/*.sandbox.test.ts'],
    testTimeout: 60_000,
  },
});
