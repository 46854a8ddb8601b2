import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The processors' sandboxes need keys and the network: `npm run test:sandbox` (vitest.sandbox.config.ts).
    exclude: [...configDefaults.exclude, 'test/sandbox/**'],
    // Many tests start `payrail` processes and PostgreSQL servers; on a busy 2-core machine one start can take 20 s.
    testTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
    hookTimeout: 60_000,
    // Most files spend their time waiting on child processes (payrail, PostgreSQL, Chromium), so
    // two files at a time on a 2-core machine halves the run; vitest's default there is one.
    maxWorkers: 2,
  },
});
