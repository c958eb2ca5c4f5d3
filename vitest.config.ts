import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/summary-reporter.ts';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // Guards against a hang, not speed limits: a busy machine must not fail a test (speed is for benchmarks).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: ['default', new SummaryReporter()],
  },
});
