import { defineConfig } from 'vitest/config';
import LongFirst from './tests/helpers/sequencer';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/e2e/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time on two cores: most of a test's time is spent waiting (on sockets,
    // Chromium, a soak's real minutes), and every wait in the suite is on a condition, not a clock.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
    sequence: { sequencer: LongFirst },
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
