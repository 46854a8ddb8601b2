import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The processors' sandboxes need keys and the network: `npm run test:sandbox` (vitest.sandbox.config.ts).
    exclude: [...configDefaults.exclude, 'test/sandbox/**'],
    testTimeout: 30_000,
    globalSetup: ['test/support/global-setup.ts'],
    hookTimeout: 60_000,
  },
});
