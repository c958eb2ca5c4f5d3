import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.SITE_TEST_PORT ?? 4399);

/** Browser tests of the built site (dist/), served on 127.0.0.1 by scripts/serve-site.ts; Debian's Chromium, no download. */
export default defineConfig({
  testDir: 'tests/site',
  testMatch: '*.spec.ts',
  fullyParallel: true,
  workers: 2,
  // Guards against a hang, not speed limits: a busy machine must not fail a test.
  timeout: 300_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  outputDir: '.cache/playwright',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `node scripts/serve-site.ts dist ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
