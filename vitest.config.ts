import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: real servers and Chromium in parallel files would fight over them.
    fileParallelism: false,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
